/**
 * The score sheet beside the PDF (一卷一表). Every change is saved at once, one at a time in order;
 * the total, block subtotals and grade are computed by the same shared function the back end uses,
 * so what the reviewer sees is what is stored.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChannelOutput } from '../../../shared/contract';
import type { Annotation } from '../../../shared/domain/annotation';
import { describeRule, fmt, type BlockNode, type ItemNode } from '../../../shared/standard/model';
import { ANSWER_STATUS_LABELS, itemDeduction, rangeChoices, scoreSheet, validateAnswer, type Answer, type AnswerStatus } from '../../../shared/standard/scoring';
import { ApiError, errorMessage, invoke } from '../api/client';
import { useToast } from '../ui/toast';

type SheetView = ChannelOutput<'sheet:open'>;

export function ScoreSheet({ caseId, selectedAnnotation, annotations, onShowAnnotation }: {
  caseId: string;
  selectedAnnotation: Annotation | null;
  annotations: Annotation[];
  onShowAnnotation(a: Annotation): void;
}) {
  const toast = useToast();
  const [view, setView] = useState<SheetView | null>(null);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(0);
  const revision = useRef(0);
  const queue = useRef<Promise<void>>(Promise.resolve());

  const load = useCallback(async () => {
    try {
      const v = await invoke('sheet:open', { caseId });
      setView(v);
      setAnswers(v.answers);
      revision.current = v.sheet.revision;
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [caseId]);
  useEffect(() => void load(), [load]);

  const result = useMemo(() => (view ? scoreSheet(view.definition, answers) : null), [view, answers]);

  /** Saves one item's answer after the previous save finished (the server checks the revision). */
  const save = useCallback(
    (item: ItemNode, answer: Answer | null) => {
      if (!view) return;
      if (answer) {
        const problem = validateAnswer(item, answer);
        if (problem && !(answer.status === 'veto' && !answer.comment)) {
          toast.show(problem, 'error');
          return;
        }
      }
      setAnswers((prev) => {
        const next = { ...prev };
        if (answer) next[item.id] = answer;
        else delete next[item.id];
        return next;
      });
      // A veto waits for its reason before it is saved.
      if (answer?.status === 'veto' && !answer.comment?.trim()) return;
      setSaving((n) => n + 1);
      queue.current = queue.current.then(async () => {
        try {
          const res = await invoke('sheet:answer', { sheetId: view.sheet.id, itemId: item.id, answer, revision: revision.current });
          revision.current = res.revision;
        } catch (err) {
          toast.show(errorMessage(err), 'error');
          if (err instanceof ApiError && err.code === 'conflict') await load();
        } finally {
          setSaving((n) => n - 1);
        }
      });
    },
    [view, toast, load],
  );

  if (error) return <div className="sheet"><div className="notice notice-error" style={{ margin: 16 }}>{error}</div></div>;
  if (!view || !result) return <div className="sheet"><div className="empty"><span className="spinner" /></div></div>;
  const def = view.definition;
  const editable = view.editable;
  const blockScore = new Map(result.blocks.map((b) => [b.id, b]));
  const byId = new Map(annotations.map((a) => [a.id, a]));

  const renderItem = (item: ItemNode) => (
    <ItemRow
      key={item.id}
      item={item}
      answer={answers[item.id]}
      editable={editable}
      selectedAnnotation={selectedAnnotation}
      annotationsById={byId}
      onChange={(a) => save(item, a)}
      onShowAnnotation={onShowAnnotation}
    />
  );
  const renderBlock = (block: BlockNode, depth: number): React.ReactNode => {
    const s = blockScore.get(block.id);
    return (
      <section key={block.id} className={`sheet-block depth-${depth}`} aria-label={block.title}>
        <h4>
          <span>{block.code ? `${block.code} ` : ''}{block.title}</span>
          <span className="num">{s ? `${fmt(s.earned)} / ${fmt(s.max - s.excluded)}` : fmt(block.points)}</span>
        </h4>
        {block.children.map((child) => (child.kind === 'block' ? renderBlock(child, depth + 1) : renderItem(child)))}
      </section>
    );
  };

  return (
    <div className="sheet" aria-label="评查表">
      <div className={`sheet-total ${result.vetoed ? 'vetoed' : ''}`}>
        <div>
          <div className="muted" style={{ fontSize: 'var(--fs-sm)' }}>{def.name}</div>
          <div className="score" data-testid="sheet-total">
            <span className="num">{fmt(result.total)}</span>
            <small> / {fmt(result.max)} 分</small>
          </div>
        </div>
        <div style={{ textAlign: 'right' }}>
          <div className={`badge ${result.vetoed || result.grade === def.failGrade ? 'badge-danger' : 'badge-primary'} grade`} data-testid="sheet-grade">
            {result.grade}
          </div>
          <div className="muted" style={{ fontSize: 'var(--fs-sm)', marginTop: 4 }}>
            {saving > 0 ? '正在保存…' : '已自动保存'} · 扣分项 {result.problems.length} · 未评 {result.unanswered.length}
          </div>
        </div>
      </div>
      {!editable && <div className="notice notice-info" style={{ margin: '8px 12px' }}>评查表已提交，只能查看。</div>}
      <div className="sheet-body">
        {def.gate.items.length > 0 && (
          <section className="sheet-block gate" aria-label={def.gate.title}>
            <h4><span>{def.gate.title}</span><span>{result.vetoed ? '已否决' : '否决项'}</span></h4>
            {def.gate.items.map(renderItem)}
          </section>
        )}
        {def.blocks.map((b) => renderBlock(b, 0))}
      </div>
    </div>
  );
}

function ItemRow({ item, answer, editable, selectedAnnotation, annotationsById, onChange, onShowAnnotation }: {
  item: ItemNode;
  answer: Answer | undefined;
  editable: boolean;
  selectedAnnotation: Annotation | null;
  annotationsById: Map<string, Annotation>;
  onChange(a: Answer | null): void;
  onShowAnnotation(a: Annotation): void;
}) {
  const status: AnswerStatus | null = answer?.status ?? null;
  const deduction = itemDeduction(item, answer);
  const isVeto = item.rule.kind === 'veto';
  const choices = rangeChoices(item);
  const [comment, setComment] = useState(answer?.comment ?? '');
  useEffect(() => setComment(answer?.comment ?? ''), [answer?.comment]);

  const setStatus = (next: AnswerStatus) => {
    if (status === next) return onChange(null);
    const base: Answer = { status: next, ...(answer?.comment ? { comment: answer.comment } : {}), ...(answer?.evidence ? { evidence: answer.evidence } : {}) };
    if (next === 'deduct' && item.rule.kind === 'range') base.deduction = choices[0] ?? item.rule.min;
    if (next === 'deduct' && item.rule.kind === 'perOccurrence') base.occurrences = 1;
    onChange(base);
  };
  const options: AnswerStatus[] = isVeto ? ['pass', 'veto'] : ['pass', 'deduct', ...(item.notApplicable ? (['na'] as const) : [])];
  const evidence = (answer?.evidence ?? []).map((id) => annotationsById.get(id)).filter((a): a is Annotation => !!a);

  return (
    <div className={`sheet-item status-${status ?? 'none'}`} data-item-id={item.id}>
      <div className="item-head">
        <span className="code">{item.code}</span>
        <span className="text">{item.text}</span>
        <span className="pts num">{isVeto ? '否决' : item.points === null ? '—' : `${fmt(item.points)}分`}</span>
      </div>
      <div className="item-rule muted">{describeRule(item)}{item.ruleText && item.ruleText !== describeRule(item) ? ` · ${item.ruleText}` : ''}</div>
      <div className="item-controls">
        <div className="seg" role="group" aria-label={`第 ${item.code} 项评定`}>
          {options.map((o) => (
            <button key={o} type="button" className={`btn btn-sm ${o}`} aria-pressed={status === o} disabled={!editable} onClick={() => setStatus(o)}>
              {ANSWER_STATUS_LABELS[o]}
            </button>
          ))}
        </div>
        {status === 'deduct' && item.rule.kind === 'range' && (
          <select
            className="input num"
            style={{ width: 96, minHeight: 30 }}
            aria-label="扣分值"
            disabled={!editable}
            value={answer?.deduction ?? ''}
            onChange={(e) => onChange({ ...answer!, deduction: Number(e.target.value) })}
          >
            {choices.map((c) => <option key={c} value={c}>{fmt(c)} 分</option>)}
          </select>
        )}
        {status === 'deduct' && item.rule.kind === 'perOccurrence' && (
          <label className="muted" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <input
              className="input num"
              style={{ width: 70, minHeight: 30 }}
              type="number"
              min={1}
              aria-label="发现处数"
              disabled={!editable}
              value={answer?.occurrences ?? 1}
              onChange={(e) => onChange({ ...answer!, occurrences: Math.max(1, Math.floor(Number(e.target.value) || 1)) })}
            />
            处
          </label>
        )}
        {deduction > 0 && <span className="deduction-value num" data-testid="item-deduction">−{fmt(deduction)}</span>}
      </div>
      {(status === 'deduct' || status === 'veto' || status === 'na') && (
        <div className="item-detail">
          <textarea
            className="input"
            rows={2}
            placeholder={status === 'veto' ? '否决理由（必填）' : '扣分理由 / 说明（将写入评查表和意见书）'}
            aria-label="扣分理由"
            disabled={!editable}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            onBlur={() => comment !== (answer?.comment ?? '') && onChange({ ...answer!, comment })}
          />
          <div className="evidence">
            {evidence.map((a) => (
              <button key={a.id} type="button" className="badge badge-primary" onClick={() => onShowAnnotation(a)} title={a.selectedText ?? ''}>
                第 {a.pageIndex + 1} 页 · {a.selectedText ? a.selectedText.slice(0, 12) : '框选'}
              </button>
            ))}
            {editable && selectedAnnotation && !answer?.evidence?.includes(selectedAnnotation.id) && (
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => onChange({ ...answer!, evidence: [...(answer?.evidence ?? []), selectedAnnotation.id] })}
              >
                ＋ 关联选中批注（第 {selectedAnnotation.pageIndex + 1} 页）
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
