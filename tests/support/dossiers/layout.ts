/**
 * Lays 文书 out on A4 pages and draws them with pdf-lib: titles in a bold (filled and stroked) Song
 * face standing in for 黑体, body in 12 pt Song, forms as ruled tables, photos as grey boxes with
 * captions, license copies as framed cards. Every string drawn is recorded per page in drawing order,
 * which is the page's known text (pdf.js extracts it in the same order).
 */
import fs from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import {
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setLineWidth,
  setTextRenderingMode,
  TextRenderingMode,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import { RESOURCES_DIR } from '../temp.js';

export const FONT_FILE = path.join(RESOURCES_DIR, 'fonts', 'gbsn00lp.ttf');
export const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 82, right: 68, top: 78, bottom: 72 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BODY = 12;
const LINE = 21;

export type Block =
  | { kind: 'heading'; text: string; size?: number }
  | { kind: 'line'; text: string; align?: 'left' | 'center' | 'right'; size?: number; bold?: boolean }
  | { kind: 'para'; text: string; indent?: boolean }
  | { kind: 'form'; rows: Array<[string, string]>; labelWidth?: number; minHeight?: number }
  | { kind: 'grid'; widths: number[]; header: string[]; rows: string[][] }
  | { kind: 'photo'; caption: string; height?: number }
  | { kind: 'card'; title: string; lines: string[] }
  | { kind: 'signature'; lines: string[]; seal?: boolean }
  | { kind: 'gap'; height: number }
  | { kind: 'pageBreak' };

export type DrawOp =
  | { op: 'text'; x: number; y: number; size: number; bold: boolean; text: string; color?: [number, number, number] }
  | { op: 'rect'; x: number; y: number; width: number; height: number; fill?: number; stroke?: boolean };

export interface LaidPage {
  ops: DrawOp[];
  /** Centres of seal impressions (PDF points), pressed over signature blocks in scans. */
  seals: Array<{ x: number; y: number }>;
}

export interface LaidDocument {
  pages: LaidPage[];
}

/** Measures text in the bundled font without a PDF (fontkit directly, as pdf-lib does). */
let measurer: { widthOf(text: string, size: number): number } | null = null;
function measure(): { widthOf(text: string, size: number): number } {
  if (measurer) return measurer;
  const font = fontkit.create(fs.readFileSync(FONT_FILE)) as unknown as { unitsPerEm: number; layout(s: string): { advanceWidth: number } };
  const cache = new Map<string, number>();
  measurer = {
    widthOf(text, size) {
      let w = 0;
      for (const ch of text) {
        let a = cache.get(ch);
        if (a === undefined) cache.set(ch, (a = font.layout(ch).advanceWidth / font.unitsPerEm));
        w += a;
      }
      return w * size;
    },
  };
  return measurer;
}

/** Breaks text into lines that fit `width` (character by character, as Chinese is set; 。，、 never start a line). */
export function wrap(text: string, width: number, size: number, firstIndent = 0): string[] {
  const m = measure();
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let limit = width - firstIndent;
    for (const ch of paragraph) {
      if (line && m.widthOf(line + ch, size) > limit && !/[，。、；：）”]/.test(ch)) {
        out.push(line);
        line = '';
        limit = width;
      }
      line += ch;
    }
    out.push(line);
  }
  return out;
}

class Cursor {
  readonly pages: LaidPage[] = [];
  y = 0;
  constructor() {
    this.newPage();
  }
  get page(): LaidPage {
    return this.pages[this.pages.length - 1]!;
  }
  newPage(): void {
    this.pages.push({ ops: [], seals: [] });
    this.y = PAGE.height - MARGIN.top;
  }
  /** Starts a new page unless `height` still fits (an empty page always takes it). */
  need(height: number): void {
    if (this.y - height < MARGIN.bottom && this.page.ops.length) this.newPage();
  }
  text(x: number, y: number, text: string, size = BODY, bold = false): void {
    if (text) this.page.ops.push({ op: 'text', x, y, size, bold, text });
  }
}

/** Lays out one 文书; it always starts on a fresh page. */
export function layoutDocument(blocks: Block[]): LaidDocument {
  const m = measure();
  const c = new Cursor();
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading': {
        const size = b.size ?? 20;
        c.need(size + 18);
        c.y -= size;
        c.text((PAGE.width - m.widthOf(b.text, size)) / 2, c.y, b.text, size, true);
        c.y -= 16;
        break;
      }
      case 'line': {
        const size = b.size ?? BODY;
        c.need(LINE);
        c.y -= size;
        const w = m.widthOf(b.text, size);
        const x = b.align === 'center' ? (PAGE.width - w) / 2 : b.align === 'right' ? PAGE.width - MARGIN.right - w : MARGIN.left;
        c.text(x, c.y, b.text, size, b.bold ?? false);
        c.y -= LINE - size;
        break;
      }
      case 'para': {
        const indent = b.indent === false ? 0 : BODY * 2;
        wrap(b.text, CONTENT_WIDTH, BODY, indent).forEach((line, i) => {
          c.need(LINE);
          c.y -= BODY;
          c.text(MARGIN.left + (i === 0 ? indent : 0), c.y, line);
          c.y -= LINE - BODY;
        });
        break;
      }
      case 'form': {
        const labelWidth = b.labelWidth ?? 96;
        const valueWidth = CONTENT_WIDTH - labelWidth;
        for (const [label, value] of b.rows) {
          const labelLines = wrap(label, labelWidth - 12, BODY);
          const valueLines = wrap(value, valueWidth - 14, BODY);
          const height = Math.max(b.minHeight ?? 0, Math.max(labelLines.length, valueLines.length) * 18 + 14);
          c.need(height);
          const top = c.y;
          c.page.ops.push({ op: 'rect', x: MARGIN.left, y: top - height, width: labelWidth, height, stroke: true });
          c.page.ops.push({ op: 'rect', x: MARGIN.left + labelWidth, y: top - height, width: valueWidth, height, stroke: true });
          labelLines.forEach((l, i) => c.text(MARGIN.left + 6, top - 20 - i * 18, l));
          valueLines.forEach((l, i) => c.text(MARGIN.left + labelWidth + 8, top - 20 - i * 18, l));
          c.y = top - height;
        }
        c.y -= 10;
        break;
      }
      case 'grid': {
        const total = b.widths.reduce((a, w) => a + w, 0);
        const widths = b.widths.map((w) => (w / total) * CONTENT_WIDTH);
        const row = (cells: string[], bold: boolean): void => {
          const lines = cells.map((cell, i) => wrap(cell, widths[i]! - 10, BODY));
          const height = Math.max(...lines.map((l) => l.length)) * 17 + 12;
          c.need(height);
          let x = MARGIN.left;
          const top = c.y;
          lines.forEach((ls, i) => {
            c.page.ops.push({ op: 'rect', x, y: top - height, width: widths[i]!, height, stroke: true });
            ls.forEach((l, j) => c.text(x + 5, top - 18 - j * 17, l, BODY, bold));
            x += widths[i]!;
          });
          c.y = top - height;
        };
        row(b.header, true);
        for (const r of b.rows) row(r, false);
        c.y -= 10;
        break;
      }
      case 'photo': {
        const height = b.height ?? 230;
        c.need(height + 40);
        const width = 340;
        const x = (PAGE.width - width) / 2;
        // A ground band and a darker subject placed by the caption, so the box reads as a picture and no two look alike.
        const v = [...b.caption].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);
        const at = (shift: number, span: number): number => (((v >>> shift) % 1000) / 1000) * span;
        c.page.ops.push({ op: 'rect', x, y: c.y - height, width, height, fill: 0.55 + at(0, 0.15), stroke: true });
        c.page.ops.push({
          op: 'rect',
          x: x + 8,
          y: c.y - height + 8,
          width: width - 16,
          height: height * (0.2 + at(3, 0.3)),
          fill: 0.7 + at(6, 0.12),
        });
        const subject = { w: width * (0.2 + at(9, 0.3)), h: height * (0.25 + at(12, 0.35)) };
        c.page.ops.push({
          op: 'rect',
          x: x + 12 + at(15, width - 24 - subject.w),
          y: c.y - height * 0.85 + at(18, height * 0.3),
          width: subject.w,
          height: subject.h,
          fill: 0.3 + at(21, 0.2),
        });
        c.y -= height + 18;
        for (const l of wrap(b.caption, CONTENT_WIDTH, 10.5)) {
          c.text((PAGE.width - m.widthOf(l, 10.5)) / 2, c.y, l, 10.5);
          c.y -= 15;
        }
        c.y -= 12;
        break;
      }
      case 'card': {
        const height = 44 + b.lines.length * 20 + 16;
        c.need(height + 10);
        const width = CONTENT_WIDTH - 40;
        const x = MARGIN.left + 20;
        const top = c.y;
        c.page.ops.push({ op: 'rect', x, y: top - height, width, height, fill: 0.93, stroke: true });
        c.page.ops.push({ op: 'rect', x: x + 6, y: top - height + 6, width: width - 12, height: height - 12, stroke: true });
        c.text((PAGE.width - m.widthOf(b.title, 18)) / 2, top - 34, b.title, 18, true);
        b.lines.forEach((l, i) => c.text(x + 22, top - 62 - i * 20, l, 11));
        c.y = top - height - 16;
        break;
      }
      case 'signature': {
        const height = b.lines.length * LINE + 20;
        c.need(height);
        c.y -= 20;
        const widest = Math.max(...b.lines.map((l) => m.widthOf(l, BODY)));
        const x = PAGE.width - MARGIN.right - widest - 24;
        const first = c.y;
        for (const l of b.lines) {
          c.y -= BODY;
          c.text(x, c.y, l);
          c.y -= LINE - BODY;
        }
        if (b.seal) c.page.seals.push({ x: x + widest / 2, y: (first + c.y) / 2 + 6 });
        break;
      }
      case 'gap':
        c.y -= b.height;
        break;
      case 'pageBreak':
        c.newPage();
        break;
    }
  }
  return { pages: c.pages };
}

/** Adds a footer line to every page of a document ("第1页 共3页" of a 笔录, with the signature space). */
export function addFooters(doc: LaidDocument, footer: (page: number, count: number) => string): void {
  const m = measure();
  doc.pages.forEach((p, i) => {
    const text = footer(i + 1, doc.pages.length);
    p.ops.push({ op: 'text', x: PAGE.width - MARGIN.right - m.widthOf(text, 10.5), y: MARGIN.bottom - 30, size: 10.5, bold: false, text });
  });
}

/** A stamped archive page number: upper right corner, in a numbering machine's blue-black ink. */
export function stampPageNumber(page: LaidPage, n: number): void {
  const text = String(n);
  const size = 15;
  page.ops.push({
    op: 'text',
    x: PAGE.width - 44 - measure().widthOf(text, size),
    y: PAGE.height - 40,
    size,
    bold: false,
    text,
    color: [0.12, 0.16, 0.42],
  });
}

/** The page's known text: every string in drawing order, one per line. */
export const pageText = (page: LaidPage): string => page.ops.flatMap((o) => (o.op === 'text' ? [o.text] : [])).join('\n');

let fontBytes: Buffer | null = null;

/** Draws laid-out pages into a PDF with a real text layer (the bundled Song face, subset). */
export async function drawPdf(pages: LaidPage[], meta: { title: string; author: string; date: string }): Promise<Uint8Array> {
  fontBytes ??= fs.readFileSync(FONT_FILE);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // A fixed subset name keeps the bytes the same from run to run (pdf-lib otherwise adds a random tag).
  const font = await doc.embedFont(fontBytes, { subset: true, customName: 'AAAAAA+ARPLSungtiLGB-Light' });
  setMeta(doc, meta, 'WPS 文字', 'Microsoft: Print To PDF');
  for (const p of pages) drawPage(doc.addPage([PAGE.width, PAGE.height]), p, font);
  return doc.save({ useObjectStreams: false });
}

export function setMeta(doc: PDFDocument, meta: { title: string; author: string; date: string }, creator: string, producer: string): void {
  const when = new Date(`${meta.date}T09:30:00+08:00`);
  doc.setTitle(meta.title);
  doc.setAuthor(meta.author);
  doc.setCreator(creator);
  doc.setProducer(producer);
  doc.setCreationDate(when);
  doc.setModificationDate(when);
}

function drawPage(page: PDFPage, p: LaidPage, font: PDFFont): void {
  for (const o of p.ops) {
    if (o.op === 'rect') {
      page.drawRectangle({
        x: o.x,
        y: o.y,
        width: o.width,
        height: o.height,
        ...(o.fill !== undefined ? { color: rgb(o.fill, o.fill, o.fill) } : {}),
        ...(o.stroke ? { borderColor: rgb(0, 0, 0), borderWidth: 0.8 } : {}),
      });
      continue;
    }
    const color = o.color ? rgb(...o.color) : rgb(0, 0, 0);
    if (o.bold) {
      // Fill and stroke the glyphs: a heavy face from the one Song font the project bundles.
      page.pushOperators(pushGraphicsState(), setTextRenderingMode(TextRenderingMode.FillAndOutline), setLineWidth(o.size * 0.045));
      page.drawText(o.text, { x: o.x, y: o.y, size: o.size, font, color });
      page.pushOperators(popGraphicsState());
    } else page.drawText(o.text, { x: o.x, y: o.y, size: o.size, font, color });
  }
}
