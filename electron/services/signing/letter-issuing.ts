/**
 * Issuing letters (签发): draft → checked → issued. 核对定稿 freezes the content the letters service
 * composes now (with its 文号); 签发 takes the issuer's and co-signers' passwords, renders the DOCX
 * and the PDF rendition of exactly that content, and hands them to the DocumentIssuer, which signs,
 * stores and registers them in one transaction with the letter becoming "issued". An issued letter
 * never changes (triggers refuse it); a correction is the unit's next letter, which supersedes it.
 */
import type { ChannelOutput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/core/errors.js';
import { GongwenDocSchema, LETTER_KIND_LABELS, type LetterKind } from '../../../shared/letters/document.js';
import type { LetterIssueState, ReservedNumber } from '../../../shared/signing/api.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { DOCX_MIME } from '../core/downloads.js';
import { safeFileName } from '../core/fs-atomic.js';
import type { LettersService } from '../letters/index.js';
import { PDF_MIME } from '../letters/index.js';
import type { Signing } from './index.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { signingRepo, type LetterRow, type SigningRepo } from './repo.js';

export class LetterIssuing {
  private readonly repo: SigningRepo;

  constructor(
    private readonly db: Db,
    private readonly letters: LettersService,
    private readonly signing: Signing,
    private readonly events: EventHub,
  ) {
    this.repo = signingRepo(db);
  }

  private row(letterId: string): LetterRow {
    const row = this.repo.letter(letterId);
    if (!row) throw new AppError('not_found', '文书不存在。');
    return row;
  }

  state(campaignId: string, kind: LetterKind, unitId: string | null): LetterIssueState {
    const rows = this.repo.lettersOf(campaignId, kind, unitId);
    const open = rows.find((r) => r.status !== 'issued');
    const doc = open?.checked_content_json
      ? parseJsonColumn(GongwenDocSchema, open.checked_content_json, `文书 ${open.id} 的定稿内容`)
      : null;
    return {
      open: open
        ? {
            id: open.id,
            status: open.status === 'checked' ? 'checked' : 'draft',
            documentNumber: open.document_number,
            date: doc?.signature.date ?? null,
            checkedAt: open.checked_at,
            checkedBy: open.checked_by_name,
          }
        : null,
      issued: rows
        .filter((r) => r.status === 'issued' && r.signed_document_id)
        .map((r) => ({
          ...this.signing.register.entry(this.signing.register.get(r.signed_document_id!)!),
          letterId: r.id,
          issuedBy: r.issued_by_name,
        })),
    };
  }

  private stateOf(row: Pick<LetterRow, 'campaign_id' | 'kind' | 'unit_id'>): LetterIssueState {
    return this.state(row.campaign_id, row.kind, row.unit_id);
  }

  private changed(campaignId: string, id: string): void {
    this.events.emit('data:changed', { entity: 'letter', id, campaignId });
  }

  /** 核对定稿: the content as the letters service composes it now is frozen for issuing. */
  async check(input: Parameters<Handlers['letter:check']>[0], ctx: CallContext): Promise<LetterIssueState> {
    const actor = requireActor(ctx);
    // A signed letter is final: it may quote only settled results (ResultsService, after reconciliation), never a provisional score.
    const prepared = this.letters.prepare({ ...input, includeProvisional: false }, actor.id, 'issue');
    const row = this.row(prepared.letter.id);
    if (row.status === 'checked') throw new AppError('conflict', `该${LETTER_KIND_LABELS[row.kind]}已核对定稿；如需修改，请先“退回修改”。`);
    // A character the PDF rendition cannot print is found now, not at the signing table.
    await this.signing.renditions.check(prepared.doc);
    tx(this.db, () => {
      if (!this.repo.checkLetter(row.id, actor.id, prepared.doc, nowIso()))
        throw new AppError('conflict', '文书状态已被其他操作改变，请刷新后重试。');
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'letter.check',
        entity: 'letter',
        entityId: row.id,
        campaignId: row.campaign_id,
        after: { kind: row.kind, unitId: row.unit_id, documentNumber: prepared.doc.head.documentNumber, date: prepared.doc.signature.date },
      });
    });
    this.changed(row.campaign_id, row.id);
    return this.stateOf(row);
  }

  reopen(letterId: string, ctx: CallContext): LetterIssueState {
    const actor = requireActor(ctx);
    const row = this.row(letterId);
    if (row.status === 'issued') throw new AppError('locked', '该文书已签发，不能退回修改。如需更正，请重新核对定稿并签发更正文书。');
    if (row.status !== 'checked') throw new AppError('conflict', '该文书尚未核对定稿。');
    tx(this.db, () => {
      this.repo.reopenLetter(letterId, nowIso());
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'letter.reopen',
        entity: 'letter',
        entityId: letterId,
        campaignId: row.campaign_id,
      });
    });
    this.changed(row.campaign_id, letterId);
    return this.stateOf(row);
  }

  async issue(input: Parameters<Handlers['letter:issue']>[0], ctx: CallContext): Promise<LetterIssueState> {
    const actor = requireActor(ctx);
    const row = this.row(input.letterId);
    if (row.status === 'issued') throw new AppError('locked', `该${LETTER_KIND_LABELS[row.kind]}已于签发时冻结，不能再次签发或修改。`);
    if (row.status !== 'checked' || !row.checked_content_json) throw new AppError('conflict', '请先“核对定稿”，再签发。');
    const doc = parseJsonColumn(GongwenDocSchema, row.checked_content_json, `文书 ${input.letterId} 的定稿内容`);
    if (doc.head.documentNumber !== row.document_number)
      throw new AppError('conflict', '文号在核对后发生了变化，请“退回修改”后重新核对定稿。');
    // The unit's letter issued before (not yet superseded) is what this one corrects.
    const previous = this.repo.issuedBefore(row.campaign_id, row.kind, row.unit_id);
    const note = input.correctionNote?.trim() ?? '';
    if (previous && note.length < 2)
      throw new AppError(
        'invalid_input',
        `本单位已签发过${LETTER_KIND_LABELS[row.kind]}（${previous.document_number ?? '无文号'}），本次签发将作为更正文书取代它：请填写更正说明。`,
        { path: 'correctionNote' },
      );
    const cosigners = input.cosigners;
    const unitName = doc.addressee;
    const fileBase = safeFileName(
      `${LETTER_KIND_LABELS[row.kind]}-${unitName ?? doc.title}${doc.head.documentNumber ? `-${doc.head.documentNumber}` : ''}`,
      100,
    );
    await this.signing.issuer.issue({
      kind: 'letter',
      documentId: row.id,
      subjectId: row.id,
      title: doc.title,
      documentNumber: doc.head.documentNumber,
      unitName,
      date: doc.signature.date,
      content: doc,
      contentName: `${fileBase}.json`,
      render: async (r) => {
        const charts = await this.letters.chartImages(doc);
        // The Word stamping (QR code, zip rewriting) is loaded when a letter is issued, not at start-up.
        const { docxVerification, stampDocx } = await import('./docx-stamp.js');
        const docx = await stampDocx(
          await this.letters.docxBytes(doc, await docxVerification(r)),
          { documentId: r.documentId, shortCode: r.shortCode, payload: r.payload },
          new Date(r.issuedAt),
        );
        const pdf = await this.signing.renditions.render(doc, {
          charts,
          verification: { payload: r.payload, shortCode: r.shortCode },
          seal: r.seal,
          documentId: r.documentId,
          createdAt: r.issuedAt,
        });
        return {
          outputs: [
            { role: 'docx', name: `${fileBase}.docx`, mediaType: DOCX_MIME, bytes: docx },
            { role: 'pdf', name: `${fileBase}.pdf`, mediaType: PDF_MIME, bytes: pdf.bytes },
          ],
          rendition: { pages: pdf.pages, seal: pdf.seal },
        };
      },
      issuerId: actor.id,
      issuerPassword: input.password,
      cosigners,
      source: ctx.clientId,
      useSeal: input.useSeal,
      supersedes: previous?.signed_document_id ?? null,
      actorId: actor.id,
      campaignId: row.campaign_id,
      freeze: (db, entry) => {
        const issued = this.repo.issueLetter(row.id, {
          by: actor.id,
          at: entry.issuedAt,
          documentId: entry.documentId,
          supersedes: previous?.id ?? null,
        });
        if (!issued) throw new AppError('conflict', '文书状态已被其他操作改变，请刷新后重试。');
        writeAudit(db, {
          actorId: actor.id,
          action: 'letter.issue',
          entity: 'letter',
          entityId: row.id,
          campaignId: row.campaign_id,
          after: {
            documentNumber: doc.head.documentNumber,
            shortCode: entry.shortCode,
            cosigners: cosigners.map((c) => c.userId),
            supersedes: previous?.id ?? null,
            correctionNote: note || null,
          },
        });
      },
    });
    this.changed(row.campaign_id, row.id);
    return this.stateOf(row);
  }

  /** 已编号，待签发: numbers letters hold before signing, so the register shows them as taken. */
  reserved(): ReservedNumber[] {
    return this.repo.reservedNumbers().map((r) => ({
      letterId: r.id,
      campaignId: r.campaign_id,
      campaignName: r.campaign_name,
      kind: r.kind,
      documentNumber: r.document_number,
      unitName: r.unit_name,
      status: r.status,
      date: r.checked_content_json
        ? parseJsonColumn(GongwenDocSchema, r.checked_content_json, `文书 ${r.id} 的定稿内容`).signature.date
        : null,
      updatedAt: r.updated_at,
    }));
  }

  /** People who can sign now: an active key, trusted here, within its validity. */
  holders(): ChannelOutput<'key:holders'> {
    return this.repo.holders(nowIso());
  }

  handlers(): Pick<
    Handlers,
    'key:holders' | 'letter:issueState' | 'letter:check' | 'letter:reopen' | 'letter:issue' | 'register:reserved'
  > {
    return {
      'register:reserved': () => this.reserved(),
      'key:holders': () => this.holders(),
      'letter:issueState': ({ campaignId, kind, unitId }) => this.state(campaignId, kind, kind === 'bulletin' ? null : (unitId ?? null)),
      'letter:check': (input, ctx) => this.check(input, ctx),
      'letter:reopen': ({ letterId }, ctx) => this.reopen(letterId, ctx),
      'letter:issue': (input, ctx) => this.issue(input, ctx),
    };
  }
}
