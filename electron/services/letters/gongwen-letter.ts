/**
 * A 公文 (监督意见书, 整改通知书, 通报) as DOCX: a pure function of the document's content
 * (shared/letters/document.ts) and the PNG renditions of its charts. Layout per GB/T 9704, every
 * number from shared/gbt9704.ts: the 版头 of the standard format or the 信函格式, title, 主送机关,
 * body with heading levels, 附件说明, 署名 and 成文日期 with room for the seal, 附注, 附件 pages and
 * the 版记 at the foot of the last page.
 */
import {
  AlignmentType,
  BorderStyle,
  FrameAnchorType,
  FrameWrap,
  HorizontalPositionAlign,
  ImageRun,
  LineRuleType,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  VerticalAlign,
  VerticalPositionAlign,
  WidthType,
  type Document,
  type IParagraphOptions,
} from 'docx';
import {
  FONT_SIZE_PT,
  GBT9704,
  GBT9704_LETTERS,
  GONGWEN_RED,
  mmToTwip,
  ptToTwip,
  signatureIndents,
  textWidthChars,
} from '../../../shared/core/gbt9704.js';
import type { Appendix, GongwenBlock, GongwenDoc } from '../../../shared/letters/document.js';
import { VERIFICATION_QR_MM, verificationLines, type VerificationMark } from '../../../shared/signing/verification-block.js';
import {
  LINE_PITCH_TWIP,
  TEXT_WIDTH_TWIP,
  blankLine,
  bodyParagraph,
  bodySpacing,
  charTwip,
  gongwenDocument,
  gongwenSection,
  gongwenTable,
  headingParagraph,
  mmToPt,
  rightParagraph,
  run,
  titleParagraph,
  type CellSpec,
} from './gongwen-docx.js';

/** PNG bytes of each chart, keyed by its SVG (rasterised by the service before the template runs). */
export type ChartImages = ReadonlyMap<string, Uint8Array>;

/** An issued letter's verification block: its mark, the QR code as PNG, and whether the seal image is printed. */
export interface DocxVerification {
  mark: VerificationMark;
  qrPng: Uint8Array;
  sealUsed: boolean;
}

const lines = (n: number): number => n * LINE_PITCH_TWIP;
const eighthsOfPt = (mm: number): number => Math.max(2, Math.round(mmToPt(mm) * 8));

// ── 版头 ─────────────────────────────────────────────────────────────────────────────────────

/** Standard format: 发文机关标志 35 mm below the text block's top, 发文字号 two lines below, the red rule 4 mm under it. */
function standardHead(doc: GongwenDoc): Paragraph[] {
  const L = GBT9704_LETTERS.standard;
  const markLine = ptToTwip(L.bodyMarkSizePt * 1.2);
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: mmToTwip(L.bodyMarkBelowTextTopMm), after: 0, line: markLine, lineRule: LineRuleType.EXACT },
      children: [run(doc.head.bodyMark, { role: 'title', sizePt: L.bodyMarkSizePt, color: GONGWEN_RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { ...bodySpacing, before: lines(L.documentNumberGapLines) },
      border: {
        bottom: {
          style: BorderStyle.SINGLE,
          size: Math.round(L.redRuleWidthPt * 8),
          color: GONGWEN_RED,
          space: Math.round(mmToPt(L.redRuleBelowNumberMm)),
        },
      },
      children: [run(doc.head.documentNumber ?? '')],
    }),
  ];
}

/**
 * 信函格式 (GB/T 9704 §10.1), page 1 only, in frames anchored to the page (body text keeps clear of
 * them; a frame in a header is not placed by every word processor): the body's name with its top 30 mm from the top edge, a red double
 * rule (thick over thin) 4 mm below it, and a red double rule (thin over thick) 20 mm above the
 * bottom edge; both rules 170 mm long and centred.
 */
const LETTER = GBT9704_LETTERS.letter;
/** One line exactly as tall as the name's characters, so the rule's distance is measured from their foot. */
const NAME_LINE_TWIP = ptToTwip(LETTER.bodyNameSizePt);
/**
 * Measured corrections (LibreOffice 7.4, Chinese faces; the integration test measures the printed
 * page): in a line one em tall the characters stand about 0.15 em above the line's top, and the
 * space below them before a paragraph border comes out about 0.2 em larger than the border's
 * distance says. Both are taken out so the name's top is 30 mm from the edge and the rule 4 mm under it.
 */
const NAME_GLYPH_RISE_TWIP = ptToTwip(LETTER.bodyNameSizePt * 0.15);
const NAME_RULE_GAP_EXTRA_PT = LETTER.bodyNameSizePt * 0.18;
const DOUBLE_RULE_EIGHTHS = 18;

function letterhead(doc: GongwenDoc): Paragraph[] {
  const ruleX = mmToTwip((GBT9704.page.widthMm - LETTER.doubleRuleLengthMm) / 2);
  const ruleWidth = mmToTwip(LETTER.doubleRuleLengthMm);
  // The name keeps the body below it; the foot rule lies in the bottom margin and must not push text.
  const pageFrame = (yTwip: number, wrap: (typeof FrameWrap)[keyof typeof FrameWrap]) => ({
    type: 'absolute' as const,
    position: { x: ruleX, y: yTwip },
    anchor: { horizontal: FrameAnchorType.PAGE, vertical: FrameAnchorType.PAGE },
    width: ruleWidth,
    wrap,
  });
  const tiny = 40;
  return [
    new Paragraph({
      frame: pageFrame(mmToTwip(LETTER.bodyNameTopMm) + NAME_GLYPH_RISE_TWIP, FrameWrap.NOT_BESIDE),
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 0, line: NAME_LINE_TWIP, lineRule: LineRuleType.EXACT },
      border: {
        bottom: {
          style: BorderStyle.THICK_THIN_SMALL_GAP,
          size: DOUBLE_RULE_EIGHTHS,
          color: GONGWEN_RED,
          space: Math.max(0, Math.round(mmToPt(LETTER.doubleRuleBelowNameMm) - NAME_RULE_GAP_EXTRA_PT)),
        },
      },
      children: [run(doc.head.bodyMark, { role: 'title', sizePt: LETTER.bodyNameSizePt, color: GONGWEN_RED })],
    }),
    new Paragraph({
      frame: pageFrame(
        mmToTwip(GBT9704.page.heightMm - LETTER.footRuleAboveBottomMm) - tiny - ptToTwip(DOUBLE_RULE_EIGHTHS / 8),
        FrameWrap.THROUGH,
      ),
      spacing: { before: 0, after: 0, line: tiny, lineRule: LineRuleType.EXACT },
      border: { bottom: { style: BorderStyle.THIN_THICK_SMALL_GAP, size: DOUBLE_RULE_EIGHTHS, color: GONGWEN_RED, space: 0 } },
      children: [run('', { sizePt: 2 })],
    }),
  ];
}

/**
 * 信函格式 page 1 starts below the first double rule: the 发文字号 flush right, its characters 7/8 of
 * a 3号 character below the rule (or, without a 文号, an empty line there).
 */
function letterNumber(doc: GongwenDoc): Paragraph[] {
  // The frame above keeps the body text below it, so the first line already starts under the rule.
  const em = ptToTwip(GBT9704.bodySizePt);
  const lineTopToGlyphTop = Math.round((LINE_PITCH_TWIP - em) / 2);
  const before = Math.max(0, Math.round(em * LETTER.numberBelowRuleEm) - lineTopToGlyphTop);
  return [
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { ...bodySpacing, before }, children: [run(doc.head.documentNumber ?? '')] }),
  ];
}

// ── body ─────────────────────────────────────────────────────────────────────────────────────

function chartParagraph(chart: Extract<GongwenBlock, { type: 'chart' }>['chart'], images: ChartImages): Paragraph {
  const png = images.get(chart.svg);
  if (!png) throw new Error(`chart "${chart.title}" was not rasterised`);
  const widthPx = Math.round((chart.widthMm / 25.4) * 96);
  const heightPx = Math.round((widthPx * chart.heightPx) / chart.widthPx);
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 120, line: 240, lineRule: LineRuleType.AUTO },
    keepLines: true,
    children: [
      new ImageRun({
        type: 'svg',
        data: new TextEncoder().encode(chart.svg),
        fallback: { type: 'png', data: png },
        transformation: { width: widthPx, height: heightPx },
        altText: { name: chart.title, title: chart.title, description: chart.alt },
      }),
    ],
  });
}

function tableOf(block: Extract<GongwenBlock, { type: 'table' }>): Table {
  const header: CellSpec[] = block.columns.map((c) => ({ text: c.title, bold: true, align: 'center', shade: true }));
  const rows: CellSpec[][] = block.rows.map((r) => r.map((text, i) => ({ text, align: block.columns[i]?.align ?? 'left' })));
  return gongwenTable(
    block.columns.map((c) => c.width),
    [header, ...rows],
    1,
  );
}

function blockElements(block: GongwenBlock, images: ChartImages, keep: Partial<IParagraphOptions> = {}): Array<Paragraph | Table> {
  switch (block.type) {
    case 'p':
      return [bodyParagraph(block.text, keep)];
    case 'h1':
      return [headingParagraph(1, block.text, '', keep)];
    case 'h2':
      return [headingParagraph(2, block.text, block.rest, keep)];
    case 'h3':
      return [headingParagraph(3, block.text, block.rest, keep)];
    case 'h4':
      return [headingParagraph(4, block.text, block.rest, keep)];
    case 'table':
      return [
        ...(block.caption
          ? [new Paragraph({ alignment: AlignmentType.CENTER, spacing: bodySpacing, children: [run(block.caption, { role: 'heading1' })] })]
          : []),
        tableOf(block),
        new Paragraph({ spacing: { before: 0, after: 0, line: LINE_PITCH_TWIP / 2, lineRule: LineRuleType.EXACT }, children: [] }),
      ];
    case 'chart':
      return [chartParagraph(block.chart, images)];
  }
}

/**
 * GB/T 9704 §7.3.5: the 署名 and 成文日期 never stand alone on a page — the remedy is the layout
 * (the standard no longer allows "此页无正文"). The body's last lines (at least two) are kept with
 * the 附件说明 and signature: the trailing text paragraphs go with what follows; the first of them, if
 * it breaks, leaves at least two of its lines to go along (widow control on that paragraph alone).
 */
function trailingKeeps(blocks: GongwenBlock[]): Map<number, Partial<IParagraphOptions>> {
  const keeps = new Map<number, Partial<IParagraphOptions>>();
  let lines = 0;
  for (let i = blocks.length - 1; i >= 0 && lines < 2; i--) {
    const b = blocks[i]!;
    if (b.type === 'table' || b.type === 'chart') break;
    const text = b.type === 'p' || b.type === 'h1' ? b.text : b.text + (b.rest ?? '');
    const own = Math.max(1, Math.ceil((textWidthChars(text) + GBT9704.firstLineIndentChars) / GBT9704.charsPerLine));
    lines += own;
    keeps.set(i, lines >= 2 && own >= 2 ? { keepNext: true, widowControl: true } : { keepNext: true, keepLines: true });
  }
  return keeps;
}

/** 附件说明: "附件：1. ……", further names aligned with the first. */
function attachmentNote(names: string[]): Paragraph[] {
  if (!names.length) return [];
  const numbered = names.length > 1;
  const lead = charTwip(GBT9704.firstLineIndentChars + 3);
  return [
    blankLine({ keepNext: true }),
    ...names.map(
      (name, i) =>
        new Paragraph({
          spacing: bodySpacing,
          keepNext: true,
          indent: { left: lead, hanging: i === 0 ? charTwip(3) : 0 },
          children: [run(`${i === 0 ? '附件：' : ''}${numbered ? `${i + 1}. ` : ''}${name}`)],
        }),
    ),
  ];
}

/** 署名 and 成文日期: blank lines of room for the seal, 署名 centred over the date, date 4 characters from the right. */
function signatureBlock(doc: GongwenDoc, keepWithVerification = false): Paragraph[] {
  const { signerRightChars, dateRightChars } = signatureIndents(doc.signature.signer, doc.signature.dateText);
  return [
    ...Array.from({ length: GBT9704_LETTERS.sealBlankLines }, () => blankLine({ keepNext: true })),
    rightParagraph(doc.signature.signer, signerRightChars, { keepNext: true }),
    rightParagraph(doc.signature.dateText, dateRightChars, doc.note || keepWithVerification ? { keepNext: true } : {}),
    ...(doc.note
      ? [bodyParagraph(`（${doc.note}）`, { alignment: AlignmentType.LEFT, ...(keepWithVerification ? { keepNext: true } : {}) })]
      : []),
  ];
}

/**
 * The verification block under 署名 and date, as in the PDF rendition: QR code left, the code and two
 * notes right, in a borderless table that stays on one page with the signature.
 */
function verificationBlock(v: DocxVerification): Array<Paragraph | Table> {
  const qrTwip = mmToTwip(VERIFICATION_QR_MM);
  const qrPx = Math.round((VERIFICATION_QR_MM / 25.4) * 96);
  const gapTwip = mmToTwip(4);
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } as const;
  const dotted = { style: BorderStyle.DOTTED, size: 4, color: '595959', space: 4 } as const;
  const [code, ...notes] = verificationLines(v.mark, v.sealUsed);
  const tight = { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO } as const;
  const cellBorders = { top: dotted, bottom: none, left: none, right: none };
  return [
    new Table({
      layout: TableLayoutType.FIXED,
      width: { size: TEXT_WIDTH_TWIP, type: WidthType.DXA },
      columnWidths: [qrTwip + gapTwip, TEXT_WIDTH_TWIP - qrTwip - gapTwip],
      borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
      rows: [
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({
              width: { size: qrTwip + gapTwip, type: WidthType.DXA },
              borders: cellBorders,
              margins: { top: 120, bottom: 0, left: 0, right: gapTwip },
              children: [
                new Paragraph({
                  spacing: tight,
                  children: [
                    new ImageRun({
                      type: 'png',
                      data: v.qrPng,
                      transformation: { width: qrPx, height: qrPx },
                      altText: { name: '核验二维码', title: '核验二维码', description: code! },
                    }),
                  ],
                }),
              ],
            }),
            new TableCell({
              width: { size: TEXT_WIDTH_TWIP - qrTwip - gapTwip, type: WidthType.DXA },
              borders: cellBorders,
              verticalAlign: VerticalAlign.TOP,
              margins: { top: 120, bottom: 0, left: 0, right: 0 },
              children: [
                new Paragraph({ spacing: { ...tight, after: 60 }, children: [run(code!, { sizePt: FONT_SIZE_PT.xiaosi })] }),
                ...notes.map(
                  (t) =>
                    new Paragraph({ spacing: { ...tight, line: 288 }, children: [run(t, { sizePt: FONT_SIZE_PT.wu, color: '595959' })] }),
                ),
              ],
            }),
          ],
        }),
      ],
    }),
  ];
}

function appendixElements(a: Appendix, images: ChartImages): Array<Paragraph | Table> {
  return [
    new Paragraph({ pageBreakBefore: true, spacing: bodySpacing, children: [run(a.label, { role: 'heading1' })] }),
    blankLine(),
    titleParagraph(a.title),
    ...a.blocks.flatMap((b) => blockElements(b, images)),
  ];
}

/**
 * 版记 at the foot of the last page: 抄送 and 印发机关/印发日期 in 4号仿宋 one character in from each
 * side, between a thick first rule and a thick last rule (thin rules in between), set in a frame
 * anchored to the bottom of the text block.
 */
function imprint(doc: GongwenDoc): Paragraph[] {
  const im = doc.imprint;
  if (!im || (!im.cc.length && !im.printer)) return [];
  const I = GBT9704_LETTERS.imprint;
  const size = GBT9704.imprintSizePt;
  const side = ptToTwip(size * I.sideIndentChars);
  const thick = { style: BorderStyle.SINGLE, size: eighthsOfPt(I.thickRuleMm), color: '000000', space: 4 } as const;
  const thin = { style: BorderStyle.SINGLE, size: eighthsOfPt(I.thinRuleMm), color: '000000', space: 4 } as const;
  const frame = {
    type: 'alignment' as const,
    alignment: { x: HorizontalPositionAlign.CENTER, y: VerticalPositionAlign.BOTTOM },
    anchor: { horizontal: FrameAnchorType.MARGIN, vertical: FrameAnchorType.MARGIN },
    width: TEXT_WIDTH_TWIP,
  };
  const rows: Array<{ children: ReturnType<typeof run>[]; tab?: boolean }> = [];
  if (im.cc.length) rows.push({ children: [run(`抄送：${im.cc.join('，')}。`, { sizePt: size })] });
  if (im.printer)
    rows.push({ children: [run(im.printer, { sizePt: size }), run(`\t${im.printDateText ?? ''}印发`, { sizePt: size })], tab: true });
  return rows.map(
    (r, i) =>
      new Paragraph({
        frame,
        spacing: { before: 0, after: 0, line: Math.round(ptToTwip(size) * 1.75), lineRule: LineRuleType.EXACT },
        indent: { left: side, right: side },
        ...(r.tab ? { tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH_TWIP - 2 * side }] } : {}),
        border: { ...(i === 0 ? { top: thick } : { top: thin }), ...(i === rows.length - 1 ? { bottom: thick } : {}) },
        children: r.children,
      }),
  );
}

export function gongwenLetterDocument(doc: GongwenDoc, images: ChartImages, verification: DocxVerification | null = null): Document {
  const isLetter = doc.format === 'letter';
  const titleGap = isLetter ? LETTER.titleGapLines : GBT9704_LETTERS.standard.titleGapLines;
  const title = titleParagraph(doc.title);
  const keeps = trailingKeeps(doc.blocks);
  const children: Array<Paragraph | Table> = [
    ...(isLetter ? [...letterhead(doc), ...letterNumber(doc)] : standardHead(doc)),
    ...Array.from({ length: titleGap }, () => blankLine()),
    title,
    ...(doc.addressee ? [new Paragraph({ spacing: bodySpacing, children: [run(`${doc.addressee}：`)] })] : []),
    ...doc.blocks.flatMap((b, i) => blockElements(b, images, keeps.get(i))),
    ...attachmentNote(doc.attachments),
    ...signatureBlock(doc, verification !== null),
    ...(verification ? verificationBlock(verification) : []),
    ...doc.appendices.flatMap((a) => appendixElements(a, images)),
    ...imprint(doc),
  ];
  return gongwenDocument([gongwenSection(children, isLetter ? { firstPageNumber: false } : {})], {
    title: doc.title,
    creator: doc.signature.signer,
  });
}
