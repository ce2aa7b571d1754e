/**
 * The stored results of every sheet and file (what the results board, the case list's state filter
 * and the statistics read instead of scoring every answer) always equal the result computed from the
 * file's own rows, after every kind of change: an answer, a delivery, a reopening, the panel's 合议
 * decision and its withdrawal, new rules, a new assignment, and a reviewer's work package imported
 * from their laptop. A change that marked no file stale would leave a stored row behind and fail here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, setupAdmin, submitPassingRest } from '../support/backend.js';
import { exportPackage, importConfirming, importPackage, openWorkstation, rows, type Workstation } from '../support/packages.js';
import { comparable, fromTables } from '../support/agreement-oracle.js';
import { campaignStatistics } from '../../shared/letters/statistics.js';
import { importCase, PANEL_PASSWORD, score, setupPanel, type Client, type Panel } from '../support/review-setup.js';

const LAPTOP_PASSWORD = 'Laptop2025!';

let lead!: Workstation;
let p: Panel;
const cases: Record<string, string> = {};
const opened: Workstation[] = [];

const who = (key: string): Client => p.users[key]!.client;

interface Stored {
  case_id: string;
  state: string;
  delivered: number;
  outcome: string;
  total: number | null;
  grade: string | null;
  vetoed: number | null;
  final_total: number | null;
  final_grade: string | null;
}

/**
 * Reads the board (which writes stale files first), then compares each stored file and sheet with
 * the file's screen (review:case, computed live) and its result as letters quote it (computed live).
 */
async function expectStoredCurrent(ws: Workstation, c: Client, campaignId: string): Promise<Stored[]> {
  const board = (await c.call('review:board', { campaignId })).rows;
  expect(rows(ws.backend, 'SELECT case_id FROM summary_stale')).toEqual([]);
  const stored = rows(ws.backend, 'SELECT * FROM case_summaries WHERE campaign_id = ? ORDER BY case_id', campaignId) as unknown as Stored[];
  expect(stored.map((s) => s.case_id)).toEqual(
    rows(ws.backend, 'SELECT id FROM cases WHERE campaign_id = ? ORDER BY id', campaignId).map((r) => r.id),
  );
  for (const s of stored) {
    const o = ws.backend.services.results.caseOutcome(s.case_id);
    expect({ outcome: s.outcome, total: s.total, grade: s.grade, vetoed: s.vetoed }).toEqual({
      outcome: o.status,
      total: o.result?.total ?? null,
      grade: o.result?.grade ?? null,
      vetoed: o.result ? Number(o.result.vetoed) : null,
    });
    const review = await c.call('review:case', { caseId: s.case_id });
    expect({ state: s.state, delivered: s.delivered, final_total: s.final_total, final_grade: s.final_grade }).toEqual({
      state: review.state,
      delivered: review.delivered,
      final_total: review.final?.summary.total ?? null,
      final_grade: review.final?.summary.grade ?? null,
    });
    const row = board.find((b) => b.caseId === s.case_id);
    if (row) expect({ state: row.state, delivered: row.delivered }).toEqual({ state: review.state, delivered: review.delivered });
    const sheets = rows(
      ws.backend,
      'SELECT x.sheet_id, x.status, x.answered, x.total, x.grade FROM sheet_summaries x WHERE x.case_id = ? ORDER BY x.sheet_id',
      s.case_id,
    );
    expect(sheets).toEqual(
      [...review.sheets]
        .sort((a, b) => (a.sheetId < b.sheetId ? -1 : 1))
        .map((x) => ({
          sheet_id: x.sheetId,
          status: x.status,
          answered: x.answeredCount,
          total: x.answeredCount ? (x.summary?.total ?? null) : null,
          grade: x.answeredCount ? (x.summary?.grade ?? null) : null,
        })),
    );
  }
  // The agreement screen's kept sums equal the report from every delivered sheet and agreed answer.
  const kept = ws.backend.services.review.agreement(campaignId);
  expect(
    comparable({
      ...kept,
      items: kept.items.map(({ standardName: _n, ...i }) => i),
      raters: kept.raters.map(({ raterName: _n, ...r }) => r),
    }),
  ).toEqual(comparable(fromTables(ws.backend.db, campaignId)));
  // The statistics' outcomes, read from the stored rows, equal those scored from every answer.
  const shape = (list: ReturnType<typeof ws.backend.services.results.campaignOutcomes>) =>
    list.map((o) => ({
      caseId: o.caseId,
      status: o.status,
      standardVersionId: o.standardVersionId,
      result: o.result && {
        total: o.result.total,
        max: o.result.max,
        grade: o.result.grade,
        vetoed: o.result.vetoed,
        problems: o.result.problems,
      },
      sheets: [...o.sheets].sort((a, b) => (a.sheetId < b.sheetId ? -1 : 1)),
    }));
  expect(shape(ws.backend.services.results.storedOutcomes(campaignId))).toEqual(
    shape(ws.backend.services.results.campaignOutcomes(campaignId)),
  );
  expectStatisticsCurrent(ws, campaignId);
  return stored;
}

/**
 * The statistics screen, read as narrow rows of the stored results, equals the same arithmetic over
 * the letters' full facts: those of the stored outcomes (what it read before) and those scored afresh.
 * (The service itself: a laptop's reviewer may not open the statistics screen.)
 */
function expectStatisticsCurrent(ws: Workstation, campaignId: string): void {
  const statistics = ws.backend.services.letters.statistics(campaignId);
  // Asked again with nothing written in between, the figures are the ones kept, not computed again.
  expect(ws.backend.services.letters.statistics(campaignId)).toBe(statistics);
  const facts = ws.backend.services.campaignFacts;
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
}

const stateOf = (stored: Stored[], key: string) => stored.find((s) => s.case_id === cases[key])!.state;

beforeAll(async () => {
  lead = openWorkstation('lead');
  p = await setupPanel(lead.backend);
  await who('lead').call('key:create', { password: PANEL_PASSWORD });
  // C1 and C3 go to 张三 and 李四, C2 to 张三 alone.
  cases.C1 = await importCase(lead.backend, p, '某许〔2025〕1号', 'license', ['zhang', 'li']);
  cases.C2 = await importCase(lead.backend, p, '某许〔2025〕2号', 'license', ['zhang']);
  cases.C3 = await importCase(lead.backend, p, '某许〔2025〕3号', 'license', ['zhang', 'li']);
}, 120_000);

afterAll(() => {
  for (const ws of [lead, ...opened]) ws?.close();
});

describe('stored results of sheets and files', () => {
  it('are written for registered and assigned files', async () => {
    const stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stored.map((s) => s.state)).toEqual(['unscored', 'unscored', 'unscored']);
  });

  it('follow an answer, a delivery that settles a file, and a delivery that waits for the second reviewer', async () => {
    const s2 = await score(who('zhang'), cases.C2!, { 'xk-2': { status: 'deduct', comment: '未一次性告知补正材料' } });
    let stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stateOf(stored, 'C2')).toBe('scoring');
    // A further answer on a sheet already begun changes only its answers.
    const more = await who('zhang').call('sheet:answer', {
      sheetId: s2.sheetId,
      itemId: 'xk-12.5',
      answer: { status: 'deduct', comment: '无页号' },
      revision: s2.revision,
    });
    await expectStoredCurrent(lead, who('lead'), p.campaignId);
    await submitPassingRest(who('zhang'), s2.sheetId, more.revision);
    const s1 = await score(who('zhang'), cases.C1!, { 'xk-12.5': { status: 'deduct', comment: '无页号' } });
    await submitPassingRest(who('zhang'), s1.sheetId, s1.revision);
    stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stateOf(stored, 'C2')).toBe('final');
    expect(stored.find((s) => s.case_id === cases.C2)).toMatchObject({ outcome: 'final', final_total: 88.5 });
    // One of its two reviewers has delivered: the file is 评分中 and has no result yet, not even a provisional one.
    expect(stored.find((s) => s.case_id === cases.C1)).toMatchObject({ state: 'scoring', outcome: 'unscored', total: null });
  });

  it('follow a divergence, the panel’s decisions, its withdrawal and a reopened sheet', async () => {
    const s = await score(who('li'), cases.C1!, { 'xk-5': { status: 'deduct', comment: '未依法受理' } });
    await submitPassingRest(who('li'), s.sheetId, s.revision);
    let stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stateOf(stored, 'C1')).toBe('flagged');
    // The case list's state filter reads the same stored state.
    const flagged = await who('lead').call('case:page', { campaignId: p.campaignId, filter: { state: 'flagged' } });
    expect(flagged.rows.map((r) => r.id)).toEqual([cases.C1]);

    const view = await who('lead').call('reconcile:open', { caseId: cases.C1! });
    let rev = view.review.revision;
    rev = (
      await who('lead').call('reconcile:answer', {
        caseId: cases.C1!,
        itemId: 'xk-5',
        answer: { status: 'deduct', comment: '未依法受理' },
        note: '',
        revision: rev,
      })
    ).revision;
    stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stateOf(stored, 'C1')).toBe('flagged');
    rev = (
      await who('lead').call('reconcile:answer', {
        caseId: cases.C1!,
        itemId: 'xk-12.5',
        answer: { status: 'pass' },
        note: '',
        revision: rev,
      })
    ).revision;
    await who('lead').call('reconcile:finalise', { caseId: cases.C1!, note: '合议意见', revision: rev });
    stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stored.find((x) => x.case_id === cases.C1)).toMatchObject({ state: 'final', outcome: 'final', final_total: 85 });

    await who('lead').call('reconcile:withdraw', { caseId: cases.C1!, reason: '被评查单位补充了材料' });
    stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stored.find((x) => x.case_id === cases.C1)).toMatchObject({ state: 'flagged', outcome: 'provisional', final_total: null });
    await who('lead').call('sheet:reopen', { sheetId: s.sheetId, reason: '第5项请结合补充材料重新评定' });
    stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stateOf(stored, 'C1')).toBe('scoring');
  });

  it('follow new rules and a reviewer assigned to a settled file', async () => {
    const rules = await who('lead').call('review:rules', { campaignId: p.campaignId });
    await who('lead').call('review:setRules', { campaignId: p.campaignId, rules: { ...rules, requiredSheets: 1 } });
    await expectStoredCurrent(lead, who('lead'), p.campaignId);
    await p.admin.call('assignment:add', { caseId: cases.C2!, reviewerId: p.users.li!.id });
    await expectStoredCurrent(lead, who('lead'), p.campaignId);
    await score(who('li'), cases.C2!, { 'xk-1': { status: 'pass' } });
    const stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stored.find((x) => x.case_id === cases.C2)).toMatchObject({ state: 'scoring', outcome: 'unscored' });
  });

  it('are written again for every file when the workspace opens after the upgrade that adds them', async () => {
    // What the migration leaves behind on a workspace scored before: no stored rows, every file stale.
    lead.backend.db.exec('DELETE FROM sheet_summaries; DELETE FROM case_summaries; INSERT INTO summary_stale SELECT id FROM cases;');
    expect(lead.backend.services.review.refreshSummaries()).toBe(3);
    expect(rows(lead.backend, 'SELECT count(*) AS n FROM summary_stale')).toEqual([{ n: 0 }]);
    await expectStoredCurrent(lead, who('lead'), p.campaignId);
  });

  it('follow a reviewer’s work package scored on a laptop and merged back', async () => {
    const out = await exportPackage(lead.backend, who('lead'), 'package:exportOut', {
      campaignId: p.campaignId,
      reviewerId: p.users.li!.id,
      password: PANEL_PASSWORD,
    });
    const laptop = openWorkstation('li');
    opened.push(laptop);
    const admin = await setupAdmin(laptop.backend, 'admin');
    const preview = await importPackage(laptop.backend, admin, out, { dryRun: true });
    expect(
      await importPackage(laptop.backend, admin, out, { reviewerPassword: LAPTOP_PASSWORD, trustSigner: preview.signer.fingerprint }),
    ).toMatchObject({ outcome: 'applied' });
    const li = client(laptop.backend, 'li-laptop');
    await li.call('auth:login', { username: 'li', password: LAPTOP_PASSWORD });
    await li.call('key:create', { password: LAPTOP_PASSWORD });
    // The laptop's own stored results are those of the files it received.
    await expectStoredCurrent(laptop, li, p.campaignId);
    const s = await score(li, cases.C3!, { 'xk-12.1': { status: 'deduct', comment: '卷内目录不全' } });
    await submitPassingRest(li, s.sheetId, s.revision);
    const back = await exportPackage(laptop.backend, li, 'package:exportReturn', { campaignId: p.campaignId, password: LAPTOP_PASSWORD });

    expect((await importConfirming(lead.backend, who('lead'), back)).outcome).toBe('applied');
    const stored = await expectStoredCurrent(lead, who('lead'), p.campaignId);
    expect(stored.find((x) => x.case_id === cases.C3)).toMatchObject({ state: 'scoring', outcome: 'unscored', delivered: 1 });
  });

  it('follow a veto delivered beside a deduction, which the statistics count alone', async () => {
    cases.C4 = await importCase(lead.backend, p, '某检〔2025〕4号', 'inspection', ['zhang']);
    const s = await score(who('zhang'), cases.C4, {
      'ckjc-F1': { status: 'veto', comment: '检查人员不具备执法资格' },
      'ckjc-1.1': { status: 'deduct', occurrences: 1, comment: '检查记录缺签名' },
    });
    await submitPassingRest(who('zhang'), s.sheetId, s.revision);
    expectStatisticsCurrent(lead, p.campaignId);
    // Two answers, yet the score sheet reads every item settled: the veto decides the file.
    await expectStoredCurrent(lead, who('lead'), p.campaignId);
    const view = await who('lead').call('review:case', { caseId: cases.C4 });
    expect(view.sheets[0]!.answeredCount).toBe(view.sheets[0]!.itemCount);
    expect(rows(lead.backend, 'SELECT answered FROM sheet_summaries WHERE sheet_id = ?', s.sheetId)).toEqual([
      { answered: view.sheets[0]!.itemCount },
    ]);
    expect(view.sheets[0]!.itemCount).toBeGreaterThan(2);
    const statistics = await who('lead').call('stats:campaign', { campaignId: p.campaignId });
    expect(statistics.items.filter((i) => i.itemCode.startsWith('F') || i.vetoCount > 0)).toHaveLength(1);
    expect(statistics.items.some((i) => i.itemText.includes('签名') && i.vetoCount === 0 && i.count === 1)).toBe(false);
  });
});
