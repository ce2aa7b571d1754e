#!/usr/bin/env node
/**
 * `npm run web [-- --data-dir <folder>] [-- --fresh] [-- --port=<n>]`
 * Builds the app if any source is newer than the build, then starts the loopback host and prints
 * the URL to open. --fresh uses a new empty data folder under the system temp folder.
 */
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const stamp = path.join(root, 'build', '.web-build-stamp');
const sources = ['shared', 'renderer', 'electron', 'resources', 'package.json'].map((p) => path.join(root, p));

function newest(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules') continue;
    max = Math.max(max, newest(path.join(p, entry)));
  }
  return max;
}

const builtAt = fs.existsSync(path.join(root, 'build/renderer/index.html')) && fs.existsSync(path.join(root, 'build/electron/host/main.js')) ? (fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0) : 0;
if (builtAt < Math.max(...sources.map(newest))) {
  process.stdout.write('正在构建（首次运行或源代码有更新）…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(stamp, new Date().toISOString());
}

const args = process.argv.slice(2).filter((a) => a !== '--fresh');
if (process.argv.includes('--fresh')) args.push('--data-dir', fs.mkdtempSync(path.join(os.tmpdir(), 'pingcha-')));
const child = spawn(process.execPath, [path.join(root, 'build/electron/host/main.js'), ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
