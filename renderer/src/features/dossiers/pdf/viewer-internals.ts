/**
 * The two things the reader needs from pdf.js that it does not publish, in one place. pdf.js keeps
 * them as underscore members (no `#` private), so they work; tests/unit/dossiers/viewer-internals
 * fails when an upgrade renames or drops one, before a reader silently stops trimming pages or
 * starts cutting off text extraction on close.
 */
import type { PDFFindController, PDFViewer } from 'pdfjs-dist/web/pdf_viewer.mjs';

/** A page as pdf.js's visibility scan reports it. */
export interface VisiblePage<V> {
  id: number;
  view: V;
}

interface ViewerWithVisibility<V> {
  _getVisiblePages(): { first?: VisiblePage<V>; last?: VisiblePage<V>; views: Array<VisiblePage<V>> };
}

/**
 * The pages now on screen, first and last by position (pdf.js's own scan, which also drives its
 * rendering queue), so the reader drops far-away pages and probes the visible ones the same way.
 */
export function visiblePages<V>(viewer: PDFViewer): { first?: VisiblePage<V>; last?: VisiblePage<V>; views: Array<VisiblePage<V>> } {
  return (viewer as unknown as ViewerWithVisibility<V>)._getVisiblePages();
}

/** The page-text reads the find controller has under way (empty before the first search). */
export function pendingTextExtractions(findController: PDFFindController): Array<Promise<unknown>> {
  return [...((findController as unknown as { _extractTextPromises?: Array<Promise<unknown>> })._extractTextPromises ?? [])];
}

/**
 * Hides the find controller's matches on `pages` from pdf.js's text highlighter, which places them in
 * pdf.js's own text layer: a scanned page has none (its matches lie in the text OCR read, whose layer
 * marks them itself), and the highlighter fails on a page whose layer lacks the matched text. The
 * controller's own counting and stepping keep every match.
 */
export function hideMatchesOn(findController: PDFFindController, pages: ReadonlySet<number>): void {
  const proto = Object.getPrototypeOf(findController) as object;
  for (const name of ['pageMatches', 'pageMatchesLength'] as const) {
    const own = Object.getOwnPropertyDescriptor(proto, name)?.get;
    if (!own) continue;
    Object.defineProperty(findController, name, {
      configurable: true,
      get: () => (own.call(findController) as number[][]).map((m, i) => (pages.has(i) ? [] : m)),
    });
  }
}

/** The members the functions above rely on, by class: what the unit test checks against pdf.js itself. */
export const RELIED_ON = {
  PDFViewer: ['_getVisiblePages', 'getPageView', 'pageLabelToPageNumber', 'currentPageLabel'],
  PDFFindController: ['_extractTextPromises', 'pageMatches', 'pageMatchesLength'],
} as const;
