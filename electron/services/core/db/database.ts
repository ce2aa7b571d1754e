/**
 * Opens the workspace database: WAL, foreign keys, a busy timeout, durable commits; runs pending
 * migrations in one transaction after an automatic backup; refuses a database from a newer version.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../../shared/core/errors.js';
import { storageFault } from '../storage-faults.js';
import { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

/** Bytes the WAL is cut back to once a checkpoint has copied it into the database. */
export const WAL_SIZE_LIMIT = 8 * 1024 * 1024;

export interface OpenOptions {
  /** Folder for automatic pre-migration backups. */
  backupDir: string;
  /** Clock for the backup file name (tests pin it). */
  now?: () => Date;
}

export function openDatabase(file: string, options: OpenOptions): Db {
  // A read-only or full data folder is named in Chinese with what to do, not in SQLite's English.
  const folder = path.dirname(file);
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (err) {
    throw storageFault(err, folder) ?? err;
  }
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw storageFault(err, folder) ?? new AppError('io_error', `无法打开数据文件“${file}”，请检查该文件是否被其他程序占用或已损坏。`);
  }
  try {
    // Refuse a newer database before touching it: even switching to WAL rewrites its header.
    refuseNewer(db);
    db.pragma('journal_mode = WAL');
    // FULL: a reviewer's confirmed change survives a power cut, not only a killed process.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A large write (a merged package, the summaries' back-fill) grows the WAL to its size; SQLite
    // keeps that file at its largest until the workspace closes unless told to cut it back when the
    // checkpoint restarts it.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    migrate(db, options);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    if ((err as { code?: string }).code === 'SQLITE_NOTADB' || (err as { code?: string }).code === 'SQLITE_CORRUPT')
      throw new AppError('damaged_file', '数据文件已损坏，无法打开。请从 backups 文件夹恢复最近的备份。');
    throw storageFault(err, folder) ?? err;
  }
}

/**
 * Closes the workspace tidily: the query planner's statistics refreshed where the session's queries
 * showed they would help (PRAGMA optimize, as SQLite advises before closing), the WAL copied into the
 * database and emptied, so the folder holds one compact file to back up or carry.
 */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    db.pragma('optimize');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // A read-only or full disk still closes; SQLite folds the WAL back on the next open.
  }
  db.close();
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(db: Db): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new AppError(
      'db_too_new',
      `此数据文件由更新版本的评查工作站创建（数据库版本 ${current}），当前软件只支持到版本 ${LATEST_SCHEMA_VERSION}。请升级软件后再打开，数据未作任何改动。`,
      { databaseVersion: current, supportedVersion: LATEST_SCHEMA_VERSION },
    );
  }
}

function migrate(db: Db, options: OpenOptions): void {
  const current = schemaVersion(db);
  if (current === LATEST_SCHEMA_VERSION) return;
  const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n > 0;
  if (hasTables) backupBeforeMigration(db, current, options);
  const pending = MIGRATIONS.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}

function backupBeforeMigration(db: Db, fromVersion: number, options: OpenOptions): void {
  fs.mkdirSync(options.backupDir, { recursive: true });
  const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const target = path.join(options.backupDir, `pingcha-v${fromVersion}-${stamp}.db`);
  // VACUUM INTO writes a consistent, compact copy synchronously, WAL contents included.
  db.prepare('VACUUM INTO ?').run(target);
}

/** Runs `fn` in a transaction (IMMEDIATE, so concurrent writers queue instead of failing mid-way). */
export function tx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
