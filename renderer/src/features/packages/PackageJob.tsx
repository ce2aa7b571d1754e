import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobView } from '../../../../shared/import/api';
import type { PackageExport, PackageImportResult } from '../../../../shared/packages/api';
import { errorMessage, invoke } from '../../api/client';
import { followJob } from '../../api/jobs';
import { useToast } from '../../ui/toast';
import '../import/import.css';
import './packages.css';

const mb = (n: number): string => `${(n / 1024 ** 2).toFixed(n < 10 * 1024 ** 2 ? 1 : 0)} MB`;

export interface RunningJob {
  label: string;
  view: JobView;
}

/**
 * Package exports and imports are background jobs: this starts one, follows its progress, lets the
 * person cancel it (Esc or the button), and answers its outcome — or null when it was cancelled. A
 * refusal is thrown as the back end's error (a Chinese sentence).
 */
export function usePackageJob() {
  const [running, setRunning] = useState<RunningJob | null>(null);
  const toast = useToast();
  const run = useCallback(
    async (
      label: string,
      start: () => Promise<{ jobId: string }>,
    ): Promise<{ export: PackageExport | null; import: PackageImportResult | null } | null> => {
      const { jobId } = await start();
      try {
        const final = await followJob(jobId, (view) => setRunning({ label, view }));
        if (final.status === 'cancelled') return null;
        return await invoke('package:jobResult', { jobId });
      } finally {
        setRunning(null);
      }
    },
    [],
  );
  const cancel = useCallback(async () => {
    if (!running) return;
    try {
      await invoke('job:cancel', { jobId: running.view.jobId });
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }, [running, toast]);
  return { running, run, cancel };
}

/** The progress of a running package job, with its cancel button (Esc). */
/** `escape`: Esc cancels (off inside a dialog, whose own Esc does it). */
export function PackageJobBar({ job, onCancel, escape = true }: { job: RunningJob; onCancel: () => void; escape?: boolean }) {
  const { view } = job;
  const cancelling = view.message === '正在取消…';
  const pct = view.bytesTotal > 0 ? (view.bytesDone / view.bytesTotal) * 100 : view.total ? (view.done / view.total) * 100 : 0;
  const onCancelRef = useRef(onCancel);
  onCancelRef.current = onCancel;
  useEffect(() => {
    if (!escape) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancelRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [escape]);
  return (
    <div className="package-job" role="status" aria-live="polite" data-testid="package-job">
      <div className="package-job-head">
        <b>{job.label}</b>
        <span>{view.message}</span>
        <span className="spacer" />
        {view.bytesTotal > 0 && (
          <span>
            {mb(view.bytesDone)} / {mb(view.bytesTotal)}
          </span>
        )}
        {view.total > 0 && (
          <span>
            文件 {view.done} / {view.total}
          </span>
        )}
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={job.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
      >
        <div className="bar" style={{ width: `${pct.toFixed(1)}%` }} />
      </div>
      <div className="package-actions">
        <span className="muted">取消后本工作站不作任何改动。</span>
        <span className="spacer" />
        <button className="btn btn-danger" type="button" onClick={onCancel} disabled={cancelling}>
          {cancelling ? (
            '正在取消…'
          ) : (
            <>
              取消 <kbd>Esc</kbd>
            </>
          )}
        </button>
      </div>
    </div>
  );
}
