/**
 * What OCR makes of one page of an image-only PDF: its text lines with boxes in PDF user space (so
 * they sit on the same words as the page's marks, at every zoom and rotation, see shared/geometry.ts)
 * and a status that says plainly when a page is blank or could not be read, rather than guessing.
 *
 * A result is content-addressed: the file's SHA-256 (the blob store's name for it), the page index
 * and the engine that read it. The same file read by the same engine never needs reading again; a
 * new engine version (other models, other pre/post-processing) reads it afresh.
 */
import { z } from 'zod';
import { RectSchema } from '../annotations/annotation.js';

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 摘要格式不正确');

/** Which engine read a page: `id` names the models' family, `version` the exact models and pipeline. */
export const OcrEngineSchema = z.strictObject({
  id: z.string().min(1).max(64),
  version: z.string().min(1).max(64),
});
export type OcrEngine = z.infer<typeof OcrEngineSchema>;

export const OcrLineSchema = z.strictObject({
  /** The line's text as read, whitespace trimmed. */
  text: z.string().min(1).max(2000),
  /** Axis-aligned box around the line in PDF user-space points: [x0, y0, x1, y1] with x0 < x1, y0 < y1. */
  box: RectSchema.refine(([x0, y0, x1, y1]) => x0 <= x1 && y0 <= y1, '文字框坐标顺序不正确'),
  /** The recogniser's mean certainty over the line's characters, 0–1. */
  confidence: z.number().min(0).max(1),
});
export type OcrLine = z.infer<typeof OcrLineSchema>;

/**
 * - `text`: lines were read (there is at least one).
 * - `blank`: nothing printed or written on the page (an empty back side, a separator sheet).
 * - `unreadable`: there are marks on the page but no line could be read with confidence (a photo,
 *   a drawing, handwriting the models cannot read, a page too faint or too damaged).
 */
export const OCR_PAGE_STATUSES = ['text', 'blank', 'unreadable'] as const;
export const OcrPageStatusSchema = z.enum(OCR_PAGE_STATUSES);
export type OcrPageStatus = z.infer<typeof OcrPageStatusSchema>;

export const OCR_PAGE_STATUS_LABELS: Record<OcrPageStatus, string> = {
  text: '已识别',
  blank: '空白页',
  unreadable: '无法识别',
};

export const OcrPageTextSchema = z
  .strictObject({
    sha256: Sha256Hex,
    /** 0-based page index within the file. */
    pageIndex: z.number().int().min(0),
    engine: OcrEngineSchema,
    status: OcrPageStatusSchema,
    /** In reading order: top to bottom, left to right. Empty unless the status is `text`. */
    lines: z.array(OcrLineSchema).max(5000),
    /** Resolution the page was rendered at for reading. */
    dpi: z.number().positive().max(1200),
    /** Time spent reading the page (rendering included), in ms. */
    ms: z.number().int().min(0),
  })
  .refine((p) => (p.status === 'text') === p.lines.length > 0, '识别状态与识别出的文字行不一致');
export type OcrPageText = z.infer<typeof OcrPageTextSchema>;

/** The storage key of a page's result: file, page and engine together. */
export function ocrPageKey(page: Pick<OcrPageText, 'sha256' | 'pageIndex' | 'engine'>): string {
  return `${page.sha256}/${page.pageIndex}/${page.engine.id}@${page.engine.version}`;
}

/** A page's text as one string, lines in reading order separated by newlines (for search and pre-checks). */
export function ocrPlainText(page: Pick<OcrPageText, 'lines'>): string {
  return page.lines.map((l) => l.text).join('\n');
}
