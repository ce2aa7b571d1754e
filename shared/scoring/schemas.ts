/** A reviewer's score sheet as the case screen reads it. */
import { z } from 'zod';
import { StandardDefinitionSchema } from '../standards/model.js';
import { StandardSummarySchema } from '../standards/schemas.js';
import { AnswerSchema } from './answer.js';
import { ScoreSummarySchema, SheetSchema } from './sheet.js';

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
