/**
 * Building blocks for GB/T 9704 documents with `docx`: the page, the fonts, the title, body and
 * heading paragraphs, tables and the "— 1 —" page numbers (odd pages right, even pages left).
 * All numbers come from shared/gbt9704.ts.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  LineRuleType,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type IParagraphOptions,
  type ISectionOptions,
} from 'docx';
import { FONT_SIZE_PT, GBT9704, GONGWEN_FONTS, mmToPt, mmToTwip, ptToTwip, type GongwenFontRole } from '../../../shared/core/gbt9704.js';

/** A4 in Word's units; convertMillimetersToTwip floors to 11905 × 16837, which Word reads as "custom". */
export const A4_TWIP = { width: 11906, height: 16838 } as const;
export const TEXT_WIDTH_TWIP = mmToTwip(GBT9704.textBlock.widthMm);
/** The text block's height as Word computes it from the page and the rounded margins. */
export const TEXT_HEIGHT_TWIP = A4_TWIP.height - mmToTwip(GBT9704.margin.topMm) - mmToTwip(GBT9704.margin.bottomMm);
/**
 * Exact line pitch so 22 lines fill the text block. Rounded DOWN: 225 mm / 22 is 579.8 twips, and
 * 22 × 580 overshoots the block by 4 twips, which makes Word and LibreOffice set only 21 lines.
 */
export const LINE_PITCH_TWIP = Math.floor(TEXT_HEIGHT_TWIP / GBT9704.linesPerPage);
/**
 * 28 characters of 3号 (16 pt) are 158 mm, wider than the 156 mm text block: like the 公文 grid of a
 * word processor, the body tightens each character by a few twips so exactly 28 fit on a line.
 */
export const BODY_CHAR_SPACING_TWIP = Math.floor(TEXT_WIDTH_TWIP / GBT9704.charsPerLine - ptToTwip(GBT9704.bodySizePt));
/** docx sizes are half-points. */
export const halfPt = (pt: number): number => Math.round(pt * 2);

export function font(role: GongwenFontRole) {
  return {
    ascii: GONGWEN_FONTS.latin,
    hAnsi: GONGWEN_FONTS.latin,
    eastAsia: GONGWEN_FONTS[role],
    cs: GONGWEN_FONTS.latin,
    hint: 'eastAsia' as const,
  };
}

export interface RunStyle {
  role?: GongwenFontRole;
  sizePt?: number;
  bold?: boolean;
  color?: string;
}

export function run(text: string, style: RunStyle = {}): TextRun {
  const sizePt = style.sizePt ?? GBT9704.bodySizePt;
  return new TextRun({
    text,
    font: font(style.role ?? 'body'),
    size: halfPt(sizePt),
    ...(sizePt === GBT9704.bodySizePt ? { characterSpacing: BODY_CHAR_SPACING_TWIP } : {}),
    ...(style.bold ? { bold: true } : {}),
    ...(style.color ? { color: style.color } : {}),
  });
}

/** Exact line pitch so 22 lines fill the 225 mm text block. */
export const bodySpacing = { line: LINE_PITCH_TWIP, lineRule: LineRuleType.EXACT, before: 0, after: 0 } as const;
/** Width of `chars` characters: 3号 characters advance by their size plus the grid's spacing. */
export const charTwip = (chars: number, sizePt: number = GBT9704.bodySizePt): number =>
  Math.round(chars * (ptToTwip(sizePt) + (sizePt === GBT9704.bodySizePt ? BODY_CHAR_SPACING_TWIP : 0)));

/**
 * Widow/orphan control off, as in 公文 templates: every full page carries its 22 lines, a paragraph
 * may leave a single line at the foot or head of a page.
 */
const onTheGrid = { widowControl: false } as const;

/** Body paragraph: 3号仿宋, first line indented two characters. */
export function bodyParagraph(text: string | TextRun[], options: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({
    children: typeof text === 'string' ? [run(text)] : text,
    spacing: bodySpacing,
    ...onTheGrid,
    indent: { firstLine: charTwip(GBT9704.firstLineIndentChars) },
    alignment: AlignmentType.JUSTIFIED,
    ...options,
  });
}

/** 2号方正小标宋简体, centred; long titles wrap on their own. */
export function titleParagraph(text: string): Paragraph {
  return new Paragraph({
    children: [run(text, { role: 'title', sizePt: GBT9704.titleSizePt })],
    alignment: AlignmentType.CENTER,
    spacing: { line: ptToTwip(GBT9704.titleSizePt * 1.5), lineRule: LineRuleType.EXACT, before: 0, after: LINE_PITCH_TWIP },
  });
}

/**
 * Heading levels: 一、(黑体) → （一）(楷体) → 1. / （1）(仿宋). `rest` is body text run in after the
 * heading in the same paragraph ("（一）某某方面。共发现……").
 */
export function headingParagraph(level: 1 | 2 | 3 | 4, text: string, rest = '', options: Partial<IParagraphOptions> = {}): Paragraph {
  const role: GongwenFontRole = level === 1 ? 'heading1' : level === 2 ? 'heading2' : 'body';
  return new Paragraph({
    children: [run(text, { role }), ...(rest ? [run(rest)] : [])],
    spacing: bodySpacing,
    ...onTheGrid,
    indent: { firstLine: charTwip(GBT9704.firstLineIndentChars) },
    alignment: AlignmentType.JUSTIFIED,
    ...(level === 1 ? { keepNext: true } : {}),
    ...options,
  });
}

/** Right-aligned line (署名, 成文日期) indented `rightChars` characters from the right edge. */
export function rightParagraph(
  text: string,
  rightChars: number = GBT9704.dateRightIndentChars,
  options: Partial<IParagraphOptions> = {},
): Paragraph {
  return new Paragraph({
    children: [run(text)],
    alignment: AlignmentType.RIGHT,
    spacing: bodySpacing,
    indent: { right: charTwip(rightChars) },
    ...options,
  });
}

export function blankLine(options: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({ children: [run('')], spacing: bodySpacing, ...options });
}

function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const indent = charTwip(1, GBT9704.pageNumberSizePt);
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: indent } : { left: indent },
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: font('pageNumber'),
            size: halfPt(GBT9704.pageNumberSizePt),
          }),
        ],
      }),
    ],
  });
}

/**
 * Footer distance from the page's bottom edge so the number's line sits 7 mm below the text block:
 * bottom margin − 7 mm − the height of one 4号 line.
 */
export const FOOTER_DISTANCE_TWIP = mmToTwip(GBT9704.margin.bottomMm - GBT9704.pageNumberBelowTextMm) - ptToTwip(GBT9704.pageNumberSizePt);

export function gongwenSection(
  children: ISectionOptions['children'],
  options: { pageNumbers?: boolean; firstPageNumber?: boolean; firstHeader?: Header; firstFooter?: Footer; headerMm?: number } = {},
): ISectionOptions {
  const withNumbers = options.pageNumbers ?? true;
  return {
    properties: {
      page: {
        size: { width: A4_TWIP.width, height: A4_TWIP.height },
        margin: {
          top: mmToTwip(GBT9704.margin.topMm),
          bottom: mmToTwip(GBT9704.margin.bottomMm),
          left: mmToTwip(GBT9704.margin.leftMm),
          right: mmToTwip(GBT9704.margin.rightMm),
          header: mmToTwip(options.headerMm ?? 15),
          footer: FOOTER_DISTANCE_TWIP,
        },
      },
      ...((withNumbers && options.firstPageNumber === false) || options.firstHeader ? { titlePage: true } : {}),
    },
    ...(options.firstHeader
      ? { headers: { first: options.firstHeader, default: new Header({ children: [] }), even: new Header({ children: [] }) } }
      : {}),
    ...(withNumbers
      ? {
          footers: {
            default: pageNumberFooter('odd'),
            even: pageNumberFooter('even'),
            ...(options.firstPageNumber === false || options.firstFooter
              ? { first: options.firstFooter ?? new Footer({ children: [] }) }
              : {}),
          },
        }
      : {}),
    children,
  };
}

export function gongwenDocument(sections: ISectionOptions[], meta: { title: string; creator: string }): Document {
  return new Document({
    title: meta.title,
    creator: meta.creator,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: { run: { font: font('body'), size: halfPt(GBT9704.bodySizePt) } },
      },
    },
    sections,
  });
}

// ── tables ──────────────────────────────────────────────────────────────────────────────────

export const TABLE_TEXT_PT = FONT_SIZE_PT.xiaosi;
const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
const cellBorders = { top: thin, bottom: thin, left: thin, right: thin } as const;

export interface CellSpec {
  /** Kept on the page of the row after it (a form's closing rows and its signature box travel together). */
  keepNext?: boolean;
  text: string;
  bold?: boolean;
  align?: 'left' | 'center' | 'right';
  span?: number;
  shade?: boolean;
  role?: GongwenFontRole;
  /** A form with many rows (the 案卷评查表) sets its table smaller and tighter than a letter's 小四. */
  sizePt?: number;
  lineFactor?: number;
}

export function tableCell(spec: CellSpec, widthTwip: number): TableCell {
  const lines = spec.text.split('\n');
  return new TableCell({
    width: { size: widthTwip, type: WidthType.DXA },
    columnSpan: spec.span ?? 1,
    verticalAlign: VerticalAlign.CENTER,
    borders: cellBorders,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(spec.shade ? { shading: { fill: 'EDEDED' } } : {}),
    children: lines.map(
      (line) =>
        new Paragraph({
          alignment: spec.align === 'center' ? AlignmentType.CENTER : spec.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          ...(spec.keepNext ? { keepNext: true } : {}),
          spacing: {
            line: ptToTwip((spec.sizePt ?? TABLE_TEXT_PT) * (spec.lineFactor ?? 1.45)),
            lineRule: LineRuleType.AT_LEAST,
            before: 0,
            after: 0,
          },
          children: [run(line, { role: spec.role ?? (spec.bold ? 'heading1' : 'body'), sizePt: spec.sizePt ?? TABLE_TEXT_PT })],
        }),
    ),
  });
}

/** A full-width table; `widths` are fractions of the text block that sum to 1. */
export function gongwenTable(widths: number[], rows: CellSpec[][], headerRows = 1): Table {
  const twips = widths.map((w) => Math.round(w * TEXT_WIDTH_TWIP));
  return new Table({
    width: { size: TEXT_WIDTH_TWIP, type: WidthType.DXA },
    columnWidths: twips,
    layout: TableLayoutType.FIXED,
    rows: rows.map((cells, r) => {
      let col = 0;
      return new TableRow({
        tableHeader: r < headerRows,
        cantSplit: true,
        children: cells.map((cell) => {
          const span = cell.span ?? 1;
          const width = twips.slice(col, col + span).reduce((a, b) => a + b, 0);
          col += span;
          return tableCell(cell, width);
        }),
      });
    }),
  });
}

export { mmToPt };
