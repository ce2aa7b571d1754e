/**
 * Score sheets (一卷一表): one per reviewer per file per round. Answers are stored per item; totals
 * and grades are always recomputed by the shared scoring function, never stored as the only truth.
 */
import { randomUUID } from 'node:crypto';
import type { StartedSheetView } from '../../../shared/contract/index.js';
import type { ScoreSummary } from '../../../shared/scoring/sheet.js';
import { transition } from '../../../shared/scoring/sheet-state.js';
import { AppError } from '../../../shared/core/errors.js';
import { findItem, type StandardDefinition } from '../../../shared/standards/model.js';
import { scoreSheet, validateAnswer, type Answer, type Answers, type ScoreResult } from '../../../shared/scoring/scoring.js';
import { writeAudit } from '../core/audit.js';
import type { CampaignsService } from '../campaigns/index.js';
import { nowIso, requireActor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { DossiersService } from '../dossiers/index.js';
import type { EventHub } from '../core/event-hub.js';
import { summaryOf, type StandardsService } from '../standards/index.js';
import { scoringRepo, toSheet, type ScoringRepo, type SheetRow } from './repo.js';

/** What an organiser or lead who is not on a file's panel sees beside it. */
export const NOT_ASSIGNED_TO_SCORE = '您未被分配评查此案卷，仅可查阅。';
/** What anyone sees beside a file of a campaign that assigns files, while nobody is assigned to it. */
export const NOT_YET_ASSIGNED = '此案卷尚未分配评查人员，仅可查阅；如需评分，请评查组长先分配。';

/**
 * What the file's review says about changing its sheets (the review service answers, see
 * review.ts): called inside the answer transaction, it refuses (throws) on a file the panel has
 * settled, and withdraws an automatic settlement when a further reviewer starts scoring.
 */
export interface CaseGate {
  /** True when it changed the file's review (an automatic settlement was withdrawn). */
  beforeAnswer(caseId: string, actorId: string): boolean;
  /** A reason the file's sheets cannot change now, or null. */
  lockReason(caseId: string): string | null;
}

export const summarise = (result: ScoreResult): ScoreSummary => ({
  total: result.total,
  max: result.max,
  grade: result.grade,
  vetoed: result.vetoed,
  problemCount: result.problems.length,
  unansweredCount: result.unanswered.length,
});

export class SheetsService {
  /** Parsed definitions by version id: versions are frozen, so caching them is safe. */
  private readonly definitions = new Map<string, StandardDefinition>();
  private gate: CaseGate = { beforeAnswer: () => false, lockReason: () => null };
  private readonly repo: ScoringRepo;

  constructor(
    private readonly db: Db,
    private readonly standards: StandardsService,
    private readonly campaigns: CampaignsService,
    private readonly dossiers: DossiersService,
    private readonly events: EventHub,
  ) {
    this.repo = scoringRepo(db);
  }

  setCaseGate(gate: CaseGate): void {
    this.gate = gate;
  }

  definition(versionId: string): StandardDefinition {
    let def = this.definitions.get(versionId);
    if (!def) {
      def = this.standards.getVersion(versionId).definition;
      this.definitions.set(versionId, def);
    }
    return def;
  }

  answers(sheetId: string): Answers {
    return this.repo.answers(sheetId);
  }

  answeredCount(sheetId: string): number {
    return this.repo.answeredCount(sheetId);
  }

  /** Every round-1 sheet of a file, oldest first. */
  sheetsOfCase(caseId: string): SheetRow[] {
    return this.repo.sheetsOfCase(caseId);
  }

  /**
   * The round-1 sheets of many files at once, oldest first per file: lists of a whole campaign read
   * them in one statement instead of one per file.
   */
  sheetsOfCases(caseIds: readonly string[]): Map<string, SheetRow[]> {
    const out = new Map<string, SheetRow[]>();
    if (!caseIds.length) return out;
    for (const r of this.repo.sheetsOfCases(caseIds)) {
      const list = out.get(r.case_id);
      if (list) list.push(r);
      else out.set(r.case_id, [r]);
    }
    return out;
  }

  /** The answers of many sheets at once (every sheet asked for has an entry, empty when unanswered). */
  answersOfSheets(sheetIds: readonly string[]): Map<string, Answers> {
    return this.repo.answersOfSheets(sheetIds);
  }

  /** The caller's own score of each of these files (files without an answered sheet are left out). */
  myScores(caseIds: readonly string[], userId: string): Map<string, ScoreSummary> {
    const out = new Map<string, ScoreSummary>();
    if (!caseIds.length) return out;
    const rows = this.repo.ownSheetsOf(caseIds, userId);
    const answers = this.answersOfSheets(rows.map((r) => r.id));
    for (const r of rows) {
      const a = answers.get(r.id)!;
      if (Object.keys(a).length) out.set(r.case_id, summarise(scoreSheet(this.definition(r.standard_version_id), a)));
    }
    return out;
  }

  sheetRow(sheetId: string): SheetRow {
    const row = this.repo.sheet(sheetId);
    if (!row) throw new AppError('not_found', '评查表不存在。');
    return row;
  }

  /** The reviewer's own sheet for a file (round 1), or null. */
  findSheet(caseId: string, reviewerId: string): SheetRow | null {
    return this.repo.sheetOf(caseId, reviewerId);
  }

  result(row: SheetRow): ScoreResult {
    return scoreSheet(this.definition(row.standard_version_id), this.answers(row.id));
  }

  /** The caller's own score for the case list; a sheet without answers has no score yet (not 100 分). */
  myScore(caseId: string, userId: string): ScoreSummary | null {
    const row = this.findSheet(caseId, userId);
    return row && this.answeredCount(row.id) > 0 ? summarise(this.result(row)) : null;
  }

  /**
   * Why the actor may not start a sheet on this file, or null when they may. A sheet is the work of
   * a reviewer assigned to the file (一卷一表 per assigned reviewer): the organiser, and a lead who
   * settles the file without being on it, read the file, the 评分概况 and hold the 合议 without one.
   * A file nobody is assigned to yet waits for its assignment. Reading a file never starts one.
   */
  startRefusal(caseId: string, campaignId: string, actorId: string): string | null {
    const assigned = this.repo.assignedReviewers(caseId);
    if (assigned.includes(actorId)) return null;
    if (assigned.length) return NOT_ASSIGNED_TO_SCORE;
    return this.repo.campaignAssigns(campaignId) ? NOT_YET_ASSIGNED : NOT_ASSIGNED_TO_SCORE;
  }

  /**
   * Creates the actor's round-1 sheet (inside the caller's transaction); refused when they are not to
   * score the file. Public for bulk writers (a generated province workspace) that hold one transaction
   * over many files.
   */
  start(caseId: string, actorId: string): SheetRow {
    const existing = this.findSheet(caseId, actorId);
    if (existing) return existing;
    const kase = this.dossiers.getCase(caseId);
    const refusal = this.startRefusal(caseId, kase.campaignId, actorId);
    if (refusal) throw new AppError('forbidden', refusal, { reason: 'not_assigned' });
    const locked = this.gate.lockReason(caseId);
    if (locked) throw new AppError('locked', locked);
    const versionId = this.campaigns.standardVersionFor(kase.campaignId, kase.caseType);
    const id = randomUUID();
    const now = nowIso();
    this.standards.freeze(versionId);
    this.repo.insertSheet(id, caseId, actorId, versionId, now);
    writeAudit(this.db, {
      actorId,
      action: 'sheet.create',
      entity: 'sheet',
      entityId: id,
      campaignId: kase.campaignId,
      after: { caseId, versionId },
    });
    return this.sheetRow(id);
  }

  /**
   * One item of a sheet decided by its reviewer (inside the caller's transaction): the state, the
   * revision the reviewer saw, the file's gate and the answer's shape are checked, the change is
   * audited. The channel adds the sheet's new score; bulk writers skip it.
   */
  answer(
    sheetId: string,
    itemId: string,
    answer: Answer | null,
    revision: number,
    actorId: string,
  ): { revision: number; versionId: string; campaignId: string; caseId: string; settlementWithdrawn: boolean } {
    const row = this.sheetRow(sheetId);
    const allowed = transition(row.status, { kind: 'answer' }, { owner: row.reviewer_id === actorId, manager: false });
    if (!allowed.ok) throw new AppError(allowed.code, allowed.message);
    if (row.revision !== revision) throw new AppError('conflict', '评查表已在其他窗口修改，请刷新后再操作。');
    const settlementWithdrawn = this.gate.beforeAnswer(row.case_id, actorId);
    const def = this.definition(row.standard_version_id);
    const item = findItem(def, itemId);
    if (!item) throw new AppError('invalid_input', '评查项目不存在于该标准。');
    if (answer) {
      const problem = validateAnswer(item, answer);
      if (problem) throw new AppError('invalid_input', problem);
    }
    const before = this.repo.answer(sheetId, itemId);
    const now = nowIso();
    if (answer) this.repo.setAnswer(sheetId, itemId, answer, now);
    else this.repo.removeAnswer(sheetId, itemId);
    this.repo.bumpRevision(sheetId, now);
    const campaignId = this.repo.campaignOfCase(row.case_id);
    writeAudit(this.db, {
      actorId,
      action: 'sheet.answer',
      entity: 'sheet',
      entityId: sheetId,
      campaignId,
      before: { itemId, answer: before },
      after: { itemId, answer },
    });
    return { revision: row.revision + 1, versionId: row.standard_version_id, campaignId, caseId: row.case_id, settlementWithdrawn };
  }

  private view(caseId: string, row: SheetRow, actorId: string): StartedSheetView {
    const { row: versionRow, definition } = this.standards.getVersion(row.standard_version_id);
    const answers = this.answers(row.id);
    return {
      sheet: toSheet(row),
      caseId,
      standard: summaryOf(versionRow, definition),
      definition,
      answers,
      summary: summarise(scoreSheet(definition, answers)),
      editable:
        transition(row.status, { kind: 'answer' }, { owner: row.reviewer_id === actorId, manager: false }).ok &&
        this.gate.lockReason(caseId) === null,
      notice: null,
    };
  }

  handlers(): Pick<Handlers, 'sheet:open' | 'sheet:start' | 'sheet:answer'> {
    return {
      'sheet:open': ({ caseId }, ctx) => {
        const actor = requireActor(ctx);
        const kase = this.dossiers.getCase(caseId);
        const row = this.findSheet(caseId, actor.id);
        if (row) return this.view(caseId, row, actor.id);
        // No sheet yet: the standard the file would be scored on, and whether a first answer starts one.
        const versionId = this.campaigns.standardVersionFor(kase.campaignId, kase.caseType);
        const { row: versionRow, definition } = this.standards.getVersion(versionId);
        const refusal = this.startRefusal(caseId, kase.campaignId, actor.id) ?? this.gate.lockReason(caseId);
        return {
          sheet: null,
          caseId,
          standard: summaryOf(versionRow, definition),
          definition,
          answers: {},
          summary: summarise(scoreSheet(definition, {})),
          editable: refusal === null,
          notice: refusal ?? '尚未开始评分：评定任一项目即建立您的评查表。',
        };
      },

      'sheet:start': ({ caseId }, ctx) => {
        const actor = requireActor(ctx);
        const existed = this.findSheet(caseId, actor.id) !== null;
        const row = tx(this.db, () => this.start(caseId, actor.id));
        if (!existed)
          this.events.emit('data:changed', { entity: 'sheet', id: row.id, campaignId: this.dossiers.getCase(caseId).campaignId });
        return this.view(caseId, row, actor.id);
      },

      'sheet:answer': ({ sheetId, itemId, answer, revision }, ctx) => {
        const actor = requireActor(ctx);
        const out = tx(this.db, () => {
          const done = this.answer(sheetId, itemId, answer, revision, actor.id);
          return { ...done, summary: summarise(scoreSheet(this.definition(done.versionId), this.answers(sheetId))) };
        });
        this.events.emit('data:changed', { entity: 'sheet', id: sheetId, campaignId: out.campaignId });
        if (out.settlementWithdrawn) this.events.emit('data:changed', { entity: 'case', id: out.caseId, campaignId: out.campaignId });
        return { revision: out.revision, summary: out.summary };
      },
    };
  }
}
