/**
 * Generated test PDFs: Chinese text with a real text layer (the bundled AR PL Song font, embedded as a
 * subset), image-only "scans", and broken files. Made in the tests so every fixture is reproducible.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  popGraphicsState,
  pushGraphicsState,
  rgb,
} from 'pdf-lib';
import { RESOURCES_DIR } from './temp.js';

const FONT_FILE = path.join(RESOURCES_DIR, 'fonts', 'gbsn00lp.ttf');
let fontBytes: Buffer | null = null;

export interface FixturePage {
  lines: string[];
}

/** A4 pages of Chinese text, 14 pt, one line every 24 pt from the top margin. */
export async function chinesePdf(pages: FixturePage[], options: { title?: string } = {}): Promise<Uint8Array> {
  fontBytes ??= fs.readFileSync(FONT_FILE);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(fontBytes, { subset: true });
  if (options.title) doc.setTitle(options.title);
  for (const p of pages) {
    const page = doc.addPage([595.28, 841.89]);
    p.lines.forEach((line, i) => page.drawText(line, { x: 72, y: 841.89 - 96 - i * 24, size: 14, font, color: rgb(0, 0, 0) }));
  }
  return doc.save();
}

/** A dossier-like PDF of `count` pages, each naming its page number (for jump/search tests). */
export async function dossierPdf(count: number, heading = '行政处罚案卷'): Promise<Uint8Array> {
  return chinesePdf(
    Array.from({ length: count }, (_, i) => ({
      lines: [`${heading} 第${i + 1}页`, '当事人：某某商贸有限公司', `询问笔录 调查人员：张三、李四 页码${i + 1}`],
    })),
  );
}

/** Pages with only a drawn image-like rectangle: no text layer, like a scan. */
export async function scanLikePdf(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < count; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawRectangle({ x: 60, y: 60, width: 475, height: 720, color: rgb(0.93, 0.93, 0.9) });
    page.drawRectangle({ x: 90, y: 700, width: 300, height: 12, color: rgb(0.2, 0.2, 0.2) });
  }
  return doc.save();
}

/** A PDF whose body was cut off half-way (a failed USB copy). */
export async function truncatedPdf(): Promise<Uint8Array> {
  const bytes = await dossierPdf(3);
  return bytes.slice(0, Math.floor(bytes.length / 3));
}

/**
 * Three pages whose third cannot be read: its entry in the page tree points at a number instead of
 * a page dictionary (a file damaged in one place). Import still counts three pages.
 */
export async function brokenPagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(
    await chinesePdf([{ lines: ['第一页 正常'] }, { lines: ['第二页 正常'] }, { lines: ['第三页 已损坏'] }]),
  );
  doc.catalog
    .Pages()
    .Kids()
    .set(2, doc.context.register(PDFNumber.of(7)));
  return doc.save({ useObjectStreams: false });
}

/**
 * A scanned dossier: every page one 150 dpi greyscale image (different on each page: a title bar,
 * ruled "text" lines of varying length, a stamp) and no text layer, like the output of a copier.
 */
export async function scannedPdf(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const [w, h] = [1240, 1754];
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let p = 0; p < count; p++) {
    const px = new Uint8Array(w * h).fill(246);
    const box = (x: number, y: number, bw: number, bh: number, v: number) => {
      for (let yy = y; yy < Math.min(h, y + bh); yy++) px.fill(v, yy * w + x, yy * w + Math.min(w, x + bw));
    };
    box(150, 160, 500 + ((p * 37) % 300), 36, 40);
    for (let line = 0; line < 34; line++) box(150, 260 + line * 40, 300 + Math.floor(rand() * 640), 14, 70 + Math.floor(rand() * 60));
    box(800 + (p % 7) * 20, 1450, 220, 220, 150);
    for (let i = 0; i < 4000; i++) px[Math.floor(rand() * px.length)] = 200; // copier speckle
    const image = doc.context.stream(deflateSync(px, { level: 6 }), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: w,
      Height: h,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 8,
      Filter: 'FlateDecode',
    });
    const ref = doc.context.register(image);
    const page = doc.addPage([595.28, 841.89]);
    const name = page.node.newXObject('Scan', ref);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(595.28, 0, 0, 841.89, 0, 0), drawObject(name), popGraphicsState());
  }
  return doc.save({ useObjectStreams: false });
}

/**
 * Adds an outline (bookmarks) and page labels to a PDF: `outline` names a page index per entry;
 * `labels` are pdf.js-style /PageLabels ranges (start page, style or prefix).
 */
export async function withOutlineAndLabels(
  bytes: Uint8Array,
  outline: Array<{ title: string; pageIndex: number }>,
  labels: Array<{ startPage: number; prefix?: string; style?: 'D' | 'r' | 'R' | 'A' | 'a'; start?: number }>,
): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes);
  const ctx = doc.context;
  const pages = doc.getPages();
  const rootRef = ctx.nextRef();
  const refs = outline.map(() => ctx.nextRef());
  outline.forEach((entry, i) => {
    ctx.assign(
      refs[i]!,
      ctx.obj({
        Title: PDFHexString.fromText(entry.title),
        Parent: rootRef,
        Dest: [pages[entry.pageIndex]!.ref, 'XYZ', null, null, null],
        ...(i > 0 ? { Prev: refs[i - 1] } : {}),
        ...(i < refs.length - 1 ? { Next: refs[i + 1] } : {}),
      }),
    );
  });
  ctx.assign(rootRef, ctx.obj({ Type: 'Outlines', First: refs[0], Last: refs[refs.length - 1], Count: refs.length }));
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(
    PDFName.of('PageLabels'),
    ctx.obj({
      Nums: labels.flatMap((l) => [
        l.startPage,
        ctx.obj({
          ...(l.style ? { S: l.style } : {}),
          ...(l.prefix ? { P: PDFHexString.fromText(l.prefix) } : {}),
          ...(l.start ? { St: l.start } : {}),
        }),
      ]),
    }),
  );
  return doc.save({ useObjectStreams: false });
}
