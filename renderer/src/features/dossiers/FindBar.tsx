/** Find in this file (pdf.js's find controller): every hit highlighted, Enter / Shift+Enter step through them. */
import { useEffect, useState, type RefObject } from 'react';
import type { FindStatus } from './pdf/PdfViewer';

export function FindBar({
  inputRef,
  status,
  initialQuery,
  onFind,
  onClose,
  unreadPages = 0,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  status: FindStatus;
  initialQuery: string;
  onFind(query: string, options: { again?: boolean; previous?: boolean }): void;
  onClose(): void;
  /** Scanned pages of the file not recognised yet: what is found there is not found yet. */
  unreadPages?: number;
}) {
  const [query, setQuery] = useState(initialQuery);
  useEffect(() => setQuery(initialQuery), [initialQuery]);
  const message =
    !query.trim() || status.state === 'idle'
      ? ''
      : status.state === 'pending'
        ? '正在查找…'
        : status.state === 'notfound' || status.total === 0
          ? '未找到（扫描页在文字识别完成后才能查找）'
          : `第 ${status.current} / 共 ${status.total} 处${status.state === 'wrapped' ? '（已从头继续）' : ''}`;
  const partial = message && status.state !== 'pending' && unreadPages > 0 ? `另有 ${unreadPages} 页尚未识别，结果可能不全` : '';
  return (
    <div className="findbar" role="search">
      <input
        ref={inputRef}
        className="input"
        type="search"
        aria-label="在本文件中查找"
        placeholder="在本文件中查找"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          onFind(e.target.value, {});
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onFind(query, { again: true, previous: e.shiftKey });
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      />
      <button
        type="button"
        className="btn btn-sm"
        aria-label="上一处"
        title="上一处（Shift+Enter）"
        onClick={() => onFind(query, { again: true, previous: true })}
      >
        ↑
      </button>
      <button
        type="button"
        className="btn btn-sm"
        aria-label="下一处"
        title="下一处（Enter）"
        onClick={() => onFind(query, { again: true })}
      >
        ↓
      </button>
      <span className="find-status" role="status" data-testid="find-status">
        {message}
      </span>
      {partial && (
        <span className="find-status find-partial" data-testid="find-partial">
          {partial}
        </span>
      )}
      <button type="button" className="btn btn-sm btn-ghost" aria-label="关闭查找" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
