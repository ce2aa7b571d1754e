/** The annotations channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { AnnotationInputSchema, AnnotationSchema } from './annotation.js';
import { DownloadSchema } from '../letters/api.js';
import { channel, id } from '../contract/channel.js';

export const annotationsChannels = {
  'annotation:list': channel({
    input: z.strictObject({ documentId: id('文件') }),
    output: z.array(AnnotationSchema),
    access: 'user',
    scope: 'document',
    writes: 'none',
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
    scope: 'document',
    writes: 'scoring',
  }),
  /** Whether the caller may mark the files of a case, and why not (the reader's tools say it). */
  'annotation:access': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: z.object({ refusal: z.string().nullable() }),
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
  /** Every live annotation on any file of a case (the dossier's annotation list and evidence links). */
  'annotation:listCase': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: z.array(AnnotationSchema),
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
  /** A copy of the PDF with the annotations as standard PDF annotations (with appearance streams). */
  'export:annotatedPdf': channel({
    input: z.strictObject({ documentId: id('文件') }),
    output: DownloadSchema,
    access: 'user',
    scope: 'document',
    writes: 'none',
  }),
  /** The case's annotation list as XLSX (批注清单). */
  'export:annotationList': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: DownloadSchema,
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
} as const;
