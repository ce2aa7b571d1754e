/**
 * Zip I/O of work packages. Writing (yazl): JSON entries deflated, PDFs stored as they are (already
 * compressed), streamed to a temp file. Reading (yauzl) is defensive, like the dossier import's
 * reader (issue 4): every entry gets a verdict before its bytes are read — absolute or `..` paths,
 * links, encrypted entries, duplicate names, declared sizes and ratios past the limits are refused —
 * and extraction counts the bytes that really come out (and hashes them with SM3 on the way), so a
 * zip that lies about its sizes stops at the limit. A truncated file has no central directory and is
 * refused as damaged.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { AppError } from '../../../shared/errors.js';
import { packageRefusal } from '../../../shared/packages/refusals.js';

export interface PackageLimits {
  /** Largest package file. */
  maxPackageBytes: number;
  /** Largest single entry, uncompressed. */
  maxEntryBytes: number;
  /** Largest sum of entries, uncompressed. */
  maxTotalBytes: number;
  /** Largest JSON entry (manifest, data). */
  maxJsonBytes: number;
  maxEntries: number;
  /** Largest uncompressed/compressed ratio of an entry above 1 MB. */
  maxRatio: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = {
  maxPackageBytes: 16 * 1024 ** 3,
  maxEntryBytes: 2 * 1024 ** 3,
  maxTotalBytes: 32 * 1024 ** 3,
  maxJsonBytes: 512 * 1024 ** 2,
  maxEntries: 100_000,
  maxRatio: 200,
};

// ── writing ────────────────────────────────────────────────────────────────────────────────

export type ZipSource = { path: string; bytes: Uint8Array } | { path: string; file: string };

/** Writes the entries, in order, to `target` (via a temp name; complete or absent). */
export async function writeZip(target: string, entries: ZipSource[]): Promise<number> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const e of entries) {
    if ('bytes' in e) zip.addBuffer(Buffer.from(e.bytes), e.path, { mtime, compress: true, mode: 0o100644 });
    else zip.addFile(e.file, e.path, { mtime, compress: false, mode: 0o100644 });
  }
  zip.end();
  await fsp.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await pipeline(zip.outputStream as Readable, fs.createWriteStream(tmp, { flags: 'wx' }));
    const fh = await fsp.open(tmp, 'r');
    await fh.sync().finally(() => fh.close());
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw new AppError('io_error', `写入工作包失败：${(err as Error).message}`);
  }
  return (await fsp.stat(target)).size;
}

// ── reading ────────────────────────────────────────────────────────────────────────────────

export interface ExtractedEntry {
  path: string;
  /** The extracted bytes on disk (a temp folder the caller removes). */
  file: string;
  bytes: number;
  sm3: string;
}

type RawEntry = yauzl.Entry;

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function refuseEntry(entry: RawEntry, name: string, limits: PackageLimits, total: number, seen: Set<string>): void {
  // eslint-disable-next-line no-control-regex -- control characters in a name are exactly what is refused
  if (/^([a-zA-Z]:|\/|\\)/.test(name) || /[\u0000-\u001f\\]/.test(name)) throw packageRefusal('unsafe_path', name.slice(0, 120));
  if (name.split('/').some((part) => part === '..' || part === '.')) throw packageRefusal('unsafe_path', name.slice(0, 120));
  const madeByUnix = entry.versionMadeBy >> 8 === 3;
  if (madeByUnix && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw packageRefusal('link_entry', name.slice(0, 120));
  if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) throw packageRefusal('encrypted_entry', name.slice(0, 120));
  if (seen.has(name)) throw packageRefusal('unlisted_entry', `重复条目 ${name.slice(0, 120)}`);
  if (entry.uncompressedSize > limits.maxEntryBytes) throw packageRefusal('too_large', name.slice(0, 120));
  if (entry.uncompressedSize > 1024 ** 2 && entry.uncompressedSize > entry.compressedSize * limits.maxRatio) throw packageRefusal('too_large', `${name.slice(0, 120)} 压缩比异常`);
  if (total + entry.uncompressedSize > limits.maxTotalBytes) throw packageRefusal('too_large', '解压总量');
}

const damaged = (err: unknown): AppError => (err instanceof AppError ? err : packageRefusal('zip_damaged', (err as Error).message.slice(0, 120)));

const openZip = (file: string): Promise<yauzl.ZipFile> =>
  new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    ),
  );

async function extract(stream: Readable, target: string, maxBytes: number): Promise<{ bytes: number; sm3: string }> {
  const hash = createHash('sm3');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(packageRefusal('too_large', '解压出的数据超过声明大小或上限'));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, meter, fs.createWriteStream(target, { flags: 'wx' }));
  } catch (err) {
    throw damaged(err);
  }
  return { bytes, sm3: hash.digest('hex') };
}

/** Extracts every entry of a package into `dir`, refusing the package at the first bad entry. */
export async function readPackageZip(file: string, dir: string, limits: PackageLimits): Promise<Map<string, ExtractedEntry>> {
  const size = (await fsp.stat(file)).size;
  if (size > limits.maxPackageBytes) throw packageRefusal('too_large', `${(size / 1024 ** 2).toFixed(0)} MB`);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (err) {
    throw damaged(err);
  }
  const out = new Map<string, ExtractedEntry>();
  try {
    if (zip.entryCount > limits.maxEntries) throw packageRefusal('too_large', `${zip.entryCount} 个条目`);
    await fsp.mkdir(dir, { recursive: true });
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (err) => reject(damaged(err)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: RawEntry) => {
        const work = async (): Promise<void> => {
          // Names are decoded here (not by yauzl, which would reject an unsafe one as a generic error).
          const raw = entry.fileName as unknown as Buffer | string;
          const name = typeof raw === 'string' ? raw : new TextDecoder('utf-8').decode(raw);
          if (name.endsWith('/')) {
            if (name.split('/').some((p) => p === '..') || name.startsWith('/')) throw packageRefusal('unsafe_path', name.slice(0, 120));
            return;
          }
          refuseEntry(entry, name, limits, total, new Set(out.keys()));
          total += entry.uncompressedSize;
          const stream = await new Promise<Readable>((res, rej) => zip.openReadStream(entry, (err, s) => (err ? rej(damaged(err)) : res(s))));
          const target = path.join(dir, String(out.size));
          const max = name.endsWith('.json') ? Math.min(limits.maxJsonBytes, limits.maxEntryBytes) : limits.maxEntryBytes;
          const { bytes, sm3 } = await extract(stream, target, max);
          out.set(name, { path: name, file: target, bytes, sm3 });
        };
        work().then(
          () => zip.readEntry(),
          (err: unknown) => reject(err),
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return out;
}
