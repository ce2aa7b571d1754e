/**
 * 工作站设置 › 备份与恢复: the organiser writes a backup of the whole workspace to a folder (a USB
 * stick), and restores one. A backup and a restore are jobs with progress and cancel; a restore is
 * checked file by file before anything is written, asks first (it replaces this workstation's data,
 * which is kept in a dated folder) and takes effect at the next start.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { BackupInspection, BackupOutcome, BackupSummary } from '../../../../shared/backup/manifest';
import type { JobView } from '../../../../shared/import/api';
import { localDateTime } from '../../../../shared/audit/labels';
import { desktopShell, errorMessage, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { followJob } from '../../api/jobs';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import './backup.css';

const mb = (n: number): string => `${(n / 1024 ** 2).toFixed(n < 10 * 1024 ** 2 ? 1 : 0)} MB`;

type Running = { kind: 'backup' | 'restore'; label: string; view: JobView };

export function SettingsScreen() {
  const status = useQuery('backup:status', {});
  const toast = useToast();
  const [backupFolder, setBackupFolder] = useState('');
  const [restoreFolder, setRestoreFolder] = useState('');
  const [running, setRunning] = useState<Running | null>(null);
  const [backupError, setBackupError] = useState<string | null>(null);
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const [lastBackup, setLastBackup] = useState<BackupOutcome | null>(null);
  const [prepared, setPrepared] = useState<BackupSummary | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [inspection, setInspection] = useState<BackupInspection | null>(null);
  const [inspecting, setInspecting] = useState(false);

  const follow = useCallback(async (kind: Running['kind'], label: string, jobId: string): Promise<JobView> => {
    try {
      return await followJob(jobId, (view) => setRunning({ kind, label, view }));
    } finally {
      setRunning(null);
    }
  }, []);

  async function startBackup(e: FormEvent) {
    e.preventDefault();
    setBackupError(null);
    setLastBackup(null);
    try {
      const { jobId } = await invoke('backup:start', { folder: backupFolder });
      const final = await follow('backup', '正在备份', jobId);
      if (final.status === 'cancelled') return toast.show('备份已取消；该文件夹中的备份不完整，不能用于恢复。', 'info');
      if (final.status === 'failed') return setBackupError(final.error?.message ?? '备份失败。');
      setLastBackup(await invoke('backup:result', { jobId }));
      // The folder now heads the list of folders to restore from.
      status.reload();
    } catch (err) {
      setBackupError(errorMessage(err));
    }
  }

  async function startRestore() {
    setConfirming(false);
    setRestoreError(null);
    try {
      const { jobId } = await invoke('backup:restore', { folder: restoreFolder, replaceExisting: true });
      const final = await follow('restore', '正在核对并恢复', jobId);
      if (final.status === 'cancelled') return toast.show('恢复已取消，工作站数据未作任何改动。', 'info');
      if (final.status === 'failed') return setRestoreError(final.error?.message ?? '恢复失败。');
      setPrepared(await invoke('backup:restored', { jobId }));
      status.reload();
    } catch (err) {
      setRestoreError(errorMessage(err));
    }
  }

  /** Checks the folder first (it exists, holds a backup) and only then asks, showing what it holds. */
  async function inspect(e: FormEvent) {
    e.preventDefault();
    setRestoreError(null);
    setInspecting(true);
    try {
      setInspection(await invoke('backup:inspect', { folder: restoreFolder }));
      setConfirming(true);
    } catch (err) {
      setRestoreError(errorMessage(err));
    } finally {
      setInspecting(false);
    }
  }

  async function discard() {
    try {
      await invoke('backup:discardRestore', {});
      setPrepared(null);
      status.reload();
      toast.show('已放弃待恢复的备份，工作站数据保持不变。', 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }

  const pending = prepared ?? status.data?.pendingRestore ?? null;
  const dataFolder = status.data?.dataFolder ?? '';
  const suggestions = [
    ...new Set([...(status.data?.recentFolders ?? []), ...(status.data?.defaultFolder ? [status.data.defaultFolder] : [])]),
  ];

  return (
    <div className="page" style={{ maxWidth: 1100 }}>
      <div className="page-head">
        <div className="grow">
          <h1>工作站设置</h1>
          <p>
            数据文件夹：<code data-testid="data-folder">{dataFolder || '…'}</code>
          </p>
        </div>
      </div>

      <section className="panel backup-card" aria-labelledby="backup-title">
        <h2 id="backup-title">备份</h2>
        <p className="muted">
          把本工作站的全部数据（数据库、导入的案卷文件、导出文件）备份到一个文件夹，例如 U 盘。评查人员可以继续工作。
          再次备份到同一文件夹时，已在其中且 SM3 摘要一致的案卷文件不再复制。备份清单最后写入：中途取消或出错的备份不能用于恢复。
        </p>
        <form className="backup-form" onSubmit={(e) => void startBackup(e)}>
          <Field label="备份到文件夹" error={backupError} hint="填写或从下面选择文件夹（如 U 盘上的“评查备份”）；文件夹不存在时会新建。">
            <input
              value={backupFolder}
              onChange={(e) => setBackupFolder(e.target.value)}
              placeholder="E:\评查备份"
              disabled={!!running}
              data-testid="backup-folder"
            />
          </Field>
          <PickFolder title="选择备份到的文件夹" onChoose={setBackupFolder} disabled={!!running} />
          <button className="btn btn-primary" type="submit" disabled={!!running || !backupFolder.trim()}>
            开始备份
          </button>
        </form>
        <FolderChoices
          folders={suggestions}
          recent={status.data?.recentFolders ?? []}
          onChoose={setBackupFolder}
          disabled={!!running}
          testId="backup-choices"
        />
        {lastBackup && (
          <div className="notice notice-info" role="status" data-testid="backup-done">
            <strong>备份完成</strong>（{localDateTime(lastBackup.createdAt)}）：共 {lastBackup.files} 个文件，{mb(lastBackup.bytes)}；
            本次复制案卷文件 {lastBackup.blobsCopied} 个，沿用已有的 {lastBackup.blobsKept} 个。备份位置：{lastBackup.folder}
          </div>
        )}
      </section>

      <section className="panel backup-card" aria-labelledby="restore-title">
        <h2 id="restore-title">恢复</h2>
        <p className="muted">
          从备份文件夹恢复全部数据。恢复前逐一核对每个文件的 SM3 摘要，备份损坏或不完整时拒绝恢复并指出是哪个文件，不作任何改动。
          核对通过后，备份在下次启动工作站时替换现有数据；现有数据整体保留在数据文件夹旁带日期的文件夹中。
        </p>
        {pending ? (
          <div className="notice notice-warn" role="status" data-testid="restore-pending">
            <strong>已准备恢复，重新启动工作站后生效。</strong>
            <div>
              备份时间 {localDateTime(pending.createdAt)}，来自 {pending.folder}（案卷文件 {pending.blobs} 个，{mb(pending.bytes)}）。
              现有数据将保留在“{dataFolder}.恢复前-日期时间”文件夹中。
            </div>
            <div className="restore-warning" data-testid="restore-warning">
              <strong>请注意：</strong>
              {`重新启动后，本工作站的数据回到备份时（${localDateTime(pending.createdAt)}）的状态，` +
                '从此刻到重新启动之间任何人在本机所做的评分、标注和修改都不会出现在恢复后的数据中（只留在上述“恢复前”文件夹里）。' +
                '请先通知正在使用本工作站的所有人保存并退出，再' +
                (isElectron ? '关闭本程序并重新打开。' : '在运行工作站服务的电脑上停止并重新启动服务（npm run web）。') +
                '在重新启动之前，本机暂停评分和修改。'}
            </div>
            <div className="backup-actions">
              {desktopShell() && (
                <button className="btn btn-danger" type="button" onClick={() => void desktopShell()?.relaunch()}>
                  立即重新启动
                </button>
              )}
              <button className="btn" type="button" onClick={() => void discard()}>
                放弃恢复
              </button>
            </div>
          </div>
        ) : (
          <form className="backup-form" onSubmit={(e) => void inspect(e)}>
            <Field label="从备份文件夹恢复" error={restoreError} hint="选择含有 pingcha-backup.json 的备份文件夹。">
              <input
                value={restoreFolder}
                onChange={(e) => setRestoreFolder(e.target.value)}
                placeholder="E:\评查备份"
                disabled={!!running}
                data-testid="restore-folder"
              />
            </Field>
            <PickFolder title="选择备份所在的文件夹" onChoose={setRestoreFolder} disabled={!!running} />
            <button className="btn" type="submit" disabled={!!running || inspecting || !restoreFolder.trim()}>
              {inspecting ? '正在读取…' : '核对并恢复…'}
            </button>
          </form>
        )}
        {!pending && (
          <FolderChoices
            folders={status.data?.recentFolders ?? []}
            recent={status.data?.recentFolders ?? []}
            onChoose={setRestoreFolder}
            disabled={!!running}
            testId="restore-choices"
          />
        )}
      </section>

      {running && (
        <JobBar
          key={running.view.jobId}
          job={running}
          onCancel={() =>
            void invoke('job:cancel', { jobId: running.view.jobId }).catch((err: unknown) => toast.show(errorMessage(err), 'error'))
          }
        />
      )}

      <Dialog
        open={confirming && !!inspection}
        title="用这份备份替换本工作站的数据？"
        onClose={() => setConfirming(false)}
        footer={
          <>
            <button className="btn" type="button" onClick={() => setConfirming(false)}>
              取消
            </button>
            <button className="btn btn-danger" type="button" onClick={() => void startRestore()} data-testid="restore-confirm">
              核对并恢复
            </button>
          </>
        }
      >
        {inspection && (
          <dl className="backup-facts" data-testid="restore-facts">
            <dt>备份时间</dt>
            <dd>{localDateTime(inspection.createdAt)}</dd>
            <dt>评查活动</dt>
            <dd>{inspection.campaigns.length ? inspection.campaigns.join('、') : '无'}</dd>
            <dt>内容</dt>
            <dd>
              案卷文件 {inspection.blobs} 个，导出文件 {inspection.exports} 个，共 {mb(inspection.bytes)}
            </dd>
            <dt>位置</dt>
            <dd>{inspection.folder}</dd>
          </dl>
        )}
        <p>恢复将先核对备份中的每个文件，核对通过后在下次启动时用备份替换现有数据；备份时间之后在本机所做的工作不在备份中。</p>
        <p>现有数据不会删除，整体保留在“{dataFolder}.恢复前-日期时间”文件夹中。</p>
      </Dialog>
    </div>
  );
}

/** The running backup or restore, with its cancel button (Esc). */
function JobBar({ job, onCancel }: { job: Running; onCancel: () => void }) {
  const { view } = job;
  const panel = useRef<HTMLDivElement>(null);
  // At 1366×768 the bar opens below the fold: bring it, and its 取消, into view.
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'nearest' });
    panel.current?.querySelector<HTMLButtonElement>('button')?.focus({ preventScroll: true });
  }, []);
  const cancelling = view.message === '正在取消…';
  const pct = view.bytesTotal > 0 ? (view.bytesDone / view.bytesTotal) * 100 : view.total ? (view.done / view.total) * 100 : 0;
  const onCancelRef = useRef(onCancel);
  onCancelRef.current = onCancel;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancelRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="panel backup-job" role="status" aria-live="polite" data-testid="backup-job" ref={panel}>
      <div className="backup-job-head">
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
        className="backup-progress"
        role="progressbar"
        aria-label={job.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
      >
        <div className="bar" style={{ width: `${pct.toFixed(1)}%` }} />
      </div>
      <div className="backup-actions">
        <span className="muted">
          {job.kind === 'restore'
            ? '取消后不恢复任何数据，本工作站现有数据保持不变。'
            : '取消后不留下可用于恢复的半份备份，工作站数据不受影响。'}
        </span>
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

/** Whether this is the desktop program (a window of its own) rather than the browser build. */
const isElectron = desktopShell() !== null;

/** The desktop program's folder dialog (the browser build offers the folders below instead). */
function PickFolder({ title, onChoose, disabled }: { title: string; onChoose: (folder: string) => void; disabled: boolean }) {
  const shell = desktopShell();
  if (!shell) return null;
  return (
    <button
      className="btn"
      type="button"
      disabled={disabled}
      onClick={() =>
        void shell.chooseFolder(title).then((folder) => {
          if (typeof folder === 'string' && folder) onChoose(folder);
        })
      }
    >
      选择文件夹…
    </button>
  );
}

/** Folders to pick instead of typing one: those backed up to before, and the suggested place. */
function FolderChoices(props: {
  folders: string[];
  recent: string[];
  onChoose: (folder: string) => void;
  disabled: boolean;
  testId: string;
}) {
  if (!props.folders.length) return null;
  return (
    <div className="folder-choices" data-testid={props.testId}>
      <span className="muted">选择：</span>
      {props.folders.map((f) => (
        <button key={f} className="btn btn-sm" type="button" disabled={props.disabled} onClick={() => props.onChoose(f)} title={f}>
          {props.recent.includes(f) ? '曾用' : '默认位置'} {f}
        </button>
      ))}
    </div>
  );
}
