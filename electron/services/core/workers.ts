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

const require = createRequire(import.meta.url);

/** `entry` is the worker module's URL without extension, e.g. `new URL('./inspect-worker', import.meta.url)`. */
export function startWorker(entry: URL, options: { resourceLimits?: ResourceLimits; workerData?: unknown } = {}): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return new Worker(new URL(`${entry.href}.js`), options);
  const tsxApi = tsxEsmApi();
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(`${entry.href}.ts`)}); });`;
  return new Worker(boot, { ...options, eval: true });
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
export function startReadyWorker(
  entry: URL,
  options: { resourceLimits?: ResourceLimits; workerData?: unknown },
  limitMs: number,
): { worker: Worker; ready: Promise<void> } {
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
