/** The scoring channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { ScoreSummarySchema, SheetAnswerInputSchema, SheetSchema } from './sheet.js';
import { CampaignStatisticsSchema } from '../letters/api.js';
import { channel, id, ByteUrl } from '../contract/channel.js';
import { SheetViewSchema, StartedSheetViewSchema } from './schemas.js';

export const scoringChannels = {
  /** The caller's own sheet for a file, if they have one; reading never creates it. */
  'sheet:open': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: SheetViewSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'case',
    writes: 'none',
  }),
  /** Starts the caller's sheet (their first answer): only someone assigned to the file; others get `forbidden` (`details.reason: 'not_assigned'`). */
  'sheet:start': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: StartedSheetViewSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'case',
    writes: 'scoring',
  }),
  'sheet:answer': channel({
    input: z.strictObject(SheetAnswerInputSchema.shape),
    output: z.object({ revision: z.number().int(), summary: ScoreSummarySchema }),
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'sheet',
    writes: 'scoring',
  }),
  /** The filled 案卷评查表 of the caller's sheet as DOCX. */
  'export:caseSheet': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: z.object({ fileName: z.string(), url: ByteUrl, bytes: z.number().int() }),
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
  'stats:campaign': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: CampaignStatisticsSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /**
   * Deliver the caller's sheet; refused (`reason_required`) while a deduction or veto has no reason.
   * `passRemaining` first answers the unanswered plain items 符合 (one step, one transaction); it never
   * answers a veto item or an item that may be 不适用, and refuses (`decision_required`) while any is open.
   */
  'sheet:submit': channel({
    input: z.strictObject({ sheetId: id('评查表'), revision: z.number().int().nonnegative(), passRemaining: z.boolean().default(false) }),
    output: z.object({ sheet: SheetSchema, summary: ScoreSummarySchema }),
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'sheet',
    writes: 'scoring',
  }),
  /** The lead sends a delivered sheet back to its reviewer, with a reason (audited). */
  'sheet:reopen': channel({
    input: z.strictObject({ sheetId: id('评查表'), reason: z.string().trim().min(1, '请填写退回理由').max(1000, '理由过长') }),
    output: SheetSchema,
    access: ['organiser', 'lead'],
    scope: 'sheet',
    writes: 'structure',
  }),
} as const;
