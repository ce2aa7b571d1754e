/** What the standards screens and channels show of a stored standard version. */
import { z } from 'zod';
import { CASE_TYPES } from '../campaigns/case-types.js';
import { SCORING_MODES } from './model.js';

export const StandardSummarySchema = z.object({
  versionId: z.string(),
  standardId: z.string(),
  name: z.string(),
  version: z.string(),
  caseTypes: z.array(z.enum(CASE_TYPES)),
  total: z.number(),
  mode: z.enum(SCORING_MODES),
  builtin: z.boolean(),
  frozen: z.boolean(),
  itemCount: z.number().int(),
  completeness: z.string(),
  /** Whoever saves an edit names the content they edited, so two editors cannot overwrite each other. */
  contentSha256: z.string(),
  retired: z.boolean(),
  createdAt: z.string(),
  basedOnVersionId: z.string().nullable(),
  changeNote: z.string(),
  /** The validator's findings (warnings are normal for partial sources). */
  errorCount: z.number().int(),
  warningCount: z.number().int(),
});

/** After a save, clone or import: the version that now holds the content. */
export const StandardSavedSchema = z.object({
  summary: StandardSummarySchema,
  /** A new version was made (the edited one is frozen or built in, or a clone/import). */
  created: z.boolean(),
  /** Nothing differed from the stored content; nothing was written. */
  unchanged: z.boolean(),
  warnings: z.array(z.string()),
});
