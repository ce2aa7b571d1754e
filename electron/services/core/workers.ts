/**
 * Starts a service's worker thread from its module next to the caller. The built app runs compiled
 * `.js`; tests and `tsx` scripts run the `.ts` sources, where the worker first registers tsx's loader
 * (a development dependency, never needed by the built app) and then imports the module.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../../shared/core/errors.js';

const require = createRequire(import.meta.url);

export interface WorkerOptions {
  resourceLimits?: ResourceLimits;
  workerData?: unknown;
  /**
   * Large plain-JavaScript packages the thread uses (pdf.js, pdf-lib). From the sources they are
   * loaded before tsx's loader is registered: through it, pdf.js's two modules cost a thread some
   * 300 MB more (measured), and every import thread would carry that. The built app loads them plainly.
   */
  preload?: readonly string[];
}

/** `entry` is the worker module's URL without extension, e.g. `new URL('./inspect-worker', import.meta.url)`. */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const { preload = [], ...workerOptions } = options;
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return new Worker(new URL(`${entry.href}.js`), workerOptions);
  const tsxApi = tsxEsmApi();
  const boot =
    `Promise.all(${JSON.stringify(preload)}.map((s) => import(s)))` +
    `.then(() => import(${JSON.stringify(tsxApi)})).then((m) => { m.register(); return import(${JSON.stringify(`${entry.href}.ts`)}); });`;
  return new Worker(boot, { ...workerOptions, eval: true });
}

/** tsx's ESM register API (its CommonJS twin cannot register from a worker), found via its exports map. */
function tsxEsmApi(): string {
  const pkgFile = require.resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
}

/**
 * Starts a worker that says `{ ready: true }` or `{ type: 'ready' }` once it has loaded what it needs;
 * `ready` settles then, or rejects if the thread fails, exits or takes longer than `limitMs`.
 */
export function startReadyWorker(entry: URL, options: WorkerOptions, limitMs: number): { worker: Worker; ready: Promise<void> } {
  const worker = startWorker(entry, options);
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('start-up timed out')), limitMs);
    const onMessage = (m: { ready?: boolean; type?: string }): void => {
      if (!m?.ready && m?.type !== 'ready') return;
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', (err) => (clearTimeout(timer), reject(err)));
    worker.once('exit', () => (clearTimeout(timer), reject(new Error('exited during start-up'))));
  });
  ready.catch(() => undefined);
  return { worker, ready };
}

/** What a bounded worker posts once: its result, or the refusal it decided on (an AppError's shape). */
export type BoundedReply<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

export interface BoundedLimits {
  /** Heap of the thread: a file that needs more is refused instead of killing the back end. */
  heapMb: number;
  /** Wall time after which the thread is stopped and the file refused. */
  timeMs: number;
  /** Refusal when either limit is reached, naming the file and what to do. */
  overLimit: string;
}

/**
 * Runs one piece of untrusted-file parsing in its own thread with a heap and a time limit, so a
 * file brought on a USB stick can neither freeze the back end (other requests keep being answered)
 * nor exhaust its memory. The worker module replies once with a `BoundedReply` and is then ended.
 */
export function runBoundedWorker<T>(entry: URL, workerData: unknown, limits: BoundedLimits): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = startWorker(entry, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32 },
    });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => reject(new AppError('too_large', limits.overLimit))), limits.timeMs);
    worker.on('message', (reply: BoundedReply<T>) =>
      finish(() => (reply.ok ? resolve(reply.value) : reject(new AppError(reply.error.code, reply.error.message)))),
    );
    worker.on('error', (err: Error & { code?: string }) =>
      finish(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new AppError('too_large', limits.overLimit) : err)),
    );
    worker.on('exit', () => finish(() => reject(new AppError('too_large', limits.overLimit))));
  });
}

/** The worker side of `runBoundedWorker`: runs `work` and posts its value or its AppError. */
export async function replyFromWorker<T>(port: { postMessage(m: unknown): void }, work: () => Promise<T>): Promise<void> {
  try {
    port.postMessage({ ok: true, value: await work() } satisfies BoundedReply<T>);
  } catch (err) {
    if (err instanceof AppError) port.postMessage({ ok: false, error: { code: err.code, message: err.message } } satisfies BoundedReply<T>);
    else throw err;
  }
}
