import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh folder under the system temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'pingcha-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Folder kept after the run (git-ignored) for screenshots and exported files a person can open. */
export function outputDir(...parts: string[]): string {
  const dir = path.join(process.cwd(), 'test-output', ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export const REPO_ROOT = process.cwd();
export const RESOURCES_DIR = path.join(REPO_ROOT, 'resources');
