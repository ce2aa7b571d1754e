/**
 * The laid-out content of one 公文 (letter, notice, bulletin) as plain data: what every renderer
 * draws — the DOCX template, the in-app HTML preview and the PDF rendition of issued letters (issue
 * 9). A renderer decides only HOW (fonts, grid, page breaks) from shared/gbt9704.ts, never WHAT.
 */
import { z } from 'zod';

export const LETTER_FORMATS = ['standard', 'letter'] as const;
export type LetterFormat = (typeof LETTER_FORMATS)[number];
export const LETTER_FORMAT_LABELS: Record<LetterFormat, string> = { standard: '文件格式', letter: '信函格式' };

export const TableColumnSchema = z.object({
  title: z.string(),
  /** Share of the text block's width; the columns of a table add up to 1. */
  width: z.number().positive(),
  align: z.enum(['left', 'center', 'right']),
});
export type TableColumn = z.infer<typeof TableColumnSchema>;

export const ChartSchema = z.object({
  title: z.string(),
  /** Self-contained SVG (no scripts, no external references), drawn by shared/charts. */
  svg: z.string(),
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  /** Printed width on the page. */
  widthMm: z.number().positive(),
  /** The same numbers in words, for readers who cannot see the chart. */
  alt: z.string(),
});
export type Chart = z.infer<typeof ChartSchema>;

/**
 * One block of the body. Headings follow GB/T 9704's levels: h1 一、(黑体), h2 （一）(楷体),
 * h3 1. (仿宋), h4 （1）(仿宋). `rest` is body text run in after the heading on the same paragraph.
 */
export const GongwenBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('p'), text: z.string() }),
  z.object({ type: z.literal('h1'), text: z.string() }),
  z.object({ type: z.literal('h2'), text: z.string(), rest: z.string().optional() }),
  z.object({ type: z.literal('h3'), text: z.string(), rest: z.string().optional() }),
  z.object({ type: z.literal('h4'), text: z.string(), rest: z.string().optional() }),
  z.object({
    type: z.literal('table'),
    caption: z.string().optional(),
    columns: z.array(TableColumnSchema).min(1),
    rows: z.array(z.array(z.string())),
  }),
  z.object({ type: z.literal('chart'), chart: ChartSchema }),
]);
export type GongwenBlock = z.infer<typeof GongwenBlockSchema>;

export const AppendixSchema = z.object({
  /** "附件1" — printed top left in 黑体. */
  label: z.string(),
  title: z.string(),
  blocks: z.array(GongwenBlockSchema),
});
export type Appendix = z.infer<typeof AppendixSchema>;

export const LETTER_KINDS = ['opinion', 'notice', 'bulletin'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];
export const LETTER_KIND_LABELS: Record<LetterKind, string> = {
  opinion: '行政执法监督意见书',
  notice: '整改通知书',
  bulletin: '评查结果通报',
};

export const GongwenDocSchema = z.object({
  kind: z.enum(LETTER_KINDS),
  format: z.enum(LETTER_FORMATS),
  /** 版头: the 发文机关标志 (standard: "某某县司法局文件"; 信函格式: the body's name) and the 发文字号. */
  head: z.object({ bodyMark: z.string(), documentNumber: z.string().nullable() }),
  title: z.string(),
  /** 主送机关, printed with a full-width colon. */
  addressee: z.string().nullable(),
  blocks: z.array(GongwenBlockSchema),
  /** 附件说明: names of the attachments, in order. */
  attachments: z.array(z.string()),
  signature: z.object({
    signer: z.string(),
    /** ISO date and the 成文日期 as printed (2025年3月5日). */
    date: z.string(),
    dateText: z.string(),
  }),
  /** 附注 (e.g. the contact person), printed in brackets one line below the date. */
  note: z.string().nullable(),
  /** 附件 pages after the signature page. */
  appendices: z.array(AppendixSchema),
  /** 版记 (抄送, 印发机关 and 印发日期), at the foot of the last page; null: none. */
  imprint: z
    .object({
      cc: z.array(z.string()),
      printer: z.string().nullable(),
      printDateText: z.string().nullable(),
    })
    .nullable(),
  /** Facts about the content a person should know before issuing it. */
  notes: z.object({
    /** Files whose results are provisional (not yet reconciled) but are quoted. */
    provisionalFiles: z.array(z.string()),
    masked: z.boolean(),
  }),
});
export type GongwenDoc = z.infer<typeof GongwenDocSchema>;

/** Every string a reader sees, in reading order (tests compare it with the PDF's text). */
export function docText(doc: GongwenDoc): string[] {
  const blockText = (b: GongwenBlock): string[] => {
    switch (b.type) {
      case 'table':
        return [...(b.caption ? [b.caption] : []), ...b.columns.map((c) => c.title), ...b.rows.flat()];
      case 'chart':
        return [b.chart.title];
      case 'p':
      case 'h1':
        return [b.text];
      default:
        return [b.text + (b.rest ?? '')];
    }
  };
  return [
    doc.head.bodyMark,
    ...(doc.head.documentNumber ? [doc.head.documentNumber] : []),
    doc.title,
    ...(doc.addressee ? [`${doc.addressee}：`] : []),
    ...doc.blocks.flatMap(blockText),
    ...doc.attachments,
    doc.signature.signer,
    doc.signature.dateText,
    ...(doc.note ? [doc.note] : []),
    ...doc.appendices.flatMap((a) => [a.label, a.title, ...a.blocks.flatMap(blockText)]),
  ];
}
