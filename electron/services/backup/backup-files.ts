/**
 * Writing a workspace backup to a folder (a USB stick) and reading one back. The database is copied
 * with SQLite's online backup, so reviewers may keep working meanwhile and the copy is one consistent
 * moment; the stored files and exports that copy refers to follow, each with its SM3 digest; the
 * manifest is written last, so a backup stopped half-way (cancelled, unplugged, disk full) has none
 * and can never be taken for a complete one. A stored file already on the stick with the right SM3
 * is not written again: the weekly backup of a large campaign writes only what is new.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  BACKUP_DATABASE,
  BACKUP_FORMAT,
  BACKUP_MANIFEST,
  BackupManifestSchema,
  BackupSummarySchema,
  canonicalBody,
  type BackupEntry,
  type BackupInspection,
  type BackupManifest,
  type BackupManifestBody,
  type BackupOutcome,
  type BackupSummary,
} from '../../../shared/backup/manifest.js';
import { AppError } from '../../../shared/core/errors.js';
import type { Db } from '../core/db/database.js';
import { backupCopy } from './repo.js';
import { LATEST_SCHEMA_VERSION } from '../core/db/migrations.js';
import type { DataLayout } from '../core/data-dir.js';
import { writeFileAtomic } from '../core/fs-atomic.js';
import type { JobProgress } from '../core/jobs.js';
import { referencedHashes } from '../core/orphans.js';
import { storageFault } from '../core/storage-faults.js';
import { libraryErrorText } from '../core/library-errors.js';

export interface WorkControl {
  signal?: AbortSignal;
  report?(progress: Partial<JobProgress>): void;
}

const sm3 = () => createHash('sm3');

export async function sm3OfFile(file: string, signal?: AbortSignal): Promise<{ sm3: string; size: number }> {
  const hash = sm3();
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    signal?.throwIfAborted();
    size += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { sm3: hash.digest('hex'), size };
}

/** Copies a file under a scratch name, hashing the bytes as they pass, syncs it and renames it into place. */
async function copyHashed(
  src: string,
  dst: string,
  signal?: AbortSignal,
  onBytes?: (n: number) => void,
): Promise<{ sm3: string; size: number }> {
  await fsp.mkdir(path.dirname(dst), { recursive: true });
  const tmp = path.join(path.dirname(dst), `.${path.basename(dst)}.${randomUUID()}.partial`);
  const hash = sm3();
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      hash.update(chunk);
      onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      fs.createReadStream(src, { highWaterMark: 1024 * 1024 }),
      meter,
      fs.createWriteStream(tmp, { flags: 'wx' }),
      signal ? { signal } : {},
    );
    const fh = await fsp.open(tmp, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rm(dst, { force: true });
    await fsp.rename(tmp, dst);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  return { sm3: hash.digest('hex'), size };
}

function cancelledOr(err: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted || (err as Error)?.name === 'AbortError')
    return new AppError('cancelled', '备份已取消；该文件夹中的备份不完整，不能用于恢复。');
  return err;
}

/** What the database copy refers to: stored files by SHA-256 and export files by their path. */
function contentsOf(dbFile: string): { hashes: string[]; exports: string[]; schemaVersion: number } {
  // The copy is a single file: out of WAL mode, so opening it leaves no -wal/-shm beside it on the stick.
  const copy = new Database(dbFile, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const hashes = [...referencedHashes(copy)].filter((h) => /^[0-9a-f]{64}$/.test(h)).sort();
    const exports = backupCopy
      .exportPaths(copy)
      .map((p) => p.split(path.sep).join('/'))
      .sort();
    return { hashes, exports, schemaVersion: copy.pragma('user_version', { simple: true }) as number };
  } finally {
    copy.close();
  }
}

export interface BackupOptions extends WorkControl {
  appVersion: string;
  now?: () => Date;
}

/** Writes a backup of the workspace `layout` (whose database is `db`) into `folder`. */
export async function writeBackup(db: Db, layout: DataLayout, folder: string, options: BackupOptions): Promise<BackupOutcome> {
  const target = path.resolve(folder);
  if (isInside(target, layout.root) || isInside(layout.root, target))
    throw new AppError(
      'invalid_input',
      `备份文件夹“${target}”不能在数据文件夹“${layout.root}”之内（或包含它），请选择另一个文件夹（如 U 盘）。`,
    );
  const { signal } = options;
  const report = options.report ?? (() => undefined);
  const dbCopy = path.join(target, `.${BACKUP_DATABASE}.${randomUUID()}.partial`);
  try {
    await fsp.mkdir(target, { recursive: true });
    // From here until the new manifest lands, the folder holds no complete backup.
    await fsp.rm(path.join(target, BACKUP_MANIFEST), { force: true });
    report({ message: '正在复制数据库…', done: 0, total: 0 });
    await db.backup(dbCopy);
    signal?.throwIfAborted();
    const { hashes, exports, schemaVersion } = contentsOf(dbCopy);
    const dbHashed = await sm3OfFile(dbCopy, signal);
    await syncFile(dbCopy);
    await fsp.rename(dbCopy, path.join(target, BACKUP_DATABASE));

    const sources: Array<{ rel: string; src: string }> = [
      ...hashes.map((h) => ({ rel: `files/${h.slice(0, 2)}/${h}`, src: path.join(layout.files, h.slice(0, 2), h) })),
      ...exports.map((e) => ({ rel: `exports/${e}`, src: path.join(layout.exports, ...e.split('/')) })),
    ];
    const sized = await Promise.all(
      sources.map(async (s) => ({
        ...s,
        size: await fsp.stat(s.src).then(
          (st) => st.size,
          () => -1,
        ),
      })),
    );
    // Some digests name bytes that were never stored (an uploaded case list, a letter's content), and
    // an export file that is gone is only a download to make again: the backup holds what is there.
    const present = sized.filter((s) => s.size >= 0);
    const bytesTotal = dbHashed.size + present.reduce((a, s) => a + s.size, 0);
    let bytesDone = dbHashed.size;
    const entries: BackupEntry[] = [{ path: BACKUP_DATABASE, size: dbHashed.size, sm3: dbHashed.sm3 }];
    let blobsCopied = 0;
    let blobsKept = 0;
    report({ message: '正在复制文件…', done: 0, total: present.length, bytesDone, bytesTotal });
    for (const [i, s] of present.entries()) {
      signal?.throwIfAborted();
      const dst = path.join(target, ...s.rel.split('/'));
      const isBlob = s.rel.startsWith('files/');
      let entry: { sm3: string; size: number } | null = null;
      if (isBlob) {
        // Stored files never change, so one already on the stick with the same SM3 is the same file.
        const existing = await fsp.stat(dst).catch(() => null);
        if (existing && existing.size === s.size) {
          const [here, there] = await Promise.all([sm3OfFile(s.src, signal), sm3OfFile(dst, signal)]);
          if (here.sm3 === there.sm3) entry = here;
        }
      }
      if (entry) blobsKept += 1;
      else {
        entry = await copyHashed(s.src, dst, signal);
        if (isBlob) blobsCopied += 1;
      }
      bytesDone += entry.size;
      entries.push({ path: s.rel, ...entry });
      report({ done: i + 1, bytesDone, message: `正在复制文件（${i + 1}/${present.length}）…` });
    }
    signal?.throwIfAborted();
    const createdAt = (options.now?.() ?? new Date()).toISOString();
    const body: BackupManifestBody = {
      format: BACKUP_FORMAT,
      appVersion: options.appVersion,
      schemaVersion,
      createdAt,
      sourceFolder: layout.root,
      counts: {
        blobs: entries.filter((e) => e.path.startsWith('files/')).length,
        exports: entries.filter((e) => e.path.startsWith('exports/')).length,
        bytes: bytesDone,
      },
      entries,
    };
    const manifest: BackupManifest = { ...body, manifestSm3: sm3().update(canonicalBody(body), 'utf8').digest('hex') };
    await writeFileAtomic(path.join(target, BACKUP_MANIFEST), Buffer.from(JSON.stringify(manifest, null, 1), 'utf8'));
    report({ message: '备份完成。', bytesDone });
    return { folder: target, createdAt, files: entries.length, blobsCopied, blobsKept, bytes: bytesDone };
  } catch (err) {
    for (const f of [dbCopy, `${dbCopy}-wal`, `${dbCopy}-shm`, `${dbCopy}-journal`])
      await fsp.rm(f, { force: true }).catch(() => undefined);
    const e = cancelledOr(err, signal);
    throw storageFault(e, target) ?? e;
  }
}

async function syncFile(file: string): Promise<void> {
  const fh = await fsp.open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const damaged = (message: string, file: string): AppError => new AppError('damaged_file', `${message}未恢复任何数据。`, { file });

/** Reads and checks the manifest of the backup in `folder`: present, well-formed, unaltered, not from a newer version. */
export async function readManifest(folder: string): Promise<BackupManifest> {
  const file = path.join(folder, BACKUP_MANIFEST);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw damaged(
        `“${folder}”中没有备份清单 ${BACKUP_MANIFEST}：这不是评查工作站的备份，或备份未完成（被取消或中途出错）。`,
        BACKUP_MANIFEST,
      );
    throw storageFault(err, folder) ?? new AppError('io_error', `无法读取备份清单 ${BACKUP_MANIFEST}：${libraryErrorText(err)}。`);
  }
  let parsed: BackupManifest;
  try {
    parsed = BackupManifestSchema.parse(JSON.parse(text));
  } catch {
    throw damaged(`备份清单 ${BACKUP_MANIFEST} 已损坏，无法读取。`, BACKUP_MANIFEST);
  }
  const { manifestSm3, ...body } = parsed;
  if (sm3().update(canonicalBody(body), 'utf8').digest('hex') !== manifestSm3)
    throw damaged(`备份清单 ${BACKUP_MANIFEST} 被改动过（SM3 摘要不符）。`, BACKUP_MANIFEST);
  if (body.schemaVersion > LATEST_SCHEMA_VERSION)
    throw new AppError(
      'db_too_new',
      `此备份由更新版本的评查工作站制作（数据库版本 ${body.schemaVersion}，当前软件只支持到 ${LATEST_SCHEMA_VERSION}），请升级软件后再恢复。未恢复任何数据。`,
    );
  const paths = new Set<string>();
  for (const e of body.entries) {
    if (paths.has(e.path)) throw damaged(`备份清单 ${BACKUP_MANIFEST} 重复列出了“${e.path}”。`, BACKUP_MANIFEST);
    paths.add(e.path);
  }
  if (!paths.has(BACKUP_DATABASE)) throw damaged(`备份清单 ${BACKUP_MANIFEST} 中没有数据库文件 ${BACKUP_DATABASE}。`, BACKUP_MANIFEST);
  return parsed;
}

/**
 * The backup in `folder` as the confirmation shows it: its manifest checked (not yet every file) and
 * the names of the campaigns its database holds.
 */
export async function inspectBackup(folder: string): Promise<BackupInspection> {
  const source = path.resolve(folder);
  const st = await fsp.stat(source).catch(() => null);
  if (!st) throw new AppError('not_found', `文件夹“${source}”不存在，请检查路径（U 盘是否已插好）。`, { reason: 'no_folder' });
  if (!st.isDirectory()) throw new AppError('invalid_input', `“${source}”是一个文件，不是文件夹：请选择备份所在的文件夹。`);
  const manifest = await readManifest(source);
  let campaigns: string[] = [];
  let copy: Database.Database | null = null;
  try {
    copy = new Database(path.join(source, BACKUP_DATABASE), { readonly: true, fileMustExist: true });
    campaigns = backupCopy.campaignNames(copy);
  } catch {
    // The database is checked file by file when the restore runs; here it only names what it holds.
  } finally {
    copy?.close();
  }
  return { ...summaryOf(source, manifest), campaigns };
}

export function summaryOf(folder: string, m: BackupManifest): BackupSummary {
  return {
    folder,
    appVersion: m.appVersion,
    schemaVersion: m.schemaVersion,
    createdAt: m.createdAt,
    sourceFolder: m.sourceFolder,
    blobs: m.counts.blobs,
    exports: m.counts.exports,
    bytes: m.counts.bytes,
  };
}

/**
 * What a stored file of the backup is to a person: the case (案号) and file name its database copy
 * gives it, e.g. “案卷 清农罚〔2025〕18号 的《行政处罚决定书.pdf》”; else the export's own name; else the
 * path alone. The database copy is read only once it has itself been checked.
 */
function entryLabel(folder: string, entryPath: string, dbChecked: boolean): string {
  const quoted = `“${entryPath}”`;
  if (entryPath === BACKUP_DATABASE) return `数据库文件${quoted}`;
  if (entryPath.startsWith('exports/')) return `导出文件“${entryPath.slice('exports/'.length)}”`;
  if (!entryPath.startsWith('files/') || !dbChecked) return quoted;
  const sha = path.posix.basename(entryPath);
  let copy: Database.Database | null = null;
  try {
    copy = new Database(path.join(folder, BACKUP_DATABASE), { readonly: true, fileMustExist: true });
    const found = backupCopy.filesOfContent(copy, sha);
    if (!found.length) return quoted;
    return `${found.map((f) => `案卷 ${f.caseNumber || '（无案号）'} 的《${f.fileName}》`).join('、')}（备份中的${quoted}）`;
  } catch {
    return quoted;
  } finally {
    copy?.close();
  }
}

/** Checks every file of the backup against its manifest (present, size, SM3); the first that fails is named. */
export async function verifyBackup(folder: string, control: WorkControl = {}): Promise<BackupManifest> {
  const source = path.resolve(folder);
  const manifest = await readManifest(source);
  // The database is listed first: once it holds, a damaged stored file can be named by its case.
  let dbChecked = false;
  const label = (p: string): string => entryLabel(source, p, dbChecked);
  const bytesTotal = manifest.entries.reduce((a, e) => a + e.size, 0);
  let bytesDone = 0;
  control.report?.({ message: '正在核对备份…', done: 0, total: manifest.entries.length, bytesDone, bytesTotal });
  for (const [i, e] of manifest.entries.entries()) {
    control.signal?.throwIfAborted();
    const file = path.join(source, ...e.path.split('/'));
    const st = await fsp.stat(file).catch(() => null);
    if (!st?.isFile()) throw damaged(`备份不完整：缺少文件${label(e.path)}。`, e.path);
    if (st.size !== e.size) throw damaged(`备份中的${label(e.path)}已损坏：大小与备份清单不符。`, e.path);
    const got = await sm3OfFile(file, control.signal);
    if (got.sm3 !== e.sm3) throw damaged(`备份中的${label(e.path)}已损坏：SM3 摘要与备份清单不符。`, e.path);
    if (e.path === BACKUP_DATABASE) dbChecked = true;
    bytesDone += e.size;
    control.report?.({ done: i + 1, bytesDone, message: `正在核对备份（${i + 1}/${manifest.entries.length}）…` });
  }
  return manifest;
}

/** A restore ready for the next start: the backup's summary, and who prepared it when. */
const PreparedRestoreSchema = BackupSummarySchema.extend({
  preparedBy: z.string().nullable().optional(),
  preparedAt: z.string().optional(),
});
export type PreparedRestore = z.infer<typeof PreparedRestoreSchema>;

/** Marks a prepared restore as complete (written last). */
export const RESTORE_READY = 'pingcha-restore-ready.json';

/**
 * Checks the backup in `folder` completely, then copies it into the new folder `into` (checking every
 * file's SM3 again as it is copied) and marks it ready. Nothing is written before every digest held.
 */
export async function prepareRestore(
  folder: string,
  into: string,
  control: WorkControl & { preparedBy?: string } = {},
): Promise<BackupSummary> {
  const source = path.resolve(folder);
  const manifest = await verifyBackup(source, control);
  try {
    await fsp.rm(into, { recursive: true, force: true });
    await fsp.mkdir(into, { recursive: true });
    const bytesTotal = manifest.entries.reduce((a, e) => a + e.size, 0);
    let bytesDone = 0;
    control.report?.({ message: '正在恢复文件…', done: 0, total: manifest.entries.length, bytesDone, bytesTotal });
    for (const [i, e] of manifest.entries.entries()) {
      control.signal?.throwIfAborted();
      const dst = path.join(into, ...e.path.split('/'));
      const got = await copyHashed(path.join(source, ...e.path.split('/')), dst, control.signal);
      if (got.sm3 !== e.sm3 || got.size !== e.size)
        throw damaged(`备份文件“${e.path}”在恢复过程中发生变化（SM3 摘要与备份清单不符）。`, e.path);
      if (e.path.startsWith('files/')) await fsp.chmod(dst, 0o444).catch(() => undefined);
      bytesDone += e.size;
      control.report?.({ done: i + 1, bytesDone, message: `正在恢复文件（${i + 1}/${manifest.entries.length}）…` });
    }
    const summary = summaryOf(source, manifest);
    // Who prepared it and when: the restored trail records it (the 准备恢复 row stays in the data it replaces).
    const ready: PreparedRestore = { ...summary, preparedBy: control.preparedBy ?? null, preparedAt: new Date().toISOString() };
    await writeFileAtomic(path.join(into, RESTORE_READY), Buffer.from(JSON.stringify(ready), 'utf8'));
    return summary;
  } catch (err) {
    await fsp.rm(into, { recursive: true, force: true }).catch(() => undefined);
    const e = cancelledOr(err, control.signal);
    if (e instanceof AppError && e.code === 'cancelled') throw new AppError('cancelled', '恢复已取消，工作站数据未作任何改动。');
    throw storageFault(e, into) ?? e;
  }
}

/** Where a restore waits for the next start of the workstation (beside the data folder, same disk). */
export const pendingRestoreDir = (dataDir: string): string => `${path.resolve(dataDir)}.restore-pending`;

function stamp(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

/** Whether the folder holds a workspace (a database). */
export const holdsData = (dataDir: string): boolean => fs.existsSync(path.join(dataDir, BACKUP_DATABASE));

/**
 * Puts a prepared restore in place of the data folder; the data that was there is kept, whole, in a
 * dated folder beside it (`<数据文件夹>.恢复前-20261207-101500`). Returns that folder, or null when
 * the data folder held nothing.
 */
export function swapInRestore(prepared: string, dataDir: string, now = new Date()): string | null {
  const root = path.resolve(dataDir);
  let keptAt: string | null = null;
  if (fs.existsSync(root) && fs.readdirSync(root).length > 0) {
    keptAt = `${root}.恢复前-${stamp(now)}`;
    for (let n = 2; fs.existsSync(keptAt); n++) keptAt = `${root}.恢复前-${stamp(now)}-${n}`;
    fs.renameSync(root, keptAt);
  } else fs.rmSync(root, { recursive: true, force: true });
  fs.renameSync(prepared, root);
  fs.rmSync(path.join(root, RESTORE_READY), { force: true });
  return keptAt;
}

/** At start-up, before the database opens: a restore prepared in the app takes the data folder's place. */
export function applyPendingRestore(dataDir: string): { summary: PreparedRestore; keptAt: string | null } | null {
  const pending = pendingRestoreDir(dataDir);
  const ready = path.join(pending, RESTORE_READY);
  if (!fs.existsSync(ready)) {
    // A restore stopped before it was complete never replaces anything.
    if (fs.existsSync(pending)) fs.rmSync(pending, { recursive: true, force: true });
    return null;
  }
  const summary = PreparedRestoreSchema.parse(JSON.parse(fs.readFileSync(ready, 'utf8')));
  return { summary, keptAt: swapInRestore(pending, dataDir) };
}

/** The restore waiting for the next start, if one is ready. */
export function pendingRestore(dataDir: string): BackupSummary | null {
  const ready = path.join(pendingRestoreDir(dataDir), RESTORE_READY);
  try {
    const { preparedBy: _by, preparedAt: _at, ...summary } = PreparedRestoreSchema.parse(JSON.parse(fs.readFileSync(ready, 'utf8')));
    return summary;
  } catch {
    return null;
  }
}
