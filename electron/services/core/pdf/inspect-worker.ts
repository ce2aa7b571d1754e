/**
 * Worker thread that hashes and inspects one PDF at a time, so a slow or hostile file never blocks
 * the main thread, and a hung parse can be stopped by terminating the thread.
 */
import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { AppError } from '../../../../shared/core/errors.js';
import { classifyPdfError, inspectPdf } from './inspect.js';
import type { InspectReply, InspectTask } from './inspect-pool.js';
import { loadPdfjs } from './pdfjs-node.js';
import { sha256OfFile } from '../file-hash.js';

// pdf.js can leave a rejected promise behind after a document is destroyed; it must not end the thread.
process.on('unhandledRejection', () => undefined);
// Without DecompressionStream pdf.js inflates with its own synchronous decoder. Here that is twice as
// fast: every page's small content stream would otherwise make a round trip through the thread pool,
// and this thread only ever reads structure and text, never image data.
delete (globalThis as { DecompressionStream?: unknown }).DecompressionStream;

/**
 * Files up to this size are read once into memory (hashed, then parsed from the same bytes). Larger
 * ones are hashed while streaming and parsed from byte ranges: a whole 200 MB scan in memory, once in
 * each thread, is what a 4 GB office PC cannot spare.
 */
const IN_MEMORY_MAX = 16 * 1024 ** 2;

async function inspectTask(task: InspectTask): Promise<Extract<InspectReply, { ok: true }>> {
  const options = { withText: task.withText, ...(task.maxTextPages ? { maxTextPages: task.maxTextPages } : {}) };
  const size = (await fsp.stat(task.file)).size;
  if (task.hash && size <= IN_MEMORY_MAX) {
    const bytes = await fsp.readFile(task.file);
    const digest = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    const info = await inspectPdf(task.file, { ...options, data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) });
    return { id: task.id, ok: true, info, digest };
  }
  // The hash streams through while pdf.js reads the ranges it needs (both mostly from the page cache).
  const [digest, info] = await Promise.all([task.hash ? sha256OfFile(task.file) : null, inspectPdf(task.file, options)]);
  return { id: task.id, ok: true, info, digest };
}

// Load pdf.js and its (in-thread) worker before saying ready, so a file's time limit measures the
// file and not the start-up of the thread.
await loadPdfjs();
const PDFJS_WORKER = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(PDFJS_WORKER);
await warmUp();
parentPort!.postMessage({ ready: true });

/** Runs pdf.js over a small generated PDF (text and graphics) so the first real file is not the one paying for the JIT. */
async function warmUp(): Promise<void> {
  try {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let i = 0; i < 4; i++) {
      const page = doc.addPage([595, 842]);
      page.drawText(`warm-up page ${i + 1}`, { x: 72, y: 760, size: 12, font });
      page.drawRectangle({ x: 72, y: 400, width: 200, height: 100, color: rgb(0.9, 0.9, 0.9) });
    }
    const bytes = await doc.save();
    for (let round = 0; round < 3; round++) await inspectPdf('warm-up.pdf', { withText: true, data: bytes.slice() });
  } catch {
    // Only a head start; a failure here shows up on the first real file, with its reason.
  }
}

async function answer(task: InspectTask): Promise<void> {
  let reply: InspectReply;
  try {
    reply = await inspectTask(task);
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code;
    const e =
      err instanceof AppError
        ? err
        : typeof errno === 'string' && errno.startsWith('E')
          ? new AppError('io_error', `读取文件失败（${errno}）。`, { reason: 'unreadable' })
          : classifyPdfError(err);
    reply = { id: task.id, ok: false, error: e.toShape() };
  }
  parentPort!.postMessage(reply);
}

// answer() never rejects: every failure, of the file or of ours, becomes a reply to the waiting caller.
parentPort!.on('message', (task: InspectTask) => void answer(task));
