/**
 * A workspace backup on a folder (USB stick): the database as one consistent SQLite copy, every stored
 * file it refers to, every export it lists, and a manifest written last with the SM3 digest and size
 * of each — so a backup is either complete and provably intact or refused, never half trusted.
 */
import { z } from 'zod';

export const BACKUP_FORMAT = 'pingcha-backup/1';
export const BACKUP_MANIFEST = 'pingcha-backup.json';
export const BACKUP_DATABASE = 'pingcha.db';

/** What a backup may hold, by path (forward slashes): anything else in a manifest is refused. */
export const BACKUP_PATH_RE =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a path may not hold
  /^(?:pingcha\.db|files\/[0-9a-f]{2}\/[0-9a-f]{64}|exports\/(?!.*(?:^|\/)\.\.?(?:\/|$))[^\\:*?"<>|\u0000-\u001f]{1,400})$/u;

export const BackupEntrySchema = z.object({
  path: z.string().regex(BACKUP_PATH_RE),
  size: z.number().int().nonnegative(),
  sm3: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BackupEntry = z.infer<typeof BackupEntrySchema>;

export const BackupManifestBodySchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  appVersion: z.string().max(50),
  schemaVersion: z.number().int().positive(),
  createdAt: z.string().max(40),
  /** The data folder backed up (for the person reading the manifest; never used to write). */
  sourceFolder: z.string().max(1000),
  counts: z.object({
    blobs: z.number().int().nonnegative(),
    exports: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
  }),
  entries: z.array(BackupEntrySchema).max(2_000_000),
});
export type BackupManifestBody = z.infer<typeof BackupManifestBodySchema>;

/** The manifest on disk: its body and the SM3 of the body's canonical JSON, so a changed manifest shows. */
export const BackupManifestSchema = BackupManifestBodySchema.extend({ manifestSm3: z.string().regex(/^[0-9a-f]{64}$/) });
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

/** The text the manifest digest is taken over: the body's fields in a fixed order. */
export function canonicalBody(body: BackupManifestBody): string {
  return JSON.stringify([
    body.format,
    body.appVersion,
    body.schemaVersion,
    body.createdAt,
    body.sourceFolder,
    [body.counts.blobs, body.counts.exports, body.counts.bytes],
    body.entries.map((e) => [e.path, e.size, e.sm3]),
  ]);
}

export const BackupOutcomeSchema = z.object({
  folder: z.string(),
  createdAt: z.string(),
  files: z.number().int(),
  blobsCopied: z.number().int(),
  blobsKept: z.number().int(),
  bytes: z.number().int(),
});
export type BackupOutcome = z.infer<typeof BackupOutcomeSchema>;

export const BackupSummarySchema = z.object({
  folder: z.string(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  sourceFolder: z.string(),
  blobs: z.number().int(),
  exports: z.number().int(),
  bytes: z.number().int(),
});
export type BackupSummary = z.infer<typeof BackupSummarySchema>;

/** What a backup folder holds, read before anyone is asked to replace their data with it. */
export const BackupInspectionSchema = BackupSummarySchema.extend({
  /** The campaigns in the backup's database, by name. */
  campaigns: z.array(z.string()),
});
export type BackupInspection = z.infer<typeof BackupInspectionSchema>;
