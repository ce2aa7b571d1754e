/**
 * The outcome of each file: what letters, ledgers and statistics quote. One place decides which
 * answers count for a file, so every document and screen agrees.
 *
 * Rule: a file is `final` once its review is settled (electron/services/review.ts, plugged in
 * through `setFinalAnswersSource`): either automatically — every sheet with answers is delivered,
 * at least the campaign's required number, no divergence rule fires (grade bands, any veto, spread,
 * item disagreement) and every item is answered alike, so a single delivered sheet without a veto is
 * final as it stands — or by the panel, which sets the agreed answer of each differing item in the
 * reconciliation. The final answers are the stored agreed answers; individual sheets never change.
 * A file some of whose assigned reviewers (or anyone who began a sheet) have not delivered is still
 * being scored (评分中): it has no result at all, so no list, statistic or letter counts or prints one
 * reviewer's view as the file's (shared/panel/divergence.ts `awaitsSheets`). Once every one of them
 * has delivered, a file the panel has still to settle is `provisional` (a file with fewer reviewers
 * assigned than the campaign requires also, until more are assigned): its total is the mean of
 * the delivered sheets when they agree on veto and grade, else no score but their disagreement in
 * words (the rule: shared/scoring/provisional.ts); its problems are those every delivered sheet found. A draft is a reviewer's unfinished work: it never counts — an
 * empty one would read as 100 分 · 优秀 — so a file with drafts only is `unscored`.
 */
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { isDeliveredStatus } from '../../../shared/scoring/sheet-state.js';
import type { SheetStatus } from '../../../shared/scoring/sheet.js';
import { AppError } from '../../../shared/core/errors.js';
import { applyTopGradeQuota } from '../../../shared/scoring/quota.js';
import { provisionalResult } from '../../../shared/scoring/provisional.js';
import { settledReason } from '../../../shared/scoring/settled-reason.js';
import { agreedFindings } from '../../../shared/scoring/agreed-findings.js';
import { awaitsSheets } from '../../../shared/panel/divergence.js';
import type { StandardDefinition } from '../../../shared/standards/model.js';
import { scoreSheet, type Answers, type ScoreResult } from '../../../shared/scoring/scoring.js';
import type { Db } from '../core/db/database.js';
import { scoringRepo, type OutcomeCaseRow, type ScoringRepo } from './repo.js';
import type { SheetsService } from './sheets.js';

export type OutcomeStatus = 'final' | 'provisional' | 'unscored';

export interface SheetSummaryRow {
  sheetId: string;
  reviewerId: string;
  reviewerName: string;
  status: string;
  total: number;
  grade: string;
  vetoed: boolean;
}

export interface CaseOutcome {
  caseId: string;
  campaignId: string;
  unitId: string;
  unitName: string;
  caseNumber: string;
  caseTitle: string;
  caseType: CaseType;
  status: OutcomeStatus;
  standardVersionId: string | null;
  definition: StandardDefinition | null;
  /** The answers the result was computed from (final agreed answers, or the provisional sheet's). */
  answers: Answers;
  result: ScoreResult | null;
  sheets: SheetSummaryRow[];
  /**
   * Set when the standard caps the top grade (优秀不超过 N%) and this file, though it reached the top
   * grade's line, ranks beyond the cap among the campaign's final files on the same standard version:
   * `result.grade` then holds the next grade and this the one the score alone would give.
   */
  quota: { originalGrade: string; tiedAtCutoff: boolean } | null;
  /**
   * A provisional file whose delivered sheets disagree on a veto or a grade: their conclusions in words
   * (shared/scoring/provisional.ts). `result.grade` is then 待合议 and its total is no score to quote.
   */
  disagreement: string | null;
  /**
   * The reason a letter quotes for each problem of a final result (item id → one reason): the
   * panel's where it decided, else the agreed one — one reviewer's words, never two run together.
   */
  settledReasons: Record<string, string>;
}

/** Where agreed answers come from once the panel has reconciled them; null means "not reconciled". */
export type FinalAnswersSource = (caseId: string) => { standardVersionId: string; answers: Answers } | null;
/** The same for many files at once (files without agreed answers are left out). */
export type FinalAnswersBatch = (caseIds: readonly string[]) => Map<string, { standardVersionId: string; answers: Answers }>;
/** Who is assigned to score these files (case id → reviewers): a file has no result until each of them has delivered. */
export type ExpectedReviewers = (caseIds: readonly string[]) => Map<string, ReadonlySet<string>>;

export class ResultsService {
  private finalAnswers: FinalAnswersSource = () => null;
  private finalAnswersMany: FinalAnswersBatch = () => new Map();
  private expected: ExpectedReviewers = () => new Map();
  private refreshSummaries: () => unknown = () => undefined;
  private storedTrusted = false;

  private readonly repo: ScoringRepo;

  constructor(
    db: Db,
    private readonly sheets: SheetsService,
  ) {
    this.repo = scoringRepo(db);
  }

  /** Writes the stored results of files changed since they were last read (the review service's). */
  setSummaryRefresh(refresh: () => unknown): void {
    this.refreshSummaries = refresh;
  }

  /**
   * Brings the stored file results up to date before a list reads them with SQL; false when they do
   * not hold the final results (a source of agreed answers other than the review service's).
   */
  refreshStored(): boolean {
    if (!this.storedTrusted) return false;
    this.refreshSummaries();
    return true;
  }

  /**
   * Every file's outcome as the statistics need it (total, grade, veto, problems, sheets' scores),
   * read from the stored summaries: one row per file and sheet, no answer read or scored. The
   * answers, blocks and vetoes of each result are left empty; documents quoting a file's items use
   * `campaignOutcomes`.
   */
  storedOutcomes(campaignId: string): CaseOutcome[] {
    if (!this.storedTrusted) return this.campaignOutcomes(campaignId);
    this.refreshSummaries();
    const cases = this.repo.storedOutcomes(campaignId);
    const sheets = new Map<string, SheetSummaryRow[]>();
    for (const r of this.repo.storedSheets(campaignId)) {
      const row: SheetSummaryRow = {
        sheetId: r.sheet_id,
        reviewerId: r.reviewer_id,
        reviewerName: r.reviewer_name,
        status: r.status,
        total: r.total,
        grade: r.grade,
        vetoed: r.vetoed === 1,
      };
      const list = sheets.get(r.case_id);
      if (list) list.push(row);
      else sheets.set(r.case_id, [row]);
    }
    return this.withQuota(
      cases.map((c): CaseOutcome => {
        const definition = c.standard_version_id ? this.sheets.definition(c.standard_version_id) : null;
        const scored = c.outcome !== 'unscored' && c.total !== null && c.grade !== null;
        return {
          caseId: c.id,
          campaignId: c.campaign_id,
          unitId: c.unit_id,
          unitName: c.unit_name,
          caseNumber: c.case_number,
          caseTitle: c.title,
          caseType: c.case_type,
          status: c.outcome,
          standardVersionId: c.standard_version_id,
          definition,
          answers: {},
          result: scored
            ? {
                total: c.total!,
                max: c.max ?? 0,
                grade: c.grade!,
                vetoed: c.vetoed === 1,
                stopped: false,
                vetoes: [],
                blocks: [],
                problems: c.problems,
                unanswered: [],
                unscorable: [],
              }
            : null,
          sheets: sheets.get(c.id) ?? [],
          quota: null,
          disagreement: c.disagreement,
          settledReasons: c.settledReasons,
        };
      }),
    );
  }

  /** A standard version's definition (names, grade bands): what the statistics read beside the stored results. */
  definition(versionId: string): StandardDefinition {
    return this.sheets.definition(versionId);
  }

  /** One sheet's answers (the meeting room compares the delivered sheets it shows). */
  sheetAnswers(sheetId: string): Answers {
    return this.sheets.answers(sheetId);
  }

  /** Where the files' assignments come from (the review service's). */
  setExpectedReviewers(source: ExpectedReviewers): void {
    this.expected = source;
  }

  /** Without a batch, many files are asked one by one (the tests' own sources). */
  setFinalAnswersSource(source: FinalAnswersSource, batch?: FinalAnswersBatch): void {
    this.finalAnswers = source;
    // Only the review service's source lives in the tables whose changes mark stored results stale.
    this.storedTrusted = batch !== undefined;
    this.finalAnswersMany =
      batch ??
      ((ids) => {
        const out = new Map<string, { standardVersionId: string; answers: Answers }>();
        for (const id of ids) {
          const a = source(id);
          if (a) out.set(id, a);
        }
        return out;
      });
  }

  /** A file's outcome; with a top-grade quota the whole campaign is ranked, so the file agrees with the lists. */
  caseOutcome(caseId: string): CaseOutcome {
    const outcome = this.ownOutcome(caseId);
    if (outcome.status !== 'final' || !outcome.definition?.topGradeQuota) return outcome;
    return this.campaignOutcomes(outcome.campaignId).find((o) => o.caseId === caseId)!;
  }

  /**
   * Every file's outcome, read with a handful of statements whatever the campaign's size (a province
   * holds 20,000 files and 60,000 sheets): the same rule as `ownOutcome`, file by file.
   */
  campaignOutcomes(campaignId: string): CaseOutcome[] {
    return this.withQuota(this.outcomesOf(campaignId, null));
  }

  /**
   * The outcomes of some files of a campaign (all when null) before the top-grade quota, which ranks
   * a whole campaign: what the stored file summaries hold.
   */
  outcomesOf(campaignId: string, caseIds: readonly string[] | null): CaseOutcome[] {
    const cases = this.repo.outcomeCases(campaignId, caseIds);
    const sheetRows = this.repo.answeredSheets(campaignId, caseIds);
    const answers = this.sheets.answersOfSheets(sheetRows.map((r) => r.id));
    const byCase = new Map<string, typeof sheetRows>();
    for (const r of sheetRows) {
      const list = byCase.get(r.case_id);
      if (list) list.push(r);
      else byCase.set(r.case_id, [r]);
    }
    const finals = this.finalAnswersMany(cases.map((c) => c.id));
    const assigned = this.expected(cases.map((c) => c.id));
    return cases.map((row) => {
      const own = byCase.get(row.id) ?? [];
      const results = new Map(own.map((s) => [s.id, scoreSheet(this.sheets.definition(s.standard_version_id), answers.get(s.id)!)]));
      return this.outcomeOf(
        row,
        own.map((s) => ({ ...s, result: results.get(s.id)!, answers: answers.get(s.id)! })),
        finals.get(row.id) ?? null,
        assigned.get(row.id) ?? new Set(),
      );
    });
  }

  /**
   * The problems (deducted or vetoed items) of every settled file: what the ledger holds a row for.
   * Reads only the settled files' agreed answers, not the campaign's sheets.
   */
  finalProblemKeys(campaignId: string): Array<{ caseId: string; itemId: string }> {
    const ids = this.repo.caseIdsOfCampaign(campaignId);
    const out: Array<{ caseId: string; itemId: string }> = [];
    for (const [caseId, agreed] of this.finalAnswersMany(ids))
      for (const p of scoreSheet(this.sheets.definition(agreed.standardVersionId), agreed.answers).problems)
        out.push({ caseId, itemId: p.itemId });
    return out;
  }

  /**
   * The grades the top-grade quota changes in a campaign (case id → grade). Cheap when no standard
   * in use sets a quota — the common case — so the results board can ask on every refresh.
   */
  quotaGrades(campaignId: string): Map<string, string> {
    // Most workstations hold no standard with a quota at all: then nothing need be read per campaign
    // (the query below reads every sheet of the campaign, 60,000 in a province).
    if (!this.repo.standardVersionIds().some((id) => this.sheets.definition(id).topGradeQuota)) return new Map();
    if (!this.repo.versionsScoredIn(campaignId).some((id) => this.sheets.definition(id).topGradeQuota)) return new Map();
    return new Map(this.campaignOutcomes(campaignId).flatMap((o) => (o.quota ? [[o.caseId, o.result!.grade] as const] : [])));
  }

  /**
   * The top-grade quota, ranked among final files scored on the same standard version (a provisional
   * score could still change and would move others in or out of the top grade).
   */
  private withQuota(outcomes: CaseOutcome[]): CaseOutcome[] {
    const groups = new Map<string, CaseOutcome[]>();
    for (const o of outcomes)
      if (o.status === 'final' && o.result && o.definition?.topGradeQuota) {
        const group = groups.get(o.standardVersionId!) ?? [];
        group.push(o);
        groups.set(o.standardVersionId!, group);
      }
    const changed = new Map<string, CaseOutcome>();
    for (const group of groups.values()) {
      const ranked = applyTopGradeQuota(
        group[0]!.definition!,
        group.map((o) => ({ key: o.caseId, total: o.result!.total, grade: o.result!.grade })),
      );
      const tied = new Set(ranked.tiedAtCutoff);
      for (const r of ranked.outcomes) {
        if (!r.demoted) continue;
        const o = group.find((g) => g.caseId === r.key)!;
        changed.set(o.caseId, {
          ...o,
          result: { ...o.result!, grade: r.grade },
          quota: { originalGrade: r.originalGrade, tiedAtCutoff: tied.has(o.caseId) },
        });
      }
    }
    return outcomes.map((o) => changed.get(o.caseId) ?? o);
  }

  /** A file's outcome from its own sheets alone. */
  private ownOutcome(caseId: string): CaseOutcome {
    const row = this.repo.outcomeCase(caseId);
    if (!row) throw new AppError('not_found', '案卷不存在。');
    const sheets = this.repo.answeredSheetsOfCase(caseId).map((id) => {
      const s = this.sheets.sheetRow(id);
      const answers = this.sheets.answers(s.id);
      return { ...s, answers, result: scoreSheet(this.sheets.definition(s.standard_version_id), answers) };
    });
    return this.outcomeOf(row, sheets, this.finalAnswers(caseId), this.expected([caseId]).get(caseId) ?? new Set());
  }

  /**
   * The rule itself: agreed answers when settled; else, once every assigned reviewer has delivered, the
   * delivered sheets' provisional result; else (drafts only, or reviewers still scoring) unscored.
   */
  private outcomeOf(
    row: OutcomeCaseRow,
    answered: Array<{
      id: string;
      reviewer_id: string;
      reviewer_name: string;
      standard_version_id: string;
      status: SheetStatus;
      submitted_at: string | null;
      answers: Answers;
      result: ScoreResult;
    }>,
    agreed: { standardVersionId: string; answers: Answers } | null,
    assigned: ReadonlySet<string>,
  ): CaseOutcome {
    const sheets: SheetSummaryRow[] = answered.map((s) => ({
      sheetId: s.id,
      reviewerId: s.reviewer_id,
      reviewerName: s.reviewer_name,
      status: s.status,
      total: s.result.total,
      grade: s.result.grade,
      vetoed: s.result.vetoed,
    }));
    const base = {
      caseId: row.id,
      campaignId: row.campaign_id,
      unitId: row.unit_id,
      unitName: row.unit_name,
      caseNumber: row.case_number,
      caseTitle: row.title,
      caseType: row.case_type,
      sheets,
      quota: null,
      disagreement: null,
      settledReasons: {},
    };
    // Sheets in the order they were delivered (the first reviewer's words come first).
    const deliveredInOrder = answered
      .filter((r) => isDeliveredStatus(r.status))
      .sort((a, b) => (a.submitted_at ?? '').localeCompare(b.submitted_at ?? ''));
    // The 评查组长 answers for the settled wording: where he scored the file himself, his words are quoted.
    const leadAt = deliveredInOrder.findIndex((s) => this.repo.isLead(s.reviewer_id));
    const leadSheet = leadAt < 0 ? null : leadAt;
    if (agreed) {
      const definition = this.sheets.definition(agreed.standardVersionId);
      const result = scoreSheet(definition, agreed.answers);
      return {
        ...base,
        status: 'final',
        standardVersionId: agreed.standardVersionId,
        definition,
        answers: agreed.answers,
        result,
        settledReasons: Object.fromEntries(
          result.problems.map((p) => [
            p.itemId,
            settledReason(
              p.comment,
              deliveredInOrder.map((s) => s.answers[p.itemId]?.comment ?? ''),
              leadSheet,
            ),
          ]),
        ),
      };
    }
    const latest = answered.find((r) => isDeliveredStatus(r.status));
    const stillScoring = awaitsSheets(
      [
        ...answered.map((s) => ({
          delivered: isDeliveredStatus(s.status),
          answeredCount: 1,
          expected: assigned.has(s.reviewer_id),
        })),
        ...[...assigned]
          .filter((id) => !answered.some((s) => s.reviewer_id === id))
          .map(() => ({ delivered: false, answeredCount: 0, expected: true })),
      ],
      // The campaign's required number of sheets is the organiser's to meet by assigning reviewers; the board shows it.
      1,
    );
    if (!latest || stillScoring) {
      // Drafts only, or reviewers still scoring: no result, but the standard they are scored on still names the items (the meeting's evidence labels).
      const draft = answered[0] ?? null;
      const definition = draft ? this.sheets.definition(draft.standard_version_id) : null;
      return { ...base, status: 'unscored', standardVersionId: draft?.standard_version_id ?? null, definition, answers: {}, result: null };
    }
    const definition = this.sheets.definition(latest.standard_version_id);
    // The score is the mean of the delivered sheets, or their disagreement (shared/scoring/provisional.ts); the problems
    // listed are those every delivered sheet found (shared/scoring/agreed-findings.ts), marked provisional wherever
    // they are quoted: one reviewer's disputed veto is no finding.
    const mean = provisionalResult(
      definition,
      deliveredInOrder.map((s) => ({ total: s.result.total, vetoed: s.result.vetoed, reviewerName: s.reviewer_name })),
    )!;
    const problems = agreedFindings(
      deliveredInOrder.map((s) => s.result.problems),
      leadSheet,
    );
    return {
      ...base,
      status: 'provisional',
      standardVersionId: latest.standard_version_id,
      definition,
      answers: latest.answers,
      result: {
        ...latest.result,
        total: mean.total,
        grade: mean.grade,
        vetoed: mean.vetoed,
        problems,
        vetoes: problems.filter((p) => p.veto),
      },
      disagreement: mean.disagreement,
    };
  }
}
