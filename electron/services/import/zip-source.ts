/**
 * A .zip of dossiers read with yauzl, defensively: every entry gets a verdict before anything is
 * written (absolute or `..` paths, symlinks, encrypted entries, declared sizes and ratios past the
 * limits are refused, each with its own reason), and extraction counts the bytes that really come
 * out, so a zip that lies about its sizes is stopped at the limit. Entry names written by Chinese
 * Windows without the UTF-8 flag are decoded as GBK.
 */
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import path from 'node:path';
import yauzl from 'yauzl';
import { AppError } from '../../../shared/core/errors.js';
import type { FileRejection } from '../../../shared/import/outcomes.js';
import { storageFault } from '../core/storage-faults.js';
import { libraryErrorText } from '../core/library-errors.js';

export interface ZipLimits {
  /** Largest uncompressed entry. */
  maxEntryBytes: number;
  /** Largest sum of uncompressed entries of one zip. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry bigger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 2 * 1024 ** 3,
  maxTotalBytes: 40 * 1024 ** 3,
  maxRatio: 100,
  ratioFloorBytes: 1024 ** 2,
  maxEntries: 50_000,
};

export interface ZipEntryInfo {
  index: number;
  /** Decoded name, `/`-separated. */
  name: string;
  size: number;
  compressedSize: number;
  directory: boolean;
  refusal: { code: FileRejection; message: string } | null;
}

type RawEntry = yauzl.Entry & { fileNameRaw: Buffer; fileName: Buffer | string };
const yauzlLow = yauzl as unknown as {
  getFileNameLowLevel(flags: number, raw: Buffer, extra: Array<{ id: number; data: Buffer }>, strict: boolean): string;
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The entry's name: UTF-8 when flagged or valid, else GBK (what Chinese Windows writes). */
export function entryName(entry: RawEntry): string {
  const raw = entry.fileNameRaw ?? (Buffer.isBuffer(entry.fileName) ? entry.fileName : Buffer.from(String(entry.fileName)));
  if (entry.generalPurposeBitFlag & 0x800 || entry.extraFields.some((f) => f.id === 0x7075)) {
    return yauzlLow.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
  }
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch {
    name = iconv.decode(raw, 'gb18030');
  }
  return name.replace(/\\/g, '/');
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function verdict(entry: RawEntry, name: string, limits: ZipLimits, runningTotal: number): ZipEntryInfo['refusal'] {
  const mb = (n: number): string => `${(n / 1024 ** 2).toFixed(n < 1024 ** 2 ? 2 : 0)} MB`;
  // eslint-disable-next-line no-control-regex -- control characters in a name are exactly what is refused
  if (/^([a-zA-Z]:|\/|\/\/)/.test(name) || /[\u0000-\u001f]/.test(name))
    return { code: 'zip_unsafe_path', message: `压缩包条目使用了绝对路径或非法字符（${name.slice(0, 120)}），已拒绝` };
  if (name.split('/').includes('..'))
    return { code: 'zip_unsafe_path', message: `压缩包条目路径含“..”，可能写到解压目录之外（${name.slice(0, 120)}），已拒绝` };
  const madeByUnix = entry.versionMadeBy >> 8 === 3;
  if (madeByUnix && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK)
    return { code: 'zip_symlink', message: '压缩包条目是符号链接（可能指向本机其他文件），已拒绝' };
  if (entry.isEncrypted()) return { code: 'zip_encrypted', message: '压缩包条目已加密，请解密后重新打包' };
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    return {
      code: 'zip_damaged',
      message: `压缩包条目使用了不支持的压缩方式（${entry.compressionMethod}），请用“存储”或“标准（Deflate）”方式重新打包`,
    };
  if (entry.uncompressedSize > limits.maxEntryBytes)
    return { code: 'zip_bomb', message: `解压后 ${mb(entry.uncompressedSize)}，超过单个文件 ${mb(limits.maxEntryBytes)} 的上限` };
  if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize > entry.compressedSize * limits.maxRatio)
    return {
      code: 'zip_bomb',
      message: `压缩比异常（${mb(entry.compressedSize)} 解压为 ${mb(entry.uncompressedSize)}，超过 ${limits.maxRatio} 倍），疑似压缩炸弹，已拒绝`,
    };
  if (runningTotal + entry.uncompressedSize > limits.maxTotalBytes)
    return { code: 'zip_bomb', message: `压缩包解压总量超过 ${mb(limits.maxTotalBytes)} 的上限，其余条目未解压` };
  return null;
}

const openZip = (file: string): Promise<yauzl.ZipFile> =>
  new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    ),
  );

const damaged = (err: unknown): AppError =>
  err instanceof AppError
    ? err
    : new AppError('damaged_file', `压缩包已损坏：${libraryErrorText(err)}。请重新复制或重新打包后再导入。`, { reason: 'zip_damaged' });

/**
 * Walks the central directory. `onEntry` may return a promise (e.g. extract the entry) and is awaited
 * before the next entry is read, so extraction happens one entry at a time in archive order.
 */
export async function walkZip(
  file: string,
  limits: ZipLimits,
  onEntry: (info: ZipEntryInfo, open: () => Promise<NodeJS.ReadableStream>) => Promise<void> | void,
): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (err) {
    throw damaged(err);
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      throw new AppError('too_large', `压缩包有 ${zip.entryCount} 个条目，超过 ${limits.maxEntries} 个的上限`, { reason: 'zip_bomb' });
    let index = 0;
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (err) => reject(damaged(err)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: RawEntry) => {
        const name = entryName(entry);
        const directory = name.endsWith('/');
        const refusal = directory ? null : verdict(entry, name, limits, total);
        if (!directory && !refusal) total += entry.uncompressedSize;
        const info: ZipEntryInfo = {
          index: index++,
          name,
          size: entry.uncompressedSize,
          compressedSize: entry.compressedSize,
          directory,
          refusal,
        };
        const open = (): Promise<NodeJS.ReadableStream> =>
          new Promise((res, rej) => zip.openReadStream(entry, (err, stream) => (err ? rej(damaged(err)) : res(stream))));
        Promise.resolve(onEntry(info, open)).then(
          () => zip.readEntry(),
          (err: unknown) => reject(err),
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

export async function listZip(file: string, limits: ZipLimits): Promise<ZipEntryInfo[]> {
  const entries: ZipEntryInfo[] = [];
  await walkZip(file, limits, (info) => void entries.push(info));
  return entries;
}

/**
 * Writes an entry's bytes to `target`, stopping (and deleting) past `maxBytes` or when cancelled.
 * `onChunk` sees every byte on the way (work packages hash entries with SM3 as they come out).
 */
export async function extractTo(
  stream: NodeJS.ReadableStream,
  target: string,
  maxBytes: number,
  signal?: AbortSignal,
  onChunk?: (chunk: Buffer) => void,
): Promise<number> {
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes)
        return done(
          new AppError('too_large', `解压出的数据超过声明大小或 ${Math.round(maxBytes / 1024 ** 2)} MB 上限，疑似压缩炸弹，已中止`, {
            reason: 'zip_bomb',
          }),
        );
      onChunk?.(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, meter, fs.createWriteStream(target, { flags: 'wx' }), signal ? { signal } : {});
    return size;
  } catch (err) {
    await fs.promises.rm(target, { force: true });
    if (err instanceof AppError) throw err;
    if ((err as Error).name === 'AbortError') throw new AppError('cancelled', undefined, { reason: 'cancelled' });
    // A full disk or an unwritable folder is said as such (the import stops on it), not as a broken zip.
    const fault = storageFault(err, path.dirname(target));
    if (fault) throw fault;
    const message = (err as Error).message;
    if (/too many bytes|too few bytes|invalid|unexpected end|incorrect header/i.test(message))
      throw new AppError('damaged_file', `压缩条目数据已损坏或与声明大小不符（${libraryErrorText(err)}）`, {
        reason: /too many/.test(message) ? 'zip_bomb' : 'zip_damaged',
      });
    throw new AppError('io_error', `解压失败：${libraryErrorText(err)}`, { reason: 'unreadable' });
  }
}
