/**
 * The one scoring function: (standard version, answers) → total, block subtotals, grade, vetoes and
 * the problem list. Pure and deterministic; the score sheet, the reconciliation view, the letters and
 * the statistics all call it, so a total is never computed two ways. Free of zod (the answer's schema
 * is answer.ts), so the screens that score do not construct schemas at start-up.
 */
import type { Answer } from './answer.js';
import type { StandardDefinition } from '../standards/model.js';
import { type BlockNode, type ItemNode, describeRule, fmt, forEachItem, isPlaceholder } from '../standards/tree.js';

export type { Answer } from './answer.js';

export const ANSWER_STATUSES = ['pass', 'deduct', 'na', 'veto'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];
export const ANSWER_STATUS_LABELS: Record<AnswerStatus, string> = {
  pass: '符合',
  deduct: '扣分',
  na: '不适用',
  veto: '否决',
};

export type Answers = Record<string, Answer>;

export interface BlockScore {
  id: string;
  title: string;
  code?: string | undefined;
  depth: number;
  max: number;
  earned: number;
  /** Points dropped from the denominator because items were not applicable. */
  excluded: number;
}

export interface Problem {
  itemId: string;
  code: string;
  text: string;
  /** Titles of the blocks above the item, outermost first (the gate is "否决项"). */
  blockTitles: string[];
  category?: string | undefined;
  deduction: number;
  veto: boolean;
  occurrences?: number | undefined;
  ruleLabel: string;
  comment: string;
  location: string;
  evidence: string[];
}

export interface ScoreResult {
  total: number;
  max: number;
  grade: string;
  vetoed: boolean;
  /** failAndStop: the rest of the sheet is not scored. */
  stopped: boolean;
  vetoes: Problem[];
  blocks: BlockScore[];
  problems: Problem[];
  /** Scorable items that have no answer yet (they count as 符合 in the total). */
  unanswered: string[];
  /** Items that cannot be scored: the standard does not give their points, or they stand for text that was not retrieved. */
  unscorable: string[];
}

const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;
const EPS = 1e-9;

/** Deduction an answer takes from its item, bounded by the item's rule and points. */
export function itemDeduction(item: ItemNode, answer: Answer | undefined): number {
  if (!answer || answer.status !== 'deduct' || item.points === null || isPlaceholder(item)) return 0;
  const cap = item.penalty ? Number.POSITIVE_INFINITY : item.points;
  const r = item.rule;
  switch (r.kind) {
    case 'full':
      return item.penalty ? 0 : item.points;
    case 'fixed':
      return Math.min(r.amount, cap);
    case 'perOccurrence':
      return Math.min(r.amount * (answer.occurrences ?? 1), r.cap ?? cap);
    case 'range': {
      const chosen = answer.deduction ?? r.min;
      return Math.min(Math.max(chosen, r.min), r.max, cap);
    }
    case 'veto':
      return 0;
  }
}

/**
 * Why an answer is not acceptable for an item, in Chinese, or null. The service refuses invalid
 * answers with this message and the UI shows it before sending.
 */
export function validateAnswer(item: ItemNode, answer: Answer): string | null {
  const r = item.rule;
  if (isPlaceholder(item) && (answer.status === 'deduct' || answer.status === 'veto'))
    return `第 ${item.code} 项是原文未取得部分的占位，不能${answer.status === 'veto' ? '否决' : '扣分'}。`;
  switch (answer.status) {
    case 'pass':
      return null;
    case 'na':
      return item.notApplicable ? null : `第 ${item.code} 项不允许选择“不适用”。`;
    case 'veto':
      if (r.kind !== 'veto') return `第 ${item.code} 项不是否决项，不能否决。`;
      if (!answer.comment || !answer.comment.trim()) return `否决第 ${item.code} 项必须填写理由。`;
      return null;
    case 'deduct': {
      if (r.kind === 'veto') return `第 ${item.code} 项是否决项，只能选择“符合”或“否决”。`;
      if (item.points === null) return `第 ${item.code} 项的分值在标准原文中缺失，不能扣分。`;
      if (r.kind === 'perOccurrence') {
        if (answer.occurrences === undefined) return `第 ${item.code} 项按处扣分，请填写发现的处数。`;
        return null;
      }
      if (r.kind === 'range') {
        const d = answer.deduction;
        const hi = item.penalty ? r.max : Math.min(r.max, item.points);
        if (d === undefined) return `第 ${item.code} 项请选择扣分值（${fmt(r.min)}–${fmt(hi)}分）。`;
        if (d < r.min - EPS || d > hi + EPS) return `第 ${item.code} 项扣分须在 ${fmt(r.min)}–${fmt(hi)} 分之间。`;
        const steps = (d - r.min) / r.step;
        if (Math.abs(steps - Math.round(steps)) > 1e-6) return `第 ${item.code} 项扣分须按 ${fmt(r.step)} 分的步长选择。`;
      }
      return null;
    }
  }
}

/** The deduction values a reviewer can pick for a range item (for number keys and menus). */
export function rangeChoices(item: ItemNode): number[] {
  if (item.rule.kind !== 'range' || item.points === null) return [];
  const { min, max, step } = item.rule;
  const hi = item.penalty ? max : Math.min(max, item.points);
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const v = round2(min + k * step);
    if (v > hi + EPS) break;
    if (v > 0) out.push(v);
    if (k > 1000) break;
  }
  return out;
}

export function gradeFor(def: Pick<StandardDefinition, 'bands'>, total: number): string {
  const bands = [...def.bands].sort((a, b) => b.min - a.min);
  for (const band of bands) if (total + EPS >= band.min) return band.grade;
  return bands[bands.length - 1]!.grade;
}

function problemOf(item: ItemNode, path: BlockNode[], inGate: boolean, gateTitle: string, answer: Answer, deduction: number): Problem {
  return {
    itemId: item.id,
    code: item.code,
    text: item.text,
    blockTitles: inGate ? [gateTitle] : path.map((b) => b.title),
    category: item.category,
    deduction: round2(deduction),
    veto: answer.status === 'veto',
    occurrences: item.rule.kind === 'perOccurrence' ? answer.occurrences : undefined,
    ruleLabel: describeRule(item),
    comment: answer.comment?.trim() ?? '',
    location: answer.location?.trim() ?? '',
    evidence: answer.evidence ?? [],
  };
}

interface NodeScore {
  earned: number;
  excluded: number;
}

export function scoreSheet(def: StandardDefinition, answers: Answers): ScoreResult {
  const blocks: BlockScore[] = [];
  const unanswered: string[] = [];
  const unscorable: string[] = [];
  const vetoes: Problem[] = [];
  const problems: Problem[] = [];

  forEachItem(def, (item, path, inGate) => {
    const answer = answers[item.id];
    if (isPlaceholder(item) || (item.rule.kind !== 'veto' && item.points === null)) unscorable.push(item.id);
    else if (!answer) unanswered.push(item.id);
    if (!answer) return;
    if (answer.status === 'veto' && item.rule.kind === 'veto' && !isPlaceholder(item)) {
      const p = problemOf(item, path, inGate, def.gate.title, answer, 0);
      vetoes.push(p);
      problems.push(p);
      return;
    }
    const d = itemDeduction(item, answer);
    if (d > 0) problems.push(problemOf(item, path, inGate, def.gate.title, answer, d));
  });

  const scoreItem = (item: ItemNode): NodeScore & { penalty: number; max: number } => {
    if (item.rule.kind === 'veto' || item.points === null) return { earned: 0, excluded: 0, penalty: 0, max: 0 };
    const answer = answers[item.id];
    if (item.penalty) return { earned: 0, excluded: 0, penalty: itemDeduction(item, answer), max: 0 };
    if (answer?.status === 'na' && item.notApplicable === 'exclude')
      return { earned: 0, excluded: item.points, penalty: 0, max: item.points };
    if (answer?.status === 'na') return { earned: item.points, excluded: 0, penalty: 0, max: item.points };
    return { earned: item.points - itemDeduction(item, answer), excluded: 0, penalty: 0, max: item.points };
  };

  const scoreBlock = (block: BlockNode, depth: number): NodeScore => {
    const slot = blocks.length;
    blocks.push({ id: block.id, title: block.title, code: block.code, depth, max: block.points, earned: 0, excluded: 0 });
    let earned = 0;
    let excluded = 0;
    let penalty = 0;
    let childMax = 0;
    for (const child of block.children) {
      if (child.kind === 'block') {
        const s = scoreBlock(child, depth + 1);
        earned += s.earned;
        excluded += s.excluded;
        childMax += child.points;
      } else {
        const s = scoreItem(child);
        earned += s.earned;
        excluded += s.excluded;
        penalty += s.penalty;
        childMax += s.max;
      }
    }
    if (block.normalise) {
      const denominator = childMax - excluded;
      if (denominator <= EPS) {
        earned = 0;
        excluded = block.points;
      } else {
        earned = (block.points * earned) / denominator;
        excluded = 0;
      }
    }
    earned -= penalty;
    if (block.floor) earned = Math.max(0, earned);
    earned = Math.min(earned, block.points - excluded);
    blocks[slot] = { ...blocks[slot]!, earned: round2(earned), excluded: round2(excluded) };
    return { earned, excluded };
  };

  let earned = 0;
  let excluded = 0;
  for (const block of def.blocks) {
    const s = scoreBlock(block, 0);
    earned += s.earned;
    excluded += s.excluded;
  }

  const vetoed = vetoes.length > 0;
  const effect = def.veto.effect;
  if (!(vetoed && effect === 'zeroGateAndFail')) earned += def.gate.points;

  let total = excluded > EPS && def.total - excluded > EPS ? (earned * def.total) / (def.total - excluded) : earned;
  total = Math.min(Math.max(total, 0), def.total);
  if (vetoed && (effect === 'zeroAndFail' || effect === 'failAndStop')) total = 0;
  total = round2(total);

  return {
    total,
    max: def.total,
    grade: vetoed ? def.failGrade : gradeFor(def, total),
    vetoed,
    stopped: vetoed && effect === 'failAndStop',
    vetoes,
    blocks,
    problems,
    unanswered,
    unscorable,
  };
}
