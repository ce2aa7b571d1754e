import { z } from 'zod';
import { AnswerSchema } from './answer.js';
import { SHEET_STATUSES } from './sheet-status.js';

export * from './sheet-status.js';

export const SheetSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  reviewerId: z.string(),
  reviewerName: z.string(),
  standardVersionId: z.string(),
  status: z.enum(SHEET_STATUSES),
  revision: z.number().int(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  /** Set while the sheet is reopened by the lead (and kept afterwards for the record). */
  reopenReason: z.string().nullable(),
  reopenedAt: z.string().nullable(),
  reopenedByName: z.string().nullable(),
});
export type Sheet = z.infer<typeof SheetSchema>;

/** The computed result travels as data the UI only displays; it is recomputed by shared/ on every change. */
export const ScoreSummarySchema = z.object({
  total: z.number(),
  max: z.number(),
  grade: z.string(),
  vetoed: z.boolean(),
  problemCount: z.number().int(),
  unansweredCount: z.number().int(),
});
export type ScoreSummary = z.infer<typeof ScoreSummarySchema>;

export const SheetAnswerInputSchema = z.object({
  sheetId: z.string().min(1),
  itemId: z.string().min(1),
  /** null clears the answer. */
  answer: AnswerSchema.nullable(),
  /** The revision the client last saw; a stale one is refused with `conflict`. */
  revision: z.number().int().nonnegative(),
});
