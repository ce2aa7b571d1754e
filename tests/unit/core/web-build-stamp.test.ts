/**
 * `npm run web` rebuilds only when a source changed after the last build: run in a copy of the
 * project layout with a build that only counts how often it ran, through the real npm scripts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const realScripts = (JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-stamp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};
const builds = () => (fs.existsSync(path.join(dir, 'builds.log')) ? fs.readFileSync(path.join(dir, 'builds.log'), 'utf8').length : 0);
const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

describe('npm run web after npm run build', () => {
  write('electron/scripts/web.mjs', fs.readFileSync(path.join(repo, 'electron/scripts/web.mjs'), 'utf8'));
  write('shared/a.ts', 'export const a = 1;\n');
  write('renderer/src/b.tsx', 'export const b = 2;\n');
  write(
    'fake-build.cjs',
    `const fs = require('fs');
fs.appendFileSync('builds.log', 'x');
fs.mkdirSync('build/renderer', { recursive: true });
fs.mkdirSync('build/electron/host', { recursive: true });
fs.writeFileSync('build/renderer/index.html', '<!doctype html>');
fs.writeFileSync('build/electron/host/main.js', "console.log('host started')");
`,
  );
  write(
    'package.json',
    JSON.stringify({
      name: 'stamp-probe',
      private: true,
      scripts: { prebuild: realScripts.prebuild, build: 'node fake-build.cjs', postbuild: realScripts.postbuild },
    }),
  );

  it('starts at once after a build, and rebuilds once a source is edited', () => {
    run('npm', ['run', 'build', '--silent']);
    expect(builds()).toBe(1);

    const fresh = run('node', ['electron/scripts/web.mjs']);
    expect(builds()).toBe(1);
    expect(fresh).toContain('跳过构建');
    expect(fresh).toContain('host started');

    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'shared/a.ts'), later, later);
    const edited = run('node', ['electron/scripts/web.mjs']);
    expect(builds()).toBe(2);
    expect(edited).toContain('有改动（shared/a.ts');
    expect(edited).toContain('正在重新构建');
  });
});
