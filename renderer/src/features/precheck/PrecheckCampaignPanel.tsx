/**
 * The campaign's 智能预审 section: the organiser or lead runs the pre-check over the files whose text
 * changed (or all again) as a background job with progress and cancel, and the overview (per file its
 * findings and how reviewers handled them) is exported as XLSX. Reviewers do not see it: they meet the
 * findings on each file they are assigned.
 */
import { useState } from 'react';
import type { JobView } from '../../../../shared/import/api';
import { download, errorMessage, invoke } from '../../api/client';
import { followJob } from '../../api/jobs';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { precheckSummaryParts } from '../../../../shared/precheck/summary';
import { useToast } from '../../ui/toast';

export function PrecheckCampaignPanel({ campaignId }: { campaignId: string }) {
  const user = useUser();
  const toast = useToast();
  const [job, setJob] = useState<JobView | null>(null);
  const [exporting, setExporting] = useState(false);
  // The XLSX's figures at a glance; they follow each file's run and each reviewer's decision.
  const summary = useQuery('precheck:summary', user.role === 'reviewer' ? null : { campaignId }, {
    refreshOn: (c) => c.campaignId === campaignId && (c.entity === 'case' || c.entity === 'sheet'),
  });
  if (user.role === 'reviewer') return null;
  const runs = user.role === 'organiser' || user.role === 'lead';
  const running = job?.status === 'running';

  async function run(force: boolean): Promise<void> {
    try {
      const { jobId } = await invoke('precheck:run', { campaignId, force });
      const end = await followJob(jobId, setJob);
      summary.reload();
      if (end.status === 'done')
        toast.show(end.total ? `智能预审完成：${end.message.replace(/^智能预审 /, '')}` : '各案卷的预审结果已是最新。', 'ok');
      else if (end.status === 'cancelled') toast.show('已取消智能预审；已预审的案卷保留结果。', 'ok');
      else toast.show(end.error?.message ?? '智能预审失败。', 'error');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }

  async function exportOverview(): Promise<void> {
    setExporting(true);
    try {
      const out = await invoke('precheck:export', { campaignId });
      download(out.url, out.fileName);
      toast.show(`已导出：${out.fileName}`, 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    } finally {
      setExporting(false);
    }
  }

  return (
    <section className="panel" aria-label="智能预审">
      <div style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', padding: '12px 14px', gap: 12 }}>
        <h3 style={{ flex: 1, margin: 0 }}>智能预审</h3>
        {running ? (
          <>
            <span className="muted" role="status">
              {job.message}
            </span>
            <button
              className="btn btn-sm"
              type="button"
              onClick={() =>
                void invoke('job:cancel', { jobId: job.jobId }).catch((err: unknown) => toast.show(errorMessage(err), 'error'))
              }
            >
              取消
            </button>
          </>
        ) : (
          runs && (
            <>
              <button className="btn btn-sm" type="button" onClick={() => void run(false)} title="预审文字有变化（如刚完成文字识别）的案卷">
                预审新文字
              </button>
              <button className="btn btn-sm" type="button" onClick={() => void run(true)} title="按当前规则重新预审全部案卷">
                全部重新预审
              </button>
            </>
          )
        )}
        <button className="btn btn-sm" type="button" disabled={exporting} onClick={() => void exportOverview()}>
          导出预审概况（XLSX）
        </button>
      </div>
      {summary.data && (
        <p className="pq-summary" data-testid="precheck-summary" style={{ margin: 0, padding: '0 14px 8px' }}>
          {precheckSummaryParts(summary.data).join('；')}。
        </p>
      )}
      <p className="muted" style={{ margin: 0, padding: '0 14px 12px' }}>
        导入和文字识别后自动预审；提示仅供评查人员参考，采纳与否由评查人员在各案卷“预审”页决定。
      </p>
    </section>
  );
}
