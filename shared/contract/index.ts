/**
 * THE API. Every call the UI can make is a channel here ('domain:verb' → input and output schemas and
 * who may call it); every notification the back end pushes is an event here. The dispatcher validates
 * against these schemas, the Electron preload allows exactly these names, and the renderer's client is
 * typed from them. Nothing else crosses the boundary.
 */
import { z } from 'zod';
import { AnnotationInputSchema, AnnotationSchema } from '../annotations/annotation.js';
import { CampaignCreateSchema, CampaignDetailSchema, CampaignSchema } from '../campaigns/campaign.js';
import { CASE_TYPES } from '../campaigns/case-types.js';
import { CaseDetailSchema, CaseSchema, DocumentSchema, ImportSingleSchema } from '../dossiers/dossier.js';
import {
  AssignmentOverviewSchema,
  AssignmentProposalSchema,
  DrawSchema,
  DrawStateSchema,
  DrawVerificationSchema,
  MeetingStateSchema,
  PanelSchema,
  PastUnitsSchema,
  ProjectionSchema,
  SeedSchema,
  SEE_ALL_ROLES,
  UserDetailSchema,
} from '../panel/panel.js';
import { ROLES, type Role } from '../people/roles.js';
import {
  ImportPreviewSchema,
  ImportRequestSchema,
  ImportStartSchema,
  ImportSummarySchema,
  JobViewSchema,
  ListLayoutSchema,
  ReadListInputSchema,
  UnitMergeInputSchema,
  UnitMergePreviewSchema,
  UnitSaveSchema,
  UnitViewSchema,
} from '../import/api.js';
import { DocumentIntegritySchema, SearchPagesInputSchema, SearchPagesResultSchema } from '../dossiers/reader.js';
import { ScoreSummarySchema, SheetAnswerInputSchema, SheetSchema } from '../scoring/sheet.js';
import { PasswordSchema, UsernameSchema, UserViewSchema } from '../people/user.js';
import type { AppErrorShape } from '../core/errors.js';
import { StandardDefinitionSchema, SCORING_MODES } from '../standards/model.js';
import { AnswerSchema } from '../scoring/answer.js';
import { LedgerPatchSchema, LedgerRowSchema } from '../ledger/ledger.js';
import { CampaignStatisticsSchema, DownloadSchema, FontStatusSchema, LetterListSchema, LetterNumberingSchema } from '../letters/api.js';
import { GongwenDocSchema, LETTER_KINDS } from '../letters/document.js';
import { LetterTemplateSchema } from '../letters/template.js';
import {
  KeyHolderSchema,
  KeyInfoSchema,
  LetterIssueStateSchema,
  RegisterEntrySchema,
  SealStatusSchema,
  SigningDownloadSchema,
  TrustEntrySchema,
  VerificationReportSchema,
} from '../signing/api.js';
import { Sm3Hex } from '../signing/identity.js';
import { REVIEW_ROUTES } from '../panel/divergence.js';
import { DivergenceRulesSchema } from '../panel/divergence-rules.js';
import { AgreementViewSchema, BoardRowSchema, CaseReviewSchema, ReconcileViewSchema } from '../panel/views.js';
import { PackageConflictSchema, PackageJobResultSchema, PackageOverviewSchema } from '../packages/api.js';
import { CAMPAIGN_PURPOSES } from '../packages/format.js';

/** The password that opens a person's signing key (their login password, issue 9). */
const KeyPassword = z.string().min(1, '请输入您的登录密码（用于解开签名密钥）').max(128);
const JobStarted = z.object({ jobId: z.string() });

/** Who may call a channel: anyone (before login), any logged-in user, or the listed roles. */
export type Access = 'public' | 'user' | readonly Role[];

export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
}

const channel = <I extends z.ZodType, O extends z.ZodType>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> => spec;

const Empty = z.strictObject({});
const Ok = z.object({ ok: z.literal(true) });
const id = (label: string) => z.string().min(1, `缺少${label}`).max(100);

/** A URL the UI may fetch bytes from (document, download, upload); minted per user, short-lived. */
const ByteUrl = z.string().startsWith('/');
const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 年-月-日');

export const StandardSummarySchema = z.object({
  versionId: z.string(),
  standardId: z.string(),
  name: z.string(),
  version: z.string(),
  caseTypes: z.array(z.enum(CASE_TYPES)),
  total: z.number(),
  mode: z.enum(SCORING_MODES),
  builtin: z.boolean(),
  frozen: z.boolean(),
  itemCount: z.number().int(),
  completeness: z.string(),
  /** Whoever saves an edit names the content they edited, so two editors cannot overwrite each other. */
  contentSha256: z.string(),
  retired: z.boolean(),
  createdAt: z.string(),
  basedOnVersionId: z.string().nullable(),
  changeNote: z.string(),
  /** The validator's findings (warnings are normal for partial sources). */
  errorCount: z.number().int(),
  warningCount: z.number().int(),
});

/** After a save, clone or import: the version that now holds the content. */
export const StandardSavedSchema = z.object({
  summary: StandardSummarySchema,
  /** A new version was made (the edited one is frozen or built in, or a clone/import). */
  created: z.boolean(),
  /** Nothing differed from the stored content; nothing was written. */
  unchanged: z.boolean(),
  warnings: z.array(z.string()),
});

export const SheetViewSchema = z.object({
  /** Null until the caller starts scoring this file (an assigned reviewer's first answer). */
  sheet: SheetSchema.nullable(),
  caseId: z.string(),
  standard: StandardSummarySchema,
  definition: StandardDefinitionSchema,
  answers: z.record(z.string(), AnswerSchema),
  summary: ScoreSummarySchema,
  /** Whether the caller may change answers now (without a sheet: whether a first answer starts one). */
  editable: z.boolean(),
  /** Without a sheet: why the caller only reads this file, or how scoring starts. */
  notice: z.string().nullable(),
});

/** The caller's own sheet once it exists (after `sheet:start`). */
export const StartedSheetViewSchema = SheetViewSchema.extend({ sheet: SheetSchema });
export type StartedSheetView = z.infer<typeof StartedSheetViewSchema>;

export const contract = {
  // ── app and session ────────────────────────────────────────────────────────────────────────
  'app:info': channel({
    input: Empty,
    output: z.object({ appName: z.string(), appVersion: z.string(), schemaVersion: z.number().int() }),
    access: 'public',
  }),
  'auth:status': channel({
    input: Empty,
    output: z.object({ needsSetup: z.boolean(), user: UserViewSchema.nullable() }),
    access: 'public',
  }),
  /** First run only: creates the first account (organiser) and logs it in. */
  'auth:setup': channel({
    input: z.strictObject({
      username: UsernameSchema,
      displayName: z.string().trim().min(1, '请填写姓名').max(50, '姓名过长'),
      affiliation: z.string().trim().max(200).default(''),
      password: PasswordSchema,
    }),
    output: UserViewSchema,
    access: 'public',
  }),
  'auth:login': channel({
    input: z.strictObject({ username: z.string().trim().min(1, '请填写登录名'), password: z.string().min(1, '请填写密码') }),
    output: UserViewSchema,
    access: 'public',
  }),
  'auth:logout': channel({ input: Empty, output: Ok, access: 'user' }),

  // ── people ─────────────────────────────────────────────────────────────────────────────────
  'user:list': channel({ input: Empty, output: z.array(UserViewSchema), access: 'user' }),
  'user:create': channel({
    input: z.strictObject({
      username: UsernameSchema,
      displayName: z.string().trim().min(1, '请填写姓名').max(50, '姓名过长'),
      role: z.enum(ROLES, { error: '请选择角色' }),
      affiliation: z.string().trim().max(200).default(''),
      password: PasswordSchema,
      legalProfessional: z.boolean().default(false),
      pastUnits: PastUnitsSchema.default([]),
    }),
    output: UserViewSchema,
    access: ['organiser'],
  }),

  // ── campaigns ──────────────────────────────────────────────────────────────────────────────
  'campaign:list': channel({ input: Empty, output: z.array(CampaignSchema), access: 'user' }),
  'campaign:create': channel({
    input: z.strictObject(CampaignCreateSchema.shape),
    output: CampaignDetailSchema,
    access: ['organiser', 'lead'],
  }),
  'campaign:get': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: CampaignDetailSchema,
    access: 'user',
  }),

  // ── dossiers ───────────────────────────────────────────────────────────────────────────────
  'case:list': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: z.array(CaseSchema.extend({ myScore: ScoreSummarySchema.nullable() })),
    access: 'user',
  }),
  'case:get': channel({ input: z.strictObject({ caseId: id('案卷') }), output: CaseDetailSchema, access: 'user' }),
  /** A one-use URL the UI PUTs a file's bytes to; the response names the staged source. */
  'upload:ticket': channel({
    input: Empty,
    output: z.object({ url: ByteUrl, maxBytes: z.number().int() }),
    access: ['organiser', 'lead'],
  }),
  'dossier:importSingle': channel({
    input: z.strictObject(ImportSingleSchema.shape),
    output: CaseDetailSchema,
    access: ['organiser', 'lead'],
  }),
  'document:open': channel({
    input: z.strictObject({ documentId: id('文件') }),
    output: z.object({ document: DocumentSchema, url: ByteUrl }),
    access: 'user',
  }),

  // ── annotations ────────────────────────────────────────────────────────────────────────────
  'annotation:list': channel({
    input: z.strictObject({ documentId: id('文件') }),
    output: z.array(AnnotationSchema),
    access: 'user',
  }),
  /** Batched save from the renderer's debounced queue: creates/updates and soft deletes in one transaction. */
  'annotation:save': channel({
    input: z.strictObject({
      documentId: id('文件'),
      upserts: z.array(AnnotationInputSchema).max(500),
      deletes: z.array(z.string().max(100)).max(500),
    }),
    output: z.object({ saved: z.array(AnnotationSchema), deleted: z.array(z.string()) }),
    access: ['organiser', 'lead', 'reviewer'],
  }),

  // ── standards ──────────────────────────────────────────────────────────────────────────────
  'standard:list': channel({ input: Empty, output: z.array(StandardSummarySchema), access: 'user' }),
  'standard:get': channel({
    input: z.strictObject({ versionId: id('评查标准') }),
    output: z.object({ summary: StandardSummarySchema, definition: StandardDefinitionSchema }),
    access: 'user',
  }),
  // ── standards (issue 3) ──
  /**
   * Saves an edited definition. `definition` is checked by the shared validator in the service (not
   * here) so that every problem is named by its block and item, not by a JSON path. A frozen or
   * built-in version is never changed: the edit becomes a new version.
   */
  'standard:update': channel({
    input: z.strictObject({
      versionId: id('评查标准'),
      definition: z.unknown(),
      expectedSha256: z.string().min(1, '缺少版本校验值'),
      changeNote: z.string().trim().max(500, '修改说明过长').default(''),
    }),
    output: StandardSavedSchema,
    access: ['organiser', 'lead'],
  }),
  /** A copy as a new version of the same standard, or (with `name`) as a new standard. */
  'standard:clone': channel({
    input: z.strictObject({
      versionId: id('评查标准'),
      version: z.string().trim().max(100, '版本过长').optional(),
      name: z.string().trim().max(200, '标准名称过长').optional(),
    }),
    output: StandardSavedSchema,
    access: ['organiser', 'lead'],
  }),
  /** A retired version stays for the scores that use it but is no longer offered to campaigns. */
  'standard:retire': channel({
    input: z.strictObject({ versionId: id('评查标准'), retired: z.boolean() }),
    output: StandardSummarySchema,
    access: ['organiser', 'lead'],
  }),
  /** Imports an uploaded .json or .xlsx standard, all or nothing; `dryRun` only checks and describes it. */
  'standard:import': channel({
    input: z.strictObject({ sourceId: id('上传文件'), dryRun: z.boolean().default(false) }),
    output: z.object({
      preview: z.object({
        standardId: z.string(),
        name: z.string(),
        version: z.string(),
        caseTypes: z.array(z.enum(CASE_TYPES)),
        itemCount: z.number().int(),
        /** A standard not yet in the library, or a new version of one that is. */
        target: z.enum(['newStandard', 'newVersion']),
        /** The label was taken, so the import gets this one instead. */
        renamedFrom: z.string().nullable(),
      }),
      saved: StandardSavedSchema.nullable(),
      warnings: z.array(z.string()),
    }),
    access: ['organiser', 'lead'],
  }),
  'standard:export': channel({
    input: z.strictObject({ versionId: id('评查标准'), format: z.enum(['json', 'xlsx'], '格式只能是 json 或 xlsx') }),
    output: z.object({ fileName: z.string(), url: ByteUrl, bytes: z.number().int() }),
    access: 'user',
  }),
  /** Which standard version files of a case type are scored against; refused once such files have sheets. */
  'campaign:setStandard': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      caseType: z.enum(CASE_TYPES, '请选择案件类型'),
      versionId: z.string().min(1).max(100).nullable(),
    }),
    output: CampaignDetailSchema,
    access: ['organiser', 'lead'],
  }),

  // ── scoring ────────────────────────────────────────────────────────────────────────────────
  /** The caller's own sheet for a file, if they have one; reading never creates it. */
  'sheet:open': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: SheetViewSchema,
    access: ['organiser', 'lead', 'reviewer'],
  }),
  /** Starts the caller's sheet (their first answer): only an assigned reviewer, or anyone who scores in a campaign without assignments. */
  'sheet:start': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: StartedSheetViewSchema,
    access: ['organiser', 'lead', 'reviewer'],
  }),
  'sheet:answer': channel({
    input: z.strictObject(SheetAnswerInputSchema.shape),
    output: z.object({ revision: z.number().int(), summary: ScoreSummarySchema }),
    access: ['organiser', 'lead', 'reviewer'],
  }),

  // ── exports ────────────────────────────────────────────────────────────────────────────────
  /** The filled 案卷评查表 of the caller's sheet as DOCX. */
  'export:caseSheet': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: z.object({ fileName: z.string(), url: ByteUrl, bytes: z.number().int() }),
    access: 'user',
  }),

  // ── panel, draw, assignment, meeting (issue 7) ──────────────────────────────────────────────
  /** Every account with its state (disabled, locked), for the people screen. */
  'user:directory': channel({ input: Empty, output: z.array(UserDetailSchema), access: ['organiser', 'lead'] }),
  'user:update': channel({
    input: z.strictObject({
      userId: id('用户'),
      displayName: z.string().trim().min(1, '请填写姓名').max(50, '姓名过长').optional(),
      role: z.enum(ROLES, { error: '请选择角色' }).optional(),
      affiliation: z.string().trim().max(200, '单位名称过长').optional(),
      pastUnits: PastUnitsSchema.optional(),
      legalProfessional: z.boolean().optional(),
    }),
    output: UserDetailSchema,
    access: ['organiser'],
  }),
  'user:setDisabled': channel({
    input: z.strictObject({ userId: id('用户'), disabled: z.boolean() }),
    output: UserDetailSchema,
    access: ['organiser'],
  }),
  /** The organiser sets a new password (the person forgot theirs); also lifts a lock-out. */
  'user:resetPassword': channel({
    input: z.strictObject({ userId: id('用户'), password: PasswordSchema }),
    output: UserDetailSchema,
    access: ['organiser'],
  }),
  'user:unlock': channel({ input: z.strictObject({ userId: id('用户') }), output: UserDetailSchema, access: ['organiser'] }),
  'user:changePassword': channel({
    input: z.strictObject({ currentPassword: z.string().min(1, '请填写当前密码'), newPassword: PasswordSchema }),
    output: Ok,
    access: 'user',
  }),

  'panel:get': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: PanelSchema, access: ['organiser', 'lead', 'observer'] }),
  'panel:setMembers': channel({
    input: z.strictObject({ campaignId: id('评查活动'), userIds: z.array(z.string().min(1).max(100)).max(200) }),
    output: PanelSchema,
    access: ['organiser', 'lead'],
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
  }),
  'panel:removeConflict': channel({
    input: z.strictObject({ campaignId: id('评查活动'), userId: id('评查人员'), unitId: id('被评查单位') }),
    output: PanelSchema,
    access: ['organiser'],
  }),

  'draw:get': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: DrawStateSchema, access: ['organiser', 'lead', 'observer'] }),
  /** Draws and records at once (no preview: trying seeds until one pleases would defeat the draw). */
  'draw:run': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      perGroup: z.number({ error: '请填写每类抽取件数' }).int('抽取件数须为整数').min(1, '每类至少抽取 1 件').max(20, '每类最多抽取 20 件'),
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
  }),
  'draw:verify': channel({
    input: z.strictObject({ campaignId: id('评查活动'), drawId: id('抽取记录').optional() }),
    output: DrawVerificationSchema,
    access: ['organiser', 'lead', 'observer'],
  }),
  /** The printable 抽取记录 (DOCX). */
  'draw:exportRecord': channel({
    input: z.strictObject({ campaignId: id('评查活动'), drawId: id('抽取记录').optional() }),
    output: z.object({ fileName: z.string(), url: ByteUrl, bytes: z.number().int() }),
    access: ['organiser', 'lead', 'observer'],
  }),

  'assignment:list': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: AssignmentOverviewSchema,
    access: ['organiser', 'lead', 'observer'],
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
  }),
  'assignment:add': channel({
    input: z.strictObject({ caseId: id('案卷'), reviewerId: id('评查人员') }),
    output: Ok,
    access: ['organiser', 'lead'],
  }),
  'assignment:remove': channel({
    input: z.strictObject({ caseId: id('案卷'), reviewerId: id('评查人员') }),
    output: Ok,
    access: ['organiser', 'lead'],
  }),

  'meeting:get': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: MeetingStateSchema, access: 'user' }),
  'meeting:setAgenda': channel({
    input: z.strictObject({ campaignId: id('评查活动'), caseIds: z.array(z.string().min(1).max(100)).max(300, '议程最多 300 项'), revision: z.number().int().nonnegative() }),
    output: MeetingStateSchema,
    access: ['organiser', 'lead'],
  }),
  /** Next / previous / go to an item; refused when `revision` is not the agenda's current one. */
  'meeting:move': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      step: z.enum(['next', 'previous', 'goto']),
      index: z.number().int().nonnegative().optional(),
      revision: z.number().int().nonnegative(),
    }),
    output: MeetingStateSchema,
    access: ['organiser', 'lead'],
  }),
  /** The page the projector shows (the evidence in question). */
  'meeting:focus': channel({
    input: z.strictObject({ campaignId: id('评查活动'), documentId: id('文件'), page: z.number().int().min(1, '页码从 1 开始'), revision: z.number().int().nonnegative() }),
    output: MeetingStateSchema,
    access: ['organiser', 'lead'],
  }),
  'meeting:options': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      hideFromConflicted: z.boolean().optional(),
      veiled: z.boolean().optional(),
      revision: z.number().int().nonnegative(),
    }),
    output: MeetingStateSchema,
    access: ['organiser', 'lead'],
  }),
  /** What this window shows for the current agenda item (details withheld from conflicted members). */
  'meeting:view': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: ProjectionSchema, access: 'user' }),

  // ── letters, ledger, statistics (issue 8) ──────────────────────────────────────────────────
  /** The bureau's template for a kind of letter (the defaults until someone saves one). */
  'letter:template': channel({
    input: z.strictObject({ kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }) }),
    output: z.object({ template: LetterTemplateSchema, updatedAt: z.string().nullable(), updatedBy: z.string().nullable() }),
    access: 'user',
  }),
  'letter:saveTemplate': channel({
    input: z.strictObject({ kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }), template: LetterTemplateSchema }),
    output: z.object({ template: LetterTemplateSchema, updatedAt: z.string().nullable(), updatedBy: z.string().nullable() }),
    access: ['organiser', 'lead'],
  }),
  /** Units of a campaign with what their letters would quote, and the letters made so far. */
  'letter:list': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: LetterListSchema, access: ['organiser', 'lead', 'observer'] }),
  /** The letter's content as it would be exported (optionally with an unsaved template), and the fonts it needs. */
  'letter:preview': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }),
      unitId: id('被评查单位').optional(),
      template: LetterTemplateSchema.optional(),
      date: IsoDay.optional(),
    }),
    output: z.object({ doc: GongwenDocSchema, fonts: z.array(FontStatusSchema) }),
    access: ['organiser', 'lead', 'observer'],
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
  }),
  /** Whether this PC has the fonts a 公文 names (cached; `refresh` rescans). */
  'font:check': channel({
    input: z.strictObject({ refresh: z.boolean().default(false) }),
    output: z.array(FontStatusSchema),
    access: 'user',
  }),
  'stats:campaign': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: CampaignStatisticsSchema, access: ['organiser', 'lead', 'observer'] }),
  'ledger:list': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: z.object({ rows: z.array(LedgerRowSchema), today: z.string(), unsynced: z.number().int() }),
    access: ['organiser', 'lead', 'observer'],
  }),
  /** Adds a row for every problem of every final result not yet in the ledger; marks rows whose problem is gone. */
  'ledger:sync': channel({
    input: z.strictObject({ campaignId: id('评查活动'), deadline: IsoDay.optional() }),
    output: z.object({ added: z.number().int(), updated: z.number().int(), withdrawn: z.number().int() }),
    access: ['organiser', 'lead'],
  }),
  'ledger:update': channel({
    input: z.strictObject({ rowId: id('台账条目'), patch: LedgerPatchSchema, revision: z.number().int().nonnegative() }),
    output: LedgerRowSchema,
    access: ['organiser', 'lead'],
  }),
  /** Attaches an uploaded file (staged through upload:ticket) to a row as 佐证材料. */
  'ledger:attach': channel({
    input: z.strictObject({ rowId: id('台账条目'), sourceId: id('上传的文件') }),
    output: LedgerRowSchema,
    access: ['organiser', 'lead'],
  }),
  'ledger:evidence': channel({
    input: z.strictObject({ evidenceId: id('佐证材料') }),
    output: DownloadSchema,
    access: ['organiser', 'lead', 'observer'],
  }),
  'ledger:export': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: DownloadSchema, access: ['organiser', 'lead', 'observer'] }),
  // ── keys, issuing, verification (issue 9) ─────────────────────────────────────────────────────
  /** The caller's SM2 signing key (active) and earlier keys (retired, still verifiable). */
  'key:mine': channel({ input: Empty, output: z.object({ active: KeyInfoSchema.nullable(), retired: z.array(KeyInfoSchema) }), access: 'user' }),
  /** Makes the caller's key pair; the login password seals the private key. `replace` retires the current key. */
  'key:create': channel({
    input: z.strictObject({ password: z.string().min(1, '请填写登录密码'), replace: z.boolean().default(false) }),
    output: KeyInfoSchema,
    access: ['organiser', 'lead', 'reviewer'],
  }),
  /** The self-signed identity file (public key) for other workstations' trust lists. */
  'key:exportIdentity': channel({ input: Empty, output: SigningDownloadSchema, access: ['organiser', 'lead', 'reviewer'] }),
  /** The encrypted key backup (the private key sealed under the password, never in the clear). */
  'key:exportBackup': channel({
    input: z.strictObject({ password: z.string().min(1, '请填写登录密码') }),
    output: SigningDownloadSchema,
    access: ['organiser', 'lead', 'reviewer'],
  }),
  'key:restore': channel({
    input: z.strictObject({ sourceId: id('备份文件'), backupPassword: z.string().min(1, '请填写备份时的密码'), password: z.string().min(1, '请填写当前登录密码') }),
    output: KeyInfoSchema,
    access: ['organiser', 'lead', 'reviewer'],
  }),
  'trust:list': channel({ input: Empty, output: z.array(TrustEntrySchema), access: 'user' }),
  /** Reads an uploaded identity file; the key is listed as 待确认 until an organiser accepts it. */
  'trust:import': channel({ input: z.strictObject({ sourceId: id('身份文件') }), output: TrustEntrySchema, access: ['organiser', 'lead'] }),
  'trust:accept': channel({ input: z.strictObject({ fingerprint: Sm3Hex }), output: TrustEntrySchema, access: ['organiser'] }),
  'trust:revoke': channel({
    input: z.strictObject({ fingerprint: Sm3Hex, reason: z.string().trim().min(2, '请填写撤销原因').max(200, '原因不超过 200 字') }),
    output: TrustEntrySchema,
    access: ['organiser'],
  }),
  'seal:status': channel({ input: Empty, output: SealStatusSchema, access: ['organiser', 'lead'] }),
  /** Loads the bureau's seal image (transparent PNG) for printed renditions; replaces the previous one. */
  'seal:upload': channel({ input: z.strictObject({ sourceId: id('印章图像') }), output: SealStatusSchema, access: ['organiser'] }),
  'seal:remove': channel({ input: Empty, output: SealStatusSchema, access: ['organiser'] }),
  /** The register of issued documents. */
  'register:list': channel({ input: Empty, output: z.array(RegisterEntrySchema), access: 'user' }),
  /** An issued output (its frozen bytes) or its signing manifest, for printing or a certified 签章 tool. */
  'register:download': channel({
    input: z.strictObject({ issuedId: id('签发文书'), what: z.enum(['pdf', 'docx', 'manifest', 'handoff'], { error: '请选择要下载的文件' }) }),
    output: SigningDownloadSchema,
    access: ['organiser', 'lead', 'observer'],
  }),
  /** Checks an uploaded file (every byte), optionally with the signing manifest it came with. */
  'verify:file': channel({
    input: z.strictObject({ sourceId: id('要核验的文件'), manifestSourceId: id('签名清单').optional() }),
    output: VerificationReportSchema,
    access: 'user',
  }),
  /** Who can sign (co-sign) here now: users with an active key this workstation trusts. */
  'key:holders': channel({ input: Empty, output: z.array(KeyHolderSchema), access: ['organiser', 'lead'] }),
  /** A unit's letter of one kind for issuing: the open draft/checked letter and the issued ones. */
  'letter:issueState': channel({
    input: z.strictObject({ campaignId: id('评查活动'), kind: z.enum(LETTER_KINDS, { error: '请选择文书种类' }), unitId: id('被评查单位').optional() }),
    output: LetterIssueStateSchema,
    access: ['organiser', 'lead', 'observer'],
  }),
  /**
   * 核对定稿: freezes the letter's content as it is now (draft → checked); the 文号 is kept. Only final
   * results (issue 6's settled files) can be issued: a letter quoting a provisional file is refused.
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
  }),
  /** 退回修改: checked → draft (the content follows the scores and template again). */
  'letter:reopen': channel({ input: z.strictObject({ letterId: id('文书') }), output: LetterIssueStateSchema, access: ['organiser', 'lead'] }),
  /**
   * 签发: the caller signs with their password, each co-signer with theirs; the checked content, its
   * DOCX and PDF are frozen and registered. An earlier issued letter of the unit is superseded (a
   * correction: say why).
   */
  'letter:issue': channel({
    input: z.strictObject({
      letterId: id('文书'),
      password: z.string().min(1, '请填写签发人的登录密码'),
      cosigners: z.array(z.strictObject({ userId: id('会签人'), password: z.string().min(1, '请填写会签人的登录密码') })).max(10, '会签人不超过 10 人').default([]),
      useSeal: z.boolean().default(false),
      correctionNote: z.string().trim().max(200, '更正说明不超过 200 字').optional(),
    }),
    output: LetterIssueStateSchema,
    access: ['organiser', 'lead'],
  }),
  /** Checks scanned or pasted QR text, or a typed short code. */
  'verify:text': channel({
    input: z.strictObject({ text: z.string().trim().min(1, '请粘贴二维码内容或输入核验码').max(4000, '内容过长') }),
    output: VerificationReportSchema,
    access: 'user',
  }),

  // ── scoring and reconciliation (issue 6) ──────────────────────────────────────────────────
  /** Deliver the caller's sheet; `passRemaining` first answers every unanswered item 符合 (one step, one transaction). */
  'sheet:submit': channel({
    input: z.strictObject({ sheetId: id('评查表'), revision: z.number().int().nonnegative(), passRemaining: z.boolean().default(false) }),
    output: z.object({ sheet: SheetSchema, summary: ScoreSummarySchema }),
    access: ['organiser', 'lead', 'reviewer'],
  }),
  /** The lead sends a delivered sheet back to its reviewer, with a reason (audited). */
  'sheet:reopen': channel({
    input: z.strictObject({ sheetId: id('评查表'), reason: z.string().trim().min(1, '请填写退回理由').max(1000, '理由过长') }),
    output: SheetSchema,
    access: ['organiser', 'lead'],
  }),
  /** Where one file stands: its sheets (blind where needed), divergence, route, final result. */
  'review:case': channel({ input: z.strictObject({ caseId: id('案卷') }), output: CaseReviewSchema, access: 'user' }),
  /** The review state and final grade of every file of a campaign, for the case list. */
  'review:board': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: z.array(BoardRowSchema), access: 'user' }),
  'review:rules': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: DivergenceRulesSchema, access: 'user' }),
  'review:setRules': channel({
    input: z.strictObject({ campaignId: id('评查活动'), rules: DivergenceRulesSchema }),
    output: DivergenceRulesSchema,
    access: ['organiser', 'lead'],
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
  }),
  'review:agreement': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: AgreementViewSchema, access: ['organiser', 'lead'] }),
  /** All sheets of a file side by side with the agreed answers so far. */
  'reconcile:open': channel({ input: z.strictObject({ caseId: id('案卷') }), output: ReconcileViewSchema, access: 'user' }),
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
  }),
  /** Settle the file with the agreed answers: its final score and grade. Every sheet stays as it is. */
  'reconcile:finalise': channel({
    input: z.strictObject({ caseId: id('案卷'), note: z.string().max(4000, '说明过长').default(''), revision: z.number().int().nonnegative() }),
    output: CaseReviewSchema,
    access: ['organiser', 'lead', 'reviewer'],
  }),
  /** Withdraw a file's settled result (the panel's decisions are kept as a draft), with a reason. */
  'reconcile:withdraw': channel({
    input: z.strictObject({ caseId: id('案卷'), reason: z.string().trim().min(1, '请填写撤销理由').max(1000, '理由过长') }),
    output: CaseReviewSchema,
    access: ['organiser', 'lead'],
  }),

  // ── import (issue 4) ───────────────────────────────────────────────────────────────────────
  'unit:list': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: z.array(UnitViewSchema),
    access: 'user',
  }),
  /** Creates a unit (no unitId) or edits one; names are unique within a campaign. */
  'unit:save': channel({ input: UnitSaveSchema, output: UnitViewSchema, access: ['organiser', 'lead'] }),
  /** What merging one unit into another would move (cases, declared conflicts, drawn files, letters, ledger rows). */
  'unit:mergePreview': channel({ input: UnitMergeInputSchema, output: UnitMergePreviewSchema, access: ['organiser'] }),
  /** Merges a unit into another of the same campaign (audited); the merged name is remembered as an alias. */
  'unit:merge': channel({ input: UnitMergeInputSchema, output: UnitViewSchema, access: ['organiser'] }),
  /** Reads an uploaded 案件清单 (.xlsx/.csv): sheets, header row, first rows, and the guessed or saved mapping. */
  'import:readList': channel({ input: ReadListInputSchema, output: ListLayoutSchema, access: ['organiser', 'lead'] }),
  /** What an import would do: list rows normalised, files listed (zips opened), files matched to cases. Writes nothing. */
  'import:preview': channel({ input: ImportRequestSchema, output: ImportPreviewSchema, access: ['organiser', 'lead'] }),
  /** Starts the import as a job; progress arrives as `job:progress`, the outcome through `import:result`. */
  'import:start': channel({
    input: ImportStartSchema,
    output: z.object({ jobId: z.string(), batchId: z.string() }),
    access: ['organiser', 'lead'],
  }),
  /** Import records name every file of a campaign: for those who see all files (reviewers see only theirs). */
  'import:result': channel({ input: z.strictObject({ batchId: id('导入记录') }), output: ImportSummarySchema, access: SEE_ALL_ROLES }),
  'import:batches': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: z.array(ImportSummarySchema.omit({ items: true })),
    access: SEE_ALL_ROLES,
  }),
  /** The summary of an import (imported / duplicates / rejected with reasons) as XLSX. */
  'import:exportSummary': channel({
    input: z.strictObject({ batchId: id('导入记录') }),
    output: z.object({ fileName: z.string(), url: ByteUrl, bytes: z.number().int() }),
    access: SEE_ALL_ROLES,
  }),
  /** Drops uploads the user will not import after all (the wizard was closed). */
  'import:discard': channel({
    input: z.strictObject({ sourceIds: z.array(z.string().max(100)).max(50_000) }),
    output: Ok,
    access: ['organiser', 'lead'],
  }),
  'job:get': channel({ input: z.strictObject({ jobId: id('任务') }), output: JobViewSchema, access: 'user' }),
  'job:cancel': channel({ input: z.strictObject({ jobId: id('任务') }), output: JobViewSchema, access: 'user' }),
  // ── reader and annotations (issue 5) ──────────────────────────────────────────────────────
  /** Every live annotation on any file of a case (the dossier's annotation list and evidence links). */
  'annotation:listCase': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: z.array(AnnotationSchema),
    access: 'user',
  }),
  /** Renames a file of the dossier (立案审批表, 询问笔录 …); the stored bytes are untouched. */
  'document:rename': channel({
    input: z.strictObject({ documentId: id('文件'), title: z.string().trim().min(1, '请填写文件名称').max(200, '文件名称过长') }),
    output: DocumentSchema,
    access: ['organiser', 'lead', 'reviewer'],
  }),
  /** Re-hashes the stored file against the sha256 recorded at import (a moved or altered file is flagged). */
  'document:verify': channel({
    input: z.strictObject({ documentId: id('文件') }),
    output: DocumentIntegritySchema,
    access: 'user',
  }),
  /** Searches the stored page text of a campaign's files (or of one case). */
  'search:pages': channel({
    input: z.strictObject(SearchPagesInputSchema.shape),
    output: SearchPagesResultSchema,
    access: 'user',
  }),
  /** A copy of the PDF with the annotations as standard PDF annotations (with appearance streams). */
  'export:annotatedPdf': channel({
    input: z.strictObject({ documentId: id('文件') }),
    output: DownloadSchema,
    access: 'user',
  }),
  /** The case's annotation list as XLSX (批注清单). */
  'export:annotationList': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: DownloadSchema,
    access: 'user',
  }),
  // ── work packages (issue 10) ──────────────────────────────────────────────────────────────
  // Exports and imports run as jobs (`job:progress`, `job:cancel`); `package:jobResult` gives the
  // download or the import's outcome (or the refusal) when the job is over. Every package is signed
  // with its author's key (issue 9), opened by `password` before the job starts.
  /** The work package of one reviewer: their assigned files, the frozen standards, the marks they may see. */
  'package:exportOut': channel({
    input: z.strictObject({ campaignId: id('评查活动'), reviewerId: id('评查人员'), password: KeyPassword }),
    output: JobStarted,
    access: ['organiser', 'lead'],
  }),
  /** On the reviewer's laptop: their sheets, marks and audit trail since the work package. */
  'package:exportReturn': channel({
    input: z.strictObject({ campaignId: id('评查活动'), password: KeyPassword }),
    output: JobStarted,
    access: ['organiser', 'lead', 'reviewer'],
  }),
  /** A whole campaign, to another bureau (transfer) or up to the organiser (report, read-only there). */
  'package:exportCampaign': channel({
    input: z.strictObject({ campaignId: id('评查活动'), purpose: z.enum(CAMPAIGN_PURPOSES, { error: '请选择用途' }), password: KeyPassword }),
    output: JobStarted,
    access: ['organiser', 'lead'],
  }),
  /**
   * Imports an uploaded package, all or nothing; `dryRun` checks it and says what it would do.
   * `trustSigner`: the signer's key fingerprint, confirmed by the person after comparing it with the holder.
   */
  'package:import': channel({
    input: z.strictObject({ sourceId: id('上传文件'), dryRun: z.boolean().default(false), reviewerPassword: PasswordSchema.optional(), trustSigner: Sm3Hex.optional() }),
    output: JobStarted,
    access: ['organiser', 'lead'],
  }),
  /** The outcome of a finished package job (its refusal is this call's error). */
  'package:jobResult': channel({ input: z.strictObject({ jobId: id('任务') }), output: PackageJobResultSchema, access: ['organiser', 'lead', 'reviewer'] }),
  'package:overview': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: PackageOverviewSchema, access: ['organiser', 'lead', 'reviewer'] }),
  /** Sheets changed both here and on a reviewer's laptop, side by side. */
  'package:conflicts': channel({ input: z.strictObject({ campaignId: id('评查活动') }), output: z.array(PackageConflictSchema), access: ['organiser', 'lead'] }),
  /** A person keeps this workstation's sheet or takes the reviewer's (audited). */
  'package:resolve': channel({
    input: z.strictObject({ conflictId: id('冲突记录'), choice: z.enum(['local', 'incoming'], { error: '请选择保留哪一方' }) }),
    output: PackageConflictSchema,
    access: ['organiser', 'lead'],
  }),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export const CHANNELS = Object.keys(contract) as Channel[];
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

// ── events pushed from the back end ──────────────────────────────────────────────────────────
// Events say THAT something changed, never carry another person's data: a window that cares asks
// again through a channel, where access rules apply.

export const events = {
  'data:changed': z.object({
    entity: z.enum(['campaign', 'case', 'document', 'annotation', 'sheet', 'standard', 'user', 'letter', 'ledger']),
    id: z.string().optional(),
    campaignId: z.string().optional(),
  }),
  'job:progress': z.object({
    jobId: z.string(),
    kind: z.string(),
    done: z.number(),
    total: z.number(),
    message: z.string(),
    finished: z.boolean(),
    // Added by issue 4 (job runner): what a progress bar shows besides done/total.
    status: z.enum(['running', 'done', 'cancelled', 'failed']).optional(),
    pages: z.number().optional(),
    bytesDone: z.number().optional(),
    bytesTotal: z.number().optional(),
    etaSeconds: z.number().nullable().optional(),
  }),
  // ── issue 7 ──
  /** The meeting agenda of a campaign moved or changed: following windows ask `meeting:view` again. */
  'meeting:changed': z.object({ campaignId: z.string(), revision: z.number().int() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
