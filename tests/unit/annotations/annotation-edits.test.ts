/**
 * The renderer's working copy of annotations: batching per file, undo/redo that reaches the save
 * queue, failed saves coming back, and lists fetched while saves are in flight.
 */
import { describe, expect, it } from 'vitest';
import { AnnotationEdits, toAnnotationInput } from '../../../shared/annotations/annotation-edits.js';
import type { Annotation } from '../../../shared/annotations/annotation.js';
import { annotationSortKey } from '../../../shared/core/geometry.js';

let n = 0;
function mark(documentId: string, patch: Partial<Annotation> = {}): Annotation {
  const pageIndex = patch.pageIndex ?? 0;
  const position = patch.position ?? { rects: [[72, 700 - n * 20, 200, 712 - n * 20] as [number, number, number, number]] };
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    documentId,
    documentSha256: 'a'.repeat(64),
    authorId: 'u1',
    authorName: '王组长',
    type: 'area',
    color: '#ffd400',
    pageIndex,
    position,
    checklistItemId: null,
    sortKey: annotationSortKey(pageIndex, position),
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...patch,
  };
}

describe('AnnotationEdits', () => {
  it('queues changes per file, one batch per file, last state wins', () => {
    const e = new AnnotationEdits(['d1', 'd2']);
    const a = mark('d1');
    const b = mark('d2');
    e.change(a.id, 'd1', a);
    e.change(b.id, 'd2', b);
    e.change(a.id, 'd1', { ...a, color: '#ff6666' });
    const batches = e.takeBatches();
    expect(batches.map((x) => [x.documentId, x.upserts.map((u) => u.color), x.deletes])).toEqual([
      ['d1', ['#ff6666'], []],
      ['d2', ['#ffd400'], []],
    ]);
    expect(e.hasPending()).toBe(false);
    expect(e.takeBatches()).toEqual([]);
  });

  it('undoes and redoes creates, edits and deletes, each reaching the save queue', () => {
    const e = new AnnotationEdits(['d1']);
    const a = mark('d1');
    e.change(a.id, 'd1', a);
    e.change(a.id, 'd1', { ...a, comment: '缺少签名' });
    e.change(a.id, 'd1', null);
    expect(e.list()).toEqual([]);
    expect(e.takeBatches()[0]!.deletes).toEqual([a.id]);

    expect(e.undo()).toMatchObject({ id: a.id, value: { comment: '缺少签名' } }); // the delete
    expect(e.takeBatches()[0]!.upserts).toEqual([toAnnotationInput({ ...a, comment: '缺少签名' })]);
    e.undo(); // the comment
    expect(e.get(a.id)!.comment).toBeUndefined();
    e.undo(); // the create
    expect(e.get(a.id)).toBeUndefined();
    expect(e.canUndo).toBe(false);
    expect(e.takeBatches()[0]).toMatchObject({ upserts: [], deletes: [a.id] });

    e.redo();
    e.redo();
    expect(e.get(a.id)!.comment).toBe('缺少签名');
    expect(e.canRedo).toBe(true);
    // A new change drops what could be redone.
    e.change(a.id, 'd1', { ...a, color: '#5fb236' });
    expect(e.canRedo).toBe(false);
  });

  it('merges a burst of typing into one undo step', () => {
    const e = new AnnotationEdits(['d1']);
    const a = mark('d1');
    e.change(a.id, 'd1', a, { now: 0 });
    for (const [i, text] of ['缺', '缺少', '缺少签名'].entries())
      e.change(a.id, 'd1', { ...a, comment: text }, { key: `comment:${a.id}`, now: 100 + i * 300 });
    e.change(a.id, 'd1', { ...a, comment: '缺少签名。' }, { key: `comment:${a.id}`, now: 10_000 }); // after a pause: a new step
    e.undo();
    expect(e.get(a.id)!.comment).toBe('缺少签名');
    e.undo();
    expect(e.get(a.id)!.comment).toBeUndefined();
    e.undo();
    expect(e.get(a.id)).toBeUndefined();
  });

  it('puts a failed batch back behind newer changes, and takes the server copy on success', () => {
    const e = new AnnotationEdits(['d1']);
    const a = mark('d1');
    e.change(a.id, 'd1', a);
    const [first] = e.takeBatches();
    e.change(a.id, 'd1', { ...a, color: '#2ea8e5' }); // changed again while the first save is out
    e.fail(first!);
    const [retry] = e.takeBatches();
    expect(retry!.upserts.map((u) => u.color)).toEqual(['#2ea8e5']);
    const fromServer = { ...a, color: '#2ea8e5', updatedAt: '2025-02-02T00:00:00.000Z' };
    e.confirm(retry!, [fromServer]);
    expect(e.get(a.id)).toEqual(fromServer);
  });

  it('keeps local work when a list fetched before a save arrives after it', () => {
    const e = new AnnotationEdits(['d1']);
    const old = mark('d1');
    e.load([old]);
    const requestedAt = e.mark(); // a reload is requested…
    const a = mark('d1');
    e.change(a.id, 'd1', a);
    const [batch] = e.takeBatches();
    const saved = { ...a, updatedAt: '2025-03-03T00:00:00.000Z' };
    e.confirm(batch!, [saved]); // …our save is confirmed…
    const b = mark('d1');
    e.change(b.id, 'd1', b); // …and another mark is still queued
    e.load([old], requestedAt); // the reload answers without either
    expect(e.list().map((x) => x.id)).toEqual([old.id, a.id, b.id]);
    expect(e.get(a.id)).toEqual(saved);
    // A later list that has everything replaces the state cleanly.
    const later = e.mark();
    e.load([old, saved], later);
    expect(e.list().map((x) => x.id)).toEqual([old.id, saved.id, b.id]);
  });

  it('lists in dossier order: file position, then reading order', () => {
    const e = new AnnotationEdits(['d2', 'd1']);
    const low = mark('d1', { pageIndex: 3 });
    const high = mark('d1', { pageIndex: 0 });
    const other = mark('d2', { pageIndex: 9 });
    e.load([low, other, high]);
    expect(e.list().map((x) => x.id)).toEqual([other.id, high.id, low.id]);
  });
});
