/**
 * Figures computed from the database, kept until anything at all is written: this connection's
 * writes (counted with their triggers, `total_changes()`) and other connections' commits
 * (`data_version`). A province's screens ask the same counts and statistics on every visit, and
 * reading 20,000 files for them each time was most of the time; the first question after a change
 * is answered afresh, so a kept figure can never differ from one computed now.
 */
import { createHash } from 'node:crypto';
import type { Db } from './database.js';

export class KeptUntilChange {
  private readonly stamp: () => string;
  private readonly figures = new Map<string, unknown>();
  private figuresStamp = '';

  constructor(
    db: Db,
    /**
     * What to do with an answer whose computation itself wrote. 'drop': it may mix reads from before
     * and after its writes, so it is not kept. 'keep': the computation brings what it reads up to
     * date first (the statistics refresh stale stored results, then read them), so its answer holds
     * for the database as it left it and is kept under that state.
     */
    private readonly afterOwnWrites: 'drop' | 'keep' = 'drop',
    /** Questions kept at once; past it the oldest answers are forgotten together. */
    private readonly limit = 200,
  ) {
    const statement = db.prepare("SELECT (SELECT data_version FROM pragma_data_version()) || ':' || total_changes()").pluck();
    this.stamp = () => statement.get() as string;
  }

  /** The answer to `question`, computed only when none is kept since the last write. */
  get<T>(question: string, compute: () => T): T {
    // A reviewer's question may name thousands of files: kept by its digest, not its text.
    const key = createHash('sha256').update(question).digest('base64');
    const stamp = this.stamp();
    if (stamp !== this.figuresStamp) {
      this.figures.clear();
      this.figuresStamp = stamp;
    }
    if (this.figures.has(key)) return this.figures.get(key) as T;
    const value = compute();
    const after = this.stamp();
    if (after !== stamp) {
      if (this.afterOwnWrites === 'drop') return value;
      this.figures.clear();
      this.figuresStamp = after;
    }
    if (this.figures.size >= this.limit) this.figures.clear();
    this.figures.set(key, value);
    return value;
  }
}
