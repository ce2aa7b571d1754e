/**
 * The signing domain's channels beyond keys, trust and seal: the register of issued documents (list,
 * frozen outputs, signing manifests and the hand-off package for a certified 签章 tool) and
 * verification of uploaded files and scanned or typed codes.
 */
import fsp from 'node:fs/promises';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import type { Staging } from '../core/bytes.js';
import { requireActor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { ExportsService } from '../core/downloads.js';
import { safeFileName } from '../core/fs-atomic.js';
import type { BlobStore } from '../core/blob-store.js';
import { JSON_MIME } from './keys.js';
import type { Register } from './register.js';
import { takeStaged } from './staged.js';
import type { Verifier } from './verifier.js';
import { handoffPackage } from './handoff.js';
import { signingRepo } from './repo.js';

/** Files people verify are letters; a generous cap still stops someone verifying a disk image. */
export const MAX_VERIFY_BYTES = 512 * 1024 * 1024;

export class SigningService {
  constructor(
    private readonly db: Db,
    private readonly register: Register,
    private readonly verifier: Verifier,
    private readonly store: BlobStore,
    private readonly exportsService: ExportsService,
  ) {}

  /** The frozen bytes of one output, re-checked against the register before they are handed out. */
  async outputBytes(documentId: string, role: string): Promise<{ name: string; mediaType: string; bytes: Buffer }> {
    const file = this.register.files(documentId).find((f) => f.role === role);
    if (!file) throw new AppError('not_found', '签发登记簿中没有这个文件。');
    if (!(await this.store.verify(file.sha256)))
      throw new AppError('damaged_file', '签发文件在本机存储中已损坏或被改动，请从备份恢复数据文件夹。');
    return { name: file.file_name, mediaType: file.media_type, bytes: await fsp.readFile(this.store.pathOf(file.sha256)) };
  }

  async download(documentId: string, what: 'pdf' | 'docx' | 'manifest' | 'handoff', ctx: CallContext) {
    const actor = requireActor(ctx);
    const row = this.register.get(documentId);
    if (!row) throw new AppError('not_found', '签发登记簿中没有这份文书。');
    const base = safeFileName(`${row.title}${row.document_number ? `-${row.document_number}` : ''}`, 100);
    // A letter's download belongs to the letter's campaign in the trail.
    const campaignId = signingRepo(this.db).campaignOfIssued(documentId) ?? undefined;
    let out: { fileName: string; url: string; bytes: number };
    if (what === 'pdf' || what === 'docx') {
      const file = await this.outputBytes(documentId, what);
      out = await this.exportsService.register(`issued-${what}`, file.name, file.bytes, file.mediaType, ctx, campaignId);
    } else if (what === 'manifest') {
      const bytes = Buffer.from(`${JSON.stringify(this.register.manifest(row), null, 2)}\n`, 'utf8');
      out = await this.exportsService.register('issued-manifest', `${base}.manifest.json`, bytes, JSON_MIME, ctx, campaignId);
    } else {
      const pdf = await this.outputBytes(documentId, 'pdf');
      const zip = await handoffPackage(this.register.manifest(row), row, pdf);
      out = await this.exportsService.register('issued-handoff', `${base}-交付签章.zip`, zip, 'application/zip', ctx, campaignId);
    }
    tx(this.db, () =>
      writeAudit(this.db, {
        actorId: actor.id,
        action: `register.download`,
        entity: 'signedDocument',
        entityId: documentId,
        campaignId: campaignId ?? null,
        after: { what },
      }),
    );
    return { fileName: out.fileName, url: out.url, bytes: out.bytes };
  }

  handlers(staging: Staging): Pick<Handlers, 'register:list' | 'register:download' | 'verify:file' | 'verify:text'> {
    return {
      'register:list': () => this.register.list(),
      'register:download': ({ issuedId, what }, ctx) => this.download(issuedId, what, ctx),
      'verify:file': async ({ sourceId, manifestSourceId }, ctx) => {
        const actor = requireActor(ctx);
        const file = await takeStaged(staging, sourceId, actor.id, MAX_VERIFY_BYTES, '文件过大（超过 512 MB），不是签发的文书。');
        const manifest = manifestSourceId
          ? await takeStaged(staging, manifestSourceId, actor.id, 1024 * 1024, '签名清单过大，不是评查工作站的签名清单。')
          : null;
        return this.verifier.verifyFile(file.name, file.bytes, manifest?.bytes);
      },
      'verify:text': ({ text }) => this.verifier.verifyText(text),
    };
  }
}
