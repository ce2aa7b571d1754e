/**
 * Score sheets and their answers as scoring and the file results read and write them: the rows, their
 * mapping, the stored file results the statistics read, and the statements, prepared once per database
 * and named for what they answer. Answers and stored problems are read through their schema: a damaged
 * cell names its sheet or file instead of scoring half an answer.
 */
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { AnswerSchema } from '../../../shared/scoring/answer.js';
import { ProblemSchema, SettledReasonsSchema } from '../../../shared/scoring/schemas.js';
import type { Answer, Answers, Problem } from '../../../shared/scoring/scoring.js';
import type { Sheet, SheetStatus } from '../../../shared/scoring/sheet.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { perDatabase } from '../core/db/per-database.js';

export interface SheetRow {
  id: string;
  case_id: string;
  reviewer_id: string;
  reviewer_name: string;
  standard_version_id: string;
  status: SheetStatus;
  revision: number;
  updated_at: string;
  submitted_at: string | null;
  reopen_reason: string | null;
  reopened_at: string | null;
  reopened_by_name: string | null;
}

export const toSheet = (r: SheetRow): Sheet => ({
  id: r.id,
  caseId: r.case_id,
  reviewerId: r.reviewer_id,
  reviewerName: r.reviewer_name,
  standardVersionId: r.standard_version_id,
  status: r.status,
  revision: r.revision,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
  reopenReason: r.reopen_reason,
  reopenedAt: r.reopened_at,
  reopenedByName: r.reopened_by_name,
});

/** A file as its outcome names it. */
export interface OutcomeCaseRow {
  id: string;
  campaign_id: string;
  unit_id: string;
  unit_name: string;
  case_number: string;
  title: string;
  case_type: CaseType;
}

/** A sheet with at least one answer, as a file's outcome weighs it. */
export type AnsweredSheetRow = Pick<
  SheetRow,
  'id' | 'case_id' | 'reviewer_id' | 'reviewer_name' | 'standard_version_id' | 'status' | 'submitted_at'
>;

/** A file's stored result (the review service writes it), with its problems and reasons read. */
export interface StoredOutcomeRow extends OutcomeCaseRow {
  outcome: 'final' | 'provisional' | 'unscored';
  total: number | null;
  max: number | null;
  grade: string | null;
  vetoed: number | null;
  standard_version_id: string | null;
  problems: Problem[];
  disagreement: string | null;
  settledReasons: Record<string, string>;
}

/** A sheet's stored score beside its file's stored result. */
export interface StoredSheetRow {
  sheet_id: string;
  case_id: string;
  status: string;
  total: number;
  grade: string;
  vetoed: number;
  reviewer_id: string;
  reviewer_name: string;
}

const SHEET_SELECT = `SELECT s.*, u.display_name AS reviewer_name, r.display_name AS reopened_by_name
  FROM sheets s JOIN users u ON u.id = s.reviewer_id LEFT JOIN users r ON r.id = s.reopened_by`;

const OUTCOME_CASE_SELECT = `SELECT c.id, c.campaign_id, c.unit_id, u.name AS unit_name, c.case_number, c.title, c.case_type
  FROM cases c JOIN units u ON u.id = c.unit_id`;

// Sheets without a single answer are nobody's opinion yet: left out of every list and result.
const ANSWERED_SHEETS_OF_CAMPAIGN = `SELECT s.id, s.case_id, s.reviewer_id, u.display_name AS reviewer_name, s.standard_version_id, s.status, s.submitted_at
  FROM cases c JOIN sheets s ON s.case_id = c.id JOIN users u ON u.id = s.reviewer_id
  WHERE c.campaign_id = @campaignId`;
const ANSWERED = 'EXISTS (SELECT 1 FROM sheet_answers a WHERE a.sheet_id = s.id) ORDER BY s.updated_at DESC';
const AMONG = 'c.id IN (SELECT value FROM json_each(@ids))';

const sheetRecord = (sheetId: string, itemId: string) => () => `评查表 ${sheetId.slice(0, 8)}… 的第 ${itemId} 项评定`;

function prepare(db: Db) {
  return {
    roleOf: db.prepare('SELECT role FROM users WHERE id = ?').pluck(),
    // sheets
    sheetById: db.prepare(`${SHEET_SELECT} WHERE s.id = ?`),
    sheetOf: db.prepare(`${SHEET_SELECT} WHERE s.case_id = ? AND s.reviewer_id = ? AND s.round = 1`),
    sheetsOfCase: db.prepare(`${SHEET_SELECT} WHERE s.case_id = ? AND s.round = 1 ORDER BY s.created_at, s.id`),
    sheetsOfCases: db.prepare(
      `${SHEET_SELECT} WHERE s.case_id IN (SELECT value FROM json_each(?)) AND s.round = 1 ORDER BY s.case_id, s.created_at, s.id`,
    ),
    ownSheetsOf: db.prepare(
      'SELECT s.id, s.case_id, s.standard_version_id FROM sheets s WHERE s.case_id IN (SELECT value FROM json_each(?)) AND s.reviewer_id = ? AND s.round = 1',
    ),
    insertSheet: db.prepare(
      `INSERT INTO sheets (id, case_id, reviewer_id, round, standard_version_id, status, revision, created_at, updated_at)
       VALUES (?, ?, ?, 1, ?, 'draft', 0, ?, ?)`,
    ),
    bumpRevision: db.prepare('UPDATE sheets SET revision = revision + 1, updated_at = ? WHERE id = ?'),

    // answers
    answersOf: db.prepare('SELECT item_id, answer_json FROM sheet_answers WHERE sheet_id = ?'),
    answeredCount: db.prepare('SELECT count(*) FROM sheet_answers WHERE sheet_id = ?').pluck(),
    answersOfSheets: db.prepare(
      'SELECT sheet_id, item_id, answer_json FROM sheet_answers WHERE sheet_id IN (SELECT value FROM json_each(?))',
    ),
    answer: db.prepare('SELECT answer_json FROM sheet_answers WHERE sheet_id = ? AND item_id = ?').pluck(),
    setAnswer: db.prepare(
      `INSERT INTO sheet_answers (sheet_id, item_id, answer_json, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (sheet_id, item_id) DO UPDATE SET answer_json = excluded.answer_json, updated_at = excluded.updated_at`,
    ),
    removeAnswer: db.prepare('DELETE FROM sheet_answers WHERE sheet_id = ? AND item_id = ?'),

    // who scores a file
    assignedReviewers: db.prepare('SELECT reviewer_id FROM assignments WHERE case_id = ? AND round = 1').pluck(),
    campaignAssigns: db.prepare('SELECT 1 FROM assignments WHERE campaign_id = ? LIMIT 1'),
    campaignOfCase: db.prepare('SELECT campaign_id FROM cases WHERE id = ?').pluck(),

    // outcomes
    outcomeCase: db.prepare(`${OUTCOME_CASE_SELECT} WHERE c.id = ?`),
    outcomeCasesOfCampaign: db.prepare(`${OUTCOME_CASE_SELECT} WHERE c.campaign_id = @campaignId ORDER BY c.case_number`),
    outcomeCasesAmong: db.prepare(`${OUTCOME_CASE_SELECT} WHERE c.campaign_id = @campaignId AND ${AMONG} ORDER BY c.case_number`),
    answeredSheetsOfCampaign: db.prepare(`${ANSWERED_SHEETS_OF_CAMPAIGN} AND ${ANSWERED}`),
    answeredSheetsAmong: db.prepare(`${ANSWERED_SHEETS_OF_CAMPAIGN} AND ${AMONG} AND ${ANSWERED}`),
    answeredSheetsOfCase: db.prepare(`SELECT s.id FROM sheets s WHERE s.case_id = ? AND ${ANSWERED}`).pluck(),
    caseIdsOfCampaign: db.prepare('SELECT id FROM cases WHERE campaign_id = ?').pluck(),
    standardVersionIds: db.prepare('SELECT id FROM standard_versions').pluck(),
    versionsScoredIn: db
      .prepare('SELECT DISTINCT s.standard_version_id AS id FROM sheets s JOIN cases c ON c.id = s.case_id WHERE c.campaign_id = ?')
      .pluck(),

    // stored results
    storedOutcomes: db.prepare(
      `SELECT c.id, c.campaign_id, c.unit_id, u.name AS unit_name, c.case_number, c.title, c.case_type,
         s.outcome, s.total, s.max, s.grade, s.vetoed, s.standard_version_id, s.problems_json, s.disagreement, s.settled_reasons_json
       FROM cases c JOIN units u ON u.id = c.unit_id JOIN case_summaries s ON s.case_id = c.id WHERE c.campaign_id = ? ORDER BY c.case_number`,
    ),
    storedSheets: db.prepare(
      `SELECT x.sheet_id, x.case_id, x.status, x.total, x.grade, x.vetoed, sh.reviewer_id, u.display_name AS reviewer_name
       FROM case_summaries s JOIN sheet_summaries x ON x.case_id = s.case_id JOIN sheets sh ON sh.id = x.sheet_id JOIN users u ON u.id = sh.reviewer_id
       WHERE s.campaign_id = ? AND x.answered > 0 ORDER BY sh.updated_at DESC`,
    ),
  };
}

export class ScoringRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  /** Whether this account is the panel's 组长 (whose own wording a settled finding quotes). */
  isLead(userId: string): boolean {
    return this.q.roleOf.get(userId) === 'lead';
  }

  // ── sheets ───────────────────────────────────────────────────────────────────────────────

  sheet(sheetId: string): SheetRow | null {
    return (this.q.sheetById.get(sheetId) as SheetRow | undefined) ?? null;
  }

  /** The reviewer's own sheet for a file (round 1), or null. */
  sheetOf(caseId: string, reviewerId: string): SheetRow | null {
    return (this.q.sheetOf.get(caseId, reviewerId) as SheetRow | undefined) ?? null;
  }

  /** Every round-1 sheet of a file, oldest first. */
  sheetsOfCase(caseId: string): SheetRow[] {
    return this.q.sheetsOfCase.all(caseId) as SheetRow[];
  }

  /** The round-1 sheets of many files, by file then oldest first. */
  sheetsOfCases(caseIds: readonly string[]): SheetRow[] {
    return this.q.sheetsOfCases.all(JSON.stringify(caseIds)) as SheetRow[];
  }

  /** The reviewer's own round-1 sheets among these files. */
  ownSheetsOf(caseIds: readonly string[], reviewerId: string): Array<{ id: string; case_id: string; standard_version_id: string }> {
    return this.q.ownSheetsOf.all(JSON.stringify(caseIds), reviewerId) as Array<{
      id: string;
      case_id: string;
      standard_version_id: string;
    }>;
  }

  /** A new round-1 draft of the reviewer's. */
  insertSheet(id: string, caseId: string, reviewerId: string, versionId: string, at: string): void {
    this.q.insertSheet.run(id, caseId, reviewerId, versionId, at, at);
  }

  bumpRevision(sheetId: string, at: string): void {
    this.q.bumpRevision.run(at, sheetId);
  }

  // ── answers ──────────────────────────────────────────────────────────────────────────────

  answers(sheetId: string): Answers {
    const out: Answers = {};
    for (const r of this.q.answersOf.all(sheetId) as Array<{ item_id: string; answer_json: string }>)
      out[r.item_id] = parseJsonColumn(AnswerSchema, r.answer_json, sheetRecord(sheetId, r.item_id));
    return out;
  }

  answeredCount(sheetId: string): number {
    return this.q.answeredCount.get(sheetId) as number;
  }

  /** The answers of many sheets at once (every sheet asked for has an entry, empty when unanswered). */
  answersOfSheets(sheetIds: readonly string[]): Map<string, Answers> {
    const out = new Map<string, Answers>(sheetIds.map((id) => [id, {}]));
    if (!sheetIds.length) return out;
    const rows = this.q.answersOfSheets.all(JSON.stringify(sheetIds)) as Array<{ sheet_id: string; item_id: string; answer_json: string }>;
    for (const r of rows)
      out.get(r.sheet_id)![r.item_id] = parseJsonColumn(AnswerSchema, r.answer_json, sheetRecord(r.sheet_id, r.item_id));
    return out;
  }

  /** The sheet's stored answer to one item, or null. */
  answer(sheetId: string, itemId: string): Answer | null {
    const json = this.q.answer.get(sheetId, itemId) as string | undefined;
    return json === undefined ? null : parseJsonColumn(AnswerSchema, json, sheetRecord(sheetId, itemId));
  }

  setAnswer(sheetId: string, itemId: string, answer: Answer, at: string): void {
    this.q.setAnswer.run(sheetId, itemId, JSON.stringify(answer), at);
  }

  removeAnswer(sheetId: string, itemId: string): void {
    this.q.removeAnswer.run(sheetId, itemId);
  }

  // ── who scores a file ────────────────────────────────────────────────────────────────────

  /** The reviewers assigned to the file's first round. */
  assignedReviewers(caseId: string): string[] {
    return this.q.assignedReviewers.all(caseId) as string[];
  }

  /** Whether the campaign has assigned any file to anyone. */
  campaignAssigns(campaignId: string): boolean {
    return this.q.campaignAssigns.get(campaignId) !== undefined;
  }

  campaignOfCase(caseId: string): string {
    return this.q.campaignOfCase.get(caseId) as string;
  }

  // ── outcomes ─────────────────────────────────────────────────────────────────────────────

  outcomeCase(caseId: string): OutcomeCaseRow | null {
    return (this.q.outcomeCase.get(caseId) as OutcomeCaseRow | undefined) ?? null;
  }

  /** The campaign's files (only `caseIds` when given) by 案号. */
  outcomeCases(campaignId: string, caseIds: readonly string[] | null): OutcomeCaseRow[] {
    return (
      caseIds
        ? this.q.outcomeCasesAmong.all({ campaignId, ids: JSON.stringify(caseIds) })
        : this.q.outcomeCasesOfCampaign.all({ campaignId })
    ) as OutcomeCaseRow[];
  }

  /** The sheets with answers of the campaign's files (only `caseIds` when given), most recently changed first. */
  answeredSheets(campaignId: string, caseIds: readonly string[] | null): AnsweredSheetRow[] {
    return (
      caseIds
        ? this.q.answeredSheetsAmong.all({ campaignId, ids: JSON.stringify(caseIds) })
        : this.q.answeredSheetsOfCampaign.all({ campaignId })
    ) as AnsweredSheetRow[];
  }

  /** The ids of the file's sheets with answers, most recently changed first. */
  answeredSheetsOfCase(caseId: string): string[] {
    return this.q.answeredSheetsOfCase.all(caseId) as string[];
  }

  caseIdsOfCampaign(campaignId: string): string[] {
    return this.q.caseIdsOfCampaign.all(campaignId) as string[];
  }

  /** Every standard version the workstation holds. */
  standardVersionIds(): string[] {
    return this.q.standardVersionIds.all() as string[];
  }

  /** The standard versions the campaign's sheets are scored on. */
  versionsScoredIn(campaignId: string): string[] {
    return this.q.versionsScoredIn.all(campaignId) as string[];
  }

  // ── stored results ───────────────────────────────────────────────────────────────────────

  /** The campaign's stored file results by 案号. */
  storedOutcomes(campaignId: string): StoredOutcomeRow[] {
    const rows = this.q.storedOutcomes.all(campaignId) as Array<
      Omit<StoredOutcomeRow, 'problems' | 'settledReasons'> & { problems_json: string; settled_reasons_json: string }
    >;
    return rows.map(({ problems_json, settled_reasons_json, ...r }) => ({
      ...r,
      problems:
        problems_json === '[]' ? [] : parseJsonColumn(ProblemSchema.array(), problems_json, () => `案卷“${r.case_number}”保存的问题清单`),
      settledReasons:
        settled_reasons_json === '{}'
          ? {}
          : parseJsonColumn(SettledReasonsSchema, settled_reasons_json, () => `案卷“${r.case_number}”保存的合议理由`),
    }));
  }

  /** The stored scores of the campaign's sheets with answers, most recently changed first. */
  storedSheets(campaignId: string): StoredSheetRow[] {
    return this.q.storedSheets.all(campaignId) as StoredSheetRow[];
  }
}

/** The scoring statements of this database, shared by the sheets and the results. */
export const scoringRepo = perDatabase((db) => new ScoringRepo(db));
