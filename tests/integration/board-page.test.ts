/**
 * The results board page by page on a workspace the seed tool built through the real channels: the
 * keyset cursor walks every file once in 案号 order, each row is the one the case list shows for the
 * same file, every filter and count in SQL agrees with the rows themselves, a reviewer reads only
 * their own files and workload, and the query plans of the board's and the statistics' statements
 * read no whole table of sheets, answers, marks or stored results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardFilter, BoardRow } from '../../shared/panel/views.js';
import { REVIEW_STATES } from '../../shared/panel/review-states.js';
import { REVIEW_ROUTES } from '../../shared/panel/divergence.js';
import type { Role } from '../../shared/people/roles.js';
import { isDeliveredStatus } from '../../shared/scoring/sheet-state.js';
import { boardPageSql } from '../../electron/services/panel/repo.js';
import { STATISTICS_SQL } from '../../electron/services/letters/repo.js';
import { ADMIN, client, openTestBackend, type TestBackend } from '../support/backend.js';
import { tempDir } from '../support/temp.js';
import { seedWorkspace } from '../tools/seed.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let campaignId: string;
let cleanup: () => void;

beforeAll(async () => {
  const dir = tempDir('pingcha-board-page-');
  cleanup = dir.cleanup;
  ({ campaignId } = await seedWorkspace({
    dir: dir.dir,
    files: 45,
    units: 3,
    annotations: 300,
    reviewers: 3,
    letters: 0,
    say: () => undefined,
  }));
  t = openTestBackend(dir.dir);
  admin = client(t.backend, 'board-admin');
  await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
}, 240_000);
afterAll(() => {
  t.backend.close();
  cleanup();
});

async function allPages(filter: BoardFilter, limit: number, c = admin): Promise<{ rows: BoardRow[]; totals: number[] }> {
  const rows: BoardRow[] = [];
  const totals: number[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await c.call('review:board', { campaignId, filter, limit, ...(after ? { after } : {}) });
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    rows.push(...page.rows);
    totals.push(page.total);
    if (!page.next) return { rows, totals };
    after = page.next;
  }
  throw new Error('the cursor never ended');
}

describe('review:board', () => {
  it('walks every file once in 案号 order, each row as the case list shows it', async () => {
    const { rows, totals } = await allPages({}, 7);
    const list = await admin.call('case:page', { campaignId, limit: 500 });
    expect(list.rows).toHaveLength(45);
    expect(rows.map((r) => r.caseId)).toEqual(list.rows.map((r) => r.id));
    expect(rows).toEqual(list.rows.map((r) => r.board));
    expect(new Set(totals)).toEqual(new Set([45]));
  });

  it('filters by state, route and own files in SQL as the rows say, and counts each beside them', async () => {
    const { rows: all } = await allPages({}, 500);
    const first = await admin.call('review:board', { campaignId });
    for (const state of REVIEW_STATES) {
      const { rows, totals } = await allPages({ state }, 4);
      const expected = all.filter((r) => r.state === state);
      expect(rows).toEqual(expected);
      expect(totals[0]).toBe(expected.length);
      expect(first.counts.states[state]).toBe(expected.length);
    }
    // The seeded campaign holds files waiting for the lead (组长确认 or 集体评议): what the lead's landing asks.
    const waiting = all.filter((r) => r.state === 'flagged' && (r.route === 'confirm' || r.route === 'panel'));
    expect(waiting.length).toBeGreaterThan(0);
    const landing = await admin.call('review:board', { campaignId, filter: { state: 'flagged', routes: ['confirm', 'panel'] }, limit: 1 });
    expect(landing.rows).toEqual([waiting[0]]);
    expect(landing.total).toBe(waiting.length);
    for (const route of REVIEW_ROUTES) expect(first.counts.routes[route]).toBe(all.filter((r) => r.route === route).length);
    // The organiser scores nothing: no file of their own.
    expect(first.counts.mine).toEqual({ pending: 0, submitted: 0 });
    expect((await admin.call('review:board', { campaignId, filter: { mine: true } })).rows).toEqual([]);
  });

  it('gives a reviewer only their own files, blind to the routes of files they have not delivered, and their workload', async () => {
    const reviewer = client(t.backend, 'board-reviewer');
    await reviewer.call('auth:login', { username: 'pc001', password: ADMIN.password });
    const me = t.backend.db.prepare("SELECT id FROM users WHERE username = 'pc001'").get() as { id: string };
    const assigned = new Set(
      (t.backend.db.prepare('SELECT case_id FROM assignments WHERE reviewer_id = ?').all(me.id) as Array<{ case_id: string }>).map(
        (r) => r.case_id,
      ),
    );
    const { rows, totals } = await allPages({}, 5, reviewer);
    expect(new Set(rows.map((r) => r.caseId))).toEqual(assigned);
    expect(totals[0]).toBe(assigned.size);
    const delivered = rows.filter((r) => r.mine.status !== null && isDeliveredStatus(r.mine.status));
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.length).toBeLessThan(rows.length);
    // Blind review: no route or result of a file whose sheet the reviewer has not delivered.
    for (const r of rows.filter((x) => !delivered.includes(x))) expect([r.route, r.final]).toEqual([null, null]);
    const counts = (await reviewer.call('review:board', { campaignId, limit: 0 })).counts;
    expect(counts.mine).toEqual({ pending: rows.length - delivered.length, submitted: delivered.length });
    for (const route of REVIEW_ROUTES) expect(counts.routes[route]).toBe(rows.filter((r) => r.route === route).length);
    expect((await allPages({ mine: true }, 3, reviewer)).rows).toEqual(rows);
    const flagged = await allPages({ state: 'flagged', routes: [...REVIEW_ROUTES] }, 3, reviewer);
    expect(flagged.rows).toEqual(rows.filter((r) => r.state === 'flagged' && r.route !== null));
  });

  it('refuses a cursor it did not make', async () => {
    const err = await admin.fail('review:board', { campaignId, after: 'bm90LWEtY3Vyc29y' });
    expect(err).toMatchObject({ code: 'invalid_input', message: '翻页位置无效，请重新打开列表。' });
  });
});

describe('query plans of the board and the statistics', () => {
  /** Tables a list or statistic must never read whole at a province's size. */
  const BIG = /^SCAN (sheets|sheet_answers|annotations|case_summaries|sheet_summaries|assignments|s|x|g|c|cases)\b/;

  const plan = (sql: string): string[] => {
    const named = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))];
    const params = named.length
      ? [Object.fromEntries(named.map((n) => [n, null]))]
      : Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
    return (t.backend.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail);
  };

  it('reads pages, counts and statistics through indexes, never a whole table of files, sheets or results', () => {
    const statements = new Set<string>(Object.values(STATISTICS_SQL));
    const filters: BoardFilter[] = [{}, { state: 'flagged' }, { state: 'flagged', routes: ['confirm', 'panel'] }, { mine: true }];
    for (const role of ['organiser', 'lead', 'reviewer', 'observer'] as Role[])
      for (const filter of filters)
        for (const after of [false, true])
          for (const drive of ['cases', 'summaries'] as const)
            for (const sql of Object.values(boardPageSql({ filter, role, after, visible: role === 'reviewer', drive }))) {
              // Walking the campaign's files in 案号 order is the unfiltered page's way (it stops after a page).
              if (drive === 'summaries' && !filter.state && !filter.mine) continue;
              statements.add(sql);
            }
    expect(statements.size).toBeGreaterThan(40);
    const offenders = [...statements]
      .map((sql) => ({ sql: sql.replace(/\s+/g, ' ').slice(0, 160), scans: plan(sql).filter((d) => BIG.test(d)) }))
      .filter((o) => o.scans.length);
    expect(offenders).toEqual([]);
  });
});
