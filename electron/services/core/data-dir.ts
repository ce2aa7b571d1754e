/**
 * Where a workspace lives. Default: the platform's app-data folder; `--data-dir` or PINGCHA_DATA_DIR
 * overrides it (tests, portable use from a USB stick).
 */
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'anjuan-pingcha';
export const DATA_DIR_ENV = 'PINGCHA_DATA_DIR';

export function defaultDataDir(platform = process.platform, env = process.env, home = os.homedir()): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER);
  return path.posix.join(env.XDG_DATA_HOME ?? path.posix.join(home, '.local', 'share'), APP_FOLDER);
}

/** `--data-dir <dir>` / `--data-dir=<dir>` wins over the environment, which wins over the default. */
export function resolveDataDir(argv: readonly string[], env = process.env): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir' && argv[i + 1]) return path.resolve(argv[i + 1]!);
    if (arg.startsWith('--data-dir=')) return path.resolve(arg.slice('--data-dir='.length));
  }
  if (env[DATA_DIR_ENV]) return path.resolve(env[DATA_DIR_ENV]);
  return defaultDataDir();
}

export interface DataLayout {
  root: string;
  database: string;
  files: string;
  staging: string;
  exports: string;
  backups: string;
  logs: string;
}

export function dataLayout(root: string): DataLayout {
  return {
    root,
    database: path.join(root, 'pingcha.db'),
    files: path.join(root, 'files'),
    staging: path.join(root, 'staging'),
    exports: path.join(root, 'exports'),
    backups: path.join(root, 'backups'),
    logs: path.join(root, 'logs'),
  };
}
