/**
 * 留痕: the organiser reads who did what, when, to which file, newest first, a page at a time; filters
 * by person, action, campaign, record and date; exports what is shown to XLSX; and checks that no row
 * was changed or removed since it was written (the SM3 chain).
 */
import { useState, type FormEvent } from 'react';
import type { AuditCheckView, AuditCursor, AuditFilter } from '../../../../shared/audit/channels';
import { AUDIT_ACTION_LABELS, auditSegmentLabel, localDateTime } from '../../../../shared/audit/labels';
import { download, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { useToastAction } from '../../ui/use-form-action';
import './audit.css';
import { DateField } from '../../ui/date-field';

const PAGE = 50;
const ACTIONS = Object.entries(AUDIT_ACTION_LABELS).sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'));

const clean = (f: AuditFilter): AuditFilter => Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as AuditFilter;

export function AuditScreen() {
  const options = useQuery('audit:filters', {});
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  /** Cursors of the pages before this one (keyset: where each previous page ended). */
  const [cursors, setCursors] = useState<AuditCursor[]>([]);
  const before = cursors[cursors.length - 1];
  const page = useQuery('audit:list', { ...filter, limit: PAGE, ...(before ? { before } : {}) });
  const [check, setCheck] = useState<AuditCheckView | null>(null);
  const checking = useToastAction();
  const exporting = useToastAction();

  // 自 after 至 would match nothing: said in words and the filter is not applied.
  const reversed = !!draft.from && !!draft.to && draft.from > draft.to;
  function apply(e: FormEvent) {
    e.preventDefault();
    if (reversed) return;
    setFilter(clean(draft));
    setCursors([]);
  }
  function reset() {
    setDraft({});
    setFilter({});
    setCursors([]);
  }
  const set = (key: keyof AuditFilter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <div className="page" style={{ maxWidth: 1680 }}>
      <div className="page-head">
        <div className="grow">
          <h1>留痕</h1>
          <p>本机所有对评查数据的操作记录，按时间倒序。每条记录带有前一条记录的 SM3 摘要，任何改动或删除都会被发现。</p>
        </div>
        <div className="page-actions">
          <button
            className="btn"
            type="button"
            disabled={exporting.busy}
            onClick={() =>
              exporting.run(async () => {
                const out = await invoke('audit:export', filter);
                download(out.url, out.fileName);
              })
            }
          >
            导出 XLSX
          </button>
          <button
            className="btn btn-primary"
            type="button"
            disabled={checking.busy}
            onClick={() => checking.run(async () => setCheck(await invoke('audit:verify', {})))}
          >
            {checking.busy ? '正在检查…' : '检查留痕完整性'}
          </button>
        </div>
      </div>

      {check && (
        <div className={`notice ${check.intact ? 'notice-info' : 'notice-error'}`} role="status" data-testid="audit-check">
          {check.intact ? (
            <strong>
              留痕完整：共 {check.rows} 条记录，{check.segments} 段，逐条衔接无误。
            </strong>
          ) : (
            <>
              <strong>留痕不完整。</strong> {check.firstBreak!.message}
            </>
          )}
          {!check.protectedByTriggers && <div>注意：防止修改、删除留痕的数据库保护已被移除，数据文件曾被其他程序改动。</div>}
        </div>
      )}

      <form className="panel toolbar" aria-label="筛选留痕" onSubmit={apply} style={{ flexWrap: 'wrap', gap: 8, padding: 12 }}>
        <select className="input" style={{ width: 130 }} value={draft.actorId ?? ''} onChange={set('actorId')} aria-label="操作人">
          <option value="">全部人员</option>
          {options.data?.actors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        <select className="input" style={{ width: 150 }} value={draft.action ?? ''} onChange={set('action')} aria-label="操作">
          <option value="">全部操作</option>
          {ACTIONS.map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
        <select className="input" style={{ width: 200 }} value={draft.campaignId ?? ''} onChange={set('campaignId')} aria-label="评查活动">
          <option value="">全部评查活动</option>
          {options.data?.campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <input
          className="input"
          style={{ width: 170 }}
          placeholder="案卷、文件等对象编号"
          value={draft.entityId ?? ''}
          onChange={set('entityId')}
          aria-label="对象编号"
        />
        <label className="check">
          自{' '}
          <DateField
            style={{ width: 150 }}
            value={draft.from ?? ''}
            onChange={(v) => setDraft((d) => ({ ...d, from: v }))}
            aria-label="起始日期"
          />
        </label>
        <label className="check">
          至{' '}
          <DateField
            style={{ width: 150 }}
            value={draft.to ?? ''}
            onChange={(v) => setDraft((d) => ({ ...d, to: v }))}
            aria-label="截止日期"
          />
        </label>
        <button className="btn btn-primary" type="submit" disabled={reversed}>
          筛选
        </button>
        <button className="btn" type="button" onClick={reset}>
          清除
        </button>
        {reversed && (
          <div className="notice notice-error" role="alert" data-testid="audit-range-error" style={{ flexBasis: '100%' }}>
            起始日期 {draft.from} 晚于截止日期 {draft.to}，请调整后再筛选。
          </div>
        )}
      </form>

      <section className="panel" aria-label="留痕记录">
        {page.error && (
          <div className="notice notice-error" role="alert">
            {page.error}
          </div>
        )}
        {page.data && page.data.rows.length === 0 && (
          <div className="empty">
            <h3>没有符合条件的记录</h3>
          </div>
        )}
        {page.data && page.data.rows.length > 0 && (
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th className="num">序号</th>
                <th>时间</th>
                <th>操作人</th>
                <th>经过</th>
                <th>评查活动</th>
                <th>来源</th>
              </tr>
            </thead>
            <tbody>
              {page.data.rows.map((r) => (
                <tr key={r.id} data-action={r.action}>
                  <td className="num">{r.id}</td>
                  <td style={{ whiteSpace: 'nowrap' }}>{localDateTime(r.at)}</td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    {r.actorName ?? <span className="muted">{r.actorId ? '已删除的账号' : '系统'}</span>}
                  </td>
                  <td className="audit-said">
                    <div>{r.sentence}</div>
                    {r.details.length > 0 && <AuditDetails lines={r.details} />}
                  </td>
                  <td>{r.campaignName ?? <span className="muted">—</span>}</td>
                  <td style={{ whiteSpace: 'nowrap' }}>{auditSegmentLabel(r.segment)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="toolbar">
          <button className="btn" type="button" disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>
            上一页
          </button>
          <span className="muted">第 {cursors.length + 1} 页</span>
          <button
            className="btn"
            type="button"
            disabled={!page.data?.nextBefore}
            onClick={() => setCursors((c) => [...c, page.data!.nextBefore!])}
          >
            下一页
          </button>
        </div>
      </section>
    </div>
  );
}

/** Long details (a draw's 案号, an assignment) fold, so every row stays readable in the list. */
const LINE_FOLD = 140;
const SHOWN_LINES = 6;

function DetailLine({ text }: { text: string }) {
  if (text.length <= LINE_FOLD) return <li>{text}</li>;
  return (
    <li>
      <details className="audit-fold">
        <summary>{text.slice(0, LINE_FOLD - 20)}…（展开全部）</summary>
        {text}
      </details>
    </li>
  );
}

function AuditDetails({ lines }: { lines: string[] }) {
  return (
    <ul className="audit-details">
      {lines.slice(0, SHOWN_LINES).map((d, i) => (
        <DetailLine key={i} text={d} />
      ))}
      {lines.length > SHOWN_LINES && (
        <li>
          <details className="audit-fold">
            <summary>另有 {lines.length - SHOWN_LINES} 项（展开）</summary>
            <ul className="audit-details">
              {lines.slice(SHOWN_LINES).map((d, i) => (
                <DetailLine key={i} text={d} />
              ))}
            </ul>
          </details>
        </li>
      )}
    </ul>
  );
}
