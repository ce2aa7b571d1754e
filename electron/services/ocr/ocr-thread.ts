/**
 * Worker thread that reads PDF pages with the OCR engine, one page at a time, so the main thread
 * stays responsive. The engine (models) is loaded once when the thread starts and reused for every
 * file. A job is cancelled between lines; the reply says so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/core/errors.js';
import type { OcrPageText } from '../../../shared/ocr/page-text.js';
import { OCR_ENGINE_ID, OCR_ENGINE_VERSION, OcrEngine, ReadCancelled } from './engine.js';
import { openPdfPages } from './page-images.js';
import { readPageImage } from './read-page.js';
import { sha256OfFile } from '../core/file-hash.js';
import type { OcrThreadReply, OcrThreadRequest, OcrThreadSettings } from './ocr-reader.js';

// pdf.js can leave a rejected promise behind after a document is destroyed; it must not end the thread.
process.on('unhandledRejection', () => undefined);

const settings = workerData as OcrThreadSettings;

/** A nice value of 10: below everything the person is waiting for, above idle. */
const LOW_PRIORITY = 10;

/**
 * Reading is background work: on Linux (UOS, 麒麟) this thread alone is given a lower scheduling
 * priority, so a page turn in the reader or a save never waits behind a page being read. Linux
 * schedules threads by their own id, which /proc names for the calling thread; elsewhere the thread
 * keeps its priority (Node can only change a whole process there).
 */
function lowerOwnPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(path.basename(fs.readlinkSync('/proc/thread-self')));
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, LOW_PRIORITY);
  } catch {
    // No /proc (a locked-down container): reading just keeps the normal priority.
  }
}
lowerOwnPriority();
const engine = await OcrEngine.load({ threads: settings.threads });
const PDFJS_WORKER = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
// pdf.js runs its parser in this thread too (no nested worker).
(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(PDFJS_WORKER);
const cancelled = new Set<number>();
const post = (reply: OcrThreadReply): void => parentPort!.postMessage(reply);
post({ type: 'ready' });

async function readFile(request: Extract<OcrThreadRequest, { type: 'read' }>): Promise<void> {
  const { sha256 } = await sha256OfFile(request.file);
  const pdf = await openPdfPages(request.file).catch(() => {
    throw new AppError('damaged_file', 'PDF 无法打开，无法进行文字识别。', { reason: 'unreadable' });
  });
  try {
    const pages = request.pages ?? Array.from({ length: pdf.pageCount }, (_, i) => i);
    for (const pageIndex of pages) {
      if (pageIndex < 0 || pageIndex >= pdf.pageCount)
        throw new AppError('not_found', `第 ${pageIndex + 1} 页不存在（文件共 ${pdf.pageCount} 页）。`);
      const started = performance.now();
      const image = await pdf.render(pageIndex, request.dpi);
      const isCancelled = (): boolean => cancelled.has(request.id);
      if (isCancelled()) throw new ReadCancelled();
      const reading = await readPageImage(engine, image, isCancelled);
      const page: OcrPageText = {
        sha256,
        pageIndex,
        engine: { id: OCR_ENGINE_ID, version: OCR_ENGINE_VERSION },
        status: reading.status,
        lines: reading.lines,
        dpi: request.dpi,
        ms: Math.round(performance.now() - started),
      };
      post({ type: 'page', id: request.id, page });
    }
  } finally {
    await pdf.close();
  }
}

parentPort!.on('message', (request: OcrThreadRequest) => {
  if (request.type === 'cancel') {
    cancelled.add(request.id);
    return;
  }
  readFile(request)
    .then(
      () => post({ type: 'done', id: request.id }),
      (err: unknown) => {
        if (err instanceof ReadCancelled || cancelled.has(request.id)) post({ type: 'cancelled', id: request.id });
        else {
          const errno = (err as NodeJS.ErrnoException).code;
          const error =
            err instanceof AppError
              ? err
              : typeof errno === 'string' && errno.startsWith('E')
                ? new AppError('io_error', `读取文件失败（${errno}）。`)
                : new AppError('internal', `文字识别出错（${String((err as Error)?.message ?? err).slice(0, 160)}）。`);
          post({ type: 'error', id: request.id, error: error.toShape() });
        }
      },
    )
    .finally(() => cancelled.delete(request.id));
});
