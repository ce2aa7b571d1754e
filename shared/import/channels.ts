/** The import channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { SEE_ALL_ROLES } from '../panel/panel.js';
import {
  CaseSourceSchema,
  ImportPreviewSchema,
  ImportRequestSchema,
  ImportStartSchema,
  ImportSummarySchema,
  ListLayoutSchema,
  ReadListInputSchema,
} from './api.js';
import { channel, Ok, id, ByteUrl } from '../contract/channel.js';

export const importChannels = {
  /** Reads an uploaded 案件清单 (.xlsx/.csv): sheets, header row, first rows, and the guessed or saved mapping. */
  'import:readList': channel({
    input: ReadListInputSchema,
    output: ListLayoutSchema,
    access: ['organiser', 'lead'],
    scope: 'none',
    writes: 'none',
  }),
  /** What an import would do: list rows normalised, files listed (zips opened), files matched to cases. Writes nothing. */
  'import:preview': channel({
    input: ImportRequestSchema,
    output: ImportPreviewSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** Starts the import as a job; progress arrives as `job:progress`, the outcome through `import:result`. */
  'import:start': channel({
    input: ImportStartSchema,
    output: z.object({ jobId: z.string(), batchId: z.string() }),
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  /** Import records name every file of a campaign: for those who see all files (reviewers see only theirs). */
  'import:result': channel({
    input: z.strictObject({ batchId: id('导入记录') }),
    output: ImportSummarySchema,
    access: SEE_ALL_ROLES,
    scope: 'importBatch',
    writes: 'none',
  }),
  'import:batches': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: z.array(ImportSummarySchema.omit({ items: true })),
    access: SEE_ALL_ROLES,
    scope: 'campaign',
    writes: 'none',
  }),
  /** The summary of an import (imported / duplicates / rejected with reasons) as XLSX. */
  'import:exportSummary': channel({
    input: z.strictObject({ batchId: id('导入记录') }),
    output: z.object({ fileName: z.string(), url: ByteUrl, bytes: z.number().int() }),
    access: SEE_ALL_ROLES,
    scope: 'importBatch',
    writes: 'none',
  }),
  /** The 案件清单 row a case came from (file, row, cells as written), or null for a case without a list. */
  'import:caseSource': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: CaseSourceSchema.nullable(),
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
  /** Drops uploads the user will not import after all (the wizard was closed). */
  'import:discard': channel({
    input: z.strictObject({ sourceIds: z.array(z.string().max(100)).max(50_000) }),
    output: Ok,
    access: ['organiser', 'lead'],
    scope: 'none',
    writes: 'none',
  }),
} as const;
