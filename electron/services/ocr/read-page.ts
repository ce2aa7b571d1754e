/**
 * One page of a PDF read by the engine, as the page-text result: boxes converted from image pixels
 * to PDF user-space points through the page viewport (any /Rotate), and a plain status when the
 * page is blank or nothing on it could be read.
 */
import { applyTransform, invertTransform, roundRect } from '../../../shared/core/geometry.js';
import { normaliseOcrText } from '../../../shared/ocr/normalise.js';
import type { OcrLine, OcrPageStatus } from '../../../shared/ocr/page-text.js';
import type { OcrEngine } from './engine.js';
import type { PageImage } from './page-images.js';

/** Below this share of ink-dark pixels a page with nothing readable is blank, not unreadable. */
const BLANK_INK_SHARE = 0.002;
/**
 * A page whose lines are, on average, read with less certainty than this is reported unreadable:
 * ruled lines, pictures and scribbles produce a few short "lines" the recogniser is unsure of.
 */
const MIN_PAGE_CONFIDENCE = 0.75;
/** Something a person could search for: a letter, a digit or a CJK character. */
const READABLE = /[\p{L}\p{N}]/u;

export interface PageReading {
  status: OcrPageStatus;
  lines: OcrLine[];
}

export async function readPageImage(engine: OcrEngine, page: PageImage, cancelled: () => boolean): Promise<PageReading> {
  const reading = await engine.read(page.canvas, cancelled);
  const toUser = invertTransform(page.transform);
  const lines: OcrLine[] = reading.lines
    .filter((l) => READABLE.test(l.text))
    .map((l) => {
      const points = l.corners.map(([x, y]) => applyTransform(toUser, x, y));
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      // Clipped to the page: a box grown by the detector's margin may reach past the edge.
      const [vx0, vy0, vx1, vy1] = page.view;
      const box = roundRect([
        Math.max(vx0, Math.min(...xs)),
        Math.max(vy0, Math.min(...ys)),
        Math.min(vx1, Math.max(...xs)),
        Math.min(vy1, Math.max(...ys)),
      ]);
      return { text: normaliseOcrText(l.text), box, confidence: Math.round(l.confidence * 1000) / 1000 };
    });
  const chars = lines.reduce((n, l) => n + [...l.text].length, 0);
  const meanConfidence = chars ? lines.reduce((n, l) => n + l.confidence * [...l.text].length, 0) / chars : 0;
  if (lines.length && meanConfidence >= MIN_PAGE_CONFIDENCE) return { status: 'text', lines };
  return { status: reading.inkShare < BLANK_INK_SHARE && !lines.length ? 'blank' : 'unreadable', lines: [] };
}
