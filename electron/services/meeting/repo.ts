/**
 * What meeting mode keeps in the database: the agenda (its row with position, revision and focus, and
 * its files in order), and what the projection reads of a file (the answers citing evidence, the marks
 * on its pages). Statements are prepared once per database and named for what they answer; JSON
 * cells are read through their schema (a damaged mark names its annotation instead of crashing the room).
 */
import { AnnotationPositionSchema, type AnnotationPosition } from '../../../shared/annotations/annotation.js';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { AnswerSchema } from '../../../shared/scoring/answer.js';
import type { Answer } from '../../../shared/scoring/scoring.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';

export interface MeetingRow {
  campaign_id: string;
  position: number;
  revision: number;
  hide_from_conflicted: number;
  veiled: number;
  focus_document_id: string | null;
  focus_page: number | null;
  updated_by_name: string | null;
  updated_at: string;
}

export interface AgendaCaseRow {
  case_id: string;
  case_number: string;
  title: string;
  unit_name: string;
  case_type: CaseType;
}

/** An annotation of a file as the projection may show it. */
export interface MarkRow {
  id: string;
  documentId: string;
  title: string;
  pageIndex: number;
  position: AnnotationPosition;
  color: string;
  checklistItemId: string | null;
  comment: string | null;
}

const AGENDA_CASE = 'SELECT c.id AS case_id, c.case_number, c.title, u.name AS unit_name, c.case_type';

function prepare(db: Db) {
  return {
    meeting: db.prepare(
      'SELECT m.*, u.display_name AS updated_by_name FROM meetings m LEFT JOIN users u ON u.id = m.updated_by WHERE m.campaign_id = ?',
    ),
    agenda: db.prepare(
      `${AGENDA_CASE} FROM meeting_items i JOIN cases c ON c.id = i.case_id JOIN units u ON u.id = c.unit_id
       WHERE i.campaign_id = ? ORDER BY i.position`,
    ),
    agendaCases: db.prepare(
      `${AGENDA_CASE} FROM cases c JOIN units u ON u.id = c.unit_id
       WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.case_number_sort, c.case_number`,
    ),
    settled: db.prepare(`SELECT case_id FROM case_reviews WHERE status = 'final' AND case_id IN (SELECT value FROM json_each(?))`).pluck(),
    insertMeeting: db.prepare('INSERT INTO meetings (campaign_id, updated_by, updated_at) VALUES (?, ?, ?)'),
    clearItems: db.prepare('DELETE FROM meeting_items WHERE campaign_id = ?'),
    insertItem: db.prepare('INSERT INTO meeting_items (campaign_id, position, case_id) VALUES (?, ?, ?)'),
    bump: db.prepare('UPDATE meetings SET revision = revision + 1, updated_by = ?, updated_at = ? WHERE campaign_id = ?'),
    setPosition: db.prepare('UPDATE meetings SET position = ? WHERE campaign_id = ?'),
    moveTo: db.prepare('UPDATE meetings SET position = ?, focus_document_id = NULL, focus_page = NULL WHERE campaign_id = ?'),
    setFocus: db.prepare('UPDATE meetings SET focus_document_id = ?, focus_page = ? WHERE campaign_id = ?'),
    setOptions: db.prepare('UPDATE meetings SET hide_from_conflicted = ?, veiled = ? WHERE campaign_id = ?'),
    answersOfCase: db.prepare(
      'SELECT a.sheet_id, a.item_id, a.answer_json FROM sheet_answers a JOIN sheets s ON s.id = a.sheet_id WHERE s.case_id = ?',
    ),
    marksOfCase: db.prepare(
      `SELECT a.id, a.document_id, d.title, a.page_index, a.position_json, a.color, a.checklist_item_id, a.comment
       FROM annotations a JOIN documents d ON d.id = a.document_id
       WHERE d.case_id = ? AND a.deleted_at IS NULL ORDER BY d.position, a.sort_key`,
    ),
    campaignOfCase: db.prepare('SELECT campaign_id FROM cases WHERE id = ?').pluck(),
    hasDocument: db.prepare('SELECT 1 FROM documents WHERE case_id = ?'),
    document: db.prepare('SELECT case_id, page_count FROM documents WHERE id = ?'),
    sheetsInOpenedOrder: db.prepare('SELECT id FROM sheets WHERE case_id = ? AND round = 1 ORDER BY created_at, id').pluck(),
  };
}

export class MeetingRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  /** The campaign's stored agenda row, or null while the agenda is still the files that wait. */
  meeting(campaignId: string): MeetingRow | null {
    return (this.q.meeting.get(campaignId) as MeetingRow | undefined) ?? null;
  }

  agenda(campaignId: string): AgendaCaseRow[] {
    return this.q.agenda.all(campaignId) as AgendaCaseRow[];
  }

  /** These files, by case number. */
  agendaCases(caseIds: Iterable<string>): AgendaCaseRow[] {
    return this.q.agendaCases.all(JSON.stringify([...caseIds])) as AgendaCaseRow[];
  }

  /** Which of these files are settled. */
  settled(caseIds: Iterable<string>): Set<string> {
    return new Set(this.q.settled.all(JSON.stringify([...caseIds])) as string[]);
  }

  /** Stores the agenda as it is now shown: the first change keeps it. */
  insertMeeting(campaignId: string, items: ReadonlyArray<{ position: number; caseId: string }>, by: string, at: string): void {
    this.q.insertMeeting.run(campaignId, by, at);
    for (const i of items) this.q.insertItem.run(campaignId, i.position, i.caseId);
  }

  replaceItems(campaignId: string, caseIds: readonly string[]): void {
    this.q.clearItems.run(campaignId);
    caseIds.forEach((id, i) => this.q.insertItem.run(campaignId, i, id));
  }

  bump(campaignId: string, by: string, at: string): void {
    this.q.bump.run(by, at, campaignId);
  }

  /** Keeps the file on screen where it now is in a rearranged agenda. */
  setPosition(campaignId: string, position: number): void {
    this.q.setPosition.run(position, campaignId);
  }

  /** Moves to another file: its pages, not the last file's, are shown. */
  moveTo(campaignId: string, position: number): void {
    this.q.moveTo.run(position, campaignId);
  }

  setFocus(campaignId: string, documentId: string, page: number): void {
    this.q.setFocus.run(documentId, page, campaignId);
  }

  setOptions(campaignId: string, hideFromConflicted: boolean, veiled: boolean): void {
    this.q.setOptions.run(hideFromConflicted ? 1 : 0, veiled ? 1 : 0, campaignId);
  }

  /** The file's round-1 sheets in the order they were opened. */
  sheetsInOpenedOrder(caseId: string): string[] {
    return this.q.sheetsInOpenedOrder.all(caseId) as string[];
  }

  answersOfCase(caseId: string): Array<{ sheetId: string; itemId: string; answer: Answer }> {
    return (this.q.answersOfCase.all(caseId) as Array<{ sheet_id: string; item_id: string; answer_json: string }>).map((a) => ({
      sheetId: a.sheet_id,
      itemId: a.item_id,
      answer: parseJsonColumn(AnswerSchema, a.answer_json, () => `评查表 ${a.sheet_id} 第 ${a.item_id} 项的评定`),
    }));
  }

  marksOfCase(caseId: string): MarkRow[] {
    return (
      this.q.marksOfCase.all(caseId) as Array<{
        id: string;
        document_id: string;
        title: string;
        page_index: number;
        position_json: string;
        color: string;
        checklist_item_id: string | null;
        comment: string | null;
      }>
    ).map((r) => ({
      id: r.id,
      documentId: r.document_id,
      title: r.title,
      pageIndex: r.page_index,
      position: parseJsonColumn(AnnotationPositionSchema, r.position_json, () => `标注 ${r.id} 的位置`),
      color: r.color,
      checklistItemId: r.checklist_item_id,
      comment: r.comment,
    }));
  }

  campaignOfCase(caseId: string): string | null {
    return (this.q.campaignOfCase.get(caseId) as string | undefined) ?? null;
  }

  hasDocument(caseId: string): boolean {
    return this.q.hasDocument.get(caseId) !== undefined;
  }

  document(documentId: string): { caseId: string; pageCount: number } | null {
    const r = this.q.document.get(documentId) as { case_id: string; page_count: number } | undefined;
    return r ? { caseId: r.case_id, pageCount: r.page_count } : null;
  }
}
