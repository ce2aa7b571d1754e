/** Page references ("询问笔录第3页") of evidence annotations, as the letters, sheets and ledger print them. */
import type { Db } from '../core/db/database.js';
import { annotationsRepo } from './repo.js';

export function evidencePages(db: Db, annotationIds: readonly string[]): string[] {
  if (!annotationIds.length) return [];
  const rows = annotationsRepo(db).evidencePages(annotationIds);
  return [...new Set(rows.map((r) => `${r.title}第${r.pageIndex + 1}页`))];
}

/**
 * The pages alone, for a form's narrow 佐证 column ("第3、5页"): a PDF file name there breaks into
 * fragments of one to three characters.
 */
export function evidencePageNumbers(db: Db, annotationIds: readonly string[]): string {
  if (!annotationIds.length) return '';
  const pages = annotationsRepo(db).evidencePageIndexes(annotationIds);
  return pages.length ? `第${pages.map((p) => p + 1).join('、')}页` : '';
}
