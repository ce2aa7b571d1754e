/**
 * A small pool of worker threads inspecting PDFs (hash, pages, text layer, metadata, page text).
 * Each file gets a time limit: a parse that does not finish is killed with its thread (pdf.js cannot
 * be interrupted from outside), and the slot starts a fresh thread for the next file. Cancelling a
 * batch kills the threads busy on it the same way.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { AppError, type AppErrorShape } from '../../../../shared/core/errors.js';
import { startReadyWorker } from '../workers.js';
import type { PdfInfo } from './inspect.js';

export interface InspectTask {
  id: number;
  file: string;
  withText: boolean;
  maxTextPages?: number;
  hash: boolean;
}

export type InspectReply =
  | { id: number; ok: true; info: PdfInfo; digest: { sha256: string; size: number } | null }
  | { id: number; ok: false; error: AppErrorShape };

export interface Inspected extends PdfInfo {
  /** Present when hashing was asked for. */
  sha256?: string;
  size?: number;
  /** Wall time spent on the file, in ms. */
  ms: number;
}

export interface InspectPoolOptions {
  /**
   * Threads; default: one per core, at most 4. Inspection is CPU work while the main thread mostly
   * waits on the disk; with one core left idle a 2-core office PC imports at half speed.
   */
  size?: number;
  /** Time limit for a file: base + per MB. */
  timeoutMs?: number;
  timeoutPerMbMs?: number;
  /** Heap limit of each thread (an out-of-memory parse ends its thread, not the app). */
  maxHeapMb?: number;
}

interface Slot {
  worker: Worker | null;
  /** Resolves when the thread has loaded pdf.js (rejects if it cannot start). */
  ready: Promise<void> | null;
  busy: boolean;
}

interface Pending {
  task: InspectTask;
  sizeBytes: number;
  timeoutMs: number | undefined;
  signal: AbortSignal | undefined;
  resolve: (value: Inspected) => void;
  reject: (err: AppError) => void;
}

const WORKER_ENTRY = new URL('./inspect-worker', import.meta.url);
/** What the thread loads besides our own modules (see startWorker). */
export const PDF_THREAD_PRELOAD = ['pdfjs-dist/legacy/build/pdf.mjs', 'pdfjs-dist/legacy/build/pdf.worker.mjs', 'pdf-lib'] as const;
/** Loading pdf.js in a new thread; generous, because a busy machine can be slow at it. */
const STARTUP_LIMIT_MS = 120_000;

export class PdfInspectPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  readonly timeoutMs: number;
  readonly timeoutPerMbMs: number;
  private readonly maxHeapMb: number;

  constructor(options: InspectPoolOptions = {}) {
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    const size = options.size ?? Math.max(1, Math.min(4, cores));
    this.slots = Array.from({ length: size }, () => ({ worker: null, ready: null, busy: false }));
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.timeoutPerMbMs = options.timeoutPerMbMs ?? 500;
    this.maxHeapMb = options.maxHeapMb ?? 1024;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Inspects a file in a worker. Rejects with an AppError whose details carry the rejection reason. */
  inspect(
    file: string,
    options: {
      withText?: boolean;
      hash?: boolean;
      maxTextPages?: number;
      sizeBytes?: number;
      signal?: AbortSignal;
      timeoutMs?: number;
    } = {},
  ): Promise<Inspected> {
    if (this.closed) return Promise.reject(new AppError('cancelled', '工作站正在关闭。'));
    if (options.signal?.aborted) return Promise.reject(new AppError('cancelled', undefined, { reason: 'cancelled' }));
    return new Promise<Inspected>((resolve, reject) => {
      const task: InspectTask = {
        id: this.nextId++,
        file,
        withText: options.withText ?? true,
        hash: options.hash ?? false,
        ...(options.maxTextPages ? { maxTextPages: options.maxTextPages } : {}),
      };
      this.queue.push({ task, sizeBytes: options.sizeBytes ?? 0, timeoutMs: options.timeoutMs, signal: options.signal, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.queue.shift();
      if (!next) return;
      if (next.signal?.aborted) {
        next.reject(new AppError('cancelled', undefined, { reason: 'cancelled' }));
        continue;
      }
      this.run(slot, next);
    }
  }

  private spawn(slot: Slot): { worker: Worker; ready: Promise<void> } {
    const { worker, ready } = startReadyWorker(
      WORKER_ENTRY,
      { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb }, preload: PDF_THREAD_PRELOAD },
      STARTUP_LIMIT_MS,
    );
    slot.worker = worker;
    slot.ready = ready;
    return { worker, ready };
  }

  private run(slot: Slot, job: Pending): void {
    slot.busy = true;
    const { worker, ready } = slot.worker && slot.ready ? { worker: slot.worker, ready: slot.ready } : this.spawn(slot);
    worker.ref();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let started = 0;

    const finish = (outcome: { value?: Inspected; error?: AppError }, killWorker: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      job.signal?.removeEventListener('abort', onAbort);
      if (killWorker) {
        slot.worker = null;
        slot.ready = null;
        void worker.terminate().catch(() => undefined);
      } else worker.unref();
      slot.busy = false;
      if (outcome.error) job.reject(outcome.error);
      else job.resolve(outcome.value!);
      this.pump();
    };
    const onMessage = (reply: InspectReply): void => {
      if (reply.id !== job.task.id) return;
      const ms = Math.round(performance.now() - started);
      if (reply.ok) finish({ value: { ...reply.info, ...(reply.digest ?? {}), ms } }, false);
      else finish({ error: new AppError(reply.error.code, reply.error.message, reply.error.details) }, false);
    };
    const onError = (err: Error): void => {
      const oom = /ERR_WORKER_OUT_OF_MEMORY|out of memory/i.test(`${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`);
      finish(
        {
          error: new AppError(
            'damaged_file',
            oom ? 'PDF 解析时内存不足，文件结构可能异常。' : `PDF 解析时出错（${err.message.slice(0, 160)}）。`,
            { reason: 'unreadable' },
          ),
        },
        true,
      );
    };
    const onExit = (): void => finish({ error: new AppError('damaged_file', 'PDF 解析意外中止。', { reason: 'unreadable' }) }, true);
    const onAbort = (): void => finish({ error: new AppError('cancelled', undefined, { reason: 'cancelled' }) }, true);
    worker.on('error', onError);
    worker.on('exit', onExit);
    job.signal?.addEventListener('abort', onAbort, { once: true });
    ready.then(
      () => {
        if (settled) return;
        // The time limit counts from the moment the file is handed to a ready thread.
        const limitMs = job.timeoutMs ?? Math.round(this.timeoutMs + (job.sizeBytes / 1024 ** 2) * this.timeoutPerMbMs);
        const limitText = limitMs >= 1000 ? `${Math.round(limitMs / 1000)} 秒` : `${limitMs} 毫秒`;
        timer = setTimeout(
          () =>
            finish(
              { error: new AppError('damaged_file', `解析超过 ${limitText}仍未完成，已中止（文件结构可能异常）。`, { reason: 'timeout' }) },
              true,
            ),
          limitMs,
        );
        started = performance.now();
        worker.on('message', onMessage);
        worker.postMessage(job.task);
      },
      (err: Error) =>
        finish({ error: new AppError('internal', `PDF 解析组件无法启动（${err.message}）。`, { reason: 'unreadable' }) }, true),
    );
  }

  /**
   * Starts every thread ahead of use (loading pdf.js takes a moment), e.g. while a person reviews
   * an import's preview; resolves when they are ready.
   */
  async warm(): Promise<void> {
    if (this.closed) return;
    await Promise.all(
      this.slots.map((slot) =>
        (slot.worker && slot.ready ? slot.ready : this.spawn(slot).ready).then(
          () => slot.worker?.unref() ?? undefined,
          () => undefined,
        ),
      ),
    );
  }

  /** Ends every thread; pending files are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new AppError('cancelled', '工作站正在关闭。'));
    await Promise.all(
      this.slots.map(async (slot) => {
        const w = slot.worker;
        slot.worker = null;
        slot.ready = null;
        if (w) await w.terminate().catch(() => undefined);
      }),
    );
  }
}
