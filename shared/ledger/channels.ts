/** The ledger channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import {
  LedgerEntrySchema,
  LedgerFilterSchema,
  LedgerPageInputSchema,
  LedgerPageSchema,
  LedgerPatchSchema,
  LedgerRowSchema,
} from './ledger.js';
import { DownloadSchema } from '../letters/api.js';
import { channel, id, IsoDay } from '../contract/channel.js';

export const ledgerChannels = {
  /** One page of the ledger, filtered and sorted in SQL, with the counts beside each filter choice. */
  'ledger:list': channel({
    input: LedgerPageInputSchema,
    output: LedgerPageSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** Adds a row for every problem of every final result not yet in the ledger; marks rows whose problem is gone. */
  'ledger:sync': channel({
    input: z.strictObject({ campaignId: id('评查活动'), deadline: IsoDay.optional() }),
    output: z.object({ added: z.number().int(), updated: z.number().int(), withdrawn: z.number().int() }),
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /** Adds a problem found outside the review (专项整治, 法治督察, complaints); a past deadline needs `confirmPastDeadline`. */
  'ledger:add': channel({
    input: z.strictObject({ campaignId: id('评查活动'), entry: LedgerEntrySchema, confirmPastDeadline: z.boolean().default(false) }),
    output: LedgerRowSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  'ledger:update': channel({
    input: z.strictObject({ rowId: id('台账条目'), patch: LedgerPatchSchema, revision: z.number().int().nonnegative() }),
    output: LedgerRowSchema,
    access: ['organiser', 'lead'],
    scope: 'ledgerRow',
    writes: 'structure',
  }),
  /** Attaches an uploaded file (staged through upload:ticket) to a row as 佐证材料. */
  'ledger:attach': channel({
    input: z.strictObject({ rowId: id('台账条目'), sourceId: id('上传的文件') }),
    output: LedgerRowSchema,
    access: ['organiser', 'lead'],
    scope: 'ledgerRow',
    writes: 'structure',
  }),
  'ledger:evidence': channel({
    input: z.strictObject({ evidenceId: id('佐证材料') }),
    output: DownloadSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'ledgerEvidence',
    writes: 'none',
  }),
  /** The whole ledger under the filter (every page), in the bureau's columns. */
  'ledger:export': channel({
    input: z.strictObject({ campaignId: id('评查活动'), filter: LedgerFilterSchema.default({}) }),
    output: DownloadSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
} as const;
