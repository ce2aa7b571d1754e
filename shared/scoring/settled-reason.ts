/**
 * The reason a letter, the 通报 and the 整改台账 quote for one problem of a settled file. The 评查表
 * keeps every reviewer's reasons; a letter states one problem in one sentence:
 * - the panel decided the item (合议): its reason, as the panel wrote it;
 * - the reviewers agreed on the deduction and wrote the same words: those words;
 * - they agreed on the deduction in different words (the agreed answer then holds all of them): each
 *   distinct fact once, in the order the sheets were delivered, joined by "；" — a reviewer's words that
 *   another's contain say nothing new and are left out; nothing a reviewer found is lost, and two texts
 *   are never run together ("未告知听证权利送达回证无签名").
 */

const norm = (s: string): string => s.replace(/\s+/g, '').replace(/[。；;，,.]+$/u, '');

/**
 * `settled` is the final answer's reason; `bySheet` each delivered sheet's reason for the item, in the
 * order the sheets were delivered ('' where a sheet gave none).
 */
export function settledReason(settled: string, bySheet: readonly string[]): string {
  const raw = [...new Set(bySheet.map((r) => r.trim()).filter(Boolean))];
  if (raw.length < 2) return settled;
  // The agreed answer lists every reviewer's words (shared/panel/divergence.ts agreedAnswer); anything
  // else is the panel's own reason.
  const joined = settled.trim();
  const isCombination = raw.every((r) => joined.includes(r)) && joined.length <= raw.reduce((n, r) => n + r.length + 1, 0);
  if (!isCombination) return settled;
  // The same words but for a full stop are one reason.
  const distinct = raw.filter((r, i) => raw.findIndex((o) => norm(o) === norm(r)) === i);
  const kept = distinct.filter((d, i) => distinct.every((o, j) => j === i || !norm(o).includes(norm(d)) || (norm(o) === norm(d) && j > i)));
  return kept.map((d) => d.replace(/[。；;，,.、\s]+$/u, '')).join('；');
}

/** A sentence ends once: "…签名。" not "…签名。。" or "…签名；。". */
export function asSentence(text: string): string {
  const body = text.trim().replace(/[。；;，,.、\s]+$/u, '');
  return body ? `${body}。` : '';
}
