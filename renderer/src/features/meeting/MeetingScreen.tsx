/**
 * 会议议程: the lead builds the agenda of files for 集体评议, moves through it and controls what the
 * projector shows; every window on this agenda (the projector, members' laptops) follows.
 */
import { useEffect, useMemo, useState } from 'react';
import { CASE_TYPE_SHORT } from '../../../../shared/campaigns/case-types';
import { REVIEW_ROUTE_LABELS, type ReviewRoute } from '../../../../shared/panel/divergence';
import { errorMessage, invoke, onEvent } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { useUser } from '../../app/session';
import { ProjectionView, useAgendaControls, useAgendaKeys, useProjection } from './meeting';
import { useToast } from '../../ui/toast';
import '../panel/panel.css';
import { CampaignPageHead } from '../campaigns';

export function MeetingScreen({ campaignId }: { campaignId: string }) {
  const user = useUser();
  const canControl = user.role === 'organiser' || user.role === 'lead';
  const view = useProjection(campaignId);
  const controls = useAgendaControls(campaignId, view.data, view.reload);
  useAgendaKeys(canControl, controls, view.data);
  const p = view.data;

  return (
    <div className="page page-wide">
      <CampaignPageHead
        campaignId={campaignId}
        current="meeting"
        title="会议议程"
        note="投影窗口和各成员的电脑跟随议程翻页；与当前案卷被评查单位有回避关系的成员看不到详情。"
        actions={
          <a className="btn" href={href.projector(campaignId)} target="_blank" rel="noopener">
            打开投影窗口 ↗
          </a>
        }
      />
      {view.error && <div className="notice notice-error">{view.error}</div>}
      <div className="meeting-layout">
        {canControl && <AgendaEditor campaignId={campaignId} />}
        <section className="panel section" aria-label="当前议程">
          {canControl && p && (
            <div className="meeting-controls" role="toolbar" aria-label="议程控制">
              <button className="btn" type="button" onClick={() => controls.move('previous')} disabled={controls.busy || p.position <= 0}>
                ← 上一项
              </button>
              <b className="num" data-testid="meeting-position">
                {p.count ? `${p.position + 1} / ${p.count}` : '0 / 0'}
              </b>
              <button
                className="btn btn-primary"
                type="button"
                onClick={() => controls.move('next')}
                disabled={controls.busy || p.position >= p.count - 1}
              >
                下一项 →
              </button>
              <span className="spacer" />
              <label className="check">
                <input type="checkbox" checked={p.veiled} onChange={(e) => controls.setOptions({ veiled: e.target.checked })} />
                回避人员在场，隐藏详情 <kbd>B</kbd>
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={p.hideFromConflicted}
                  onChange={(e) => controls.setOptions({ hideFromConflicted: e.target.checked })}
                />
                不向须回避的成员显示详情
              </label>
            </div>
          )}
          {canControl && p?.item && !p.item.hidden && p.item.evidence.length > 0 && (
            <EvidencePicker campaignId={campaignId} revision={p.revision} evidence={p.item.evidence} />
          )}
          {p && <ProjectionView projection={p} />}
          {canControl && (
            <p className="muted small">
              键盘：<kbd>←</kbd>/<kbd>PageUp</kbd> 上一项，<kbd>→</kbd>/<kbd>PageDown</kbd> 下一项（翻页笔可用）。
            </p>
          )}
        </section>
      </div>
    </div>
  );
}

function EvidencePicker({
  campaignId,
  revision,
  evidence,
}: {
  campaignId: string;
  revision: number;
  evidence: Array<{ documentId: string; documentTitle: string; pageNumber: number; place: string; label: string }>;
}) {
  const toast = useToast();
  return (
    <div className="evidence-picker" role="group" aria-label="投影页面">
      <span className="muted">投影页面：</span>
      {evidence.map((e) => (
        <button
          key={`${e.documentId}-${e.pageNumber}`}
          className="btn btn-sm"
          type="button"
          title={e.label}
          onClick={async () => {
            try {
              await invoke('meeting:focus', { campaignId, documentId: e.documentId, page: e.pageNumber, revision });
            } catch (err) {
              toast.show(errorMessage(err), 'error');
            }
          }}
        >
          {e.place}
        </button>
      ))}
    </div>
  );
}

function AgendaEditor({ campaignId }: { campaignId: string }) {
  const toast = useToast();
  // A file flagged or settled elsewhere changes why files are before the panel: read the agenda again.
  const meeting = useQuery('meeting:get', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId });
  const cases = useQuery('case:list', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId });
  const marks = useQuery('assignment:list', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId });
  const [draft, setDraft] = useState<string[] | null>(null);
  const [adding, setAdding] = useState('');
  const { reload } = meeting;
  useEffect(() => onMeetingChanged(campaignId, reload), [campaignId, reload]);
  const saved = useMemo(() => meeting.data?.items.map((i) => i.caseId) ?? [], [meeting.data]);
  const savedKey = saved.join();
  // The agenda itself changed (here or on another screen): unsaved edits here were based on the old one.
  useEffect(() => setDraft(null), [savedKey]);
  const list = draft ?? saved;
  const byId = useMemo(() => new Map(cases.data?.map((c) => [c.id, c]) ?? []), [cases.data]);
  // Why each file is before the panel (the agenda's own items and those flagged since it was kept).
  const routes = useMemo(
    () =>
      new Map<string, ReviewRoute | null>(
        [...(meeting.data?.items ?? []), ...(meeting.data?.awaiting ?? [])].map((i) => [i.caseId, i.route]),
      ),
    [meeting.data],
  );
  const awaiting = (meeting.data?.awaiting ?? []).filter((i) => !list.includes(i.caseId));
  const drawn = new Set(marks.data?.cases.filter((c) => c.drawn).map((c) => c.caseId));
  const settled = new Set(
    [...(meeting.data?.items ?? []), ...(meeting.data?.awaiting ?? [])].filter((i) => i.settled).map((i) => i.caseId),
  );
  // Only files under review can come before the panel: drawn ones (when there is a draw) that have a PDF.
  const underReview = (id: string) => !marks.data?.drawId || drawn.has(id);
  const candidates = (cases.data ?? []).filter((c) => !list.includes(c.id) && c.documentCount > 0 && underReview(c.id));
  const dirty = draft !== null && draft.join() !== saved.join();

  const move = (i: number, d: number) => {
    const next = list.slice();
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x!);
    setDraft(next);
  };

  async function save() {
    if (!meeting.data) return;
    try {
      await invoke('meeting:setAgenda', { campaignId, caseIds: list, revision: meeting.data.revision });
      toast.show(`议程已保存（${list.length} 项）`, 'ok');
      setDraft(null);
      reload();
    } catch (err) {
      toast.show(errorMessage(err), 'error');
      reload();
    }
  }

  return (
    <section className="panel section agenda" aria-labelledby="agenda-title">
      <div className="section-head">
        <h2 id="agenda-title">议程</h2>
        <span className="muted">{list.length} 项</span>
      </div>
      <ol className="agenda-list">
        {list.map((id, i) => {
          const k = byId.get(id);
          const route = routes.get(id);
          return (
            <li
              key={id}
              aria-current={meeting.data && !dirty && i === meeting.data.position ? 'step' : undefined}
              data-agenda-case={k?.caseNumber}
              title={k ? `${k.caseNumber} · ${k.unitName} · ${CASE_TYPE_SHORT[k.caseType]}` : undefined}
            >
              {settled.has(id) ? (
                <span className="badge badge-ok agenda-why">已定分</span>
              ) : route ? (
                <span className={`badge agenda-why ${route === 'panel' ? 'badge-danger' : 'badge-warn'}`}>
                  {REVIEW_ROUTE_LABELS[route]}
                </span>
              ) : (
                <span className="badge agenda-why">自选</span>
              )}
              <span className="grow agenda-case">
                <b>{k?.caseNumber ?? '…'}</b>
                <span className="muted small">
                  &nbsp;{k?.unitName} · {k ? CASE_TYPE_SHORT[k.caseType] : ''}
                </span>
              </span>
              <button
                className="btn btn-sm btn-ghost"
                type="button"
                aria-label={`上移 ${k?.caseNumber}`}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </button>
              <button
                className="btn btn-sm btn-ghost"
                type="button"
                aria-label={`下移 ${k?.caseNumber}`}
                disabled={i === list.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              <button
                className="btn btn-sm btn-ghost"
                type="button"
                aria-label={`移出 ${k?.caseNumber}`}
                onClick={() => setDraft(list.filter((x) => x !== id))}
              >
                ×
              </button>
            </li>
          );
        })}
      </ol>
      {awaiting.length > 0 && (
        <div className="notice notice-warn agenda-awaiting" role="status">
          <span className="grow">
            另有 {awaiting.length} 件待合议的案卷不在议程中（
            {awaiting.map((a) => `${a.caseNumber}·${a.route ? REVIEW_ROUTE_LABELS[a.route] : ''}`).join('，')}）
          </span>
          <button className="btn btn-sm" type="button" onClick={() => setDraft([...list, ...awaiting.map((a) => a.caseId)])}>
            全部加入
          </button>
        </div>
      )}
      <div className="agenda-add">
        <select className="input" aria-label="添加到议程" value={adding} onChange={(e) => setAdding(e.target.value)}>
          <option value="">选择案卷…</option>
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.caseNumber} · {c.unitName}
            </option>
          ))}
        </select>
        <button
          className="btn"
          type="button"
          disabled={!adding}
          onClick={() => {
            setDraft([...list, adding]);
            setAdding('');
          }}
        >
          添加
        </button>
      </div>
      <div className="dialog-actions">
        {dirty && (
          <button className="btn" type="button" onClick={() => setDraft(null)}>
            撤销修改
          </button>
        )}
        <button className="btn btn-primary" type="button" disabled={!dirty} onClick={save}>
          保存议程
        </button>
      </div>
    </section>
  );
}

function onMeetingChanged(campaignId: string, callback: () => void): () => void {
  return onEvent('meeting:changed', (e) => e.campaignId === campaignId && callback());
}
