/**
 * The case screen's keyboard shortcuts (opened and closed with “?”, closed with Esc): a compact panel
 * over the lower part of the page, never over the score sheet, and not modal — the page can be read,
 * turned and the sheet answered while it shows, which is when a new reviewer needs it.
 */
import { useEffect, useRef } from 'react';
import { SHEET_KEY_HELP } from '../scoring';
import { SHORTCUTS } from './shortcuts';

function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <>
      {keys.map((k, i) => (
        <span key={k}>
          {i > 0 && (keys.length === 2 && !['Ctrl', 'Shift'].includes(keys[0]!) ? ' / ' : ' + ')}
          <kbd>{k}</kbd>
        </span>
      ))}
    </>
  );
}

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose(): void }) {
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) body.current?.scrollTo(0, 0);
  }, [open]);
  if (!open) return null;
  return (
    <div
      className="shortcut-help"
      role="dialog"
      aria-modal="false"
      aria-label="阅读、批注与评分快捷键"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header>
        <h2>阅读、批注与评分快捷键</h2>
        <span className="muted">
          按 <kbd>?</kbd> 或 <kbd>Esc</kbd> 关闭
        </span>
        <button type="button" className="btn btn-sm btn-ghost" aria-label="关闭快捷键说明" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="body" ref={body} tabIndex={-1}>
        <dl className="shortcut-grid">
          {SHORTCUTS.map((s) => (
            <div key={s.what}>
              <dt>
                <Keys keys={s.keys} />
              </dt>
              <dd>{s.what}</dd>
            </div>
          ))}
        </dl>
        <h3 className="shortcut-heading">评查表</h3>
        <p className="muted shortcut-note">字母和数字键在阅读区和评查表中都可用；焦点在评查表内时，N 为“不适用”、? 显示评查表的快捷键。</p>
        <dl className="shortcut-grid">
          {SHEET_KEY_HELP.map(([k, what]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
