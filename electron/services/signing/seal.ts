/**
 * The bureau's seal image: a transparent PNG an organiser loads, which an issuer may choose to place
 * over 署名 and date in the PDF rendition (off by default; every use audited). It is a picture for
 * printing, not an electronic seal (GB/T 38540): a letter that shows it says so.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { AppError } from '../../../shared/core/errors.js';
import type { SealStatus } from '../../../shared/signing/api.js';
import { writeAudit } from '../core/audit.js';
import type { Staging } from '../core/bytes.js';
import { nowIso, requireActor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { BlobStore } from '../core/blob-store.js';
import { takeStaged } from './staged.js';
import { signingRepo, type SealRow, type SigningRepo } from './repo.js';

const MAX_SEAL_BYTES = 2 * 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngFacts {
  width: number;
  height: number;
  /** Colour type 4/6 (with alpha) or a tRNS chunk. */
  transparent: boolean;
}

/** Reads a PNG's header chunks; null when the bytes are not a PNG. */
export function pngFacts(bytes: Uint8Array): PngFacts | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 33 || !b.subarray(0, 8).equals(PNG_SIGNATURE) || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  const colourType = b[25]!;
  let transparent = colourType === 4 || colourType === 6;
  for (let at = 8; !transparent && at + 8 <= b.length;) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (type === 'tRNS') transparent = true;
    if (type === 'IDAT' || type === 'IEND') break;
    at += 12 + length;
  }
  return { width, height, transparent };
}

export class SealImages {
  private readonly repo: SigningRepo;

  constructor(
    private readonly db: Db,
    private readonly store: BlobStore,
  ) {
    this.repo = signingRepo(db);
  }

  private current(): SealRow | null {
    return this.repo.currentSeal();
  }

  status(): SealStatus {
    const row = this.current();
    const uses = this.repo.sealUses();
    if (!row)
      return {
        present: false,
        fileName: null,
        widthPx: null,
        heightPx: null,
        uploadedAt: null,
        uploadedBy: null,
        preview: null,
        useCount: uses,
      };
    const png = fs.readFileSync(this.store.pathOf(row.sha256));
    return {
      present: true,
      fileName: row.file_name,
      widthPx: row.width_px,
      heightPx: row.height_px,
      uploadedAt: row.uploaded_at,
      uploadedBy: row.uploaded_by_name,
      preview: `data:image/png;base64,${png.toString('base64')}`,
      useCount: uses,
    };
  }

  /** The current seal's PNG bytes for one use, or an error when there is none. */
  async forUse(): Promise<{ id: string; png: Uint8Array }> {
    const row = this.current();
    if (!row) throw new AppError('not_found', '本工作站还没有载入印章图像，请由组织者在“签名与信任”页载入，或不使用印章图像。');
    if (!(await this.store.verify(row.sha256))) throw new AppError('damaged_file', '印章图像文件已损坏或被改动，请重新载入。');
    return { id: row.id, png: await fsp.readFile(this.store.pathOf(row.sha256)) };
  }

  /** Audits one use (inside the issuing transaction). */
  recordUse(sealId: string, actorId: string, documentId: string, campaignId: string | null = null): void {
    writeAudit(this.db, { actorId, action: 'seal.use', entity: 'sealImage', entityId: sealId, campaignId, after: { documentId } });
  }

  async upload(bytes: Uint8Array, fileName: string, ctx: CallContext): Promise<SealStatus> {
    const actor = requireActor(ctx);
    if (bytes.length > MAX_SEAL_BYTES) throw new AppError('too_large', '印章图像不能超过 2 MB。');
    const facts = pngFacts(bytes);
    if (!facts) throw new AppError('unsupported_file', '印章图像须为 PNG 文件。');
    if (!facts.transparent) throw new AppError('unsupported_file', '印章图像须为透明背景的 PNG（带 Alpha 通道），否则会遮住署名和日期。');
    if (facts.width < 100 || facts.height < 100 || facts.width > 4000 || facts.height > 4000)
      throw new AppError('unsupported_file', `印章图像尺寸应在 100–4000 像素之间（当前 ${facts.width}×${facts.height}）。`);
    try {
      const { PDFDocument } = await import('pdf-lib');
      await (await PDFDocument.create()).embedPng(bytes);
    } catch {
      throw new AppError('damaged_file', '印章图像已损坏，无法读取。');
    }
    const blob = await this.store.putBuffer(bytes);
    const now = nowIso();
    tx(this.db, () => {
      this.repo.recordBlob(blob.sha256, blob.size, now);
      const before = this.current();
      if (before) this.repo.removeSeal(before.id, now);
      const id = randomUUID();
      this.repo.insertSeal({ id, sha256: blob.sha256, fileName, width: facts.width, height: facts.height, by: actor.id, at: now });
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'seal.upload',
        entity: 'sealImage',
        entityId: id,
        before: before ? { id: before.id, sha256: before.sha256 } : null,
        after: { sha256: blob.sha256, fileName },
      });
    });
    return this.status();
  }

  remove(ctx: CallContext): SealStatus {
    const actor = requireActor(ctx);
    tx(this.db, () => {
      const row = this.current();
      if (!row) throw new AppError('not_found', '当前没有印章图像。');
      this.repo.removeSeal(row.id, nowIso());
      writeAudit(this.db, { actorId: actor.id, action: 'seal.remove', entity: 'sealImage', entityId: row.id });
    });
    return this.status();
  }

  handlers(staging: Staging): Pick<Handlers, 'seal:status' | 'seal:upload' | 'seal:remove'> {
    return {
      'seal:status': () => this.status(),
      'seal:upload': async ({ sourceId }, ctx) => {
        const file = await takeStaged(staging, sourceId, requireActor(ctx).id, MAX_SEAL_BYTES, '印章图像不能超过 2 MB。');
        return this.upload(file.bytes, file.name, ctx);
      },
      'seal:remove': (_input, ctx) => this.remove(ctx),
    };
  }
}
