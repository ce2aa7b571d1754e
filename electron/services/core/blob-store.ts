/**
 * Content-addressed store for imported files: `files/ab/abcdef…` named by sha256. Bytes are written to
 * a temp name, fsynced and renamed, so a file under its final name is always complete. Originals are
 * never modified; `verify` re-hashes when evidence matters (export, signing).
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { AppError } from '../../../shared/core/errors.js';
import { libraryErrorText } from './library-errors.js';

export interface StoredBlob {
  sha256: string;
  size: number;
}

const SHA256_RE = /^[0-9a-f]{64}$/;

/**
 * Scratch files written before this process started are leftovers of a run that ended mid-write (a
 * crash, a power cut): swept when the store opens. Anything younger belongs to a write of this run.
 */
export const PROCESS_STARTED_MS = Date.now() - process.uptime() * 1000;

export class BlobStore {
  readonly root: string;
  private readonly tmpDir: string;

  constructor(root: string) {
    this.root = root;
    this.tmpDir = path.join(root, '.tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
    this.sweepScratch(PROCESS_STARTED_MS);
  }

  /** Removes scratch files last written before `before` (ms); a file that cannot be removed stays. */
  private sweepScratch(before: number): void {
    for (const name of fs.readdirSync(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      try {
        if (fs.statSync(file).mtimeMs < before) fs.rmSync(file, { recursive: true, force: true });
      } catch {
        // Gone meanwhile, or locked (Windows): the next start tries again.
      }
    }
  }

  pathOf(sha256: string): string {
    if (!SHA256_RE.test(sha256)) throw new AppError('invalid_input', '文件摘要格式不正确。');
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  /** Streams bytes into the store, hashing as they pass; aborts (and leaves nothing) past `maxBytes`. */
  async putStream(source: Readable, options: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<StoredBlob> {
    const tmp = path.join(this.tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) return done(new AppError('too_large', '文件超过允许的大小。'));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      const out = fs.createWriteStream(tmp, { flags: 'wx' });
      await pipeline(source, meter, out, options.signal ? { signal: options.signal } : {});
      return await this.adopt(tmp, hash.digest('hex'), size);
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      if (err instanceof AppError) throw err;
      if ((err as Error).name === 'AbortError') throw new AppError('cancelled');
      throw new AppError('io_error', `写入文件库失败：${libraryErrorText(err)}`);
    }
  }

  async putFile(srcPath: string, options: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<StoredBlob> {
    return this.putStream(fs.createReadStream(srcPath), options);
  }

  /**
   * Takes ownership of a file already on this disk (a staged upload): hashes it in place and renames it
   * into the store, so a large import is read once and never copied.
   */
  async adoptFile(srcPath: string): Promise<StoredBlob> {
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of fs.createReadStream(srcPath)) {
        size += (chunk as Buffer).length;
        hash.update(chunk as Buffer);
      }
    } catch (err) {
      throw new AppError('io_error', `读取文件失败：${libraryErrorText(err)}`);
    }
    return this.adoptHashed(srcPath, hash.digest('hex'), size);
  }

  /** A fresh path in the store's scratch folder (same disk as the store, so adopting it is a rename). */
  tempPath(): string {
    return path.join(this.tmpDir, randomUUID());
  }

  /**
   * Takes ownership of a file whose sha256 the caller has just computed over these very bytes (the
   * import's worker hashes while it inspects, so a large batch is read once). The file must be private
   * to the caller (a staged upload or a scratch copy) so it cannot change between hash and rename.
   */
  async adoptHashed(srcPath: string, sha256: string, size: number): Promise<StoredBlob> {
    if (!SHA256_RE.test(sha256)) throw new AppError('invalid_input', '文件摘要格式不正确。');
    if (fs.existsSync(this.pathOf(sha256))) {
      await fsp.rm(srcPath, { force: true });
      this.touch(sha256);
      return { sha256, size };
    }
    const tmp = this.tempPath();
    try {
      await fsp.rename(srcPath, tmp);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw new AppError('io_error', `移动文件失败：${libraryErrorText(err)}`);
      await fsp.copyFile(srcPath, tmp);
      await fsp.rm(srcPath, { force: true });
    }
    return this.adopt(tmp, sha256, size);
  }

  async putBuffer(bytes: Uint8Array): Promise<StoredBlob> {
    const { Readable } = await import('node:stream');
    return this.putStream(Readable.from([Buffer.from(bytes)]));
  }

  /** Moves an already-hashed temp file to its final name (or drops it if the content is already stored). */
  private async adopt(tmp: string, sha256: string, size: number): Promise<StoredBlob> {
    const final = this.pathOf(sha256);
    if (fs.existsSync(final)) {
      await fsp.rm(tmp, { force: true });
      this.touch(sha256);
      return { sha256, size };
    }
    const fh = await fsp.open(tmp, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.mkdir(path.dirname(final), { recursive: true });
    await fsp.rename(tmp, final);
    await fsp.chmod(final, 0o444).catch(() => undefined);
    return { sha256, size };
  }

  /**
   * Marks an already-stored file as wanted by this run: the orphan sweep leaves files younger than the
   * process alone, so bytes about to be referenced again are not removed before their row commits.
   */
  private touch(sha256: string): void {
    const now = new Date();
    try {
      fs.utimesSync(this.pathOf(sha256), now, now);
    } catch {
      // Read-only medium: the sweep cannot remove it either.
    }
  }

  /** Re-hashes a stored file; false if it was altered or is missing. */
  async verify(sha256: string): Promise<boolean> {
    const file = this.pathOf(sha256);
    if (!fs.existsSync(file)) return false;
    const hash = createHash('sha256');
    await pipeline(fs.createReadStream(file), hash);
    return hash.digest('hex') === sha256;
  }
}
