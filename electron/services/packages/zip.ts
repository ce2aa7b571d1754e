/**
 * Zip I/O of work packages. Writing (yazl): JSON entries deflated, PDFs stored as they are (already
 * compressed), streamed to a temp file. Reading is the dossier import's defensive reader (
 * import/zip-source.ts): every entry gets a verdict before its bytes are read — absolute or `..`
 * paths, links, encrypted entries, declared sizes and ratios past the limits are refused — and
 * extraction counts the bytes that really come out, so a zip that lies about its sizes stops at the
 * limit. Here a refused entry refuses the whole package (a dossier zip only skips it), its reasons
 * are translated into the packages' own (shared/packages/refusals.ts), and each entry is hashed with
 * SM3 on its way out for the signed manifest's check.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { AppError } from '../../../shared/core/errors.js';
import { PACKAGE_REFUSALS, packageRefusal, refusalOf, type PackageRefusal } from '../../../shared/packages/refusals.js';
import { DEFAULT_ZIP_LIMITS, extractTo, walkZip, type ZipLimits } from '../import/index.js';
import { libraryErrorText } from '../core/library-errors.js';

/** The dossier reader's limits, plus the package file's own size and its JSON entries'. */
export interface PackageLimits extends ZipLimits {
  /** Largest package file. */
  maxPackageBytes: number;
  /** Largest JSON entry (manifest, data). */
  maxJsonBytes: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = {
  ...DEFAULT_ZIP_LIMITS,
  maxPackageBytes: 16 * 1024 ** 3,
  maxTotalBytes: 32 * 1024 ** 3,
  maxJsonBytes: 512 * 1024 ** 2,
  maxEntries: 100_000,
  maxRatio: 200,
};

// ── writing ────────────────────────────────────────────────────────────────────────────────

export type ZipSource = { path: string; bytes: Uint8Array } | { path: string; file: string };

/**
 * Writes the entries, in order, to `target` (via a temp name; complete or absent). `onBytes` follows
 * the bytes written; `signal` stops the writing and removes the temp file.
 */
export async function writeZip(
  target: string,
  entries: ZipSource[],
  options: { signal?: AbortSignal; onBytes?: (written: number) => void } = {},
): Promise<number> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const e of entries) {
    if ('bytes' in e) zip.addBuffer(Buffer.from(e.bytes), e.path, { mtime, compress: true, mode: 0o100644 });
    else zip.addFile(e.file, e.path, { mtime, compress: false, mode: 0o100644 });
  }
  zip.end();
  await fsp.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  let written = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      options.onBytes?.(written);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      zip.outputStream as Readable,
      meter,
      fs.createWriteStream(tmp, { flags: 'wx' }),
      options.signal ? { signal: options.signal } : {},
    );
    const fh = await fsp.open(tmp, 'r');
    await fh.sync().finally(() => fh.close());
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    if (options.signal?.aborted) throw new AppError('cancelled', '已取消导出。', { reason: 'cancelled' });
    throw new AppError('io_error', `写入工作包失败：${libraryErrorText(err)}`);
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

/** The dossier reader's reasons (details.reason) as a package's refusals. */
const FROM_ZIP_READER: Record<string, PackageRefusal> = {
  zip_unsafe_path: 'unsafe_path',
  zip_symlink: 'link_entry',
  zip_encrypted: 'encrypted_entry',
  zip_bomb: 'too_large',
  zip_damaged: 'zip_damaged',
  unreadable: 'zip_damaged',
};

function asRefusal(err: unknown, detail?: string): AppError {
  // The dossier reader's `zip_damaged` shares the package refusal's name but not its words: only a
  // refusal already said as the package's own passes through unchanged.
  const own = refusalOf(err);
  if (own && (err as AppError).message.startsWith(PACKAGE_REFUSALS[own].message)) return err as AppError;
  const reason = err instanceof AppError ? (err.details?.reason as string | undefined) : undefined;
  if (err instanceof AppError && err.code === 'cancelled') return err;
  // A damaged zip is said once, in the package's words (the reader's sentence would repeat it).
  if (reason && FROM_ZIP_READER[reason] === 'zip_damaged') return packageRefusal('zip_damaged');
  if (reason && FROM_ZIP_READER[reason])
    return packageRefusal(FROM_ZIP_READER[reason], detail ?? (err as AppError).message.replace(/[，,]?已(拒绝|中止)$/, '').slice(0, 120));
  return packageRefusal('zip_damaged', libraryErrorText(err));
}

export interface ExtractOptions {
  signal?: AbortSignal;
  onEntry?: (entry: ExtractedEntry, compressedSoFar: number) => void;
  /** Which entries to write out now (default: all); the others are only listed, and checked like all. */
  only?: (name: string) => boolean;
  /** An entry's largest size (default: the limits'); the signed manifest's size once that is trusted. */
  maxBytes?: (name: string) => number;
  /** Entries already written by an earlier pass (kept, not written again). */
  done?: Map<string, ExtractedEntry>;
}

/** What the central directory declares, entry by entry (nothing is written). */
export interface ListedEntry {
  path: string;
  size: number;
}

/**
 * Extracts entries of a package into `dir`, refusing the package at the first bad entry: every entry
 * of the central directory is judged (paths, links, declared sizes against the entry and total caps)
 * before the one after it is opened, and each is streamed out with its size capped, so a zip that
 * lies about its sizes stops at the cap. Answers the entries written, and every entry listed.
 * `onEntry` reports the compressed bytes read so far (progress); `signal` cancels between and within entries.
 */
export async function readPackageZip(
  file: string,
  dir: string,
  limits: PackageLimits,
  options: ExtractOptions = {},
): Promise<{ entries: Map<string, ExtractedEntry>; listed: ListedEntry[] }> {
  const size = (await fsp.stat(file)).size;
  if (size > limits.maxPackageBytes) throw packageRefusal('too_large', `${(size / 1024 ** 2).toFixed(0)} MB`);
  await fsp.mkdir(dir, { recursive: true });
  const out = new Map<string, ExtractedEntry>(options.done ?? []);
  const listed: ListedEntry[] = [];
  const names = new Set<string>();
  let compressed = 0;
  try {
    await walkZip(file, limits, async (info, open) => {
      if (options.signal?.aborted) throw new AppError('cancelled', undefined, { reason: 'cancelled' });
      if (info.refusal)
        throw asRefusal(new AppError('damaged_file', info.refusal.message, { reason: info.refusal.code }), info.name.slice(0, 120));
      if (info.directory) return;
      if (names.has(info.name)) throw packageRefusal('unlisted_entry', `重复条目 ${info.name.slice(0, 120)}`);
      names.add(info.name);
      listed.push({ path: info.name, size: info.size });
      compressed += info.compressedSize;
      if (out.has(info.name) || (options.only && !options.only(info.name))) return;
      const target = path.join(dir, `${names.size - 1}`);
      const cap = info.name.endsWith('.json') ? Math.min(limits.maxJsonBytes, limits.maxEntryBytes) : limits.maxEntryBytes;
      const max = Math.min(cap, options.maxBytes?.(info.name) ?? cap);
      if (info.size > max) throw packageRefusal('too_large', info.name.slice(0, 120));
      const hash = createHash('sm3');
      const bytes = await extractTo(await open(), target, max, options.signal, (chunk) => hash.update(chunk));
      const entry = { path: info.name, file: target, bytes, sm3: hash.digest('hex') };
      out.set(info.name, entry);
      options.onEntry?.(entry, compressed);
    });
  } catch (err) {
    throw asRefusal(err);
  }
  return { entries: out, listed };
}
