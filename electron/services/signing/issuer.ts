/**
 * Issuing (签发) a document: the issuer and co-signers unlock their keys with their passwords, the
 * frozen content is digested and the printed statement signed, the outputs are rendered with that
 * statement on them, every output is digested, the manifest is signed by all, the bytes go into the
 * blob store, and ONE transaction writes the register entry together with the caller's own change
 * (the letter becoming "issued"). Nothing is written before every signature exists; a failure leaves
 * at most unreferenced blobs behind.
 */
import { canonicalJson } from '../../../shared/signing/canonical.js';
import { AppError } from '../../../shared/core/errors.js';
import type { RegisterEntry } from '../../../shared/signing/api.js';
import { MANIFEST_FORMAT, type ManifestBody, type SignerRole } from '../../../shared/signing/manifest.js';
import { encodePayload, shortCodeFrom, type Statement } from '../../../shared/signing/statement.js';
import { writeAudit } from '../core/audit.js';
import { nowIso } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { SealAnchor } from '../letters/index.js';
import type { BlobStore } from '../core/blob-store.js';
import type { KeysService } from './keys.js';
import type { Register } from './register.js';
import type { SealImages } from './seal.js';
import { checkManifest, describeFiles, signManifest, signStatement, type Signer } from './signer.js';
import { sm3Hex } from './sm2.js';
import type { TrustList } from './trust.js';
import { signingRepo } from './repo.js';

export const CONTENT_MIME = 'application/json';

export interface Output {
  role: string;
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** What the caller renders once the statement exists (the PDF prints it; the DOCX carries it). */
export interface RenderContext {
  documentId: string;
  payload: string;
  shortCode: string;
  /** The seal image to place, when the issuer asked for it. */
  seal: Uint8Array | null;
  issuedAt: string;
}

export interface IssueRequest {
  kind: string;
  documentId: string;
  subjectId: string | null;
  title: string;
  documentNumber: string | null;
  unitName: string | null;
  /** 成文日期, YYYY-MM-DD. */
  date: string;
  /** The frozen content model (plain JSON); its canonical form is the 'content' output. */
  content: unknown;
  contentName: string;
  render(ctx: RenderContext): Promise<{ outputs: Output[]; rendition: { pages: number; seal: SealAnchor } | null }>;
  issuerId: string;
  issuerPassword: string;
  cosigners: Array<{ userId: string; password: string }>;
  /** The window the passwords were typed at: wrong ones count toward that source's lock-out. */
  source: string;
  useSeal: boolean;
  supersedes: string | null;
  actorId: string;
  /** The campaign the document belongs to (a letter's), so its 留痕 rows are found under it. */
  campaignId?: string | null;
  /** The caller's change, in the same transaction as the register entry (e.g. the letter becomes issued). */
  freeze(db: Db, entry: { documentId: string; issuedAt: string; shortCode: string }): void;
}

export interface IssueResult {
  entry: RegisterEntry;
  outputs: Output[];
  payload: string;
  shortCode: string;
}

export class DocumentIssuer {
  constructor(
    private readonly db: Db,
    private readonly keys: KeysService,
    private readonly trust: TrustList,
    private readonly register: Register,
    private readonly seal: SealImages,
    private readonly store: BlobStore,
  ) {}

  private async unlockAll(req: IssueRequest, at: string): Promise<Array<{ signer: Signer; role: SignerRole; userId: string }>> {
    const ids = [req.issuerId, ...req.cosigners.map((c) => c.userId)];
    if (new Set(ids).size !== ids.length) throw new AppError('invalid_input', '签发人和会签人不能重复。');
    const issuer = await this.keys.unlock(req.issuerId, req.issuerPassword, at, req.source);
    const cosigners = [];
    for (const c of req.cosigners)
      cosigners.push({ signer: await this.keys.unlock(c.userId, c.password, at, req.source), role: 'cosigner' as const, userId: c.userId });
    return [{ signer: issuer, role: 'issuer', userId: req.issuerId }, ...cosigners];
  }

  async issue(req: IssueRequest): Promise<IssueResult> {
    const issuedAt = nowIso();
    const signers = await this.unlockAll(req, issuedAt);
    const issuer = signers[0]!.signer;

    const contentBytes = Buffer.from(canonicalJson(req.content), 'utf8');
    const statement: Statement = {
      v: 1,
      id: req.documentId,
      date: req.date,
      documentNumber: req.documentNumber,
      content: sm3Hex(contentBytes),
      signer: issuer.fingerprint,
    };
    const statementSignature = signStatement(statement, issuer);
    const payload = encodePayload(statement, statementSignature);
    const shortCode = shortCodeFrom(sm3Hex(payload));
    if (this.register.byShortCode(shortCode)) throw new AppError('conflict', '核验码重复，请重试签发。');

    const seal = req.useSeal ? await this.seal.forUse() : null;
    const rendered = await req.render({ documentId: req.documentId, payload, shortCode, seal: seal?.png ?? null, issuedAt });
    const outputs: Output[] = [
      { role: 'content', name: req.contentName, mediaType: CONTENT_MIME, bytes: contentBytes },
      ...rendered.outputs,
    ];

    const body: ManifestBody = {
      format: MANIFEST_FORMAT,
      kind: req.kind,
      id: req.documentId,
      issuedAt,
      subject: { title: req.title, documentNumber: req.documentNumber, unitName: req.unitName, date: req.date },
      files: describeFiles(outputs),
      statement: { body: statement, signature: statementSignature },
      supersedes: req.supersedes,
      rendition: rendered.rendition,
    };
    const signed = signManifest(
      body,
      signers.map(({ signer, role }) => ({ signer, role })),
      issuedAt,
    );
    // Every signature must count here before anything is recorded (e.g. a co-signer's key revoked meanwhile).
    const problems = checkManifest(signed, this.trust.lookup).filter((c) => c.problem);
    if (problems.length) throw new AppError('locked', `签名未通过本机核验：${problems.map((p) => `${p.name}：${p.problem}`).join('；')}`);

    const blobs: Record<string, string> = {};
    for (const o of outputs) {
      try {
        blobs[o.role] = (await this.store.putBuffer(o.bytes)).sha256;
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError('io_error', `保存签发文件失败：${(err as Error).message}`);
      }
    }

    tx(this.db, () => {
      const repo = signingRepo(this.db);
      for (const o of outputs) repo.recordBlob(blobs[o.role]!, o.bytes.length, issuedAt);
      if (req.supersedes) {
        const old = this.register.get(req.supersedes);
        if (!old) throw new AppError('not_found', '要更正的原文书不在签发登记簿中。');
        if (old.superseded_by) throw new AppError('conflict', '原文书已被另一份更正文书取代。');
      }
      this.register.record({
        signed,
        blobs,
        subjectId: req.subjectId,
        title: req.title,
        documentNumber: req.documentNumber,
        unitName: req.unitName,
        shortCode,
        payload,
        createdBy: req.actorId,
      });
      if (seal) this.seal.recordUse(seal.id, req.actorId, req.documentId, req.campaignId ?? null);
      req.freeze(this.db, { documentId: req.documentId, issuedAt, shortCode });
      writeAudit(this.db, {
        actorId: req.actorId,
        action: 'document.issue',
        entity: 'signedDocument',
        entityId: req.documentId,
        campaignId: req.campaignId ?? null,
        after: {
          kind: req.kind,
          documentNumber: req.documentNumber,
          signers: signers.map((s) => ({ role: s.role, userId: s.userId, fingerprint: s.signer.fingerprint })),
          files: body.files.map((f) => ({ role: f.role, sm3: f.sm3 })),
          seal: !!seal,
          supersedes: req.supersedes,
        },
      });
    });
    return { entry: this.register.entry(this.register.get(req.documentId)!), outputs, payload, shortCode };
  }
}
