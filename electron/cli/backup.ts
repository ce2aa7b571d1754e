/**
 * `npm run backup -- <备份文件夹> [--data-dir <数据文件夹>]`
 *
 * Writes a backup of the whole workspace into the folder (a USB stick): the database by SQLite's
 * online backup (the app may keep running), the stored files not already there with the right SM3,
 * and the manifest last. Exit code 0: done; 1: refused or failed (the reason is printed); 2: the data
 * folder cannot be opened.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/core/errors.js';
import { writeBackup } from '../services/backup/index.js';
import { findAppRoot, readAppVersion } from '../services/core/app-root.js';
import { dataLayout, resolveDataDir } from '../services/core/data-dir.js';
import { positional } from './args.js';

const USAGE = `用法：npm run backup -- <备份文件夹> [--data-dir <数据文件夹>]
  把工作站的全部数据备份到指定文件夹（如 U 盘）。再次备份到同一文件夹时只复制新增的案卷文件。`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const folder = positional(args);
  if (!folder || args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return folder ? 0 : 1;
  }
  const layout = dataLayout(resolveDataDir(args));
  if (!fs.existsSync(layout.database)) {
    process.stderr.write(`找不到工作站的数据文件：${layout.database}\n${USAGE}\n`);
    return 2;
  }
  // Read-only: a backup never changes the workspace (nor upgrades its schema).
  const db = new Database(layout.database, { readonly: true, fileMustExist: true });
  try {
    let shown = -1;
    const outcome = await writeBackup(db, layout, folder, {
      appVersion: readAppVersion(findAppRoot()),
      report: (p) => {
        const pct = p.bytesTotal ? Math.floor(((p.bytesDone ?? 0) / p.bytesTotal) * 100) : -1;
        if (pct >= 0 && pct !== shown && pct % 10 === 0) process.stderr.write(`  ${pct}%\n`);
        shown = pct;
      },
    });
    process.stdout.write(
      `备份完成：${outcome.folder}\n  共 ${outcome.files} 个文件，${(outcome.bytes / 1024 ** 2).toFixed(1)} MB；本次复制案卷文件 ${outcome.blobsCopied} 个，沿用已有的 ${outcome.blobsKept} 个。\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`备份失败：${err instanceof AppError ? err.message : (err as Error).message}\n`);
    return 1;
  } finally {
    db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`备份失败：${(err as Error).message}\n`);
    process.exit(2);
  },
);
