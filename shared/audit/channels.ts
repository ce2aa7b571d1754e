/** The 留痕 (audit trail) channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { DownloadSchema } from '../letters/api.js';
import { channel, Empty, IsoDay } from '../contract/channel.js';

export const AuditFilterSchema = z.strictObject({
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  campaignId: z.string().max(100).optional(),
  /** A file, case, document or any other record the row is about (its id). */
  entityId: z.string().max(100).optional(),
  from: IsoDay.optional(),
  to: IsoDay.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditRowSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  segment: z.string(),
  /** Who did what to which record, by name, in one Chinese sentence (describeAudit). */
  sentence: z.string(),
  /** The recorded details as 「标签：值」 lines; changes as 「标签：旧 → 新」. */
  details: z.array(z.string()),
});
export type AuditRow = z.infer<typeof AuditRowSchema>;

export const AuditCheckSchema = z.object({
  intact: z.boolean(),
  rows: z.number().int(),
  segments: z.number().int(),
  protectedByTriggers: z.boolean(),
  firstBreak: z
    .object({
      id: z.number().int(),
      at: z.string(),
      segment: z.string(),
      kind: z.enum(['content_changed', 'link_broken', 'unhashed']),
      message: z.string(),
    })
    .nullable(),
});
export type AuditCheckView = z.infer<typeof AuditCheckSchema>;

export const AUDIT_PAGE_MAX = 200;

/** Where a page ends: the time and id of its last (oldest) row; the next page starts below it. */
export const AuditCursorSchema = z.strictObject({ at: z.string().max(40), id: z.number().int().positive() });
export type AuditCursor = z.infer<typeof AuditCursorSchema>;

export const auditChannels = {
  /** Newest first (by time, then id), a page at a time: `before` is where the previous page ended. */
  'audit:list': channel({
    input: AuditFilterSchema.extend({
      before: AuditCursorSchema.optional(),
      limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).optional(),
    }),
    output: z.object({ rows: z.array(AuditRowSchema), nextBefore: AuditCursorSchema.nullable() }),
    access: ['organiser'],
    scope: 'none',
    writes: 'none',
  }),
  /** Who and which campaigns the filters can name. */
  'audit:filters': channel({
    input: Empty,
    output: z.object({
      actors: z.array(z.object({ id: z.string(), name: z.string() })),
      campaigns: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
    access: ['organiser'],
    scope: 'none',
    writes: 'none',
  }),
  'audit:verify': channel({ input: Empty, output: AuditCheckSchema, access: ['organiser'], scope: 'none', writes: 'none' }),
  'audit:export': channel({ input: AuditFilterSchema, output: DownloadSchema, access: ['organiser'], scope: 'none', writes: 'none' }),
} as const;
