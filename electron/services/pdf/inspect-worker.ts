/**
 * Worker thread that hashes and inspects one PDF at a time, so a slow or hostile file never blocks
 * the main thread, and a hung parse can be stopped by terminating the thread.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import { classifyPdfError, inspectPdf } from './inspect.js';
import type { InspectReply, InspectTask } from './inspect-pool.js';

// pdf.js can leave a rejected promise behind after a document is destroyed; it must not end the thread.
process.on('unhandledRejection', () => undefined);

async function sha256Of(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    size += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { sha256: hash.digest('hex'), size };
}

parentPort!.on('message', async (task: InspectTask) => {
  let reply: InspectReply;
  try {
    const digest = task.hash ? await sha256Of(task.file) : null;
    const info = await inspectPdf(task.file, { withText: task.withText, ...(task.maxTextPages ? { maxTextPages: task.maxTextPages } : {}) });
    reply = { id: task.id, ok: true, info, digest };
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
});
