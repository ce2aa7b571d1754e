/** The core channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { JobViewSchema } from '../import/api.js';
import { channel, Empty, id, ByteUrl } from '../contract/channel.js';

export const coreChannels = {
  'app:info': channel({
    input: Empty,
    output: z.object({ appName: z.string(), appVersion: z.string(), schemaVersion: z.number().int() }),
    access: 'public',
    scope: 'none',
    writes: 'none',
  }),
  /** A one-use URL the UI PUTs a file's bytes to; the response names the staged source. */
  'upload:ticket': channel({
    input: Empty,
    output: z.object({ url: ByteUrl, maxBytes: z.number().int() }),
    access: ['organiser', 'lead'],
    scope: 'none',
    writes: 'none',
  }),
  'job:get': channel({
    input: z.strictObject({ jobId: id('任务') }),
    output: JobViewSchema,
    access: 'user',
    scope: 'none',
    writes: 'none',
  }),
  'job:cancel': channel({
    input: z.strictObject({ jobId: id('任务') }),
    output: JobViewSchema,
    access: 'user',
    scope: 'none',
    writes: 'none',
  }),
} as const;
