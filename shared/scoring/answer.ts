/** A reviewer's answer to one checklist item, as the API carries it (scoring.ts scores answers). */
import { z } from 'zod';
import { ANSWER_STATUSES } from './scoring.js';

export const AnswerSchema = z.object({
  status: z.enum(ANSWER_STATUSES),
  /** For `range` items: the chosen deduction. */
  deduction: z.number().nonnegative().optional(),
  /** For `perOccurrence` items: how many places the problem was found. */
  occurrences: z.number().int().positive().optional(),
  comment: z.string().max(4000).optional(),
  /** Where in the dossier, in words (e.g. "询问笔录第3页"), beside the linked annotations. */
  location: z.string().max(500).optional(),
  /** Annotation ids that are the evidence for this answer. */
  evidence: z.array(z.string()).max(200).optional(),
});
export type Answer = z.infer<typeof AnswerSchema>;
