/**
 * Pure geometry for annotations in PDF user space (origin bottom-left, y up, points).
 *
 * The screen side goes through a page viewport's affine transform (pdf.js `viewport.transform`,
 * which folds in scale, the page's /Rotate plus any rotation the reader adds, and the crop-box
 * offset). Storing user-space coordinates and converting only at draw time is what keeps a mark on
 * the same words at every zoom and rotation.
 */
import type { AnnotationPosition, Rect } from '../annotations/annotation.js';

/** An affine transform [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Matrix = readonly [number, number, number, number, number, number];

export function applyTransform(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export function invertTransform(m: Matrix): Matrix {
  const det = m[0] * m[3] - m[1] * m[2];
  if (!det) throw new Error('singular transform');
  return [m[3] / det, -m[1] / det, -m[2] / det, m[0] / det, (m[2] * m[5] - m[3] * m[4]) / det, (m[1] * m[4] - m[0] * m[5]) / det];
}

/** A user-space rectangle as an axis-aligned box in viewport (CSS pixel) space. */
export function toViewportBox(m: Matrix, rect: Rect): { left: number; top: number; width: number; height: number } {
  const [x1, y1] = applyTransform(m, rect[0], rect[1]);
  const [x2, y2] = applyTransform(m, rect[2], rect[3]);
  return { left: Math.min(x1, x2), top: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
}

/** A viewport point back to user space. */
export function toUserPoint(m: Matrix, x: number, y: number): [number, number] {
  return applyTransform(invertTransform(m), x, y);
}

/** Two viewport corners back to a normalised user-space rectangle. */
export function toUserRect(m: Matrix, x1: number, y1: number, x2: number, y2: number): Rect {
  const inv = invertTransform(m);
  const [a, b] = applyTransform(inv, x1, y1);
  const [c, d] = applyTransform(inv, x2, y2);
  return roundRect(normaliseRect([a, b, c, d]));
}

/** Coordinates are stored to 1/100 pt: far below what a reader can see, and short in JSON. */
export const roundCoord = (n: number): number => Math.round(n * 100) / 100;
export const roundRect = (r: Rect): Rect => [roundCoord(r[0]), roundCoord(r[1]), roundCoord(r[2]), roundCoord(r[3])];

export function boundingRect(position: AnnotationPosition): Rect | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const [a, b, c, d] of position.rects ?? []) {
    x1 = Math.min(x1, a, c);
    y1 = Math.min(y1, b, d);
    x2 = Math.max(x2, a, c);
    y2 = Math.max(y2, b, d);
  }
  for (const path of position.paths ?? []) {
    for (let i = 0; i + 1 < path.length; i += 2) {
      x1 = Math.min(x1, path[i]!);
      x2 = Math.max(x2, path[i]!);
      y1 = Math.min(y1, path[i + 1]!);
      y2 = Math.max(y2, path[i + 1]!);
    }
  }
  return Number.isFinite(x1) ? [x1, y1, x2, y2] : null;
}

/**
 * Reading-order key: page, then top to bottom, then left to right. PDF y grows upward, so the
 * top edge is subtracted from a large constant to sort the highest mark first.
 */
export function annotationSortKey(pageIndex: number, position: AnnotationPosition): string {
  const box = boundingRect(position) ?? [0, 0, 0, 0];
  const top = Math.max(0, Math.min(99999, Math.round(99999 - box[3])));
  const left = Math.max(0, Math.min(99999, Math.round(box[0])));
  return `${String(pageIndex).padStart(5, '0')}|${String(top).padStart(5, '0')}|${String(left).padStart(5, '0')}`;
}

/** Normalises a rectangle so x1 ≤ x2 and y1 ≤ y2. */
export function normaliseRect([a, b, c, d]: Rect): Rect {
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}

/**
 * Joins the many small rectangles of a text selection (one per glyph run) into one per line, so a
 * highlight is a few clean bars and its stored form stays small.
 */
export function mergeLineRects(rects: Rect[]): Rect[] {
  const sorted = rects.map(normaliseRect).sort((p, q) => q[3] - p[3] || p[0] - q[0]);
  const out: Rect[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last) {
      const overlap = Math.min(last[3], r[3]) - Math.max(last[1], r[1]);
      const minHeight = Math.min(last[3] - last[1], r[3] - r[1]);
      if (overlap > minHeight * 0.5 && r[0] <= last[2] + 3) {
        out[out.length - 1] = [Math.min(last[0], r[0]), Math.min(last[1], r[1]), Math.max(last[2], r[2]), Math.max(last[3], r[3])];
        continue;
      }
    }
    out.push(r);
  }
  return out.map(roundRect);
}

/**
 * Ramer–Douglas–Peucker on a flat x0,y0,x1,y1,… path: drops points closer than `tolerance` (in the
 * path's units) to the line through their neighbours, so a free-hand stroke keeps its shape with a
 * fraction of the pointer samples.
 */
export function simplifyPath(flat: number[], tolerance: number): number[] {
  const n = Math.floor(flat.length / 2);
  if (n <= 2) return flat.slice(0, n * 2).map(roundCoord);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: Array<[number, number]> = [[0, n - 1]];
  while (stack.length) {
    const [first, last] = stack.pop()!;
    const ax = flat[first * 2]!;
    const ay = flat[first * 2 + 1]!;
    const dx = flat[last * 2]! - ax;
    const dy = flat[last * 2 + 1]! - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let worstDist = tolerance;
    for (let i = first + 1; i < last; i++) {
      const px = flat[i * 2]! - ax;
      const py = flat[i * 2 + 1]! - ay;
      const dist = len2 ? Math.abs(px * dy - py * dx) / Math.sqrt(len2) : Math.hypot(px, py);
      if (dist > worstDist) {
        worst = i;
        worstDist = dist;
      }
    }
    if (worst > 0) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(roundCoord(flat[i * 2]!), roundCoord(flat[i * 2 + 1]!));
  return out;
}

/** Moves a position by (dx, dy) in user space (dragging a mark). */
export function translatePosition(position: AnnotationPosition, dx: number, dy: number): AnnotationPosition {
  return {
    ...position,
    ...(position.rects ? { rects: position.rects.map((r) => roundRect([r[0] + dx, r[1] + dy, r[2] + dx, r[3] + dy])) } : {}),
    ...(position.paths ? { paths: position.paths.map((p) => p.map((v, i) => roundCoord(v + (i % 2 ? dy : dx)))) } : {}),
  };
}

/** Size of a sticky note's icon, in points (fixed in user space, like a PDF /Text annotation). */
export const NOTE_SIZE = 22;

/** The icon box of a note whose top-left corner is at the user-space point (x, y). */
export function noteRect(x: number, y: number): Rect {
  return roundRect([x, y - NOTE_SIZE, x + NOTE_SIZE, y]);
}

/** Line height of text boxes, as a multiple of the font size (the overlay and the PDF export agree). */
export const TEXT_LINE_HEIGHT = 1.35;
export const TEXT_PADDING = 3;

/** Height of a text box holding `lines` lines at `fontSize`. */
export function textBoxHeight(lines: number, fontSize: number): number {
  return roundCoord(Math.max(1, lines) * fontSize * TEXT_LINE_HEIGHT + 2 * TEXT_PADDING);
}

/**
 * Breaks text into lines no wider than `maxWidth`, measuring with `widthOf` (a font's metrics).
 * Chinese has no spaces, so lines break between any two characters; explicit newlines are kept.
 */
export function wrapText(text: string, maxWidth: number, widthOf: (s: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const ch of Array.from(paragraph)) {
      if (line && widthOf(line + ch) > maxWidth) {
        lines.push(line);
        line = ch;
      } else line += ch;
    }
    lines.push(line);
  }
  return lines;
}
