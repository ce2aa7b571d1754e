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
import { Dialog } from '../../ui/dialog';
import { useToast } from '../../ui/toast';
import './precheck.css';

export interface PrecheckPanelProps {
  caseId: string;
  /** The file's campaign and PDFs (开始识别 after recognition was cancelled reads them first). */
  campaignId?: string | undefined;
  documentIds?: string[] | undefined;
  /** 1-based page of a file of the case. */
  onOpenPage(documentId: string, page: number): void;
  itemLabel(itemId: string): string;
  /**
   * 采纳: pre-fills the finding's item on the caller's sheet with its text and marks the pages it
   * cites as the item's evidence. Null when done, else why not (no sheet here, the item is not in
   * this file's standard…). Absent for whoever does not score.
   */
  adopt?: ((f: PrecheckFindingView) => Promise<string | null>) | undefined;
  /**
   * 撤销 or 不采纳: takes back what 采纳 put on the sheet and the page. `error` when the sheet cannot
   * change now; else what was done, if anything.
   */
  withdraw?: ((f: PrecheckFindingView) => { error: string } | { note: string | null }) | undefined;
  /** Shows the caller's sheet (the 查看评查表 link beside a taken finding). */
  onPrefilled?: ((itemId: string) => void) | undefined;
  /**
   * A taken finding whose evidence marks are no longer on its pages (undone with Ctrl+Z / 撤销 in the
   * reader, or deleted): the finding says so rather than claiming a mark that is not there.
   */
  marksGone?: ((f: PrecheckFindingView) => boolean) | undefined;
  /** 重新标注: puts the finding's marks back on its pages as the item's evidence; null when done, else why not. */
  remark?: ((f: PrecheckFindingView) => Promise<string | null>) | undefined;
}

const SEVERITY_BADGE = { veto: 'badge-danger', deduction: 'badge-warn', note: 'badge-primary' } as const;

export function PrecheckPanel({
  caseId,
  campaignId,
  documentIds = [],
  onOpenPage,
  itemLabel,
  adopt,
  withdraw,
  onPrefilled,
  marksGone,
  remark,
}: PrecheckPanelProps) {
  const user = useUser();
  const toast = useToast();
  const decides = user.role !== 'observer';
  const q = useQuery('precheck:case', { caseId }, { refreshOn: (c) => c.entity === 'case' && c.id === caseId });
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  /** A 可能否决 finding waiting for the reviewer to confirm what 采纳 does to the file's result. */
  const [confirmVeto, setConfirmVeto] = useState<PrecheckFindingView | null>(null);
  /** What 采纳 did on the sheet, shown under the finding (the list stays where it is). */
  const [effects, setEffects] = useState<Record<string, string>>({});
  const view = q.data;
  const [resuming, setResuming] = useState(false);

  /** The organiser or lead starts recognition again (it reads the campaign's scans, this file first). */
  async function resumeOcr(): Promise<void> {
    if (!campaignId) return;
    setResuming(true);
    try {
      await invoke('ocr:campaign', { campaignId });
      for (const documentId of documentIds) await invoke('ocr:prioritise', { documentId });
      toast.show('已开始文字识别，识别后预审结果自动更新。', 'ok');
      q.reload();
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    } finally {
      setResuming(false);
    }
  }

  const groups = useMemo(() => {
    const byItem = new Map<string, PrecheckFindingView[]>();
    for (const f of view?.findings ?? []) byItem.set(f.itemId, [...(byItem.get(f.itemId) ?? []), f]);
    return [...byItem];
  }, [view]);

  async function decide(f: PrecheckFindingView, decision: 'taken' | 'rejected' | null, why = ''): Promise<void> {
    setBusy(f.id);
    try {
      let note: string | null = null;
      if (decision === 'taken' && adopt) {
        // The sheet stays mounted behind this tab: it is filled in place and the reviewer stays on the
        // list, with the next finding in view.
        const problem = await adopt(f);
        if (problem) {
          toast.show(problem, 'error');
          return;
        }
      } else if (decision !== 'taken' && withdraw) {
        // Withdrawn or rejected, the finding leaves no deduction and no mark of its own behind.
        const done = withdraw(f);
        if ('error' in done) {
          toast.show(done.error, 'error');
          return;
        }
        note = done.note;
      }
      await invoke('precheck:decide', { caseId, findingId: f.id, decision, reason: why });
      if (note) toast.show(note, 'ok');
      setRejecting(null);
      setReason('');
      q.reload();
      const code = itemLabel(f.itemId).split(' ')[0];
      if (decision === 'taken' && adopt)
        setEffects((e) => ({
          ...e,
          [f.id]:
            f.severity === 'veto'
              ? `已在评查表第 ${code} 项记为否决（本案卷 0 分、不合格），请核对。`
              : `已在评查表第 ${code} 项预填扣分理由，并在第 ${[...new Set(f.pages.map((p) => p.casePage))].join('、')} 页作了证据标注，请核对分值（自动保存）。`,
        }));
      if (decision !== 'taken')
        setEffects((e) => {
          const { [f.id]: _gone, ...rest } = e;
          return rest;
        });
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
      {decides && !view.decidable && (
        <div className="notice notice-info pq-unread" role="status">
          评查表已提交，预审提示的处理随之确定，只能查看。
        </div>
      )}
      {view.run && view.run.pagesUnread > 0 && (
        <div className="notice notice-warn pq-unread" role="status" data-testid="pq-unread">
          {view.ocrCancelled ? (
            <>
              <strong>文字识别已被取消，尚有 {view.run.pagesUnread} 页扫描件未识别。</strong>
              以下提示只依据已识别的页；缺失文书、页码、目录等检查待这些页识别后进行。
              {user.role === 'organiser' || user.role === 'lead' ? (
                <button type="button" className="btn btn-sm" disabled={resuming} onClick={() => void resumeOcr()}>
                  开始识别
                </button>
              ) : (
                <> 如需识别，请联系组织者或主审在评查活动页点击“开始识别”。</>
              )}
            </>
          ) : (
            <>
              <strong>尚有 {view.run.pagesUnread} 页正在等待文字识别，识别后预审结果自动更新。</strong>
              以下提示只依据已识别的页；缺失文书、页码、目录等检查待这些页识别后进行。
            </>
          )}
        </div>
      )}
      {view.run && view.run.pagesUnread === 0 && view.findings.length === 0 && (
        <div className="side-empty">未发现需要提示的问题。请仍按评查标准逐项评查。</div>
      )}
      <ol className="pq-groups">
        {groups.map(([itemId, findings]) => (
          <li key={itemId} className="pq-group">
            <div className="pq-item" title="建议关联的评查项">
              {itemLabel(itemId) !== itemId ? `评查项 ${itemLabel(itemId)}` : '本案卷适用的评查标准中没有对应项目，请人工判断'}
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
                  {f.decision === 'taken' && marksGone?.(f) ? (
                    <div className="pq-effect pq-marks-gone" role="status" data-testid="pq-marks-gone">
                      页面上的证据标注已撤销；评查表中的扣分理由仍保留。
                      {remark && view.decidable && (
                        <button
                          type="button"
                          className="btn btn-sm"
                          disabled={busy === f.id}
                          onClick={() => {
                            setBusy(f.id);
                            void remark(f)
                              .then((problem) => problem && toast.show(problem, 'error'))
                              .finally(() => setBusy(null));
                          }}
                        >
                          重新标注
                        </button>
                      )}
                    </div>
                  ) : (
                    effects[f.id] &&
                    f.decision === 'taken' && (
                      <div className="pq-effect" role="status">
                        {effects[f.id]}
                        {onPrefilled && (
                          <button type="button" className="btn btn-sm btn-ghost" onClick={() => onPrefilled(f.itemId)}>
                            查看评查表
                          </button>
                        )}
                      </div>
                    )
                  )}
                  {decides && !view.decidable && f.decision && (
                    <div className="pq-actions">
                      <span className={`badge ${f.decision === 'taken' ? 'badge-ok' : ''}`}>已{PRECHECK_DECISION_LABELS[f.decision]}</span>
                      {f.reason && <span className="muted">理由：{f.reason}</span>}
                    </div>
                  )}
                  {decides && view.decidable && (
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
                            onClick={() => (f.severity === 'veto' && adopt ? setConfirmVeto(f) : void decide(f, 'taken'))}
                            title="在评查表对应项预填扣分理由，并在所引页面作证据标注（分值仍由您确认）"
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
      <Dialog
        open={!!confirmVeto}
        title="采纳可能否决的提示？"
        onClose={() => setConfirmVeto(null)}
        footer={
          <>
            <button className="btn" type="button" onClick={() => setConfirmVeto(null)}>
              暂不采纳
            </button>
            <button
              className="btn btn-danger"
              type="button"
              onClick={() => {
                const f = confirmVeto;
                setConfirmVeto(null);
                if (f) void decide(f, 'taken');
              }}
            >
              采纳并记为否决
            </button>
          </>
        }
      >
        {confirmVeto && (
          <>
            <p>
              “{confirmVeto.title}”属于否决项。采纳后，您的评查表第 {itemLabel(confirmVeto.itemId).split(' ')[0]} 项将记为
              <strong>否决</strong>，本案卷评为 <strong>0 分、不合格</strong>。
            </p>
            <p className="muted">
              请先对照原件核实（第 {confirmVeto.pages.map((p) => p.casePage).join('、') || '—'} 页）。采纳后仍可在评查表中修改或撤销。
            </p>
          </>
        )}
      </Dialog>
    </div>
  );
}
