/**
 * Quota on the top grade (优秀案卷不超过参评案卷的 N%): which files of a campaign keep the top grade
 * when more reached its score line than the quota allows. Pure, so the ranking, the results list and
 * the letters all apply it the same way.
 *
 * Rules: the quota is ⌊share × number of ranked files⌋; files are ranked by total, highest first; a
 * file that loses the top grade gets the next band. Files tied on the total at the cut-off are treated
 * alike: if they do not all fit, none of them keeps the top grade (the quota is never exceeded), and
 * they are reported so the panel can settle the tie by its own rule.
 */
import type { StandardDefinition } from '../standards/model.js';

export interface QuotaCandidate {
  key: string;
  total: number;
  grade: string;
}

export interface QuotaOutcome {
  key: string;
  grade: string;
  originalGrade: string;
  demoted: boolean;
}

export interface QuotaResult {
  outcomes: QuotaOutcome[];
  /** How many files may hold the top grade; null when the standard sets no quota. */
  allowed: number | null;
  /** Files held back only because they tied with others at the cut-off. */
  tiedAtCutoff: string[];
}

const EPS = 1e-9;

export function applyTopGradeQuota(def: Pick<StandardDefinition, 'bands' | 'topGradeQuota'>, files: QuotaCandidate[]): QuotaResult {
  const unchanged = (allowed: number | null): QuotaResult => ({
    outcomes: files.map((f) => ({ key: f.key, grade: f.grade, originalGrade: f.grade, demoted: false })),
    allowed,
    tiedAtCutoff: [],
  });
  const quota = def.topGradeQuota;
  if (!quota) return unchanged(null);
  const bands = [...def.bands].sort((a, b) => b.min - a.min);
  const next = bands[1]?.grade;
  const allowed = Math.floor(quota.maxShare * files.length + EPS);
  const top = files.filter((f) => f.grade === quota.grade).sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  if (top.length <= allowed || next === undefined) return unchanged(allowed);

  const keep = new Set<string>();
  const tied: string[] = [];
  if (allowed > 0) {
    const cutoff = top[allowed - 1]!.total;
    const above = top.filter((f) => f.total > cutoff + EPS);
    const atCutoff = top.filter((f) => Math.abs(f.total - cutoff) <= EPS);
    for (const f of above) keep.add(f.key);
    if (above.length + atCutoff.length <= allowed) for (const f of atCutoff) keep.add(f.key);
    else tied.push(...atCutoff.map((f) => f.key));
  }
  return {
    outcomes: files.map((f) => {
      const demoted = f.grade === quota.grade && !keep.has(f.key);
      return { key: f.key, grade: demoted ? next : f.grade, originalGrade: f.grade, demoted };
    }),
    allowed,
    tiedAtCutoff: tied,
  };
}
