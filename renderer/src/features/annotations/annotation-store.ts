/**
 * The dossier's annotations in the renderer: the pure working copy (shared/annotation-edits.ts) bound
 * to the transport. Changes show at once, are saved in debounced batches (one request per file), can
 * be undone and redone, and are flushed when the page is hidden, unloaded (keepalive) or the Electron
 * window closes — nothing marked is lost by closing right after marking.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AnnotationEdits, type SaveBatch } from '../../../../shared/annotations/annotation-edits';
import type { Annotation, AnnotationInput } from '../../../../shared/annotations/annotation';
import { annotationSortKey } from '../../../../shared/core/geometry';
import { errorMessage, invoke, onEvent, onLeave } from '../../api/client';

const SAVE_DELAY_MS = 300;
const SAVE_MAX_WAIT_MS = 2000;
/** Browsers cap the bodies of keepalive requests still in flight at 64 KB. */
const KEEPALIVE_BODY_LIMIT = 60_000;

export interface AnnotationStore {
  /** Every annotation of the case, in dossier order. */
  list: Annotation[];
  get(id: string): Annotation | undefined;
  loading: boolean;
  error: string | null;
  create(documentId: string, input: AnnotationInput): Annotation;
  /** Changes an annotation; edits with the same `key` in quick succession are one undo step. */
  update(id: string, patch: Partial<AnnotationInput>, key?: string): void;
  remove(id: string): void;
  undo(): { id: string; documentId: string; value: Annotation | null } | null;
  redo(): { id: string; documentId: string; value: Annotation | null } | null;
  canUndo: boolean;
  canRedo: boolean;
  saving: boolean;
  flush(): Promise<void>;
}

export function useAnnotationStore(
  caseId: string,
  documents: ReadonlyArray<{ id: string; sha256: string }>,
  author: { id: string; name: string },
  onError: (message: string) => void,
  /** Load once this is true (the screen holds it back until the file's first request is out). */
  active = true,
): AnnotationStore {
  const order = useMemo(() => documents.map((d) => d.id), [documents]);
  const core = useRef<AnnotationEdits>(null as unknown as AnnotationEdits);
  core.current ??= new AnnotationEdits(order);
  const [, setVersion] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const timer = useRef<number | null>(null);
  const firstQueuedAt = useRef(0);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const shaOf = useRef(new Map<string, string>());
  shaOf.current = new Map(documents.map((d) => [d.id, d.sha256]));

  const refresh = useCallback(() => setVersion(core.current.version), []);

  useEffect(() => {
    core.current.setDocumentOrder(order);
    refresh();
  }, [order, refresh]);

  const load = useCallback(async () => {
    const requestedAt = core.current.mark();
    try {
      const list = await invoke('annotation:listCase', { caseId });
      core.current.load(list, requestedAt);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
      refresh();
    }
  }, [caseId, refresh]);

  useEffect(() => {
    if (active) void load();
  }, [load, active]);

  // Someone (this window included) saved annotations on a file of this case: fetch the list again.
  useEffect(() => {
    let pendingReload: number | null = null;
    const off = onEvent('data:changed', (change) => {
      if (change.entity !== 'annotation' || !change.id || !shaOf.current.has(change.id)) return;
      if (pendingReload !== null) clearTimeout(pendingReload);
      pendingReload = window.setTimeout(() => {
        pendingReload = null;
        void load();
      }, 250);
    });
    return () => {
      off();
      if (pendingReload !== null) clearTimeout(pendingReload);
    };
  }, [load]);

  const send = useCallback(async (batch: SaveBatch, keepalive: boolean) => {
    const body = JSON.stringify(batch);
    try {
      const res = await invoke('annotation:save', batch, keepalive && body.length < KEEPALIVE_BODY_LIMIT ? { keepalive: true } : undefined);
      core.current.confirm(batch, res.saved);
    } catch (err) {
      core.current.fail(batch);
      onErrorRef.current(`批注保存失败：${errorMessage(err)}（将自动重试）`);
    }
  }, []);

  const flush = useCallback(
    (options: { keepalive?: boolean } = {}): Promise<void> => {
      if (timer.current !== null) {
        clearTimeout(timer.current);
        timer.current = null;
      }
      // Saves go out one batch at a time, in order; a keepalive flush sends at once (the page is going).
      const run = async (): Promise<void> => {
        const batches = core.current.takeBatches();
        if (!batches.length) return;
        setSaving(true);
        try {
          for (const batch of batches) await send(batch, options.keepalive === true);
        } finally {
          setSaving(false);
          refresh();
        }
      };
      if (options.keepalive) return run();
      chain.current = chain.current.then(run);
      return chain.current;
    },
    [send, refresh],
  );

  const schedule = useCallback(() => {
    refresh();
    const now = Date.now();
    if (timer.current === null) firstQueuedAt.current = now;
    else clearTimeout(timer.current);
    const wait = Math.max(0, Math.min(SAVE_DELAY_MS, firstQueuedAt.current + SAVE_MAX_WAIT_MS - now));
    timer.current = window.setTimeout(() => {
      timer.current = null;
      void flush();
    }, wait);
  }, [flush, refresh]);

  useEffect(() => onLeave(({ keepalive }) => flush({ keepalive })), [flush]);
  useEffect(() => () => void flush(), [flush]);

  const build = useCallback(
    (documentId: string, input: AnnotationInput, old?: Annotation): Annotation => {
      const now = new Date().toISOString();
      return {
        ...input,
        checklistItemId: input.checklistItemId ?? null,
        documentId,
        documentSha256: old?.documentSha256 ?? shaOf.current.get(documentId) ?? '',
        authorId: old?.authorId ?? author.id,
        authorName: old?.authorName ?? author.name,
        sortKey: annotationSortKey(input.pageIndex, input.position),
        createdAt: old?.createdAt ?? now,
        updatedAt: now,
      };
    },
    [author.id, author.name],
  );

  const create = useCallback(
    (documentId: string, input: AnnotationInput) => {
      const a = build(documentId, input);
      core.current.change(a.id, documentId, a);
      schedule();
      return a;
    },
    [build, schedule],
  );

  const update = useCallback(
    (id: string, patch: Partial<AnnotationInput>, key?: string) => {
      const old = core.current.get(id);
      if (!old) return;
      const { documentId, documentSha256: _s, authorId: _a, authorName: _n, sortKey: _k, createdAt: _c, updatedAt: _u, ...input } = old;
      core.current.change(id, documentId, build(documentId, { ...input, ...patch, id }, old), key ? { key } : {});
      schedule();
    },
    [build, schedule],
  );

  const remove = useCallback(
    (id: string) => {
      const old = core.current.get(id);
      if (!old) return;
      core.current.change(id, old.documentId, null);
      schedule();
    },
    [schedule],
  );

  const undo = useCallback(() => {
    const r = core.current.undo();
    if (r) schedule();
    return r;
  }, [schedule]);
  const redo = useCallback(() => {
    const r = core.current.redo();
    if (r) schedule();
    return r;
  }, [schedule]);

  const c = core.current;
  const version = c.version;
  // The core is mutable; its version is what says the list changed, so it is the memo's key.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const list = useMemo(() => c.list(), [c, version]);
  const get = useCallback((id: string) => core.current.get(id), []);
  const flushNow = useCallback(() => flush(), [flush]);
  return {
    list,
    get,
    loading,
    error,
    create,
    update,
    remove,
    undo,
    redo,
    canUndo: c.canUndo,
    canRedo: c.canRedo,
    saving,
    flush: flushNow,
  };
}
