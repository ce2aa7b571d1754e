/** The standards channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { CampaignDetailSchema } from '../campaigns/campaign.js';
import { CASE_TYPES } from '../campaigns/case-types.js';
import { StandardDefinitionSchema } from './model.js';
import { channel, Empty, id, ByteUrl } from '../contract/channel.js';
import { StandardSummarySchema, StandardSavedSchema } from './schemas.js';

export const standardsChannels = {
  'standard:list': channel({ input: Empty, output: z.array(StandardSummarySchema), access: 'user', scope: 'none', writes: 'none' }),
  'standard:get': channel({
    input: z.strictObject({ versionId: id('评查标准') }),
    output: z.object({ summary: StandardSummarySchema, definition: StandardDefinitionSchema }),
    access: 'user',
    scope: 'none',
    writes: 'none',
  }),
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
    scope: 'none',
    writes: 'workstation',
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
    scope: 'none',
    writes: 'workstation',
  }),
  /** A retired version stays for the scores that use it but is no longer offered to campaigns. */
  'standard:retire': channel({
    input: z.strictObject({ versionId: id('评查标准'), retired: z.boolean() }),
    output: StandardSummarySchema,
    access: ['organiser', 'lead'],
    scope: 'none',
    writes: 'workstation',
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
    scope: 'none',
    writes: 'workstation',
  }),
  'standard:export': channel({
    input: z.strictObject({ versionId: id('评查标准'), format: z.enum(['json', 'xlsx'], '格式只能是 json 或 xlsx') }),
    output: z.object({ fileName: z.string(), url: ByteUrl, bytes: z.number().int() }),
    access: 'user',
    scope: 'none',
    writes: 'none',
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
    scope: 'campaign',
    writes: 'structure',
  }),
} as const;
