/**
 * Score-change round trip through the real transport: `sheet:answer` over HTTP to the loopback host
 * (validation, access, revision check, the write with its audit row in one durable transaction, the
 * recomputed total), 1,000 changes. Baselines in the same run: the same HTTP round trip of a trivial
 * channel (app:info), and the bare SQL of the change (upsert + revision bump, one transaction).
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startHost } from '../../electron/host/host.js';
import { allItems } from '../../shared/standards/model.js';
import type { Answer } from '../../shared/scoring/scoring.js';
import { importCase, PANEL_PASSWORD, setupPanel } from '../support/review-setup.js';
import { REPO_ROOT, RESOURCES_DIR, tempDir } from '../support/temp.js';
import type { BenchPart } from './index.js';
import { ms, percentile, ratio, row } from './format.js';

const N = 1000;

const part: BenchPart = {
  name: 'scoring',
  description: `score change round trip (sheet:answer over HTTP to the loopback host), ${N} changes, vs a trivial channel and the bare SQL write`,
  async run() {
    const t = tempDir('pingcha-bench-');
    const host = await startHost({
      dataDir: t.dir,
      rendererDir: path.join(REPO_ROOT, 'build', 'renderer'),
      resourcesDir: RESOURCES_DIR,
      appVersion: '0.0.0-bench',
    });
    try {
      const panel = await setupPanel(host.backend, { login: false });
      const caseId = await importCase(host.backend, panel, '某许〔2025〕1号');

      // A browser-like HTTP client: trade the token for a session, as the page does, then POST with our Origin.
      const token = new URL(host.url).searchParams.get('token')!;
      const traded = await fetch(`${host.origin}/api/session`, {
        method: 'POST',
        headers: { 'x-pingcha-token': token, origin: host.origin },
      });
      const { session } = (await traded.json()) as { session: string };
      const call = async (channel: string, input: unknown): Promise<{ ok: boolean; value?: never; error?: { message: string } }> => {
        const res = await fetch(`${host.origin}/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-pingcha-session': session, origin: host.origin },
          body: JSON.stringify({ input }),
        });
        return (await res.json()) as never;
      };
      const must = async <T>(channel: string, input: unknown): Promise<T> => {
        const r = await call(channel, input);
        if (!r.ok) throw new Error(`${channel}: ${r.error?.message}`);
        return r.value as T;
      };
      await must('auth:login', { username: 'zhang', password: PANEL_PASSWORD });
      const view = await must<{ sheet: { id: string; revision: number }; definition: Parameters<typeof allItems>[0] }>('sheet:start', {
        caseId,
      });
      const items = allItems(view.definition);
      let revision = view.sheet.revision;

      // Warm up both paths.
      for (let i = 0; i < 50; i++) await must('app:info', {});

      const db = host.backend.db;
      const upsert = db.prepare(
        `INSERT INTO sheet_answers (sheet_id, item_id, answer_json, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (sheet_id, item_id) DO UPDATE SET answer_json = excluded.answer_json, updated_at = excluded.updated_at`,
      );
      const bumpRev = db.prepare('UPDATE sheets SET revision = revision + 1, updated_at = ? WHERE id = ?');
      // The bare write goes to a sheet of its own, so it never disturbs the revision the channel checks.
      const bareSheet = randomUUID();
      db.prepare(
        `INSERT INTO sheets (id, case_id, reviewer_id, round, standard_version_id, status, revision, created_at, updated_at)
        SELECT ?, case_id, ?, 1, standard_version_id, 'draft', 0, created_at, updated_at FROM sheets WHERE id = ?`,
      ).run(bareSheet, panel.users.li!.id, view.sheet.id);
      const bare = db.transaction((itemId: string, json: string) => {
        const now = new Date().toISOString();
        upsert.run(bareSheet, itemId, json, now);
        bumpRev.run(now, bareSheet);
      });

      const change: number[] = [];
      const trivial: number[] = [];
      const sql: number[] = [];
      for (let i = 0; i < N; i++) {
        const item = items[i % items.length]!;
        const answer: Answer = i % 3 === 0 ? { status: 'pass' } : { status: 'deduct', comment: `第${i}次修改：卷内材料未编页号` };
        let s = performance.now();
        const res = await must<{ revision: number }>('sheet:answer', { sheetId: view.sheet.id, itemId: item.id, answer, revision });
        change.push(performance.now() - s);
        revision = res.revision;
        s = performance.now();
        await must('app:info', {});
        trivial.push(performance.now() - s);
        s = performance.now();
        bare(item.id, JSON.stringify(answer));
        sql.push(performance.now() - s);
      }
      for (const xs of [change, trivial, sql]) xs.sort((a, b) => a - b);
      row('sheet:answer over HTTP p50 / p95', `${ms(percentile(change, 50))} / ${ms(percentile(change, 95))}`, 'target p95 ≤ 10 ms');
      row('baseline app:info over HTTP p50 / p95', `${ms(percentile(trivial, 50))} / ${ms(percentile(trivial, 95))}`);
      row(
        'baseline bare SQL write p50 / p95',
        `${ms(percentile(sql, 50))} / ${ms(percentile(sql, 95))}`,
        'upsert + revision, one durable transaction',
      );
      row('ratio p95 vs app:info', ratio(percentile(change, 95), percentile(trivial, 95)));
      row('ratio p95 vs bare SQL', ratio(percentile(change, 95), percentile(sql, 95)));
      row('p95 within target', percentile(change, 95) <= 10 ? 'yes' : 'NO');
    } finally {
      await host.close();
      t.cleanup();
    }
  },
};
export default part;
