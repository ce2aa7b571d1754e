/**
 * Reads the text of image-only PDF pages with the offline OCR engine, in one worker thread (one
 * engine instance, loaded once, reused for every file). Files queue and are read one after another:
 * the engine uses one core, and the other stays with the person working in the app.
 *
 * Cancelling a job (AbortSignal) stops it between two lines. A thread that does not answer the
 * cancel in time is not ended: ending a thread while onnxruntime is inside a model run aborts the
 * whole process (its native binding throws into a thread being torn down). The job is given up at
 * once and the next one waits until the thread has answered; only a page that runs past the page
 * limit (pdf.js stuck in a huge page, no model running) ends the thread.
 */
import type { Worker } from 'node:worker_threads';
import { AppError, type AppErrorShape } from '../../../shared/core/errors.js';
import type { OcrPageText } from '../../../shared/ocr/page-text.js';
import { startReadyWorker } from '../core/workers.js';

export interface OcrThreadSettings {
  threads: number;
}

export type OcrThreadRequest = { type: 'read'; id: number; file: string; pages?: number[]; dpi: number } | { type: 'cancel'; id: number };

export type OcrThreadReply =
  | { type: 'ready' }
  | { type: 'page'; id: number; page: OcrPageText }
  | { type: 'done'; id: number }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; error: AppErrorShape };

export interface OcrReaderOptions {
  /** Heap limit of the thread (the models and images live outside the JS heap). */
  maxHeapMb?: number;
  /** onnxruntime threads; 1 leaves the other core to the UI. */
  threads?: number;
  /** Resolution pages are rendered at for reading (scanners deliver 150–300 dpi). */
  dpi?: number;
  /** A page taking longer than this ends the thread and fails the job. */
  pageTimeoutMs?: number;
  /**
   * With nothing to read for this long the thread ends, and its models (some 600 MB of memory)
   * with it; the next file loads them again in a few seconds.
   */
  idleMs?: number;
}

export interface ReadOptions {
  /** 0-based page indexes; all pages when absent. */
  pages?: number[];
  signal?: AbortSignal;
  /** Called as each page is read, in order. */
  onPage?: (page: OcrPageText) => void;
}

interface Job {
  id: number;
  file: string;
  options: ReadOptions;
  pages: OcrPageText[];
  resolve: (pages: OcrPageText[]) => void;
  reject: (err: AppError) => void;
}

const WORKER_ENTRY = new URL('./ocr-thread', import.meta.url);
/** Loading the models in a new thread; generous, because a busy machine can be slow at it. */
const STARTUP_LIMIT_MS = 120_000;
/** How long a cancelled job may take to stop between lines before it is given up (its thread drains). */
const CANCEL_GRACE_MS = 3_000;
/** On close, how long the thread may take to finish the line in hand before it is ended regardless. */
const CLOSE_GRACE_MS = 15_000;

export class OcrReader {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  /** A given-up job the thread has not answered yet: the next job waits for it. */
  private draining: Promise<void> | null = null;
  private nextId = 1;
  private closed = false;
  private readonly maxHeapMb: number;
  private readonly threads: number;
  readonly dpi: number;
  private readonly pageTimeoutMs: number;
  private readonly idleMs: number;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(options: OcrReaderOptions = {}) {
    this.maxHeapMb = options.maxHeapMb ?? 1024;
    this.threads = options.threads ?? 1;
    this.dpi = options.dpi ?? 150;
    this.pageTimeoutMs = options.pageTimeoutMs ?? 180_000;
    this.idleMs = options.idleMs ?? 60_000;
  }

  /** Ends the thread now if it has nothing to read (e.g. when an import's preview has read its scans). */
  releaseIfIdle(): void {
    if (this.running || this.draining || this.queue.length || !this.worker) return;
    clearTimeout(this.idleTimer);
    void this.endThread();
  }

  /** Reads the pages of a PDF file; resolves with one result per page, in page order. */
  read(file: string, options: ReadOptions = {}): Promise<OcrPageText[]> {
    if (this.closed) return Promise.reject(new AppError('cancelled', '工作站正在关闭。'));
    if (options.signal?.aborted) return Promise.reject(new AppError('cancelled'));
    return new Promise<OcrPageText[]>((resolve, reject) => {
      const job: Job = { id: this.nextId++, file, options, pages: [], resolve, reject };
      // Cancelled while still waiting behind other files: leave the queue at once.
      options.signal?.addEventListener(
        'abort',
        () => {
          const waiting = this.queue.indexOf(job);
          if (waiting < 0) return;
          this.queue.splice(waiting, 1);
          reject(new AppError('cancelled'));
        },
        { once: true },
      );
      this.queue.push(job);
      this.pump();
    });
  }

  /** Starts the thread and loads the models ahead of the first file. */
  async warm(): Promise<void> {
    if (this.closed) return;
    await this.thread().ready;
  }

  /** The thread's id while it runs (for measuring it), or null. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0)) job.reject(new AppError('cancelled', '工作站正在关闭。'));
    const running = this.running;
    if (running && this.worker) {
      // The line in hand is finished first: ending the thread inside a model run would abort the process.
      this.worker.postMessage({ type: 'cancel', id: running.id } satisfies OcrThreadRequest);
      this.drainAfter(this.worker, running.id);
    }
    running?.reject(new AppError('cancelled', '工作站正在关闭。'));
    this.running = null;
    if (this.draining) await Promise.race([this.draining, new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);
    await this.endThread();
  }

  /** Holds the next job until the thread answers job `id` (or is gone). */
  private drainAfter(worker: Worker, id: number): void {
    if (this.draining) return;
    this.draining = new Promise<void>((resolve) => {
      const done = (): void => {
        worker.off('message', onMessage);
        worker.off('exit', done);
        this.draining = null;
        resolve();
        this.pump();
      };
      const onMessage = (reply: OcrThreadReply): void => {
        if (reply.type !== 'ready' && reply.type !== 'page' && reply.id === id) done();
      };
      worker.on('message', onMessage);
      worker.once('exit', done);
    });
  }

  private thread(): { worker: Worker; ready: Promise<void> } {
    if (this.worker && this.ready) return { worker: this.worker, ready: this.ready };
    const settings: OcrThreadSettings = { threads: this.threads };
    const { worker, ready } = startReadyWorker(
      WORKER_ENTRY,
      {
        resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
        workerData: settings,
        preload: ['pdfjs-dist/legacy/build/pdf.mjs', 'pdfjs-dist/legacy/build/pdf.worker.mjs'],
      },
      STARTUP_LIMIT_MS,
    );
    // Idle, the thread must not keep the process alive.
    worker.unref();
    this.worker = worker;
    this.ready = ready;
    return { worker, ready };
  }

  private async endThread(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) await worker.terminate().catch(() => undefined);
  }

  private pump(): void {
    if (this.running || this.draining || this.closed) return;
    clearTimeout(this.idleTimer);
    const job = this.queue.shift();
    if (!job) {
      if (this.worker) this.idleTimer = setTimeout(() => this.releaseIfIdle(), this.idleMs).unref();
      return;
    }
    if (job.options.signal?.aborted) {
      job.reject(new AppError('cancelled'));
      this.pump();
      return;
    }
    this.running = job;
    this.run(job);
  }

  private run(job: Job): void {
    const { worker, ready } = this.thread();
    worker.ref();
    let settled = false;
    let watchdog: NodeJS.Timeout | undefined;
    let cancelTimer: NodeJS.Timeout | undefined;

    const finish = (outcome: { pages?: OcrPageText[]; error?: AppError }, endThread: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      clearTimeout(cancelTimer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      job.options.signal?.removeEventListener('abort', onAbort);
      if (endThread) void this.endThread();
      else worker.unref();
      if (this.running === job) this.running = null;
      if (outcome.error) job.reject(outcome.error);
      else job.resolve(outcome.pages!);
      this.pump();
    };
    const armWatchdog = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(
        () =>
          finish(
            {
              error: new AppError(
                'damaged_file',
                `第 ${job.pages.length + 1} 页识别超过 ${Math.round(this.pageTimeoutMs / 1000)} 秒仍未完成，已中止。`,
                { reason: 'timeout' },
              ),
            },
            true,
          ),
        this.pageTimeoutMs,
      );
    };
    const onMessage = (reply: OcrThreadReply): void => {
      if (reply.type === 'ready' || reply.id !== job.id) return;
      if (reply.type === 'page') {
        job.pages.push(reply.page);
        armWatchdog();
        job.options.onPage?.(reply.page);
      } else if (reply.type === 'done') finish({ pages: job.pages }, false);
      else if (reply.type === 'cancelled') finish({ error: new AppError('cancelled') }, false);
      else finish({ error: new AppError(reply.error.code, reply.error.message, reply.error.details) }, false);
    };
    const onError = (err: Error): void => {
      const oom = /ERR_WORKER_OUT_OF_MEMORY|out of memory/i.test(`${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`);
      finish(
        { error: new AppError('internal', oom ? '文字识别时内存不足。' : `文字识别组件出错（${err.message.slice(0, 160)}）。`) },
        true,
      );
    };
    const onExit = (): void => finish({ error: new AppError('internal', '文字识别组件意外退出。') }, true);
    const onAbort = (): void => {
      worker.postMessage({ type: 'cancel', id: job.id } satisfies OcrThreadRequest);
      cancelTimer = setTimeout(() => {
        // Given up, not ended: the thread finishes its line and answers; the next job waits for that.
        this.drainAfter(worker, job.id);
        finish({ error: new AppError('cancelled') }, false);
      }, CANCEL_GRACE_MS);
    };
    worker.on('error', onError);
    worker.on('exit', onExit);
    job.options.signal?.addEventListener('abort', onAbort, { once: true });
    ready.then(
      () => {
        if (settled) return;
        if (job.options.signal?.aborted) return finish({ error: new AppError('cancelled') }, false);
        worker.on('message', onMessage);
        armWatchdog();
        const request: OcrThreadRequest = {
          type: 'read',
          id: job.id,
          file: job.file,
          dpi: this.dpi,
          ...(job.options.pages ? { pages: job.options.pages } : {}),
        };
        worker.postMessage(request);
      },
      (err: Error) => finish({ error: new AppError('internal', `文字识别组件无法启动（${err.message}）。`) }, true),
    );
  }
}
