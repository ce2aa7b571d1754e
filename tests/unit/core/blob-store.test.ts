import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../electron/services/core/blob-store.js';
import { tempDir } from '../../support/temp.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

describe('content-addressed store', () => {
  it('stores by sha256, dedupes, and verifies', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = new BlobStore(path.join(t.dir, 'files'));
    const bytes = Buffer.from('%PDF-1.7 测试内容');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const a = await store.putBuffer(bytes);
    const b = await store.putBuffer(bytes);
    expect(a).toEqual({ sha256: sha, size: bytes.length });
    expect(b).toEqual(a);
    expect(store.pathOf(sha)).toBe(path.join(t.dir, 'files', sha.slice(0, 2), sha));
    expect(fs.readFileSync(store.pathOf(sha)).equals(bytes)).toBe(true);
    expect(await store.verify(sha)).toBe(true);
    expect(fs.readdirSync(path.join(t.dir, 'files', '.tmp'))).toEqual([]);
  });

  it('sweeps scratch files a crashed run left behind a day ago, and keeps recent ones', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const scratch = path.join(t.dir, 'files', '.tmp');
    fs.mkdirSync(scratch, { recursive: true });
    fs.writeFileSync(path.join(scratch, 'left-by-a-crash'), 'half a PDF');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    fs.utimesSync(path.join(scratch, 'left-by-a-crash'), twoDaysAgo, twoDaysAgo);
    fs.writeFileSync(path.join(scratch, 'being-written'), 'still arriving');
    new BlobStore(path.join(t.dir, 'files'));
    expect(fs.readdirSync(scratch)).toEqual(['being-written']);
  });

  it('adopts a staged file by renaming it, without a copy left behind', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = new BlobStore(path.join(t.dir, 'files'));
    const src = path.join(t.dir, 'upload.bin');
    fs.writeFileSync(src, 'abc');
    const blob = await store.adoptFile(src);
    expect(fs.existsSync(src)).toBe(false);
    expect(store.has(blob.sha256)).toBe(true);
  });

  it('leaves nothing behind when a stream exceeds the limit or fails', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = new BlobStore(path.join(t.dir, 'files'));
    await expect(store.putStream(Readable.from([Buffer.alloc(1024), Buffer.alloc(1024)]), { maxBytes: 1500 })).rejects.toMatchObject({
      code: 'too_large',
    });
    const failing = new Readable({
      read() {
        this.destroy(new Error('USB stick pulled out'));
      },
    });
    await expect(store.putStream(failing)).rejects.toMatchObject({ code: 'io_error' });
    expect(fs.readdirSync(path.join(t.dir, 'files', '.tmp'))).toEqual([]);
    expect(fs.readdirSync(path.join(t.dir, 'files')).filter((f) => f !== '.tmp')).toEqual([]);
  });

  it('refuses an id that is not a sha256 (no path tricks)', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = new BlobStore(path.join(t.dir, 'files'));
    expect(() => store.pathOf('../../etc/passwd')).toThrow();
  });

  it('detects a stored file that was altered', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = new BlobStore(path.join(t.dir, 'files'));
    const { sha256 } = await store.putBuffer(Buffer.from('original'));
    const file = store.pathOf(sha256);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, 'tampered');
    expect(await store.verify(sha256)).toBe(false);
  });
});
