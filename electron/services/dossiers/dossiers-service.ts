/** Cases (案卷), their units and documents; the single-PDF import of the walking skeleton. */
import path from 'node:path';
import type { Case, CaseDetail, DossierDocument } from '../../../shared/dossiers/dossier.js';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import type { ScoreSummary } from '../../../shared/scoring/sheet.js';
import { AppError } from '../../../shared/core/errors.js';
import type { ByteTickets, Staging } from '../core/bytes.js';
import { requireActor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { inspectPdf } from '../core/pdf/inspect.js';
import type { PdfInspectPool } from '../core/pdf/inspect-pool.js';
import type { BlobStore } from '../core/blob-store.js';
import { addDocument, registerCase, requireOpenCampaign } from './register.js';

export interface CaseRow {
  id: string;
  campaign_id: string;
  unit_id: string;
  unit_name: string;
  case_number: string;
  title: string;
  case_type: CaseType;
  cause: string;
  party: string;
  enforcement_body: string;
  filed_on: string | null;
  closed_on: string | null;
  decision: string;
  penalty_amount: number | null;
  confiscated_amount: number | null;
  penalty_text: string;
  handler: string;
  external_code: string;
  document_count: number;
  page_count: number;
  created_at: string;
}

interface DocumentRow {
  id: string;
  case_id: string;
  sha256: string;
  file_name: string;
  title: string;
  size: number;
  page_count: number;
  has_text: number;
  position: number;
  created_at: string;
}

export const CASE_SELECT = `SELECT c.*, u.name AS unit_name,
    (SELECT count(*) FROM documents d WHERE d.case_id = c.id) AS document_count,
    (SELECT coalesce(sum(d.page_count), 0) FROM documents d WHERE d.case_id = c.id) AS page_count
  FROM cases c JOIN units u ON u.id = c.unit_id`;

export const toCase = (r: CaseRow): Case => ({
  id: r.id,
  campaignId: r.campaign_id,
  unitId: r.unit_id,
  unitName: r.unit_name,
  caseNumber: r.case_number,
  title: r.title,
  caseType: r.case_type,
  cause: r.cause,
  party: r.party,
  enforcementBody: r.enforcement_body,
  filedOn: r.filed_on,
  closedOn: r.closed_on,
  decision: r.decision,
  penaltyAmount: r.penalty_amount ?? null,
  confiscatedAmount: r.confiscated_amount ?? null,
  penaltyText: r.penalty_text ?? '',
  handler: r.handler,
  externalCode: r.external_code,
  documentCount: r.document_count,
  pageCount: r.page_count,
  createdAt: r.created_at,
});

const DOC_SELECT = `SELECT d.id, d.case_id, d.sha256, d.file_name, d.title, b.size, d.page_count, d.has_text, d.position, d.created_at
  FROM documents d JOIN blobs b ON b.sha256 = d.sha256`;

export const toDocument = (r: DocumentRow): DossierDocument => ({
  id: r.id,
  caseId: r.case_id,
  sha256: r.sha256,
  fileName: r.file_name,
  title: r.title,
  size: r.size,
  pageCount: r.page_count,
  hasText: r.has_text === 1,
  position: r.position,
  createdAt: r.created_at,
});

/** A document's title from its file name: "03-询问笔录.pdf" → "询问笔录". */
export function titleFromFileName(fileName: string): string {
  const base = path.basename(fileName).replace(/\.pdf$/i, '');
  return base.replace(/^\s*\d+\s*[-_.、\s]\s*/, '').trim() || base;
}

/** Stores each page's text for search (pages without text are skipped). Runs inside the import transaction. */
export function indexPageText(db: Db, documentId: string, pageTexts: string[]): void {
  const insert = db.prepare('INSERT INTO page_text (text, document_id, page_index) VALUES (?, ?, ?)');
  pageTexts.forEach((text, pageIndex) => {
    if (text.trim()) insert.run(text, documentId, pageIndex);
  });
}

/** The caller's own score for a file, for the case list (null when they have none). */
export interface ScoreSource {
  myScore(caseId: string, userId: string): ScoreSummary | null;
}

export class DossiersService {
  private scores: ScoreSource | null = null;

  constructor(
    private readonly db: Db,
    private readonly store: BlobStore,
    private readonly staging: Staging,
    private readonly tickets: ByteTickets,
    private readonly events: EventHub,
    /** Worker threads with a per-file time limit; without it the PDF is inspected on this thread. */
    private readonly pool?: PdfInspectPool,
  ) {}

  getCase(caseId: string): Case {
    const row = this.db.prepare(`${CASE_SELECT} WHERE c.id = ?`).get(caseId) as CaseRow | undefined;
    if (!row) throw new AppError('not_found', '案卷不存在。');
    return toCase(row);
  }

  caseDetail(caseId: string): CaseDetail {
    const documents = (this.db.prepare(`${DOC_SELECT} WHERE d.case_id = ? ORDER BY d.position, d.created_at`).all(caseId) as DocumentRow[]).map(
      toDocument,
    );
    return { ...this.getCase(caseId), documents };
  }

  getDocument(documentId: string): DossierDocument {
    const row = this.db.prepare(`${DOC_SELECT} WHERE d.id = ?`).get(documentId) as DocumentRow | undefined;
    if (!row) throw new AppError('not_found', '文件不存在。');
    return toDocument(row);
  }

  listCases(campaignId: string): Case[] {
    const exists = this.db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(campaignId);
    if (!exists) throw new AppError('not_found', '评查活动不存在。');
    return (this.db.prepare(`${CASE_SELECT} WHERE c.campaign_id = ? ORDER BY u.name, c.case_number`).all(campaignId) as CaseRow[]).map(toCase);
  }

  private async importSingle(input: Parameters<Handlers['dossier:importSingle']>[0], ctx: CallContext): Promise<CaseDetail> {
    const actor = requireActor(ctx);
    requireOpenCampaign(this.db, input.campaignId);
    const staged = this.staging.get(input.sourceId, actor.id);
    if (!/\.pdf$/i.test(staged.name)) {
      await this.staging.discard(staged.sourceId);
      throw new AppError('unsupported_file', `“${staged.name}”不是 PDF 文件，请选择 .pdf 文件。`);
    }
    let info;
    try {
      info = this.pool ? await this.pool.inspect(staged.file, { withText: true, sizeBytes: staged.size }) : await inspectPdf(staged.file, { withText: true });
    } catch (err) {
      await this.staging.discard(staged.sourceId);
      if (err instanceof AppError) throw new AppError(err.code, `“${staged.name}”：${err.message}`);
      throw err;
    }
    const blob = await this.store.adoptFile(staged.file);
    await this.staging.discard(staged.sourceId);

    const caseId = tx(this.db, () => {
      const { id } = registerCase(this.db, actor, input.campaignId, {
        caseNumber: input.caseNumber,
        caseType: input.caseType,
        unitName: input.unitName,
        title: input.caseTitle ?? '',
      });
      const duplicate = this.db.prepare('SELECT 1 FROM documents WHERE case_id = ? AND sha256 = ?').get(id, blob.sha256);
      if (duplicate) throw new AppError('conflict', `“${staged.name}”已导入过该案卷（内容完全相同），未重复导入。`);
      addDocument(this.db, actor, input.campaignId, id, {
        fileName: staged.name,
        sha256: blob.sha256,
        size: blob.size,
        pageCount: info.pageCount,
        hasText: info.hasText,
        metadata: info.metadata,
        pageTexts: info.pageTexts,
      });
      return id;
    });
    this.events.emit('data:changed', { entity: 'case', id: caseId, campaignId: input.campaignId });
    return this.caseDetail(caseId);
  }

  /** Where the case list finds the caller's own score of each file (the scoring service, wired at start). */
  setScoreSource(source: ScoreSource): void {
    this.scores = source;
  }

  handlers(): Pick<Handlers, 'case:list' | 'case:get' | 'dossier:importSingle' | 'document:open'> {
    return {
      // A reviewer's list holds only the files assigned to them.
      'case:list': ({ campaignId }, ctx) => {
        const actor = requireActor(ctx);
        const visible = ctx.visibleCaseIds(campaignId);
        return this.listCases(campaignId)
          .filter((c) => visible === 'all' || visible.has(c.id))
          .map((c) => ({ ...c, myScore: this.scores?.myScore(c.id, actor.id) ?? null }));
      },
      'case:get': ({ caseId }) => this.caseDetail(caseId),
      'dossier:importSingle': (input, ctx) => this.importSingle(input, ctx),
      'document:open': ({ documentId }, ctx) => {
        const actor = requireActor(ctx);
        const document = this.getDocument(documentId);
        const token = this.tickets.mint(
          { kind: 'doc', file: this.store.pathOf(document.sha256), etag: document.sha256 },
          { userId: actor.id, clientId: ctx.clientId },
        );
        return { document, url: `/doc/${token}` };
      },
    };
  }
}
