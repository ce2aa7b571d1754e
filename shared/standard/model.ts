/**
 * The project's own format for an evaluation standard (评查标准), "pingcha-standard/1".
 *
 * One file/row holds ONE version of a standard. A version is a tree:
 *   gate (veto items, 基本/基础/合法性标准)  +  blocks (类别/阶段/文书) → nested blocks → items.
 * Everything printed in the source is kept (`ruleText`, `asPrinted`, `provenance`) so that a
 * converted standard loses nothing; scoring reads only the structured fields.
 */
import { z } from 'zod';
import { CASE_TYPES } from '../domain/case-types.js';

export const STANDARD_FORMAT = 'pingcha-standard/1' as const;

/** How much of an item a "deduct" answer takes away. */
export const DeductionRuleSchema = z.discriminatedUnion('kind', [
  /** 扣全分: all of the item's points. */
  z.object({ kind: z.literal('full') }),
  /** 扣 N 分, once. */
  z.object({ kind: z.literal('fixed'), amount: z.number().positive() }),
  /** 每发现一处扣 N 分，扣完为止: N × occurrences, capped at `cap` (default: the item's points). */
  z.object({
    kind: z.literal('perOccurrence'),
    amount: z.number().positive(),
    cap: z.number().positive().optional(),
  }),
  /** 视情况扣 min–max 分, the reviewer picks a value on the step grid. */
  z.object({
    kind: z.literal('range'),
    min: z.number().nonnegative(),
    max: z.number().positive(),
    step: z.number().positive(),
  }),
  /** 否决项: failing it makes the file 不合格 (see StandardDefinition.veto). */
  z.object({ kind: z.literal('veto') }),
]);
export type DeductionRule = z.infer<typeof DeductionRuleSchema>;

export const PROVENANCE_KINDS = ['source', 'inferred', 'placeholder', 'fragment', 'code'] as const;
export const ProvenanceSchema = z.object({
  /** source: copied from the published text; inferred: added by whoever converted it; placeholder:
   *  stands for content that was not retrieved; fragment: a truncated source text; code: taken from
   *  software rather than an official text. */
  kind: z.enum(PROVENANCE_KINDS),
  note: z.string().optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

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

export const ItemSchema: z.ZodType<ItemNode> = z.object({
  kind: z.literal('item'),
  id: z.string().min(1),
  code: z.string().min(1),
  text: z.string().min(1),
  points: z.number().nonnegative().nullable(),
  rule: DeductionRuleSchema,
  ruleText: z.string(),
  notApplicable: z.enum(NOT_APPLICABLE_EFFECTS).optional(),
  penalty: z.boolean().optional(),
  category: z.string().optional(),
  provenance: ProvenanceSchema.optional(),
  asPrinted: z.object({ points: z.number().optional(), deduction: z.number().optional() }).optional(),
  note: z.string().optional(),
});

export const BlockSchema: z.ZodType<BlockNode> = z.lazy(() =>
  z.object({
    kind: z.literal('block'),
    id: z.string().min(1),
    code: z.string().optional(),
    title: z.string().min(1),
    points: z.number().nonnegative(),
    floor: z.boolean(),
    normalise: z.boolean(),
    children: z.array(z.union([BlockSchema, ItemSchema])),
    provenance: ProvenanceSchema.optional(),
    note: z.string().optional(),
  }),
);

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

export const GradeBandSchema = z.object({
  grade: z.string().min(1),
  /** Inclusive lower bound. */
  min: z.number().nonnegative(),
  provenance: ProvenanceSchema.optional(),
});
export type GradeBand = z.infer<typeof GradeBandSchema>;

export const StandardDefinitionSchema = z.object({
  format: z.literal(STANDARD_FORMAT),
  /** Stable id of the standard (all versions share it). */
  standardId: z.string().min(1),
  name: z.string().min(1),
  /** Version label, e.g. "2022版" or "1". */
  version: z.string().min(1),
  caseTypes: z.array(z.enum(CASE_TYPES)).min(1),
  /** Field/系统 the standard is for (生态环境, 测绘 …), if specific. */
  field: z.string().optional(),
  issuer: z.string().optional(),
  region: z.string().optional(),
  source: z.string().optional(),
  completeness: z.string().optional(),
  notes: z.array(z.string()).optional(),
  total: z.number().positive(),
  mode: z.enum(SCORING_MODES),
  /** The scoring mode as described by the source, kept verbatim. */
  modeText: z.string().optional(),
  gate: z.object({
    title: z.string().min(1),
    /** Points the gate itself carries (合法性 50 in a two-part table); 0 for a pure gate. */
    points: z.number().nonnegative(),
    items: z.array(ItemSchema),
  }),
  veto: z.object({ effect: z.enum(VETO_EFFECTS) }),
  blocks: z.array(BlockSchema),
  bands: z.array(GradeBandSchema).min(2),
  /** Grade a veto forces (must be one of `bands`). */
  failGrade: z.string().min(1),
  /** Optional cap on the share of files that may receive the top grade in a campaign. */
  topGradeQuota: z.object({ grade: z.string(), maxShare: z.number().gt(0).lte(1) }).optional(),
  /** Columns / header fields of the printed table, kept for faithful reproduction. */
  printedColumns: z.array(z.string()).optional(),
  headerFields: z.array(z.string()).optional(),
  footerFields: z.array(z.string()).optional(),
  /** Anything else of the source that has no structured home. */
  extra: z.record(z.string(), z.unknown()).optional(),
});
export type StandardDefinition = z.infer<typeof StandardDefinitionSchema>;

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

/** Human label of a deduction rule, for the sheet and the letters. */
export function describeRule(item: Pick<ItemNode, 'rule' | 'points'>): string {
  const r = item.rule;
  switch (r.kind) {
    case 'full':
      return item.points === null ? '扣全分' : `扣全分（${fmt(item.points)}分）`;
    case 'fixed':
      return `扣${fmt(r.amount)}分`;
    case 'perOccurrence':
      return `每处扣${fmt(r.amount)}分，扣完为止`;
    case 'range':
      return `视情况扣${fmt(r.min)}–${fmt(r.max)}分（步长${fmt(r.step)}）`;
    case 'veto':
      return '否决项';
  }
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}
