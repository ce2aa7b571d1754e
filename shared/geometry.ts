/** Pure geometry for annotations in PDF user space (origin bottom-left, y up). */
import type { AnnotationPosition, Rect } from './domain/annotation.js';

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
