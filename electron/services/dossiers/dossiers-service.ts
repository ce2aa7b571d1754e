/** Cases (案卷), their units and documents; the single-PDF import of the walking skeleton. */
import path from 'node:path';
import type { Case, CaseDetail, DossierDocument } from '../../../shared/dossiers/dossier.js';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import type { ScoreSummary } from '../../../shared/scoring/sheet.js';
import { AppError } from '../../../shared/core/errors.js';
import type { ByteTickets, Staging } from '../core/bytes.js';
import { requireActor, type Actor, type CallContext } from '../core/context.js';
import { type CaseFilter, type CasePage, type CasePageQuery, type CaseSort } from '../../../shared/dossiers/case-page.js';
import type { BoardRow } from '../../../shared/panel/views.js';
import { REVIEW_STAGES, reviewStage, type ReviewStage, type ReviewState } from '../../../shared/panel/review-states.js';
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
  myScores(caseIds: readonly string[], userId: string): Map<string, ScoreSummary>;
}

/** The review state and result of files (the review service, wired at start). */
export interface BoardSource {
  boardRows(campaignId: string, caseIds: readonly string[], actor: Actor): BoardRow[];
  /** Writes the stored state and result of files changed since they were last read. */
  refreshSummaries(): number;
}

/** A page cursor: the last row's sort values and id. */
const encodeCursor = (values: unknown[]): string => Buffer.from(JSON.stringify(values)).toString('base64url');
function decodeCursor(cursor: string, length: number): string[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string')) return values as string[];
  } catch {
    // falls through to the refusal
  }
  throw new AppError('invalid_input', '翻页位置无效，请重新打开列表。');
}

/**
 * A file's review state: the stored summary the review service writes with the shared rules
 * (settled, scoring, waiting for the panel…), refreshed before the page is read.
 */
const STATE_SQL = `EXISTS (SELECT 1 FROM case_summaries cs WHERE cs.case_id = c.id AND cs.state = @state)`;
const STATE_VALUE_SQL = `(SELECT cs.state FROM case_summaries cs WHERE cs.case_id = c.id)`;

/** The statements of one page of the case list (exported for the query-plan test and the benchmark). */
export function casePageSql(input: {
  filter: CaseFilter;
  sort: CaseSort;
  after?: string | undefined;
  visibleIds?: string[] | null;
  /** Only these files (a stage that SQL alone cannot tell: who decides a file waiting for a decision). */
  onlyIds?: string[] | null;
}): {
  where: string;
  page: string;
  count: string;
  /** Each matching file's review state (the stage counts). */
  states: string;
  cursorLength: number;
} {
  const f = input.filter;
  const where: string[] = ['c.campaign_id = @campaignId'];
  if (f.unitId) where.push('c.unit_id = @unitId');
  if (f.caseType) where.push('c.case_type = @caseType');
  if (f.drawn)
    where.push(
      'EXISTS (SELECT 1 FROM drawn_cases dc JOIN draws dr ON dr.id = dc.draw_id WHERE dc.case_id = c.id AND dr.campaign_id = c.campaign_id AND dr.superseded_at IS NULL)',
    );
  if (f.reviewerId) where.push('EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.reviewer_id = @reviewerId)');
  if (f.text)
    where.push(`(instr(c.case_number, @text) > 0 OR instr(c.title, @text) > 0 OR instr(c.party, @text) > 0 OR instr(u.name, @text) > 0)`);
  if (f.state) where.push(STATE_SQL);
  if (input.visibleIds) where.push('c.id IN (SELECT value FROM json_each(@visible))');
  if (input.onlyIds) where.push('c.id IN (SELECT value FROM json_each(@only))');
  const keys = input.sort === 'unit' ? ['u.name', 'c.case_number_sort', 'c.id'] : ['c.case_number_sort', 'c.id'];
  const filtered = where.join(' AND ');
  const paged = input.after ? `${filtered} AND (${keys.join(', ')}) > (${keys.map((_, i) => `@k${i}`).join(', ')})` : filtered;
  return {
    where: filtered,
    page: `SELECT c.*, u.name AS unit_name,
        (SELECT count(*) FROM documents d WHERE d.case_id = c.id) AS document_count,
        (SELECT coalesce(sum(d.page_count), 0) FROM documents d WHERE d.case_id = c.id) AS page_count
      FROM cases c JOIN units u ON u.id = c.unit_id WHERE ${paged} ORDER BY ${keys.join(', ')} LIMIT @limit`,
    count: `SELECT count(*) AS n FROM cases c JOIN units u ON u.id = c.unit_id WHERE ${filtered}`,
    states: `SELECT c.id, ${STATE_VALUE_SQL} AS state FROM cases c JOIN units u ON u.id = c.unit_id WHERE ${filtered}`,
    cursorLength: keys.length,
  };
}

export class DossiersService {
  private scores: ScoreSource | null = null;
  private board: BoardSource | null = null;

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
    const documents = (
      this.db.prepare(`${DOC_SELECT} WHERE d.case_id = ? ORDER BY d.position, d.created_at`).all(caseId) as DocumentRow[]
    ).map(toDocument);
    return { ...this.getCase(caseId), documents };
  }

  getDocument(documentId: string): DossierDocument {
    const row = this.db.prepare(`${DOC_SELECT} WHERE d.id = ?`).get(documentId) as DocumentRow | undefined;
    if (!row) throw new AppError('not_found', '文件不存在。');
    return toDocument(row);
  }

  /** The campaign's case ids in the case list's default order (unit, then 案号 as read). */
  caseIdsOf(campaignId: string): string[] {
    if (!this.db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(campaignId)) throw new AppError('not_found', '评查活动不存在。');
    return (
      this.db
        .prepare('SELECT c.id FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.campaign_id = ? ORDER BY u.name, c.case_number')
        .all(campaignId) as Array<{ id: string }>
    ).map((r) => r.id);
  }

  /** One page of the case list: filtered and sorted in SQL, the next page after the last row's sort values. */
  casePage(parsed: CasePageQuery, visibleIds: string[] | null, actor: Actor): CasePage {
    if (!this.db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(parsed.campaignId))
      throw new AppError('not_found', '评查活动不存在。');
    const { stage, ...others } = parsed.filter;
    const baseParams: Record<string, unknown> = { campaignId: parsed.campaignId };
    if (others.unitId) baseParams.unitId = others.unitId;
    if (others.caseType) baseParams.caseType = others.caseType;
    if (others.reviewerId) baseParams.reviewerId = others.reviewerId;
    if (others.text) baseParams.text = others.text;
    if (others.state) baseParams.state = others.state;
    if (visibleIds) baseParams.visible = JSON.stringify(visibleIds);
    // Each file's stage under the other filters: the counts beside the filter, and the files of a
    // waiting stage (who decides a flagged file is the review service's to say, not SQL's).
    const needStages = !parsed.after || (!!stage && stage !== 'unscored' && stage !== 'scoring' && stage !== 'final');
    if (needStages || others.state || stage) this.board?.refreshSummaries();
    const stages = needStages ? this.stagesOf(parsed.campaignId, others, baseParams, visibleIds, actor) : null;
    const byState = stage === 'unscored' || stage === 'scoring' || stage === 'final';
    const filter: CaseFilter = byState ? { ...others, state: stage } : others;
    const onlyIds = stage && !byState ? [...(stages?.entries() ?? [])].filter(([, s]) => s === stage).map(([id]) => id) : null;
    const sql = casePageSql({ filter, sort: parsed.sort, after: parsed.after, visibleIds, onlyIds });
    const params: Record<string, unknown> = { ...baseParams, limit: parsed.limit + 1 };
    if (byState) params.state = stage;
    if (onlyIds) params.only = JSON.stringify(onlyIds);
    if (!filter.state) delete params.state;
    const countParams = { ...params };
    delete countParams.limit;
    if (parsed.after) decodeCursor(parsed.after, sql.cursorLength).forEach((v, i) => (params[`k${i}`] = v));
    const rows = this.db.prepare(sql.page).all(params) as Array<CaseRow & { case_number_sort: string }>;
    const more = rows.length > parsed.limit;
    const page = more ? rows.slice(0, parsed.limit) : rows;
    const total = (this.db.prepare(sql.count).get(countParams) as { n: number }).n;
    const ids = page.map((r) => r.id);
    const scores = this.scores?.myScores(ids, actor.id) ?? new Map<string, ScoreSummary>();
    const board = new Map((this.board?.boardRows(parsed.campaignId, ids, actor) ?? []).map((b) => [b.caseId, b]));
    const panel = actor.role === 'reviewer' ? null : this.panelMarks(parsed.campaignId, ids);
    const last = page[page.length - 1];
    return {
      rows: page.map((r) => ({
        ...toCase(r),
        myScore: scores.get(r.id) ?? null,
        board: board.get(r.id) ?? {
          caseId: r.id,
          state: 'unscored',
          route: null,
          assigneeName: null,
          delivered: 0,
          sheets: 0,
          final: null,
          mine: { assigned: false, status: null },
        },
        panel: panel ? { drawn: panel.drawn.has(r.id), reviewers: panel.reviewers.get(r.id) ?? [] } : null,
      })),
      total,
      drawn: panel ? panel.hasDraw : null,
      stageCounts: parsed.after || !stages ? null : stageCounts(stages),
      next:
        more && last
          ? encodeCursor(parsed.sort === 'unit' ? [last.unit_name, last.case_number_sort, last.id] : [last.case_number_sort, last.id])
          : null,
    };
  }

  /** Every file's stage under the given filters (a flagged file by who decides it, as its row says). */
  private stagesOf(
    campaignId: string,
    filter: CaseFilter,
    params: Record<string, unknown>,
    visibleIds: string[] | null,
    actor: Actor,
  ): Map<string, ReviewStage> {
    const sql = casePageSql({ filter, sort: 'caseNumber', visibleIds });
    const stateParams = { ...params };
    if (!filter.state) delete stateParams.state;
    const rows = this.db.prepare(sql.states).all(stateParams) as Array<{ id: string; state: ReviewState }>;
    const out = new Map<string, ReviewStage>(rows.map((r) => [r.id, r.state]));
    const flagged = rows.filter((r) => r.state === 'flagged').map((r) => r.id);
    if (flagged.length && this.board)
      for (const b of this.board.boardRows(campaignId, flagged, actor)) out.set(b.caseId, reviewStage(b.state, b.route));
    return out;
  }

  /** The page's files: drawn or not in the current draw, and their reviewers (the assignment screen's marks, for one page). */
  private panelMarks(
    campaignId: string,
    ids: string[],
  ): { hasDraw: boolean; drawn: Set<string>; reviewers: Map<string, Array<{ id: string; name: string }>> } {
    const draw = this.db.prepare('SELECT id FROM draws WHERE campaign_id = ? AND superseded_at IS NULL').get(campaignId) as
      { id: string } | undefined;
    const list = JSON.stringify(ids);
    const drawn = draw
      ? new Set(
          (
            this.db
              .prepare('SELECT case_id FROM drawn_cases WHERE draw_id = ? AND case_id IN (SELECT value FROM json_each(?))')
              .all(draw.id, list) as Array<{ case_id: string }>
          ).map((r) => r.case_id),
        )
      : new Set<string>();
    const reviewers = new Map<string, Array<{ id: string; name: string }>>();
    const rows = this.db
      .prepare(
        'SELECT a.case_id, a.reviewer_id, u.display_name FROM assignments a JOIN users u ON u.id = a.reviewer_id WHERE a.case_id IN (SELECT value FROM json_each(?)) ORDER BY u.display_name',
      )
      .all(list) as Array<{ case_id: string; reviewer_id: string; display_name: string }>;
    for (const r of rows) {
      const entry = reviewers.get(r.case_id) ?? [];
      entry.push({ id: r.reviewer_id, name: r.display_name });
      reviewers.set(r.case_id, entry);
    }
    return { hasDraw: draw !== undefined, drawn, reviewers };
  }

  listCases(campaignId: string): Case[] {
    const exists = this.db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(campaignId);
    if (!exists) throw new AppError('not_found', '评查活动不存在。');
    return (this.db.prepare(`${CASE_SELECT} WHERE c.campaign_id = ? ORDER BY u.name, c.case_number`).all(campaignId) as CaseRow[]).map(
      toCase,
    );
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
      info = this.pool
        ? await this.pool.inspect(staged.file, { withText: true, sizeBytes: staged.size })
        : await inspectPdf(staged.file, { withText: true });
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

  /** Where the case list finds each file's review state and result (the review service, wired at start). */
  setBoardSource(source: BoardSource): void {
    this.board = source;
  }

  handlers(): Pick<Handlers, 'case:list' | 'case:page' | 'case:get' | 'dossier:importSingle' | 'document:open'> {
    return {
      // A reviewer's pages hold only the files assigned to them.
      'case:page': (input, ctx) => {
        const actor = requireActor(ctx);
        const visible = ctx.visibleCaseIds(input.campaignId);
        return this.casePage(input, visible === 'all' ? null : [...visible], actor);
      },
      // A reviewer's list holds only the files assigned to them.
      'case:list': ({ campaignId }, ctx) => {
        const actor = requireActor(ctx);
        const visible = ctx.visibleCaseIds(campaignId);
        const cases = this.listCases(campaignId).filter((c) => visible === 'all' || visible.has(c.id));
        const scores =
          this.scores?.myScores(
            cases.map((c) => c.id),
            actor.id,
          ) ?? new Map<string, ScoreSummary>();
        return cases.map((c) => ({ ...c, myScore: scores.get(c.id) ?? null }));
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

/** How many files stand at each stage. */
function stageCounts(stages: ReadonlyMap<string, ReviewStage>): Record<ReviewStage, number> {
  const counts = Object.fromEntries(REVIEW_STAGES.map((s) => [s, 0])) as Record<ReviewStage, number>;
  for (const s of stages.values()) counts[s]++;
  return counts;
}
