/**
 * The renderer's working copy of a dossier's annotations, as pure logic (no DOM, no transport):
 * optimistic local state, an undo/redo history, and the queue of changes waiting to be saved,
 * batched per document. The back end stays the single writer: a batch is taken, sent, then either
 * confirmed (the server's copy replaces ours unless we changed it again meanwhile) or failed (it goes
 * back into the queue, so nothing is lost).
 *
 * Zotero's reader keeps the same split (annotation-manager.js: a local list, an unsaved map, a
 * debounced save); the undo history here records whole before/after states, so undoing a delete
 * simply saves the old annotation again.
 */
import type { Annotation, AnnotationInput } from './annotation.js';

export interface EditEntry {
  id: string;
  documentId: string;
  before: Annotation | null;
  after: Annotation | null;
  /** Consecutive edits with the same key (typing a comment) merge into one undo step. */
  key?: string | undefined;
  at: number;
}

export interface SaveBatch {
  documentId: string;
  upserts: AnnotationInput[];
  deletes: string[];
}

interface Queue {
  upserts: Map<string, AnnotationInput>;
  deletes: Set<string>;
}

const HISTORY_LIMIT = 200;
const COALESCE_MS = 2000;

export function toAnnotationInput(a: Annotation): AnnotationInput {
  return {
    id: a.id,
    type: a.type,
    color: a.color,
    pageIndex: a.pageIndex,
    position: a.position,
    ...(a.selectedText !== undefined ? { selectedText: a.selectedText } : {}),
    ...(a.comment !== undefined ? { comment: a.comment } : {}),
    checklistItemId: a.checklistItemId ?? null,
  };
}

export class AnnotationEdits {
  private items = new Map<string, Annotation>();
  private undoStack: EditEntry[] = [];
  private redoStack: EditEntry[] = [];
  private pending = new Map<string, Queue>();
  private inflight = new Map<string, Queue>();
  /** Changes the server confirmed, numbered, so a list fetched before them can be brought up to date. */
  private confirmed: Array<{ seq: number; id: string; value: Annotation | null }> = [];
  private seq = 0;
  /** Bumped on every change, so a view knows when to re-read. */
  version = 0;

  constructor(private documentOrder: readonly string[] = []) {}

  setDocumentOrder(order: readonly string[]): void {
    this.documentOrder = order;
    this.version++;
  }

  /** The sequence number to pass back to `load` for a list requested now. */
  mark(): number {
    return this.seq;
  }

  /**
   * Replaces the server state with a freshly fetched list, then re-applies what the server has not
   * seen in it: changes confirmed after the list was requested, changes being saved, and queued ones.
   */
  load(list: Annotation[], requestedAt = this.seq): void {
    const next = new Map(list.map((a) => [a.id, a]));
    for (const c of this.confirmed) {
      if (c.seq <= requestedAt) continue;
      if (c.value) next.set(c.id, c.value);
      else next.delete(c.id);
    }
    for (const queues of [this.inflight, this.pending]) {
      for (const q of queues.values()) {
        for (const id of q.upserts.keys()) {
          const local = this.items.get(id);
          if (local) next.set(id, local);
        }
        for (const id of q.deletes) next.delete(id);
      }
    }
    this.items = next;
    this.confirmed = this.confirmed.filter((c) => c.seq > requestedAt);
    this.version++;
  }

  get(id: string): Annotation | undefined {
    return this.items.get(id);
  }

  /** Dossier order: document position, then reading order on the page. */
  list(): Annotation[] {
    const rank = new Map(this.documentOrder.map((id, i) => [id, i]));
    return [...this.items.values()].sort(
      (a, b) =>
        (rank.get(a.documentId) ?? 1e9) - (rank.get(b.documentId) ?? 1e9) || a.sortKey.localeCompare(b.sortKey) || a.id.localeCompare(b.id),
    );
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Records and applies a change: `next` null deletes. */
  change(id: string, documentId: string, next: Annotation | null, options: { key?: string; now?: number } = {}): void {
    const before = this.items.get(id) ?? null;
    if (!before && !next) return;
    const now = options.now ?? Date.now();
    const top = this.undoStack[this.undoStack.length - 1];
    if (options.key && top && top.key === options.key && top.id === id && now - top.at < COALESCE_MS) {
      top.after = next;
      top.at = now;
    } else {
      this.undoStack.push({ id, documentId, before, after: next, key: options.key, at: now });
      if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    }
    this.redoStack = [];
    this.put(id, documentId, next);
  }

  /** Reverts the last change; returns the annotation it concerns (to show it), or null. */
  undo(): { id: string; documentId: string; value: Annotation | null } | null {
    const entry = this.undoStack.pop();
    if (!entry) return null;
    this.redoStack.push(entry);
    this.put(entry.id, entry.documentId, entry.before);
    return { id: entry.id, documentId: entry.documentId, value: entry.before };
  }

  redo(): { id: string; documentId: string; value: Annotation | null } | null {
    const entry = this.redoStack.pop();
    if (!entry) return null;
    this.undoStack.push({ ...entry, key: undefined });
    this.put(entry.id, entry.documentId, entry.after);
    return { id: entry.id, documentId: entry.documentId, value: entry.after };
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Moves everything queued into flight, one batch per document. */
  takeBatches(): SaveBatch[] {
    const out: SaveBatch[] = [];
    for (const [documentId, q] of this.pending) {
      const flying = this.queue(this.inflight, documentId);
      for (const [id, input] of q.upserts) {
        flying.deletes.delete(id);
        flying.upserts.set(id, input);
      }
      for (const id of q.deletes) {
        flying.upserts.delete(id);
        flying.deletes.add(id);
      }
      out.push({ documentId, upserts: [...q.upserts.values()], deletes: [...q.deletes] });
    }
    this.pending.clear();
    return out;
  }

  /** The server saved a batch: its copies replace ours unless we changed them again since. */
  confirm(batch: SaveBatch, saved: Annotation[]): void {
    this.inflight.delete(batch.documentId);
    const queued = this.pending.get(batch.documentId);
    for (const a of saved) {
      this.confirmed.push({ seq: ++this.seq, id: a.id, value: a });
      if (!queued?.upserts.has(a.id) && !queued?.deletes.has(a.id) && this.items.has(a.id)) this.items.set(a.id, a);
    }
    for (const id of batch.deletes) this.confirmed.push({ seq: ++this.seq, id, value: null });
    this.version++;
  }

  /** A batch failed: it goes back into the queue (behind anything newer) to be sent again. */
  fail(batch: SaveBatch): void {
    this.inflight.delete(batch.documentId);
    const q = this.queue(this.pending, batch.documentId);
    for (const input of batch.upserts) if (!q.upserts.has(input.id) && !q.deletes.has(input.id)) q.upserts.set(input.id, input);
    for (const id of batch.deletes) if (!q.upserts.has(id)) q.deletes.add(id);
  }

  private put(id: string, documentId: string, value: Annotation | null): void {
    const q = this.queue(this.pending, documentId);
    if (value) {
      this.items.set(id, value);
      q.deletes.delete(id);
      q.upserts.set(id, toAnnotationInput(value));
    } else {
      this.items.delete(id);
      q.upserts.delete(id);
      q.deletes.add(id);
    }
    this.version++;
  }

  private queue(map: Map<string, Queue>, documentId: string): Queue {
    let q = map.get(documentId);
    if (!q) {
      q = { upserts: new Map(), deletes: new Set() };
      map.set(documentId, q);
    }
    return q;
  }
}
