/**
 * The meeting view shared by the controller and the projector window: it follows the agenda live
 * (`meeting:changed` from the back end) and moves it with the revision it last saw, so two screens
 * pressing "next" at once advance it once.
 */
import { useCallback, useEffect, useState } from 'react';
import { CASE_TYPE_LABELS } from '../../../../shared/campaigns/case-types';
import type { Projection } from '../../../../shared/panel/panel';
import { fmt } from '../../../../shared/standards/tree';
import { ApiError, errorMessage, invoke, onEvent } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { useToast } from '../../ui/toast';
import { PageImage } from './PageImage';

/** The projection for this window, refreshed whenever the agenda or the campaign's data change. */
export function useProjection(campaignId: string) {
  const view = useQuery('meeting:view', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId });
  const { reload } = view;
  useEffect(() => onEvent('meeting:changed', (e) => e.campaignId === campaignId && reload()), [campaignId, reload]);
  return view;
}

/** Next / previous with the revision this window saw; a refusal means another screen moved first. */
export function useAgendaControls(campaignId: string, projection: Projection | undefined, reload: () => void) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const move = useCallback(
    async (step: 'next' | 'previous') => {
      if (!projection || busy) return;
      setBusy(true);
      try {
        await invoke('meeting:move', { campaignId, step, revision: projection.revision });
      } catch (err) {
        toast.show(errorMessage(err), err instanceof ApiError && err.code === 'conflict' ? 'info' : 'error');
        reload();
      } finally {
        setBusy(false);
      }
    },
    [campaignId, projection, busy, toast, reload],
  );
  const setOptions = useCallback(
    async (options: { veiled?: boolean; hideFromConflicted?: boolean }) => {
      if (!projection) return;
      try {
        await invoke('meeting:options', { campaignId, ...options, revision: projection.revision });
      } catch (err) {
        toast.show(errorMessage(err), 'error');
        reload();
      }
    },
    [campaignId, projection, toast, reload],
  );
  return { move, setOptions, busy };
}

/** ←/→ and PageUp/PageDown (what a presenter's clicker sends) move the agenda; B veils the screen. */
export function useAgendaKeys(enabled: boolean, controls: ReturnType<typeof useAgendaControls>, projection: Projection | undefined) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent): void => {
      if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable], dialog')) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown') {
        e.preventDefault();
        void controls.move('next');
      } else if (e.key === 'ArrowLeft' || e.key === 'PageUp') {
        e.preventDefault();
        void controls.move('previous');
      } else if ((e.key === 'b' || e.key === 'B') && projection) {
        void controls.setOptions({ veiled: !projection.veiled });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, controls, projection]);
}

const FACTS: Array<[keyof NonNullable<NonNullable<Projection['item']>['facts']>, string]> = [
  ['title', '案件名称'],
  ['party', '当事人'],
  ['cause', '案由'],
  ['decision', '处罚/决定'],
  ['enforcementBody', '执法机关'],
  ['handler', '承办人'],
  ['filedOn', '立案日期'],
  ['closedOn', '结案日期'],
];

const STATUS_LABEL = { final: '合议结果', provisional: '暂定结果', unscored: '未评分' } as const;

export function ProjectionView({ projection, large = false }: { projection: Projection; large?: boolean }) {
  const [pageError, setPageError] = useState<string | null>(null);
  const item = projection.item;
  if (!item) {
    return (
      <div className={`projection ${large ? 'projection-large' : ''}`}>
        <div className="proj-empty">{projection.count === 0 ? '议程为空：请组长在“会议议程”中添加要集体评议的案卷。' : '议程已结束。'}</div>
      </div>
    );
  }
  const facts = item.facts;
  return (
    <div className={`projection ${large ? 'projection-large' : ''}`} data-testid="projection" data-case-number={item.caseNumber}>
      <div className="proj-head">
        <span className="proj-pos" data-testid="projection-position">
          集体评议 · 第 {projection.position + 1} / {projection.count} 项
        </span>
        {projection.veiled && <span className="badge badge-warn">详情已隐藏</span>}
      </div>
      <h1 className="proj-case">{item.caseNumber}</h1>
      <div className="proj-sub">
        {item.unitName} · {CASE_TYPE_LABELS[item.caseType]}
        {facts?.title ? ` · ${facts.title}` : ''}
      </div>
      {item.hidden ? (
        <div className="proj-hidden" role="status">
          {item.hidden}
        </div>
      ) : (
        <div className="proj-body">
          <div className="proj-side">
            {item.scores && (
              <div className="proj-scores" aria-label="各评查人员评分" data-testid="projection-scores">
                {item.scores.sheets.length === 0 && <div className="score-card muted">尚无评分</div>}
                {item.scores.sheets.map((s, i) => (
                  <div
                    key={i}
                    className={`score-card ${s.vetoed || s.grade === '不合格' ? 'score-bad' : ''}`}
                    data-testid="projection-sheet"
                  >
                    <div className="score-name">
                      {s.reviewerName}
                      {s.status === 'draft' ? '（未提交）' : ''}
                    </div>
                    <div className="score-total num">{fmt(s.total)}</div>
                    <div className="score-grade">{s.vetoed ? '否决' : s.grade}</div>
                  </div>
                ))}
                {item.scores.result && item.scores.disagreement && (
                  <div className="score-card score-result score-disagreement" data-testid="projection-result">
                    <div className="score-name">{STATUS_LABEL[item.scores.status]}</div>
                    <div className="score-grade">{item.scores.disagreement}</div>
                  </div>
                )}
                {item.scores.result && !item.scores.disagreement && (
                  <div className="score-card score-result" data-testid="projection-result">
                    <div className="score-name">
                      {STATUS_LABEL[item.scores.status]}
                      {item.scores.status === 'provisional' && item.scores.sheets.length > 1 ? '（平均）' : ''}
                    </div>
                    <div className="score-total num">{fmt(item.scores.result.total)}</div>
                    <div className="score-grade">{item.scores.result.vetoed ? '否决' : item.scores.result.grade}</div>
                  </div>
                )}
              </div>
            )}
            {item.scores && item.scores.disputes.length > 0 && (
              <table className="proj-disputes" aria-label="分歧项" data-testid="projection-disputes">
                <thead>
                  <tr>
                    <th>分歧项</th>
                    <th className="pts">分值</th>
                    {item.scores.sheets
                      .filter((s) => s.status !== 'draft')
                      .map((s, i) => (
                        <th key={i} className="who">
                          {s.reviewerName}
                        </th>
                      ))}
                  </tr>
                </thead>
                <tbody>
                  {item.scores.disputes.map((d) => (
                    <tr key={d.itemId}>
                      <td className="what" title={d.text}>
                        <b>{d.code}</b> {d.text}
                      </td>
                      <td className="pts num">{d.points}</td>
                      {d.answers.map((a, i) => (
                        <td key={i} className="who num">
                          {a}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <dl className="proj-facts">
              {item.vetoes.length > 0 && (
                <div className="proj-evidence" data-testid="projection-vetoes">
                  <dt>否决依据</dt>
                  <dd>
                    {item.vetoes.map((v, i) => (
                      <div key={i}>
                        <b>第 {v.code} 项</b> {v.text}：{v.reason}
                        {v.places.length > 0 ? `（证据：${v.places.join('、')}）` : ''}
                      </div>
                    ))}
                  </dd>
                </div>
              )}
              {/* A settled veto makes the deductions moot; before the 合议 the panel weighs both. */}
              {(item.vetoes.length === 0 || item.scores?.status !== 'final') && item.evidence.length > 0 && (
                <div className="proj-evidence" data-testid="projection-evidence">
                  <dt>扣分证据</dt>
                  <dd>
                    {item.evidence.map((e) => (
                      <div key={`${e.documentId}-${e.pageNumber}`}>
                        {e.place}：{e.label}
                      </div>
                    ))}
                  </dd>
                </div>
              )}
              {FACTS.filter(([k]) => facts?.[k]).map(([k, label]) => (
                <div key={k}>
                  <dt>{label}</dt>
                  <dd>{String(facts![k])}</dd>
                </div>
              ))}
              <div>
                <dt>卷宗</dt>
                <dd>
                  {facts?.documentCount} 个文件，共 {facts?.pageCount} 页
                </dd>
              </div>
            </dl>
          </div>
          {item.page && (
            <figure className="proj-page" data-testid="projection-page">
              <figcaption>
                {item.caseNumber}
                {(facts?.documentCount ?? 1) > 1 ? ` ${item.page.documentTitle}` : ''} · 第 {item.page.pageNumber} / {item.page.pageCount}{' '}
                页
              </figcaption>
              {pageError ? (
                <div className="notice notice-error">{pageError}</div>
              ) : (
                <PageImage url={item.page.url} pageNumber={item.page.pageNumber} marks={item.page.marks} onError={setPageError} />
              )}
            </figure>
          )}
        </div>
      )}
      {item.conflicted.length > 0 && (
        <div className="proj-conflicted" data-testid="conflicted-members">
          须回避：{item.conflicted.map((c) => `${c.name}（${c.reasons.join('；')}）`).join('，')}
        </div>
      )}
    </div>
  );
}
