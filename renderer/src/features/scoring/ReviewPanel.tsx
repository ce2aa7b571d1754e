/**
 * 评分概况: where the file stands among its reviewers. Blind review is the back end's: a sheet the
 * caller may not see yet arrives without its score. The lead reopens sheets, chooses who decides a
 * flagged file, opens the reconciliation and withdraws a settled result here.
 */
import { useState, type FormEvent } from 'react';
import { SHEET_STATUS_LABELS } from '../../../../shared/scoring/sheet-status';
import { REVIEW_ROUTE_LABELS, REVIEW_ROUTES, type ReviewRoute } from '../../../../shared/panel/divergence';
import { FINAL_SOURCE_LABELS } from '../../../../shared/panel/review-states';
import type { CaseReview } from '../../../../shared/panel/views';
import { fmt } from '../../../../shared/standards/tree';
import { invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { useFormAction, useToastAction } from '../../ui/use-form-action';
import { ReviewStateBadge } from './ReviewStateBadge';

export function ReviewPanel({ review, onChanged }: { review: CaseReview; onChanged(): void }) {
  const toast = useToast();
  const [reopening, setReopening] = useState<{ sheetId: string; name: string } | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);

  return (
    <div className="review-panel" aria-label="评分概况">
      <div className="review-state">
        <ReviewStateBadge state={review.state} route={review.route} assigneeName={review.assignee?.name ?? null} large />
        <span className="muted">
          已提交 {review.delivered} / {review.required} 份
        </span>
      </div>
      {review.final && (
        <div className="final-box" data-testid="final-result">
          <div className="score num">
            {fmt(review.final.summary.total)}
            <small> 分</small>
          </div>
          <div>
            <span
              className={`badge ${review.final.summary.vetoed || review.final.summary.grade === '不合格' ? 'badge-danger' : 'badge-ok'} grade`}
            >
              {review.final.summary.grade}
            </span>
            <div className="muted">
              {FINAL_SOURCE_LABELS[review.final.source]}
              {review.final.finalisedByName ? ` · ${review.final.finalisedByName}` : ''}
            </div>
            {review.final.note && <div>{review.final.note}</div>}
          </div>
        </div>
      )}
      {review.reasons.length > 0 && (
        <ul className="reasons" aria-label="分歧原因">
          {review.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      <table className="table compact">
        <thead>
          <tr>
            <th>评查人员</th>
            <th>状态</th>
            <th className="num">进度</th>
            <th>得分</th>
            {review.canManage && <th />}
          </tr>
        </thead>
        <tbody>
          {review.sheets.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                还没有人评分。
              </td>
            </tr>
          )}
          {review.sheets.map((s) => (
            <tr key={s.sheetId} data-sheet-reviewer={s.reviewerName}>
              <td>
                {s.reviewerName}
                {s.sheetId === review.mySheetId ? '（我）' : ''}
              </td>
              <td>
                <span className={`badge status-${s.status}`}>{SHEET_STATUS_LABELS[s.status]}</span>
                {s.status === 'reopened' && s.reopenReason && <div className="muted small">{s.reopenReason}</div>}
              </td>
              <td className="num">
                {s.answeredCount}/{s.itemCount}
              </td>
              <td data-testid="review-sheet-score">
                {!s.summary ? (
                  <span className="muted" title="背靠背评查：提交自己的评查表后才能看到他人的评分">
                    提交后可见
                  </span>
                ) : s.answeredCount < s.itemCount && !s.summary.vetoed ? (
                  // Unanswered items count as 符合: a total and grade before the last item would be a result nobody reached.
                  <span className="num" title="全部项目评定后给出得分和等次">
                    已扣 {fmt(s.summary.max - s.summary.total)} 分
                  </span>
                ) : (
                  <span className="num">
                    {fmt(s.summary.total)} · {s.summary.grade}
                  </span>
                )}
              </td>
              {review.canManage && (
                <td>
                  {(s.status === 'submitted' || (s.status === 'final' && review.final?.source === 'auto')) && (
                    <button type="button" className="btn btn-sm" onClick={() => setReopening({ sheetId: s.sheetId, name: s.reviewerName })}>
                      退回
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {review.state === 'flagged' && review.canManage && <RouteForm review={review} onChanged={onChanged} />}
      <div className="review-actions">
        {review.seesAll && review.delivered > 0 && (
          <a className={`btn ${review.canReconcile ? 'btn-primary' : ''}`} href={href.reconcile(review.caseId)}>
            {review.canReconcile ? '进入合议' : '查看各评查表对照'}
          </a>
        )}
        {review.canManage && review.final?.source === 'panel' && (
          <button type="button" className="btn btn-danger" onClick={() => setWithdrawing(true)}>
            撤销定分
          </button>
        )}
      </div>
      <ReasonDialog
        open={!!reopening}
        title={`退回 ${reopening?.name ?? ''} 的评查表`}
        label="退回理由（评查人员会看到）"
        action="退回"
        onClose={() => setReopening(null)}
        onSubmit={async (reason) => {
          await invoke('sheet:reopen', { sheetId: reopening!.sheetId, reason });
          toast.show(`已退回 ${reopening!.name} 的评查表。`, 'ok');
          setReopening(null);
          onChanged();
        }}
      />
      <WithdrawDialog caseId={review.caseId} open={withdrawing} onClose={() => setWithdrawing(false)} onDone={onChanged} />
    </div>
  );
}

function RouteForm({ review, onChanged }: { review: CaseReview; onChanged(): void }) {
  const users = useQuery('user:list', {});
  const [route, setRoute] = useState<ReviewRoute | ''>(review.routeChosen ? (review.route ?? '') : '');
  const [assigneeId, setAssigneeId] = useState(review.assignee?.id ?? '');
  const { busy, run } = useToastAction();
  async function save(e: FormEvent) {
    e.preventDefault();
    if (
      await run(
        () =>
          invoke('review:route', {
            caseId: review.caseId,
            route: route || null,
            assigneeId: route === 'recheck' ? assigneeId || null : null,
            revision: review.revision,
          }),
        '已指定处理方式。',
      )
    )
      onChanged();
  }
  return (
    <form className="route-form" onSubmit={save} aria-label="处理方式">
      <Field label="处理方式">
        <select className="input" value={route} onChange={(e) => setRoute(e.target.value as ReviewRoute | '')}>
          <option value="">按分歧规则（{review.route ? REVIEW_ROUTE_LABELS[review.route] : '—'}）</option>
          {REVIEW_ROUTES.map((r) => (
            <option key={r} value={r}>
              {REVIEW_ROUTE_LABELS[r]}
            </option>
          ))}
        </select>
      </Field>
      {route === 'recheck' && (
        <Field label="复核人">
          <select className="input" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
            <option value="">请选择…</option>
            {users.data
              ?.filter((u) => u.role !== 'observer')
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName}
                </option>
              ))}
          </select>
        </Field>
      )}
      <button className="btn" type="submit" disabled={busy}>
        保存
      </button>
    </form>
  );
}

/** Withdraws a file's panel settlement, with a reason (audited); the panel's decisions stay as a draft. */
export function WithdrawDialog({ caseId, open, onClose, onDone }: { caseId: string; open: boolean; onClose(): void; onDone(): void }) {
  const toast = useToast();
  return (
    <ReasonDialog
      open={open}
      title="撤销定分结果"
      label="撤销理由（记入审计日志）"
      action="撤销定分"
      onClose={onClose}
      onSubmit={async (reason) => {
        await invoke('reconcile:withdraw', { caseId, reason });
        toast.show('已撤销定分，合议结果保留为草稿。', 'ok');
        onClose();
        onDone();
      }}
    />
  );
}

export function ReasonDialog({
  open,
  title,
  label,
  action,
  onClose,
  onSubmit,
}: {
  open: boolean;
  title: string;
  label: string;
  action: string;
  onClose(): void;
  onSubmit(reason: string): Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const { error, setError, busy, run } = useFormAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setError('请填写理由。');
    if (await run(() => onSubmit(reason.trim()))) setReason('');
  }
  return (
    <Dialog open={open} title={title} onClose={() => !busy && onClose()} width={520}>
      <form onSubmit={submit} aria-label={title}>
        <Field label={label} error={error}>
          <textarea className="input" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
        </Field>
        <div className="dialog-actions">
          <button className="btn" type="button" onClick={onClose} disabled={busy}>
            取消
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {action}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
