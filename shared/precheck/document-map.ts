/**
 * The 文书 map the reader shows beside a file: each 文书 (type, title as printed, page range) placed in
 * the PDF it lies in, pages OCR has not read yet shown as such instead of being counted into the 文书
 * before them, and the file's own 卷内目录 held against what is there. Machine reading, not a
 * reviewer's decision, so every reader of the file may see it, blind review included.
 */
import { compareCatalogue, type CatalogueIssue } from './engine.js';
import { documentMap, parseCatalogue, PRECHECK_DOCUMENT_TYPES } from './documents.js';
import { extractFacts } from './facts.js';
import type { DocumentMapEntry, DocumentMapView, PrecheckPage } from './channels.js';

export interface MapInputPage {
  documentId: string;
  pageIndex: number;
  ocr: boolean;
}

/**
 * `texts` and `pages` run over the whole 案卷 (its PDFs in order); `unreadPages` are 1-based 案卷 pages
 * with no text yet (scans OCR has not reached).
 */
export function buildDocumentMap(caseId: string, texts: string[], pages: MapInputPage[], unreadPages: readonly number[]): DocumentMapView {
  const unread = new Set(unreadPages);
  const map = documentMap(texts);
  const at = (casePage: number): PrecheckPage => {
    const p = pages[casePage - 1]!;
    return { documentId: p.documentId, pageIndex: p.pageIndex, casePage };
  };
  const documents: DocumentMapEntry[] = [];
  for (const d of map) {
    let segment: DocumentMapEntry | null = null;
    let readSegments = 0;
    for (let p = d.firstPage; p <= d.lastPage; p++) {
      const page = pages[p - 1]!;
      const isUnread = unread.has(p);
      // A 文书 is cut where its file ends or where unread pages begin or end: an unread page may
      // start another 文书, so it is never silently counted into this one.
      if (!segment || segment.documentId !== page.documentId || segment.unread !== isUnread || segment.lastPage !== p - 1) {
        segment = {
          type: isUnread ? 'unread' : d.type,
          label: isUnread ? '尚未识别' : PRECHECK_DOCUMENT_TYPES[d.type].label,
          title: isUnread ? '文字识别尚未读到这些页' : d.title,
          documentId: page.documentId,
          fromIndex: page.pageIndex,
          toIndex: page.pageIndex,
          firstPage: p,
          lastPage: p,
          continued: !isUnread && readSegments > 0,
          unread: isUnread,
          ocr: page.ocr,
        };
        if (!isUnread) readSegments++;
        documents.push(segment);
      } else {
        segment.toIndex = page.pageIndex;
        segment.lastPage = p;
        segment.ocr ||= page.ocr;
      }
    }
  }
  const catalogue = parseCatalogue(texts, map);
  const issues: CatalogueIssue[] = catalogue.length
    ? compareCatalogue(
        texts,
        map,
        catalogue,
        extractFacts(texts, map),
        pages.some((p) => p.ocr),
      )
    : [];
  return {
    caseId,
    pages: texts.length,
    unreadPages: unread.size,
    hasCatalogue: map.some((d) => d.type === 'contents'),
    catalogue: catalogue.map((e) => ({ title: e.title, from: e.from, to: e.to, row: at(e.page) })),
    issues: issues.map((i) => ({ kind: i.kind, message: i.message, pages: i.pages.map(at) })),
    documents,
  };
}
