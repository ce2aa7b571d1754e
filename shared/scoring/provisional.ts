/**
 * A file's provisional result while its reviewers' sheets are delivered but the panel has not settled
 * it: the mean of the delivered sheets' totals, graded by the standard's bands. Every reviewer scored
 * independently (背靠背) and all individual scores are kept; until the panel agrees, no single sheet —
 * and never the items everyone happened to agree on alone — speaks for the file. A veto counts only
 * when every delivered sheet vetoed; a veto some reviewers did not see is one of the items in dispute.
 * Pure and free of zod, so the reconciliation view, the meeting room and the results agree.
 */
import type { StandardDefinition } from '../standards/model.js';
import { gradeFor } from './scoring.js';

export interface DeliveredScore {
  total: number;
  vetoed: boolean;
}

export interface ProvisionalResult {
  total: number;
  grade: string;
  vetoed: boolean;
  /** How many delivered sheets the mean is of. */
  sheets: number;
}

const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;

/** Null when no sheet is delivered: nothing to show yet. */
export function provisionalResult(
  def: Pick<StandardDefinition, 'bands' | 'failGrade'>,
  delivered: DeliveredScore[],
): ProvisionalResult | null {
  if (delivered.length === 0) return null;
  const total = round2(delivered.reduce((sum, s) => sum + s.total, 0) / delivered.length);
  const vetoed = delivered.every((s) => s.vetoed);
  return { total, grade: vetoed ? def.failGrade : gradeFor(def, total), vetoed, sheets: delivered.length };
}
