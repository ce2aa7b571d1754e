/** Laying out XLSX the workstation produces so every spreadsheet program shows wrapped text in full. */
import { textWidthChars } from '../../../shared/core/gbt9704.js';

/**
 * Height (pt) for a row whose cells wrap: a column width unit is about half a Chinese character of
 * 11 pt. Explicit, because spreadsheet programs do not all grow rows to fit wrapped text on open.
 */
export function wrappedRowHeight(values: unknown[], widths: number[]): number {
  let lines = 1;
  widths.forEach((w, i) => {
    const v = values[i + 1];
    const text = v instanceof Date ? '2025-01-01' : v === undefined || v === null ? '' : String(v);
    const perLine = Math.max(1, w - 1) / 1.8;
    const n = text.split('\n').reduce((a, seg) => a + Math.max(1, Math.ceil(textWidthChars(seg) / perLine)), 0);
    lines = Math.max(lines, n);
  });
  return lines * 15 + 4;
}
