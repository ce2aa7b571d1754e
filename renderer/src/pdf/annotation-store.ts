/**
 * The renderer's side of annotations: optimistic local state, an undo-friendly API, and a debounced,
 * batched save queue — the back end is the single writer. Pending changes are flushed when the page
 * is hidden or closed, with a keepalive request so they survive the window going away.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Annotation, AnnotationInput } from '../../../shared/domain/annotation';
import { annotationSortKey } from '../../../shared/geometry';
import { errorMessage, invoke } from '../api/client';

const SAVE_DELAY_MS = 300;

export interface AnnotationStore {
  list: Annotation[];
  loading: boolean;
  error: string | null;
  upsert(input: AnnotationInput): void;
  remove(id: string): void;
  flush(): Promise<void>;
}

export function useAnnotationStore(documentId: string, author: { id: string; name: string }, sha256: string, onError: (msg: string) => void): AnnotationStore {
  const [items, setItems] = useState<Map<string, Annotation>>(new Map());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef({ upserts: new Map<string, AnnotationInput>(), deletes: new Set<string>() });
  const timer = useRef<number | null>(null);
  const saving = useRef<Promise<void> | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    invoke('annotation:list', { documentId })
      .then((list) => live && setItems(new Map(list.map((a) => [a.id, a]))))
      .catch((err) => live && setError(errorMessage(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [documentId]);

  const flush = useCallback(async (): Promise<void> => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    if (saving.current) await saving.current;
    const batch = pending.current;
    if (!batch.upserts.size && !batch.deletes.size) return;
    pending.current = { upserts: new Map(), deletes: new Set() };
    const upserts = [...batch.upserts.values()];
    const deletes = [...batch.deletes];
    saving.current = invoke('annotation:save', { documentId, upserts, deletes })
      .then((res) => {
        setItems((prev) => {
          const next = new Map(prev);
          for (const a of res.saved) next.set(a.id, a);
          return next;
        });
      })
      .catch((err) => {
        // Put the batch back so nothing is lost; it goes out with the next change or flush.
        for (const u of upserts) if (!pending.current.upserts.has(u.id)) pending.current.upserts.set(u.id, u);
        for (const d of deletes) pending.current.deletes.add(d);
        onError(`批注保存失败：${errorMessage(err)}`);
      })
      .finally(() => {
        saving.current = null;
      });
    await saving.current;
  }, [documentId, onError]);

  const schedule = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), SAVE_DELAY_MS);
  }, [flush]);

  useEffect(() => {
    const onHide = (): void => void flush();
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onHide);
      void flush();
    };
  }, [flush]);

  const upsert = useCallback(
    (input: AnnotationInput) => {
      const now = new Date().toISOString();
      setItems((prev) => {
        const next = new Map(prev);
        const old = prev.get(input.id);
        next.set(input.id, {
          ...input,
          documentId,
          documentSha256: sha256,
          authorId: old?.authorId ?? author.id,
          authorName: old?.authorName ?? author.name,
          sortKey: annotationSortKey(input.pageIndex, input.position),
          createdAt: old?.createdAt ?? now,
          updatedAt: now,
        });
        return next;
      });
      pending.current.deletes.delete(input.id);
      pending.current.upserts.set(input.id, input);
      schedule();
    },
    [documentId, sha256, author.id, author.name, schedule],
  );

  const remove = useCallback(
    (id: string) => {
      setItems((prev) => {
        const next = new Map(prev);
        next.delete(id);
        return next;
      });
      pending.current.upserts.delete(id);
      pending.current.deletes.add(id);
      schedule();
    },
    [schedule],
  );

  const list = [...items.values()].sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  return { list, loading, error, upsert, remove, flush };
}
