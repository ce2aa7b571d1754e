/**
 * Page images for OCR, rendered in the back end by pdf.js with @napi-rs/canvas (no browser). Each
 * image comes with the page viewport's transform, so a box found in image pixels maps back to PDF
 * user-space points whatever the page's /Rotate or crop box.
 */
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Matrix } from '../../../shared/core/geometry.js';
import { loadPdfjs, pdfjsFileSource, PDFJS_NODE_OPTIONS } from '../core/pdf/pdfjs-node.js';

export interface PageImage {
  canvas: Canvas;
  /** Maps PDF user space to image pixels (pdf.js `viewport.transform`). */
  transform: Matrix;
  /** The page's visible area in user space (its crop box): [x0, y0, x1, y1]. */
  view: [number, number, number, number];
  dpi: number;
}

export interface PdfPages {
  pageCount: number;
  render(pageIndex: number, dpi: number): Promise<PageImage>;
  close(): Promise<void>;
}

/** Opens a PDF file for page-by-page rendering (read in ranges: only the pages rendered are loaded). */
export async function openPdfPages(file: string): Promise<PdfPages> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({ ...pdfjsFileSource(file), ...PDFJS_NODE_OPTIONS });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw err;
  }
  return {
    pageCount: doc.numPages,
    async render(pageIndex, dpi) {
      const page = await doc.getPage(pageIndex + 1);
      try {
        const viewport = page.getViewport({ scale: dpi / 72 });
        const width = Math.max(1, Math.round(viewport.width));
        const height = Math.max(1, Math.round(viewport.height));
        const canvas = createCanvas(width, height);
        const context = canvas.getContext('2d');
        // Paper is white where the PDF paints nothing.
        context.fillStyle = '#fff';
        context.fillRect(0, 0, width, height);
        await page.render({ canvas: canvas as never, canvasContext: context as never, viewport, background: 'rgb(255,255,255)' }).promise;
        const [a, b, c, d, e, f] = viewport.transform as number[];
        const [x0, y0, x1, y1] = page.view;
        return { canvas, transform: [a!, b!, c!, d!, e!, f!], view: [x0!, y0!, x1!, y1!], dpi };
      } finally {
        page.cleanup();
      }
    },
    async close() {
      await doc.destroy().catch(() => undefined);
    },
  };
}
