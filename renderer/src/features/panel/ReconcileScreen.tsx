/**
 * 合议: every delivered sheet of a file side by side, item by item, differences highlighted; each
 * reviewer's reason and evidence one click away. The panel (or the named 复核 person) sets the agreed
 * answer of each differing item — the items everyone agrees on are taken as they are — and settles
 * the file. Individual sheets are never changed here.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/index';
import { answerKey, ratedBySome } from '../../../../shared/panel/divergence';
import type { EvidenceRef } from '../../../../shared/panel/views';
import { FINAL_SOURCE_LABELS } from '../../../../shared/panel/review-states';
import { allItems, fmt } from '../../../../shared/standards/tree';
import type { BlockNode, ItemNode } from '../../../../shared/standards/model';
import { provisionalResult } from '../../../../shared/scoring/provisional';
import { reconcileOpenItems, settledByVeto } from '../../../../shared/scoring/completion';
import {
  ANSWER_STATUS_LABELS,
  itemDeduction,
  rangeChoices,
  scoreSheet,
  validateAnswer,
  type Answer,
  type AnswerStatus,
} from '../../../../shared/scoring/scoring';
import { ApiError, errorMessage, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { evidenceLabel } from '../scoring';
import { isTyping, RECONCILE_KEY_HELP } from '../scoring';
import { WithdrawDialog } from '../scoring';
import { ReviewStateBadge } from '../scoring';
import { useToast } from '../../ui/toast';
import { useToastAction } from '../../ui/use-form-action';
import './review.css';

type View = ChannelOutput<'reconcile:open'>;

/** 符合 / −10 / 不适用 / 否决 / 未评, as a short label for a table cell. */
function answerText(item: ItemNode, a: Answer | undefined): string {
  if (!a) return '未评';
  if (a.status === 'deduct') {
    const d = itemDeduction(item, a);
    return `−${fmt(d)}${item.rule.kind === 'perOccurrence' && a.occurrences ? `（${a.occurrences}处）` : ''}`;
  }
  return ANSWER_STATUS_LABELS[a.status];
}

export function ReconcileScreen({ caseId }: { caseId: string }) {
  const toast = useToast();
  const q = useQuery('reconcile:open', { caseId }, { refreshOn: (c) => c.entity === 'case' && c.id === caseId });
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [current, setCurrentState] = useState<string | null>(null);
  // Keys can come faster than React renders: the key handler reads the current item from a ref.
  const currentRef = useRef<string | null>(null);
  const setCurrent = useCallback((id: string | null) => {
    currentRef.current = id;
    setCurrentState(id);
  }, []);
  const [editing, setEditing] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const { busy, run } = useToastAction();
  const [withdrawing, setWithdrawing] = useState(false);
  const [local, setLocal] = useState<View | null>(null);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const revision = useRef(0);

  useEffect(() => {
    if (!q.data) return;
    setLocal(q.data);
    revision.current = q.data.review.revision;
    setNote((n) => n || q.data!.review.final?.note || '');
  }, [q.data]);

  const view = local;
  const def = view?.definition;
  const items = useMemo(() => (def ? allItems(def) : []), [def]);
  const differing = useMemo(() => new Set(view?.divergence.differingItems ?? []), [view]);
  // Items only some reviewers rated (the other vetoed the file): not an agreement, the panel decides them.
  const single = useMemo(
    () =>
      new Set(
        view
          ? allItems(view.definition)
              .filter((it) => ratedBySome(view.sheets, it.id))
              .map((it) => it.id)
          : [],
      ),
    [view],
  );
  const agreedAnswers = useMemo(() => {
    if (!view) return {};
    const out: Record<string, Answer> = { ...view.proposal.answers };
    for (const [id, a] of Object.entries(view.agreed)) out[id] = a.answer;
    return out;
  }, [view]);
  const agreedResult = useMemo(() => (def ? scoreSheet(def, agreedAnswers) : null), [def, agreedAnswers]);
  // An agreed veto (with its reason) decides the file, as on a reviewer's sheet: nothing is left to decide.
  const vetoSettled = def ? settledByVeto(def, agreedAnswers) : false;
  const undecided = view && def ? reconcileOpenItems(def, agreedAnswers, view.proposal.undecided) : [];
  // Until the panel has decided every differing item, the file's result is the mean of the sheets
  // (shared/scoring/provisional.ts), never the agreed items alone (that would read as full marks).
  const provisional = useMemo(
    () =>
      def && view
        ? provisionalResult(
            def,
            view.sheets.map((s) => ({ ...s.summary, reviewerName: s.sheet.reviewerName })),
          )
        : null,
    [def, view],
  );
  const evidence = useMemo(() => new Map((view?.evidence ?? []).map((e) => [e.id, e])), [view]);
  // The pages the reviewers cited for the items in dispute, once each: what the panel opens first.
  const evidencePages = useMemo(() => {
    if (!view) return [];
    const pages = new Map<string, { documentId: string; documentTitle: string; page: number; who: Set<string> }>();
    for (const s of view.sheets)
      for (const id of view.divergence.differingItems)
        for (const ref of s.answers[id]?.evidence ?? []) {
          const e = evidence.get(ref);
          if (!e) continue;
          const key = `${e.documentId}\n${e.pageIndex}`;
          const at = pages.get(key) ?? { documentId: e.documentId, documentTitle: e.documentTitle, page: e.pageIndex + 1, who: new Set() };
          at.who.add(s.sheet.reviewerName);
          pages.set(key, at);
        }
    return [...pages.values()];
  }, [view, evidence]);

  /** Sets one item's agreed answer (null clears it); calls run one after another with the latest revision. */
  const decide = useCallback(
    (item: ItemNode, answer: Answer | null, itemNote?: string) => {
      if (!view?.editable) return;
      if (answer) {
        const problem = validateAnswer(item, answer);
        if (problem) return toast.show(problem, 'error');
      }
      const noteText = itemNote ?? view.agreed[item.id]?.note ?? '';
      setLocal((v) => {
        if (!v) return v;
        const agreed = { ...v.agreed };
        if (answer) agreed[item.id] = { answer, note: noteText, origin: 'panel', decidedByName: null, updatedAt: new Date().toISOString() };
        else delete agreed[item.id];
        return { ...v, agreed };
      });
      chain.current = chain.current.then(async () => {
        try {
          const res = await invoke('reconcile:answer', { caseId, itemId: item.id, answer, note: noteText, revision: revision.current });
          revision.current = res.revision;
        } catch (err) {
          toast.show(errorMessage(err), 'error');
          if (err instanceof ApiError) q.reload();
        }
      });
    },
    [view, caseId, toast, q],
  );

  const visibleItems = items.filter((it) => !onlyDiffering || differing.has(it.id));

  // Keyboard: J/K between differing items; 1–9 adopt a reviewer's answer; 0 clears. A checkbox
  // (只看分歧项) keeps the focus after a click but types nothing: the keys still work there.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const onSwitch = e.target instanceof HTMLInputElement && (e.target.type === 'checkbox' || e.target.type === 'radio');
      if (!view || (isTyping(e.target) && !onSwitch) || e.ctrlKey || e.metaKey || e.altKey) return;
      const order = items.filter((it) => differing.has(it.id)).map((it) => it.id);
      const current = currentRef.current;
      const at = current ? order.indexOf(current) : -1;
      const k = e.key.toLowerCase();
      if (k === 'j' || k === 'k') {
        const next = order[k === 'j' ? Math.min(order.length - 1, at + 1) : Math.max(0, at - 1)];
        if (next) {
          setCurrent(next);
          document.querySelector(`[data-reconcile-item="${CSS.escape(next)}"]`)?.scrollIntoView({ block: 'center' });
        }
      } else if (/^[0-9]$/.test(k) && current && view.editable) {
        const item = items.find((it) => it.id === current)!;
        if (k === '0') decide(item, null);
        else {
          const sheet = view.sheets[Number(k) - 1];
          if (sheet) decide(item, sheet.answers[item.id] ?? { status: 'pass' });
        }
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [view, items, differing, decide, setCurrent]);

  // Items left open once every disputed item is decided: only some reviewers rated them (a vetoing
  // reviewer need not score the rest). With the veto rejected they take one reviewer's answers at once.
  // An item only one reviewer rated is no dispute to weigh, even where the other's silence differs from it.
  const ratedOnce = (id: string): boolean => (view?.sheets.filter((s) => s.answers[id] !== undefined).length ?? 0) === 1;
  const rest = undecided.filter((id) => !differing.has(id) || ratedOnce(id));
  const restSources =
    view && rest.length > 0 && rest.length === undecided.length
      ? view.sheets.filter((s) => rest.every((id) => s.answers[id] !== undefined))
      : [];

  async function adoptRest(sheetId: string) {
    await run(async () => {
      await chain.current;
      const res = await invoke('reconcile:adoptRest', { caseId, sheetId, revision: revision.current });
      revision.current = res.revision;
      toast.show(`已采纳其余 ${res.adopted.length} 项的评定`, 'ok');
      q.reload();
    });
  }

  async function finalise() {
    await run(async () => {
      await chain.current;
      const r = await invoke('reconcile:finalise', { caseId, note, revision: revision.current });
      toast.show(`已定分：${fmt(r.final!.summary.total)} 分 · ${r.final!.summary.grade}`, 'ok');
      q.reload();
    });
  }

  if (q.error && !view)
    return (
      <div className="page">
        <div className="notice notice-error">{q.error}</div>
      </div>
    );
  if (!view || !def || !agreedResult)
    return (
      <div className="empty">
        <span className="spinner" />
      </div>
    );
  const r = view.review;

  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const row = (item: ItemNode) => {
    const onlySome = single.has(item.id) && !differing.has(item.id);
    const differs = differing.has(item.id) || onlySome;
    const decided = view.agreed[item.id];
    const agreed = agreedAnswers[item.id];
    const isOpen = open.has(item.id);
    return (
      <tbody
        key={item.id}
        className={`${differs ? 'differs' : ''} ${current === item.id ? 'current' : ''}`}
        data-reconcile-item={item.id}
        aria-current={current === item.id ? 'true' : undefined}
        onClick={() => setCurrent(item.id)}
      >
        <tr>
          <td className="num code">{item.code}</td>
          <td>
            <span className="item-text">{item.text}</span>
            <button type="button" className="linklike small nowrap" aria-expanded={isOpen} onClick={() => toggle(item.id)}>
              {isOpen ? '收起理由与证据' : '理由与证据'}
            </button>
          </td>
          <td className="num nowrap pts">{item.rule.kind === 'veto' ? '否决' : item.points === null ? '—' : fmt(item.points)}</td>
          {view.sheets.map((s, i) => {
            const a = s.answers[item.id];
            const same = agreed && answerKey(item, agreed) === answerKey(item, a);
            return (
              <td key={s.sheet.id} className={`answer-cell status-${a?.status ?? 'none'} ${differs && same ? 'chosen' : ''}`}>
                <button
                  type="button"
                  className="cell-button"
                  disabled={!view.editable || !differs}
                  title={view.editable && differs ? `采纳${s.sheet.reviewerName}的评定（${i + 1}）` : (a?.comment ?? '')}
                  aria-label={`${s.sheet.reviewerName}：第 ${item.code} 项 ${answerText(item, a)}${view.editable && differs ? '，点击采纳' : ''}`}
                  onClick={() => decide(item, a ?? { status: 'pass' })}
                >
                  <b className="num">{answerText(item, a)}</b>
                  {a?.comment && <span className="snippet">{a.comment}</span>}
                  {(a?.evidence?.length ?? 0) > 0 && <span className="badge">证据 {a!.evidence!.length}</span>}
                </button>
              </td>
            );
          })}
          <td className={`agreed-cell ${differs && !decided && !vetoSettled ? 'undecided' : ''}`}>
            {agreed ? (
              <b className="num">{answerText(item, agreed)}</b>
            ) : vetoSettled ? (
              <span className="muted small">否决后无须定分</span>
            ) : (
              <b className="danger-text">待定</b>
            )}{' '}
            <span className="muted small">
              {decided ? (decided.origin === 'panel' ? '合议' : '一致') : onlySome ? '仅一人评定' : differs ? '' : '一致'}
            </span>
            {view.editable && (
              <button
                type="button"
                className="btn btn-sm btn-ghost"
                onClick={() => setEditing(editing === item.id ? null : item.id)}
                aria-label={`自定第 ${item.code} 项合议结果`}
              >
                自定…
              </button>
            )}
          </td>
        </tr>
        {editing === item.id && view.editable && (
          <tr className="detail-row">
            <td colSpan={4 + view.sheets.length}>
              <AgreedEditor
                item={item}
                initial={agreed}
                note={decided?.note ?? ''}
                onCancel={() => setEditing(null)}
                onSave={(a, n) => {
                  decide(item, a, n);
                  setEditing(null);
                }}
              />
            </td>
          </tr>
        )}
        {isOpen && (
          <tr className="detail-row">
            <td colSpan={4 + view.sheets.length}>
              <div className="detail-grid" style={{ gridTemplateColumns: `repeat(${view.sheets.length + 1}, minmax(0, 1fr))` }}>
                {view.sheets.map((s) => (
                  <AnswerDetail
                    key={s.sheet.id}
                    who={s.sheet.reviewerName}
                    item={item}
                    answer={s.answers[item.id]}
                    evidence={evidence}
                    caseId={caseId}
                  />
                ))}
                <AnswerDetail
                  who="合议结果"
                  item={item}
                  answer={agreed}
                  evidence={evidence}
                  caseId={caseId}
                  note={decided?.note}
                  emptyText="待定"
                />
              </div>
            </td>
          </tr>
        )}
      </tbody>
    );
  };

  const blockRows = (block: BlockNode): React.ReactElement[] => {
    const inside = block.children.flatMap((c) => (c.kind === 'block' ? blockRows(c) : visibleItems.includes(c) ? [row(c)] : []));
    if (!inside.length) return [];
    return [
      <tbody key={`b-${block.id}`} className="block-row">
        <tr>
          <th colSpan={4 + view.sheets.length}>
            {block.code ? `${block.code} ` : ''}
            {block.title}
          </th>
        </tr>
      </tbody>,
      ...inside,
    ];
  };
  const gateRows = def.gate.items.filter((it) => visibleItems.includes(it)).map(row);

  return (
    <div className="page reconcile" aria-label="合议">
      <div className="page-head reconcile-head">
        <a className="back" href={href.case(caseId)}>
          ← 返回案卷
        </a>
        <h1 data-testid="reconcile-file">合议 · {view.caseNumber}</h1>
        <p className="grow reconcile-file" title={`${view.unitName}${view.caseTitle ? ` · ${view.caseTitle}` : ''} · ${view.standardName}`}>
          {view.unitName}
          {view.caseTitle ? ` · ${view.caseTitle}` : ''} · {view.standardName}
        </p>
        <ReviewStateBadge state={r.state} route={r.route} assigneeName={r.assignee?.name ?? null} large />
      </div>
      {r.reasons.length > 0 && (
        <div className="notice notice-warn reconcile-reasons" role="status" title={r.reasons.join('；')}>
          {/* With no item in dispute the only reason left is a veto all reviewers found: it needs the
              panel's confirmation, but it is no disagreement. */}
          <b>{differing.size > 0 ? '分歧：' : '须集体评议：'}</b>
          {r.reasons.join('；')}
        </div>
      )}
      <div className="summary-strip">
        {view.sheets.map((s, i) => (
          <div key={s.sheet.id} className="summary-card" data-testid="reviewer-score">
            <div className="muted">
              {i + 1}. {s.sheet.reviewerName}
            </div>
            <div className="score num">{fmt(s.summary.total)}</div>
            <span className={`badge ${s.summary.vetoed || s.summary.grade === def.failGrade ? 'badge-danger' : 'badge-primary'}`}>
              {s.summary.grade}
              {s.summary.vetoed ? ' · 否决' : ''}
            </span>
          </div>
        ))}
        {!r.final && undecided.length > 0 && provisional?.disagreement ? (
          <div className="summary-card agreed pending" data-testid="agreed-result">
            <div className="muted">暂定结果</div>
            {/* Each reviewer's score and grade are in their own cards beside this one: the full sentence
                (as the projector and the documents say it) is the tooltip. */}
            <div className="danger-text disagreement" data-testid="agreed-disagreement" title={provisional.disagreement}>
              结论不一，待合议
            </div>
            <div className="small danger-text">待定 {undecided.length} 项，合议后以合议结果为准</div>
          </div>
        ) : !r.final && undecided.length > 0 && provisional ? (
          <div className="summary-card agreed pending" data-testid="agreed-result">
            <div className="muted">暂定结果（{provisional.sheets} 份评查表平均）</div>
            <div className="score num" data-testid="agreed-total">
              {fmt(provisional.total)}
            </div>
            <span
              className={`badge ${provisional.vetoed || provisional.grade === def.failGrade ? 'badge-danger' : 'badge-warn'}`}
              data-testid="agreed-grade"
            >
              {provisional.grade}
            </span>
            <div className="small danger-text">待定 {undecided.length} 项，合议后以合议结果为准</div>
          </div>
        ) : (
          <div className="summary-card agreed" data-testid="agreed-result">
            <div className="muted">{r.final ? FINAL_SOURCE_LABELS[r.final.source] : '合议结果（待确认定分）'}</div>
            <div className="score num" data-testid="agreed-total">
              {fmt(agreedResult.total)}
            </div>
            <span
              className={`badge ${agreedResult.vetoed || agreedResult.grade === def.failGrade ? 'badge-danger' : 'badge-ok'}`}
              data-testid="agreed-grade"
            >
              {agreedResult.grade}
            </span>
          </div>
        )}
        {evidencePages.length > 0 && (
          <div className="summary-card evidence-pages" data-testid="evidence-pages">
            <div className="muted">证据页</div>
            <ul>
              {evidencePages.map((e) => (
                <li key={`${e.documentId}-${e.page}`}>
                  <a href={href.case(caseId, e.documentId, e.page)} title={`${[...e.who].join('、')}引用`}>
                    {e.documentTitle} 第 {e.page} 页
                  </a>
                </li>
              ))}
            </ul>
          </div>
        )}
        {differing.size > 0 && (
          <div className="summary-card disputes" data-testid="disputed-items">
            <div className="muted">分歧项（{differing.size}）</div>
            <ul>
              {items
                .filter((it) => differing.has(it.id))
                .map((it) => (
                  <li key={it.id} className={view.agreed[it.id] ? 'decided' : ''}>
                    <button
                      type="button"
                      className="linklike"
                      title={view.sheets.map((sh) => `${sh.sheet.reviewerName}：${answerText(it, sh.answers[it.id])}`).join('；')}
                      onClick={() => {
                        setCurrent(it.id);
                        document.querySelector(`[data-reconcile-item="${CSS.escape(it.id)}"]`)?.scrollIntoView({ block: 'center' });
                      }}
                    >
                      第 {it.code} 项
                    </button>
                    <span className="muted small">
                      <span className="dispute-readings"> {view.sheets.map((sh) => answerText(it, sh.answers[it.id])).join(' / ')}</span>
                      {view.agreed[it.id] ? ' · 已定' : ''}
                    </span>
                  </li>
                ))}
            </ul>
          </div>
        )}
      </div>
      <div className="reconcile-toolbar">
        <label className="check">
          <input type="checkbox" checked={onlyDiffering} onChange={(e) => setOnlyDiffering(e.target.checked)} /> 只看分歧项
        </label>
        <span className="muted">
          分歧 {differing.size} 项{view.editable ? `，待定 ${undecided.length} 项` : ''}
        </span>
        <span className="spacer" />
        {view.editable && (
          <span className="muted small">
            {RECONCILE_KEY_HELP.map(([k, what]) => (
              <span key={k} className="key-tip">
                <kbd>{k}</kbd> {what}
              </span>
            ))}
          </span>
        )}
      </div>
      <div className="panel table-wrap reconcile-items" data-testid="reconcile-items">
        <table className="table reconcile-table">
          <thead>
            <tr>
              <th>编号</th>
              <th>评查项目</th>
              <th className="num nowrap">分值</th>
              {view.sheets.map((s, i) => (
                <th key={s.sheet.id}>
                  {i + 1}. {s.sheet.reviewerName}
                </th>
              ))}
              <th>合议结果</th>
            </tr>
          </thead>
          {gateRows.length > 0 && (
            <tbody className="block-row">
              <tr>
                <th colSpan={4 + view.sheets.length}>{def.gate.title}</th>
              </tr>
            </tbody>
          )}
          {gateRows}
          {def.blocks.flatMap(blockRows)}
        </table>
      </div>
      <div className="reconcile-footer panel">
        {r.final ? (
          <>
            <div className="grow">
              <b>
                已定分：{fmt(r.final.summary.total)} 分 · {r.final.summary.grade}
              </b>
              <div className="muted">
                {FINAL_SOURCE_LABELS[r.final.source]}
                {r.final.finalisedByName ? ` · ${r.final.finalisedByName}` : ''}
                {r.final.note ? ` · ${r.final.note}` : ''}
              </div>
            </div>
            {r.canManage && r.final.source === 'panel' && (
              <button type="button" className="btn btn-danger" onClick={() => setWithdrawing(true)}>
                撤销定分
              </button>
            )}
          </>
        ) : view.editable ? (
          <>
            <label className="grow">
              <span className="muted" title="写入审计记录，可在评查表中引用">
                合议说明
              </span>
              <textarea className="input" rows={1} aria-label="合议说明" value={note} onChange={(e) => setNote(e.target.value)} />
            </label>
            {restSources.map((s) => (
              <button
                key={s.sheet.id}
                type="button"
                className="btn"
                data-testid="adopt-rest"
                disabled={busy}
                title={`分歧项已逐项确定；其余 ${rest.length} 项只有${s.sheet.reviewerName}评定，一并采纳（记入审计）`}
                onClick={() => void adoptRest(s.sheet.id)}
              >
                其余 {rest.length} 项采纳{s.sheet.reviewerName}的评定
              </button>
            ))}
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || undecided.length > 0}
              onClick={finalise}
              title={undecided.length ? '请先确定所有分歧项' : ''}
            >
              {undecided.length
                ? `确认定分（还有 ${undecided.length} 项待定）`
                : `确认定分（${fmt(agreedResult.total)} 分 · ${agreedResult.grade}）`}
            </button>
          </>
        ) : (
          <div className="muted">
            {r.state === 'flagged' ? '只有评查组长、组织者或指定的复核人可以确定合议结果。' : '全部评查表提交后才能合议。'}
          </div>
        )}
      </div>
      <WithdrawDialog caseId={caseId} open={withdrawing} onClose={() => setWithdrawing(false)} onDone={q.reload} />
    </div>
  );
}

function AnswerDetail({
  who,
  item,
  answer,
  evidence,
  caseId,
  note,
  emptyText,
}: {
  who: string;
  item: ItemNode;
  answer: Answer | undefined;
  evidence: Map<string, EvidenceRef>;
  caseId: string;
  note?: string | undefined;
  emptyText?: string;
}) {
  const refs = (answer?.evidence ?? []).map((id) => evidence.get(id)).filter((e): e is EvidenceRef => !!e);
  return (
    <div className="answer-detail">
      <div className="muted">{who}</div>
      <div>
        <b>{answer || !emptyText ? answerText(item, answer) : emptyText}</b>
      </div>
      {answer?.comment && <div>{answer.comment}</div>}
      {answer?.location && <div className="muted">位置：{answer.location}</div>}
      {note && <div className="muted">合议说明：{note}</div>}
      {refs.length > 0 && (
        <div className="evidence">
          {refs.map((e) => (
            <a
              key={e.id}
              className="badge badge-primary"
              href={href.case(caseId, e.documentId, e.pageIndex + 1)}
              title={`${e.documentTitle} · ${e.authorName}`}
            >
              {e.documentTitle}{' '}
              {evidenceLabel({
                pageIndex: e.pageIndex,
                selectedText: e.selectedText ?? undefined,
                comment: e.comment ?? undefined,
                type: e.type,
              })}
            </a>
          ))}
        </div>
      )}
    </div>
  );
}

function AgreedEditor({
  item,
  initial,
  note,
  onSave,
  onCancel,
}: {
  item: ItemNode;
  initial: Answer | undefined;
  note: string;
  onSave(a: Answer, note: string): void;
  onCancel(): void;
}) {
  const [answer, setAnswer] = useState<Answer>(initial ?? { status: 'pass' });
  const [n, setN] = useState(note);
  const choices = rangeChoices(item);
  const statuses: AnswerStatus[] =
    item.rule.kind === 'veto' ? ['pass', 'veto'] : ['pass', 'deduct', ...(item.notApplicable ? (['na'] as const) : [])];
  const problem = validateAnswer(item, answer);
  return (
    <form
      className="agreed-editor"
      aria-label={`第 ${item.code} 项合议结果`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) onSave(answer, n);
      }}
    >
      <div className="seg" role="group" aria-label="合议评定">
        {statuses.map((s) => (
          <button
            key={s}
            type="button"
            className="btn btn-sm"
            aria-pressed={answer.status === s}
            onClick={() =>
              setAnswer({
                ...answer,
                status: s,
                ...(s === 'deduct' && item.rule.kind === 'range' && answer.deduction === undefined ? { deduction: choices[0] } : {}),
                ...(s === 'deduct' && item.rule.kind === 'perOccurrence' && !answer.occurrences ? { occurrences: 1 } : {}),
              })
            }
          >
            {ANSWER_STATUS_LABELS[s]}
          </button>
        ))}
      </div>
      {answer.status === 'deduct' && item.rule.kind === 'range' && (
        <select
          className="input"
          aria-label="扣分值"
          value={answer.deduction ?? ''}
          onChange={(e) => setAnswer({ ...answer, deduction: Number(e.target.value) })}
        >
          {choices.map((c) => (
            <option key={c} value={c}>
              {fmt(c)} 分
            </option>
          ))}
        </select>
      )}
      {answer.status === 'deduct' && item.rule.kind === 'perOccurrence' && (
        <input
          className="input num"
          type="number"
          min={1}
          aria-label="发现处数"
          value={answer.occurrences ?? 1}
          onChange={(e) => setAnswer({ ...answer, occurrences: Math.max(1, Math.floor(Number(e.target.value) || 1)) })}
        />
      )}
      <textarea
        className="input"
        rows={2}
        aria-label="合议理由"
        placeholder="理由（写入评查表和意见书）"
        value={answer.comment ?? ''}
        onChange={(e) => setAnswer({ ...answer, comment: e.target.value })}
      />
      <input
        className="input"
        aria-label="合议说明"
        placeholder="合议说明（如：采纳李四意见）"
        value={n}
        onChange={(e) => setN(e.target.value)}
      />
      {problem && (
        <div className="danger-text small" role="alert">
          {problem}
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>
          取消
        </button>
        <button type="submit" className="btn btn-sm btn-primary" disabled={!!problem}>
          保存合议结果
        </button>
      </div>
    </form>
  );
}
