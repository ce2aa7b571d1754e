/** The letters channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { DownloadSchema, FontStatusSchema, LetterListSchema, LetterNumberingSchema, LetterReadinessSchema } from './api.js';
import { GongwenDocSchema, LETTER_KINDS } from './document.js';
import { LetterTemplateSchema } from './template.js';
import { LetterIssueStateSchema } from '../signing/api.js';
import { channel, id, IsoDay } from '../contract/channel.js';

export const lettersChannels = {
  /** The bureau's template for a kind of letter (the defaults until someone saves one). */
  'letter:template': channel({
    input: z.strictObject({ kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }) }),
    output: z.object({ template: LetterTemplateSchema, updatedAt: z.string().nullable(), updatedBy: z.string().nullable() }),
    access: 'user',
    scope: 'none',
    writes: 'none',
  }),
  'letter:saveTemplate': channel({
    input: z.strictObject({ kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }), template: LetterTemplateSchema }),
    output: z.object({ template: LetterTemplateSchema, updatedAt: z.string().nullable(), updatedBy: z.string().nullable() }),
    access: ['organiser', 'lead'],
    scope: 'none',
    writes: 'workstation',
  }),
  /** Units of a campaign with what their letters would quote, and the letters made so far. */
  'letter:list': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: LetterListSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** The letter's content as it would be exported (optionally with an unsaved template), and the fonts it needs. */
  'letter:preview': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }),
      unitId: id('被评查单位').optional(),
      template: LetterTemplateSchema.optional(),
      date: IsoDay.optional(),
      /** Show the 通报 as exported with 包含暂定结果 (every figure marked 暂定). */
      includeProvisional: z.boolean().optional(),
    }),
    output: z.object({ doc: GongwenDocSchema, fonts: z.array(FontStatusSchema), readiness: LetterReadinessSchema }),
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** Exports one letter as DOCX; the first export assigns its 发文字号 from the body's sequence. */
  'letter:export': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }),
      unitId: id('被评查单位').optional(),
      includeProvisional: z.boolean().default(false),
      date: IsoDay.optional(),
    }),
    output: DownloadSchema.extend({ documentNumber: z.string().nullable() }),
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /** The letters of every unit with scored files, as one ZIP of DOCX files. */
  'letter:exportAll': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      kind: z.enum(['opinion', 'notice'], { error: '请选择文书种类' }),
      includeProvisional: z.boolean().default(false),
      date: IsoDay.optional(),
    }),
    output: DownloadSchema.extend({
      count: z.number().int(),
      /** Units left out, with why (a unit without problems gets no 整改通知书). */
      skipped: z.array(z.object({ unitId: z.string(), unitName: z.string(), reason: z.string() })),
    }),
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /** The 文号 a letter has or would get now, and the body's sequence (shown, editable, before 核对定稿). */
  'letter:numbering': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }),
      unitId: id('被评查单位').optional(),
      date: IsoDay.optional(),
    }),
    output: LetterNumberingSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** Where the bureau's 文号 sequence (template prefix, year) continues. */
  'letter:setNextNumber': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }),
      year: z.number().int().min(2000, '年份不正确').max(2100, '年份不正确'),
      nextSerial: z.number({ error: '请填写下一个序号' }).int('序号须为整数').min(1, '序号从 1 开始').max(999999, '序号过大'),
    }),
    output: LetterNumberingSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /** Whether this PC has the fonts a 公文 names (cached; `refresh` rescans). */
  'font:check': channel({
    input: z.strictObject({ refresh: z.boolean().default(false) }),
    output: z.array(FontStatusSchema),
    access: 'user',
    scope: 'none',
    writes: 'none',
  }),
  /** A unit's letter of one kind for issuing: the open draft/checked letter and the issued ones. */
  'letter:issueState': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }),
      unitId: id('被评查单位').optional(),
    }),
    output: LetterIssueStateSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /**
   * 核对定稿: freezes the letter's content as it is now (draft → checked); the 文号 is kept. Only final
   * results (settled files) can be issued: a letter quoting a provisional file is refused.
   */
  'letter:check': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }),
      unitId: id('被评查单位').optional(),
      date: IsoDay.optional(),
      /** The 文号 as the person edited it; omitted → the one assigned, or the next of the body's sequence. */
      documentNumber: z.string().trim().max(40, '文号过长').optional(),
    }),
    output: LetterIssueStateSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /** 退回修改: checked → draft (the content follows the scores and template again). */
  'letter:reopen': channel({
    input: z.strictObject({ letterId: id('文书') }),
    output: LetterIssueStateSchema,
    access: ['organiser', 'lead'],
    scope: 'letter',
    writes: 'structure',
  }),
  /**
   * 签发: the caller signs with their password, each co-signer with theirs; the checked content, its
   * DOCX and PDF are frozen and registered. An earlier issued letter of the unit is superseded (a
   * correction: say why).
   */
  'letter:issue': channel({
    input: z.strictObject({
      letterId: id('文书'),
      password: z.string().min(1, '请填写签发人的登录密码'),
      cosigners: z
        .array(z.strictObject({ userId: id('会签人'), password: z.string().min(1, '请填写会签人的登录密码') }))
        .max(10, '会签人不超过 10 人')
        .default([]),
      useSeal: z.boolean().default(false),
      correctionNote: z.string().trim().max(200, '更正说明不超过 200 字').optional(),
    }),
    output: LetterIssueStateSchema,
    access: ['organiser', 'lead'],
    scope: 'letter',
    writes: 'structure',
  }),
} as const;
