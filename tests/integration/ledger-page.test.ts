/**
 * The 整改台账 page by page on a workspace the seed tool built through the real channels (a row per
 * deduction of the settled files), with rows entered by hand, moved through the states, past their
 * deadline and withdrawn: every filter in SQL (unit, state, 逾期, source, text) gives exactly the rows
 * the screen's old filtering of the whole ledger gave, the counts beside each choice agree with them,
 * the cursor walks every row once in either order, the export holds the whole filtered ledger, and no
 * statement of the ledger reads ledger_items whole.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LEDGER_STATE_FILTERS,
  LEDGER_SOURCE_FILTERS,
  type LedgerFilter,
  type LedgerPageInput,
  type LedgerRow,
} from '../../shared/ledger/ledger.js';
import { ledgerPageSql } from '../../electron/services/ledger/repo.js';
import { ADMIN, client, openTestBackend, type TestBackend } from '../support/backend.js';
import { LEDGER_COLUMNS } from '../support/ledger.js';
import { downloadBytes } from '../support/signing.js';
import { tempDir } from '../support/temp.js';
import { seedWorkspace } from '../tools/seed.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let campaignId: string;
let cleanup: () => void;
let today: string;

beforeAll(async () => {
  const dir = tempDir('pingcha-ledger-page-');
  cleanup = dir.cleanup;
  ({ campaignId } = await seedWorkspace({
    dir: dir.dir,
    files: 40,
    units: 4,
    annotations: 0,
    reviewers: 3,
    letters: 0,
    say: () => undefined,
  }));
  t = openTestBackend(dir.dir);
  admin = client(t.backend, 'ledger-page-admin');
  await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
  const first = await admin.call('ledger:list', { campaignId, limit: 500 });
  today = first.today;
  const units = await admin.call('unit:list', { campaignId });
  // Problems found outside the review, some of them already overdue.
  const manual = [
    {
      source: 'inspection',
      subject: '2025年法治督察反馈问题第3项',
      description: '行政执法公示平台未按时公示行政处罚决定',
      deadline: '2025-01-10',
    },
    { source: 'special', subject: '专项整治第2批', description: '涉企检查未经审批擅自开展', deadline: '2099-06-30' },
    { source: 'complaint', subject: '12345热线转办件', description: '罚没款未按期缴入国库', deadline: '2025-03-01' },
    { source: 'other', subject: '', description: '执法证件过期仍在使用', deadline: '2099-12-31' },
  ] as const;
  for (const [i, m] of manual.entries())
    await admin.call('ledger:add', {
      campaignId,
      entry: { ...m, unitId: units[i % units.length]!.id, measure: '限期整改并报送整改报告', responsible: `王科长${i}` },
      confirmPastDeadline: true,
    });
  // Rows moved on: 整改中 (some past their deadline), 已整改待核, 销号; one file's settled result withdrawn, and with it its rows.
  const { rows } = await admin.call('ledger:list', { campaignId, limit: 500 });
  const review = rows.filter((r) => r.source === 'review');
  expect(review.length).toBeGreaterThan(10);
  for (const [i, r] of review.slice(0, 9).entries()) {
    const patch =
      i % 3 === 0
        ? { status: 'in_progress' as const, deadline: '2025-02-28', responsible: '陈科长' }
        : i % 3 === 1
          ? { status: 'awaiting_check' as const, measure: '已补正并归档' }
          : { status: 'closed' as const, checker: '赵六', checkOpinion: '整改到位', closedOn: '2025-05-20', deadline: '2025-03-31' };
    await admin.call('ledger:update', { rowId: r.id, patch, revision: r.revision });
  }
  const reopened = review[review.length - 1]!;
  await admin.call('reconcile:withdraw', { caseId: reopened.caseId, reason: '评查意见需补充依据' });
  expect((await admin.call('ledger:sync', { campaignId })).withdrawn).toBeGreaterThan(0);
}, 300_000);
afterAll(() => {
  t.backend.close();
  cleanup();
});

async function allPages(input: Omit<LedgerPageInput, 'campaignId' | 'after'>): Promise<{ rows: LedgerRow[]; totals: number[] }> {
  const rows: LedgerRow[] = [];
  const totals: number[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 200; guard++) {
    const page = await admin.call('ledger:list', { campaignId, ...input, ...(after ? { after } : {}) });
    rows.push(...page.rows);
    totals.push(page.total);
    if (!page.next) return { rows, totals };
    after = page.next;
  }
  throw new Error('the cursor never ended');
}

/** Every row, withdrawn ones too: the two states together are the whole ledger. */
async function everyRow(): Promise<LedgerRow[]> {
  const open = (await allPages({ limit: 500 })).rows;
  const withdrawn = (await allPages({ filter: { state: 'withdrawn' }, limit: 500 })).rows;
  return [...open, ...withdrawn].sort((a, b) => a.number.localeCompare(b.number));
}

/** The filter as the screen once applied it to the whole ledger in the browser. */
function matches(r: LedgerRow, f: LedgerFilter): boolean {
  if (f.state === 'withdrawn' ? !r.withdrawn : r.withdrawn || (f.state && r.status !== f.state)) return false;
  if (f.overdue && !r.overdue) return false;
  if (f.unitId && r.unitId !== f.unitId) return false;
  if (f.source === 'manual' ? r.source === 'review' : f.source && r.source !== f.source) return false;
  if (f.text) {
    const serial = /^(?:ZG\d{4}-)?0*(\d{1,7})$/i.exec(f.text);
    const hay = `${r.caseNumber}${r.unitName}${r.description}${r.itemText}${r.responsible}`;
    if (!hay.includes(f.text) && !(serial && Number(r.number.split('-')[1]) === Number(serial[1]))) return false;
  }
  return true;
}

describe('ledger:list', () => {
  it('walks every row once with the cursor, in 问题编号 order and in 整改时限 order, and counts them', async () => {
    const all = await allPages({ limit: 500 });
    const { rows, totals } = await allPages({ limit: 7 });
    expect(rows.map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
    expect(new Set(totals)).toEqual(new Set([all.rows.length]));
    const serials = rows.map((r) => Number(r.number.split('-')[1]));
    expect(serials).toEqual([...serials].sort((a, b) => a - b));
    // Review rows and rows by hand in one sequence.
    expect(new Set(rows.map((r) => r.source)).size).toBe(5);

    const byDeadline = await allPages({ sort: 'deadline', limit: 6 });
    expect(new Set(byDeadline.rows.map((r) => r.id))).toEqual(new Set(all.rows.map((r) => r.id)));
    const keys = byDeadline.rows.map((r) => `${r.deadline ?? ''}|${String(Number(r.number.split('-')[1])).padStart(7, '0')}`);
    expect(keys).toEqual([...keys].sort());
    expect(byDeadline.rows[0]!.deadline).toBe('2025-01-10');
  });

  it('filters by unit, state, 逾期, source and text exactly as the whole ledger filtered row by row, with the counts beside each choice', async () => {
    const every = await everyRow();
    const units = await admin.call('unit:list', { campaignId });
    const some = every.find((r) => r.source === 'review' && r.responsible === '陈科长')!;
    const filters: LedgerFilter[] = [
      {},
      ...units.slice(0, 2).map((u) => ({ unitId: u.id })),
      ...LEDGER_STATE_FILTERS.map((state) => ({ state })),
      { overdue: true },
      { overdue: true, state: 'in_progress' },
      { overdue: true, source: 'manual' },
      ...LEDGER_SOURCE_FILTERS.map((source) => ({ source })),
      { text: some.caseNumber },
      { text: '陈科长' },
      { text: '公示' },
      { text: '送达回证' },
      { text: some.number },
      { text: units[1]!.name, state: 'closed' },
      { text: '没有这样的问题' },
    ];
    for (const filter of filters) {
      const want = every.filter((r) => matches(r, filter)).map((r) => r.id);
      const { rows, totals } = await allPages({ filter, limit: 9 });
      expect(
        rows.map((r) => r.id),
        JSON.stringify(filter),
      ).toEqual(want);
      expect(new Set(totals), JSON.stringify(filter)).toEqual(new Set([want.length]));
      // Each choice's count under the other filters is what choosing it gives.
      const { counts } = await admin.call('ledger:list', { campaignId, filter, limit: 1 });
      const { state: _state, overdue: _overdue, ...others } = filter;
      for (const state of LEDGER_STATE_FILTERS)
        expect(counts[state], `${state} under ${JSON.stringify(filter)}`).toBe(
          every.filter((r) => matches(r, { ...others, state, ...(filter.overdue ? { overdue: true } : {}) })).length,
        );
      expect(counts.overdue).toBe(
        every.filter((r) => matches(r, { ...others, ...(filter.state ? { state: filter.state } : {}), overdue: true })).length,
      );
      expect(counts.all).toBe(every.filter((r) => matches(r, { ...others, ...(filter.overdue ? { overdue: true } : {}) })).length);
    }
    // The seeded states are all there to be filtered.
    const { counts } = await admin.call('ledger:list', { campaignId, limit: 1 });
    for (const k of ['pending', 'in_progress', 'awaiting_check', 'closed', 'withdrawn', 'overdue'] as const)
      expect(counts[k], k).toBeGreaterThan(0);
  });

  it('refuses a cursor it did not make', async () => {
    const err = await admin.fail('ledger:list', { campaignId, after: 'bm90LWEtY3Vyc29y' });
    expect(err).toMatchObject({ code: 'invalid_input', message: '翻页位置无效，请重新打开列表。' });
    const deadlineCursor = (await admin.call('ledger:list', { campaignId, sort: 'deadline', limit: 2 })).next!;
    expect((await admin.fail('ledger:list', { campaignId, after: deadlineCursor })).code).toBe('invalid_input');
  });

  it('exports the whole filtered ledger, every page of it, in the bureau’s columns', async () => {
    const filter: LedgerFilter = { overdue: true };
    const want = (await allPages({ filter, limit: 500 })).rows;
    expect(want.length).toBeGreaterThan(3);
    const out = await admin.call('ledger:export', { campaignId, filter });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await downloadBytes(t.backend, out.url)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('整改台账')!;
    expect(String(ws.getCell(2, 1).value)).toContain(`（逾期）：共${want.length}项`);
    const numbers = Array.from(
      { length: ws.rowCount - 3 },
      (_, i) => ws.getRow(i + 4).getCell(LEDGER_COLUMNS.indexOf('问题编号') + 1).value,
    );
    expect(numbers).toEqual(want.map((r) => r.number));
    // 序号 counts the rows of this ledger, whatever their 问题编号.
    const serials = Array.from({ length: ws.rowCount - 3 }, (_, i) => ws.getRow(i + 4).getCell(1).value);
    expect(serials).toEqual(want.map((_, i) => i + 1));
    // Without a filter: every row still tracked, as before.
    const whole = await admin.call('ledger:export', { campaignId });
    const all = new ExcelJS.Workbook();
    await all.xlsx.load((await downloadBytes(t.backend, whole.url)) as unknown as ArrayBuffer);
    expect(all.getWorksheet('整改台账')!.rowCount - 3).toBe((await admin.call('ledger:list', { campaignId, limit: 1 })).counts.all);
  });
});

/** Every plan line that reads a ledger table whole (directly or through a full index scan). */
function fullScans(sql: string, params: Record<string, unknown>): string[] {
  const plan = t.backend.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>;
  return plan.map((p) => p.detail).filter((d) => /^SCAN (li|m|ledger_items|ledger_manual_items)\b/.test(d));
}

describe('query plans', () => {
  it('reads no page or count of the ledger by scanning ledger_items whole, for every filter and order', async () => {
    const units = await admin.call('unit:list', { campaignId });
    const filters: LedgerFilter[] = [
      {},
      { unitId: units[0]!.id },
      ...LEDGER_STATE_FILTERS.map((state) => ({ state })),
      { overdue: true },
      { overdue: true, state: 'pending' },
      ...LEDGER_SOURCE_FILTERS.map((source) => ({ source })),
      { text: '公示' },
      { text: 'ZG2025-012' },
    ];
    const plans: string[] = [];
    for (const filter of filters)
      for (const sort of ['serial', 'deadline'] as const)
        for (const after of [null, sort === 'deadline' ? ['2025-03-01', 5] : [5]]) {
          const sql = ledgerPageSql({ campaignId, filter, sort, today, after, limit: 101 });
          const scans = [...fullScans(sql.page, sql.params), ...fullScans(sql.counts, sql.countParams)];
          if (scans.length) plans.push(`${JSON.stringify({ filter, sort, after })}: ${scans.join('; ')}`);
        }
    expect(plans).toEqual([]);
    // The filters a province uses most read their own index (not the whole campaign's rows).
    const detail = (filter: LedgerFilter) => {
      const sql = ledgerPageSql({ campaignId, filter, sort: 'serial', today, after: null, limit: 101 });
      return (t.backend.db.prepare(`EXPLAIN QUERY PLAN ${sql.page}`).all(sql.params) as Array<{ detail: string }>)
        .map((p) => p.detail)
        .join('\n');
    };
    expect(detail({ overdue: true })).toMatch(/li USING INDEX ledger_items_open_deadline/);
    expect(detail({ state: 'withdrawn' })).toMatch(/li USING INDEX ledger_items_withdrawn/);
    expect(detail({ state: 'closed' })).toMatch(/li USING INDEX ledger_items_campaign_status/);
  });
});
