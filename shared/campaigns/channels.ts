/** The campaigns channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { CampaignCreateSchema, CampaignDetailSchema, CampaignSchema } from './campaign.js';
import { UnitMergeInputSchema, UnitMergePreviewSchema, UnitSaveSchema, UnitViewSchema } from '../import/api.js';
import { channel, Empty, id } from '../contract/channel.js';

export const campaignsChannels = {
  'campaign:list': channel({ input: Empty, output: z.array(CampaignSchema), access: 'user', scope: 'none', writes: 'none' }),
  'campaign:create': channel({
    input: z.strictObject(CampaignCreateSchema.shape),
    output: CampaignDetailSchema,
    access: ['organiser', 'lead'],
    scope: 'none',
    writes: 'workstation',
  }),
  'campaign:get': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: CampaignDetailSchema,
    access: 'user',
    scope: 'campaign',
    writes: 'none',
  }),
  'unit:list': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: z.array(UnitViewSchema),
    access: 'user',
    scope: 'campaign',
    writes: 'none',
  }),
  /** Creates a unit (no unitId) or edits one; names are unique within a campaign. */
  'unit:save': channel({
    input: UnitSaveSchema,
    output: UnitViewSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /** What merging one unit into another would move (cases, declared conflicts, drawn files, letters, ledger rows). */
  'unit:mergePreview': channel({
    input: UnitMergeInputSchema,
    output: UnitMergePreviewSchema,
    access: ['organiser'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** Merges a unit into another of the same campaign (audited); the merged name is remembered as an alias. */
  'unit:merge': channel({
    input: UnitMergeInputSchema,
    output: UnitViewSchema,
    access: ['organiser'],
    scope: 'campaign',
    writes: 'structure',
  }),
} as const;
