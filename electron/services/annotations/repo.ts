/**
 * Annotations as the reader, the exports and the printed forms read them: the row with its author's
 * name, its mapping (the position read through its schema), the pages marks cite as evidence, and the
 * statements, prepared once per database and named for what they answer.
 */
import { AnnotationPositionSchema, type Annotation, type AnnotationType } from '../../../shared/annotations/annotation.js';
import type { Db } from '../core/db/database.js';
import { perDatabase } from '../core/db/per-database.js';
import { parseJsonColumn } from '../core/db/json-column.js';

interface AnnotationRow {
  id: string;
  document_id: string;
  document_sha256: string;
  author_id: string;
  author_name: string;
  type: AnnotationType;
  color: string;
  page_index: number;
  position_json: string;
  selected_text: string | null;
  comment: string | null;
  checklist_item_id: string | null;
  sort_key: string;
  created_at: string;
  updated_at: string;
}

const SELECT = `SELECT a.*, u.display_name AS author_name FROM annotations a JOIN users u ON u.id = a.author_id`;

export const toAnnotation = (r: AnnotationRow): Annotation => ({
  id: r.id,
  documentId: r.document_id,
  documentSha256: r.document_sha256,
  authorId: r.author_id,
  authorName: r.author_name,
  type: r.type,
  color: r.color,
  pageIndex: r.page_index,
  position: parseJsonColumn(AnnotationPositionSchema, r.position_json, `批注 ${r.id} 的位置`),
  ...(r.selected_text !== null ? { selectedText: r.selected_text } : {}),
  ...(r.comment !== null ? { comment: r.comment } : {}),
  checklistItemId: r.checklist_item_id,
  sortKey: r.sort_key,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** An annotation as `annotations` stores it (position already written as JSON). */
export interface AnnotationUpsert {
  id: string;
  documentId: string;
  sha: string;
  author: string;
  type: AnnotationType;
  color: string;
  pageIndex: number;
  position: string;
  selectedText: string | null;
  comment: string | null;
  item: string | null;
  sortKey: string;
  now: string;
}

function prepare(db: Db) {
  return {
    liveOfDocument: db.prepare(`${SELECT} WHERE a.document_id = ? AND a.deleted_at IS NULL ORDER BY a.sort_key`),
    liveOfCase: db.prepare(
      `${SELECT} JOIN documents d ON d.id = a.document_id WHERE d.case_id = ? AND a.deleted_at IS NULL ORDER BY d.position, d.created_at, a.sort_key`,
    ),
    byId: db.prepare(`${SELECT} WHERE a.id = ?`),
    liveById: db.prepare(`${SELECT} WHERE a.id = ? AND a.deleted_at IS NULL`),
    documentOf: db.prepare(
      'SELECT d.sha256, d.page_count, c.campaign_id, d.case_id FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.id = ?',
    ),
    upsert: db.prepare(
      `INSERT INTO annotations (id, document_id, document_sha256, author_id, type, color, page_index, position_json,
         selected_text, comment, checklist_item_id, sort_key, created_at, updated_at, deleted_at)
       VALUES (@id, @documentId, @sha, @author, @type, @color, @pageIndex, @position, @selectedText, @comment, @item, @sortKey, @now, @now, NULL)
       ON CONFLICT (id) DO UPDATE SET type = excluded.type, color = excluded.color, page_index = excluded.page_index,
         position_json = excluded.position_json, selected_text = excluded.selected_text, comment = excluded.comment,
         checklist_item_id = excluded.checklist_item_id, sort_key = excluded.sort_key, updated_at = excluded.updated_at,
         deleted_at = NULL`,
    ),
    softDelete: db.prepare('UPDATE annotations SET deleted_at = ?, updated_at = ? WHERE id = ?'),
    evidencePages: db.prepare(
      `SELECT a.page_index, d.title FROM annotations a JOIN documents d ON d.id = a.document_id
       WHERE a.deleted_at IS NULL AND a.id IN (SELECT value FROM json_each(?)) ORDER BY d.position, a.sort_key`,
    ),
    evidencePageIndexes: db
      .prepare(
        `SELECT DISTINCT a.page_index FROM annotations a
         WHERE a.deleted_at IS NULL AND a.id IN (SELECT value FROM json_each(?)) ORDER BY a.page_index`,
      )
      .pluck(),
  };
}

export class AnnotationsRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(private readonly db: Db) {
    this.q = prepare(db);
  }

  /** The file's live marks in reading order. */
  liveOfDocument(documentId: string): Annotation[] {
    return (this.q.liveOfDocument.all(documentId) as AnnotationRow[]).map(toAnnotation);
  }

  /** The live marks on the case's files, in dossier order (file position, then reading order). */
  liveOfCase(caseId: string): Annotation[] {
    return (this.q.liveOfCase.all(caseId) as AnnotationRow[]).map(toAnnotation);
  }

  /** The mark, deleted or not. */
  annotation(annotationId: string): Annotation | null {
    const row = this.q.byId.get(annotationId) as AnnotationRow | undefined;
    return row ? toAnnotation(row) : null;
  }

  /** The mark unless it was deleted. */
  liveAnnotation(annotationId: string): Annotation | null {
    const row = this.q.liveById.get(annotationId) as AnnotationRow | undefined;
    return row ? toAnnotation(row) : null;
  }

  byIds(annotationIds: readonly string[]): Annotation[] {
    if (!annotationIds.length) return [];
    // One placeholder per id: the statement varies only in how many there are.
    return (
      this.db.prepare(`${SELECT} WHERE a.id IN (${annotationIds.map(() => '?').join(',')})`).all(...annotationIds) as AnnotationRow[]
    ).map(toAnnotation);
  }

  /** The file's bytes, page count and campaign, or null when there is no such file. */
  documentOf(documentId: string): { sha256: string; pageCount: number; campaignId: string; caseId: string } | null {
    const row = this.q.documentOf.get(documentId) as
      { sha256: string; page_count: number; campaign_id: string; case_id: string } | undefined;
    return row ? { sha256: row.sha256, pageCount: row.page_count, campaignId: row.campaign_id, caseId: row.case_id } : null;
  }

  /** Creates the mark, or replaces it (a deleted one comes back). */
  upsert(row: AnnotationUpsert): void {
    this.q.upsert.run(row);
  }

  softDelete(annotationId: string, at: string): void {
    this.q.softDelete.run(at, at, annotationId);
  }

  /** Each live mark's file title and page, in dossier order. */
  evidencePages(annotationIds: readonly string[]): Array<{ title: string; pageIndex: number }> {
    return (this.q.evidencePages.all(JSON.stringify(annotationIds)) as Array<{ page_index: number; title: string }>).map((r) => ({
      title: r.title,
      pageIndex: r.page_index,
    }));
  }

  /** The pages the live marks are on, each once, in page order. */
  evidencePageIndexes(annotationIds: readonly string[]): number[] {
    return this.q.evidencePageIndexes.all(JSON.stringify(annotationIds)) as number[];
  }
}

/** The repo of this database, for the forms that print evidence pages (statements prepared once per database). */
export const annotationsRepo = perDatabase((db) => new AnnotationsRepo(db));
