/** Cases (案卷), their units and documents; the single-PDF import of the walking skeleton. */
import path from 'node:path';
import type { Case, CaseDetail, DossierDocument } from '../../../shared/dossiers/dossier.js';
import type { ScoreSummary } from '../../../shared/scoring/sheet.js';
import { AppError } from '../../../shared/core/errors.js';
import type { ByteTickets, Staging } from '../core/bytes.js';
import { requireActor, type Actor, type CallContext } from '../core/context.js';
import { type CaseFilter, type CasePage, type CasePageQuery } from '../../../shared/dossiers/case-page.js';
import type { BoardRow } from '../../../shared/panel/views.js';
import { REVIEW_STAGES, reviewStage, type ReviewStage } from '../../../shared/panel/review-states.js';
import { seesAllSheets } from '../../../shared/scoring/sheet-state.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { inspectPdf } from '../core/pdf/inspect.js';
import type { PdfInspectPool } from '../core/pdf/inspect-pool.js';
import type { BlobStore } from '../core/blob-store.js';
import { addDocument, registerCase, requireOpenCampaign } from './register.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import { casePageSql, dossiersRepo, toCase, type DossiersRepo } from './repo.js';

/** A document's title from its file name: "03-询问笔录.pdf" → "询问笔录". */
export function titleFromFileName(fileName: string): string {
  const base = path.basename(fileName).replace(/\.pdf$/i, '');
  return base.replace(/^\s*\d+\s*[-_.、\s]\s*/, '').trim() || base;
}

/** The caller's own score for a file, for the case list (null when they have none). */
export interface ScoreSource {
  myScore(caseId: string, userId: string): ScoreSummary | null;
  myScores(caseIds: readonly string[], userId: string): Map<string, ScoreSummary>;
}

/** The review state and result of files (the review service, wired at start). */
export interface BoardSource {
  boardRows(campaignId: string, caseIds: readonly string[], actor: Actor, refresh?: boolean): BoardRow[];
  /**
   * Writes the stored state and result of the few files changed since they were last read, or leaves
   * a large backlog to the back-fill job: how many files are still to be brought up to date.
   */
  refreshForList(): number;
  /** Writes the stored state and result of these files if a change marked them stale. */
  refreshCases(caseIds: readonly string[]): number;
}

export class DossiersService {
  private readonly repo: DossiersRepo;
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
  ) {
    this.repo = dossiersRepo(db);
  }

  getCase(caseId: string): Case {
    const found = this.repo.case(caseId);
    if (!found) throw new AppError('not_found', '案卷不存在。');
    return found;
  }

  caseDetail(caseId: string): CaseDetail {
    const documents = this.repo.documentsOfCase(caseId);
    return { ...this.getCase(caseId), documents };
  }

  getDocument(documentId: string): DossierDocument {
    const found = this.repo.document(documentId);
    if (!found) throw new AppError('not_found', '文件不存在。');
    return found;
  }

  /** The campaign's case ids in the case list's default order (unit, then 案号 as read). */
  caseIdsOf(campaignId: string): string[] {
    if (!this.repo.campaignExists(campaignId)) throw new AppError('not_found', '评查活动不存在。');
    return this.repo.caseIdsOfCampaign(campaignId);
  }

  /** One page of the case list: filtered and sorted in SQL, the next page after the last row's sort values. */
  casePage(parsed: CasePageQuery, visibleIds: string[] | null, actor: Actor): CasePage {
    if (!this.repo.campaignExists(parsed.campaignId)) throw new AppError('not_found', '评查活动不存在。');
    const { stage, ...others } = parsed.filter;
    const baseParams: Record<string, unknown> = { campaignId: parsed.campaignId };
    if (others.unitId) baseParams.unitId = others.unitId;
    if (others.caseType) baseParams.caseType = others.caseType;
    if (others.reviewerId) baseParams.reviewerId = others.reviewerId;
    if (others.text) baseParams.text = others.text;
    if (others.state) baseParams.state = others.state;
    if (visibleIds) baseParams.visible = JSON.stringify(visibleIds);
    // Organisers and leads see who decides every waiting file, so each stage is a stored state and
    // route for SQL to match; for other readers blind review decides file by file what a row shows.
    const routesOpen = seesAllSheets({ role: actor.role, ownStatus: null, isRecheckAssignee: false, fileFinal: false });
    const byState = stage === 'unscored' || stage === 'scoring' || stage === 'final';
    const byRoute = !!stage && !byState && routesOpen && (!others.state || others.state === 'flagged');
    // Each file's stage under the other filters: the counts beside the filter, and the files of a
    // waiting stage (who decides a flagged file is the review service's to say, not SQL's).
    const needStages = !parsed.after || (!!stage && !byState && !byRoute);
    // The list never waits for the back-fill of thousands of files: it reads the stored figures and
    // says that they are being brought up to date; its own rows are written first.
    const pending = needStages || others.state || stage ? (this.board?.refreshForList() ?? 0) : 0;
    const stages = needStages ? this.stagesOf(parsed.campaignId, others, baseParams, visibleIds, actor, routesOpen) : null;
    const flagged = stages?.flagged ?? new Map<string, ReviewStage>();
    const filter: CaseFilter = byState ? { ...others, state: stage } : byRoute ? { ...others, state: 'flagged' } : others;
    const onlyIds = stage && !byState && !byRoute ? [...flagged.entries()].filter(([, s]) => s === stage).map(([id]) => id) : null;
    const sql = casePageSql({ filter, sort: parsed.sort, after: parsed.after, visibleIds, onlyIds, byRoute });
    const params: Record<string, unknown> = { ...baseParams, limit: parsed.limit + 1 };
    if (byState) params.state = stage;
    if (byRoute) {
      params.state = 'flagged';
      // A flagged file that nobody routed yet stands at 待合议 itself.
      params.route = stage === 'flagged' ? null : stage;
    }
    if (onlyIds) params.only = JSON.stringify(onlyIds);
    if (!filter.state) delete params.state;
    const countParams = { ...params };
    delete countParams.limit;
    if (parsed.after) decodeCursor(parsed.after, Array<'string'>(sql.cursorLength).fill('string')).forEach((v, i) => (params[`k${i}`] = v));
    const rows = this.repo.casePageRows(sql.page, params);
    // Without a stage filter the stage counts already add up to the matching files.
    const total = !stage && stages?.total != null ? stages.total : this.repo.caseCount(sql.count, countParams);
    const more = rows.length > parsed.limit;
    const page = more ? rows.slice(0, parsed.limit) : rows;
    const ids = page.map((r) => r.id);
    const scores = this.scores?.myScores(ids, actor.id) ?? new Map<string, ScoreSummary>();
    this.board?.refreshCases(ids);
    const board = new Map((this.board?.boardRows(parsed.campaignId, ids, actor, false) ?? []).map((b) => [b.caseId, b]));
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
      stageCounts: parsed.after || !stages ? null : stages.counts,
      pending: pending || null,
      next:
        more && last
          ? encodeCursor(parsed.sort === 'unit' ? [last.unit_name, last.case_number_sort, last.id] : [last.case_number_sort, last.id])
          : null,
    };
  }

  /**
   * How many files stand at each stage under the given filters, counted in SQL from the stored
   * states, and the stage of each file waiting for a decision (by who decides it, as its row says;
   * blind review hides that from a reviewer who may not see the file's sheets). A file the back-fill
   * has not reached yet has no stored state: it counts at no stage until then.
   */
  private stagesOf(
    campaignId: string,
    filter: CaseFilter,
    params: Record<string, unknown>,
    visibleIds: string[] | null,
    actor: Actor,
    routesOpen: boolean,
  ): { counts: Record<ReviewStage, number>; flagged: Map<string, ReviewStage>; total: number | null } {
    const sql = casePageSql({ filter, sort: 'caseNumber', visibleIds });
    const stateParams = { ...params };
    if (!filter.state) delete stateParams.state;
    const counts = Object.fromEntries(REVIEW_STAGES.map((s) => [s, 0])) as Record<ReviewStage, number>;
    const flagged = new Map<string, ReviewStage>();
    const groups = this.repo.stateCounts(sql.stateCounts, stateParams);
    const total = sql.statesCountAll ? groups.reduce((n, g) => n + g.n, 0) : null;
    for (const g of groups) if (g.state !== null && (g.state !== 'flagged' || routesOpen)) counts[reviewStage(g.state, g.route)] += g.n;
    if (routesOpen || !groups.some((g) => g.state === 'flagged')) return { counts, flagged, total };
    // Who decides each waiting file, as the caller may see it (blind review hides the route), kept
    // like the counts until the next change.
    const routed = this.repo.sinceLastChange(`stages ${actor.id} ${sql.flagged} ${JSON.stringify(stateParams)}`, () => {
      const ids = this.repo.flaggedIds(sql.flagged, stateParams);
      return (this.board?.boardRows(campaignId, ids, actor, false) ?? []).map((b) => [b.caseId, reviewStage(b.state, b.route)] as const);
    });
    for (const [caseId, stage] of routed) {
      flagged.set(caseId, stage);
      counts[stage]++;
    }
    return { counts, flagged, total };
  }

  /** The page's files: drawn or not in the current draw, and their reviewers (the assignment screen's marks, for one page). */
  private panelMarks(
    campaignId: string,
    ids: string[],
  ): { hasDraw: boolean; drawn: Set<string>; reviewers: Map<string, Array<{ id: string; name: string }>> } {
    const draw = this.repo.currentDraw(campaignId);
    const drawn = draw ? this.repo.drawnAmong(draw, ids) : new Set<string>();
    return { hasDraw: draw !== null, drawn, reviewers: this.repo.reviewersOf(ids) };
  }

  listCases(campaignId: string): Case[] {
    if (!this.repo.campaignExists(campaignId)) throw new AppError('not_found', '评查活动不存在。');
    return this.repo.casesOfCampaign(campaignId);
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
      if (this.repo.hasContent(id, blob.sha256))
        throw new AppError('conflict', `“${staged.name}”已导入过该案卷（内容完全相同），未重复导入。`);
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
