/**
 * The organiser's backup and restore, as jobs with progress and cancel. A backup may run while people
 * work (SQLite's online backup). A restore never swaps the database under a running workstation: it
 * checks and copies the backup beside the data folder, and the next start puts it in place, keeping
 * the data it replaces in a dated folder (see backup-files.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackupOutcome, BackupSummary } from '../../../shared/backup/manifest.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import { requireActor, type Actor, type CallContext } from '../core/context.js';
import type { DataLayout } from '../core/data-dir.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { JobRunner } from '../core/jobs.js';
import { backupRepo } from './repo.js';
import { inspectBackup, pendingRestore, pendingRestoreDir, prepareRestore, writeBackup } from './backup-files.js';

export class BackupService {
  private readonly outcomes = new Map<string, { owner: string; backup?: BackupOutcome; restore?: BackupSummary }>();

  constructor(
    private readonly db: Db,
    private readonly layout: DataLayout,
    private readonly jobs: JobRunner,
    private readonly appVersion: string,
  ) {}

  private startBackup(folder: string, actor: Actor): { jobId: string } {
    const job = this.jobs.start({
      kind: 'backup',
      owner: actor,
      exclusiveKey: 'workspace-backup',
      initial: { message: '正在准备备份…' },
      run: async (control) => {
        const outcome = await writeBackup(this.db, this.layout, folder, {
          appVersion: this.appVersion,
          signal: control.signal,
          report: (p) => control.report(p),
        });
        this.outcomes.set(job.jobId, { owner: actor.id, backup: outcome });
        tx(this.db, () =>
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'workspace.backup',
            entity: 'workspace',
            after: { folder: outcome.folder, files: outcome.files, blobsCopied: outcome.blobsCopied },
          }),
        );
      },
    });
    return { jobId: job.jobId };
  }

  private startRestore(folder: string, actor: Actor): { jobId: string } {
    const job = this.jobs.start({
      // One key for both: a restore prepared while a backup is written (or two at once) could mix them.
      kind: 'restore',
      owner: actor,
      exclusiveKey: 'workspace-backup',
      initial: { message: '正在核对备份…' },
      run: async (control) => {
        const summary = await prepareRestore(folder, pendingRestoreDir(this.layout.root), {
          preparedBy: actor.displayName,
          signal: control.signal,
          report: (p) => control.report(p),
        });
        this.outcomes.set(job.jobId, { owner: actor.id, restore: summary });
        tx(this.db, () =>
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'workspace.restore_prepared',
            entity: 'workspace',
            after: { folder: summary.folder, createdAt: summary.createdAt },
          }),
        );
      },
    });
    return { jobId: job.jobId };
  }

  /** Folders this workstation wrote backups to, newest first, that are still there. */
  private recentFolders(): string[] {
    return backupRepo(this.db)
      .backupFolders()
      .filter((f): f is string => !!f && fs.existsSync(f));
  }

  private outcome(jobId: string, actor: Actor) {
    const found = this.outcomes.get(jobId);
    if (!found || found.owner !== actor.id) throw new AppError('not_found', '没有这项任务的结果：任务不存在、尚未完成或未成功。');
    return found;
  }

  handlers(): Pick<
    Handlers,
    'backup:status' | 'backup:start' | 'backup:result' | 'backup:inspect' | 'backup:restore' | 'backup:restored' | 'backup:discardRestore'
  > {
    return {
      'backup:status': () => ({
        dataFolder: this.layout.root,
        pendingRestore: pendingRestore(this.layout.root),
        recentFolders: this.recentFolders(),
        defaultFolder: path.join(os.homedir(), '评查工作站备份'),
      }),
      'backup:inspect': ({ folder }) => inspectBackup(folder),
      'backup:start': ({ folder }, ctx: CallContext) => this.startBackup(folder, requireActor(ctx)),
      'backup:result': ({ jobId }, ctx) => {
        const found = this.outcome(jobId, requireActor(ctx)).backup;
        if (!found) throw new AppError('not_found', '这项任务不是备份。');
        return found;
      },
      'backup:restore': ({ folder }, ctx) => this.startRestore(folder, requireActor(ctx)),
      'backup:restored': ({ jobId }, ctx) => {
        const found = this.outcome(jobId, requireActor(ctx)).restore;
        if (!found) throw new AppError('not_found', '这项任务不是恢复。');
        return found;
      },
      'backup:discardRestore': (_input, ctx) => {
        const actor = requireActor(ctx);
        if (pendingRestore(this.layout.root)) {
          fs.rmSync(pendingRestoreDir(this.layout.root), { recursive: true, force: true });
          tx(this.db, () => writeAudit(this.db, { actorId: actor.id, action: 'workspace.restore_discarded', entity: 'workspace' }));
        }
        return { ok: true as const };
      },
    };
  }
}
