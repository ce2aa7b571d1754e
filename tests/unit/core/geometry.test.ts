/**
 * Annotation geometry against pdf.js's own page viewports: a rectangle stored in user space lands on
 * the same spot at every zoom and rotation (and on pages whose media box does not start at 0,0), and
 * screen corners convert back to the stored rectangle.
 */
import { degrees, PDFDocument } from 'pdf-lib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rect } from '../../../shared/annotations/annotation.js';
import {
  annotationSortKey,
  boundingRect,
  mergeLineRects,
  noteRect,
  simplifyPath,
  textBoxHeight,
  toUserPoint,
  toUserRect,
  toViewportBox,
  translatePosition,
  wrapText,
  type Matrix,
} from '../../../shared/core/geometry.js';
import { loadPdfjs, PDFJS_ASSETS } from '../../../electron/services/core/pdf/pdfjs-node.js';

type PdfPage = Awaited<ReturnType<Awaited<ReturnType<Awaited<ReturnType<typeof loadPdfjs>>['getDocument']>['promise']>['getPage']>>;
let pages: PdfPage[] = [];
let destroy: () => Promise<void>;

beforeAll(async () => {
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]);
  const shifted = doc.addPage([595, 842]);
  shifted.setMediaBox(100, 50, 595, 842); // origin not at 0,0
  const rotated = doc.addPage([842, 595]);
  rotated.setRotation(degrees(90)); // the file's own /Rotate
  const pdfjs = await loadPdfjs();
  const loaded = await pdfjs.getDocument({ data: await doc.save(), ...PDFJS_ASSETS, isEvalSupported: false, verbosity: 0 }).promise;
  pages = [await loaded.getPage(1), await loaded.getPage(2), await loaded.getPage(3)];
  destroy = () => loaded.destroy();
});
afterAll(() => destroy?.());

const close = (a: number[], b: number[], eps = 0.02) => a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(eps));

describe('user space ↔ viewport', () => {
  it('places a stored rectangle where pdf.js puts it, at every zoom and rotation, and converts back', () => {
    for (const page of pages) {
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      const rect: Rect = [x0 + 40.5, y0 + 100.25, x0 + 260, y0 + 180];
      for (const scale of [0.5, 1, 1.37, 2, 4]) {
        for (const extra of [0, 90, 180, 270]) {
          const vp = page.getViewport({ scale, rotation: page.rotate + extra });
          const m = vp.transform as unknown as Matrix;
          const box = toViewportBox(m, rect);
          const [a, b, c, d] = vp.convertToViewportRectangle(rect);
          close([box.left, box.top, box.width, box.height], [Math.min(a, c), Math.min(b, d), Math.abs(c - a), Math.abs(d - b)], 1e-6);
          // Back from the screen corners to the stored rectangle.
          close(toUserRect(m, box.left, box.top, box.left + box.width, box.top + box.height), rect);
          // A point converts back to itself as pdf.js does.
          close(toUserPoint(m, box.left, box.top), vp.convertToPdfPoint(box.left, box.top), 1e-6);
          expect(box.left).toBeGreaterThanOrEqual(0);
          expect(box.left + box.width).toBeLessThanOrEqual(vp.width + 1e-6);
        }
      }
      expect(x1).toBeGreaterThan(x0);
      expect(y1).toBeGreaterThan(y0);
    }
  });

  it('keeps the page fraction of a mark independent of zoom (what the overlay draws with)', () => {
    fc.assert(
      fc.property(
        fc.float({ min: 10, max: 500, noNaN: true }),
        fc.float({ min: 10, max: 700, noNaN: true }),
        fc.constantFrom(0, 90, 180, 270),
        (x, y, rotation) => {
          const page = pages[0]!;
          const rect: Rect = [x, y, x + 30, y + 12];
          const frac = (scale: number) => {
            const vp = page.getViewport({ scale, rotation });
            const b = toViewportBox(vp.transform as unknown as Matrix, rect);
            return [b.left / vp.width, b.top / vp.height, b.width / vp.width, b.height / vp.height];
          };
          close(frac(0.6), frac(3.1), 1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('shapes', () => {
  it('merges the glyph boxes of a selection into one rectangle per line', () => {
    const line1: Rect[] = [
      [72, 740, 90, 754],
      [89, 740.4, 140, 754.2],
      [141, 739.8, 200, 754],
    ];
    const line2: Rect[] = [
      [72, 716, 120, 730],
      [120.5, 716, 180, 730],
    ];
    expect(mergeLineRects([...line2, ...line1])).toEqual([
      [72, 739.8, 200, 754.2],
      [72, 716, 180, 730],
    ]);
    // Two columns on the same line stay apart.
    expect(
      mergeLineRects([
        [72, 700, 200, 714],
        [320, 700, 400, 714],
      ]),
    ).toHaveLength(2);
  });

  it('simplifies a free-hand stroke without losing its corners', () => {
    const flat: number[] = [];
    for (let i = 0; i <= 100; i++) flat.push(i, (i % 2) * 0.2); // a jittery straight line…
    for (let i = 1; i <= 50; i++) flat.push(100, i); // …then straight up
    const out = simplifyPath(flat, 0.6);
    expect(out).toEqual([0, 0, 100, 0, 100, 50]);
    expect(simplifyPath([5, 5], 1)).toEqual([5, 5]);
  });

  it('orders marks page by page, top to bottom, left to right', () => {
    const keys = [
      annotationSortKey(1, { rects: [[72, 700, 100, 710]] }),
      annotationSortKey(0, { rects: [[300, 500, 320, 510]] }),
      annotationSortKey(0, { rects: [[72, 500, 100, 510]] }),
      annotationSortKey(0, { paths: [[50, 800, 60, 790]] }),
    ];
    expect([...keys].sort()).toEqual([keys[3], keys[2], keys[1], keys[0]]);
  });

  it('moves every kind of position by the same offset', () => {
    expect(translatePosition({ rects: [[10, 20, 30, 40]], fontSize: 12 }, 5, -2.5)).toEqual({
      rects: [[15, 17.5, 35, 37.5]],
      fontSize: 12,
    });
    expect(translatePosition({ paths: [[1, 2, 3, 4]], width: 2 }, 1, 1)).toEqual({ paths: [[2, 3, 4, 5]], width: 2 });
    expect(boundingRect(translatePosition({ rects: [noteRect(100, 200)] }, 10, 10))).toEqual([110, 188, 132, 210]);
  });

  it('wraps Chinese text box lines between any two characters, keeping explicit breaks', () => {
    const widthOf = (s: string) => Array.from(s).length * 10;
    expect(wrapText('调查终结报告未载明证据清单', 60, widthOf)).toEqual(['调查终结报告', '未载明证据清', '单']);
    expect(wrapText('第一行\n第二行', 100, widthOf)).toEqual(['第一行', '第二行']);
    expect(textBoxHeight(2, 10)).toBe(33);
  });
});
