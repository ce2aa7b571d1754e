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
import { FONT_SIZE_PT, GBT9704, GONGWEN_FONTS, mmToPt, mmToTwip, ptToTwip, type GongwenFontRole } from '../../../shared/gbt9704.js';

/** A4 in Word's units; convertMillimetersToTwip floors to 11905 × 16837, which Word reads as "custom". */
export const A4_TWIP = { width: 11906, height: 16838 } as const;
export const TEXT_WIDTH_TWIP = mmToTwip(GBT9704.textBlock.widthMm);
export const LINE_PITCH_TWIP = ptToTwip(GBT9704.linePitchPt);
/** docx sizes are half-points. */
export const halfPt = (pt: number): number => Math.round(pt * 2);

export function font(role: GongwenFontRole) {
  return { ascii: GONGWEN_FONTS.latin, hAnsi: GONGWEN_FONTS.latin, eastAsia: GONGWEN_FONTS[role], cs: GONGWEN_FONTS.latin, hint: 'eastAsia' as const };
}

export interface RunStyle {
  role?: GongwenFontRole;
  sizePt?: number;
  bold?: boolean;
  color?: string;
}

export function run(text: string, style: RunStyle = {}): TextRun {
  return new TextRun({
    text,
    font: font(style.role ?? 'body'),
    size: halfPt(style.sizePt ?? GBT9704.bodySizePt),
    ...(style.bold ? { bold: true } : {}),
    ...(style.color ? { color: style.color } : {}),
  });
}

/** Exact line pitch so 22 lines fill the 225 mm text block. */
const bodySpacing = { line: LINE_PITCH_TWIP, lineRule: LineRuleType.EXACT, before: 0, after: 0 } as const;
const charTwip = (chars: number, sizePt: number = GBT9704.bodySizePt): number => ptToTwip(sizePt * chars);

/** Body paragraph: 3号仿宋, first line indented two characters. */
export function bodyParagraph(text: string | TextRun[], options: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({
    children: typeof text === 'string' ? [run(text)] : text,
    spacing: bodySpacing,
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

/** Heading levels: 一、(黑体) → （一）(楷体) → 1. / （1）(仿宋). */
export function headingParagraph(level: 1 | 2 | 3, text: string): Paragraph {
  const role: GongwenFontRole = level === 1 ? 'heading1' : level === 2 ? 'heading2' : 'body';
  return new Paragraph({
    children: [run(text, { role })],
    spacing: bodySpacing,
    indent: { firstLine: charTwip(GBT9704.firstLineIndentChars) },
  });
}

/** Right-aligned line (署名, 成文日期) indented `rightChars` characters from the right edge. */
export function rightParagraph(text: string, rightChars: number = GBT9704.dateRightIndentChars): Paragraph {
  return new Paragraph({ children: [run(text)], alignment: AlignmentType.RIGHT, spacing: bodySpacing, indent: { right: charTwip(rightChars) } });
}

export function blankLine(): Paragraph {
  return new Paragraph({ children: [run('')], spacing: bodySpacing });
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

export function gongwenSection(children: ISectionOptions['children'], options: { pageNumbers?: boolean; firstPageNumber?: boolean } = {}): ISectionOptions {
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
          header: mmToTwip(15),
          footer: FOOTER_DISTANCE_TWIP,
        },
      },
      ...(withNumbers && options.firstPageNumber === false ? { titlePage: true } : {}),
    },
    ...(withNumbers ? { footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even'), ...(options.firstPageNumber === false ? { first: new Footer({ children: [] }) } : {}) } } : {}),
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
  text: string;
  bold?: boolean;
  align?: 'left' | 'center' | 'right';
  span?: number;
  shade?: boolean;
  role?: GongwenFontRole;
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
          spacing: { line: ptToTwip(TABLE_TEXT_PT * 1.45), lineRule: LineRuleType.AT_LEAST, before: 0, after: 0 },
          children: [run(line, { role: spec.role ?? (spec.bold ? 'heading1' : 'body'), sizePt: TABLE_TEXT_PT })],
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
