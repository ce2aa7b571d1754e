/**
 * The project's own format for an evaluation standard (评查标准), "pingcha-standard/1".
 *
 * One file/row holds ONE version of a standard. A version is a tree:
 *   gate (veto items, 基本/基础/合法性标准)  +  blocks (类别/阶段/文书) → nested blocks → items.
 * Everything printed in the source is kept (`ruleText`, `asPrinted`, `provenance`) so that a
 * converted standard loses nothing; scoring reads only the structured fields.
 */
import { z } from 'zod';
import { CASE_TYPES } from '../campaigns/case-types.js';
import { NOT_APPLICABLE_EFFECTS, PROVENANCE_KINDS, SCORING_MODES, VETO_EFFECTS, type BlockNode, type ItemNode } from './tree.js';

export * from './tree.js';

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

export const ProvenanceSchema = z.strictObject({
  /** source: copied from the published text; inferred: added by whoever converted it; placeholder:
   *  stands for content that was not retrieved; fragment: a truncated source text; code: taken from
   *  software rather than an official text. */
  kind: z.enum(PROVENANCE_KINDS, '来源类型必须是 source、inferred、placeholder、fragment 或 code 之一'),
  note: z.string().optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

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
  /** 依据: the law and article the item rests on, e.g. 《中华人民共和国行政强制法》第二十五条. */
  basis: z.string().optional(),
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
  veto: z.strictObject(
    { effect: z.enum(VETO_EFFECTS, '否决效果必须是 zeroAndFail、failAndStop 或 zeroGateAndFail 之一') },
    '缺少否决效果（veto）',
  ),
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
