/**
 * The findings of a file whose review is not settled (暂定): only what every delivered sheet found.
 * Reviewers score 背靠背; until the panel decides, one reviewer's deduction or veto that another did not
 * make is a dispute, not a finding — a letter, the statistics and the 整改台账 never state it (the panel
 * may reject it, as it often does). Where every reviewer deducted the same item, the smaller deduction
 * is the part all of them found; a veto stands only where every reviewer vetoed on that item.
 */
import type { Problem } from './scoring.js';
import { settledReason } from './settled-reason.js';

/**
 * `sheets`: each delivered sheet's problems, in the order the sheets were delivered; `leadSheet` the
 * index of the 评查组长's own sheet among them (his wording of a finding is the one quoted).
 */
export function agreedFindings(sheets: ReadonlyArray<readonly Problem[]>, leadSheet: number | null = null): Problem[] {
  const [first, ...others] = sheets;
  if (!first) return [];
  const out: Problem[] = [];
  for (const p of first) {
    const same = others.map((s) => s.find((o) => o.itemId === p.itemId && o.veto === p.veto));
    if (same.some((o) => !o)) continue;
    const all = [p, ...(same as Problem[])];
    const least = all.reduce((a, b) => (b.deduction < a.deduction ? b : a));
    out.push({
      ...p,
      deduction: least.deduction,
      occurrences: least.occurrences,
      comment: settledReason(
        '',
        all.map((o) => o.comment),
        leadSheet,
      ),
      location: all.map((o) => o.location.trim()).find(Boolean) ?? '',
      evidence: [...new Set(all.flatMap((o) => o.evidence))],
    });
  }
  return out;
}
