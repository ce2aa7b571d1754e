/** Page references ("询问笔录第3页") of evidence annotations, as the letters, sheets and ledger print them. */
import type { Db } from '../core/db/database.js';

export function evidencePages(db: Db, annotationIds: readonly string[]): string[] {
  if (!annotationIds.length) return [];
  const rows = db
    .prepare(
      `SELECT a.page_index, d.title FROM annotations a JOIN documents d ON d.id = a.document_id
       WHERE a.deleted_at IS NULL AND a.id IN (${annotationIds.map(() => '?').join(',')}) ORDER BY d.position, a.sort_key`,
    )
    .all(...annotationIds) as Array<{ page_index: number; title: string }>;
  return [...new Set(rows.map((r) => `${r.title}第${r.page_index + 1}页`))];
}

/**
 * The pages alone, for a form's narrow 佐证 column ("第3、5页"): a PDF file name there breaks into
 * fragments of one to three characters.
 */
export function evidencePageNumbers(db: Db, annotationIds: readonly string[]): string {
  if (!annotationIds.length) return '';
  const pages = db
    .prepare(
      `SELECT DISTINCT a.page_index FROM annotations a
       WHERE a.deleted_at IS NULL AND a.id IN (${annotationIds.map(() => '?').join(',')}) ORDER BY a.page_index`,
    )
    .pluck()
    .all(...annotationIds) as number[];
  return pages.length ? `第${pages.map((p) => p + 1).join('、')}页` : '';
}
