/**
 * Search across the stored page text of this case or of the whole campaign (filled at import). A hit
 * opens its file at its page with the words highlighted there.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { SearchHit } from '../../../../shared/dossiers/reader';
import { invoke } from '../../api/client';
import { useFormAction } from '../../ui/use-form-action';

type SearchResult = { query: string; hits: SearchHit[]; truncated: boolean; unreadPages: number };

/**
 * The last search of the session, kept across files and cases: a reviewer going through the hits of
 * a campaign-wide search one after another finds the list, its scope and where it was scrolled to
 * still there after each jump (the next hit is below the one just opened, not back at the top).
 */
let lastSearch: {
  campaignId: string;
  caseId: string;
  query: string;
  scope: 'case' | 'campaign';
  result: SearchResult | null;
  scrollTop: number;
  /** The hit last opened and how far below the list's top edge it stood: it stands there again after the jump. */
  opened: { key: string; offset: number } | null;
} | null = null;

const hitKey = (h: SearchHit): string => `${h.documentId}-${h.pageIndex}`;

export function PageSearch({
  campaignId,
  caseId,
  inputRef,
  whereOf,
  onOpen,
}: {
  campaignId: string;
  caseId: string;
  inputRef: RefObject<HTMLInputElement | null>;
  /** How the reader names a page of this case (its 案号 and 文书), and the original file name. */
  whereOf(documentId: string, pageIndex: number): { label: string; fileName: string };
  onOpen(hit: SearchHit, query: string): void;
}) {
  // A search of this campaign is kept; one of another case's files alone is not this case's result.
  const kept =
    lastSearch?.campaignId === campaignId && (lastSearch.scope === 'campaign' || lastSearch.caseId === caseId) ? lastSearch : null;
  const [query, setQuery] = useState(kept?.query ?? '');
  const [scope, setScope] = useState<'case' | 'campaign'>(kept?.scope ?? 'case');
  const [result, setResult] = useState<SearchResult | null>(kept?.result ?? null);
  const root = useRef<HTMLDivElement>(null);
  const scrollTop = useRef(kept?.result ? kept.scrollTop : 0);
  const opened = useRef(kept?.result ? kept.opened : null);
  useEffect(() => {
    lastSearch = { campaignId, caseId, query, scope, result, scrollTop: scrollTop.current, opened: opened.current };
  }, [campaignId, caseId, query, scope, result]);
  // The side panel scrolls the list: back where it was when the reader opened on a hit, and followed from then on.
  useLayoutEffect(() => {
    const scroller = root.current?.closest('.ws-left-body');
    if (!scroller) return;
    if (scrollTop.current) scroller.scrollTop = scrollTop.current;
    // The labels of this case's hits differ from another case's, so the same scrollTop may show other
    // hits: the one opened is put back where it stood.
    const hit = opened.current && root.current?.querySelector(`[data-hit="${CSS.escape(opened.current.key)}"]`);
    if (hit && opened.current)
      scroller.scrollTop += hit.getBoundingClientRect().top - scroller.getBoundingClientRect().top - opened.current.offset;
    const follow = () => {
      scrollTop.current = scroller.scrollTop;
      if (lastSearch) lastSearch.scrollTop = scroller.scrollTop;
    };
    scroller.addEventListener('scroll', follow, { passive: true });
    return () => scroller.removeEventListener('scroll', follow);
  }, []);
  const action = useFormAction();
  const { error, busy } = action;

  async function run(q = query, s = scope) {
    if (!q.trim()) return;
    await action.run(async () => {
      const where = s === 'case' ? { caseId } : {};
      // Scanned pages OCR has not read yet hold no text: the result says how many were not searched.
      const [r, ocr] = await Promise.all([
        invoke('search:pages', { campaignId, query: q, ...where, limit: 200 }),
        invoke('ocr:status', { campaignId, ...where }),
      ]);
      // A new list starts at its top.
      scrollTop.current = 0;
      opened.current = null;
      root.current?.closest('.ws-left-body')?.scrollTo({ top: 0 });
      setResult({ query: q.trim(), ...r, unreadPages: ocr.pagesToRead - ocr.pagesRead });
    });
  }

  let lastCase = '';
  return (
    <div className="page-search" ref={root}>
      <form
        className="page-search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <input
          ref={inputRef}
          className="input"
          type="search"
          aria-label="全文检索"
          placeholder="检索文字，如“询问笔录”"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <div className="page-search-scope">
          <select
            className="input"
            aria-label="检索范围"
            value={scope}
            onChange={(e) => {
              const s = e.target.value as 'case' | 'campaign';
              setScope(s);
              if (result) void run(result.query, s);
            }}
          >
            <option value="case">本案卷</option>
            <option value="campaign">本次评查活动的全部案卷</option>
          </select>
          <button className="btn btn-sm btn-primary" type="submit" disabled={busy}>
            {busy ? '检索中…' : '检索'}
          </button>
        </div>
      </form>
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      {result && (
        <p className="muted page-search-count" role="status">
          {result.hits.length
            ? `共 ${result.hits.length}${result.truncated ? '+' : ''} 页含“${result.query}”。`
            : `没有找到“${result.query}”。`}
          {result.unreadPages > 0 && `另有 ${result.unreadPages} 页扫描页尚未识别文字，未能检索。`}
        </p>
      )}
      {result && result.hits.length > 0 && (
        <ol className="hits" aria-label="检索结果">
          {result.hits.map((h) => {
            const header = scope === 'campaign' && h.caseId !== lastCase ? `${h.caseNumber} · ${h.unitName}` : null;
            lastCase = h.caseId;
            return (
              <li key={hitKey(h)} data-hit={hitKey(h)}>
                {header && <div className="hit-case">{header}</div>}
                <button
                  type="button"
                  className="hit"
                  onClick={(e) => {
                    const scroller = root.current?.closest('.ws-left-body');
                    if (scroller) {
                      opened.current = {
                        key: hitKey(h),
                        offset: e.currentTarget.getBoundingClientRect().top - scroller.getBoundingClientRect().top,
                      };
                      if (lastSearch) lastSearch.opened = opened.current;
                    }
                    onOpen(h, result.query);
                  }}
                >
                  <span className="hit-where" title={`原文件名：${h.documentTitle}`}>
                    {h.caseId === caseId ? whereOf(h.documentId, h.pageIndex).label : `${h.caseNumber} · 第 ${h.pageIndex + 1} 页`}
                  </span>
                  <span className="hit-text">
                    {h.before}
                    <mark>{h.match}</mark>
                    {h.after}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
