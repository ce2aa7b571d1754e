import { useState } from 'react';
import type { Annotation } from '../../../../shared/annotations/annotation';
import { fmt } from '../../../../shared/standards/tree';
import type { Problem } from '../../../../shared/scoring/scoring';
import { pageList } from './evidence';

/**
 * The file's problem list (每项扣分及理由) as the sheet fills: item, deduction, reason, and where in
 * the dossier — the location in words and the pages of the linked marks. It is what the letters quote.
 */
export function ProblemList({
  problems,
  annotationsById,
  onPick,
  onShowAnnotation,
}: {
  problems: Problem[];
  annotationsById: Map<string, Annotation>;
  onPick(itemId: string): void;
  onShowAnnotation(a: Annotation): void;
}) {
  // On a short screen (a 1366×768 laptop or projector) the list starts folded to its count and total,
  // so the items keep the height; the reviewer opens it when wanted.
  const [open, setOpen] = useState(() => window.innerHeight >= 900);
  const total = problems.reduce((sum, p) => sum + p.deduction, 0);
  return (
    <section className={`problem-list ${open ? 'open' : ''}`} aria-label="问题清单">
      <button type="button" className="problem-list-head" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span>问题清单（{problems.length}）</span>
        <span className="muted num">
          {problems.some((p) => p.veto) ? '含否决项 · ' : ''}共扣 {fmt(total)} 分 {open ? '▾' : '▸'}
        </span>
      </button>
      {open && (
        <ol className="problem-items">
          {problems.length === 0 && <li className="muted">尚未发现问题。</li>}
          {problems.map((p) => {
            const marks = p.evidence.map((id) => annotationsById.get(id)).filter((a): a is Annotation => !!a);
            const where = [p.location, pageList(marks.map((m) => m.pageIndex))].filter(Boolean).join('；');
            return (
              <li key={p.itemId} data-problem-item={p.itemId}>
                <button type="button" className="linklike" onClick={() => onPick(p.itemId)}>
                  第 {p.code} 项 {p.text}
                </button>
                <span className={`badge ${p.veto ? 'badge-danger' : 'badge-warn'} num`}>{p.veto ? '否决' : `−${fmt(p.deduction)}`}</span>
                <div className="problem-why">{p.comment || <span className="danger-text">（未填写理由）</span>}</div>
                {(where || marks.length > 0) && (
                  <div className="problem-where muted">
                    {where}
                    {marks.map((m) => (
                      <button key={m.id} type="button" className="linklike" onClick={() => onShowAnnotation(m)}>
                        查看第 {m.pageIndex + 1} 页
                      </button>
                    ))}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
