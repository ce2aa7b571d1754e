/** A reviewer's score sheet as the case screen reads it. */
import { z } from 'zod';
import { StandardDefinitionSchema } from '../standards/model.js';
import { StandardSummarySchema } from '../standards/schemas.js';
import { AnswerSchema } from './answer.js';
import { ScoreSummarySchema, SheetSchema } from './sheet.js';
import type { Problem } from './scoring.js';

export const SheetViewSchema = z.object({
  /** Null until the caller starts scoring this file (an assigned reviewer's first answer). */
  sheet: SheetSchema.nullable(),
  caseId: z.string(),
  standard: StandardSummarySchema,
  definition: StandardDefinitionSchema,
  answers: z.record(z.string(), AnswerSchema),
  summary: ScoreSummarySchema,
  /** Whether the caller may change answers now (without a sheet: whether a first answer starts one). */
  editable: z.boolean(),
  /** Without a sheet: why the caller only reads this file, or how scoring starts. */
  notice: z.string().nullable(),
});

/** The caller's own sheet once it exists (after `sheet:start`). */
export const StartedSheetViewSchema = SheetViewSchema.extend({ sheet: SheetSchema });
export type StartedSheetView = z.infer<typeof StartedSheetViewSchema>;

/** A problem (deducted or vetoed item) as a file's stored result keeps it (scoring.ts `Problem`). */
export const ProblemSchema = z.object({
  itemId: z.string(),
  code: z.string(),
  text: z.string(),
  blockTitles: z.array(z.string()),
  category: z.string().optional(),
  deduction: z.number(),
  veto: z.boolean(),
  occurrences: z.number().optional(),
  ruleLabel: z.string(),
  comment: z.string(),
  location: z.string(),
  evidence: z.array(z.string()),
}) satisfies z.ZodType<Problem>;

/** The reason a letter quotes for each problem of a settled file (item id → reason). */
export const SettledReasonsSchema = z.record(z.string(), z.string());
