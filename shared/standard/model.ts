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
import { formatRule } from './rules.js';

export const STANDARD_FORMAT = 'pingcha-standard/1' as const;

/** How much of an item a "deduct" answer takes away. */
export const DeductionRuleSchema = z.discriminatedUnion(
  'kind',
  [
    /** 扣全分: all of the item's points. */
    z.strictObject({ kind: z.literal('full') }),
    /** 扣 N 分, once. */
    z.strictObject({ kind: z.literal('fixed'), amount: z.number('扣分值必须是数字').positive('扣分值必须大于 0') }),
    /** 每发现一处扣 N 分，扣完为止: N × occurrences, capped at `cap` (default: the item's points). */
    z.strictObject({
      kind: z.literal('perOccurrence'),
      amount: z.number('每处扣分必须是数字').positive('每处扣分必须大于 0'),
      cap: z.number('最多扣分必须是数字').positive('最多扣分必须大于 0').optional(),
    }),
    /** 视情况扣 min–max 分, the reviewer picks a value on the step grid. */
    z.strictObject({
      kind: z.literal('range'),
      min: z.number('最少扣分必须是数字').nonnegative('最少扣分不能为负数'),
      max: z.number('最多扣分必须是数字').positive('最多扣分必须大于 0'),
      step: z.number('步长必须是数字').positive('步长必须大于 0'),
    }),
    /** 否决项: failing it makes the file 不合格 (see StandardDefinition.veto). */
    z.strictObject({ kind: z.literal('veto') }),
  ],
  { error: '扣分方式必须是 full、fixed、perOccurrence、range 或 veto 之一' },
);
export type DeductionRule = z.infer<typeof DeductionRuleSchema>;

export const PROVENANCE_KINDS = ['source', 'inferred', 'placeholder', 'fragment', 'code'] as const;
export const PROVENANCE_LABELS: Record<(typeof PROVENANCE_KINDS)[number], string> = {
  source: '原文',
  inferred: '推定',
  placeholder: '占位',
  fragment: '残缺',
  code: '代码',
};
export const ProvenanceSchema = z.strictObject({
  /** source: copied from the published text; inferred: added by whoever converted it; placeholder:
   *  stands for content that was not retrieved; fragment: a truncated source text; code: taken from
   *  software rather than an official text. */
  kind: z.enum(PROVENANCE_KINDS, '来源类型必须是 source、inferred、placeholder、fragment 或 code 之一'),
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

const ItemObject = z.strictObject({
  kind: z.literal('item'),
  id: z.string('缺少项目ID').min(1, '项目ID不能为空'),
  code: z.string('缺少编号').trim().min(1, '编号不能为空'),
  text: z.string('缺少评查内容').trim().min(1, '评查内容不能为空'),
  points: z.number('分值必须是数字（原文缺失时为 null）').nonnegative('分值不能为负数').nullable(),
  rule: DeductionRuleSchema,
  ruleText: z.string('扣分标准必须是文字'),
  notApplicable: z.enum(NOT_APPLICABLE_EFFECTS, '不适用的处理必须是 award（给分）或 exclude（剔除后折算）').optional(),
  penalty: z.boolean('“扣分项”必须是 true 或 false').optional(),
  category: z.string().optional(),
  provenance: ProvenanceSchema.optional(),
  asPrinted: z.strictObject({ points: z.number().optional(), deduction: z.number().optional() }).optional(),
  note: z.string().optional(),
});
export const ItemSchema: z.ZodType<ItemNode> = ItemObject;

const BlockObject = z.strictObject({
  kind: z.literal('block'),
  id: z.string('缺少类别ID').min(1, '类别ID不能为空'),
  code: z.string().optional(),
  title: z.string('缺少类别名称').trim().min(1, '类别名称不能为空'),
  points: z.number('类别分值必须是数字').nonnegative('类别分值不能为负数'),
  floor: z.boolean('“扣完为止”必须是 true 或 false'),
  normalise: z.boolean('“折算”必须是 true 或 false'),
  get children(): z.ZodArray<z.ZodType<BlockNode | ItemNode>> {
    return z.array(NodeSchema);
  },
  provenance: ProvenanceSchema.optional(),
  note: z.string().optional(),
});
export const BlockSchema: z.ZodType<BlockNode> = BlockObject;

/** A child of a block: told apart by `kind`, so an error names the field of the right shape. */
const NodeSchema: z.ZodType<BlockNode | ItemNode> = z.discriminatedUnion('kind', [BlockObject, ItemObject], {
  error: 'kind 必须是 block（类别）或 item（项目）',
});

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

export const GradeBandSchema = z.strictObject({
  grade: z.string('缺少等次名称').trim().min(1, '等次名称不能为空'),
  /** Inclusive lower bound. */
  min: z.number('分数线必须是数字').nonnegative('分数线不能为负数'),
  provenance: ProvenanceSchema.optional(),
});
export type GradeBand = z.infer<typeof GradeBandSchema>;

export const StandardDefinitionSchema = z.strictObject({
  format: z.literal(STANDARD_FORMAT, `格式标记必须是“${STANDARD_FORMAT}”`),
  /** Stable id of the standard (all versions share it). */
  standardId: z.string('缺少标准ID').trim().min(1, '标准ID不能为空').max(100, '标准ID过长'),
  name: z.string('缺少标准名称').trim().min(1, '标准名称不能为空').max(200, '标准名称过长'),
  /** Version label, e.g. "2022版" or "1". */
  version: z.string('缺少版本').trim().min(1, '版本不能为空').max(100, '版本过长'),
  caseTypes: z.array(z.enum(CASE_TYPES, '案件类型不正确'), '缺少适用案件类型').min(1, '至少选择一种适用的案件类型'),
  /** Field/系统 the standard is for (生态环境, 测绘 …), if specific. */
  field: z.string().optional(),
  issuer: z.string().optional(),
  region: z.string().optional(),
  source: z.string().optional(),
  completeness: z.string().optional(),
  notes: z.array(z.string()).optional(),
  total: z.number('总分必须是数字').positive('总分必须大于 0'),
  mode: z.enum(SCORING_MODES, '计分方式必须是 deductFromTotal、deductWithinBlocks、additive 或 twoPart 之一'),
  /** The scoring mode as described by the source, kept verbatim. */
  modeText: z.string().optional(),
  gate: z.strictObject(
    {
      title: z.string('缺少否决项部分的名称').trim().min(1, '否决项部分的名称不能为空'),
      /** Points the gate itself carries (合法性 50 in a two-part table); 0 for a pure gate. */
      points: z.number('否决项部分的分值必须是数字').nonnegative('否决项部分的分值不能为负数'),
      items: z.array(ItemSchema),
    },
    '缺少否决项部分（gate）',
  ),
  veto: z.strictObject({ effect: z.enum(VETO_EFFECTS, '否决效果必须是 zeroAndFail、failAndStop 或 zeroGateAndFail 之一') }, '缺少否决效果（veto）'),
  blocks: z.array(BlockSchema, '缺少评分类别（blocks）'),
  bands: z.array(GradeBandSchema, '缺少等次（bands）').min(2, '至少需要两个等次'),
  /** Grade a veto forces (must be one of `bands`). */
  failGrade: z.string('缺少不合格等次').trim().min(1, '不合格等次不能为空'),
  /** Optional cap on the share of files that may receive the top grade in a campaign. */
  topGradeQuota: z
    .strictObject({
      grade: z.string('缺少限额等次').min(1, '限额等次不能为空'),
      maxShare: z.number('限额比例必须是数字').gt(0, '限额比例必须大于 0').lte(1, '限额比例不能超过 100%'),
    })
    .optional(),
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

/**
 * A placeholder stands for part of a source that was not retrieved (e.g. "[NOT RETRIEVED — 80 points
 * of content items]"). It keeps the block totals right, but nobody can deduct against criteria that
 * are not written down: it is scored as met and listed as unscorable.
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

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}
