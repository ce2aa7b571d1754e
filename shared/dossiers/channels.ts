/** The dossiers channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { CaseDetailSchema, CaseSchema, DocumentSchema, ImportSingleSchema } from './dossier.js';
import { DocumentIntegritySchema, SearchPagesInputSchema, SearchPagesResultSchema } from './reader.js';
import { ScoreSummarySchema } from '../scoring/sheet.js';
import { channel, id, ByteUrl } from '../contract/channel.js';
import { CasePageInputSchema, CasePageSchema } from './case-page.js';

export const dossiersChannels = {
  'case:list': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: z.array(CaseSchema.extend({ myScore: ScoreSummarySchema.nullable() })),
    access: 'user',
    scope: 'campaign',
    writes: 'none',
  }),
  /** One page of the case list, filtered and sorted (a reviewer's pages hold only their own files). */
  'case:page': channel({ input: CasePageInputSchema, output: CasePageSchema, access: 'user', scope: 'campaign', writes: 'none' }),
  'case:get': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: CaseDetailSchema,
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
  'dossier:importSingle': channel({
    input: z.strictObject(ImportSingleSchema.shape),
    output: CaseDetailSchema,
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'structure',
  }),
  'document:open': channel({
    input: z.strictObject({ documentId: id('文件') }),
    output: z.object({ document: DocumentSchema, url: ByteUrl }),
    access: 'user',
    scope: 'document',
    writes: 'none',
  }),
  /** Renames a file of the dossier (立案审批表, 询问笔录 …); the stored bytes are untouched. */
  'document:rename': channel({
    input: z.strictObject({ documentId: id('文件'), title: z.string().trim().min(1, '请填写文件名称').max(200, '文件名称过长') }),
    output: DocumentSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'document',
    writes: 'structure',
  }),
  /** Re-hashes the stored file against the sha256 recorded at import (a moved or altered file is flagged). */
  'document:verify': channel({
    input: z.strictObject({ documentId: id('文件') }),
    output: DocumentIntegritySchema,
    access: 'user',
    scope: 'document',
    writes: 'none',
  }),
  /** Searches the stored page text of a campaign's files (or of one case). */
  'search:pages': channel({
    input: z.strictObject(SearchPagesInputSchema.shape),
    output: SearchPagesResultSchema,
    access: 'user',
    scope: 'campaignOrFile',
    writes: 'none',
  }),
} as const;
