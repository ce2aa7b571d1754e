/**
 * The OCR channels of the API contract (merged in shared/contract/index.ts): the lines read on a
 * scanned page (the reader lays its invisible text layer on them), how far reading has got in a
 * campaign or file, and asking for a file or a whole campaign to be read (the file open in the
 * reader first).
 */
import { z } from 'zod';
import { channel, id } from '../contract/channel.js';
import { OcrEngineSchema, OcrLineSchema, OcrPageStatusSchema } from './page-text.js';

export const OcrPageViewSchema = z.object({
  pageIndex: z.number().int().min(0),
  status: OcrPageStatusSchema,
  engine: OcrEngineSchema,
  lines: z.array(OcrLineSchema),
  /** Mean confidence over the page's lines, null when none was read. */
  meanConfidence: z.number().min(0).max(1).nullable(),
});
export type OcrPageView = z.infer<typeof OcrPageViewSchema>;

export const OcrFileProgressSchema = z.object({
  documentId: z.string(),
  caseId: z.string(),
  /** Pages without a text layer of their own, which OCR has to read. */
  pagesToRead: z.number().int().min(0),
  pagesRead: z.number().int().min(0),
  queued: z.boolean(),
  /** Being read right now. */
  reading: z.boolean(),
  /** Why the last reading of this file failed (Chinese, for the case list), null when it did not. */
  error: z.string().nullable(),
});

export const OcrStatusSchema = z.object({
  campaignId: z.string(),
  pagesToRead: z.number().int().min(0),
  pagesRead: z.number().int().min(0),
  /** Files waiting or being read. */
  filesQueued: z.number().int().min(0),
  running: z.boolean(),
  /** Reading was paused on this workstation (继续 starts it again). */
  paused: z.boolean(),
  /** Reading of this campaign was cancelled (取消); it waits for 开始识别, also after a restart. */
  cancelled: z.boolean(),
  /** Seconds the pages still to read will take at the pace measured on this workstation; null when unknown or not reading. */
  secondsLeft: z.number().min(0).nullable(),
  /** The job following the reading (for job:cancel), while it runs. */
  jobId: z.string().nullable(),
  /** "文字识别 34 / 120 页". */
  message: z.string(),
  files: z.array(OcrFileProgressSchema),
});
export type OcrStatus = z.infer<typeof OcrStatusSchema>;

const PageIndexes = z.array(z.number().int().min(0).max(100_000)).max(5000);

export const ocrChannels = {
  /** The OCR lines of a file's pages (all pages read so far, or the ones asked for). */
  'ocr:pages': channel({
    input: z.strictObject({ documentId: id('文件'), pageIndexes: PageIndexes.optional() }),
    output: z.object({
      documentId: z.string(),
      pages: z.array(OcrPageViewSchema),
      /** Pages without a text layer of their own that OCR has not read yet (0-based): the reader says so on them. */
      unreadPages: z.array(z.number().int().min(0)),
    }),
    access: 'user',
    scope: 'document',
    writes: 'none',
  }),
  /** How far reading has got in a campaign, or in one of its files. */
  'ocr:status': channel({
    input: z.strictObject({ campaignId: id('评查活动'), caseId: z.string().max(100).optional() }),
    output: OcrStatusSchema,
    access: 'user',
    scope: 'campaignOrFile',
    writes: 'none',
  }),
  /**
   * The reader opened a file: read it (from this page on, when given) before anything else. Reading
   * only derives text from the stored bytes, which is why any user may ask, on any copy.
   */
  'ocr:prioritise': channel({
    input: z.strictObject({ documentId: id('文件'), pageIndex: z.number().int().min(0).optional() }),
    output: OcrStatusSchema,
    access: 'user',
    scope: 'document',
    writes: 'none',
  }),
  /** Reads every scanned page of the campaign's files not read yet, in the background (继续 after a pause). */
  'ocr:campaign': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: OcrStatusSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'none',
  }),
  /**
   * Pauses reading on this workstation (one reading thread serves every campaign): the page being read
   * is finished or dropped, the queue is kept, nothing starts again until 继续.
   */
  'ocr:pause': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: OcrStatusSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** Takes the campaign's files off the reading queue; what was read stays. */
  'ocr:cancel': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: OcrStatusSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'none',
  }),
} as const;
