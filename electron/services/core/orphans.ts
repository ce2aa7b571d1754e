/**
 * Sweeps stored files that no row refers to: a blob written just before a crash, before the
 * transaction that would have recorded it committed; an export file whose row never landed. Only
 * files older than the running process are touched, so nothing a write under way is about to record
 * can go. What counts as a reference is db/file-references.ts's. A write of this run that finds its
 * bytes already stored touches the file (BlobStore), so a file about to be referenced again is never
 * older than the run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROCESS_STARTED_MS } from './blob-store.js';
import type { Db } from './db/database.js';
import { exportPaths, referencedHashes } from './db/file-references.js';
import type { Logger } from './logger.js';

/** The backup reads the same references (it copies what the sweep keeps). */
export { referencedHashes } from './db/file-references.js';

export interface OrphanSweep {
  blobsRemoved: number;
  exportsRemoved: number;
  bytesFreed: number;
}

const SHA256_RE = /^[0-9a-f]{64}$/;

function removeIfOld(file: string, before: number): number {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.mtimeMs >= before) return -1;
    fs.chmodSync(file, 0o644);
    fs.rmSync(file, { force: true });
    return st.size;
  } catch {
    return -1; // gone meanwhile, or locked (Windows): the next sweep tries again
  }
}

export async function sweepOrphans(
  db: Db,
  dirs: { files: string; exports: string },
  log: Logger,
  options: { before?: number; signal?: AbortSignal } = {},
): Promise<OrphanSweep> {
  const before = options.before ?? PROCESS_STARTED_MS;
  const result: OrphanSweep = { blobsRemoved: 0, exportsRemoved: 0, bytesFreed: 0 };
  const hashes = referencedHashes(db);
  for (const shard of await fs.promises.readdir(dirs.files).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const name of await fs.promises.readdir(path.join(dirs.files, shard)).catch(() => [] as string[])) {
      options.signal?.throwIfAborted();
      if (!SHA256_RE.test(name) || hashes.has(name)) continue;
      const size = removeIfOld(path.join(dirs.files, shard, name), before);
      if (size >= 0) {
        result.blobsRemoved += 1;
        result.bytesFreed += size;
      }
    }
  }
  const recorded = new Set(exportPaths(db).map((p) => path.normalize(p)));
  for (const rel of await listFiles(dirs.exports)) {
    options.signal?.throwIfAborted();
    if (recorded.has(path.normalize(rel))) continue;
    const size = removeIfOld(path.join(dirs.exports, rel), before);
    if (size >= 0) {
      result.exportsRemoved += 1;
      result.bytesFreed += size;
    }
  }
  log.info(
    `orphan sweep: removed ${result.blobsRemoved} stored files and ${result.exportsRemoved} export files no record refers to (${result.bytesFreed} bytes)`,
  );
  return result;
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.promises.readdir(root, { recursive: true, withFileTypes: true }).catch(() => [] as fs.Dirent[])) {
    if (entry.isFile()) out.push(path.relative(root, path.join(entry.parentPath, entry.name)));
  }
  return out;
}
