/**
 * Deduction rules as Chinese text and back. The text form is what a bureau writes in the 扣分方式
 * column of its spreadsheet, so parsing accepts the usual ways of writing it; formatting writes the
 * one form that parses back to the same rule.
 */
import type { DeductionRule } from './model.js';

/** Shortest exact decimal: an export must not round 0.25 to 0.3. */
const exact = (n: number): string => String(n);

export function formatRule(rule: DeductionRule, num: (n: number) => string = exact): string {
  switch (rule.kind) {
    case 'full':
      return '扣全分';
    case 'fixed':
      return `扣${num(rule.amount)}分`;
    case 'perOccurrence':
      return rule.cap === undefined ? `每处扣${num(rule.amount)}分，扣完为止` : `每处扣${num(rule.amount)}分，最多扣${num(rule.cap)}分`;
    case 'range':
      return `视情况扣${num(rule.min)}–${num(rule.max)}分（步长${num(rule.step)}）`;
    case 'veto':
      return '否决';
  }
}

export const RULE_TEXT_EXAMPLES = '扣全分；扣2分；每处扣1分，扣完为止；每处扣1分，最多扣5分；视情况扣1–5分（步长0.5）；否决';

/** Step of a range written without one (视情况扣1–5分): the half-point grid most standards use. */
export const DEFAULT_RANGE_STEP = 0.5;

const NUM = '(\\d+(?:\\.\\d+)?)';

function normalise(text: string): string {
  return text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/．/g, '.')
    .replace(/[（(]/g, '（')
    .replace(/[）)]/g, '）')
    .replace(/[,，;；]/g, '，')
    .replace(/[-–—~～至到]/g, '–')
    .replace(/\s+/g, '')
    .replace(/。$/, '');
}

/** The rule a 扣分方式 text names, or a Chinese explanation of why it cannot be read. */
export function parseRule(text: string): { rule: DeductionRule } | { error: string } {
  const t = normalise(text);
  let m: RegExpExecArray | null;
  if (/^(扣全分|全扣|不得分)(（\d+(\.\d+)?分）)?$/.test(t)) return { rule: { kind: 'full' } };
  if (/^(否决|否决项|一票否决)$/.test(t)) return { rule: { kind: 'veto' } };
  if ((m = new RegExp(`^扣${NUM}分$`).exec(t))) return { rule: { kind: 'fixed', amount: Number(m[1]) } };
  if ((m = new RegExp(`^每[处项次个]扣${NUM}分(，?扣完为止)?$`).exec(t))) return { rule: { kind: 'perOccurrence', amount: Number(m[1]) } };
  if ((m = new RegExp(`^每[处项次个]扣${NUM}分，?最多扣${NUM}分$`).exec(t)))
    return { rule: { kind: 'perOccurrence', amount: Number(m[1]), cap: Number(m[2]) } };
  if ((m = new RegExp(`^视情况扣${NUM}分?–${NUM}分(（步长${NUM}分?）)?$`).exec(t)))
    return { rule: { kind: 'range', min: Number(m[1]), max: Number(m[2]), step: m[4] === undefined ? DEFAULT_RANGE_STEP : Number(m[4]) } };
  return { error: `无法识别扣分方式“${text.trim()}”，可写为：${RULE_TEXT_EXAMPLES}` };
}
