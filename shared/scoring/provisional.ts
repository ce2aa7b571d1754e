/**
 * A file's provisional result while its reviewers' sheets are delivered but the panel has not settled
 * it. Every reviewer scored independently (背靠背) and all individual scores are kept; until the panel
 * agrees, no single sheet — and never the items everyone happened to agree on alone — speaks for the file.
 *
 * The rule, the one every screen and document quoting a provisional result follows (case list,
 * results board, projector, statistics, letters and the 通报 with 暂定 included):
 * - when the delivered sheets reach the same conclusion — none vetoed and all in the same grade, or
 *   all vetoed — the result is the mean of their totals, graded by the standard's bands (a veto only
 *   when every sheet vetoed), marked 暂定;
 * - when they disagree on a veto or on the grade, there is no provisional score at all: a mean of a
 *   veto (0) and 99.5 would be 49.75 · 不合格, which no reviewer found. The result then states the
 *   disagreement ("两份评查表结论不一：周芳 否决，李明 99.5 分（优秀），待合议"), its grade is
 *   `AWAITING_PANEL_GRADE` and its total counts in no average, until the panel decides (合议).
 * Pure and free of zod, so the reconciliation view, the meeting room and the results agree.
 */
import type { StandardDefinition } from '../standards/model.js';
import { fmt } from '../standards/tree.js';
import { gradeFor } from './scoring.js';

export interface DeliveredScore {
  total: number;
  vetoed: boolean;
  /** Who delivered the sheet: named in the disagreement. */
  reviewerName?: string;
}

export interface ProvisionalResult {
  /** The mean of the delivered sheets; meaningless (and never shown) when `disagreement` is set. */
  total: number;
  grade: string;
  vetoed: boolean;
  /** How many delivered sheets the mean is of. */
  sheets: number;
  /** The sheets' conclusions in words when they differ on a veto or a grade, else null. */
  disagreement: string | null;
}

/** The grade a file has while its delivered sheets disagree: no grade, the panel decides. */
export const AWAITING_PANEL_GRADE = '待合议';

const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;

const COUNT_WORDS = ['', '一', '两', '三', '四', '五', '六', '七', '八', '九'];

/** One sheet's conclusion as the disagreement names it: "周芳 否决" / "李明 99.5 分（优秀）". */
function conclusion(def: Pick<StandardDefinition, 'bands'>, s: DeliveredScore, i: number): string {
  const who = s.reviewerName?.trim() || `第${i + 1}份`;
  return s.vetoed ? `${who} 否决` : `${who} ${fmt(s.total)} 分（${gradeFor(def, s.total)}）`;
}

/** Null when no sheet is delivered: nothing to show yet. */
export function provisionalResult(
  def: Pick<StandardDefinition, 'bands' | 'failGrade'>,
  delivered: DeliveredScore[],
): ProvisionalResult | null {
  if (delivered.length === 0) return null;
  const total = round2(delivered.reduce((sum, s) => sum + s.total, 0) / delivered.length);
  const vetoed = delivered.every((s) => s.vetoed);
  const conclusions = new Set(delivered.map((s) => (s.vetoed ? '\u0000veto' : gradeFor(def, s.total))));
  if (conclusions.size > 1) {
    const n = delivered.length;
    return {
      total,
      grade: AWAITING_PANEL_GRADE,
      vetoed: false,
      sheets: n,
      disagreement: `${COUNT_WORDS[n] ?? String(n)}份评查表结论不一：${delivered.map((s, i) => conclusion(def, s, i)).join('，')}，待合议`,
    };
  }
  return { total, grade: vetoed ? def.failGrade : gradeFor(def, total), vetoed, sheets: delivered.length, disagreement: null };
}
