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
 * Until then a file with sheets is `provisional`, scored from its most recently changed sheet.
 */
import type { CaseType } from '../../shared/domain/case-types.js';
import type { StandardDefinition } from '../../shared/standard/model.js';
import { scoreSheet, type Answers, type ScoreResult } from '../../shared/standard/scoring.js';
import type { Db } from './db/database.js';
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
}

/** Where agreed answers come from once reconciliation exists (issue 6); null means "not reconciled". */
export type FinalAnswersSource = (caseId: string) => { standardVersionId: string; answers: Answers } | null;

export class ResultsService {
  private finalAnswers: FinalAnswersSource = () => null;

  constructor(
    private readonly db: Db,
    private readonly sheets: SheetsService,
  ) {}

  setFinalAnswersSource(source: FinalAnswersSource): void {
    this.finalAnswers = source;
  }

  caseOutcome(caseId: string): CaseOutcome {
    const row = this.db
      .prepare(
        `SELECT c.id, c.campaign_id, c.unit_id, u.name AS unit_name, c.case_number, c.title, c.case_type
         FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.id = ?`,
      )
      .get(caseId) as
      | { id: string; campaign_id: string; unit_id: string; unit_name: string; case_number: string; title: string; case_type: CaseType }
      | undefined;
    if (!row) throw new Error(`case ${caseId} not found`);
    const sheetRows = this.db
      .prepare(
        `SELECT s.id FROM sheets s WHERE s.case_id = ? ORDER BY s.updated_at DESC`,
      )
      .all(caseId) as Array<{ id: string }>;
    const sheets: SheetSummaryRow[] = sheetRows.map(({ id }) => {
      const s = this.sheets.sheetRow(id);
      const r = this.sheets.result(s);
      return { sheetId: s.id, reviewerId: s.reviewer_id, reviewerName: s.reviewer_name, status: s.status, total: r.total, grade: r.grade, vetoed: r.vetoed };
    });
    const base = {
      caseId: row.id,
      campaignId: row.campaign_id,
      unitId: row.unit_id,
      unitName: row.unit_name,
      caseNumber: row.case_number,
      caseTitle: row.title,
      caseType: row.case_type,
      sheets,
    };
    const agreed = this.finalAnswers(caseId);
    if (agreed) {
      const definition = this.sheets.definition(agreed.standardVersionId);
      return { ...base, status: 'final', standardVersionId: agreed.standardVersionId, definition, answers: agreed.answers, result: scoreSheet(definition, agreed.answers) };
    }
    const latest = sheetRows[0];
    if (!latest) return { ...base, status: 'unscored', standardVersionId: null, definition: null, answers: {}, result: null };
    const s = this.sheets.sheetRow(latest.id);
    const definition = this.sheets.definition(s.standard_version_id);
    const answers = this.sheets.answers(s.id);
    return { ...base, status: 'provisional', standardVersionId: s.standard_version_id, definition, answers, result: scoreSheet(definition, answers) };
  }

  campaignOutcomes(campaignId: string): CaseOutcome[] {
    const ids = this.db.prepare('SELECT id FROM cases WHERE campaign_id = ? ORDER BY case_number').all(campaignId) as Array<{ id: string }>;
    return ids.map(({ id }) => this.caseOutcome(id));
  }
}
