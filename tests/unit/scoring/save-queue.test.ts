/**
 * The score sheet's autosave queue against the real back end: changes reach the database in order,
 * typing coalesces behind the save in flight without losing a keystroke, a lost connection is
 * retried, and a change the back end never confirmed (the window was killed) is offered again on
 * reopening — unless the sheet changed after it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnswerSaver, unsavedChanges, type FailureAction } from '../../../renderer/src/features/scoring/save-queue.js';
import type { Answer } from '../../../shared/scoring/scoring.js';
import { openTestBackend, type TestBackend } from '../../support/backend.js';
import { importCase, setupPanel, type Client } from '../../support/review-setup.js';

/** Node has no localStorage; the queue's journal only needs these three calls. */
class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.data.set(k, v);
  }
  removeItem(k: string): void {
    this.data.delete(k);
  }
}
const storage = new MemoryStorage();
(globalThis as { localStorage?: unknown }).localStorage = storage;

let t: TestBackend;
let zhang: Client;
let caseId: string;
beforeAll(async () => {
  t = openTestBackend();
  const panel = await setupPanel(t.backend);
  zhang = panel.users.zhang!.client;
  caseId = await importCase(t.backend, panel, '某许〔2025〕3号');
});
afterAll(() => t.close());
beforeEach(() => storage.data.clear());

const stored = (sheetId: string, itemId: string): Answer | null => {
  const row = t.backend.db.prepare('SELECT answer_json FROM sheet_answers WHERE sheet_id = ? AND item_id = ?').get(sheetId, itemId) as
    { answer_json: string } | undefined;
  return row ? (JSON.parse(row.answer_json) as Answer) : null;
};

async function openSaver(onFailure: (err: unknown) => FailureAction = () => 'reload') {
  const view = await zhang.call('sheet:start', { caseId });
  const sent: string[] = [];
  const saver = new AnswerSaver(
    view.sheet.id,
    view.sheet.revision,
    async (itemId, answer, revision) => {
      sent.push(itemId);
      return (await zhang.call('sheet:answer', { sheetId: view.sheet.id, itemId, answer, revision })).revision;
    },
    () => undefined,
    onFailure,
  );
  return { view, saver, sent };
}

describe('autosave queue', () => {
  it('saves a reason typed a character at a time, in full, with fewer requests than keystrokes', async () => {
    const { view, saver, sent } = await openSaver();
    const reason = '卷内材料未编页号，询问笔录第3页无当事人签名';
    let typed = '';
    for (const ch of reason) {
      typed += ch;
      saver.enqueue('xk-12.5', { status: 'deduct', comment: typed });
    }
    saver.enqueue('xk-1', { status: 'pass' });
    await saver.idle();
    expect(stored(view.sheet.id, 'xk-12.5')).toEqual({ status: 'deduct', comment: reason });
    expect(stored(view.sheet.id, 'xk-1')).toEqual({ status: 'pass' });
    expect(sent.length).toBeLessThan(reason.length);
    expect(sent.at(-1)).toBe('xk-1');
    // Everything confirmed: nothing left to replay.
    expect(storage.data.size).toBe(0);
  });

  it('retries after a lost connection and keeps the order', async () => {
    const { view } = await openSaver();
    let failures = 2;
    const sent: string[] = [];
    const saver = new AnswerSaver(
      view.sheet.id,
      view.sheet.revision,
      async (itemId, answer, revision) => {
        if (failures-- > 0) throw Object.assign(new Error('offline'), { code: 'io_error' });
        sent.push(itemId);
        return (await zhang.call('sheet:answer', { sheetId: view.sheet.id, itemId, answer, revision })).revision;
      },
      () => undefined,
      (err) => ((err as { code?: string }).code === 'io_error' ? 'retry' : 'reload'),
    );
    saver.enqueue('xk-2', { status: 'deduct', comment: '未告知' });
    saver.enqueue('xk-3', { status: 'pass' });
    await saver.idle();
    expect(sent).toEqual(['xk-2', 'xk-3']);
    expect(stored(view.sheet.id, 'xk-2')).toEqual({ status: 'deduct', comment: '未告知' });
  }, 20_000);

  it('offers again a change that was never confirmed, but not one the sheet has moved past', async () => {
    const { view, saver } = await openSaver();
    // The window dies before the save goes out: the change exists only in the journal.
    saver.stop();
    storage.setItem(
      `pingcha.unsaved.${view.sheet.id}`,
      JSON.stringify({ 'xk-4': { answer: { status: 'deduct', comment: '超期' }, at: new Date(Date.now() + 1000).toISOString() } }),
    );
    const again = await zhang.call('sheet:start', { caseId });
    expect(unsavedChanges(again.sheet.id, again.sheet.updatedAt)).toEqual([['xk-4', { status: 'deduct', comment: '超期' }]]);
    // A journal entry older than the sheet's last change was saved after all (or overridden).
    storage.setItem(
      `pingcha.unsaved.${view.sheet.id}`,
      JSON.stringify({ 'xk-4': { answer: { status: 'pass' }, at: '2000-01-01T00:00:00.000Z' } }),
    );
    expect(unsavedChanges(again.sheet.id, again.sheet.updatedAt)).toEqual([]);
    expect(storage.data.size).toBe(0);
  });

  it('gives up on a refused change and forgets it, so a reload shows the truth', async () => {
    const { view } = await openSaver();
    let refused = 0;
    const saver = new AnswerSaver(
      view.sheet.id,
      view.sheet.revision - 1, // stale: the back end answers conflict
      async (itemId, answer, revision) => (await zhang.call('sheet:answer', { sheetId: view.sheet.id, itemId, answer, revision })).revision,
      () => undefined,
      () => {
        refused++;
        return 'reload';
      },
    );
    saver.enqueue('xk-6', { status: 'deduct' });
    saver.enqueue('xk-7', { status: 'deduct' });
    await saver.idle();
    expect(refused).toBe(1);
    expect(stored(view.sheet.id, 'xk-6')).toBeNull();
    expect(storage.data.size).toBe(0);
  });
});
