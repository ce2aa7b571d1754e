/**
 * How far the reading of a campaign's scans has got: a line over the case list (已识别 X/Y 页, 正在识别…,
 * 暂停 / 继续 / 取消) and each case's state in its own column. The reading runs in the background on
 * this workstation; the line follows its progress events and asks `ocr:status` again.
 */
import { useCallback, useEffect, useState } from 'react';
import type { OcrStatus } from '../../../../shared/ocr/channels';
import { ocrFileState, ocrTimeLeft } from '../../../../shared/ocr/labels';
import { errorMessage, invoke, onEvent } from '../../api/client';
import { Dialog } from '../../ui/dialog';
import { useToast } from '../../ui/toast';
import './ocr.css';

/**
 * How often, at most, the status is asked for again while pages are being read: every second, or ten
 * times as long as the last answer took (a province's status lists 20,000 files and takes a second to
 * read: asked every second it would keep the back end and this page busy with nothing else).
 */
const REFRESH_MS = 1000;
const REFRESH_PER_ANSWER_MS = 10;

/** The campaign's reading status, fresh while reading goes on (null until known). */
export function useOcrStatus(campaignId: string): { status: OcrStatus | null; set(status: OcrStatus): void } {
  const [status, setStatus] = useState<OcrStatus | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let took = 0;
    const load = (): void => {
      const started = performance.now();
      invoke('ocr:status', { campaignId }).then(
        (s) => {
          took = performance.now() - started;
          if (live) setStatus(s);
        },
        () => undefined,
      );
    };
    const soon = (): void => {
      if (timer) return;
      timer = setTimeout(
        () => {
          timer = null;
          load();
        },
        Math.max(REFRESH_MS, took * REFRESH_PER_ANSWER_MS),
      );
    };
    load();
    const offJob = onEvent('job:progress', (p) => p.kind === 'ocr' && soon());
    // New files (an import, a package) have pages to read.
    const offData = onEvent(
      'data:changed',
      (c) => c.campaignId === campaignId && (c.entity === 'case' || c.entity === 'document') && soon(),
    );
    return () => {
      live = false;
      offJob();
      offData();
      if (timer) clearTimeout(timer);
    };
  }, [campaignId]);
  return { status, set: setStatus };
}

export function OcrCampaignBar({
  campaignId,
  status,
  onStatus,
  canControl,
}: {
  campaignId: string;
  status: OcrStatus | null;
  onStatus(s: OcrStatus): void;
  canControl: boolean;
}) {
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const act = useCallback(
    async (which: 'ocr:pause' | 'ocr:campaign' | 'ocr:cancel', done: string) => {
      setBusy(which);
      try {
        onStatus(await invoke(which, { campaignId }));
        toast.show(done, 'ok');
      } catch (err) {
        toast.show(errorMessage(err), 'error');
      } finally {
        setBusy(null);
      }
    },
    [campaignId, onStatus, toast],
  );
  if (!status || status.pagesToRead === 0) return null;
  const { pagesRead, pagesToRead, paused, filesQueued, cancelled } = status;
  // The one reading thread may still finish a page of this campaign, or read another campaign's
  // files: a cancelled campaign is not being read.
  const running = status.running && !cancelled;
  const complete = pagesRead >= pagesToRead;
  const pct = (pagesRead / pagesToRead) * 100;
  const failed = status.files.filter((f) => f.error).length;
  const state = complete
    ? '全部扫描页已识别'
    : cancelled
      ? '已取消识别'
      : running
        ? '正在识别…'
        : paused
          ? '已暂停'
          : filesQueued
            ? '等待识别'
            : '未在识别';
  const timeLeft = complete ? null : ocrTimeLeft(status.secondsLeft);
  return (
    <section className="panel ocr-bar" aria-label="文字识别进度" data-testid="ocr-bar">
      <div className="ocr-bar-head">
        <strong>文字识别</strong>
        <span data-testid="ocr-bar-count">
          已识别 <b>{pagesRead}</b> / {pagesToRead} 页
        </span>
        {timeLeft && (
          <span className="muted" data-testid="ocr-bar-eta" title="按本机最近识别的速度估算">
            剩余{timeLeft}
          </span>
        )}
        <span className={`badge ${complete ? 'badge-ok' : running ? 'badge-primary' : 'badge-warn'}`} data-testid="ocr-bar-state">
          {running && <span className="spinner" aria-hidden="true" />}
          {state}
        </span>
        {failed > 0 && <span className="badge badge-danger">{failed} 个文件识别失败</span>}
        <span className="spacer" />
        {canControl && !complete && (
          <span className="ocr-bar-actions" role="group" aria-label="文字识别操作">
            {running ? (
              <button
                className="btn btn-sm"
                type="button"
                disabled={!!busy}
                onClick={() => void act('ocr:pause', '文字识别已暂停，已识别的页面保留。')}
              >
                {busy === 'ocr:pause' ? '正在暂停…' : '暂停'}
              </button>
            ) : (
              <button
                className="btn btn-sm btn-primary"
                type="button"
                disabled={!!busy}
                onClick={() => void act('ocr:campaign', '文字识别已开始，在后台进行。')}
              >
                {(paused || filesQueued) && !cancelled ? '继续' : '开始识别'}
              </button>
            )}
            {filesQueued > 0 && (
              <button className="btn btn-sm btn-ghost" type="button" disabled={!!busy} onClick={() => setConfirmCancel(true)}>
                取消
              </button>
            )}
          </span>
        )}
      </div>
      <Dialog
        open={confirmCancel}
        title="取消本活动的文字识别？"
        onClose={() => setConfirmCancel(false)}
        footer={
          <>
            <button className="btn" type="button" onClick={() => setConfirmCancel(false)}>
              不取消
            </button>
            <button
              className="btn btn-danger"
              type="button"
              disabled={!!busy}
              onClick={() => {
                setConfirmCancel(false);
                void act('ocr:cancel', '已取消本活动的文字识别，已识别的页保留。');
              }}
            >
              取消识别
            </button>
          </>
        }
      >
        <p>
          已识别的页会保留。其余 {pagesToRead - pagesRead}{' '}
          页扫描件将不再识别，直到点击“开始识别”；在此之前这些页不能检索、选择文字，预审也不会检查它们。
        </p>
      </Dialog>
      <div
        className="ocr-progress"
        role="progressbar"
        aria-label="文字识别进度"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-valuetext={`${pagesRead} / ${pagesToRead} 页`}
      >
        <div className="bar" style={{ width: `${pct.toFixed(1)}%` }} />
      </div>
      <p className="muted ocr-bar-note">
        扫描件的文字由本机离线识别（不联网），识别后可在阅卷时选择、复制、检索和标注。{running ? '识别在后台进行，不影响阅卷。' : ''}
      </p>
    </section>
  );
}

type OcrCaseTotal = Pick<OcrStatus['files'][number], 'pagesToRead' | 'pagesRead' | 'queued' | 'reading' | 'error'>;

/**
 * Each case's reading state (its files together), built once per status: the case list looks a row
 * up here instead of going through the campaign's whole file list for every row it draws.
 */
export function ocrByCase(status: OcrStatus | null): ReadonlyMap<string, OcrCaseTotal> {
  const byCase = new Map<string, OcrCaseTotal>();
  for (const f of status?.files ?? []) {
    const a = byCase.get(f.caseId);
    byCase.set(
      f.caseId,
      a
        ? {
            pagesToRead: a.pagesToRead + f.pagesToRead,
            pagesRead: a.pagesRead + f.pagesRead,
            queued: a.queued || f.queued,
            reading: a.reading || f.reading,
            error: a.error ?? f.error,
          }
        : { pagesToRead: f.pagesToRead, pagesRead: f.pagesRead, queued: f.queued, reading: f.reading, error: f.error },
    );
  }
  return byCase;
}

/** A case's reading state, for the case list (`total` from ocrByCase). */
export function OcrCaseCell({ total }: { total: OcrCaseTotal | undefined }) {
  if (!total) return <td className="muted">—</td>;
  const { label, short, tone } = ocrFileState(total);
  const badge = { ok: 'badge-ok', busy: 'badge-primary', wait: '', error: 'badge-danger' }[tone];
  return (
    <td data-testid="case-ocr">
      <span className={`badge ocr-state ${badge}`} title={label} aria-label={label}>
        {short}
      </span>
    </td>
  );
}
