/**
 * Following a background job (electron/services/jobs.ts) from a screen: pushed `job:progress`
 * events, with a slow poll of `job:get` in case an event is missed; resolves with the final view.
 */
import type { JobView } from '../../../shared/import/api';
import { invoke, onEvent } from './client';

export function followJob(jobId: string, onProgress: (view: JobView) => void): Promise<JobView> {
  return new Promise((resolve, reject) => {
    let live = true;
    let last: JobView | null = null;
    const stop = () => {
      live = false;
      off();
      clearInterval(timer);
    };
    const take = (view: JobView) => {
      if (!live) return;
      last = view;
      onProgress(view);
      if (view.status !== 'running') {
        stop();
        resolve(view);
      }
    };
    const poll = () =>
      invoke('job:get', { jobId }).then(take, (err: unknown) => {
        if (!live) return;
        stop();
        reject(err);
      });
    const off = onEvent('job:progress', (p) => {
      if (p.jobId !== jobId || !live) return;
      if (p.finished) return void poll();
      if (last)
        take({
          ...last,
          done: p.done,
          total: p.total,
          message: p.message,
          bytesDone: p.bytesDone ?? last.bytesDone,
          bytesTotal: p.bytesTotal ?? last.bytesTotal,
          etaSeconds: p.etaSeconds ?? null,
        });
    });
    const timer = setInterval(() => void poll(), 2000);
    void poll();
  });
}
