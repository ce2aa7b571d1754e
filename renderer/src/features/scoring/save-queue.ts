/**
 * Autosave of one sheet. Changes are sent in order, one request at a time, with the revision the
 * back end last confirmed. While a save is in flight, further changes to the same item replace each
 * other, so typing a reason sends at most one request per item behind the one in flight and no
 * keystroke waits for a timer.
 *
 * Until the back end confirms a change it is also kept in localStorage: if the window is killed in
 * between, the change is sent again the next time the sheet opens — unless the sheet was changed
 * after it (then it was saved after all, or another window overrode it).
 */
// With an extension so the tests (NodeNext) can type-check this module too (tests/unit/save-queue.test.ts).
import type { Answer } from '../../../../shared/scoring/scoring.js';

export type SaveState = 'saved' | 'saving' | 'offline';
/** What to do after a failed save: try again later (no connection), or give up and reload. */
export type FailureAction = 'retry' | 'reload';

interface JournalEntry {
  answer: Answer | null;
  /** When the change was made (ISO), compared with the sheet's last change on reopening. */
  at: string;
}

const journalKey = (sheetId: string): string => `pingcha.unsaved.${sheetId}`;

function readJournal(sheetId: string): Record<string, JournalEntry> {
  try {
    return JSON.parse(localStorage.getItem(journalKey(sheetId)) ?? '{}') as Record<string, JournalEntry>;
  } catch {
    return {};
  }
}

function writeJournal(sheetId: string, journal: Record<string, JournalEntry>): void {
  try {
    if (Object.keys(journal).length) localStorage.setItem(journalKey(sheetId), JSON.stringify(journal));
    else localStorage.removeItem(journalKey(sheetId));
  } catch {
    // Storage full or disabled: the back end is still the record; only the second line is lost.
  }
}

/** Changes made before the window closed that the back end never confirmed (newer than the sheet). */
export function unsavedChanges(sheetId: string, sheetUpdatedAt: string): Array<[string, Answer | null]> {
  const journal = readJournal(sheetId);
  const out = Object.entries(journal)
    .filter(([, e]) => e.at > sheetUpdatedAt)
    .map(([itemId, e]): [string, Answer | null] => [itemId, e.answer]);
  if (out.length !== Object.keys(journal).length)
    writeJournal(sheetId, Object.fromEntries(Object.entries(journal).filter(([, e]) => e.at > sheetUpdatedAt)));
  return out;
}

export class AnswerSaver {
  private readonly pending = new Map<string, Answer | null>();
  private running = false;
  private stopped = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly sheetId: string,
    public revision: number,
    private readonly send: (itemId: string, answer: Answer | null, revision: number) => Promise<number>,
    private readonly onState: (state: SaveState) => void,
    private readonly onFailure: (err: unknown) => FailureAction,
  ) {}

  enqueue(itemId: string, answer: Answer | null): void {
    if (this.stopped) return;
    this.pending.delete(itemId);
    this.pending.set(itemId, answer);
    const journal = readJournal(this.sheetId);
    journal[itemId] = { answer, at: new Date().toISOString() };
    writeJournal(this.sheetId, journal);
    void this.pump();
  }

  get busy(): boolean {
    return this.running || this.pending.size > 0;
  }

  /** Resolves once every change so far is confirmed (or given up). */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Stops saving (the sheet is being reloaded). Unconfirmed changes stay in the journal for a
   * reopening, unless the back end refused one: then the reloaded sheet is the truth.
   */
  stop(forgetUnsaved = false): void {
    this.stopped = true;
    this.pending.clear();
    if (forgetUnsaved) writeJournal(this.sheetId, {});
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.onState('saving');
    try {
      while (this.pending.size && !this.stopped) {
        const [itemId, answer] = this.pending.entries().next().value as [string, Answer | null];
        this.pending.delete(itemId);
        try {
          this.revision = await this.send(itemId, answer, this.revision);
          const journal = readJournal(this.sheetId);
          // Only forget the journal entry if no newer change to the item was made meanwhile.
          if (!this.pending.has(itemId)) {
            delete journal[itemId];
            writeJournal(this.sheetId, journal);
          }
        } catch (err) {
          if (this.onFailure(err) === 'retry') {
            if (!this.pending.has(itemId)) {
              const rest = [...this.pending];
              this.pending.clear();
              this.pending.set(itemId, answer);
              for (const [k, v] of rest) this.pending.set(k, v);
            }
            this.onState('offline');
            await new Promise((r) => setTimeout(r, 2000));
            continue;
          }
          this.stop(true);
        }
      }
    } finally {
      this.running = false;
      this.onState('saved');
      if (!this.busy) {
        const waiters = this.waiters;
        this.waiters = [];
        waiters.forEach((w) => w());
      }
    }
  }
}
