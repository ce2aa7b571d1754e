/** The packages channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { PasswordSchema } from '../people/user.js';
import { Sm3Hex } from '../signing/identity.js';
import { PackageConflictSchema, PackageJobResultSchema, PackageOverviewSchema } from './api.js';
import { CAMPAIGN_PURPOSES } from './format.js';
import { channel, id, KeyPassword, JobStarted } from '../contract/channel.js';

export const packagesChannels = {
  /** The work package of one reviewer: their assigned files, the frozen standards, the marks they may see. */
  'package:exportOut': channel({
    input: z.strictObject({ campaignId: id('评查活动'), reviewerId: id('评查人员'), password: KeyPassword }),
    output: JobStarted,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /** On the reviewer's laptop: their sheets, marks and audit trail since the work package. */
  'package:exportReturn': channel({
    input: z.strictObject({ campaignId: id('评查活动'), password: KeyPassword }),
    output: JobStarted,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** A whole campaign, to another bureau (transfer) or up to the organiser (report, read-only there). */
  'package:exportCampaign': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      purpose: z.enum(CAMPAIGN_PURPOSES, { error: '请选择用途' }),
      password: KeyPassword,
    }),
    output: JobStarted,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /**
   * Imports an uploaded package, all or nothing; `dryRun` checks it and says what it would do.
   * `trustSigner`: the signer's key fingerprint, confirmed by the person after comparing it with the holder.
   */
  'package:import': channel({
    input: z.strictObject({
      sourceId: id('上传文件'),
      dryRun: z.boolean().default(false),
      reviewerPassword: PasswordSchema.optional(),
      trustSigner: Sm3Hex.optional(),
    }),
    output: JobStarted,
    access: ['organiser', 'lead'],
    scope: 'none',
    writes: 'workstation',
  }),
  /** The outcome of a finished package job (its refusal is this call's error). */
  'package:jobResult': channel({
    input: z.strictObject({ jobId: id('任务') }),
    output: PackageJobResultSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'none',
    writes: 'none',
  }),
  'package:overview': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: PackageOverviewSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** Sheets changed both here and on a reviewer's laptop, side by side. */
  'package:conflicts': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: z.array(PackageConflictSchema),
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** A person keeps this workstation's sheet or takes the reviewer's (audited). */
  'package:resolve': channel({
    input: z.strictObject({ conflictId: id('冲突记录'), choice: z.enum(['local', 'incoming'], { error: '请选择保留哪一方' }) }),
    output: PackageConflictSchema,
    access: ['organiser', 'lead'],
    scope: 'packageConflict',
    writes: 'structure',
  }),
} as const;
