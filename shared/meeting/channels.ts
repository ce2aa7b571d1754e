/** The meeting channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { MeetingStateSchema, ProjectionSchema } from '../panel/panel.js';
import { channel, id } from '../contract/channel.js';

export const meetingChannels = {
  'meeting:get': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: MeetingStateSchema,
    access: 'user',
    scope: 'campaign',
    writes: 'none',
  }),
  'meeting:setAgenda': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      caseIds: z.array(z.string().min(1).max(100)).max(300, '议程最多 300 项'),
      revision: z.number().int().nonnegative(),
    }),
    output: MeetingStateSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
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
    scope: 'campaign',
    writes: 'structure',
  }),
  /** The page the projector shows (the evidence in question). */
  'meeting:focus': channel({
    input: z.strictObject({
      campaignId: id('评查活动'),
      documentId: id('文件'),
      page: z.number().int().min(1, '页码从 1 开始'),
      revision: z.number().int().nonnegative(),
    }),
    output: MeetingStateSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
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
    scope: 'campaign',
    writes: 'structure',
  }),
  /** What this window shows for the current agenda item (details withheld from conflicted members). */
  'meeting:view': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: ProjectionSchema,
    access: 'user',
    scope: 'campaign',
    writes: 'none',
  }),
} as const;
