/**
 * The dossier's annotations in reading order (file, page, top to bottom), filtered by author, colour
 * and linked checklist item; a click (or Enter) shows the mark on its page.
 */
import { useMemo, useState } from 'react';
import { ANNOTATION_TYPE_LABELS } from '../../../../shared/annotations/annotation-kinds';
import type { Annotation } from '../../../../shared/annotations/annotation';
import { ColorSwatches } from './ColorSwatches';

type ItemFilter = 'all' | 'linked' | 'unlinked' | `item:${string}`;

export function AnnotationList({
  annotations,
  documentTitles,
  currentDocumentId,
  selectedId,
  itemLabel,
  whereOf,
  onShow,
}: {
  annotations: Annotation[];
  documentTitles: Map<string, { title: string; sha256: string }>;
  currentDocumentId: string | undefined;
  selectedId: string | null;
  itemLabel(itemId: string): string;
  /** How the reader names a page (the 案号 and 文书, not the county's file name), and the original file name. */
  whereOf?: (documentId: string, pageIndex: number) => { label: string; fileName: string };
  onShow(a: Annotation): void;
}) {
  const [author, setAuthor] = useState('all');
  const [colors, setColors] = useState<Set<string>>(new Set());
  const [item, setItem] = useState<ItemFilter>('all');
  const [onlyThisFile, setOnlyThisFile] = useState(false);

  const authors = useMemo(() => [...new Map(annotations.map((a) => [a.authorId, a.authorName])).entries()], [annotations]);
  const items = useMemo(() => [...new Set(annotations.map((a) => a.checklistItemId).filter((x): x is string => !!x))], [annotations]);
  const shown = annotations.filter(
    (a) =>
      (author === 'all' || a.authorId === author) &&
      (!colors.size || colors.has(a.color.toLowerCase())) &&
      (item === 'all' ||
        (item === 'linked' ? !!a.checklistItemId : item === 'unlinked' ? !a.checklistItemId : a.checklistItemId === item.slice(5))) &&
      (!onlyThisFile || a.documentId === currentDocumentId),
  );

  return (
    <div className="ann-list">
      <div className="ann-filters" role="group" aria-label="筛选批注">
        <select className="input" aria-label="按标注人筛选" value={author} onChange={(e) => setAuthor(e.target.value)}>
          <option value="all">全部标注人</option>
          {authors.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <select className="input" aria-label="按评查项筛选" value={item} onChange={(e) => setItem(e.target.value as ItemFilter)}>
          <option value="all">全部（含未关联）</option>
          <option value="linked">已关联评查项</option>
          <option value="unlinked">未关联评查项</option>
          {items.map((id) => (
            <option key={id} value={`item:${id}`}>
              {itemLabel(id)}
            </option>
          ))}
        </select>
        <ColorSwatches
          label="按颜色筛选"
          mode="toggle"
          name={(c) => `只看${c}色`}
          isOn={(c) => colors.has(c)}
          onPick={(c) =>
            setColors((prev) => {
              const next = new Set(prev);
              if (next.has(c)) next.delete(c);
              else next.add(c);
              return next;
            })
          }
        />
        <label className="check">
          <input type="checkbox" checked={onlyThisFile} onChange={(e) => setOnlyThisFile(e.target.checked)} /> 只看当前文件
        </label>
      </div>
      <p className="muted ann-count" role="status">
        {shown.length === annotations.length ? `共 ${annotations.length} 条批注` : `显示 ${shown.length} / ${annotations.length} 条批注`}
      </p>
      {annotations.length === 0 && <p className="side-empty">还没有批注。选择工具栏中的“高亮”“框选”等工具，在页面上标注问题。</p>}
      <ol className="ann-items">
        {shown.map((a) => {
          const doc = documentTitles.get(a.documentId);
          const stale = doc && doc.sha256 !== a.documentSha256;
          const where = whereOf?.(a.documentId, a.pageIndex) ?? { label: `${doc?.title ?? ''} · 第 ${a.pageIndex + 1} 页`, fileName: '' };
          return (
            <li key={a.id}>
              <button
                type="button"
                className={`ann-item${a.id === selectedId ? ' selected' : ''}`}
                data-annotation-id={a.id}
                onClick={() => onShow(a)}
              >
                <span className="ann-head">
                  <span className="pc-chip" style={{ ['--mark' as string]: a.color }} aria-hidden="true" />
                  <strong>{ANNOTATION_TYPE_LABELS[a.type]}</strong>
                  <span className="muted ann-where" title={where.fileName ? `${where.label}（原文件名：${where.fileName}）` : where.label}>
                    {where.label}
                  </span>
                  <span className="spacer" />
                  <span className="muted ann-author" title={a.authorName}>
                    {a.authorName}
                  </span>
                </span>
                {a.selectedText && <span className="ann-quote">“{a.selectedText}”</span>}
                {a.comment && <span className="ann-comment">{a.comment}</span>}
                {a.checklistItemId && (
                  <span className="badge badge-primary" title={`证据 · ${itemLabel(a.checklistItemId)}`}>
                    证据 · {itemLabel(a.checklistItemId)}
                  </span>
                )}
                {stale && <span className="badge badge-danger">⚠ 标注于该文件的另一版本，位置可能不准</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
