#!/usr/bin/env node
/**
 * `npm run web [-- --data-dir <folder>] [-- --fresh] [-- --port=<n>]`
 * Builds the app only if a source changed after the last build began, then starts the loopback host
 * and prints the URL to open. --fresh uses a new empty data folder under the system temp folder.
 *
 * `npm run build` marks its start (prebuild: --stamp-begin) and, once it succeeded, records that
 * moment as the build stamp (postbuild: --stamp-end); so `npm run web` right after `npm run build`
 * starts at once, and an edit made while the build ran still counts as newer.
 */
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = path.join(root, 'build');
const stamp = path.join(buildDir, '.web-build-stamp');
const begun = path.join(buildDir, '.web-build-begun');
const sources = ['shared', 'renderer', 'electron', 'resources', 'package.json'].map((p) => path.join(root, p));
const outputs = ['build/renderer/index.html', 'build/electron/host/main.js'].map((p) => path.join(root, p));

/** The newest source file: its time and its path relative to the project. */
function newest(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return { at: 0, file: '' };
  if (!stat.isDirectory()) return { at: stat.mtimeMs, file: path.relative(root, p) };
  let best = { at: 0, file: '' };
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules') continue;
    const n = newest(path.join(p, entry));
    if (n.at > best.at) best = n;
  }
  return best;
}

const readTime = (file) => {
  const n = Number(fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : NaN);
  return Number.isFinite(n) ? n : 0;
};
const time = (ms) => new Date(ms).toLocaleString('zh-CN', { hour12: false });

if (process.argv.includes('--stamp-begin')) {
  fs.mkdirSync(buildDir, { recursive: true });
  fs.writeFileSync(begun, String(Date.now()));
  process.exit(0);
}
if (process.argv.includes('--stamp-end')) {
  fs.writeFileSync(stamp, String(readTime(begun) || Date.now()));
  fs.rmSync(begun, { force: true });
  process.exit(0);
}

const builtAt = outputs.every((f) => fs.existsSync(f)) ? readTime(stamp) : 0;
const changed = sources.map(newest).reduce((a, b) => (b.at > a.at ? b : a));
if (!builtAt) {
  process.stdout.write('没有找到完整的构建结果，正在构建（npm run build）…\n');
} else if (changed.at > builtAt) {
  process.stdout.write(
    `源代码在上次构建（${time(builtAt)}）之后有改动（${changed.file}，${time(changed.at)}），正在重新构建（npm run build）…\n`,
  );
} else {
  process.stdout.write(`构建结果是最新的（构建于 ${time(builtAt)}，之后源代码没有改动），跳过构建。\n`);
}
if (!builtAt || changed.at > builtAt) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stdout.write('构建失败，请查看上面的错误信息。\n');
    process.exit(result.status ?? 1);
  }
}

const args = process.argv.slice(2).filter((a) => a !== '--fresh');
if (process.argv.includes('--fresh')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingcha-'));
  args.push('--data-dir', dir);
  process.stdout.write(`使用新的空数据文件夹：${dir}\n`);
}
process.stdout.write('正在启动本机网页服务…\n');
const child = spawn(process.execPath, [path.join(root, 'build/electron/host/main.js'), ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
