/** Backup and restore of the whole workspace (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { channel, Empty, JobStarted } from '../contract/channel.js';
import { BackupInspectionSchema, BackupOutcomeSchema, BackupSummarySchema } from './manifest.js';

/** A folder on this PC (a USB stick's drive or mount), typed or pasted by the organiser. */
const Folder = z.string().trim().min(1, '请填写文件夹路径').max(1000, '文件夹路径过长');

export const backupChannels = {
  /** Where the data lives, and a restore waiting for the next start. */
  'backup:status': channel({
    input: Empty,
    output: z.object({
      dataFolder: z.string(),
      pendingRestore: BackupSummarySchema.nullable(),
      /** Folders backed up to before (newest first) and the suggested place, so nobody types a path. */
      recentFolders: z.array(z.string()),
      defaultFolder: z.string(),
    }),
    access: ['organiser'],
    scope: 'none',
    writes: 'none',
  }),
  /** Writes a backup into the folder as a job (`job:progress`, `job:cancel`); the outcome through `backup:result`. */
  'backup:start': channel({
    input: z.strictObject({ folder: Folder }),
    output: JobStarted,
    access: ['organiser'],
    scope: 'none',
    writes: 'none',
  }),
  'backup:result': channel({
    input: z.strictObject({ jobId: z.string().min(1).max(100) }),
    output: BackupOutcomeSchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'none',
  }),
  /**
   * Reads a backup folder's manifest and what it holds (date, campaigns, size), before the organiser
   * is asked to replace this workstation's data with it; a folder that is no backup is refused here.
   */
  'backup:inspect': channel({
    input: z.strictObject({ folder: Folder }),
    output: BackupInspectionSchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'none',
  }),
  /**
   * Checks every file of a backup against its manifest and copies it beside the data folder (a job);
   * it replaces the workstation's data at the next start, the old data kept in a dated folder.
   */
  'backup:restore': channel({
    input: z.strictObject({ folder: Folder, replaceExisting: z.literal(true, '恢复会替换本工作站的现有数据，请先确认') }),
    output: JobStarted,
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
  /** The restore prepared by a finished job (it takes effect at the next start). */
  'backup:restored': channel({
    input: z.strictObject({ jobId: z.string().min(1).max(100) }),
    output: BackupSummarySchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'none',
  }),
  /** Drops a restore that waits for the next start. */
  'backup:discardRestore': channel({
    input: Empty,
    output: z.object({ ok: z.literal(true) }),
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
} as const;
