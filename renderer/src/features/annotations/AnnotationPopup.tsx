/**
 * The pop-up beside a selected mark: its comment (or, for a text box, its text), colour, the
 * checklist item it is evidence for, and delete. Typing is saved as you go (one undo step per burst).
 */
import { useEffect, useRef, useState } from 'react';
import { ANNOTATION_TYPE_LABELS } from '../../../../shared/annotations/annotation-kinds';
import type { Annotation, AnnotationInput } from '../../../../shared/annotations/annotation';
import { textBoxHeight, wrapText } from '../../../../shared/core/geometry';
import { ColorSwatches } from './ColorSwatches';

export interface PopupActions {
  update(id: string, patch: Partial<AnnotationInput>, key?: string): void;
  /** Links the mark to a checklist item as evidence (the score sheet's answer too), or unlinks it (null). */
  link(id: string, itemId: string | null): void;
  remove(id: string): void;
  close(): void;
}

let measureContext: CanvasRenderingContext2D | null = null;
/** Lines a text box needs, measured with the font the overlay shows it in (CJK glyphs are 1 em either way). */
function measuredLines(text: string, widthPt: number, fontSize: number, font: string): number {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.split('\n').length;
  measureContext.font = `${fontSize}px ${font}`;
  return wrapText(text, widthPt - 6, (s) => measureContext!.measureText(s).width).length;
}

export function AnnotationPopup({
  annotation: a,
  anchor,
  page,
  editable,
  itemLabel,
  currentItem,
  actions,
}: {
  annotation: Annotation;
  anchor: { left: number; top: number; width: number; height: number };
  page: { width: number; height: number };
  editable: boolean;
  itemLabel(itemId: string): string;
  currentItem: { id: string; label: string } | null;
  actions: PopupActions;
}) {
  const [text, setText] = useState(a.comment ?? '');
  const area = useRef<HTMLTextAreaElement>(null);
  const fresh = !a.comment && (a.type === 'note' || a.type === 'text');
  // Only when the pop-up opens: later edits must not steal focus back.
  const [focusOnOpen] = useState(fresh && editable);
  useEffect(() => {
    if (focusOnOpen) area.current?.focus();
  }, [focusOnOpen]);

  function onText(value: string): void {
    setText(value);
    const patch: Partial<AnnotationInput> = { comment: value };
    if (a.type === 'text' && a.position.rects?.[0]) {
      const [x1, , x2, y2] = a.position.rects[0];
      const fontSize = a.position.fontSize ?? 14;
      const font = getComputedStyle(area.current ?? document.body).getPropertyValue('--font-doc') || 'serif';
      const height = textBoxHeight(measuredLines(value, x2 - x1, fontSize, font), fontSize);
      patch.position = { ...a.position, rects: [[x1, y2 - height, x2, y2]] };
    }
    actions.update(a.id, patch, `comment:${a.id}`);
  }

  const below = anchor.top + anchor.height < page.height * 0.7;
  const placement = {
    left: `${Math.min(Math.max(0, anchor.left / page.width), 0.98) * 100}%`,
    ...(below ? { top: `${((anchor.top + anchor.height) / page.height) * 100}%` } : { bottom: `${(1 - anchor.top / page.height) * 100}%` }),
  };
  const label = a.type === 'text' ? '文字内容' : a.type === 'note' ? '便签内容' : '批注说明';

  return (
    <div
      className={`pc-popup ${below ? 'below' : 'above'}`}
      style={placement}
      role="dialog"
      aria-label={`${ANNOTATION_TYPE_LABELS[a.type]}批注`}
      onPointerDown={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          actions.close();
        }
      }}
    >
      <div className="pc-popup-head">
        <span className="pc-chip" style={{ ['--mark' as string]: a.color }} aria-hidden="true" />
        <strong>{ANNOTATION_TYPE_LABELS[a.type]}</strong>
        <span className="muted">
          第 {a.pageIndex + 1} 页 · {a.authorName}
        </span>
        <button type="button" className="pc-popup-close" aria-label="关闭批注窗口" onClick={actions.close}>
          ×
        </button>
      </div>
      {a.selectedText && <blockquote className="pc-quote">{a.selectedText}</blockquote>}
      {editable ? (
        <textarea
          ref={area}
          className="input"
          rows={a.type === 'text' ? 3 : 2}
          aria-label={label}
          placeholder={a.type === 'text' ? '输入要显示在页面上的文字' : '写下问题或说明（可选）'}
          value={text}
          onChange={(e) => onText(e.target.value)}
        />
      ) : (
        a.comment && <p className="pc-comment">{a.comment}</p>
      )}
      {editable && <ColorSwatches label="批注颜色" isOn={(c) => a.color === c} onPick={(c) => actions.update(a.id, { color: c })} />}
      <div className="pc-popup-link">
        {a.checklistItemId ? (
          <>
            <span className="badge badge-primary" title="该批注是这一评查项的证据">
              证据 · {itemLabel(a.checklistItemId)}
            </span>
            {editable && (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => actions.link(a.id, null)}>
                取消关联
              </button>
            )}
          </>
        ) : editable && currentItem ? (
          <button type="button" className="btn btn-sm" onClick={() => actions.link(a.id, currentItem.id)}>
            关联到评查项 {currentItem.label}
          </button>
        ) : (
          <span className="muted">未关联评查项</span>
        )}
        <span className="spacer" />
        {editable && (
          <button type="button" className="btn btn-sm btn-danger" onClick={() => actions.remove(a.id)} title="删除批注（Delete）">
            删除
          </button>
        )}
      </div>
    </div>
  );
}
