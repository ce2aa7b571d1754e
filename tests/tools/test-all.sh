#!/usr/bin/env bash
# `npm test` on any machine: installs what the tests need and is missing (Debian packages when this
# user is root or has sudo; otherwise stops at once with the exact command to run), the npm packages
# when node_modules is missing or older than the lock file, then runs lint, the type check, the build
# and every test. CI (.ci/run) runs this same command.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DEBIAN_FRONTEND=noninteractive
# onnxruntime-node's install script would fetch optional CUDA parts from the internet; the CPU binaries
# the OCR engine uses are inside the package (the project .npmrc says the same to npm).
export ONNXRUNTIME_NODE_INSTALL=skip

# Real clients the tests drive: Chromium (E2E), LibreOffice (opens every exported DOCX and XLSX),
# poppler (reads PDFs back), zbar (decodes QR codes), the CJK fonts both need, and Tesseract with its
# Simplified Chinese data, which is only the OCR benchmark's baseline (the app never uses it).
PACKAGES=(
  chromium
  fonts-noto-cjk fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-liberation2
  libreoffice-writer-nogui libreoffice-calc-nogui
  poppler-utils poppler-data
  zbar-tools
  tesseract-ocr tesseract-ocr-chi-sim
  python3 make g++ ca-certificates
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
else
  echo "这台机器不是 Debian 系（没有 dpkg-query）：请自行安装 ${PACKAGES[*]} 的对应软件包后再运行。" >&2
fi

if [ ${#missing[@]} -gt 0 ]; then
  install_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" = "0" ]; then
    echo "安装测试所需的系统软件包：${missing[*]}"
    apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "安装测试所需的系统软件包：${missing[*]}"
    sudo -n apt-get update && sudo -n apt-get install -y --no-install-recommends "${missing[@]}"
  else
    echo "测试需要以下系统软件包，本用户无权安装。请以管理员身份运行：" >&2
    echo "  sudo sh -c '$install_line'" >&2
    exit 1
  fi
fi

# npm packages: installed when missing or when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # better-sqlite3 builds from source here (no prebuilt download): about 80 s.
  npm ci --no-audit --no-fund
fi

npm run lint
npm run typecheck
npm run build
npx vitest run
