/**
 * Long work (imports, batch exports, packages) runs as a job: `start` returns at once with a job id,
 * the work reports progress (items, pages, bytes; the runner adds the ETA) which reaches every window
 * as throttled `job:progress` events, and `job:cancel` aborts its AbortSignal. The work itself must
 * leave the store consistent when aborted (commit per item, never half an item). Jobs live in memory;
 * what must survive a restart is the work's own business (an import writes its batch record).
 */
import { randomUUID } from 'node:crypto';
import type { EventPayload } from '../../../shared/contract/index.js';
import type { JobView } from '../../../shared/import/api.js';
import { AppError } from '../../../shared/core/errors.js';
import { requireActor, type Actor, type CallContext } from './context.js';
import type { Handlers } from './dispatcher.js';
import type { EventHub } from './event-hub.js';
import type { Logger } from './logger.js';
import { storageFault } from './storage-faults.js';

export interface JobProgress {
  /** Items done of total (files, letters, …). */
  done: number;
  total: number;
  message: string;
  pages: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface JobControl {
  readonly signal: AbortSignal;
  /** Merges into the job's progress; events are throttled, the last state is always sent. */
  report(progress: Partial<JobProgress>): void;
}

export interface JobSpec {
  kind: string;
  owner: Actor;
  campaignId?: string;
  /** At most one running job per key (e.g. one import per campaign). */
  exclusiveKey?: string;
  /** What `job:get` points to when the job is over (e.g. the import batch id). */
  resultId?: string;
  initial?: Partial<JobProgress>;
  run(control: JobControl): Promise<void>;
}

interface Job {
  id: string;
  spec: JobSpec;
  status: JobView['status'];
  progress: JobProgress;
  startedAt: number;
  finishedAt: number | null;
  error: { code: string; message: string } | null;
  controller: AbortController;
  lastEmit: number;
  pendingEmit: NodeJS.Timeout | null;
  done: Promise<void>;
}

const KEEP_FINISHED = 100;

export class JobRunner {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly events: EventHub,
    private readonly log: Logger,
    private readonly throttleMs = 250,
    /** Named in a disk-full or no-permission failure when the failing path is unknown. */
    private readonly dataDir = '',
  ) {}

  start(spec: JobSpec): JobView {
    if (spec.exclusiveKey) {
      for (const j of this.jobs.values())
        if (j.status === 'running' && j.spec.exclusiveKey === spec.exclusiveKey)
          throw new AppError('conflict', '已有一项同类任务正在进行，请等它完成或取消后再开始。', { jobId: j.id });
    }
    const job: Job = {
      id: randomUUID(),
      spec,
      status: 'running',
      progress: { done: 0, total: 0, message: '', pages: 0, bytesDone: 0, bytesTotal: 0, ...spec.initial },
      startedAt: Date.now(),
      finishedAt: null,
      error: null,
      controller: new AbortController(),
      lastEmit: 0,
      pendingEmit: null,
      done: Promise.resolve(),
    };
    this.jobs.set(job.id, job);
    this.prune();
    const control: JobControl = {
      signal: job.controller.signal,
      report: (p) => {
        Object.assign(job.progress, p);
        this.emitSoon(job);
      },
    };
    job.done = (async () => {
      // Let the caller receive the job id before the first progress event.
      await new Promise((r) => setImmediate(r));
      try {
        await spec.run(control);
        job.status = job.controller.signal.aborted ? 'cancelled' : 'done';
      } catch (err) {
        if (job.controller.signal.aborted || (err instanceof AppError && err.code === 'cancelled')) job.status = 'cancelled';
        else {
          job.status = 'failed';
          const known = err instanceof AppError ? err : storageFault(err, this.dataDir);
          job.error = known
            ? { code: known.code, message: known.message }
            : { code: 'internal', message: '任务意外中止，已记录错误日志。' };
          if (!(err instanceof AppError)) this.log.error(`job ${spec.kind} failed`, err);
        }
      }
      job.finishedAt = Date.now();
      this.emitNow(job);
    })();
    return this.view(job);
  }

  /** Resolves when the job has ended (tests, command-line tools). */
  async wait(jobId: string): Promise<JobView> {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('not_found', '任务不存在或已过期。');
    await job.done;
    return this.view(job);
  }

  cancel(jobId: string): JobView {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('not_found', '任务不存在或已过期。');
    if (job.status === 'running') {
      job.progress.message = '正在取消…';
      job.controller.abort();
      this.emitNow(job);
    }
    return this.view(job);
  }

  view(job: Job): JobView {
    const p = job.progress;
    const elapsed = ((job.finishedAt ?? Date.now()) - job.startedAt) / 1000;
    return {
      jobId: job.id,
      kind: job.spec.kind,
      campaignId: job.spec.campaignId ?? null,
      resultId: job.spec.resultId ?? null,
      status: job.status,
      done: p.done,
      total: p.total,
      message: p.message,
      pages: p.pages,
      bytesDone: p.bytesDone,
      bytesTotal: p.bytesTotal,
      etaSeconds: job.status === 'running' ? eta(p, elapsed) : null,
      elapsedSeconds: Math.round(elapsed),
      startedAt: new Date(job.startedAt).toISOString(),
      finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
      error: job.error as JobView['error'],
    };
  }

  private visible(jobId: string, actor: Actor): Job {
    const job = this.jobs.get(jobId);
    if (!job || (job.spec.owner.id !== actor.id && actor.role !== 'organiser')) throw new AppError('not_found', '任务不存在或已过期。');
    return job;
  }

  private emitSoon(job: Job): void {
    const wait = this.throttleMs - (Date.now() - job.lastEmit);
    if (wait <= 0) return this.emitNow(job);
    job.pendingEmit ??= setTimeout(() => this.emitNow(job), wait);
  }

  private emitNow(job: Job): void {
    if (job.pendingEmit) clearTimeout(job.pendingEmit);
    job.pendingEmit = null;
    job.lastEmit = Date.now();
    const v = this.view(job);
    const payload: EventPayload<'job:progress'> = {
      jobId: v.jobId,
      kind: v.kind,
      done: v.done,
      total: v.total,
      message: v.message,
      finished: v.status !== 'running',
      status: v.status,
      pages: v.pages,
      bytesDone: v.bytesDone,
      bytesTotal: v.bytesTotal,
      etaSeconds: v.etaSeconds,
    };
    this.events.emit('job:progress', payload);
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status !== 'running').sort((a, b) => a.startedAt - b.startedAt);
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.id);
  }

  /** Aborts every running job (the workspace is closing). */
  cancelAll(): void {
    for (const j of this.jobs.values()) if (j.status === 'running') j.controller.abort();
  }

  handlers(): Pick<Handlers, 'job:get' | 'job:cancel'> {
    return {
      'job:get': ({ jobId }, ctx: CallContext) => this.view(this.visible(jobId, requireActor(ctx))),
      'job:cancel': ({ jobId }, ctx: CallContext) => this.cancel(this.visible(jobId, requireActor(ctx)).id),
    };
  }
}

/** Seconds left, from the rate so far (bytes when known, else items); null until there is a rate. */
function eta(p: JobProgress, elapsed: number): number | null {
  if (elapsed < 1) return null;
  if (p.bytesTotal > 0 && p.bytesDone > 0) return Math.max(0, Math.round(((p.bytesTotal - p.bytesDone) * elapsed) / p.bytesDone));
  if (p.total > 0 && p.done > 0) return Math.max(0, Math.round(((p.total - p.done) * elapsed) / p.done));
  return null;
}
