/** The panel channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { CASE_TYPES } from '../campaigns/case-types.js';
import {
  AssignmentOverviewSchema,
  AssignmentProposalSchema,
  DrawSchema,
  DrawStateSchema,
  DrawVerificationSchema,
  PanelSchema,
  SeedSchema,
} from './panel.js';
import { ScoreSummarySchema } from '../scoring/sheet.js';
import { AnswerSchema } from '../scoring/answer.js';
import { REVIEW_ROUTES } from './divergence.js';
import { DivergenceRulesSchema } from './divergence-rules.js';
import { AgreementViewSchema, BoardPageInputSchema, BoardPageSchema, CaseReviewSchema, ReconcileViewSchema } from './views.js';
import { channel, Ok, id, ByteUrl } from '../contract/channel.js';

export const panelChannels = {
  'panel:get': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: PanelSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  'panel:setMembers': channel({
    input: z.strictObject({ campaignId: id('评查活动'), userIds: z.array(z.string().min(1).max(100)).max(200) }),
    output: PanelSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  'panel:declareConflict': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      userId: id('评查人员'),
      unitId: id('被评查单位'),
      reason: z.string().trim().min(1, '请填写回避理由').max(200, '回避理由过长'),
    }),
    output: PanelSchema,
    access: ['organiser'],
    scope: 'campaign',
    writes: 'structure',
  }),
  'panel:removeConflict': channel({
    input: z.strictObject({ campaignId: id('评查活动'), userId: id('评查人员'), unitId: id('被评查单位') }),
    output: PanelSchema,
    access: ['organiser'],
    scope: 'campaign',
    writes: 'structure',
  }),
  'draw:get': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: DrawStateSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** Draws and records at once (no preview: trying seeds until one pleases would defeat the draw). */
  'draw:run': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      perGroup: z.number({ error: '请填写抽取件数' }).int('抽取件数须为整数').min(1, '至少抽取 1 件').max(20, '最多抽取 20 件'),
      /** unitType: 每单位每类 N 件; unit: 每单位 N 件. */
      grouping: z.enum(['unitType', 'unit']).default('unitType'),
      caseTypes: z.array(z.enum(CASE_TYPES)).min(1, '请至少选择一种案件类型').optional(),
      excludeReviewed: z.boolean().default(false),
      /** Entered by a witness; omitted → the workstation generates one. */
      seed: SeedSchema.optional(),
      witness: z.string().trim().max(50, '见证人姓名过长').default(''),
      /** Required when a draw already exists (it is superseded, not deleted). */
      reason: z.string().trim().max(200, '说明过长').optional(),
    }),
    output: DrawSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  'draw:verify': channel({
    input: z.strictObject({ campaignId: id('评查活动'), drawId: id('抽取记录').optional() }),
    output: DrawVerificationSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** The printable 抽取记录 (DOCX). */
  'draw:exportRecord': channel({
    input: z.strictObject({ campaignId: id('评查活动'), drawId: id('抽取记录').optional() }),
    output: z.object({ fileName: z.string(), url: ByteUrl, bytes: z.number().int() }),
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  'assignment:list': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: AssignmentOverviewSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  'assignment:preview': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      perFile: z.number({ error: '请填写每卷评查人数' }).int('每卷评查人数须为整数').min(1, '每卷至少 1 人').max(6, '每卷最多 6 人'),
      requireLegal: z.boolean().default(false),
      seed: SeedSchema.optional(),
    }),
    output: AssignmentProposalSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** Applies exactly the previewed proposal (same seed and parameters; the digest must still match). */
  'assignment:apply': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      perFile: z.number().int().min(1).max(6),
      requireLegal: z.boolean(),
      seed: SeedSchema,
      digest: z.string().min(1).max(128),
    }),
    output: z.object({ applied: z.number().int(), runId: z.string() }),
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  'assignment:add': channel({
    input: z.strictObject({ caseId: id('案卷'), reviewerId: id('评查人员') }),
    output: Ok,
    access: ['organiser', 'lead'],
    scope: 'case',
    writes: 'structure',
  }),
  'assignment:remove': channel({
    input: z.strictObject({ caseId: id('案卷'), reviewerId: id('评查人员') }),
    output: Ok,
    access: ['organiser', 'lead'],
    scope: 'case',
    writes: 'structure',
  }),
  /** Where one file stands: its sheets (blind where needed), divergence, route, final result. */
  'review:case': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: CaseReviewSchema,
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
  /**
   * The results board: each file's review state and final grade, a page at a time in 案号 order
   * (keyset: `after` is the previous page's `next`), filtered in SQL, with the counts per state,
   * route and the caller's own workload beside it.
   */
  'review:board': channel({
    input: BoardPageInputSchema,
    output: BoardPageSchema,
    access: 'user',
    scope: 'campaign',
    writes: 'none',
  }),
  'review:rules': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: DivergenceRulesSchema,
    access: 'user',
    scope: 'campaign',
    writes: 'none',
  }),
  'review:setRules': channel({
    input: z.strictObject({ campaignId: id('评查活动'), rules: DivergenceRulesSchema }),
    output: DivergenceRulesSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /** The lead sends a flagged file to 复核 by a named person, to 集体评议, or back to the rules' choice (null). */
  'review:route': channel({
    input: z.strictObject({
      caseId: id('案卷'),
      route: z.enum(REVIEW_ROUTES, { error: '请选择处理方式' }).nullable(),
      assigneeId: z.string().max(100).nullable().default(null),
      revision: z.number().int().nonnegative(),
    }),
    output: CaseReviewSchema,
    access: ['organiser', 'lead'],
    scope: 'case',
    writes: 'structure',
  }),
  'review:agreement': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: AgreementViewSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** All sheets of a file side by side with the agreed answers so far. */
  'reconcile:open': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: ReconcileViewSchema,
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
  /** Set (or clear, with null) the agreed answer of one item, with the panel's note. */
  'reconcile:answer': channel({
    input: z.strictObject({
      caseId: id('案卷'),
      itemId: id('评查项目'),
      answer: AnswerSchema.nullable(),
      note: z.string().max(2000, '说明过长').default(''),
      revision: z.number().int().nonnegative(),
    }),
    output: z.object({ revision: z.number().int(), summary: ScoreSummarySchema }),
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'case',
    writes: 'structure',
  }),
  /**
   * The panel rejected a veto: every item still open that nobody disputes (the vetoing reviewer never
   * had to score it) takes one reviewer's answer in one step, instead of one click per item.
   */
  'reconcile:adoptRest': channel({
    input: z.strictObject({
      caseId: id('案卷'),
      sheetId: id('评查表'),
      revision: z.number().int().nonnegative(),
    }),
    output: z.object({ revision: z.number().int(), summary: ScoreSummarySchema, adopted: z.array(z.string()) }),
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'case',
    writes: 'structure',
  }),
  /** Settle the file with the agreed answers: its final score and grade. Every sheet stays as it is. */
  'reconcile:finalise': channel({
    input: z.strictObject({
      caseId: id('案卷'),
      note: z.string().max(4000, '说明过长').default(''),
      revision: z.number().int().nonnegative(),
    }),
    output: CaseReviewSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'case',
    writes: 'structure',
  }),
  /** Withdraw a file's settled result (the panel's decisions are kept as a draft), with a reason. */
  'reconcile:withdraw': channel({
    input: z.strictObject({ caseId: id('案卷'), reason: z.string().trim().min(1, '请填写撤销理由').max(1000, '理由过长') }),
    output: CaseReviewSchema,
    access: ['organiser', 'lead'],
    scope: 'case',
    writes: 'structure',
  }),
} as const;
