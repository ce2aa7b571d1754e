/**
 * Memory of an import, measured in a process of its own (the bench's and the tests' own data would
 * otherwise be counted with the back end's):
 *
 *   node --import tsx tests/support/import-memory-child.ts backend <file.pdf> …
 *     a fresh back end stages the files (streamed, as an upload arrives), previews the import, starts
 *     its inspection threads, then imports; prints one JSON line: RSS and memoryUsage() before the
 *     import, the peak RSS during it (threads included), and what was imported.
 *   node --import tsx tests/support/import-memory-child.ts bare <file.pdf> …
 *     the baseline: a bare Node process that reads (and hashes) the same files; prints its peak RSS.
 *
 * The peak is the kernel's high-water mark (VmHWM), reset just before the measured part where Linux
 * allows it, and sampled as well in case it does not.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CallFailed } from './backend.js';

export interface MemoryBreakdown {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** OS threads of the process (each worker thread brings several). */
  threads: number;
}

export interface ImportMemoryReport {
  mode: 'backend' | 'bare';
  files: number;
  bytes: number;
  /** Before the measured part (back end: staged, previewed, threads started). */
  before: MemoryBreakdown;
  /** Peak RSS during the measured part. */
  peakRss: number;
  /** Back end only: files imported and job status. */
  imported?: number;
  status?: string;
  seconds: number;
}

function status(field: 'VmRSS' | 'VmHWM' | 'Threads'): number {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * (field === 'Threads' ? 1 : 1024) : 0;
}

function breakdown(): MemoryBreakdown {
  const u = process.memoryUsage();
  return {
    rss: status('VmRSS'),
    heapUsed: u.heapUsed,
    heapTotal: u.heapTotal,
    external: u.external,
    arrayBuffers: u.arrayBuffers,
    threads: status('Threads'),
  };
}

/** Starts watching the peak: resets the kernel's high-water mark and samples RSS meanwhile. */
function watchPeak(): () => number {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not allowed here: the sampler alone then gives the figure.
  }
  let sampled = status('VmRSS');
  const timer = setInterval(() => (sampled = Math.max(sampled, status('VmRSS'))), 20);
  return () => {
    clearInterval(timer);
    return Math.max(sampled, status('VmHWM'));
  };
}

async function bare(files: string[]): Promise<ImportMemoryReport> {
  const before = breakdown();
  const stop = watchPeak();
  const started = performance.now();
  let bytes = 0;
  for (const file of files) {
    const hash = createHash('sha256');
    await pipeline(fs.createReadStream(file), hash);
    bytes += fs.statSync(file).size;
  }
  return { mode: 'bare', files: files.length, bytes, before, peakRss: stop(), seconds: (performance.now() - started) / 1000 };
}

async function backend(files: string[]): Promise<ImportMemoryReport> {
  // Loaded here, so the bare baseline does not carry the back end's modules.
  const { CallFailed: Failed, openTestBackend, setupAdmin } = await import('./backend.js');
  const t = openTestBackend();
  try {
    const admin = await setupAdmin(t.backend);
    const campaignId = (await admin.call('campaign:create', { name: '内存测量', year: 2025, issuingBody: '某县司法局' })).id;
    const sourceIds: string[] = [];
    let bytes = 0;
    for (const [i, file] of files.entries()) {
      const ticket = await admin.call('upload:ticket', {});
      const name = `案卷/某罚〔2025〕${i + 1}号/${path.basename(file)}`;
      const body = Readable.toWeb(fs.createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
      const response = await t.backend.handleBytes(
        new Request(`http://127.0.0.1${ticket.url}?name=${encodeURIComponent(name)}`, {
          method: 'PUT',
          body,
          duplex: 'half',
        } as RequestInit),
      );
      const result = (await response!.json()) as { ok: boolean; value: { sourceId: string }; error?: CallFailed['error'] };
      if (!result.ok) throw new Failed(result.error!);
      sourceIds.push(result.value.sourceId);
      bytes += fs.statSync(file).size;
    }
    const request = { campaignId, sourceIds, defaults: { unitName: '某局', caseType: 'penalty_general' as const } };
    await admin.call('import:preview', request);
    await t.backend.services.imports.warm();
    (globalThis as { gc?: () => void }).gc?.();
    const before = breakdown();
    const stop = watchPeak();
    const started = performance.now();
    const { jobId, batchId } = await admin.call('import:start', request);
    const job = await t.backend.services.jobs.wait(jobId);
    const seconds = (performance.now() - started) / 1000;
    const peakRss = stop();
    const summary = await admin.call('import:result', { batchId });
    return {
      mode: 'backend',
      files: files.length,
      bytes,
      before,
      peakRss,
      imported: summary.counts.documents,
      status: job.status,
      seconds,
    };
  } finally {
    t.close();
  }
}

const [mode, ...files] = process.argv.slice(2);
if ((mode !== 'backend' && mode !== 'bare') || !files.length) throw new Error('usage: import-memory-child backend|bare <file.pdf> …');
const report = mode === 'bare' ? await bare(files) : await backend(files);
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
