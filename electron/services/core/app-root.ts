/** The folder holding the app's package.json — found by walking up, so it works from source, from build/ and inside app.asar. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'anjuan-pingcha';

export function findAppRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the app root above ${from}`);
    dir = up;
  }
}

export function readAppVersion(root: string): string {
  return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
