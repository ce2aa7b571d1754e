/**
 * Letters as their screens, numbering and exports read and write them: the bureau's templates, each
 * unit's open letter with its 文号, the per-body 文号 sequences, and what the campaign facts read of
 * units, files, stored results and evidence pages; statements prepared once per database and named
 * for what they answer.
 */
import { z } from 'zod';
import { GongwenDocSchema, LETTER_KIND_LABELS, type GongwenDoc, type LetterKind } from '../../../shared/letters/document.js';
import { LetterTemplateSchema, type LetterTemplate } from '../../../shared/letters/template.js';
import { AnswerSchema, type Answer } from '../../../shared/scoring/answer.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { perDatabase } from '../core/db/per-database.js';

/**
 * A template as stored: the fields saved then (a template saved before a field existed lacks it, and
 * the defaults fill it in), each as the template screen checked it.
 */
const StoredTemplateSchema = z.object(LetterTemplateSchema.shape).partial();

/** A letter not yet issued: the one per campaign, kind and unit that numbering and exports work on. */
export interface LetterRow {
  id: string;
  unit_id: string | null;
  kind: LetterKind;
  issuing_body: string;
  number_prefix: string;
  number_year: number | null;
  number_serial: number | null;
  document_number: string | null;
  updated_at: string;
  /** 'draft' or 'checked' (the content frozen for issuing); issued letters are never open. */
  status: 'draft' | 'checked';
  checked_content_json: string | null;
}

/** A file's stored result, as the statistics count it. */
export interface SummaryRow {
  id: string;
  unit_id: string;
  outcome: 'final' | 'provisional' | 'unscored';
  total: number | null;
  max: number | null;
  grade: string | null;
  vetoed: number | null;
  standard_version_id: string | null;
  disagreement: string | null;
}

/** Scored files alike in everything the statistics count; `own` is the file's id when it has findings (then n = 1). */
export interface ScoredGroupRow {
  unit_id: string;
  standard_version_id: string;
  outcome: 'final' | 'provisional';
  grade: string;
  vetoed: number | null;
  disagreement: string | null;
  total: number;
  max: number | null;
  own: string | null;
  /** Whether the files are under review (the current draw's, or every file when nothing was drawn). */
  reviewed: number;
  n: number;
}

/** The counted fields of one problem of a file's stored result. */
export interface ProblemRow {
  case_id: string;
  item_id: string;
  code: string;
  text: string;
  category: string | null;
  block_title: string | null;
  deduction: number;
  veto: number | null;
}

/** The 文号 a letter keeps: once assigned (from the sequence or typed), it stays for the same body and year. */
export const keptNumber = (
  row: Pick<LetterRow, 'document_number' | 'issuing_body' | 'number_year'>,
  body: string,
  year: number,
): string | null => (row.document_number && row.issuing_body === body && row.number_year === year ? row.document_number : null);

/**
 * The statistics' figures read as a few grouped rows, not one row per file: files under review per
 * unit (the current draw's files when the campaign drew), the scored files grouped by everything the
 * figures count (unit, standard, settled or not, grade, veto, 待合议, score; a file with findings
 * stays a row of its own, as its problems are counted per file), and the counted fields of the
 * problems (a vetoed file's 否决 findings alone). Exported for the test that keeps their query plans.
 */
export const STATISTICS_SQL = {
  casesPerUnit: 'SELECT unit_id, count(*) AS n FROM cases WHERE campaign_id = ? GROUP BY unit_id',
  drawnPerUnit:
    'SELECT c.unit_id, count(*) AS n FROM drawn_cases dc JOIN cases c ON c.id = dc.case_id WHERE dc.draw_id = ? GROUP BY c.unit_id',
  scoredGroups: `SELECT c.unit_id, s.standard_version_id, s.outcome, s.grade, s.vetoed, s.disagreement, s.total, s.max,
         CASE WHEN s.problems_json = '[]' THEN NULL ELSE s.case_id END AS own,
         (@draw IS NULL OR EXISTS (SELECT 1 FROM drawn_cases dc WHERE dc.draw_id = @draw AND dc.case_id = s.case_id)) AS reviewed,
         count(*) AS n
       FROM case_summaries s JOIN cases c ON c.id = s.case_id
       WHERE s.campaign_id = @campaignId AND s.outcome IN ('final', 'provisional')
         AND s.total IS NOT NULL AND s.grade IS NOT NULL AND s.standard_version_id IS NOT NULL
       GROUP BY c.unit_id, s.standard_version_id, s.outcome, s.grade, s.vetoed, s.disagreement, s.total, s.max, own, reviewed
       ORDER BY min(c.case_number)`,
  countedProblems: `SELECT s.case_id, json_extract(p.value, '$.itemId') AS item_id, json_extract(p.value, '$.code') AS code,
         json_extract(p.value, '$.text') AS text, json_extract(p.value, '$.category') AS category,
         json_extract(p.value, '$.blockTitles[0]') AS block_title, json_extract(p.value, '$.deduction') AS deduction,
         json_extract(p.value, '$.veto') AS veto
       FROM case_summaries s, json_each(s.problems_json) p
       WHERE s.campaign_id = ? AND s.outcome <> 'unscored' AND s.problems_json <> '[]'
         AND (s.vetoed IS NOT 1 OR json_extract(p.value, '$.veto') = 1)`,
} as const;

function prepare(db: Db) {
  return {
    template: db.prepare(
      'SELECT t.settings_json, t.updated_at, u.display_name FROM letter_templates t LEFT JOIN users u ON u.id = t.updated_by WHERE t.kind = ?',
    ),
    saveTemplate: db.prepare(
      `INSERT INTO letter_templates (kind, settings_json, updated_by, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind) DO UPDATE SET settings_json = excluded.settings_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ),
    openLetter: db.prepare(
      `SELECT * FROM letters WHERE campaign_id = ? AND kind = ? AND unit_id IS ? AND status IN ('draft', 'checked') ORDER BY created_at DESC LIMIT 1`,
    ),
    insertLetter: db.prepare(
      `INSERT INTO letters (id, campaign_id, unit_id, kind, issuing_body, number_prefix, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    touchLetter: db.prepare('UPDATE letters SET updated_at = ? WHERE id = ?'),
    setNumber: db.prepare(
      'UPDATE letters SET issuing_body = ?, number_prefix = ?, number_year = ?, number_serial = ?, document_number = ?, updated_at = ? WHERE id = ?',
    ),
    advanceSequence: db.prepare(
      `INSERT INTO letter_sequences (issuing_body, prefix, year, last_serial) VALUES (?, ?, ?, ?)
       ON CONFLICT (issuing_body, prefix, year) DO UPDATE SET last_serial = max(last_serial, excluded.last_serial)`,
    ),
    setSequence: db.prepare(
      `INSERT INTO letter_sequences (issuing_body, prefix, year, last_serial) VALUES (?, ?, ?, ?)
       ON CONFLICT (issuing_body, prefix, year) DO UPDATE SET last_serial = excluded.last_serial`,
    ),
    lastSerial: db.prepare('SELECT last_serial FROM letter_sequences WHERE issuing_body = ? AND prefix = ? AND year = ?').pluck(),
    serialTaken: db.prepare('SELECT 1 FROM letters WHERE issuing_body = ? AND number_prefix = ? AND number_year = ? AND number_serial = ?'),
    letterNumbered: db.prepare(
      `SELECT l.kind, u.name AS unit_name, c.name AS campaign_name FROM letters l JOIN campaigns c ON c.id = l.campaign_id LEFT JOIN units u ON u.id = l.unit_id
       WHERE l.document_number = ? AND l.id IS NOT ? LIMIT 1`,
    ),
    issuedNumbered: db.prepare('SELECT title FROM signed_documents WHERE document_number = ? AND subject_id IS NOT ? LIMIT 1').pluck(),
    checkedContent: db.prepare(`SELECT checked_content_json FROM letters WHERE id = ? AND status = 'checked'`).pluck(),
    setLastExport: db.prepare('UPDATE letters SET last_export_id = ? WHERE id = ?'),
    openLettersOfCampaign: db.prepare(
      `SELECT l.kind, l.unit_id, l.document_number, e.created_at AS exported_at FROM letters l LEFT JOIN exports e ON e.id = l.last_export_id
       WHERE l.campaign_id = ? AND l.status IN ('draft', 'checked') ORDER BY l.kind, l.created_at`,
    ),
    // ── what the campaign facts read ──
    dossierPages: db.prepare(
      `SELECT a.page_index + 1 + (SELECT COALESCE(SUM(o.page_count), 0) FROM documents o WHERE o.case_id = d.case_id AND (o.position < d.position OR (o.position = d.position AND o.created_at < d.created_at))) AS page
       FROM annotations a JOIN documents d ON d.id = a.document_id
       WHERE a.deleted_at IS NULL AND a.id IN (SELECT value FROM json_each(?))`,
    ),
    answersToItem: db.prepare(
      `SELECT s.reviewer_id, a.sheet_id, a.answer_json FROM sheet_answers a JOIN sheets s ON s.id = a.sheet_id WHERE s.case_id = ? AND a.item_id = ?`,
    ),
    unitsOfCampaign: db.prepare('SELECT id, name FROM units WHERE campaign_id = ?'),
    partiesOfCampaign: db.prepare('SELECT id, party FROM cases WHERE campaign_id = ?'),
    withoutDocument: db
      .prepare('SELECT c.id FROM cases c WHERE c.campaign_id = ? AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id)')
      .pluck(),
    summariesOfCampaign: db.prepare(
      `SELECT c.id, c.unit_id, s.outcome, s.total, s.max, s.grade, s.vetoed, s.standard_version_id, s.disagreement
       FROM cases c JOIN units u ON u.id = c.unit_id JOIN case_summaries s ON s.case_id = c.id WHERE c.campaign_id = ? ORDER BY c.case_number`,
    ),
    casesPerUnit: db.prepare(STATISTICS_SQL.casesPerUnit),
    drawnPerUnit: db.prepare(STATISTICS_SQL.drawnPerUnit),
    scoredGroups: db.prepare(STATISTICS_SQL.scoredGroups),
    countedProblems: db.prepare(STATISTICS_SQL.countedProblems),
  };
}

export class LettersRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  /** The template saved for the kind (its saved fields only), with who saved it when; null before the first save. */
  template(kind: LetterKind): { stored: Partial<LetterTemplate>; updatedAt: string; updatedBy: string | null } | null {
    const row = this.q.template.get(kind) as { settings_json: string; updated_at: string; display_name: string | null } | undefined;
    if (!row) return null;
    return {
      stored: parseJsonColumn(StoredTemplateSchema, row.settings_json, `${LETTER_KIND_LABELS[kind]}的文书模板`),
      updatedAt: row.updated_at,
      updatedBy: row.display_name,
    };
  }

  saveTemplate(kind: LetterKind, template: LetterTemplate, actorId: string, at: string): void {
    this.q.saveTemplate.run(kind, JSON.stringify(template), actorId, at);
  }

  /** The campaign's letter of this kind to the unit (null: the 通报) that is not yet issued, the latest first. */
  openLetter(campaignId: string, kind: LetterKind, unitId: string | null): LetterRow | null {
    return (this.q.openLetter.get(campaignId, kind, unitId) as LetterRow | undefined) ?? null;
  }

  insertLetter(row: {
    id: string;
    campaignId: string;
    unitId: string | null;
    kind: LetterKind;
    issuingBody: string;
    numberPrefix: string;
    createdBy: string;
    at: string;
  }): void {
    this.q.insertLetter.run(row.id, row.campaignId, row.unitId, row.kind, row.issuingBody, row.numberPrefix, row.createdBy, row.at, row.at);
  }

  touchLetter(letterId: string, at: string): void {
    this.q.touchLetter.run(at, letterId);
  }

  /** Gives the letter its 文号 and the body and sequence it belongs to. */
  setNumber(
    letterId: string,
    n: { issuingBody: string; prefix: string; year: number; serial: number; documentNumber: string },
    at: string,
  ): void {
    this.q.setNumber.run(n.issuingBody, n.prefix, n.year, n.serial, n.documentNumber, at, letterId);
  }

  /** The last serial used of a sequence: moved on past a number ('advance'), or put where the bureau says ('set'). */
  recordSerial(body: string, prefix: string, year: number, lastSerial: number, how: 'advance' | 'set'): void {
    (how === 'advance' ? this.q.advanceSequence : this.q.setSequence).run(body, prefix, year, lastSerial);
  }

  /** The last serial the body's sequence used, or null before its first. */
  lastSerial(body: string, prefix: string, year: number): number | null {
    return (this.q.lastSerial.get(body, prefix, year) as number | undefined) ?? null;
  }

  /** Whether a letter of the body already carries this serial of the sequence. */
  serialTaken(body: string, prefix: string, year: number, serial: number): boolean {
    return this.q.serialTaken.get(body, prefix, year, serial) !== undefined;
  }

  /** The letter (other than `exceptLetterId`) that carries the 文号, with its unit and campaign names. */
  letterNumbered(
    documentNumber: string,
    exceptLetterId: string | null,
  ): { kind: LetterKind; unitName: string | null; campaignName: string } | null {
    const row = this.q.letterNumbered.get(documentNumber, exceptLetterId) as
      { kind: LetterKind; unit_name: string | null; campaign_name: string } | undefined;
    return row ? { kind: row.kind, unitName: row.unit_name, campaignName: row.campaign_name } : null;
  }

  /** The title of the issued document (other than the letter's own) that carries the 文号. */
  issuedNumbered(documentNumber: string, exceptLetterId: string | null): string | null {
    return (this.q.issuedNumbered.get(documentNumber, exceptLetterId) as string | undefined) ?? null;
  }

  /** The content frozen when the letter was checked for issuing, or null. */
  checkedContent(letterId: string): GongwenDoc | null {
    const json = this.q.checkedContent.get(letterId) as string | null | undefined;
    return json ? parseJsonColumn(GongwenDocSchema, json, `文书 ${letterId} 的定稿内容`) : null;
  }

  setLastExport(letterId: string, exportId: string): void {
    this.q.setLastExport.run(exportId, letterId);
  }

  /** The campaign's letters not yet issued, with when each was last exported. */
  openLettersOfCampaign(
    campaignId: string,
  ): Array<{ kind: LetterKind; unitId: string | null; documentNumber: string | null; exportedAt: string | null }> {
    return (
      this.q.openLettersOfCampaign.all(campaignId) as Array<{
        kind: LetterKind;
        unit_id: string | null;
        document_number: string | null;
        exported_at: string | null;
      }>
    ).map((l) => ({ kind: l.kind, unitId: l.unit_id, documentNumber: l.document_number, exportedAt: l.exported_at }));
  }

  /** The dossier pages (1-based across the case's documents in their order) the marks lie on, unsorted, repeated. */
  dossierPages(annotationIds: readonly string[]): number[] {
    return (this.q.dossierPages.all(JSON.stringify(annotationIds)) as Array<{ page: number }>).map((r) => r.page);
  }

  /** Every reviewer's answer to the item on the file's sheets. */
  answersToItem(caseId: string, itemId: string): Array<{ reviewerId: string; answer: Answer }> {
    return (this.q.answersToItem.all(caseId, itemId) as Array<{ reviewer_id: string; sheet_id: string; answer_json: string }>).map((r) => ({
      reviewerId: r.reviewer_id,
      answer: parseJsonColumn(AnswerSchema, r.answer_json, () => `评查表 ${r.sheet_id} 第 ${itemId} 项的评定`),
    }));
  }

  /** The campaign's units, unsorted. */
  unitsOfCampaign(campaignId: string): Array<{ id: string; name: string }> {
    return this.q.unitsOfCampaign.all(campaignId) as Array<{ id: string; name: string }>;
  }

  /** Cases on the unit's list whose PDF never arrived (缺卷): listed, but not delivered. */
  withoutDocument(campaignId: string): Set<string> {
    return new Set(this.q.withoutDocument.all(campaignId) as string[]);
  }

  /** Each case of the campaign's 当事人, by case id. */
  partiesOfCampaign(campaignId: string): Map<string, string> {
    return new Map((this.q.partiesOfCampaign.all(campaignId) as Array<{ id: string; party: string }>).map((r) => [r.id, r.party]));
  }

  /** Each file's stored result, by 案号. */
  summariesOfCampaign(campaignId: string): SummaryRow[] {
    return this.q.summariesOfCampaign.all(campaignId) as SummaryRow[];
  }

  /** How many files each unit holds, or has under review in the current draw `drawId`. */
  reviewedPerUnit(campaignId: string, drawId: string | null): Map<string, number> {
    const rows = (drawId ? this.q.drawnPerUnit.all(drawId) : this.q.casesPerUnit.all(campaignId)) as Array<{ unit_id: string; n: number }>;
    return new Map(rows.map((r) => [r.unit_id, r.n]));
  }

  /** The scored files of a campaign grouped by what the statistics count (see the statement). */
  scoredGroups(campaignId: string, drawId: string | null): ScoredGroupRow[] {
    return this.q.scoredGroups.all({ campaignId, draw: drawId }) as ScoredGroupRow[];
  }

  /** The counted fields of the problems the stored results find (a vetoed file's 否决 findings alone). */
  countedProblems(campaignId: string): ProblemRow[] {
    return this.q.countedProblems.all(campaignId) as ProblemRow[];
  }
}

/** The repo of this database (statements prepared once per database). */
export const lettersRepo = perDatabase((db) => new LettersRepo(db));
