/**
 * How the reader names a file and a page to the reviewer: by the 案卷's 案号 (as matched and corrected
 * at import) and the 文书 found on the page, not by the county's file name ("扫描件0031", or a 案号
 * mistyped in the name), which stays as secondary information. A file someone renamed keeps that name.
 */
import type { DossierDocument } from '../../../../shared/dossiers/dossier';
import type { DocumentMapEntry } from '../../../../shared/precheck/channels';

/** The title import derived from the file name: the name without ".pdf" and a leading sequence number. */
const titleOfName = (fileName: string): string => {
  const base = (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.pdf$/i, '');
  return base.replace(/^\s*\d+\s*[-_.、\s]\s*/, '').trim() || base;
};

export function fileLabel(doc: DossierDocument, caseNumber: string | undefined, index: number, count: number): string {
  const renamed = doc.title !== titleOfName(doc.fileName);
  if (renamed || !caseNumber) return doc.title;
  return count > 1 ? `${caseNumber}（第 ${index + 1} 份）` : caseNumber;
}

/** The 文书 a page lies in, by the document map; null where the map has none (not read yet). */
export function documentAt(entries: readonly DocumentMapEntry[] | undefined, documentId: string, pageIndex: number): string | null {
  const e = entries?.find((x) => x.documentId === documentId && x.fromIndex <= pageIndex && pageIndex <= x.toIndex && !x.unread);
  return e ? e.title : null;
}
