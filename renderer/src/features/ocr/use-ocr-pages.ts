/**
 * The OCR lines of the file open in the reader, kept fresh while the file is being read: opening a
 * file puts it first in the reading queue (from the page in view), and each page read shows up on
 * its own as the background reading reports progress.
 */
import { useEffect, useRef, useState } from 'react';
import type { OcrPageView } from '../../../../shared/ocr/channels';
import { invoke, onEvent } from '../../api/client';

/** How often, at most, the pages are asked for again while the file is being read. */
const REFRESH_MS = 1500;

export interface OcrPagesOfFile {
  byIndex: ReadonlyMap<number, OcrPageView>;
  /** Scanned pages not recognised yet (0-based). */
  unread: ReadonlySet<number>;
}

export function useOcrPages(documentId: string | undefined, currentPage: number): OcrPagesOfFile | null {
  const [pages, setPages] = useState<{ documentId: string; byIndex: Map<number, OcrPageView>; unread: Set<number> } | null>(null);
  /** Pages of the file still waiting for recognition (null: unknown yet; 0: nothing to wait for). */
  const [left, setLeft] = useState<number | null>(null);
  const pageRef = useRef(currentPage);
  pageRef.current = currentPage;

  useEffect(() => {
    if (!documentId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let scanned = false;
    setLeft(null);
    const fetchPages = async (): Promise<void> => {
      const r = await invoke('ocr:pages', { documentId }).catch(() => null);
      if (!live || !r) return;
      // Progress of another file changes nothing here: the reader keeps the same pages (and renders nothing).
      setPages((prev) =>
        prev?.documentId === documentId && prev.byIndex.size === r.pages.length && prev.unread.size === r.unreadPages.length
          ? prev
          : { documentId, byIndex: new Map(r.pages.map((p) => [p.pageIndex, p])), unread: new Set(r.unreadPages) },
      );
    };
    // The file opened goes first in the reading queue, from the page in view.
    void invoke('ocr:prioritise', { documentId, pageIndex: Math.max(0, pageRef.current - 1) })
      .then((status) => {
        if (!live) return;
        const file = status.files.find((f) => f.documentId === documentId);
        scanned = !!file;
        setLeft(file ? file.pagesToRead - file.pagesRead : 0);
        // Also a file nothing was read of yet: the reader says which of its pages wait for recognition.
        if (file) void fetchPages();
      })
      .catch(() => live && setLeft(0));
    const off = onEvent('job:progress', (p) => {
      if (p.kind !== 'ocr' || !scanned || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void fetchPages();
      }, REFRESH_MS);
    });
    return () => {
      live = false;
      off();
      if (timer) clearTimeout(timer);
    };
  }, [documentId]);

  // A jump to a page not read yet: that page is read next.
  const mine = pages && pages.documentId === documentId ? pages : null;
  const byIndex = mine?.byIndex ?? null;
  const unreadHere = !!documentId && !!left && !byIndex?.has(currentPage - 1);
  useEffect(() => {
    if (!unreadHere || !documentId) return;
    const t = setTimeout(() => void invoke('ocr:prioritise', { documentId, pageIndex: currentPage - 1 }).catch(() => undefined), 800);
    return () => clearTimeout(t);
  }, [unreadHere, documentId, currentPage]);

  return mine;
}
