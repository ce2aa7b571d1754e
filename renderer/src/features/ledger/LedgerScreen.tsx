/**
 * 整改台账: one row per problem of the final results. The bureau sets measures, people and
 * deadlines, moves each row to 销号 with the checker's opinion, and attaches the unit's evidence;
 * overdue rows stand out. A province's ledger (tens of thousands of rows) is filtered by the back end
 * and read a page at a time, so the screen never holds more than one page; the export holds the whole
 * ledger under the same filter.
 */
import { useEffect, useState, type FormEvent } from 'react';
import {
  deadlinePast,
  LEDGER_SORTS,
  LEDGER_SORT_LABELS,
  LEDGER_SOURCE_FILTERS,
  LEDGER_SOURCE_FILTER_LABELS,
  LEDGER_SOURCE_LABELS,
  LEDGER_STATE_FILTERS,
  LEDGER_STATE_FILTER_LABELS,
  LEDGER_STATUS_LABELS,
  LEDGER_STATUSES,
  MANUAL_SOURCES,
  ledgerStatusText,
  type LedgerEntry,
  type LedgerFilter,
  type LedgerRow,
  type LedgerSort,
  type LedgerSourceFilter,
  type LedgerStatus,
} from '../../../../shared/ledger/ledger';
import { chineseDate } from '../../../../shared/core/gbt9704';
import { addDays } from '../../../../shared/letters/compose';
import { download, invoke, uploadFile } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { useFormAction, useToastAction } from '../../ui/use-form-action';
import { CampaignPageHead } from '../campaigns';
import '../letters/letters.css';
import './ledger.css';
import { DateField } from '../../ui/date-field';

const STATUS_BADGE: Record<LedgerStatus, string> = {
  pending: 'badge',
  in_progress: 'badge badge-primary',
  awaiting_check: 'badge badge-warn',
  closed: 'badge badge-ok',
};

/** Rows a page: what a person reads before turning the page, never the whole province. */
const PAGE = 50;

export function LedgerScreen({ campaignId }: { campaignId: string }) {
  const user = useUser();
  const toast = useToast();
  const canWrite = user.role === 'organiser' || user.role === 'lead';
  const [filter, setFilter] = useState<LedgerFilter>({});
  const [sort, setSort] = useState<LedgerSort>('serial');
  const [search, setSearch] = useState('');
  // The cursors of the pages read so far: page n starts after cursors[n] (none for the first).
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const pageNo = cursors.length - 1;
  const after = cursors[pageNo];
  const ledger = useQuery(
    'ledger:list',
    { campaignId, filter, sort, limit: PAGE, ...(after ? { after } : {}) },
    { refreshOn: (c) => c.campaignId === campaignId && (c.entity === 'ledger' || c.entity === 'sheet') },
  );
  const units = useQuery('unit:list', { campaignId });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<LedgerRow | null>(null);
  const [syncDeadline, setSyncDeadline] = useState('');
  const { busy, run } = useToastAction();
  const rowUpdate = useToastAction();
  // The state a person just chose, shown at once while it is saved; the list read again replaces it,
  // and a refused save takes it back (its error in a toast).
  const [chosen, setChosen] = useState<Record<string, LedgerStatus>>({});
  useEffect(() => setChosen({}), [ledger.data]);
  const exporting = useToastAction();

  /** A new filter or order starts again from the first page. */
  const narrow = (patch: Partial<LedgerFilter>): void => {
    setFilter((f) => Object.fromEntries(Object.entries({ ...f, ...patch }).filter(([, v]) => v !== undefined && v !== '' && v !== false)));
    setCursors([undefined]);
  };
  // The search box asks the back end once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => {
      const text = search.trim() || undefined;
      if (text !== filter.text) narrow({ text });
    }, 250);
    return () => clearTimeout(timer);
  }, [search, filter.text]);

  const page = ledger.data;
  const rows = page?.rows ?? [];
  const counts = page?.counts;
  const today = page?.today ?? '';
  const filtered = Object.keys(filter).length > 0;
  const empty = !!counts && !filtered && counts.all + counts.withdrawn === 0;
  const first = pageNo * PAGE;

  async function sync() {
    await run(async () => {
      const r = await invoke('ledger:sync', { campaignId, ...(syncDeadline ? { deadline: syncDeadline } : {}) });
      toast.show(`台账已更新：新增 ${r.added} 项，更新 ${r.updated} 项${r.withdrawn ? `，撤销 ${r.withdrawn} 项` : ''}`, 'ok');
    });
  }

  async function setRowStatus(row: LedgerRow, next: LedgerStatus) {
    if (next === 'closed') return setEditing({ ...row, status: 'closed' });
    setChosen((c) => ({ ...c, [row.id]: next }));
    // Refused (another screen changed the row first): the select goes back and the list shows the row as it now stands.
    if (
      !(await rowUpdate.run(
        () => invoke('ledger:update', { rowId: row.id, patch: { status: next }, revision: row.revision }),
        `${row.number} 已改为“${LEDGER_STATUS_LABELS[next]}”`,
      ))
    ) {
      setChosen(({ [row.id]: _refused, ...rest }) => rest);
      ledger.reload();
    }
  }

  async function exportXlsx() {
    await exporting.run(async () => {
      const out = await invoke('ledger:export', { campaignId, filter });
      download(out.url, out.fileName);
      toast.show(`已导出${filtered ? `符合筛选条件的 ${page?.total ?? 0} 项` : ''}：${out.fileName}`, 'ok');
    });
  }

  const exportButton = (
    <button
      className="btn"
      type="button"
      onClick={exportXlsx}
      disabled={!page?.total || exporting.busy}
      title={filtered ? '导出符合当前筛选条件的全部事项（不止本页）' : '导出全部整改事项（已撤回的除外）'}
    >
      {filtered ? '导出筛选结果 XLSX' : '导出 XLSX'}
    </button>
  );

  return (
    <div className="page" style={{ maxWidth: 1680 }}>
      <CampaignPageHead campaignId={campaignId} title="问题整改台账" current="ledger" />

      {canWrite && (
        <section className="panel toolbar" aria-label="生成台账">
          <span>
            {page?.unsynced ? (
              <>
                最终评查结果中有 <b>{page.unsynced}</b> 项问题尚未列入台账。
              </>
            ) : (
              '台账与最终评查结果一致。'
            )}
          </span>
          <label className="check">
            新增问题的整改时限
            <DateField
              style={{ width: 180 }}
              value={syncDeadline}
              placeholder={today ? addDays(today, 30) : undefined}
              onChange={setSyncDeadline}
              aria-label="新增问题的整改时限"
            />
          </label>
          <button className="btn btn-primary" type="button" onClick={sync} disabled={busy}>
            从最终结果生成台账
          </button>
          <span className="spacer" />
          <button className="btn" type="button" onClick={() => setAdding(true)}>
            手工添加问题…
          </button>
        </section>
      )}

      <section className="panel ledger-filters" aria-label="筛选">
        <div className="ledger-filter-row">
          <input
            className="input"
            type="search"
            style={{ width: 260 }}
            placeholder="搜索编号、案号、问题、责任人"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-label="搜索台账"
          />
          <select
            className="input"
            style={{ width: 220 }}
            value={filter.unitId ?? ''}
            onChange={(e) => narrow({ unitId: e.target.value || undefined })}
            aria-label="按单位筛选"
          >
            <option value="">全部单位</option>
            {units.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
          <select
            className="input"
            style={{ width: 150 }}
            value={filter.source ?? ''}
            onChange={(e) => narrow({ source: (e.target.value || undefined) as LedgerSourceFilter | undefined })}
            aria-label="按来源筛选"
          >
            <option value="">全部</option>
            {LEDGER_SOURCE_FILTERS.map((s) => (
              <option key={s} value={s}>
                {LEDGER_SOURCE_FILTER_LABELS[s]}
              </option>
            ))}
          </select>
          <select
            className="input"
            style={{ width: 130 }}
            value={sort}
            onChange={(e) => {
              setSort(e.target.value as LedgerSort);
              setCursors([undefined]);
            }}
            aria-label="排序"
          >
            {LEDGER_SORTS.map((s) => (
              <option key={s} value={s}>
                {LEDGER_SORT_LABELS[s]}
              </option>
            ))}
          </select>
          <span className="spacer" />
          {exportButton}
        </div>
        <div className="ledger-filter-row">
          {/* Each state with how many rows it holds under the other filters; 逾期 combines with any of them. */}
          <div className="seg-group" role="group" aria-label="按状态筛选">
            <button
              type="button"
              className={`seg ${!filter.state ? 'seg-on' : ''}`}
              aria-pressed={!filter.state}
              onClick={() => narrow({ state: undefined })}
            >
              全部 <span className="seg-count">{counts?.all ?? ''}</span>
            </button>
            {LEDGER_STATE_FILTERS.map((s) => (
              <button
                key={s}
                type="button"
                className={`seg ${filter.state === s ? 'seg-on' : ''}`}
                aria-pressed={filter.state === s}
                onClick={() => narrow({ state: filter.state === s ? undefined : s })}
              >
                {LEDGER_STATE_FILTER_LABELS[s]} <span className="seg-count">{counts?.[s] ?? ''}</span>
              </button>
            ))}
          </div>
          <button
            type="button"
            className={`seg-toggle ${filter.overdue ? 'seg-on' : ''} ${counts?.overdue ? 'has-overdue' : ''}`}
            aria-pressed={!!filter.overdue}
            onClick={() => narrow({ overdue: !filter.overdue || undefined })}
            data-testid="overdue-count"
            title="超过整改时限仍未销号的事项"
          >
            逾期 {counts?.overdue ?? 0}
          </button>
          <span className="muted ledger-count" aria-live="polite">
            {page ? (filtered ? `符合条件 ${page.total} 项` : `共 ${page.total} 项`) : ''}
          </span>
        </div>
      </section>

      <section className="panel" aria-label="台账">
        {ledger.error && (
          <div className="notice notice-error" role="alert">
            {ledger.error}
          </div>
        )}
        {empty ? (
          <div className="empty">
            <h3>台账为空</h3>
            <p>
              评查结果合议确定后，点击“从最终结果生成台账”，每个扣分问题成为一条整改事项；专项整治、法治督察、投诉举报发现的问题可“手工添加”。
            </p>
          </div>
        ) : page && page.total === 0 ? (
          <div className="empty">
            <p>没有符合条件的整改事项。</p>
          </div>
        ) : (
          <table className="table ledger-table" aria-busy={ledger.loading}>
            <thead>
              <tr>
                <th>问题编号</th>
                <th>被评查单位</th>
                <th className="col-case">案号/事项</th>
                <th className="col-problem">问题描述</th>
                <th>来源 / 标准条目</th>
                <th className="num">扣分</th>
                <th className="col-person">责任人</th>
                <th>整改时限</th>
                <th>整改状态</th>
                <th>佐证</th>
                <th>
                  <span className="sr-only">操作</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.id}
                  className={r.withdrawn ? 'withdrawn' : r.overdue ? 'overdue' : r.status === 'closed' ? 'closed' : ''}
                  data-row={r.number}
                  tabIndex={0}
                  onKeyDown={(e) => e.key === 'Enter' && e.target === e.currentTarget && setEditing(r)}
                >
                  <td className="num">{r.number}</td>
                  <td>{r.unitName}</td>
                  <td>{r.caseNumber}</td>
                  <td>
                    {r.description}
                    {r.pages && <div className="muted">{r.pages}</div>}
                  </td>
                  <td>
                    {r.source === 'review' ? (
                      <>
                        {r.category}
                        <div className="muted">第{r.itemCode}项</div>
                      </>
                    ) : (
                      <span className="badge">{LEDGER_SOURCE_LABELS[r.source]}</span>
                    )}
                  </td>
                  <td className="num">{r.deduction}</td>
                  <td className="col-person">{r.responsible || <span className="muted">—</span>}</td>
                  <td className="num">{r.deadline ? chineseDate(r.deadline) : '—'}</td>
                  <td>
                    {r.withdrawn ? (
                      <span className="badge" title="该问题已不在最终评查结果中">
                        已撤回
                      </span>
                    ) : (
                      <>
                        {canWrite ? (
                          <select
                            className="input"
                            aria-label={`${r.number} 整改状态`}
                            value={chosen[r.id] ?? r.status}
                            onChange={(e) => setRowStatus(r, e.target.value as LedgerStatus)}
                          >
                            {LEDGER_STATUSES.map((s) => (
                              <option key={s} value={s}>
                                {LEDGER_STATUS_LABELS[s]}
                              </option>
                            ))}
                          </select>
                        ) : (
                          <span className={STATUS_BADGE[r.status]}>{LEDGER_STATUS_LABELS[r.status]}</span>
                        )}
                        {/* The state and 逾期 are two facts: a row 整改中 past its deadline still reads 整改中. */}
                        {r.overdue && (
                          <>
                            {' '}
                            <span className="badge badge-danger" title="超过整改时限仍未销号">
                              逾期
                            </span>
                          </>
                        )}
                      </>
                    )}
                  </td>
                  <td>{r.evidence.length ? `${r.evidence.length} 份` : <span className="muted">无</span>}</td>
                  <td>
                    <button className="btn btn-sm" type="button" onClick={() => setEditing(r)} aria-label={`编辑 ${r.number}`}>
                      详情
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav className="ledger-pager" aria-label="翻页">
          <span className="muted">{page && page.total > 0 ? `第 ${first + 1}–${first + rows.length} 项，共 ${page.total} 项` : ''}</span>
          <button
            className="btn btn-sm"
            type="button"
            disabled={pageNo === 0 || ledger.loading}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            上一页
          </button>
          <button
            className="btn btn-sm"
            type="button"
            disabled={!page?.next || ledger.loading}
            onClick={() => page?.next && setCursors((c) => [...c, page.next!])}
          >
            下一页
          </button>
        </nav>
        <p className="muted" style={{ padding: '0 12px 8px' }}>
          选中一行按 <kbd>Enter</kbd> 打开详情；逾期（超过整改时限仍未销号）的事项以红色标出；导出的 XLSX 含符合筛选条件的全部事项。
        </p>
      </section>
      {editing && <LedgerRowDialog row={editing} canWrite={canWrite && !editing.withdrawn} onClose={() => setEditing(null)} />}
      {adding && <LedgerAddDialog campaignId={campaignId} today={today} onClose={() => setAdding(false)} />}
    </div>
  );
}

/**
 * A problem found outside the review (专项整治, 法治督察, complaints), entered by hand with the same
 * fields as a row from the results. A deadline already past is shown and must be confirmed.
 */
function LedgerAddDialog({ campaignId, today, onClose }: { campaignId: string; today: string; onClose: () => void }) {
  const toast = useToast();
  const units = useQuery('unit:list', { campaignId });
  const [form, setForm] = useState<LedgerEntry>({
    unitId: '',
    source: 'inspection',
    subject: '',
    description: '',
    measure: '',
    responsible: '',
    deadline: today ? addDays(today, 30) : '',
  });
  const [confirming, setConfirming] = useState(false);
  const { error, busy, run } = useFormAction();
  const set = (patch: Partial<LedgerEntry>): void => {
    setForm((f) => ({ ...f, ...patch }));
    if (patch.deadline !== undefined) setConfirming(false);
  };
  const past = deadlinePast(form.deadline, today);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (past && !confirming) {
      setConfirming(true);
      return;
    }
    await run(async () => {
      const row = await invoke('ledger:add', { campaignId, entry: form, confirmPastDeadline: past && confirming });
      toast.show(`已添加 ${row.number}（${LEDGER_SOURCE_LABELS[row.source]}）`, 'ok');
      onClose();
    });
  }

  return (
    <Dialog open title="手工添加整改问题" onClose={onClose} width={760}>
      <form onSubmit={save} style={{ display: 'flex', flexDirection: 'column', gap: 12 }} aria-label="手工添加整改问题">
        <p className="muted">专项整治、法治督察、投诉举报等发现的问题，与评查问题一样跟踪整改、上传佐证和销号。</p>
        <div className="form-grid">
          <Field label="被评查单位">
            <select className="input" value={form.unitId} onChange={(e) => set({ unitId: e.target.value })} required>
              <option value="">请选择</option>
              {(units.data ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="问题来源">
            <select className="input" value={form.source} onChange={(e) => set({ source: e.target.value as LedgerEntry['source'] })}>
              {MANUAL_SOURCES.map((s) => (
                <option key={s} value={s}>
                  {LEDGER_SOURCE_LABELS[s]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="案号/事项" className="span-2" hint="如案号，或“2025年法治督察反馈问题第3项”">
            <input className="input" value={form.subject} onChange={(e) => set({ subject: e.target.value })} />
          </Field>
          <Field label="问题" className="span-2">
            <textarea className="input" value={form.description} onChange={(e) => set({ description: e.target.value })} required />
          </Field>
          <Field label="整改要求" className="span-2">
            <textarea className="input" value={form.measure} onChange={(e) => set({ measure: e.target.value })} required />
          </Field>
          <Field label="责任人">
            <input className="input" value={form.responsible} onChange={(e) => set({ responsible: e.target.value })} />
          </Field>
          <Field label="整改期限">
            <DateField aria-label="整改期限" value={form.deadline} onChange={(v) => set({ deadline: v })} required />
          </Field>
        </div>
        {past && (
          <div className="notice notice-warn" role="alert">
            整改期限 {chineseDate(form.deadline)} 早于今天（{chineseDate(today)}），添加后即为逾期。
            {confirming ? '确认无误请点“仍然添加”。' : '请核对期限。'}
          </div>
        )}
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 10 }}>
          <button className="btn" type="button" onClick={onClose}>
            取消
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy || !form.unitId}>
            {past && confirming ? '仍然添加' : '添加'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function LedgerRowDialog({ row, canWrite, onClose }: { row: LedgerRow; canWrite: boolean; onClose: () => void }) {
  const toast = useToast();
  const [current, setCurrent] = useState(row);
  const [form, setForm] = useState({
    measure: row.measure,
    responsible: row.responsible,
    deadline: row.deadline ?? '',
    status: row.status,
    checker: row.checker,
    checkOpinion: row.checkOpinion,
    closedOn: row.closedOn ?? '',
  });
  const { error, busy, run } = useFormAction();
  const set = (patch: Partial<typeof form>): void => setForm((f) => ({ ...f, ...patch }));

  async function save(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const saved = await invoke('ledger:update', {
        rowId: row.id,
        revision: current.revision,
        patch: {
          measure: form.measure,
          responsible: form.responsible,
          deadline: form.deadline || null,
          status: form.status,
          checker: form.checker,
          checkOpinion: form.checkOpinion,
          ...(form.status === 'closed' ? { closedOn: form.closedOn || null } : {}),
        },
      });
      toast.show(`${saved.number} 已保存（${ledgerStatusText(saved)}）`, 'ok');
      onClose();
    });
  }

  async function attach(file: File | undefined) {
    if (!file) return;
    await run(async () => {
      const staged = await uploadFile(file);
      const updated = await invoke('ledger:attach', { rowId: row.id, sourceId: staged.sourceId });
      setCurrent(updated);
      toast.show(`已添加佐证材料：${file.name}`, 'ok');
    });
  }

  return (
    <Dialog open title={`整改事项 ${row.number}`} onClose={onClose} width={820}>
      <form onSubmit={save} style={{ display: 'flex', flexDirection: 'column', gap: 12 }} aria-label="整改事项">
        <p>
          <b>{row.unitName}</b> · {row.caseNumber}
          {row.caseTitle && `（${row.caseTitle}）`}
        </p>
        <p>
          {row.description}
          {row.pages && <span className="muted">（{row.pages}）</span>}
        </p>
        <p className="muted">
          {row.source === 'review'
            ? `第${row.itemCode}项 ${row.itemText} · ${row.category} · 扣分 ${row.deduction}`
            : `来源：${LEDGER_SOURCE_LABELS[row.source]}`}
        </p>
        {row.source === 'review' && (
          <p data-testid="ledger-requirement">
            整改要求：{row.requirement}
            {row.basis && <span className="muted">（依据：{row.basis}）</span>}
          </p>
        )}
        <div className="form-grid">
          <Field label="整改措施" className="span-2">
            <textarea className="input" value={form.measure} onChange={(e) => set({ measure: e.target.value })} disabled={!canWrite} />
          </Field>
          <Field label="责任人">
            <input className="input" value={form.responsible} onChange={(e) => set({ responsible: e.target.value })} disabled={!canWrite} />
          </Field>
          <Field label="整改时限">
            <DateField aria-label="整改时限" value={form.deadline} onChange={(v) => set({ deadline: v })} disabled={!canWrite} />
          </Field>
          <Field label="整改状态">
            <select
              className="input"
              value={form.status}
              onChange={(e) => set({ status: e.target.value as LedgerStatus })}
              disabled={!canWrite}
            >
              {LEDGER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {LEDGER_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="核查人">
            <input className="input" value={form.checker} onChange={(e) => set({ checker: e.target.value })} disabled={!canWrite} />
          </Field>
          <Field label="核查意见" className="span-2">
            <textarea
              className="input"
              value={form.checkOpinion}
              onChange={(e) => set({ checkOpinion: e.target.value })}
              disabled={!canWrite}
            />
          </Field>
          {form.status === 'closed' && (
            <Field label="销号日期" hint="留空则为今天">
              <DateField aria-label="销号日期" value={form.closedOn} onChange={(v) => set({ closedOn: v })} disabled={!canWrite} />
            </Field>
          )}
        </div>
        <div>
          <b>佐证材料</b>
          {current.evidence.length === 0 ? (
            <p className="muted">尚无佐证材料。</p>
          ) : (
            <ul>
              {current.evidence.map((e) => (
                <li key={e.id}>
                  <button
                    className="btn btn-sm btn-ghost"
                    type="button"
                    onClick={() =>
                      run(async () => {
                        const out = await invoke('ledger:evidence', { evidenceId: e.id });
                        download(out.url, out.fileName);
                      })
                    }
                  >
                    {e.fileName}
                  </button>
                  <span className="muted">
                    {(e.size / 1024).toFixed(0)} KB · {e.uploadedBy} · {e.uploadedAt.slice(0, 10)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {canWrite && (
            <label className="btn btn-sm">
              添加佐证材料…
              <input type="file" className="sr-only" aria-label="添加佐证材料" onChange={(e) => void attach(e.target.files?.[0])} />
            </label>
          )}
        </div>
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 10 }}>
          <button className="btn" type="button" onClick={onClose}>
            关闭
          </button>
          {canWrite && (
            <button className="btn btn-primary" type="submit" disabled={busy}>
              保存
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
