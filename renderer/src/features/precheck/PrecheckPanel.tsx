/**
 * The 预审 tab beside the reader: the machine's findings on this file, grouped by the checklist item
 * they suggest, each with the pages it rests on (a click opens the page), the rule and the statute.
 * 采纳 pre-fills that item on the reviewer's own sheet with the finding's text (the reviewer still
 * confirms and may change everything) and records the decision; 不采纳 asks for an optional reason.
 * Nothing here scores: the sheet is the reviewer's.
 */
import { useMemo, useState } from 'react';
import type { PrecheckFindingView } from '../../../../shared/precheck/channels';
import { PRECHECK_DECISION_LABELS } from '../../../../shared/precheck/labels';
import { SEVERITIES } from '../../../../shared/precheck/rules';
import { errorMessage, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { useToast } from '../../ui/toast';
import './precheck.css';

export interface PrecheckPanelProps {
  caseId: string;
  /** 1-based page of a file of the case. */
  onOpenPage(documentId: string, page: number): void;
  itemLabel(itemId: string): string;
  /**
   * Pre-fills an item of the caller's sheet with a finding's text: null when done, else why not (no
   * sheet here, the item is not in this file's standard…). Absent for whoever does not score.
   */
  prefill?: ((itemId: string, comment: string, location: string) => string | null) | undefined;
  /** A finding is being taken: the caller shows the sheet, where it is pre-filled. */
  onPrefilled?: (() => void) | undefined;
}

const SEVERITY_BADGE = { veto: 'badge-danger', deduction: 'badge-warn', note: 'badge-primary' } as const;

const pagesText = (f: PrecheckFindingView): string =>
  f.pages.length ? `第${[...new Set(f.pages.map((p) => p.casePage))].join('、')}页` : '';

export function PrecheckPanel({ caseId, onOpenPage, itemLabel, prefill, onPrefilled }: PrecheckPanelProps) {
  const user = useUser();
  const toast = useToast();
  const decides = user.role !== 'observer';
  const q = useQuery('precheck:case', { caseId }, { refreshOn: (c) => c.entity === 'case' && c.id === caseId });
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const view = q.data;

  const groups = useMemo(() => {
    const byItem = new Map<string, PrecheckFindingView[]>();
    for (const f of view?.findings ?? []) byItem.set(f.itemId, [...(byItem.get(f.itemId) ?? []), f]);
    return [...byItem];
  }, [view]);

  async function decide(f: PrecheckFindingView, decision: 'taken' | 'rejected' | null, why = ''): Promise<void> {
    setBusy(f.id);
    try {
      if (decision === 'taken' && prefill) {
        // The sheet is shown first, so the pre-filled item can be scrolled to and focused.
        onPrefilled?.();
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
        const problem = prefill(f.itemId, `【预审】${f.message}`, pagesText(f));
        if (problem) {
          toast.show(problem, 'error');
          return;
        }
      }
      await invoke('precheck:decide', { caseId, findingId: f.id, decision, reason: why });
      setRejecting(null);
      setReason('');
      q.reload();
      if (decision === 'taken' && prefill)
        toast.show(`已在评查表第 ${itemLabel(f.itemId).split(' ')[0]} 项预填扣分理由，请核对分值（自动保存）。`, 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    } finally {
      setBusy(null);
    }
  }

  if (q.error)
    return (
      <div className="notice notice-error" style={{ margin: 16 }}>
        {q.error}
      </div>
    );
  if (!view)
    return (
      <div className="empty">
        <span className="spinner" />
      </div>
    );
  const open = view.findings.filter((f) => f.decision === null).length;

  return (
    <div className="pq-panel" aria-label="智能预审">
      <div className="pq-head">
        <div className="notice notice-info pq-machine" role="note">
          <strong>机器预审提示</strong>，仅供参考：不自动扣分，是否扣分由您决定。
        </div>
        <div className="pq-meta muted">
          {view.run ? (
            <>
              共 {view.findings.length} 条{decides && view.findings.length ? `，未处理 ${open} 条` : ''} · 规则版本{' '}
              {view.run.engine.replace(/^precheck@/, '')}
              {view.run.pagesUnread > 0 && (
                <span className="pq-unread"> · 尚有 {view.run.pagesUnread} 页扫描件未识别，识别后将重新预审</span>
              )}
            </>
          ) : (
            '本案卷尚未预审。'
          )}
          {view.stale && (
            <button type="button" className="btn btn-sm" onClick={q.reload} title="案卷文字已更新（如文字识别完成），重新预审">
              重新预审
            </button>
          )}
        </div>
      </div>
      {view.run && view.findings.length === 0 && <div className="side-empty">未发现需要提示的问题。请仍按评查标准逐项评查。</div>}
      <ol className="pq-groups">
        {groups.map(([itemId, findings]) => (
          <li key={itemId} className="pq-group">
            <div className="pq-item" title="建议关联的评查项">
              {itemLabel(itemId) !== itemId
                ? `评查项 ${itemLabel(itemId)}`
                : `参考标准第 ${itemId.replace(/^[a-z]+-/, '')} 项（本案卷适用的标准中无对应项，采纳前请在评查表中自选评查项）`}
            </div>
            <ol className="pq-findings">
              {findings.map((f) => (
                <li key={f.id} className={`pq-finding ${f.decision ? `pq-${f.decision}` : ''}`} data-rule={f.rule}>
                  <div className="pq-title">
                    <span className={`badge ${SEVERITY_BADGE[f.severity]}`}>{SEVERITIES[f.severity]}</span>
                    <strong>{f.title}</strong>
                  </div>
                  <p className="pq-message">{f.message}</p>
                  <div className="pq-where">
                    {f.pages.map((p) => (
                      <button
                        key={`${p.documentId}:${p.pageIndex}`}
                        type="button"
                        className="btn btn-sm"
                        onClick={() => onOpenPage(p.documentId, p.pageIndex + 1)}
                        aria-label={`打开第 ${p.casePage} 页`}
                      >
                        第 {p.casePage} 页
                      </button>
                    ))}
                    {f.confidence < 1 && (
                      <span className="muted pq-conf" title="依据扫描件文字识别结果">
                        识别置信度 {Math.round(f.confidence * 100)}%
                      </span>
                    )}
                  </div>
                  <div className="pq-statute muted">依据：{f.statute}</div>
                  {decides && (
                    <div className="pq-actions">
                      {f.decision ? (
                        <>
                          <span className={`badge ${f.decision === 'taken' ? 'badge-ok' : ''}`}>
                            已{PRECHECK_DECISION_LABELS[f.decision]}
                          </span>
                          {f.reason && <span className="muted">理由：{f.reason}</span>}
                          <button
                            type="button"
                            className="btn btn-sm btn-ghost"
                            disabled={busy === f.id}
                            onClick={() => void decide(f, null)}
                          >
                            撤销
                          </button>
                        </>
                      ) : rejecting === f.id ? (
                        <form
                          className="pq-reject"
                          onSubmit={(e) => {
                            e.preventDefault();
                            void decide(f, 'rejected', reason);
                          }}
                        >
                          <input
                            className="input"
                            autoFocus
                            value={reason}
                            maxLength={500}
                            placeholder="不采纳的理由（可不填）"
                            aria-label="不采纳的理由"
                            onChange={(e) => setReason(e.target.value)}
                            onKeyDown={(e) => e.key === 'Escape' && setRejecting(null)}
                          />
                          <button type="submit" className="btn btn-sm" disabled={busy === f.id}>
                            确定
                          </button>
                          <button type="button" className="btn btn-sm btn-ghost" onClick={() => setRejecting(null)}>
                            取消
                          </button>
                        </form>
                      ) : (
                        <>
                          <button
                            type="button"
                            className="btn btn-sm btn-primary"
                            disabled={busy === f.id}
                            onClick={() => void decide(f, 'taken')}
                            title="在评查表对应项预填扣分理由（分值仍由您确认）"
                          >
                            采纳
                          </button>
                          <button
                            type="button"
                            className="btn btn-sm"
                            disabled={busy === f.id}
                            onClick={() => {
                              setRejecting(f.id);
                              setReason('');
                            }}
                          >
                            不采纳
                          </button>
                        </>
                      )}
                    </div>
                  )}
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ol>
    </div>
  );
}
