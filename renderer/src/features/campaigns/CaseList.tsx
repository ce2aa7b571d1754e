/**
 * The campaign's case list: filtered and sorted by the back end, read page by page as the list is
 * scrolled, and only the rows in view are drawn (a province's 20,000 files stay one smooth list).
 * Rows have one height and cells never wrap, so the window of drawn rows follows the scroll exactly.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CASE_TYPES, CASE_TYPE_LABELS, CASE_TYPE_SHORT, type CaseType } from '../../../../shared/campaigns/case-types';
import type { CaseFilter, CaseListRow } from '../../../../shared/dossiers/case-page';
import { CASE_SORTS, CASE_SORT_LABELS, type CaseSort } from '../../../../shared/dossiers/case-sorts';
import { REVIEW_STAGES, REVIEW_STAGE_LABELS, type ReviewStage } from '../../../../shared/panel/review-states';
import { fmt } from '../../../../shared/standards/tree';
import { errorMessage, invoke, onEvent } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { useUser } from '../../app/session';
import { BoardCell } from '../scoring';
import type { OcrStatus } from '../../../../shared/ocr/channels';
import { OcrCaseCell, ocrByCase } from '../ocr';

const ROW_HEIGHT = 41;
const PAGE = 200;
/** Rows drawn above and below the visible ones, so a quick scroll never shows a gap. */
const OVERSCAN = 12;

interface ListState {
  rows: CaseListRow[];
  total: number | null;
  /** Files at each stage under the other filters (from the first page). */
  stageCounts?: Record<ReviewStage, number> | null;
  /** Whether the campaign drew its files; null when the panel columns are not shown (reviewers). */
  drawn?: boolean | null;
  /** Files whose stored review results are still being brought up to date (from the first page). */
  pending?: number | null;
  next: string | null;
  loading: boolean;
  error: string | null;
}

export function CaseList({
  campaignId,
  showReviewerFilter,
  empty,
  ocrStatus,
}: {
  campaignId: string;
  /** The campaign's text-recognition state: a column per file while scans are being read. */
  ocrStatus: OcrStatus | null;
  showReviewerFilter: boolean;
  empty: React.ReactNode;
}) {
  const [filter, setFilter] = useState<CaseFilter>({});
  const user = useUser();
  // The lead settles what waits for a decision: a file he does not score himself, or whose sheet he
  // has already delivered, opens on its 合议, not on a score sheet that is not his or is read-only.
  const target = (k: CaseListRow): string =>
    user.role === 'lead' && k.board.state === 'flagged' && (!k.board.mine.assigned || k.board.mine.status === 'submitted')
      ? href.reconcile(k.id)
      : href.case(k.id);
  const [text, setText] = useState('');
  // Once the campaign drew, the list opens on the drawn files (the rest are not reviewed); 全部 shows all.
  const [drawnOnly, setDrawnOnly] = useState<boolean | null>(null);
  const [sort, setSort] = useState<CaseSort>('caseNumber');
  const [state, setState] = useState<ListState>({ rows: [], total: null, next: null, loading: true, error: null });
  const units = useQuery('unit:list', { campaignId });
  const people = useQuery('user:directory', showReviewerFilter ? {} : null);
  const generation = useRef(0);
  const loaded = useRef(0);
  loaded.current = state.rows.length;

  // The search box asks the back end once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => ({ ...f, text: text.trim() || undefined })), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const query = useMemo(
    () => ({
      campaignId,
      filter: Object.fromEntries(Object.entries({ ...filter, drawn: drawnOnly ?? undefined }).filter(([, v]) => v)) as CaseFilter,
      sort,
    }),
    [campaignId, filter, sort, drawnOnly],
  );

  // A change announced while the list is being read is read once the answer is in (see useQuery).
  const reading = useRef(false);
  const changedMeanwhile = useRef(false);

  /** Reads the list afresh from the top (as many rows as were shown, up to one long page). */
  const reload = useCallback(
    (keep: number) => {
      const mine = ++generation.current;
      const started = performance.now();
      reading.current = true;
      setState((s) => ({ ...s, loading: true }));
      const settled = (): void => {
        if (mine !== generation.current) return;
        reading.current = false;
        if (!changedMeanwhile.current) return;
        changedMeanwhile.current = false;
        setTimeout(() => mine === generation.current && reload(loaded.current), performance.now() - started);
      };
      invoke('case:page', { ...query, limit: Math.min(500, Math.max(PAGE, keep)) })
        .finally(settled)
        .then((page) => {
          if (mine !== generation.current) return;
          // The first answer tells whether the campaign drew; if it did, the list opens on the drawn
          // files straight away rather than flashing every file first.
          if (drawnOnly === null && page.drawn) return setDrawnOnly(true);
          setState({
            rows: page.rows,
            total: page.total,
            next: page.next,
            drawn: page.drawn,
            stageCounts: page.stageCounts,
            pending: page.pending,
            loading: false,
            error: null,
          });
        })
        .catch((err) => mine === generation.current && setState((s) => ({ ...s, loading: false, error: errorMessage(err) })));
    },
    [query, drawnOnly],
  );

  useEffect(() => reload(PAGE), [reload]);
  useEffect(
    () =>
      onEvent('data:changed', (change) => {
        if (change.campaignId !== campaignId) return;
        if (reading.current) changedMeanwhile.current = true;
        else reload(loaded.current);
      }),
    [campaignId, reload],
  );

  const more = useCallback(() => {
    if (state.loading || !state.next) return;
    const mine = generation.current;
    setState((s) => ({ ...s, loading: true }));
    invoke('case:page', { ...query, limit: PAGE, after: state.next })
      .then(
        (page) =>
          mine === generation.current &&
          setState((s) => ({
            ...s,
            rows: [...s.rows, ...page.rows],
            total: page.total,
            next: page.next,
            drawn: page.drawn,
            loading: false,
            error: null,
          })),
      )
      .catch((err) => mine === generation.current && setState((s) => ({ ...s, loading: false, error: errorMessage(err) })));
  }, [query, state.loading, state.next]);

  // The window of drawn rows.
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(state.rows.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (last >= state.rows.length - OVERSCAN) more();
  }, [last, state.rows.length, more]);

  const filtered = Object.values(query.filter).some(Boolean);
  const stageCounts = state.stageCounts;
  const ocrCases = useMemo(() => ocrByCase(ocrStatus), [ocrStatus]);
  const set = <K extends keyof CaseFilter>(key: K, value: CaseFilter[K] | '') => setFilter((f) => ({ ...f, [key]: value || undefined }));

  return (
    <>
      <div className="case-filters" role="search" aria-label="筛选案卷">
        <input
          className="input"
          type="search"
          placeholder="搜索案号、名称、当事人"
          title="按案号、案件名称、当事人或单位查找"
          aria-label="搜索案卷"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <select className="input" aria-label="被评查单位" value={filter.unitId ?? ''} onChange={(e) => set('unitId', e.target.value)}>
          <option value="">全部单位</option>
          {units.data?.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <select
          className="input"
          aria-label="案件类型"
          value={filter.caseType ?? ''}
          onChange={(e) => set('caseType', e.target.value as CaseType | '')}
        >
          <option value="">全部类型</option>
          {CASE_TYPES.map((t) => (
            <option key={t} value={t}>
              {CASE_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        <select
          className="input"
          aria-label="评查状态"
          value={filter.stage ?? ''}
          onChange={(e) => set('stage', e.target.value as ReviewStage | '')}
        >
          <option value="">全部状态</option>
          {/* The words the rows show, each with how many files stand there (待合议 only where routes are hidden). */}
          {REVIEW_STAGES.filter((s) => s !== 'flagged' || !!stageCounts?.flagged || filter.stage === 'flagged').map((s) => (
            <option key={s} value={s}>
              {REVIEW_STAGE_LABELS[s]}
              {stageCounts ? `（${stageCounts[s]}）` : ''}
            </option>
          ))}
        </select>
        {showReviewerFilter && (
          <select
            className="input"
            aria-label="评查人员"
            value={filter.reviewerId ?? ''}
            onChange={(e) => set('reviewerId', e.target.value)}
          >
            <option value="">全部评查人员</option>
            {people.data
              ?.filter((p) => p.role === 'reviewer' || p.role === 'lead')
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                </option>
              ))}
          </select>
        )}
        {state.drawn && (
          <div className="seg-group" role="group" aria-label="抽取范围">
            {[
              [true, '已抽取'],
              [false, '全部'],
            ].map(([value, label]) => (
              <button
                key={String(value)}
                type="button"
                className={`seg ${!!drawnOnly === value ? 'seg-on' : ''}`}
                aria-pressed={!!drawnOnly === value}
                onClick={() => setDrawnOnly(value as boolean)}
              >
                {label}
              </button>
            ))}
          </div>
        )}
        <select className="input" aria-label="排序" value={sort} onChange={(e) => setSort(e.target.value as CaseSort)}>
          {CASE_SORTS.map((s) => (
            <option key={s} value={s}>
              {CASE_SORT_LABELS[s]}
            </option>
          ))}
        </select>
        <span className="muted case-count" aria-live="polite">
          {state.total === null ? '' : filtered ? `符合条件 ${state.total} 件` : `共 ${state.total} 件`}
        </span>
      </div>
      {state.pending ? (
        <div className="notice notice-info" role="status">
          正在更新评查结果汇总，还有 {state.pending} 件案卷待更新：各状态件数暂为更新前的数字，更新完成后列表自动刷新。
        </div>
      ) : null}
      {state.error && (
        <div className="notice notice-error" role="alert">
          {state.error}
        </div>
      )}
      {state.total === 0 && !filtered ? (
        empty
      ) : (
        <div
          className="case-scroll"
          ref={scroller}
          onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
        >
          <div style={{ paddingTop: first * ROW_HEIGHT, paddingBottom: Math.max(0, state.rows.length - last) * ROW_HEIGHT }}>
            <table className={`table case-table${drawnOnly ? ' drawn-only' : ''}`}>
              <thead>
                <tr>
                  <th className="col-number">案号</th>
                  <th>案件名称</th>
                  <th className="col-unit">被评查单位</th>
                  <th className="col-type">类型</th>
                  {state.drawn != null && (
                    <>
                      <th className="col-drawn">抽取</th>
                      <th className="col-people">评查人员</th>
                    </>
                  )}
                  <th className="num col-pages">页数</th>
                  {!!ocrStatus?.pagesToRead && <th className="col-ocr">文字识别</th>}
                  <th className="col-mine" title="我的评分：“待评”为分配给您、尚未评分；“—”为未分配给您">
                    我的评分
                  </th>
                  <th className="col-score">定分</th>
                </tr>
              </thead>
              <tbody>
                {state.rows.slice(first, last).map((k) => (
                  <tr
                    key={k.id}
                    className="clickable"
                    tabIndex={0}
                    onClick={() => navigate(target(k))}
                    onKeyDown={(e) => e.key === 'Enter' && navigate(target(k))}
                  >
                    <td title={k.caseNumber} className="col-number">
                      <a href={target(k)}>{k.caseNumber}</a>
                    </td>
                    <td title={k.title}>{k.title || <span className="muted">（未填写）</span>}</td>
                    <td title={k.unitName}>{k.unitName}</td>
                    <td>
                      <span className="badge type-chip" title={CASE_TYPE_LABELS[k.caseType]}>
                        {CASE_TYPE_SHORT[k.caseType]}
                      </span>
                    </td>
                    {state.drawn != null && <PanelCells row={k} campaignDrew={state.drawn} />}
                    <td className="num col-pages">{k.pageCount}</td>
                    {!!ocrStatus?.pagesToRead && <OcrCaseCell total={ocrCases.get(k.id)} />}
                    <td>
                      {k.myScore && k.myScore.unansweredCount > 0 && !k.myScore.vetoed ? (
                        // Unanswered items count as 符合: no total or grade until the sheet is complete.
                        <span className="badge" data-testid="my-score" title={`评分中 · 已扣 ${fmt(k.myScore.max - k.myScore.total)} 分`}>
                          评分中 · 已扣 {fmt(k.myScore.max - k.myScore.total)} 分
                        </span>
                      ) : k.myScore ? (
                        <span className={`badge ${k.myScore.vetoed || k.myScore.grade === '不合格' ? 'badge-danger' : 'badge-primary'}`}>
                          {fmt(k.myScore.total)} 分 · {k.myScore.grade}
                        </span>
                      ) : k.board.mine.assigned ? (
                        // His to do: not the file's state "未评分" of the 定分 column, which says nobody scored it.
                        <span className="muted" data-testid="my-score-todo" title="分配给您评查，尚未评分">
                          待评
                        </span>
                      ) : (
                        // Not his file to score: nothing of his is missing here.
                        <span className="muted" title="您未被分配评查此案卷">
                          —
                        </span>
                      )}
                    </td>
                    <td data-testid="case-final">
                      <BoardCell row={k.board} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {state.total === 0 && (
            <div className="empty">
              <p>没有符合条件的案卷。</p>
            </div>
          )}
          {state.loading && state.rows.length > 0 && (
            <div className="muted case-more">
              <span className="spinner" /> 正在读取更多案卷…
            </div>
          )}
        </div>
      )}
    </>
  );
}

/** Drawn or not, and who reviews the file (as the assignment screen marks them). */
function PanelCells({ row, campaignDrew }: { row: CaseListRow; campaignDrew: boolean }) {
  const names = row.panel?.reviewers.map((r) => r.name).join('、') ?? '';
  return (
    <>
      <td className="col-drawn">
        {row.panel?.drawn ? (
          <span className="badge badge-ok">已抽中</span>
        ) : row.documentCount === 0 ? (
          // Listed on the unit's 案件清单 but its PDF never arrived (缺卷): said before the draw too, so the
          // unit can be asked for it, and a draw never picks it. Short, so it reads whole at 1024.
          <span
            className="badge badge-warn"
            data-testid="case-missing"
            title="缺卷：案件清单列出，但案卷文件未报送（无案卷文件），不参加抽取"
          >
            缺卷
          </span>
        ) : !campaignDrew ? (
          <span className="muted">未抽取</span>
        ) : (
          <span className="badge">未抽中</span>
        )}
      </td>
      <td title={names}>{names || <span className="muted">—</span>}</td>
    </>
  );
}
