/**
 * The reason a letter, the 通报 and the 整改台账 quote for one problem of a file. The 评查表 keeps every
 * reviewer's reasons; a letter states one problem in one sentence, and two reviewers who deducted the
 * same item describe one defect of the file ("现场检查笔录仅一名执法人员签名" and "现场检查笔录只有一名
 * 执法人员签字" are the same finding in two wordings). The rule:
 * - the panel decided the item (合议): its reason, as the panel wrote it;
 * - else, where the 评查组长 scored the file too and found it, the 组长's own words: the lead answers for the
 *   settled wording, whoever delivered first;
 * - else the first reviewer's words, in the order the sheets were delivered — unless a later reviewer's
 *   words contain them whole (they say the same and more: "卷内材料未编页号" over "未编页号"), then those.
 * Never two texts joined: a bureau signs one finding per item, and the reviewers' own words stay on the 评查表.
 */

const norm = (s: string): string => s.replace(/\s+/g, '').replace(/[。；;，,.]+$/u, '');

/**
 * `settled` is the final answer's reason; `bySheet` each delivered sheet's reason for the item, in the
 * order the sheets were delivered ('' where a sheet gave none); `leadSheet` the index in `bySheet` of
 * the 评查组长's own sheet, if he scored the file.
 */
export function settledReason(settled: string, bySheet: readonly string[], leadSheet: number | null = null): string {
  const raw = [...new Set(bySheet.map((r) => r.trim()).filter(Boolean))];
  if (raw.length < 2) return settled.trim() ? settled : (raw[0] ?? settled);
  // The agreed answer lists every reviewer's words (shared/panel/divergence.ts agreedAnswer); anything
  // else is the panel's own reason.
  const joined = settled.trim();
  // One reviewer's reason as it stands is the reading the panel adopted (an agreement joins them all).
  if (raw.some((r) => norm(r) === norm(joined))) return settled;
  const isCombination = !joined || (raw.every((r) => joined.includes(r)) && joined.length <= raw.reduce((n, r) => n + r.length + 1, 0));
  if (!isCombination) return settled;
  const lead = leadSheet === null ? '' : (bySheet[leadSheet]?.trim() ?? '');
  if (lead) return lead.replace(/[。；;，,.、\s]+$/u, '');
  const first = raw[0]!;
  const fuller = raw.find((r) => norm(r) !== norm(first) && norm(r).includes(norm(first)));
  return (fuller ?? first).replace(/[。；;，,.、\s]+$/u, '');
}

/** A sentence ends once: "…签名。" not "…签名。。" or "…签名；。". */
export function asSentence(text: string): string {
  const body = text.trim().replace(/[。；;，,.、\s]+$/u, '');
  return body ? `${body}。` : '';
}
