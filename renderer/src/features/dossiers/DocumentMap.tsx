/**
 * The 文书 map of the file beside the reader: each 文书 the pre-check's reading found (type, title as
 * printed, pages), the one being read highlighted, a click opens its first page. Scanned pages OCR has
 * not read yet are listed as such, and the map grows as OCR reads them. Where the file has its own
 * 卷内目录, what it lists is held against what is there.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { DossierDocument } from '../../../../shared/dossiers/dossier';
import type { DocumentMapEntry, DocumentMapView } from '../../../../shared/precheck/channels';
import { fileLabel } from './file-labels';

const ISSUE_LABELS = { missing: '目录列有、卷内未见', unlisted: '卷内有、目录未列', pages: '页码不符' } as const;

const pageRange = (from: number, to: number): string => (from === to ? `第 ${from} 页` : `第 ${from}–${to} 页`);

export function DocumentMap({
  map,
  documents,
  caseNumber,
  currentId,
  currentPage,
  onOpen,
}: {
  map: { data: DocumentMapView | undefined; error: string | null };
  documents: DossierDocument[];
  caseNumber: string | undefined;
  currentId: string | undefined;
  currentPage: number;
  onOpen(documentId: string, page: number): void;
}) {
  const entries = useMemo(() => map.data?.documents ?? [], [map.data]);
  const current = useMemo(
    () => entries.find((e) => e.documentId === currentId && e.fromIndex <= currentPage - 1 && currentPage - 1 <= e.toIndex) ?? null,
    [entries, currentId, currentPage],
  );
  const currentRef = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    currentRef.current?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  if (map.error) return <p className="side-empty">{map.error}</p>;
  if (!map.data) return <p className="side-empty">正在识别文书…</p>;
  const several = documents.length > 1;
  const fileName = (id: string) => {
    const i = documents.findIndex((d) => d.id === id);
    return i < 0 ? '' : fileLabel(documents[i]!, caseNumber, i, documents.length);
  };
  const byFile = new Map<string, DocumentMapEntry[]>();
  for (const e of entries) byFile.set(e.documentId, [...(byFile.get(e.documentId) ?? []), e]);
  const { issues, hasCatalogue, unreadPages } = map.data;

  return (
    <nav className="docmap" aria-label="文书目录">
      <p className="docmap-note muted">
        按内容识别的文书（机器识别，供参考）
        {unreadPages > 0 && `；另有 ${unreadPages} 页尚未识别`}
      </p>
      {entries.length === 0 && <p className="side-empty">尚未读到文字，文字识别完成后列出文书。</p>}
      {[...byFile].map(([documentId, list]) => (
        <section key={documentId}>
          {several && <h4 className="docmap-file">{fileName(documentId)}</h4>}
          <ol className="docmap-list">
            {list.map((e) => {
              const isCurrent = e === current;
              return (
                <li key={`${e.documentId}:${e.fromIndex}`}>
                  <button
                    type="button"
                    ref={isCurrent ? currentRef : undefined}
                    className={`docmap-item${e.unread ? ' unread' : ''}`}
                    aria-current={isCurrent ? 'true' : undefined}
                    onClick={() => onOpen(e.documentId, e.fromIndex + 1)}
                    title={e.unread ? '这些页文字识别尚未读到，读到后列出其中的文书' : `${e.label}：${e.title}`}
                  >
                    <span className="docmap-title">
                      {e.unread ? '（尚未识别）' : e.title}
                      {e.continued && '（续）'}
                    </span>
                    <span className="docmap-meta muted">
                      {pageRange(e.fromIndex + 1, e.toIndex + 1)}
                      {!e.unread && e.label !== e.title && ` · ${e.label}`}
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
      {hasCatalogue && (
        <section className="docmap-check" aria-label="卷内目录核对">
          <h4>与卷内目录核对</h4>
          {unreadPages > 0 ? (
            // A 文书 on a page not read yet is not "missing": nothing is concluded before every page is read.
            <p className="muted" data-testid="docmap-check-waiting">
              另有 {unreadPages} 页尚未识别文字，全部识别后再与卷内目录核对。
            </p>
          ) : issues.length === 0 ? (
            <p className="muted">卷内目录与识别出的文书一致。</p>
          ) : (
            <ul>
              {issues.map((i, n) => {
                const target = i.pages[i.pages.length - 1];
                return (
                  <li key={n}>
                    <button
                      type="button"
                      className="docmap-issue"
                      onClick={() => target && onOpen(target.documentId, target.pageIndex + 1)}
                      disabled={!target}
                    >
                      <span className="badge badge-warn">{ISSUE_LABELS[i.kind]}</span> {i.message}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
    </nav>
  );
}
