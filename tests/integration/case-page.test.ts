/**
 * The case list page by page on a workspace the seed tool built through the real channels: every
 * filter and sort in SQL agrees with what the review service decides file by file, 案号 come in
 * reading order (第2号 before 第10号), the keyset cursor walks every file exactly once, and a
 * reviewer's pages hold only their own files. The query plans of every statement the lists and
 * statistics run are checked: none reads the whole of sheets, answers or marks.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseListRow, CasePageInput } from '../../shared/dossiers/case-page.js';
import { caseNumberSortKey } from '../../shared/dossiers/case-number.js';
import { REVIEW_STAGES, REVIEW_STATES, reviewStage } from '../../shared/panel/review-states.js';
import { ADMIN, client, openTestBackend, type TestBackend } from '../support/backend.js';
import type { Actor } from '../../electron/services/core/context.js';
import { casePageSql } from '../../electron/services/dossiers/repo.js';
import { tempDir } from '../support/temp.js';
import { campaignStatistics } from '../../shared/letters/statistics.js';
import { seedWorkspace } from '../tools/seed.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let campaignId: string;
let cleanup: () => void;
let dataDir: string;

beforeAll(async () => {
  const dir = tempDir('pingcha-case-page-');
  cleanup = dir.cleanup;
  dataDir = dir.dir;
  // 3 units of 15 files: serials 1…15 under each unit's prefix, so text order would put 10–15 before 2.
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
  admin = client(t.backend, 'page-admin');
  await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
}, 240_000);
afterAll(() => {
  t.backend.close();
  cleanup();
});

async function allPages(input: Omit<CasePageInput, 'after'>, c = admin): Promise<{ rows: CaseListRow[]; totals: number[] }> {
  const rows: CaseListRow[] = [];
  const totals: number[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await c.call('case:page', { ...input, ...(after ? { after } : {}) } as CasePageInput);
    rows.push(...page.rows);
    totals.push(page.total);
    if (!page.next) return { rows, totals };
    after = page.next;
  }
  throw new Error('the cursor never ended');
}

const serial = (caseNumber: string): number => Number(/〔2025〕(\d+)号/.exec(caseNumber)![1]);

describe('case:page', () => {
  it('sorts 案号 as read: 第2号 before 第10号', () => {
    expect(caseNumberSortKey('某罚〔2025〕2号') < caseNumberSortKey('某罚〔2025〕10号')).toBe(true);
    expect(caseNumberSortKey('某罚字第２号') < caseNumberSortKey('某罚字第10号')).toBe(true);
    expect(caseNumberSortKey('某罚〔2024〕99号') < caseNumberSortKey('某罚〔2025〕1号')).toBe(true);
  });

  it('walks every file once with the cursor, in 案号 reading order, and counts them', async () => {
    const { rows, totals } = await allPages({ campaignId, limit: 7 });
    expect(rows).toHaveLength(45);
    expect(new Set(rows.map((r) => r.id)).size).toBe(45);
    expect(new Set(totals)).toEqual(new Set([45]));
    // Within one prefix the serials rise as numbers: …〔2025〕9号, 〔2025〕10号 …
    const prefix = rows[0]!.caseNumber.split('〔')[0]!;
    const serials = rows.filter((r) => r.caseNumber.startsWith(`${prefix}〔`)).map((r) => serial(r.caseNumber));
    expect(serials).toEqual([...serials].sort((a, b) => a - b));
    expect(serials).toContain(10);
    // The old text order would have put 10 before 2.
    expect(serials.indexOf(2)).toBeLessThan(serials.indexOf(10));
  });

  it('sorts by unit, then 案号 as read', async () => {
    const { rows } = await allPages({ campaignId, sort: 'unit', limit: 10 });
    expect(rows).toHaveLength(45);
    const units = rows.map((r) => r.unitName);
    expect(units).toEqual([...units].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const first = rows.filter((r) => r.unitName === units[0]).map((r) => serial(r.caseNumber));
    expect(first).toEqual([...first].sort((a, b) => a - b));
  });

  it('filters by unit, type, reviewer and text', async () => {
    const units = await admin.call('unit:list', { campaignId });
    const unit = units[1]!;
    const byUnit = await allPages({ campaignId, filter: { unitId: unit.id } });
    expect(byUnit.rows.length).toBe(15);
    expect(byUnit.rows.every((r) => r.unitId === unit.id)).toBe(true);

    const license = await allPages({ campaignId, filter: { caseType: 'penalty_general' } });
    expect(license.rows.length).toBeGreaterThan(0);
    expect(license.rows.every((r) => r.caseType === 'penalty_general')).toBe(true);

    const reviewer = t.backend.db.prepare("SELECT id FROM users WHERE username = 'pc002'").get() as { id: string };
    const assigned = new Set(
      (t.backend.db.prepare('SELECT case_id FROM assignments WHERE reviewer_id = ?').all(reviewer.id) as Array<{ case_id: string }>).map(
        (r) => r.case_id,
      ),
    );
    const byReviewer = await allPages({ campaignId, filter: { reviewerId: reviewer.id } });
    expect(new Set(byReviewer.rows.map((r) => r.id))).toEqual(assigned);

    const one = byUnit.rows[3]!;
    const text = await allPages({ campaignId, filter: { text: one.caseNumber } });
    expect(text.rows.map((r) => r.id)).toEqual([one.id]);
    const none = await admin.call('case:page', { campaignId, filter: { text: '没有这样的案卷' } });
    expect(none).toEqual({
      rows: [],
      total: 0,
      next: null,
      drawn: false,
      stageCounts: { unscored: 0, scoring: 0, confirm: 0, recheck: 0, panel: 0, flagged: 0, final: 0 },
      pending: null,
    });
    // The organiser sees who reviews each file; the campaign drew nothing.
    for (const r of byReviewer.rows) expect(r.panel?.reviewers.map((x) => x.id)).toContain(reviewer.id);
  });

  it('filters by the stage each row shows (待复核, 待集体评议…), with the count of each stage beside the filter', async () => {
    const board = (await admin.call('review:board', { campaignId })).rows;
    const stageOf = new Map(board.map((b) => [b.caseId, reviewStage(b.state, b.route)]));
    // The seed leaves flagged files routed somewhere: the words a row shows, not only 待合议.
    expect([...stageOf.values()].some((s) => s === 'confirm' || s === 'recheck' || s === 'panel')).toBe(true);
    const first = await admin.call('case:page', { campaignId, limit: 5 });
    for (const stage of REVIEW_STAGES) {
      const want = board.filter((b) => stageOf.get(b.caseId) === stage).map((b) => b.caseId);
      expect(first.stageCounts?.[stage], stage).toBe(want.length);
      const { rows, totals } = await allPages({ campaignId, filter: { stage }, limit: 4 });
      expect(new Set(rows.map((r) => r.id)), stage).toEqual(new Set(want));
      expect(new Set(totals), stage).toEqual(new Set([want.length]));
    }
    // Counts follow the other filters, and the pages after the first carry none.
    const units = await admin.call('unit:list', { campaignId });
    const unitPage = await admin.call('case:page', { campaignId, filter: { unitId: units[0]!.id }, limit: 5 });
    const inUnit = (await allPages({ campaignId, filter: { unitId: units[0]!.id } })).rows.map((r) => r.id);
    expect(Object.values(unitPage.stageCounts!).reduce((a, b) => a + b, 0)).toBe(inUnit.length);
    const second = await admin.call('case:page', { campaignId, limit: 5, after: first.next! });
    expect(second.stageCounts).toBeNull();
  });

  it('filters by review state exactly as the results board decides it, file by file', async () => {
    const board = (await admin.call('review:board', { campaignId })).rows;
    expect(board).toHaveLength(45);
    const states = new Set(board.map((b) => b.state));
    // The seed leaves files in more than one state (settled, flagged, still being scored).
    expect(states.size).toBeGreaterThan(1);
    for (const state of REVIEW_STATES) {
      const { rows } = await allPages({ campaignId, filter: { state } });
      expect(new Set(rows.map((r) => r.id)), state).toEqual(new Set(board.filter((b) => b.state === state).map((b) => b.caseId)));
      for (const r of rows) expect(r.board).toEqual(board.find((b) => b.caseId === r.id));
    }
  });

  it('gives a reviewer only their own files, with their own scores', async () => {
    const reviewer = client(t.backend, 'page-reviewer');
    await reviewer.call('auth:login', { username: 'pc001', password: ADMIN.password });
    const me = t.backend.db.prepare("SELECT id FROM users WHERE username = 'pc001'").get() as { id: string };
    const assigned = new Set(
      (t.backend.db.prepare('SELECT case_id FROM assignments WHERE reviewer_id = ?').all(me.id) as Array<{ case_id: string }>).map(
        (r) => r.case_id,
      ),
    );
    const { rows, totals } = await allPages({ campaignId, limit: 5 }, reviewer);
    expect(new Set(rows.map((r) => r.id))).toEqual(assigned);
    expect(totals[0]).toBe(assigned.size);
    const list = await reviewer.call('case:list', { campaignId });
    for (const r of rows) expect(r.myScore).toEqual(list.find((c) => c.id === r.id)!.myScore);
    expect(rows.some((r) => r.myScore !== null)).toBe(true);
    // Blind review: a reviewer's list names no other reviewer.
    expect(rows.every((r) => r.panel === null)).toBe(true);
  });

  it('matches a unit by part of its name, and every file of it', async () => {
    const units = await admin.call('unit:list', { campaignId });
    const unit = units[2]!;
    const inUnit = (await allPages({ campaignId, filter: { unitId: unit.id } })).rows.map((r) => r.id);
    const { rows, totals } = await allPages({ campaignId, filter: { text: unit.name.slice(-6) }, limit: 4 });
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(inUnit));
    expect(new Set(totals)).toEqual(new Set([rows.length]));
  });

  it('counts again after any change: a unit renamed moves the text filter at once, and back', async () => {
    const unit = (await admin.call('unit:list', { campaignId }))[1]!;
    const input = { campaignId, filter: { text: '青石岭' }, limit: 3 };
    const before = await admin.call('case:page', input);
    expect(before.total).toBe(0);
    // Read twice: the second answer comes from the figures kept since the first.
    expect(await admin.call('case:page', input)).toEqual(before);
    const save = (name: string) =>
      admin.call('unit:save', {
        campaignId,
        unitId: unit.id,
        name,
        shortName: unit.shortName,
        field: unit.field,
        regionCode: unit.regionCode,
      });
    await save(`${unit.name}（青石岭）`);
    const renamed = await admin.call('case:page', input);
    expect(renamed.total).toBe(unit.caseCount);
    expect(Object.values(renamed.stageCounts!).reduce((a, b) => a + b, 0)).toBe(unit.caseCount);
    await save(unit.name);
    expect(await admin.call('case:page', input)).toEqual(before);
  });

  it('refuses a cursor it did not make', async () => {
    const err = await admin.fail('case:page', { campaignId, after: 'bm90LWEtY3Vyc29y' });
    expect(err).toMatchObject({ code: 'invalid_input', message: '翻页位置无效，请重新打开列表。' });
  });
});

/**
 * Tables a province holds by the hundred thousand or million, the stored results (one row per
 * file and per sheet), each file's ratings kept for the agreement sums and the ledger's rows: never
 * read whole for a list or a statistic.
 */
const BIG = ['sheets', 'sheet_answers', 'annotations', 'case_summaries', 'sheet_summaries', 'agreement_files', 'ledger_items'];

/** Every plan line that reads a big table whole (directly or through a full index scan). */
function fullScans(db: TestBackend['backend']['db'], sql: string): string[] {
  const names = new Set(BIG);
  for (const m of sql.matchAll(
    /\b(?:FROM|JOIN)\s+(sheets|sheet_answers|annotations|case_summaries|sheet_summaries|agreement_files|ledger_items)(?:\s+(?:AS\s+)?(\w+))?/gi,
  ))
    if (m[2] && !/^(WHERE|ON|JOIN|LEFT|INNER|ORDER|GROUP|USING)$/i.test(m[2])) names.add(m[2]);
  const named = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))];
  const params = named.length
    ? [Object.fromEntries(named.map((n) => [n, null]))]
    : Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>;
  return plan
    .map((p) => p.detail)
    .filter((d) => {
      const m = /^SCAN (\w+)/.exec(d);
      return m !== null && names.has(m[1]!);
    });
}

describe('stats:campaign', () => {
  it('equals the same arithmetic over the letters’ full facts of every file', async () => {
    const statistics = await admin.call('stats:campaign', { campaignId });
    // The seeded campaign holds delivered files and problems to count (the 合议, its settled files and
    // a veto beside a deduction: tests/integration/stored-results.test.ts).
    expect(statistics.provisionalCount).toBeGreaterThan(0);
    expect(statistics.items.length).toBeGreaterThan(0);
    const facts = t.backend.services.campaignFacts;
    for (const full of [facts.build(campaignId, { stored: true }), facts.build(campaignId)])
      expect(statistics).toEqual(
        campaignStatistics({
          fact: full.fact,
          submittedCount: full.submittedCount,
          missingCount: full.missingCount,
          drawn: full.drawn,
          provisionalCount: full.provisional.length,
          unscoredCount: full.unscored.length,
        }),
      );
  });
});

describe('query plans', () => {
  it('reads no list or statistic by scanning sheets, answers, marks or stored results whole', async () => {
    const db = t.backend.db;
    const seen = new Set<string>();
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      seen.add(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    try {
      const units = await admin.call('unit:list', { campaignId });
      const reviewer = db.prepare("SELECT id FROM users WHERE username = 'pc002'").get() as { id: string };
      const page = await admin.call('case:page', { campaignId, limit: 5 });
      for (const sort of ['caseNumber', 'unit'] as const) {
        for (const filter of [
          {},
          { unitId: units[0]!.id },
          { caseType: 'license' as const },
          { state: 'flagged' as const },
          { reviewerId: reviewer.id },
          { text: '餐饮' },
          { drawn: true },
          { unitId: units[0]!.id, state: 'flagged' as const },
        ]) {
          await admin.call('case:page', { campaignId, sort, filter });
          for (const stage of ['panel', 'flagged', 'final'] as const)
            await admin.call('case:page', { campaignId, sort, filter: { ...filter, stage }, limit: 2 });
          // The list keeps its statements by text, so those prepared by an earlier test are named here.
          for (const after of [undefined, 'k'])
            for (const byRoute of [false, true])
              for (const visibleIds of [null, ['x'], Array.from({ length: 1000 }, (_, i) => `x${i}`)]) {
                const q = casePageSql({ filter, sort, after, byRoute, visibleIds });
                for (const sql of [q.page, q.count, q.stateCounts, q.flagged]) seen.add(sql);
              }
          await admin
            .call('case:page', { campaignId, sort, filter, limit: 2, ...(page.next ? { after: page.next } : {}) })
            .catch(() => undefined);
        }
      }
      await admin.call('case:list', { campaignId });
      await admin.call('review:board', { campaignId });
      await admin.call('stats:campaign', { campaignId });
      await admin.call('review:agreement', { campaignId });
      await admin.call('ledger:list', { campaignId });
      await admin.call('annotation:listCase', { caseId: page.rows[0]!.id });
      // What the case list asks of the stored results' backlog (statements prepared with the service).
      seen.add('SELECT count(*) FROM summary_stale');
      seen.add(
        'SELECT s.case_id, c.campaign_id FROM summary_stale s LEFT JOIN cases c ON c.id = s.case_id WHERE s.case_id IN (SELECT value FROM json_each(?))',
      );
    } finally {
      db.prepare = prepare;
    }
    const selects = [...seen].filter((sql) => /^\s*(SELECT|WITH)\b/i.test(sql));
    expect(selects.length).toBeGreaterThan(20);
    const offenders = selects
      .map((sql) => ({ sql: sql.replace(/\s+/g, ' ').slice(0, 200), scans: fullScans(db, sql) }))
      .filter((o) => o.scans.length);
    expect(offenders).toEqual([]);
  });
});

describe('case:page after an upgrade that stores results again', () => {
  it('shows its first page at once with its own rows current, says how many files wait, and is whole after the back-fill', async () => {
    const before = await admin.call('case:page', { campaignId, limit: 10 });
    expect(before.pending).toBeNull();
    t.backend.close();
    // What such an upgrade leaves: nothing stored, every file stale; the back-fill job starts on opening.
    const raw = new Database(path.join(dataDir, 'pingcha.db'));
    raw.exec(`DELETE FROM case_summaries; DELETE FROM sheet_summaries; DELETE FROM agreement_files; DELETE FROM agreement_sums;
      INSERT INTO summary_stale SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM summary_stale);`);
    raw.close();
    t = openTestBackend(dataDir);
    const { review, dossiers, jobs } = t.backend.services;
    const stale = () => (t.backend.db.prepare('SELECT count(*) AS n FROM summary_stale').get() as { n: number }).n;
    expect(review.backfillJobId).not.toBeNull();
    expect(stale()).toBe(45);
    const organiser = t.backend.db
      .prepare('SELECT id, username, display_name AS displayName, role FROM users WHERE username = ?')
      .get(ADMIN.username) as Actor;
    // Before the job's first step: the page writes only its own ten files, not the other 35.
    const page = dossiers.casePage({ campaignId, filter: {}, sort: 'caseNumber', limit: 10 }, null, organiser);
    expect(stale()).toBe(35);
    expect(page.pending).toBe(45);
    expect(page.rows.map((r: CaseListRow) => [r.id, r.board])).toEqual(before.rows.map((r) => [r.id, r.board]));
    expect(page.total).toBe(before.total);

    expect((await jobs.wait(review.backfillJobId!)).status).toBe('done');
    expect(stale()).toBe(0);
    admin = client(t.backend, 'page-admin-after-upgrade');
    await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
    const after = await admin.call('case:page', { campaignId, limit: 10 });
    expect(after.pending).toBeNull();
    expect(after).toEqual(before);
  });
});
