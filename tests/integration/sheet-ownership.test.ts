/**
 * Whose score sheets exist and which of them count, through the real back end: opening a file never
 * creates a sheet (the organiser and a lead who is not on the file's panel only read it), so the
 * campaign's standard stays changeable until someone answers an item; statistics, letters and the
 * 通报 count delivered and settled sheets only, never an empty or unfinished draft; only someone
 * assigned to a file starts a sheet on it, even in a campaign that has assigned nothing yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBackend, scoreLicencesWithTable, stage, submitPassingRest, type TestBackend } from '../support/backend.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { importCase, score, setupPanel, type Client, type Panel } from '../support/review-setup.js';

let t: TestBackend;
let p: Panel;
const cases: Record<string, string> = {};

beforeAll(async () => {
  t = openTestBackend();
  p = await setupPanel(t.backend);
  // B1 is assigned to 张三 alone, B2 to 李四 alone; B3 to nobody yet.
  cases.B1 = await importCase(t.backend, p, '某许〔2025〕11号', 'license', ['zhang']);
  cases.B2 = await importCase(t.backend, p, '某许〔2025〕12号', 'license', ['li']);
  cases.B3 = await importCase(t.backend, p, '某许〔2025〕13号', 'license', []);
});
afterAll(() => t.close());

const who = (key: string): Client => p.users[key]!.client;
const sheetCount = (caseId: string) =>
  (t.backend.db.prepare('SELECT count(*) AS n FROM sheets WHERE case_id = ?').get(caseId) as { n: number }).n;
const outcome = (caseId: string) => t.backend.services.results.caseOutcome(caseId);

async function licenceVersions(campaignId: string) {
  const current = (await p.admin.call('campaign:get', { campaignId })).standards.find((s) => s.caseType === 'license')!.standardVersionId;
  const other = (await p.admin.call('standard:list', {})).find(
    (s) => s.caseTypes.includes('license') && s.versionId !== current && !s.retired && s.errorCount === 0,
  )!;
  return { current, other: other.versionId };
}

describe('a sheet is a reviewer’s work, never a side effect of reading', () => {
  it('the organiser and an unassigned lead open a file without getting a sheet, and the standard stays changeable', async () => {
    for (const key of ['admin', 'lead'] as const) {
      const c = key === 'admin' ? p.admin : who(key);
      const view = await c.call('sheet:open', { caseId: cases.B1! });
      expect(view).toMatchObject({ sheet: null, editable: false, notice: '您未被分配评查此案卷，仅可查阅。', answers: {} });
      expect(view.definition.caseTypes).toContain('license');
      expect((await c.fail('sheet:start', { caseId: cases.B1! })).code).toBe('forbidden');
    }
    expect(sheetCount(cases.B1!)).toBe(0);
    // In a campaign that assigns its files, a file nobody is assigned to waits for the lead's assignment.
    expect(await p.admin.call('sheet:open', { caseId: cases.B3! })).toMatchObject({
      sheet: null,
      editable: false,
      notice: '此案卷尚未分配评查人员，仅可查阅；如需评分，请评查组长先分配。',
    });
    expect((await p.admin.fail('sheet:start', { caseId: cases.B3! })).code).toBe('forbidden');
    // The assigned reviewer only looking does not start one either.
    expect(await who('zhang').call('sheet:open', { caseId: cases.B1! })).toMatchObject({
      sheet: null,
      editable: true,
      notice: '尚未开始评分：评定任一项目即建立您的评查表。',
    });
    expect(sheetCount(cases.B1!)).toBe(0);
    expect((await who('zhang').call('case:list', { campaignId: p.campaignId })).find((c) => c.id === cases.B1!)!.myScore).toBeNull();

    const { current, other } = await licenceVersions(p.campaignId);
    const changed = await p.admin.call('campaign:setStandard', { campaignId: p.campaignId, caseType: 'license', versionId: other });
    expect(changed.standards.find((s) => s.caseType === 'license')!.standardVersionId).toBe(other);
    await p.admin.call('campaign:setStandard', { campaignId: p.campaignId, caseType: 'license', versionId: current });
  });

  it('a started sheet without answers does not lock the standard: it goes with the change, audited; one answer locks it', async () => {
    const { current, other } = await licenceVersions(p.campaignId);
    const started = await who('zhang').call('sheet:start', { caseId: cases.B1! });
    expect(started.sheet).toMatchObject({ status: 'draft', standardVersionId: current });
    expect((await who('zhang').call('case:list', { campaignId: p.campaignId })).find((c) => c.id === cases.B1!)!.myScore).toBeNull();

    await p.admin.call('campaign:setStandard', { campaignId: p.campaignId, caseType: 'license', versionId: other });
    expect(sheetCount(cases.B1!)).toBe(0);
    expect(
      t.backend.db
        .prepare("SELECT actor_id, campaign_id FROM audit_log WHERE action = 'sheet.remove_empty' AND entity_id = ?")
        .get(started.sheet.id),
    ).toEqual({
      actor_id: expect.any(String),
      campaign_id: p.campaignId,
    });
    await p.admin.call('campaign:setStandard', { campaignId: p.campaignId, caseType: 'license', versionId: current });

    await score(who('zhang'), cases.B1!, { 'xk-2': { status: 'deduct', comment: '未一次性告知补正内容' } });
    const refused = await p.admin.fail('campaign:setStandard', { campaignId: p.campaignId, caseType: 'license', versionId: other });
    expect(refused).toMatchObject({
      code: 'conflict',
      message: '本活动已有 1 份行政许可案卷的评查表按当前标准评分，不能再更换该类案卷的评查标准。',
    });
  });
});

describe('only delivered and settled sheets count', () => {
  it('an empty or unfinished draft is no result: no provisional 100 分 · 优秀 in statistics and letters', async () => {
    // 张三's draft on B1 has one answer; 李四 has started B2 and answered nothing.
    await who('li').call('sheet:start', { caseId: cases.B2! });
    for (const id of [cases.B1!, cases.B2!]) expect(outcome(id)).toMatchObject({ status: 'unscored', result: null });
    expect(outcome(cases.B2!).sheets).toEqual([]);
    const stats = await p.admin.call('stats:campaign', { campaignId: p.campaignId });
    expect(stats).toMatchObject({ fileCount: 3, finalCount: 0, provisionalCount: 0, unscoredCount: 3, average: null });
    expect(stats.grades.reduce((n, g) => n + g.count, 0)).toBe(0);
    const list = await p.admin.call('letter:list', { campaignId: p.campaignId });
    expect(list.units.map((u) => [u.finalCount, u.provisionalCount, u.unscoredCount])).toEqual([[0, 0, 3]]);
  });

  it('the 通报 counts a draft as unscored, not as a result; one of two reviewers delivering gives the file no result yet', async () => {
    // Drafts only: every drawn file is 未评分 (none reads as a provisional 100 分); the 通报 waits for them
    // unless provisional results are included.
    const waiting = await p.admin.fail('letter:export', { campaignId: p.campaignId, kind: 'bulletin', date: '2025-03-05' });
    expect(waiting).toMatchObject({ code: 'conflict', details: { reason: 'results_pending' } });
    expect(waiting.message).toContain('某许〔2025〕11号（未评分）');
    const bulletin = await p.admin.call('letter:export', {
      campaignId: p.campaignId,
      kind: 'bulletin',
      date: '2025-03-05',
      includeProvisional: true,
    });
    expect(bulletin.fileName).toMatch(/\.docx$/);

    // A second reviewer on B1: 张三's delivered sheet is not the file's result while 王五 is still scoring —
    // the file is 评分中 on the board, and the statistics and letters neither count nor print it.
    await p.admin.call('assignment:add', { caseId: cases.B1!, reviewerId: p.users.wang!.id });
    const mine = await who('zhang').call('sheet:start', { caseId: cases.B1! });
    await submitPassingRest(who('zhang'), mine.sheet.id, mine.sheet.revision);
    expect(outcome(cases.B1!)).toMatchObject({ status: 'unscored', result: null });
    const board = await p.admin.call('review:board', { campaignId: p.campaignId });
    expect(board.rows.find((b) => b.caseId === cases.B1!)).toMatchObject({ state: 'scoring', delivered: 1, final: null });
    const stats = await p.admin.call('stats:campaign', { campaignId: p.campaignId });
    expect(stats).toMatchObject({ finalCount: 0, provisionalCount: 0, unscoredCount: 3, average: null });
    const list = await p.admin.call('letter:list', { campaignId: p.campaignId });
    expect(list.units.map((u) => [u.finalCount, u.provisionalCount, u.unscoredCount])).toEqual([[0, 0, 3]]);
    const refused = await p.admin.fail('letter:export', { campaignId: p.campaignId, kind: 'bulletin', date: '2025-03-05' });
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringContaining('某许〔2025〕11号（未评分）') });
    expect(refused.message).toContain('某许〔2025〕12号（未评分）');
    const withProvisional = await p.admin.call('letter:preview', {
      campaignId: p.campaignId,
      kind: 'bulletin',
      includeProvisional: true,
    });
    expect(withProvisional.doc.notes.provisionalFiles).toEqual([]);

    // 王五 delivers the same answers: both sheets are in and agree, so the file is settled as it stands.
    const his = await who('wang').call('sheet:start', { caseId: cases.B1! });
    let revision = his.sheet.revision;
    for (const [itemId, answer] of Object.entries(
      await who('zhang')
        .call('sheet:open', { caseId: cases.B1! })
        .then((v) => v.answers),
    ))
      revision = (await who('wang').call('sheet:answer', { sheetId: his.sheet.id, itemId, answer, revision })).revision;
    await who('wang').call('sheet:submit', { sheetId: his.sheet.id, revision });
    expect(outcome(cases.B1!)).toMatchObject({ status: 'final', result: { total: 90, grade: '优秀' } });
    expect(await p.admin.call('stats:campaign', { campaignId: p.campaignId })).toMatchObject({ finalCount: 1, unscoredCount: 2 });
  });
});

describe('a campaign without assignments', () => {
  it('gives the organiser, who is not on the panel, no sheet: a read-only view, and sheet:start is refused', async () => {
    const campaign = await p.admin.call('campaign:create', { name: '2025年度专项评查', year: 2025, issuingBody: '某某县司法局' });
    const sourceId = await stage(t.backend, p.admin, '案卷.pdf', await dossierPdf(2, '行政许可案卷'));
    await scoreLicencesWithTable(p.admin, campaign.id);
    const kase = await p.admin.call('dossier:importSingle', {
      campaignId: campaign.id,
      sourceId,
      caseNumber: '某许〔2025〕30号',
      unitName: '某某县市场监督管理局',
      caseType: 'license',
    });
    expect(await p.admin.call('sheet:open', { caseId: kase.id })).toMatchObject({
      sheet: null,
      editable: false,
      notice: '您未被分配评查此案卷，仅可查阅。',
    });
    const refused = await p.admin.fail('sheet:start', { caseId: kase.id });
    expect(refused).toMatchObject({ code: 'forbidden', message: '您未被分配评查此案卷，仅可查阅。', details: { reason: 'not_assigned' } });
    // The lead reconciles without a sheet too; once assigned, the lead scores like any reviewer.
    expect((await who('lead').fail('sheet:start', { caseId: kase.id })).code).toBe('forbidden');
    expect(sheetCount(kase.id)).toBe(0);
    await p.admin.call('panel:setMembers', { campaignId: campaign.id, userIds: [p.users.lead!.id] });
    await p.admin.call('assignment:add', { caseId: kase.id, reviewerId: p.users.lead!.id });
    await score(who('lead'), kase.id, { 'xk-2': { status: 'deduct', comment: '未一次性告知补正内容' } });
    expect((await who('lead').call('sheet:open', { caseId: kase.id })).sheet).toMatchObject({
      status: 'draft',
      reviewerId: p.users.lead!.id,
    });
    expect(sheetCount(kase.id)).toBe(1);
  });
});

describe('a reviewer’s campaign counts', () => {
  it('are their own files and units, never the campaign’s other files', async () => {
    // 张三 has B1 only; the campaign holds B1–B3 (and the organiser counts all three).
    const mine = (await who('zhang').call('campaign:list', {})).find((c) => c.id === p.campaignId)!;
    expect(mine).toMatchObject({ caseCount: 1, unitCount: 1 });
    expect(await who('zhang').call('campaign:get', { campaignId: p.campaignId })).toMatchObject({ caseCount: 1, unitCount: 1 });
    expect((await p.admin.call('campaign:list', {})).find((c) => c.id === p.campaignId)).toMatchObject({ caseCount: 3 });
    expect((await who('lead').call('campaign:get', { campaignId: p.campaignId })).caseCount).toBe(3);
  });
});
