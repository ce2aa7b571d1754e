/**
 * The plain side of an evaluation standard (model.ts holds its zod schemas and re-exports all of this):
 * the tree's node types, its labels and the walks over it. Kept free of zod so that the screens that
 * only read a standard (the score sheet, the reader) do not construct the schemas at start-up.
 */
import type { DeductionRule, Provenance, StandardDefinition } from './model.js';
import { formatRule, parseRule } from './rules.js';

export const PROVENANCE_KINDS = ['source', 'inferred', 'placeholder', 'fragment', 'code'] as const;
export const PROVENANCE_LABELS: Record<(typeof PROVENANCE_KINDS)[number], string> = {
  source: '原文',
  inferred: '推定',
  placeholder: '占位',
  fragment: '残缺',
  code: '代码',
};

/**
 * What "not applicable" does to an item: `award` gives its points (不涉及的不扣分); `exclude` drops
 * them from the denominator and the total is re-normalised.
 */
export const NOT_APPLICABLE_EFFECTS = ['award', 'exclude'] as const;
export type NotApplicableEffect = (typeof NOT_APPLICABLE_EFFECTS)[number];

export interface ItemNode {
  kind: 'item';
  /** Stable across versions of the same standard; answers and evidence point at it. */
  id: string;
  /** As printed (序号/编号), e.g. "12.3". Unique within a version. */
  code: string;
  text: string;
  /** Maximum points (分值). `null` when the source does not say: the item cannot be scored. Veto items have 0. */
  points: number | null;
  rule: DeductionRule;
  /** 扣分标准 as printed. */
  ruleText: string;
  /** Absent: N/A not allowed. */
  notApplicable?: NotApplicableEffect | undefined;
  /**
   * A penalty item (e.g. "其他不规范（每处）扣1分", 基本要素扣分) deducts from its block without points
   * of its own; `rule.cap` (if any) bounds it, otherwise only the block's floor does.
   */
  penalty?: boolean | undefined;
  /** Problem category for statistics (执法主体, 事实证据, 适用法律, 执法程序, 文书制作, 案卷管理 …). */
  category?: string | undefined;
  /** 依据: the law and article the item rests on (e.g. 《中华人民共和国行政强制法》第二十五条). */
  basis?: string | undefined;
  provenance?: Provenance | undefined;
  /** Values printed in the source that the conversion did not use as is (kept so nothing is lost). */
  asPrinted?: { points?: number | undefined; deduction?: number | undefined } | undefined;
  note?: string | undefined;
}

export interface BlockNode {
  kind: 'block';
  id: string;
  code?: string | undefined;
  title: string;
  /** The block's maximum (分值小计). */
  points: number;
  /** 扣完为止，不计负分 within this block. */
  floor: boolean;
  /** Scale earned/available to `points` (used when N/A items are excluded, or a part is a weighted ratio). */
  normalise: boolean;
  children: Array<BlockNode | ItemNode>;
  provenance?: Provenance | undefined;
  note?: string | undefined;
}

export const SCORING_MODES = ['deductFromTotal', 'deductWithinBlocks', 'additive', 'twoPart'] as const;
export type ScoringMode = (typeof SCORING_MODES)[number];
export const SCORING_MODE_LABELS: Record<ScoringMode, string> = {
  deductFromTotal: '总分扣减（不计负分）',
  deductWithinBlocks: '分块扣减（各块扣完为止）',
  additive: '逐项计分',
  twoPart: '两部分计分（如合法性 + 规范性）',
};

/**
 * What a veto does: zeroAndFail — total 0 and the fail grade; failAndStop — fail grade, the rest is
 * not scored; zeroGateAndFail — the gate's own points (e.g. 合法性 50) become 0, the rest is scored,
 * and the grade is forced to fail.
 */
export const VETO_EFFECTS = ['zeroAndFail', 'failAndStop', 'zeroGateAndFail'] as const;
export type VetoEffect = (typeof VETO_EFFECTS)[number];
export const VETO_EFFECT_LABELS: Record<VetoEffect, string> = {
  zeroAndFail: '总分为 0，评为不合格',
  failAndStop: '评为不合格，不再评分',
  zeroGateAndFail: '否决部分得 0 分，其余照常评分，评为不合格',
};

/** Visits every item (gate first, then blocks depth-first) with the chain of blocks above it. */
export function forEachItem(
  def: Pick<StandardDefinition, 'gate' | 'blocks'>,
  visit: (item: ItemNode, path: BlockNode[], inGate: boolean) => void,
): void {
  for (const item of def.gate.items) visit(item, [], true);
  const walk = (block: BlockNode, path: BlockNode[]): void => {
    const here = [...path, block];
    for (const child of block.children) {
      if (child.kind === 'block') walk(child, here);
      else visit(child, here, false);
    }
  };
  for (const block of def.blocks) walk(block, []);
}

export function allItems(def: Pick<StandardDefinition, 'gate' | 'blocks'>): ItemNode[] {
  const out: ItemNode[] = [];
  forEachItem(def, (item) => out.push(item));
  return out;
}

export function findItem(def: Pick<StandardDefinition, 'gate' | 'blocks'>, itemId: string): ItemNode | undefined {
  let found: ItemNode | undefined;
  forEachItem(def, (item) => {
    if (item.id === itemId) found = item;
  });
  return found;
}

/**
 * A placeholder stands for part of a source that was not retrieved. Validation refuses a standard
 * that has one (it could never record the defects of that part); a version stored before that rule
 * still scores it as met, lists it as unscorable, and the score sheet says so.
 */
export function isPlaceholder(item: Pick<ItemNode, 'provenance'>): boolean {
  return item.provenance?.kind === 'placeholder';
}

/** Visits every block depth-first (parents before children) with the chain of blocks above it. */
export function forEachBlock(def: Pick<StandardDefinition, 'blocks'>, visit: (block: BlockNode, path: BlockNode[]) => void): void {
  const walk = (block: BlockNode, path: BlockNode[]): void => {
    visit(block, path);
    for (const child of block.children) if (child.kind === 'block') walk(child, [...path, block]);
  };
  for (const block of def.blocks) walk(block, []);
}

/**
 * What a block's children add up to: the points of its sub-blocks and of its items (penalty items
 * carry none), and how many items have no points in the source.
 */
export function childPoints(block: BlockNode): { sum: number; unknown: number } {
  let sum = 0;
  let unknown = 0;
  for (const child of block.children) {
    if (child.kind === 'block') sum += child.points;
    else if (child.penalty || child.rule.kind === 'veto') continue;
    else if (child.points === null) unknown++;
    else sum += child.points;
  }
  return { sum: Math.round(sum * 1e6) / 1e6, unknown };
}

/** Human label of a deduction rule, for the sheet and the letters. */
export function describeRule(item: Pick<ItemNode, 'rule' | 'points'> & Partial<Pick<ItemNode, 'provenance'>>): string {
  if (isPlaceholder(item)) return '原文未取得，不能扣分';
  const r = item.rule;
  if (r.kind === 'full') return item.points === null ? '扣全分' : `扣全分（${fmt(item.points)}分）`;
  if (r.kind === 'veto') return '否决项';
  return formatRule(r, fmt);
}

/**
 * The rule as a reviewer reads it under an item: the label, and the standard's own 扣分标准 wording
 * beside it only when that wording says something more. "每发现一处扣1分，扣完为止" beside
 * "每处扣1分，扣完为止", or "不符合的，扣该项全部分值" beside "扣全分（5分）", says the same thing twice,
 * so it is printed once.
 */
export function ruleLine(item: Pick<ItemNode, 'rule' | 'points' | 'ruleText'> & Partial<Pick<ItemNode, 'provenance'>>): string {
  const label = describeRule(item);
  const own = item.ruleText?.trim() ?? '';
  if (!own || own === label || sameRule(item, own)) return label;
  return `${label} · ${own}`;
}

/** Whether a 扣分标准 wording names the item's own rule (the usual "每发现一处" / "每出现一次" phrasings included). */
function sameRule(item: Pick<ItemNode, 'rule' | 'points'>, text: string): boolean {
  const plain = text
    .replace(/^(?:不符合|存在(?:该|此)情形)的?[，,]?/, '')
    .replace(/扣该项全部分值?/, '扣全分')
    .replace(/视情节轻重/, '视情况')
    .replace(/每(?:发现|出现|有|缺)?[一1]?([处项次个])/g, '每$1');
  const parsed = parseRule(plain);
  if (!('rule' in parsed)) return false;
  const a = parsed.rule;
  const b = item.rule;
  // "存在该情形的，扣3分" on an item worth 3 is its full points.
  if (b.kind === 'full' && a.kind === 'fixed') return a.amount === item.points;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'fixed' && b.kind === 'fixed') return a.amount === b.amount;
  if (a.kind === 'perOccurrence' && b.kind === 'perOccurrence') {
    // "扣完为止" caps at the item's points, which a cap equal to the points says as well.
    const cap = (r: typeof a) => (r.cap === undefined || r.cap === item.points ? null : r.cap);
    return a.amount === b.amount && cap(a) === cap(b);
  }
  if (a.kind === 'range' && b.kind === 'range') return a.min === b.min && a.max === b.max;
  return true;
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}
