/**
 * Several reviewers, one file: when do their sheets agree, where do they differ, and where does the
 * file go when they differ (复核 by a named person, or 集体评议 by the panel). Pure functions over the
 * standard, the answers and the campaign's rules; the review service and the reconciliation view
 * both call them, so the flag a lead sees is the flag the service acted on. Free of zod (the rules'
 * schema is divergence-rules.ts), so the screens that use them do not construct schemas at start-up.
 */
import type { StandardDefinition } from '../standards/model.js';
import { allItems, fmt, type ItemNode } from '../standards/tree.js';
import type { DivergenceRules } from './divergence-rules.js';
import { itemDeduction, scoreSheet, type Answer, type Answers, type ScoreResult } from '../scoring/scoring.js';

/** Where a file goes when its sheets need a decision, from the lightest to the heaviest. */
export const REVIEW_ROUTES = ['confirm', 'recheck', 'panel'] as const;
export type ReviewRoute = (typeof REVIEW_ROUTES)[number];
export const REVIEW_ROUTE_LABELS: Record<ReviewRoute, string> = {
  confirm: '组长确认',
  recheck: '复核',
  panel: '集体评议',
};
const ROUTE_WEIGHT: Record<ReviewRoute, number> = { confirm: 0, recheck: 1, panel: 2 };
export const heavierRoute = (a: ReviewRoute | null, b: ReviewRoute | null): ReviewRoute | null =>
  a === null ? b : b === null ? a : ROUTE_WEIGHT[b] > ROUTE_WEIGHT[a] ? b : a;

export type { DivergenceRules } from './divergence-rules.js';

export const DEFAULT_DIVERGENCE_RULES: DivergenceRules = {
  requiredSheets: 1,
  gradeBands: { enabled: true, route: 'recheck' },
  anyVeto: { enabled: true, route: 'panel' },
  spread: { enabled: true, threshold: 5, route: 'recheck' },
  items: { enabled: false, minItems: 3, route: 'recheck' },
};

export const DIVERGENCE_RULE_KINDS = ['gradeBands', 'anyVeto', 'spread', 'items'] as const;
export type DivergenceRuleKind = (typeof DIVERGENCE_RULE_KINDS)[number];

/** One delivered sheet as the divergence rules see it. */
export interface ReviewedSheet {
  reviewerName: string;
  answers: Answers;
}

export interface DivergenceReason {
  rule: DivergenceRuleKind;
  route: ReviewRoute;
  message: string;
}

export interface Divergence {
  /** Empty when no rule fired. */
  reasons: DivergenceReason[];
  /** The heaviest route of the reasons, or null. */
  route: ReviewRoute | null;
  /** Highest minus lowest total. */
  spread: number;
  /** Items the sheets answered differently, in sheet order. */
  differingItems: string[];
  results: ScoreResult[];
}

/**
 * What an answer amounts to, for comparing two reviewers: same key = same reading of the item.
 * No answer counts as 符合 (as in the total); a deduction compares by the points it takes, so
 * "3 处 × 1 分" and "3 分" on the same item agree.
 */
export function answerKey(item: ItemNode, answer: Answer | undefined): string {
  if (!answer || answer.status === 'pass') return 'pass';
  if (answer.status === 'na') return 'na';
  if (answer.status === 'veto') return 'veto';
  return `d:${fmt(itemDeduction(item, answer))}`;
}

/** The points an item loses under an answer (a veto counts as the item's whole weight: 1 for gate items). */
export function answerPoints(item: ItemNode, answer: Answer | undefined): number {
  if (item.rule.kind === 'veto') return answer?.status === 'veto' ? 1 : 0;
  return itemDeduction(item, answer);
}

export function differingItems(def: StandardDefinition, sheets: ReadonlyArray<Pick<ReviewedSheet, 'answers'>>): string[] {
  if (sheets.length < 2) return [];
  return allItems(def)
    .filter((item) => new Set(sheets.map((s) => answerKey(item, s.answers[item.id]))).size > 1)
    .map((item) => item.id);
}

export function detectDivergence(def: StandardDefinition, sheets: readonly ReviewedSheet[], rules: DivergenceRules): Divergence {
  const results = sheets.map((s) => scoreSheet(def, s.answers));
  const reasons: DivergenceReason[] = [];
  const totals = results.map((r) => r.total);
  const spread = totals.length ? Math.round((Math.max(...totals) - Math.min(...totals)) * 100) / 100 : 0;
  const differing = differingItems(def, sheets);

  if (rules.gradeBands.enabled && sheets.length >= 2) {
    const grades = [...new Set(results.map((r) => r.grade))];
    if (grades.length > 1)
      reasons.push({ rule: 'gradeBands', route: rules.gradeBands.route, message: `评定等次不一致（${grades.join('、')}）` });
  }
  if (rules.anyVeto.enabled) {
    const who = sheets
      .map((s, i) => ({ name: s.reviewerName, vetoes: results[i]!.vetoes }))
      .filter((x) => x.vetoes.length > 0)
      .map((x) => `${x.name}：第 ${x.vetoes.map((v) => v.code).join('、')} 项`);
    // Every reviewer vetoed on the same items: not a disagreement, but a veto still needs the panel's confirmation.
    const vetoCodes = results.map((r) => r.vetoes.map((v) => v.code).join('、'));
    const unanimous = sheets.length >= 2 && vetoCodes[0] !== '' && vetoCodes.every((c) => c === vetoCodes[0]);
    if (unanimous)
      reasons.push({
        rule: 'anyVeto',
        route: rules.anyVeto.route,
        message: `评查人员一致认定否决（第 ${vetoCodes[0]} 项），否决须经集体评议确认`,
      });
    else if (who.length) reasons.push({ rule: 'anyVeto', route: rules.anyVeto.route, message: `有否决项认定（${who.join('；')}）` });
  }
  if (rules.spread.enabled && sheets.length >= 2 && spread > rules.spread.threshold + 1e-9) {
    reasons.push({
      rule: 'spread',
      route: rules.spread.route,
      message: `总分相差 ${fmt(spread)} 分，超过 ${fmt(rules.spread.threshold)} 分`,
    });
  }
  if (rules.items.enabled && differing.length >= rules.items.minItems) {
    reasons.push({ rule: 'items', route: rules.items.route, message: `${differing.length} 个评查项目评定不一致` });
  }
  const route = reasons.reduce<ReviewRoute | null>((acc, r) => heavierRoute(acc, r.route), null);
  return { reasons, route, spread, differingItems: differing, results };
}

/**
 * The answer for an item on which all sheets agree: the shared reading, with every reviewer's
 * reasons, places and evidence kept (so the problem list quotes all of them). Undefined when the
 * sheets differ, or when nobody answered it.
 */
export function agreedAnswer(item: ItemNode, answers: ReadonlyArray<Answer | undefined>): Answer | undefined {
  const keys = new Set(answers.map((a) => answerKey(item, a)));
  if (keys.size !== 1) return undefined;
  const given = answers.filter((a): a is Answer => a !== undefined);
  const first = given[0];
  if (!first) return undefined;
  const distinct = (values: Array<string | undefined>): string[] => [...new Set(values.map((v) => v?.trim() ?? '').filter(Boolean))];
  const comments = distinct(given.map((a) => a.comment));
  const locations = distinct(given.map((a) => a.location));
  const evidence = [...new Set(given.flatMap((a) => a.evidence ?? []))];
  const out: Answer = { status: first.status };
  if (first.deduction !== undefined) out.deduction = first.deduction;
  if (first.occurrences !== undefined) out.occurrences = first.occurrences;
  if (comments.length) out.comment = comments.join('；');
  if (locations.length) out.location = locations.join('；');
  if (evidence.length) out.evidence = evidence;
  return out;
}

/**
 * True when some sheets answered an item and others left it (a reviewer who vetoed the file need not
 * answer the rest): one reviewer's reading is not an agreement, so the panel decides it.
 */
export function ratedBySome(sheets: ReadonlyArray<Pick<ReviewedSheet, 'answers'>>, itemId: string): boolean {
  const answered = sheets.filter((s) => s.answers[itemId] !== undefined).length;
  return sheets.length >= 2 && answered > 0 && answered < sheets.length;
}

/**
 * The starting point of a reconciliation: every item where the sheets agree takes the agreed
 * answer; the items where they differ, or that only some reviewers rated, are listed for the panel
 * to decide.
 */
export function proposeAgreed(
  def: StandardDefinition,
  sheets: ReadonlyArray<Pick<ReviewedSheet, 'answers'>>,
): { answers: Answers; undecided: string[] } {
  const answers: Answers = {};
  const undecided: string[] = [];
  for (const item of allItems(def)) {
    const given = sheets.map((s) => s.answers[item.id]);
    const keys = new Set(given.map((a) => answerKey(item, a)));
    if (keys.size > 1 || ratedBySome(sheets, item.id)) {
      undecided.push(item.id);
      continue;
    }
    const agreed = agreedAnswer(item, given);
    if (agreed) answers[item.id] = agreed;
  }
  return { answers, undecided };
}

/** What a file needs next, given its sheets and the campaign's rules. */
export type SettleState =
  /** Nobody has scored it. */
  | { state: 'unscored' }
  /** Sheets are being filled, or fewer than required are delivered. */
  | { state: 'scoring'; delivered: number; required: number }
  /** All sheets delivered and a decision is needed (route: who decides). */
  | { state: 'flagged'; route: ReviewRoute; divergence: Divergence }
  /** All sheets delivered, every item agreed and no rule fired: settled as it stands. */
  | { state: 'agreed'; answers: Answers; divergence: Divergence };

export interface SheetForSettling extends ReviewedSheet {
  delivered: boolean;
  /** An opened sheet without a single answer does not hold a file up (someone only looked)… */
  answeredCount: number;
  /** …unless its reviewer is assigned to the file: then the file waits for them (even before they open it). */
  expected: boolean;
}

/**
 * Whether a file still waits for sheets: someone assigned to it or who began scoring it has not
 * delivered, or fewer than the campaign requires are delivered. Until then the file is 评分中 and has
 * no result — not even a provisional one — to count or print.
 */
export function awaitsSheets(
  sheets: ReadonlyArray<Pick<SheetForSettling, 'delivered' | 'answeredCount' | 'expected'>>,
  requiredSheets: number,
): boolean {
  const counting = sheets.filter((s) => s.delivered || s.answeredCount > 0 || s.expected);
  const delivered = counting.filter((s) => s.delivered).length;
  return delivered < counting.length || delivered < requiredSheets;
}

export function settleState(def: StandardDefinition, sheets: readonly SheetForSettling[], rules: DivergenceRules): SettleState {
  if (!sheets.some((s) => s.delivered || s.answeredCount > 0)) return { state: 'unscored' };
  const counting = sheets.filter((s) => s.delivered || s.answeredCount > 0 || s.expected);
  const delivered = counting.filter((s) => s.delivered);
  if (awaitsSheets(counting, rules.requiredSheets))
    return { state: 'scoring', delivered: delivered.length, required: Math.max(rules.requiredSheets, counting.length) };
  const divergence = detectDivergence(def, delivered, rules);
  if (divergence.route) return { state: 'flagged', route: divergence.route, divergence };
  if (divergence.differingItems.length) return { state: 'flagged', route: 'confirm', divergence };
  return { state: 'agreed', answers: proposeAgreed(def, delivered).answers, divergence };
}
