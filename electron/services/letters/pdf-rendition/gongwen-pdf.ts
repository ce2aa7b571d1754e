/**
 * The PDF rendition of a 公文, made by the app itself (no office suite on the PC): the same content
 * model the DOCX template draws, laid out on the GB/T 9704 grid — A4, 版心 156 × 225 mm at 37/28 mm,
 * 22 lines × 28 characters of 3号 — with the bundled font embedded as a subset, the 版头 of the
 * standard or the 信函格式, 署名 and 成文日期 with room for the seal, page numbers "— 1 —" (odd
 * pages right, even pages left), the 版记 at the foot of the last page, and the verification block
 * (short code and QR code) of an issued letter. Every layout number comes from shared/gbt9704.ts.
 *
 * Layout is two passes: the content becomes a list of boxes (a line, a table row, a chart, the
 * signature lines, the verification block) with keep-with-next rules; pagination places them on the
 * text block; then each box draws itself. Drawing order follows reading order, so the PDF's text
 * comes out in the model's order.
 */
import fontkit from '@pdf-lib/fontkit';
import {
  BlendMode,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFString,
  TextRenderingMode,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setCharacterSpacing,
  setLineWidth,
  setStrokingRgbColor,
  setTextRenderingMode,
  type PDFFont,
  type PDFImage,
  type PDFPage,
  type RGB,
} from 'pdf-lib';
import QRCode from 'qrcode';
import {
  FONT_SIZE_PT,
  GBT9704,
  GBT9704_LETTERS,
  GONGWEN_RED,
  MM_PER_INCH,
  PT_PER_INCH,
  mmToPt,
  pageNumberText,
  signatureIndents,
} from '../../../../shared/core/gbt9704.js';
import type { GongwenBlock, GongwenDoc } from '../../../../shared/letters/document.js';
import { DOCUMENT_ID_MARKER } from '../../../../shared/signing/statement.js';
import { VERIFICATION_QR_MM as QR_MM, verificationLines, type VerificationMark } from '../../../../shared/signing/verification-block.js';
import { breakLines } from '../../../../shared/core/line-break.js';
import type { ChartImages } from '../gongwen-letter.js';

// ── page geometry (pt; y measured DOWN from the text block's top edge) ───────────────────────

const PAGE_W = mmToPt(GBT9704.page.widthMm);
const PAGE_H = mmToPt(GBT9704.page.heightMm);
const LEFT = mmToPt(GBT9704.margin.leftMm);
const TOP = mmToPt(GBT9704.margin.topMm);
const BLOCK_W = mmToPt(GBT9704.textBlock.widthMm);
const BLOCK_H = mmToPt(GBT9704.textBlock.heightMm);
const PITCH = GBT9704.linePitchPt;
const CHAR = GBT9704.charPitchPt;
const BODY = GBT9704.bodySizePt;
const TABLE_PT = FONT_SIZE_PT.xiaosi;
const VERIFY_PT = FONT_SIZE_PT.wu;

/** PDF y of a distance below the text block's top edge. */
const Y = (down: number): number => PAGE_H - TOP - down;
const ptToMm = (pt: number): number => (pt / PT_PER_INCH) * MM_PER_INCH;

const BLACK = rgb(0, 0, 0);
const hex = (h: string): RGB =>
  rgb(parseInt(h.slice(0, 2), 16) / 255, parseInt(h.slice(2, 4), 16) / 255, parseInt(h.slice(4, 6), 16) / 255);
const RED = hex(GONGWEN_RED);
const GREY = rgb(0.35, 0.35, 0.35);

// ── fonts ─────────────────────────────────────────────────────────────────────────────────────

interface FontkitFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): { advanceWidth: number };
}

/** The bundled CJK font, parsed once: bytes for embedding, metrics for layout. */
export class RenditionFont {
  readonly metrics: FontkitFont;
  private readonly advances = new Map<string, number>();
  constructor(readonly bytes: Uint8Array) {
    this.metrics = fontkit.create(bytes) as unknown as FontkitFont;
  }
  /** Advance of one character in em. */
  em(ch: string): number {
    let a = this.advances.get(ch);
    if (a === undefined) {
      a = this.metrics.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth / this.metrics.unitsPerEm;
      this.advances.set(ch, a);
    }
    return a;
  }
  missing(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) if (!/\s/.test(ch) && !this.metrics.hasGlyphForCodePoint(ch.codePointAt(0)!)) out.add(ch);
    return [...out];
  }
  get ascent(): number {
    return this.metrics.ascent / this.metrics.unitsPerEm;
  }
  get descent(): number {
    return -this.metrics.descent / this.metrics.unitsPerEm;
  }
}

// ── runs and lines ────────────────────────────────────────────────────────────────────────────

interface Style {
  size: number;
  /** 黑体/小标宋 faces: the one bundled face, drawn fill + stroke. */
  bold?: boolean;
  color?: RGB;
}

interface Run {
  text: string;
  style: Style;
}

type Align = 'justify' | 'left' | 'center' | 'right';

interface Ctx {
  page: PDFPage;
  /** 1-based. */
  pageNumber: number;
  font: PDFFont;
  face: RenditionFont;
}

/** Character spacing that puts a 3号 character on the 28-per-line grid (the font's em is wider than 156/28 mm). */
const gridSpacing = (size: number): number => (size === BODY ? CHAR - BODY : 0);

function runWidth(face: RenditionFont, text: string, style: Style): number {
  let w = 0;
  for (const ch of text) w += face.em(ch) * style.size + gridSpacing(style.size);
  return w;
}

/** Draws one run at (x, baseline); `extra` is added after every character (justification). */
function drawRun(ctx: Ctx, run: Run, x: number, baseline: number, extra = 0): number {
  const { style } = run;
  const spacing = gridSpacing(style.size) + extra;
  const color = style.color ?? BLACK;
  ctx.page.pushOperators(pushGraphicsState(), setCharacterSpacing(spacing));
  if (style.bold) {
    ctx.page.pushOperators(
      setTextRenderingMode(TextRenderingMode.FillAndOutline),
      setLineWidth(style.size * 0.035),
      setStrokingRgbColor(color.red, color.green, color.blue),
    );
  }
  ctx.page.drawText(run.text, { x, y: baseline, size: style.size, font: ctx.font, color });
  ctx.page.pushOperators(popGraphicsState());
  return runWidth(ctx.face, run.text, style) + extra * [...run.text].length;
}

/** Baseline that centres the em box of `size` in a line box of `height` whose top is at `top`. */
function baselineIn(face: RenditionFont, top: number, height: number, size: number): number {
  return Y(top) - height / 2 - ((face.ascent - face.descent) / 2) * size;
}

/** Splits runs at the given character offsets (lines of the concatenated text). */
function sliceRuns(runs: Run[], lines: string[]): Run[][] {
  const out: Run[][] = [];
  let ri = 0;
  let offset = 0; // within runs[ri], in UTF-16 units
  for (const line of lines) {
    let need = line.length;
    const pieces: Run[] = [];
    while (need > 0 && ri < runs.length) {
      const run = runs[ri]!;
      const take = Math.min(need, run.text.length - offset);
      pieces.push({ text: run.text.slice(offset, offset + take), style: run.style });
      need -= take;
      offset += take;
      if (offset >= run.text.length) {
        ri += 1;
        offset = 0;
      }
    }
    out.push(pieces.filter((p) => p.text));
  }
  return out;
}

// ── boxes and pagination ──────────────────────────────────────────────────────────────────────

interface Box {
  height: number;
  draw(ctx: Ctx, top: number): void;
  keepWithNext?: boolean;
  breakBefore?: boolean;
  /** A table row: the header rows to repeat when this row starts a page. */
  repeat?: Box[];
}

const blank = (lines = 1, keepWithNext = false): Box => ({ height: PITCH * lines, draw: () => undefined, keepWithNext });

interface ParagraphSpec {
  runs: Run[];
  align?: Align;
  /** Indents in pt. */
  firstIndent?: number;
  leftIndent?: number;
  rightIndent?: number;
  lineHeight?: number;
  keepWithNext?: boolean;
  /** Keep every line of the paragraph on one page. */
  keepTogether?: boolean;
  breakBefore?: boolean;
}

function paragraph(face: RenditionFont, spec: ParagraphSpec): Box[] {
  const size = spec.runs[0]?.style.size ?? BODY;
  const first = spec.firstIndent ?? 0;
  const left = spec.leftIndent ?? 0;
  const right = spec.rightIndent ?? 0;
  const height = spec.lineHeight ?? PITCH;
  const align = spec.align ?? 'justify';
  const text = spec.runs.map((r) => r.text).join('');
  const width = (token: string): number => runWidth(face, token, { size });
  // The grid's negative spacing after the last character does not take room on the line.
  const slack = gridSpacing(size);
  const lines = breakLines(text, width, { first: BLOCK_W - left - first - right - slack, rest: BLOCK_W - left - right - slack });
  const pieces = sliceRuns(spec.runs, lines);
  return pieces.map((runs, i) => {
    const last = i === pieces.length - 1;
    return {
      height,
      // No widow/orphan control (as in the DOCX): a full page carries all 22 lines of the grid.
      keepWithNext: last ? !!spec.keepWithNext : !!spec.keepTogether,
      ...(i === 0 && spec.breakBefore ? { breakBefore: true } : {}),
      draw(ctx, top) {
        const x0 = LEFT + left + (i === 0 ? first : 0);
        const avail = BLOCK_W - left - right - (i === 0 ? first : 0);
        const natural = runs.reduce((a, r) => a + runWidth(face, r.text, r.style), 0) - slack;
        const chars = runs.reduce((a, r) => a + [...r.text].length, 0);
        let x = x0;
        let extra = 0;
        if (align === 'center') x = x0 + (avail - natural) / 2;
        else if (align === 'right') x = x0 + avail - natural;
        else if (align === 'justify' && !last && chars > 1) extra = Math.max(0, (avail - natural) / (chars - 1));
        const baseline = baselineIn(face, top, height, size);
        for (const r of runs) x += drawRun(ctx, r, x, baseline, extra);
      },
    };
  });
}

interface Placed {
  box: Box;
  top: number;
}

/** Places boxes on pages, honouring breaks, keep-with-next chains and repeated table headers. */
function paginate(boxes: Box[]): Placed[][] {
  const pages: Placed[][] = [[]];
  let y = 0;
  const newPage = (): void => {
    pages.push([]);
    y = 0;
  };
  const place = (box: Box): void => {
    pages[pages.length - 1]!.push({ box, top: y });
    y += box.height;
  };
  for (let i = 0; i < boxes.length; i++) {
    const box = boxes[i]!;
    if (box.breakBefore && y > 0) newPage();
    // The chain this box starts: it and every following box it must stay with.
    let chain = box.height;
    for (let j = i; boxes[j]?.keepWithNext && boxes[j + 1] && !boxes[j + 1]!.breakBefore; j++) chain += boxes[j + 1]!.height;
    const fits = y + Math.min(chain, BLOCK_H) <= BLOCK_H + 0.01;
    if (!fits && y > 0) newPage();
    if (y === 0 && box.repeat && pages.length > 1) for (const h of box.repeat) place(h);
    place(box);
  }
  return pages;
}

// ── the document's parts ──────────────────────────────────────────────────────────────────────

const body = (text: string, extra: Partial<Style> = {}): Run => ({ text, style: { size: BODY, ...extra } });

function bodyParagraph(face: RenditionFont, text: string, keepWithNext = false): Box[] {
  return paragraph(face, { runs: [body(text)], firstIndent: CHAR * GBT9704.firstLineIndentChars, keepWithNext });
}

function titleBoxes(face: RenditionFont, title: string): Box[] {
  const size = GBT9704.titleSizePt;
  return paragraph(face, {
    runs: [{ text: title, style: { size, bold: true } }],
    align: 'center',
    lineHeight: size * 1.5,
    keepWithNext: true,
    keepTogether: true,
  });
}

function blockBoxes(face: RenditionFont, block: GongwenBlock, charts: ChartImages, images: Map<string, PDFImage>): Box[] {
  const indent = CHAR * GBT9704.firstLineIndentChars;
  switch (block.type) {
    case 'p':
      return bodyParagraph(face, block.text);
    case 'h1':
      return paragraph(face, { runs: [body(block.text, { bold: true })], firstIndent: indent, keepWithNext: true });
    case 'h2':
    case 'h3':
    case 'h4':
      return paragraph(face, {
        runs: [body(block.text, block.type === 'h2' ? { bold: true } : {}), ...(block.rest ? [body(block.rest)] : [])],
        firstIndent: indent,
        keepWithNext: !block.rest,
      });
    case 'table':
      return tableBoxes(face, block);
    case 'chart': {
      const png = charts.get(block.chart.svg);
      if (!png) throw new Error(`chart "${block.chart.title}" was not rasterised`);
      const w = Math.min(BLOCK_W, mmToPt(block.chart.widthMm));
      const h = (w * block.chart.heightPx) / block.chart.widthPx;
      const caption = paragraph(face, { runs: [body(block.chart.title, { bold: true })], align: 'center', keepWithNext: true });
      return [
        ...caption,
        {
          height: h + PITCH / 2,
          draw(ctx, top) {
            const image = images.get(block.chart.svg)!;
            ctx.page.drawImage(image, { x: LEFT + (BLOCK_W - w) / 2, y: Y(top + h), width: w, height: h });
          },
        },
      ];
    }
  }
}

function tableBoxes(face: RenditionFont, block: Extract<GongwenBlock, { type: 'table' }>): Box[] {
  const widths = block.columns.map((c) => c.width * BLOCK_W);
  const padX = 4;
  const padY = 3;
  const lh = TABLE_PT * 1.45;
  const style: Style = { size: TABLE_PT };
  const row = (cells: string[], header: boolean): Box => {
    const lines = cells.map((text, i) =>
      text
        .split('\n')
        .flatMap((part) =>
          breakLines(part, (t) => runWidth(face, t, style), { first: widths[i]! - 2 * padX, rest: widths[i]! - 2 * padX }),
        ),
    );
    const height = Math.max(1, ...lines.map((l) => l.length)) * lh + 2 * padY;
    return {
      height,
      draw(ctx, top) {
        let x = LEFT;
        for (const [i, w] of widths.entries()) {
          if (header) ctx.page.drawRectangle({ x, y: Y(top + height), width: w, height, color: rgb(0.93, 0.93, 0.93) });
          ctx.page.drawRectangle({ x, y: Y(top + height), width: w, height, borderColor: BLACK, borderWidth: 0.5 });
          const cellLines = lines[i] ?? [];
          const align = header ? 'center' : (block.columns[i]?.align ?? 'left');
          const textTop = top + (height - cellLines.length * lh) / 2;
          for (const [k, line] of cellLines.entries()) {
            const lw = runWidth(face, line, style);
            const lx = align === 'center' ? x + (w - lw) / 2 : align === 'right' ? x + w - padX - lw : x + padX;
            drawRun(
              ctx,
              { text: line, style: header ? { ...style, bold: true } : style },
              lx,
              baselineIn(face, textTop + k * lh, lh, TABLE_PT),
            );
          }
          x += w;
        }
      },
    };
  };
  const header = row(
    block.columns.map((c) => c.title),
    true,
  );
  header.keepWithNext = true;
  const rows = block.rows.map((r) => ({ ...row(r, false), repeat: [header] }));
  const caption = block.caption
    ? paragraph(face, { runs: [body(block.caption, { bold: true })], align: 'center', keepWithNext: true })
    : [];
  return [...caption, header, ...rows, { height: PITCH / 2, draw: () => undefined }];
}

/** 附件说明: "附件：1. …", names aligned with the first name's first character. */
function attachmentBoxes(face: RenditionFont, names: string[]): Box[] {
  if (!names.length) return [];
  const numbered = names.length > 1;
  const lead = CHAR * GBT9704.firstLineIndentChars;
  const label = runWidth(face, '附件：', { size: BODY });
  return [
    blank(1, true),
    ...names.flatMap((name, i) => {
      const number = numbered ? `${i + 1}. ` : '';
      const numberWidth = runWidth(face, number, { size: BODY });
      return paragraph(face, {
        runs: [body(`${i === 0 ? '附件：' : ''}${number}${name}`)],
        align: 'left',
        leftIndent: lead + label + numberWidth,
        firstIndent: i === 0 ? -(label + numberWidth) : -numberWidth,
        keepWithNext: true,
      });
    }),
  ];
}

/**
 * 署名 and 成文日期: blank lines of room for the seal, 署名 centred over the date, the date four
 * characters in from the right; the seal image (when used) centred on them, its top within one line
 * of the body. The last body line stays on the same page.
 */
function signatureBoxes(
  face: RenditionFont,
  doc: GongwenDoc,
  seal: PDFImage | null,
  keepWithNext: boolean,
  onAnchor: (anchor: SealAnchor) => void,
): Box[] {
  const { signerRightChars, dateRightChars } = signatureIndents(doc.signature.signer, doc.signature.dateText);
  const blanks = GBT9704_LETTERS.sealBlankLines;
  const signer = paragraph(face, {
    runs: [body(doc.signature.signer)],
    align: 'right',
    rightIndent: CHAR * signerRightChars,
    keepWithNext: true,
  });
  const date = paragraph(face, {
    runs: [body(doc.signature.dateText)],
    align: 'right',
    rightIndent: CHAR * dateRightChars,
    keepWithNext: !!doc.note || keepWithNext,
  });
  const boxes: Box[] = [...Array.from({ length: blanks }, () => blank(1, true)), ...signer, ...date];
  const d = mmToPt(GBT9704_LETTERS.sealDiameterMm);
  const h = seal ? (d * seal.height) / seal.width : d;
  const centreX = LEFT + BLOCK_W - CHAR * dateRightChars - runWidth(face, doc.signature.dateText, { size: BODY }) / 2;
  const dateBox = boxes[boxes.length - 1]!;
  const linesAbove = boxes.length - 1;
  // The seal lies on top of 署名 and date (drawn with the date, after the lines it covers), its top a
  // quarter line below the body; where it goes is reported for a certified 签章 tool either way.
  boxes[boxes.length - 1] = {
    ...dateBox,
    draw(ctx, top) {
      dateBox.draw(ctx, top);
      const sealTop = top - linesAbove * PITCH + PITCH * 0.25;
      onAnchor({
        page: ctx.pageNumber,
        xMm: ptToMm(centreX),
        yMm: ptToMm(TOP + sealTop + h / 2),
        diameterMm: GBT9704_LETTERS.sealDiameterMm,
      });
      // Multiply, like ink: the black 署名 and date stay legible through the red.
      if (seal) ctx.page.drawImage(seal, { x: centreX - d / 2, y: Y(sealTop + h), width: d, height: h, blendMode: BlendMode.Multiply });
    },
  };
  if (doc.note)
    boxes.push(
      ...paragraph(face, {
        runs: [body(`（${doc.note}）`)],
        align: 'left',
        firstIndent: CHAR * GBT9704.firstLineIndentChars,
        keepWithNext,
      }),
    );
  return boxes;
}

/** The QR code as vector squares (crisp at any print resolution), runs of dark modules merged. */
function drawQr(page: PDFPage, payload: string, x: number, yTop: number, size: number): void {
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const m = size / (n + 2 * quiet);
  page.drawRectangle({ x, y: yTop - size, width: size, height: size, color: rgb(1, 1, 1) });
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      let end = c;
      while (end < n && qr.modules.get(r, end)) end++;
      // A hair of overlap closes the seams some rasterisers leave between adjacent squares.
      page.drawRectangle({
        x: x + (quiet + c) * m,
        y: yTop - (quiet + r + 1) * m - 0.02,
        width: (end - c) * m + 0.02,
        height: m + 0.04,
        color: BLACK,
      });
      c = end;
    }
  }
}

function verificationBox(face: RenditionFont, mark: VerificationMark, sealUsed: boolean): Box {
  const qr = mmToPt(QR_MM);
  const gap = mmToPt(4);
  const textX = LEFT + qr + gap;
  const textW = BLOCK_W - qr - gap;
  const codeStyle: Style = { size: FONT_SIZE_PT.xiaosi };
  const noteStyle: Style = { size: VERIFY_PT, color: GREY };
  const [code, ...notes] = verificationLines(mark, sealUsed);
  const lh = VERIFY_PT * 1.55;
  const noteLines = notes.flatMap((t) => breakLines(t, (tok) => runWidth(face, tok, noteStyle), { first: textW, rest: textW }));
  const codeHeight = FONT_SIZE_PT.xiaosi * 2;
  const above = PITCH / 2;
  const height = above + Math.max(qr, codeHeight + noteLines.length * lh) + PITCH / 2;
  return {
    height,
    draw(ctx, boxTop) {
      const y0 = boxTop + above;
      ctx.page.drawLine({
        start: { x: LEFT, y: Y(y0 - above / 2) },
        end: { x: LEFT + BLOCK_W, y: Y(y0 - above / 2) },
        thickness: 0.4,
        color: GREY,
        dashArray: [2, 2],
      });
      drawQr(ctx.page, mark.payload, LEFT, Y(y0), qr);
      drawRun(ctx, { text: code!, style: codeStyle }, textX, baselineIn(face, y0, codeHeight, codeStyle.size));
      for (const [i, line] of noteLines.entries())
        drawRun(ctx, { text: line, style: noteStyle }, textX, baselineIn(face, y0 + codeHeight + i * lh, lh, VERIFY_PT));
    },
  };
}

function appendixBoxes(
  face: RenditionFont,
  a: GongwenDoc['appendices'][number],
  charts: ChartImages,
  images: Map<string, PDFImage>,
): Box[] {
  return [
    ...paragraph(face, { runs: [body(a.label, { bold: true })], align: 'left', breakBefore: true, keepWithNext: true }),
    blank(1, true),
    ...titleBoxes(face, a.title),
    ...a.blocks.flatMap((b) => blockBoxes(face, b, charts, images)),
  ];
}

// ── 版头 ───────────────────────────────────────────────────────────────────────────────────────

/** A run of `text` at `size`, shrunk so it fits `width` (a long 发文机关标志 must stay on one line). */
function fitSize(face: RenditionFont, text: string, size: number, width: number): number {
  const w = runWidth(face, text, { size });
  return w > width ? (size * width) / w : size;
}

/** Standard format: 发文机关标志 35 mm below the text block's top, 文号 two lines below, red rule 4 mm under it, title two lines lower. */
function standardHead(face: RenditionFont, doc: GongwenDoc): Box {
  const L = GBT9704_LETTERS.standard;
  const markTop = mmToPt(L.bodyMarkBelowTextTopMm);
  const size = fitSize(face, doc.head.bodyMark, L.bodyMarkSizePt, BLOCK_W);
  const numberTop = markTop + size + L.documentNumberGapLines * PITCH;
  const numberGlyphBottom = numberTop + PITCH / 2 + BODY / 2;
  const rule = numberGlyphBottom + mmToPt(L.redRuleBelowNumberMm);
  const height = rule + L.titleGapLines * PITCH;
  return {
    height,
    keepWithNext: true,
    draw(ctx) {
      const markWidth = runWidth(face, doc.head.bodyMark, { size });
      drawRun(
        ctx,
        { text: doc.head.bodyMark, style: { size, bold: true, color: RED } },
        LEFT + (BLOCK_W - markWidth) / 2,
        Y(markTop) - face.ascent * size,
      );
      if (doc.head.documentNumber) {
        const w = runWidth(face, doc.head.documentNumber, { size: BODY }) - gridSpacing(BODY);
        drawRun(ctx, body(doc.head.documentNumber), LEFT + (BLOCK_W - w) / 2, baselineIn(face, numberTop, PITCH, BODY));
      }
      ctx.page.drawLine({
        start: { x: LEFT, y: Y(rule) },
        end: { x: LEFT + BLOCK_W, y: Y(rule) },
        thickness: L.redRuleWidthPt,
        color: RED,
      });
    },
  };
}

const THICK = 1.5;
const THIN = 0.5;
const RULE_GAP = 1.2;

function doubleRule(page: PDFPage, yTop: number, thickFirst: boolean): void {
  const L = GBT9704_LETTERS.letter;
  const x = (PAGE_W - mmToPt(L.doubleRuleLengthMm)) / 2;
  const len = mmToPt(L.doubleRuleLengthMm);
  const [a, b] = thickFirst ? [THICK, THIN] : [THIN, THICK];
  page.drawLine({ start: { x, y: yTop - a / 2 }, end: { x: x + len, y: yTop - a / 2 }, thickness: a, color: RED });
  page.drawLine({
    start: { x, y: yTop - a - RULE_GAP - b / 2 },
    end: { x: x + len, y: yTop - a - RULE_GAP - b / 2 },
    thickness: b,
    color: RED,
  });
}

/**
 * 信函格式 (GB/T 9704 §10.1), page 1: the body's name 30 mm from the top edge, a red double rule
 * (thick over thin) 4 mm below it, the 文号 flush right 7/8 of a 3号 character below the rule, the
 * title two lines lower; a red double rule (thin over thick) 20 mm above the bottom edge.
 */
function letterHead(face: RenditionFont, doc: GongwenDoc): Box {
  const L = GBT9704_LETTERS.letter;
  const nameTopPage = mmToPt(L.bodyNameTopMm);
  const size = fitSize(face, doc.head.bodyMark, L.bodyNameSizePt, mmToPt(L.doubleRuleLengthMm));
  const ruleTopPage = nameTopPage + size + mmToPt(L.doubleRuleBelowNameMm);
  const ruleBottom = ruleTopPage + THICK + RULE_GAP + THIN - TOP; // in block coordinates
  const numberGlyphTop = ruleBottom + BODY * L.numberBelowRuleEm;
  const numberLineTop = numberGlyphTop - (PITCH - BODY) / 2;
  const height = numberLineTop + PITCH + L.titleGapLines * PITCH;
  return {
    height,
    keepWithNext: true,
    draw(ctx) {
      const nameWidth = runWidth(face, doc.head.bodyMark, { size });
      drawRun(
        ctx,
        { text: doc.head.bodyMark, style: { size, bold: true, color: RED } },
        (PAGE_W - nameWidth) / 2,
        PAGE_H - nameTopPage - face.ascent * size,
      );
      doubleRule(ctx.page, PAGE_H - ruleTopPage, true);
      const footTop = mmToPt(L.footRuleAboveBottomMm) + THICK + RULE_GAP + THIN;
      doubleRule(ctx.page, footTop, false);
      if (doc.head.documentNumber) {
        const w = runWidth(face, doc.head.documentNumber, { size: BODY }) - gridSpacing(BODY);
        drawRun(ctx, body(doc.head.documentNumber), LEFT + BLOCK_W - w, baselineIn(face, numberLineTop, PITCH, BODY));
      }
    },
  };
}

// ── 版记 and page numbers ─────────────────────────────────────────────────────────────────────

/** 版记 rows (抄送; 印发机关 and 印发日期) in 4号 between rules, at the foot of the last page. */
function imprintRows(face: RenditionFont, doc: GongwenDoc): Array<{ lines: string[]; right?: string }> {
  const im = doc.imprint;
  if (!im || (!im.cc.length && !im.printer)) return [];
  const size = GBT9704.imprintSizePt;
  const side = size * GBT9704_LETTERS.imprint.sideIndentChars;
  const rows: Array<{ lines: string[]; right?: string }> = [];
  if (im.cc.length) {
    const label = runWidth(face, '抄送：', { size });
    const text = `抄送：${im.cc.join('，')}。`;
    rows.push({
      lines: breakLines(text, (t) => runWidth(face, t, { size }), { first: BLOCK_W - 2 * side, rest: BLOCK_W - 2 * side - label }),
    });
  }
  if (im.printer) rows.push({ lines: [im.printer], right: `${im.printDateText ?? ''}印发` });
  return rows;
}

function drawImprint(ctx: Ctx, rows: ReturnType<typeof imprintRows>): void {
  const size = GBT9704.imprintSizePt;
  const side = size * GBT9704_LETTERS.imprint.sideIndentChars;
  const label = runWidth(ctx.face, '抄送：', { size });
  const thick = mmToPt(GBT9704_LETTERS.imprint.thickRuleMm);
  const thin = mmToPt(GBT9704_LETTERS.imprint.thinRuleMm);
  const total = rows.reduce((a, r) => a + r.lines.length, 0);
  let top = BLOCK_H - total * PITCH;
  const rule = (at: number, w: number): void => {
    ctx.page.drawLine({ start: { x: LEFT, y: Y(at) }, end: { x: LEFT + BLOCK_W, y: Y(at) }, thickness: w, color: BLACK });
  };
  rule(top, thick);
  for (const [i, row] of rows.entries()) {
    for (const [k, line] of row.lines.entries()) {
      const x = LEFT + side + (k > 0 && i === 0 && rows.length && row.lines.length > 1 && line ? label : 0);
      drawRun(ctx, { text: line, style: { size } }, x, baselineIn(ctx.face, top + k * PITCH, PITCH, size));
      if (row.right && k === 0) {
        const w = runWidth(ctx.face, row.right, { size });
        drawRun(ctx, { text: row.right, style: { size } }, LEFT + BLOCK_W - side - w, baselineIn(ctx.face, top, PITCH, size));
      }
    }
    top += row.lines.length * PITCH;
    rule(top, i === rows.length - 1 ? thick : thin);
  }
}

/** "— n —" in 4号, 7 mm below the text block; odd pages right, even pages left, one character in. */
function drawPageNumber(ctx: Ctx, n: number): void {
  const size = GBT9704.pageNumberSizePt;
  const text = pageNumberText(n);
  const w = runWidth(ctx.face, text, { size });
  const glyphTop = BLOCK_H + mmToPt(GBT9704.pageNumberBelowTextMm);
  const x = n % 2 === 1 ? LEFT + BLOCK_W - size - w : LEFT + size;
  drawRun(ctx, { text, style: { size } }, x, Y(glyphTop) - ctx.face.ascent * size);
}

// ── the document ──────────────────────────────────────────────────────────────────────────────

export interface RenditionOptions {
  font: RenditionFont;
  /** PNG of each chart, keyed by its SVG. */
  charts: ChartImages;
  /** The verification block of an issued letter; null for a draft rendition. */
  verification: VerificationMark | null;
  /** The bureau's seal image (transparent PNG), placed over 署名 and date; null: no seal. */
  seal: Uint8Array | null;
  /** Written into the PDF's information dictionary so an altered copy can still be identified. */
  documentId: string | null;
  /** Creation date written into the PDF (the issue time: the same input gives the same bytes). */
  createdAt: string;
  producer: string;
}

/** Where GB/T 9704 puts the seal: its centre from the page's top-left corner. */
export interface SealAnchor {
  page: number;
  xMm: number;
  yMm: number;
  diameterMm: number;
}

export interface Rendition {
  bytes: Uint8Array;
  pages: number;
  seal: SealAnchor;
}

/** Characters of the document the bundled font cannot draw (they would print as blanks). */
export function missingGlyphs(font: RenditionFont, doc: GongwenDoc, texts: string[]): string[] {
  const imprint = doc.imprint ? [...doc.imprint.cc, doc.imprint.printer ?? '', doc.imprint.printDateText ?? ''] : [];
  return font.missing([...texts, ...imprint].join(''));
}

export async function renderGongwenPdf(doc: GongwenDoc, options: RenditionOptions): Promise<Rendition> {
  const face = options.font;
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkit);
  // A fixed subset tag instead of pdf-lib's random suffix: the same letter renders to the same bytes.
  const font = await pdf.embedFont(options.font.bytes, { subset: true, customName: 'PCGWZT+ARPLSungtiLGB' });
  const images = new Map<string, PDFImage>();
  const allBlocks = [...doc.blocks, ...doc.appendices.flatMap((a) => a.blocks)];
  for (const b of allBlocks) {
    if (b.type !== 'chart' || images.has(b.chart.svg)) continue;
    const png = options.charts.get(b.chart.svg);
    if (!png) throw new Error(`chart "${b.chart.title}" was not rasterised`);
    images.set(b.chart.svg, await pdf.embedPng(png));
  }
  const seal = options.seal ? await pdf.embedPng(options.seal) : null;

  const isLetter = doc.format === 'letter';
  const boxes: Box[] = [
    isLetter ? letterHead(face, doc) : standardHead(face, doc),
    ...titleBoxes(face, doc.title),
    ...(doc.addressee
      ? [blank(GBT9704_LETTERS.addresseeGapLines, true), ...paragraph(face, { runs: [body(`${doc.addressee}：`)], align: 'left' })]
      : []),
    ...doc.blocks.flatMap((b) => blockBoxes(face, b, options.charts, images)),
  ];
  // GB/T 9704 §7.3.5: the 署名 and date never stand alone on a page — the body's last two lines go
  // with the 附件说明 and signature (the standard no longer allows "此页无正文").
  for (const i of [boxes.length - 2, boxes.length - 1]) if (i >= 1) boxes[i] = { ...boxes[i]!, keepWithNext: true };
  let anchor: SealAnchor | null = null;
  boxes.push(...attachmentBoxes(face, doc.attachments), ...signatureBoxes(face, doc, seal, !!options.verification, (a) => (anchor = a)));
  if (options.verification) boxes.push(verificationBox(face, options.verification, !!seal));
  for (const a of doc.appendices) boxes.push(...appendixBoxes(face, a, options.charts, images));

  const pages = paginate(boxes);
  const rows = imprintRows(face, doc);
  if (rows.length) {
    const need = (rows.reduce((a, r) => a + r.lines.length, 0) + 1) * PITCH;
    const last = pages[pages.length - 1]!;
    const used = last.reduce((a, p) => Math.max(a, p.top + p.box.height), 0);
    if (used + need > BLOCK_H + 0.01) pages.push([]);
  }

  for (const [i, placed] of pages.entries()) {
    const page = pdf.addPage([PAGE_W, PAGE_H]);
    const ctx: Ctx = { page, pageNumber: i + 1, font, face };
    for (const p of placed) p.box.draw(ctx, p.top);
    if (i === pages.length - 1 && rows.length) drawImprint(ctx, rows);
    if (!(isLetter && i === 0)) drawPageNumber(ctx, i + 1);
  }

  const when = new Date(options.createdAt);
  pdf.setTitle(doc.title, { showInWindowTitleBar: true });
  pdf.setAuthor(doc.signature.signer);
  pdf.setSubject(doc.head.documentNumber ?? doc.title);
  pdf.setLanguage('zh-CN');
  pdf.setProducer(options.producer);
  pdf.setCreator(options.producer);
  pdf.setCreationDate(when);
  pdf.setModificationDate(when);
  if (options.documentId) {
    const info = pdf.context.lookup(pdf.context.trailerInfo.Info, PDFDict);
    info.set(PDFName.of('PingchaDocumentId'), PDFString.of(`${DOCUMENT_ID_MARKER}${options.documentId}`));
  }
  // No object streams: the information dictionary stays plain bytes a verifier can find even in a damaged copy.
  const bytes = await pdf.save({ useObjectStreams: false });
  if (!anchor) throw new Error('the signature block was not placed');
  return { bytes, pages: pages.length, seal: anchor };
}
