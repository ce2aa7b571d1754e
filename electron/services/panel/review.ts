/**
 * Several reviewers, one file: delivering and reopening sheets, blind review, divergence, the
 * reconciliation to an agreed answer per item, and the file's final result.
 *
 * How a file is settled (the rule ResultsService quotes):
 *   - When every sheet that has answers is delivered, at least `requiredSheets` of them, no
 *     divergence rule fires and every item is answered the same way, the file is settled at once
 *     (source `auto`): a single delivered sheet without a veto is final as it stands.
 *   - Otherwise the file is flagged: to 复核 or 集体评议 when a rule fires, else for the lead to
 *     confirm the differing items. The panel sets the agreed answer per item in the reconciliation
 *     view and settles it (source `panel`).
 *   - The agreed answers are stored per item (case_review_answers); sheets are never rewritten, they
 *     only move to `final`. A further reviewer who starts scoring withdraws an automatic settlement;
 *     a panel settlement locks the file until the lead withdraws it, with a reason.
 */
import type { Role } from '../../../shared/people/roles.js';
import { isDeliveredStatus, seesAllSheets, transition, type SheetEvent } from '../../../shared/scoring/sheet-state.js';
import type { ScoreSummary, Sheet } from '../../../shared/scoring/sheet.js';
import { AppError } from '../../../shared/core/errors.js';
import {
  addSums,
  describeFrom,
  emptySums,
  fileAgreementSums,
  pruneSums,
  reportFromSums,
  type AgreementSums,
  type RatedFile,
} from '../../../shared/panel/agreement.js';
import {
  DEFAULT_DIVERGENCE_RULES,
  REVIEW_ROUTES,
  detectDivergence,
  proposeAgreed,
  settleState,
  type DivergenceRules,
  type ReviewRoute,
  type SettleState,
} from '../../../shared/panel/divergence.js';
import { REVIEW_STATES } from '../../../shared/panel/review-states.js';
import type {
  AgreedItem,
  AgreementView,
  BoardFilter,
  BoardPage,
  BoardRow,
  CaseReview,
  EvidenceRef,
  ReconcileView,
  ReviewState,
} from '../../../shared/panel/views.js';
import { findItem, type StandardDefinition } from '../../../shared/standards/model.js';
import { scoreSheet, validateAnswer, type Answers } from '../../../shared/scoring/scoring.js';
import {
  bulkPassPlan,
  missingReasons,
  missingReasonsMessage,
  reconcileOpenItems,
  sheetProgress,
} from '../../../shared/scoring/completion.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor, type Actor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { DossiersService } from '../dossiers/index.js';
import type { EventHub } from '../core/event-hub.js';
import type { JobRunner } from '../core/jobs.js';
import type { ExpectedReviewers, FinalAnswersBatch, FinalAnswersSource } from '../scoring/index.js';
import type { ResultsService } from '../scoring/index.js';
import { summarise, toSheet, type CaseGate, type SheetRow, type SheetsService } from '../scoring/index.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import { panelRepo, type BoardSummaryRow, type KeptRatings, type PanelRepo, type ReviewRow } from './repo.js';

/** The answers that read otherwise than 符合 (an unanswered item reads as 符合 in the agreement), without comments or evidence. */
const unlikePass = (answers: Answers): Answers => {
  const out: Answers = {};
  for (const [id, a] of Object.entries(answers))
    if (a.status !== 'pass')
      out[id] = {
        status: a.status,
        ...(a.deduction !== undefined ? { deduction: a.deduction } : {}),
        ...(a.occurrences !== undefined ? { occurrences: a.occurrences } : {}),
      };
  return out;
};

/** Files written per statement batch when stale summaries are refreshed. */
const SUMMARY_CHUNK = 500;
/**
 * Files the start-up's back-fill writes per step: a screen's request arriving meanwhile waits for at
 * most one step, so a step stays short (a tenth of a second on a laptop) whatever the backlog.
 */
const BACKFILL_STEP = 100;
/** Stale files the case list writes itself before reading; more are left to the back-fill job. */
const LIST_REFRESH_AT_ONCE = 200;
/** Files refreshed at once beyond which the WAL is checkpointed. */
const CHECKPOINT_AFTER = 1000;

const isManager = (role: Role): boolean => role === 'lead' || role === 'organiser';

/** Everything about a file's sheets the rules need, read in one place. */
interface FileSheets {
  campaignId: string;
  rows: SheetRow[];
  /** Null when nobody has opened a sheet. */
  versionId: string | null;
  definition: StandardDefinition | null;
  answers: Map<string, Answers>;
  delivered: SheetRow[];
  /** Reviewers assigned to the file; those without a sheet yet are `awaited`: the file waits for them too. */
  assigned: Set<string>;
  awaited: string[];
  settle: SettleState;
}

export class ReviewService implements CaseGate {
  private readonly repo: PanelRepo;

  constructor(
    private readonly db: Db,
    private readonly sheets: SheetsService,
    private readonly dossiers: DossiersService,
    private readonly events: EventHub,
    /** The file's result as letters quote it (a top-grade quota can lower a final grade). */
    private readonly results: ResultsService,
  ) {
    this.repo = panelRepo(db);
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────

  rules(campaignId: string): DivergenceRules {
    return this.repo.rules(campaignId) ?? DEFAULT_DIVERGENCE_RULES;
  }

  requiredSheets(campaignId: string): number {
    return this.rules(campaignId).requiredSheets;
  }

  private reviewRow(caseId: string): ReviewRow | undefined {
    return this.repo.review(caseId);
  }

  private storedAnswers(caseId: string, origin?: 'panel'): Answers {
    const out: Answers = {};
    for (const r of this.repo.agreedRows(caseId)) if (!origin || r.origin === origin) out[r.item_id] = this.repo.agreedAnswer(caseId, r);
    return out;
  }

  private fileSheets(caseId: string): FileSheets {
    const campaignId = this.repo.campaignOfCase(caseId);
    if (!campaignId) throw new AppError('not_found', '案卷不存在。');
    const rows = this.sheets.sheetsOfCase(caseId);
    const answers = new Map(rows.map((r) => [r.id, this.sheets.answers(r.id)]));
    return this.buildFile(campaignId, rows, answers, this.repo.reviewersOfCase(caseId), this.rules(campaignId));
  }

  /**
   * The same for many files of one campaign, read with a handful of statements whatever their
   * number (the results board and the case list of a province's 20,000 files).
   */
  private filesOf(campaignId: string, caseIds: readonly string[]): Map<string, FileSheets> {
    const sheets = this.sheets.sheetsOfCases(caseIds);
    const answers = this.sheets.answersOfSheets([...sheets.values()].flat().map((r) => r.id));
    const assigned = new Map<string, Set<string>>();
    for (const r of this.repo.reviewersOfCases(caseIds)) {
      const set = assigned.get(r.case_id);
      if (set) set.add(r.reviewer_id);
      else assigned.set(r.case_id, new Set([r.reviewer_id]));
    }
    const rules = this.rules(campaignId);
    const out = new Map<string, FileSheets>();
    for (const id of caseIds) {
      const own = sheets.get(id) ?? [];
      out.set(
        id,
        this.buildFile(campaignId, own, new Map(own.map((r) => [r.id, answers.get(r.id)!])), assigned.get(id) ?? new Set(), rules),
      );
    }
    return out;
  }

  private buildFile(
    campaignId: string,
    rows: SheetRow[],
    answers: Map<string, Answers>,
    assigned: Set<string>,
    rules: DivergenceRules,
  ): FileSheets {
    const versions = new Set(rows.map((r) => r.standard_version_id));
    if (versions.size > 1) throw new AppError('conflict', '该案卷的评查表使用了不同版本的评查标准，无法比较和合议，请联系组织者。');
    const versionId = rows[0]?.standard_version_id ?? null;
    const definition = versionId ? this.sheets.definition(versionId) : null;
    const delivered = rows.filter((r) => isDeliveredStatus(r.status));
    const awaited = [...assigned].filter((id) => !rows.some((r) => r.reviewer_id === id));
    const settle: SettleState = definition
      ? settleState(
          definition,
          [
            ...rows.map((r) => ({
              reviewerName: r.reviewer_name,
              answers: answers.get(r.id)!,
              delivered: isDeliveredStatus(r.status),
              answeredCount: Object.keys(answers.get(r.id)!).length,
              expected: assigned.has(r.reviewer_id),
            })),
            ...awaited.map(() => ({ reviewerName: '', answers: {}, delivered: false, answeredCount: 0, expected: true })),
          ],
          rules,
        )
      : { state: 'unscored' };
    return { campaignId, rows, versionId, definition, answers, delivered, assigned, awaited, settle };
  }

  /**
   * The results board's rows of these files of a campaign (the case list's page asks for its own
   * rows only), read from the stored file summaries; blind review hides routes and results from
   * whom may not see the file's sheets. Without `refresh`, what is stored is read as it is (the case
   * list brought its own rows up to date first).
   */
  boardRows(campaignId: string, caseIds: readonly string[] | null, actor: Actor, refresh = true): BoardRow[] {
    if (refresh) this.refreshSummaries();
    const quotaGrades = this.results.quotaGrades(campaignId);
    const rows = this.repo.board(campaignId, caseIds, actor.id);
    const byId = new Map(rows.map((r) => [r.case_id, r]));
    const order = caseIds ?? this.dossiers.caseIdsOf(campaignId);
    return order.flatMap((caseId): BoardRow[] => {
      const s = byId.get(caseId);
      return s ? [this.boardRow(s, actor, quotaGrades)] : [];
    });
  }

  /** A file's row of the board from its stored summary; blind review hides its route and result from whom may not see its sheets. */
  private boardRow(s: BoardSummaryRow, actor: Actor, quotaGrades: Map<string, string>): BoardRow {
    const open = seesAllSheets({
      role: actor.role,
      ownStatus: s.own_status,
      isRecheckAssignee: s.assignee_id === actor.id,
      fileFinal: s.review_status === 'final',
    });
    return {
      caseId: s.case_id,
      state: s.state,
      route: open ? s.route : null,
      assigneeName: open && s.route === 'recheck' ? s.assignee_name : null,
      delivered: s.delivered,
      sheets: s.sheets,
      final:
        open && s.final_total !== null && s.final_grade !== null
          ? { total: s.final_total, grade: quotaGrades.get(s.case_id) ?? s.final_grade, vetoed: s.final_vetoed === 1 }
          : null,
      mine: { assigned: s.assigned === 1, status: s.own_status },
    };
  }

  /**
   * One page of the results board in 案号 order, filtered in SQL (a province's 20,000 files are
   * never read at once), with the counts per state and route and the caller's own workload. The
   * stored results are brought up to date first, as the board always showed them current.
   */
  boardPage(
    campaignId: string,
    input: { filter: BoardFilter; after?: string | undefined; limit: number },
    visible: readonly string[] | null,
    actor: Actor,
  ): BoardPage {
    this.refreshSummaries();
    const after = input.after ? decodeCursor(input.after, ['string', 'string'] as const) : null;
    const read = this.repo.boardPage({
      campaignId,
      filter: input.filter,
      actor,
      after: after ? [after[0]!, after[1]!] : null,
      limit: input.limit && input.limit + 1,
      visible,
    });
    const rows = read.rows.slice(0, input.limit);
    const quotaGrades = rows.some((r) => r.final_grade !== null) ? this.results.quotaGrades(campaignId) : new Map<string, string>();
    const states = Object.fromEntries(REVIEW_STATES.map((k) => [k, 0])) as Record<ReviewState, number>;
    const routes = Object.fromEntries(REVIEW_ROUTES.map((k) => [k, 0])) as Record<ReviewRoute, number>;
    for (const c of read.counts) {
      states[c.state] += c.n;
      if (c.route) routes[c.route] += c.n;
    }
    const last = rows.at(-1);
    return {
      rows: rows.map((r) => this.boardRow(r, actor, quotaGrades)),
      total: read.total,
      next: read.rows.length > input.limit && last ? encodeCursor([last.case_number_sort, last.case_id]) : null,
      counts: { states, routes, mine: { pending: read.mine.files - read.mine.submitted, submitted: read.mine.submitted } },
    };
  }

  /**
   * Writes the stored results of every file a change marked stale (the migration's triggers mark
   * them in the same transaction as the change), so lists and statistics read one row per file. The
   * rules are the scoring and divergence rules of shared/, applied as the file's own screen applies them.
   */
  refreshSummaries(max = Number.POSITIVE_INFINITY): number {
    return this.writeStale(this.repo.stale(Number.isFinite(max) ? max : -1));
  }

  /** The same for these files only, those of them a change marked stale (the case list's page). */
  refreshCases(caseIds: readonly string[]): number {
    return caseIds.length ? this.writeStale(this.repo.staleAmong(caseIds)) : 0;
  }

  /**
   * What the case list asks before it reads stored results, so that it never waits: the few files an
   * answer or a delivery marked stale are written at once; a backlog of thousands (the upgrade that
   * adds a stored result, a large package merged) is left to the back-fill job, and the list reads
   * the figures stored before and says how many files are still being brought up to date (the count
   * returned; 0 when everything is current).
   */
  refreshForList(): number {
    if (!this.backfilling) {
      const left = this.repo.staleCount();
      if (left <= LIST_REFRESH_AT_ONCE || !this.jobs) {
        if (left) this.refreshSummaries();
        return 0;
      }
      this.startBackfill(this.jobs);
    }
    return this.repo.staleCount();
  }

  private writeStale(stale: Array<{ case_id: string; campaign_id: string | null }>): number {
    if (!stale.length) return 0;
    tx(this.db, () => {
      const byCampaign = new Map<string, string[]>();
      const removed: string[] = [];
      for (const r of stale)
        if (r.campaign_id) {
          const list = byCampaign.get(r.campaign_id);
          if (list) list.push(r.case_id);
          else byCampaign.set(r.campaign_id, [r.case_id]);
        } else removed.push(r.case_id);
      for (const [campaignId, ids] of byCampaign)
        for (let i = 0; i < ids.length; i += SUMMARY_CHUNK) this.writeSummaries(campaignId, ids.slice(i, i + SUMMARY_CHUNK));
      if (removed.length) this.writeAgreement(removed, new Map());
      for (const r of stale) this.repo.notStale(r.case_id);
    });
    // A large refresh (the upgrade's back-fill, a merged package) leaves a WAL as large as the rows it
    // wrote; folding it back keeps the workspace's files and the pages SQLite maps small.
    if (stale.length >= CHECKPOINT_AFTER) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return stale.length;
  }

  /** The start-up's back-fill job while it runs (tests wait for it). */
  backfillJobId: string | null = null;
  private backfilling = false;
  private jobs: JobRunner | null = null;

  /**
   * Start-up: files left stale (the upgrade that adds a stored summary, a package merged before a
   * crash) are written by a job in steps of a few hundred, one transaction each, so the workspace
   * opens at once; a screen asking meanwhile writes whatever is still stale itself (refreshSummaries
   * above), so nothing it shows is out of date.
   */
  startBackfill(jobs: JobRunner): void {
    this.jobs = jobs;
    const left = this.repo.staleCount();
    if (!left || this.backfilling) return;
    this.backfilling = true;
    const job = jobs.start({
      kind: 'summary-backfill',
      owner: { id: 'system', username: 'system', displayName: '系统', role: 'organiser' },
      exclusiveKey: 'summary-backfill',
      initial: { total: left, message: '正在更新案卷评查结果汇总' },
      run: async (control) => {
        let done = 0;
        try {
          for (;;) {
            await new Promise((r) => setImmediate(r));
            if (control.signal.aborted) return;
            const n = this.refreshSummaries(BACKFILL_STEP);
            if (!n) break;
            done += n;
            control.report({ done, total: Math.max(left, done) });
          }
        } finally {
          this.backfilling = false;
        }
        // The back-fill leaves a WAL as large as the rows it wrote; folding it back keeps the
        // workspace's files and the pages SQLite maps small.
        if (done >= CHECKPOINT_AFTER) this.db.pragma('wal_checkpoint(TRUNCATE)');
        // Lists that showed the figures stored before read them again.
        for (const id of this.repo.campaignIds()) this.events.emit('data:changed', { entity: 'campaign', campaignId: id });
      },
    });
    this.backfillJobId = job.jobId;
  }

  /** The stored summaries of some files of one campaign, computed as the board and the results computed them live. */
  private writeSummaries(campaignId: string, caseIds: readonly string[]): void {
    const files = this.filesOf(campaignId, caseIds);
    const reviews = this.repo.reviewsOf(caseIds);
    const finals = this.repo.agreedOf(caseIds.filter((id) => reviews.get(id)?.status === 'final'));
    const outcomes = new Map(this.results.outcomesOf(campaignId, caseIds).map((o) => [o.caseId, o]));
    const now = nowIso();
    this.writeAgreement(
      caseIds,
      new Map(
        caseIds.flatMap((caseId) => {
          const rated = this.ratedFile(caseId, files.get(caseId)!, reviews.get(caseId), finals);
          return rated ? [[caseId, { campaignId, rated }] as const] : [];
        }),
      ),
    );
    for (const caseId of caseIds) {
      const file = files.get(caseId)!;
      const row = reviews.get(caseId);
      const state = this.stateOf(file, row);
      const finalAnswers = state === 'final' && row ? (finals.get(caseId) ?? {}) : null;
      const final =
        finalAnswers && row?.standard_version_id ? scoreSheet(this.sheets.definition(row.standard_version_id), finalAnswers) : null;
      const outcome = outcomes.get(caseId);
      this.repo.writeSummary({
        caseId,
        campaignId,
        state,
        route: state === 'flagged' ? this.routeOf(file, row) : null,
        delivered: file.delivered.length,
        sheets: this.counting(file),
        outcome: outcome?.status ?? 'unscored',
        total: outcome?.result?.total ?? null,
        grade: outcome?.result?.grade ?? null,
        vetoed: outcome?.result ? (outcome.result.vetoed ? 1 : 0) : null,
        finalTotal: final?.total ?? null,
        finalGrade: final?.grade ?? null,
        finalVetoed: final ? (final.vetoed ? 1 : 0) : null,
        standardVersionId: outcome?.standardVersionId ?? null,
        max: outcome?.result?.max ?? null,
        problems: JSON.stringify(outcome?.result?.problems ?? []),
        disagreement: outcome?.disagreement ?? null,
        settledReasons: JSON.stringify(outcome?.settledReasons ?? {}),
        now,
      });
      const scored = new Map((outcome?.sheets ?? []).map((x) => [x.sheetId, x]));
      this.repo.writeSheetSummaries(
        caseId,
        file.rows.map((r) => {
          const x = scored.get(r.id);
          return {
            sheetId: r.id,
            status: r.status,
            // As the score sheet counts it: a veto settles the items left (the file fails anyway).
            answered: file.definition
              ? sheetProgress(file.definition, file.answers.get(r.id)!).done
              : Object.keys(file.answers.get(r.id)!).length,
            total: x?.total ?? null,
            grade: x?.grade ?? null,
            vetoed: x ? (x.vetoed ? 1 : 0) : null,
          };
        }),
      );
    }
  }

  /** A file as the agreement statistics count it: its delivered sheets and, once settled, the agreed answers. */
  private ratedFile(caseId: string, file: FileSheets, row: ReviewRow | undefined, finals: Map<string, Answers>): RatedFile | null {
    if (!file.definition || !file.versionId || file.delivered.length === 0) return null;
    return {
      fileId: caseId,
      versionId: file.versionId,
      definition: file.definition,
      ratings: file.delivered.map((r) => ({ raterId: r.reviewer_id, answers: file.answers.get(r.id)! })),
      final: row?.status === 'final' ? (finals.get(caseId) ?? {}) : null,
    };
  }

  /**
   * Changes the campaigns' agreement sums by these files' parts: the part each was last counted with
   * is taken away (recomputed from its kept ratings) and its part now is added. Only files rated by
   * two or more reviewers count, so only theirs are kept, and only their non-passing answers (a
   * passing answer and none read the same way), which keeps the rows small.
   */
  private writeAgreement(caseIds: readonly string[], now: ReadonlyMap<string, { campaignId: string; rated: RatedFile }>): void {
    const kept = this.repo.keptRatings(caseIds);
    const deltas = new Map<string, AgreementSums>();
    const delta = (campaignId: string): AgreementSums => {
      let d = deltas.get(campaignId);
      if (!d) deltas.set(campaignId, (d = emptySums()));
      return d;
    };
    for (const k of kept) {
      const r = k.ratings;
      addSums(
        delta(k.campaignId),
        fileAgreementSums({
          fileId: k.caseId,
          versionId: r.v,
          definition: this.sheets.definition(r.v),
          ratings: r.r.map(([raterId, answers]) => ({ raterId, answers })),
          final: r.f,
        }),
        -1,
      );
    }
    for (const k of kept) this.repo.dropKeptRatings(k.caseId);
    for (const [caseId, { campaignId, rated }] of now) {
      if (rated.ratings.length < 2) continue;
      addSums(delta(campaignId), fileAgreementSums(rated), 1);
      const kept: KeptRatings = {
        v: rated.versionId,
        r: rated.ratings.map((x) => [x.raterId, unlikePass(x.answers)]),
        f: rated.final ? unlikePass(rated.final) : null,
      };
      this.repo.keepRatings(caseId, campaignId, kept);
    }
    for (const [campaignId, d] of deltas) {
      if (!this.repo.campaignExists(campaignId)) continue;
      const sums = this.repo.agreementSums(campaignId) ?? emptySums();
      this.repo.setAgreementSums(campaignId, pruneSums(addSums(sums, d, 1)));
    }
  }

  /** The campaign's agreement report from its stored sums (files changed since are counted first). */
  agreement(campaignId: string): AgreementView {
    this.refreshSummaries();
    const sums = this.repo.agreementSums(campaignId) ?? emptySums();
    const versions = new Map(
      [...new Set(Object.values(sums.items).map((i) => i.versionId))].map((v) => [v, this.sheets.definition(v)] as const),
    );
    const report = reportFromSums(sums, describeFrom(versions));
    const raterIds = report.raters.map((r) => r.raterId);
    const names = this.repo.namesOf(raterIds);
    return {
      ...report,
      items: report.items.map((i) => ({ ...i, standardName: versions.get(i.versionId)?.name ?? '' })),
      raters: report.raters.map((r) => ({ ...r, raterName: names.get(r.raterId) ?? '' })),
    };
  }

  /**
   * The files of a campaign that wait for a decision by people (复核, 集体评议 or 组长确认), with the
   * route each takes: the meeting's agenda starts from them.
   */
  awaitingDecision(campaignId: string): Map<string, ReviewRoute> {
    const caseIds = this.repo.caseIdsOfCampaign(campaignId);
    const files = this.filesOf(campaignId, caseIds);
    const reviews = this.repo.reviewsOf(caseIds);
    const out = new Map<string, ReviewRoute>();
    for (const caseId of caseIds) {
      const file = files.get(caseId)!;
      const row = reviews.get(caseId);
      if (this.stateOf(file, row) !== 'flagged') continue;
      const route = this.routeOf(file, row);
      if (route) out.set(caseId, route);
    }
    return out;
  }

  /** How many sheets hold a file up: delivered, with answers, or owed by an assigned reviewer. */
  private counting(file: FileSheets): number {
    const holding = file.rows.filter(
      (r) => isDeliveredStatus(r.status) || Object.keys(file.answers.get(r.id)!).length > 0 || file.assigned.has(r.reviewer_id),
    );
    return holding.length + file.awaited.length;
  }

  /** A flagged file's route: the lead's choice, else the rules'. */
  private routeOf(file: FileSheets, row: ReviewRow | undefined): ReviewRoute | null {
    if (file.settle.state !== 'flagged' && file.settle.state !== 'agreed') return null;
    return row?.route ?? (file.settle.state === 'flagged' ? file.settle.route : 'confirm');
  }

  private stateOf(file: FileSheets, row: ReviewRow | undefined): ReviewState {
    if (row?.status === 'final') return 'final';
    // An agreed file that is not settled (rules changed after a withdrawal) waits for the lead.
    return file.settle.state === 'agreed' ? 'flagged' : file.settle.state;
  }

  private canReconcile(actor: Actor, state: ReviewState, route: ReviewRoute | null, row: ReviewRow | undefined): boolean {
    if (state !== 'flagged') return false;
    return isManager(actor.role) || (route === 'recheck' && row?.assignee_id === actor.id);
  }

  private seesAll(actor: Actor, file: FileSheets, row: ReviewRow | undefined): boolean {
    const own = file.rows.find((r) => r.reviewer_id === actor.id);
    return seesAllSheets({
      role: actor.role,
      ownStatus: own?.status ?? null,
      isRecheckAssignee: row?.assignee_id === actor.id,
      fileFinal: row?.status === 'final',
    });
  }

  /**
   * Blind review of the marks on a file: until a reviewer may see every sheet of the file, they see
   * only their own annotations (another reviewer's marks would tell them what was found).
   */
  blindAnnotations<T extends { authorId: string }>(documentId: string, actor: Actor, list: T[]): T[] {
    if (isManager(actor.role)) return list;
    const caseId = this.repo.caseOfDocument(documentId);
    return caseId ? this.blindCaseAnnotations(caseId, actor, list) : list;
  }

  /** The same rule for marks gathered from every file of a case (the dossier's list, its exports). */
  blindCaseAnnotations<T extends { authorId: string }>(caseId: string, actor: Actor, list: T[]): T[] {
    if (isManager(actor.role)) return list;
    const ownStatus = this.repo.ownSheetStatus(caseId, actor.id);
    const row = this.repo.reviewGate(caseId);
    const all = seesAllSheets({
      role: actor.role,
      ownStatus,
      isRecheckAssignee: row?.assignee_id === actor.id,
      fileFinal: row?.status === 'final',
    });
    return all ? list : list.filter((a) => a.authorId === actor.id);
  }

  caseReview(caseId: string, actor: Actor): CaseReview {
    const file = this.fileSheets(caseId);
    const row = this.reviewRow(caseId);
    const state = this.stateOf(file, row);
    const route = state === 'flagged' ? this.routeOf(file, row) : null;
    const seesAll = this.seesAll(actor, file, row);
    const finalAnswers = row?.status === 'final' ? this.storedAnswers(caseId) : null;
    const divergence = file.settle.state === 'flagged' || file.settle.state === 'agreed' ? file.settle.divergence : null;
    const reasons = seesAll && divergence ? divergence.reasons.map((r) => r.message) : [];
    if (seesAll && divergence && state === 'flagged' && reasons.length === 0)
      reasons.push(`${divergence.differingItems.length} 个评查项目评定不一致，需组长确认`);
    return {
      caseId,
      campaignId: file.campaignId,
      state,
      route,
      routeChosen: state === 'flagged' && !!row?.route,
      assignee: route === 'recheck' && row?.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
      reasons,
      delivered: file.delivered.length,
      required: Math.max(this.rules(file.campaignId).requiredSheets, this.counting(file)),
      sheets: file.rows.map((r) => {
        const answers = file.answers.get(r.id)!;
        const visible = seesAll || r.reviewer_id === actor.id;
        const progress = file.definition ? sheetProgress(file.definition, answers) : { done: 0, total: 0 };
        return {
          sheetId: r.id,
          reviewerId: r.reviewer_id,
          reviewerName: r.reviewer_name,
          status: r.status,
          answeredCount: progress.done,
          itemCount: progress.total,
          updatedAt: r.updated_at,
          submittedAt: r.submitted_at,
          reopenReason: r.reopen_reason,
          summary: visible && file.definition ? summarise(scoreSheet(file.definition, answers)) : null,
        };
      }),
      mySheetId: file.rows.find((r) => r.reviewer_id === actor.id)?.id ?? null,
      final:
        finalAnswers && file.definition && row
          ? {
              summary: summarise(this.results.caseOutcome(caseId).result!),
              source: row.source ?? 'panel',
              finalisedAt: row.finalised_at ?? '',
              finalisedByName: row.finalised_by_name,
              note: row.note,
            }
          : null,
      seesAll,
      canManage: isManager(actor.role),
      canReconcile: this.canReconcile(actor, state, route, row),
      revision: row?.revision ?? 0,
    };
  }

  /** The agreed answers of a settled file, for ResultsService (letters, ledgers, statistics). */
  finalAnswersSource(): FinalAnswersSource {
    return (caseId) => {
      const versionId = this.repo.settledVersion(caseId);
      return versionId ? { standardVersionId: versionId, answers: this.storedAnswers(caseId) } : null;
    };
  }

  /** Who must deliver a sheet before a file has a result: its assigned reviewers. */
  expectedReviewers(): ExpectedReviewers {
    return (caseIds) => {
      const assigned = new Map<string, Set<string>>();
      for (const r of this.repo.reviewersOfCases(caseIds)) {
        const set = assigned.get(r.case_id);
        if (set) set.add(r.reviewer_id);
        else assigned.set(r.case_id, new Set([r.reviewer_id]));
      }
      return assigned;
    };
  }

  /** The same for many files in three statements. */
  finalAnswersBatch(): FinalAnswersBatch {
    return (caseIds) => {
      const rows = this.repo.settledVersions(caseIds);
      const answers = this.repo.agreedOf(rows.map((r) => r.case_id));
      return new Map(rows.map((r) => [r.case_id, { standardVersionId: r.standard_version_id, answers: answers.get(r.case_id) ?? {} }]));
    };
  }

  // ── the gate the sheets service asks before an answer changes ───────────────────────────

  lockReason(caseId: string): string | null {
    const row = this.repo.reviewGate(caseId);
    return row?.status === 'final' && row.source === 'panel'
      ? '该案卷已合议定分，评查表不能再修改；如需重新评议，请评查组长先撤销定分。'
      : null;
  }

  beforeAnswer(caseId: string, actorId: string): boolean {
    const locked = this.lockReason(caseId);
    if (locked) throw new AppError('locked', locked);
    const row = this.reviewRow(caseId);
    if (row?.status !== 'final') return false;
    this.withdraw(caseId, actorId, '有评查人员继续评分，自动定分撤销，待全部评查表提交后重新判定。');
    return true;
  }

  /**
   * A sheet arrived from elsewhere (a merged return package): settle the file if its
   * delivered sheets now agree. Runs inside the caller's transaction.
   */
  judgeAgain(caseId: string, actorId: string): boolean {
    return this.settleIfAgreed(caseId, actorId);
  }

  // ── changing (every method below runs inside the caller's transaction) ──────────────────

  private ensureReviewRow(caseId: string, versionId: string | null): ReviewRow {
    const existing = this.reviewRow(caseId);
    if (existing) return existing;
    this.repo.insertReview(caseId, versionId, nowIso());
    return this.reviewRow(caseId)!;
  }

  private bump(caseId: string, expected?: number): number {
    const row = this.ensureReviewRow(caseId, null);
    if (expected !== undefined && row.revision !== expected) throw new AppError('conflict', '合议结果已被其他人修改，请刷新后再操作。');
    this.repo.bumpReview(caseId, nowIso());
    return row.revision + 1;
  }

  private moveSheets(file: FileSheets, event: SheetEvent): void {
    for (const r of file.rows) {
      const t = transition(r.status, event, { owner: false, manager: true });
      if (t.ok && t.next !== r.status) this.repo.moveSheet(r.id, t.next, nowIso());
    }
  }

  /** Settles a file with the given answers (origin per item) and moves its delivered sheets to final. */
  private settleWith(
    file: FileSheets,
    caseId: string,
    answers: Answers,
    panelItems: ReadonlySet<string>,
    source: 'auto' | 'panel',
    actorId: string,
    note: string,
    route: ReviewRoute | null = null,
  ): void {
    this.ensureReviewRow(caseId, file.versionId);
    const now = nowIso();
    this.repo.clearAgreed(caseId, source !== 'auto');
    for (const [itemId, answer] of Object.entries(answers))
      if (!panelItems.has(itemId)) this.repo.insertAgreed(caseId, itemId, answer, now);
    this.repo.settle(caseId, { source, versionId: file.versionId, note, by: source === 'panel' ? actorId : null, at: now });
    this.moveSheets(file, { kind: 'finalise' });
    const result = scoreSheet(file.definition!, answers);
    writeAudit(this.db, {
      actorId: source === 'panel' ? actorId : null,
      action: source === 'auto' ? 'review.settle_auto' : 'review.settle',
      entity: 'case',
      entityId: caseId,
      campaignId: file.campaignId,
      // The route says how a person settled it (组长确认, 复核 or 集体评议); the 留痕 and the 评查表 name it.
      after: { source, ...(route ? { route } : {}), total: result.total, grade: result.grade, vetoed: result.vetoed, note, answers },
    });
  }

  /** Settles the file if its delivered sheets agree (after a delivery or a change of rules). */
  private settleIfAgreed(caseId: string, actorId: string): boolean {
    const row = this.reviewRow(caseId);
    if (row?.status === 'final') return false;
    const file = this.fileSheets(caseId);
    if (file.settle.state !== 'agreed') return false;
    this.settleWith(file, caseId, file.settle.answers, new Set(), 'auto', actorId, '');
    return true;
  }

  private withdraw(caseId: string, actorId: string, reason: string): void {
    const row = this.reviewRow(caseId)!;
    const file = this.fileSheets(caseId);
    this.repo.clearAgreed(caseId, row.source !== 'auto');
    this.repo.unsettle(caseId, nowIso());
    this.moveSheets(file, { kind: 'unfinalise' });
    writeAudit(this.db, {
      actorId,
      action: 'review.withdraw',
      entity: 'case',
      entityId: caseId,
      campaignId: file.campaignId,
      before: { source: row.source },
      after: { reason },
    });
  }

  private emitCase(caseId: string, campaignId: string): void {
    this.events.emit('data:changed', { entity: 'case', id: caseId, campaignId });
  }

  private requireReconciler(actor: Actor, caseId: string): { file: FileSheets; row: ReviewRow | undefined } {
    const file = this.fileSheets(caseId);
    const row = this.reviewRow(caseId);
    const state = this.stateOf(file, row);
    if (state === 'final') throw new AppError('locked', '该案卷已定分；如需重新合议，请评查组长先撤销定分。');
    if (state !== 'flagged') throw new AppError('conflict', '该案卷还有评查表未提交，暂不能合议。');
    if (!this.canReconcile(actor, state, this.routeOf(file, row), row))
      throw new AppError('forbidden', '只有评查组长、组织者或指定的复核人可以确定合议结果。');
    return { file, row };
  }

  /**
   * A reviewer delivers their sheet (inside the caller's transaction): every deduction needs its
   * reason, the plain rest may be passed in one step, and the file is settled when its delivered
   * sheets agree. Public for bulk writers (a generated province workspace) that hold one transaction
   * over many files.
   */
  submit(
    sheetId: string,
    revision: number,
    passRemaining: boolean,
    actorId: string,
  ): { caseId: string; campaignId: string; summary: ScoreSummary } {
    const row = this.sheets.sheetRow(sheetId);
    const allowed = transition(row.status, { kind: 'submit' }, { owner: row.reviewer_id === actorId, manager: false });
    if (!allowed.ok) throw new AppError(allowed.code, allowed.message);
    if (row.revision !== revision) throw new AppError('conflict', '评查表已在其他窗口修改，请刷新后再提交。');
    // A further opinion on a file settled without it: refused if the panel settled it,
    // otherwise the automatic settlement is withdrawn and the file judged again below.
    this.beforeAnswer(row.case_id, actorId);
    const def = this.sheets.definition(row.standard_version_id);
    const now = nowIso();
    const campaignId = this.repo.campaignOfCase(row.case_id)!;
    let answers = this.sheets.answers(sheetId);
    // Every deduction and veto is delivered with its reason: the letters quote it as the problem.
    const unexplained = missingReasons(def, answers);
    if (unexplained.length) throw new AppError('reason_required', missingReasonsMessage(def, unexplained), { itemIds: unexplained });
    if (passRemaining) {
      // Only plain items are passed in bulk; a veto item or an item that may be 不适用 is a
      // finding the reviewer makes one by one, so the step refuses while any is open.
      const plan = bulkPassPlan(def, answers);
      if (plan.decide.length) {
        const codes = plan.decide.map((id) => findItem(def, id)?.code ?? id);
        throw new AppError(
          'decision_required',
          `第 ${codes.slice(0, 8).join('、')}${codes.length > 8 ? ' 等' : ''} 项是否决项或可选“不适用”的项目，不能一并评为符合，请逐项评定后再提交。`,
          { itemIds: plan.decide },
        );
      }
      if (plan.pass.length) {
        for (const itemId of plan.pass) this.repo.insertSheetAnswer(sheetId, itemId, { status: 'pass' }, now);
        writeAudit(this.db, {
          actorId,
          action: 'sheet.pass_remaining',
          entity: 'sheet',
          entityId: sheetId,
          campaignId,
          after: { itemIds: plan.pass },
        });
        answers = this.sheets.answers(sheetId);
      }
    }
    const result = scoreSheet(def, answers);
    // A veto decides the file (不合格) whatever the other items say: they need no answer.
    if (result.unanswered.length && !result.vetoed) {
      const codes = result.unanswered.map((id) => findItem(def, id)?.code ?? id);
      throw new AppError(
        'invalid_input',
        `还有 ${codes.length} 项未评定（第 ${codes.slice(0, 8).join('、')}${codes.length > 8 ? ' 等' : ''} 项）。请逐项评定，或选择将其余项目评为符合后提交。`,
        { unanswered: result.unanswered },
      );
    }
    this.repo.submitSheet(sheetId, allowed.next, now);
    writeAudit(this.db, {
      actorId,
      action: 'sheet.submit',
      entity: 'sheet',
      entityId: sheetId,
      campaignId,
      before: { status: row.status },
      after: { status: allowed.next, total: result.total, grade: result.grade, vetoed: result.vetoed },
    });
    this.settleIfAgreed(row.case_id, actorId);
    return { caseId: row.case_id, campaignId, summary: summarise(result) };
  }

  // ── channels ─────────────────────────────────────────────────────────────────────────────

  handlers(): Pick<
    Handlers,
    | 'sheet:submit'
    | 'sheet:reopen'
    | 'review:case'
    | 'review:board'
    | 'review:rules'
    | 'review:setRules'
    | 'review:route'
    | 'review:agreement'
    | 'reconcile:open'
    | 'reconcile:answer'
    | 'reconcile:adoptRest'
    | 'reconcile:finalise'
    | 'reconcile:withdraw'
  > {
    return {
      'sheet:submit': ({ sheetId, revision, passRemaining }, ctx) => {
        const actor = requireActor(ctx);
        const out = tx(this.db, () => this.submit(sheetId, revision, passRemaining, actor.id));
        this.events.emit('data:changed', { entity: 'sheet', id: sheetId, campaignId: out.campaignId });
        this.emitCase(out.caseId, out.campaignId);
        return { sheet: toSheet(this.sheets.sheetRow(sheetId)), summary: out.summary };
      },

      'sheet:reopen': ({ sheetId, reason }, ctx) => {
        const actor = requireActor(ctx);
        const out = tx(this.db, () => {
          let row = this.sheets.sheetRow(sheetId);
          // A file settled automatically goes back to open when one of its sheets is reopened;
          // a panel settlement has to be withdrawn first (the state machine says so).
          if (row.status === 'final' && this.reviewRow(row.case_id)?.source === 'auto') {
            this.withdraw(row.case_id, actor.id, `退回评查表：${reason}`);
            row = this.sheets.sheetRow(sheetId);
          }
          const allowed = transition(
            row.status,
            { kind: 'reopen', reason },
            { owner: row.reviewer_id === actor.id, manager: isManager(actor.role) },
          );
          if (!allowed.ok) throw new AppError(allowed.code, allowed.message);
          const now = nowIso();
          this.repo.reopenSheet(sheetId, allowed.next, reason, actor.id, now);
          this.repo.clearRoute(row.case_id, now);
          const campaignId = this.repo.campaignOfCase(row.case_id)!;
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'sheet.reopen',
            entity: 'sheet',
            entityId: sheetId,
            campaignId,
            before: { status: row.status },
            after: { status: allowed.next, reason },
          });
          return { caseId: row.case_id, campaignId };
        });
        this.events.emit('data:changed', { entity: 'sheet', id: sheetId, campaignId: out.campaignId });
        this.emitCase(out.caseId, out.campaignId);
        return toSheet(this.sheets.sheetRow(sheetId));
      },

      'review:case': ({ caseId }, ctx) => this.caseReview(caseId, requireActor(ctx)),

      'review:board': ({ campaignId, ...page }, ctx) => {
        const actor = requireActor(ctx);
        this.requireCampaign(campaignId);
        const visible = ctx.visibleCaseIds(campaignId);
        return this.boardPage(campaignId, page, visible === 'all' ? null : [...visible], actor);
      },

      'review:rules': ({ campaignId }) => {
        this.requireCampaign(campaignId);
        return this.rules(campaignId);
      },

      'review:setRules': ({ campaignId, rules }, ctx) => {
        const actor = requireActor(ctx);
        this.requireCampaign(campaignId);
        tx(this.db, () => {
          const before = this.rules(campaignId);
          this.repo.setRules(campaignId, rules, actor.id, nowIso());
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'review.rules',
            entity: 'campaign',
            entityId: campaignId,
            campaignId,
            before,
            after: rules,
          });
          // Open files are judged again under the new rules; settled files keep their result.
          for (const id of this.repo.openCases(campaignId)) this.settleIfAgreed(id, actor.id);
        });
        this.events.emit('data:changed', { entity: 'campaign', id: campaignId, campaignId });
        return this.rules(campaignId);
      },

      'review:route': ({ caseId, route, assigneeId, revision }, ctx) => {
        const actor = requireActor(ctx);
        const campaignId = tx(this.db, () => {
          const file = this.fileSheets(caseId);
          const row = this.reviewRow(caseId);
          if (this.stateOf(file, row) !== 'flagged') throw new AppError('conflict', '只有待合议的案卷才能指定处理方式。');
          if (route === 'recheck') {
            if (!assigneeId) throw new AppError('invalid_input', '复核须指定复核人。');
            const person = this.repo.person(assigneeId);
            if (!person || person.disabledAt) throw new AppError('not_found', '指定的复核人不存在或已停用。');
            if (person.role === 'observer') throw new AppError('invalid_input', '观察员不能担任复核人，请选择评查人员或评查组长。');
          }
          this.ensureReviewRow(caseId, file.versionId);
          this.bump(caseId, revision);
          const assignee = route === 'recheck' ? assigneeId : null;
          this.repo.setRoute(caseId, route, assignee);
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'review.route',
            entity: 'case',
            entityId: caseId,
            campaignId: file.campaignId,
            before: { route: row?.route ?? null, assigneeId: row?.assignee_id ?? null },
            after: { route, assigneeId: assignee },
          });
          return file.campaignId;
        });
        this.emitCase(caseId, campaignId);
        return this.caseReview(caseId, actor);
      },

      'review:agreement': ({ campaignId }) => {
        this.requireCampaign(campaignId);
        return this.agreement(campaignId);
      },

      'reconcile:open': ({ caseId }, ctx) => {
        const actor = requireActor(ctx);
        const kase = this.dossiers.getCase(caseId);
        const file = this.fileSheets(caseId);
        const row = this.reviewRow(caseId);
        if (!this.seesAll(actor, file, row))
          throw new AppError('forbidden', '背靠背评查：提交自己的评查表之前，不能查看其他评查人员的评分。');
        if (!file.definition || file.delivered.length === 0)
          throw new AppError('conflict', '该案卷还没有已提交的评查表，暂无可合议的内容。');
        const def = file.definition;
        const delivered = file.delivered.map((r) => ({ row: r, answers: file.answers.get(r.id)! }));
        const review = this.caseReview(caseId, actor);
        const agreed: Record<string, AgreedItem> = {};
        for (const r of this.repo.agreedRows(caseId)) {
          agreed[r.item_id] = {
            answer: this.repo.agreedAnswer(caseId, r),
            note: r.note,
            origin: r.origin,
            decidedByName: r.decided_by_name,
            updatedAt: r.updated_at,
          };
        }
        const divergence = detectDivergence(
          def,
          delivered.map((d) => ({ reviewerName: d.row.reviewer_name, answers: d.answers })),
          this.rules(file.campaignId),
        );
        const evidenceIds = new Set<string>();
        for (const d of delivered) for (const a of Object.values(d.answers)) for (const id of a.evidence ?? []) evidenceIds.add(id);
        for (const a of Object.values(agreed)) for (const id of a.answer.evidence ?? []) evidenceIds.add(id);
        const view: ReconcileView = {
          review,
          caseNumber: kase.caseNumber,
          caseTitle: kase.title,
          unitName: kase.unitName,
          standardName: def.name,
          definition: def,
          sheets: delivered.map((d) => ({
            sheet: toSheet(d.row) satisfies Sheet,
            answers: d.answers,
            summary: summarise(scoreSheet(def, d.answers)),
          })),
          agreed,
          proposal: proposeAgreed(def, delivered),
          divergence: { reasons: divergence.reasons, spread: divergence.spread, differingItems: divergence.differingItems },
          evidence: this.evidenceRefs([...evidenceIds]),
          editable: review.canReconcile,
        };
        return view;
      },

      'reconcile:answer': ({ caseId, itemId, answer, note, revision }, ctx) => {
        const actor = requireActor(ctx);
        const out = tx(this.db, () => {
          const { file } = this.requireReconciler(actor, caseId);
          const def = file.definition!;
          const item = findItem(def, itemId);
          if (!item) throw new AppError('invalid_input', '评查项目不存在于该标准。');
          if (answer) {
            const problem = validateAnswer(item, answer);
            if (problem) throw new AppError('invalid_input', problem);
          }
          const next = this.bump(caseId, revision);
          const before = this.repo.agreedItem(caseId, itemId);
          if (answer) this.repo.setPanelAnswer(caseId, itemId, answer, note, actor.id, nowIso());
          else this.repo.removeAgreedItem(caseId, itemId);
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'reconcile.answer',
            entity: 'case',
            entityId: caseId,
            campaignId: file.campaignId,
            before: { itemId, answer: before?.answer ?? null, note: before?.note ?? '' },
            after: { itemId, answer, note },
          });
          const agreed = {
            ...proposeAgreed(
              def,
              file.delivered.map((r) => ({ answers: file.answers.get(r.id)! })),
            ).answers,
            ...this.storedAnswers(caseId, 'panel'),
          };
          return { revision: next, summary: summarise(scoreSheet(def, agreed)), campaignId: file.campaignId };
        });
        this.emitCase(caseId, out.campaignId);
        return { revision: out.revision, summary: out.summary };
      },

      'reconcile:adoptRest': ({ caseId, sheetId, revision }, ctx) => {
        const actor = requireActor(ctx);
        const out = tx(this.db, () => {
          const { file } = this.requireReconciler(actor, caseId);
          const def = file.definition!;
          const source = file.delivered.find((r) => r.id === sheetId);
          if (!source) throw new AppError('invalid_input', '只能采纳已提交的评查表。');
          const sheetAnswers = file.answers.get(source.id)!;
          const delivered = file.delivered.map((r) => ({ reviewerName: r.reviewer_name, answers: file.answers.get(r.id)! }));
          const proposal = proposeAgreed(def, delivered);
          const panel = this.storedAnswers(caseId, 'panel');
          const open = reconcileOpenItems(def, { ...proposal.answers, ...panel }, proposal.undecided);
          // The disputed items stay the panel's own decision; only what nobody disputes is taken over — and
          // what only this reviewer rated (a vetoing reviewer leaves the rest unrated: no second view to weigh).
          const disputed = new Set(detectDivergence(def, delivered, this.rules(file.campaignId)).differingItems);
          const ratedOnlyHere = (id: string): boolean => delivered.filter((d) => d.answers[id] !== undefined).length === 1;
          const adopted = open.filter((id) => sheetAnswers[id] && (!disputed.has(id) || ratedOnlyHere(id)));
          if (adopted.length === 0) throw new AppError('conflict', '没有可一并采纳的项目：其余项目已有合议结果，或仍有分歧须逐项确定。');
          const next = this.bump(caseId, revision);
          const note = `其余项目采纳${source.reviewer_name}的评定`;
          const at = nowIso();
          for (const id of adopted) this.repo.setPanelAnswer(caseId, id, sheetAnswers[id]!, note, actor.id, at);
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'reconcile.adoptRest',
            entity: 'case',
            entityId: caseId,
            campaignId: file.campaignId,
            before: null,
            after: { reviewer: source.reviewer_name, adoptedItems: adopted.map((id) => findItem(def, id)?.code ?? id) },
          });
          const agreed = { ...proposal.answers, ...this.storedAnswers(caseId, 'panel') };
          return { revision: next, summary: summarise(scoreSheet(def, agreed)), adopted, campaignId: file.campaignId };
        });
        this.emitCase(caseId, out.campaignId);
        return { revision: out.revision, summary: out.summary, adopted: out.adopted };
      },

      'reconcile:finalise': ({ caseId, note, revision }, ctx) => {
        const actor = requireActor(ctx);
        const campaignId = tx(this.db, () => {
          const { file, row } = this.requireReconciler(actor, caseId);
          if ((row?.revision ?? 0) !== revision) throw new AppError('conflict', '合议结果已被其他人修改，请刷新后再操作。');
          const def = file.definition!;
          const proposal = proposeAgreed(
            def,
            file.delivered.map((r) => ({ answers: file.answers.get(r.id)! })),
          );
          const panel = this.storedAnswers(caseId, 'panel');
          // An agreed veto decides the file (不合格): the items still in dispute no longer matter.
          const open = reconcileOpenItems(def, { ...proposal.answers, ...panel }, proposal.undecided);
          if (open.length) {
            const codes = open.map((id) => findItem(def, id)?.code ?? id);
            throw new AppError(
              'conflict',
              `还有 ${codes.length} 个分歧项目未确定合议结果（第 ${codes.join('、')} 项），请逐项确定后再定分。`,
              { undecided: open },
            );
          }
          const route = this.routeOf(file, row) ?? 'confirm';
          this.settleWith(file, caseId, { ...proposal.answers, ...panel }, new Set(Object.keys(panel)), 'panel', actor.id, note, route);
          return file.campaignId;
        });
        this.emitCase(caseId, campaignId);
        return this.caseReview(caseId, actor);
      },

      'reconcile:withdraw': ({ caseId, reason }, ctx) => {
        const actor = requireActor(ctx);
        const campaignId = tx(this.db, () => {
          const row = this.reviewRow(caseId);
          if (!row) this.dossiers.getCase(caseId);
          if (row?.status !== 'final') throw new AppError('conflict', '该案卷尚未定分，无需撤销。');
          if (row.source === 'auto') throw new AppError('conflict', '该案卷是评分一致自动定分的；如需修改，请直接退回相关评查表。');
          this.withdraw(caseId, actor.id, reason);
          return this.fileSheets(caseId).campaignId;
        });
        this.emitCase(caseId, campaignId);
        return this.caseReview(caseId, actor);
      },
    };
  }

  private requireCampaign(campaignId: string): void {
    if (!this.repo.campaignExists(campaignId)) throw new AppError('not_found', '评查活动不存在。');
  }

  private evidenceRefs(ids: string[]): EvidenceRef[] {
    return this.repo.evidenceRefs(ids);
  }
}
