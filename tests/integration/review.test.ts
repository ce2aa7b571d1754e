/**
 * Scoring and reconciliation through the real back end: delivering, blind review, divergence,
 * 复核 by a named person, the panel's agreed answers, the final result the letters read, reopening,
 * withdrawing, and agreement statistics.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../shared/scoring/scoring.js';
import { openTestBackend, scoreWithStandard, submitPassingRest, type TestBackend } from '../support/backend.js';
import { TEST_STANDARD, allPass } from '../support/review-fixtures.js';
import { importCase, openBackendWithStandards, score, setupPanel, type Client, type Panel } from '../support/review-setup.js';

let t: TestBackend;
let p: Panel;
const cases: Record<string, string> = {};

beforeAll(async () => {
  t = openTestBackend();
  p = await setupPanel(t.backend);
  // A1 and A4 are assigned to 张三 alone, A2 and A3 to 张三 and 李四.
  for (const n of ['A1', 'A2', 'A3', 'A4'])
    cases[n] = await importCase(
      t.backend,
      p,
      `某许〔2025〕${n.slice(1)}号`,
      'license',
      n === 'A1' || n === 'A4' ? ['zhang'] : ['zhang', 'li'],
    );
});
afterAll(() => t.close());

const who = (key: string): Client => p.users[key]!.client;

async function scoreAndSubmit(c: Client, caseId: string, answers: Record<string, Answer>) {
  const s = await score(c, caseId, answers);
  return submitPassingRest(c, s.sheetId, s.revision);
}

const outcome = (caseId: string) => t.backend.services.results.caseOutcome(caseId);

describe('one reviewer, one file', () => {
  it('refuses to deliver an incomplete sheet, then delivers with the rest answered 符合 and settles the file', async () => {
    const s = await score(who('zhang'), cases.A1!, {
      'xk-2': { status: 'deduct', comment: '未一次性告知补正材料' },
      'xk-12.5': { status: 'deduct', comment: '卷内材料无页号' },
    });
    const refused = await who('zhang').fail('sheet:submit', { sheetId: s.sheetId, revision: s.revision });
    expect(refused).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^还有 17 项未评定（第 1、3、4、5/) });

    const done = await submitPassingRest(who('zhang'), s.sheetId, s.revision);
    expect(done.summary).toMatchObject({ total: 88.5, grade: '合格', unansweredCount: 0 });
    // One delivered sheet, no veto: final as it stands, and the sheet is final too.
    expect(done.sheet.status).toBe('final');
    const o = outcome(cases.A1!);
    expect(o.status).toBe('final');
    expect(o.result).toMatchObject({ total: 88.5, grade: '合格' });
    expect(o.result!.problems.map((x) => x.code)).toEqual(['2', '12.5']);
    expect((await who('zhang').call('review:case', { caseId: cases.A1! })).final).toMatchObject({
      source: 'auto',
      summary: { total: 88.5 },
    });
  });

  it('locks a delivered sheet against its reviewer and against everyone else', async () => {
    const view = await who('zhang').call('sheet:start', { caseId: cases.A1! });
    expect(view.editable).toBe(false);
    const e = await who('zhang').fail('sheet:answer', {
      sheetId: view.sheet.id,
      itemId: 'xk-1',
      answer: { status: 'deduct' },
      revision: view.sheet.revision,
    });
    expect(e).toMatchObject({ code: 'locked', message: '该案卷已定分，评查表不能再修改。' });
    const other = await who('li').fail('sheet:answer', {
      sheetId: view.sheet.id,
      itemId: 'xk-1',
      answer: { status: 'pass' },
      revision: view.sheet.revision,
    });
    expect(other.code).toBe('forbidden');
  });
});

describe('several reviewers, one file', () => {
  it('keeps reviewers blind until they deliver; the lead sees everything', async () => {
    const documentId = (await who('zhang').call('case:get', { caseId: cases.A2! })).documents[0]!.id;
    const markId = randomUUID();
    await who('zhang').call('annotation:save', {
      documentId,
      upserts: [{ id: markId, type: 'area', color: '#ffd400', pageIndex: 0, position: { rects: [[72, 600, 300, 700]] } }],
      deletes: [],
    });
    await scoreAndSubmit(who('zhang'), cases.A2!, { 'xk-12.5': { status: 'deduct', comment: '无页号', evidence: [markId] } }); // 98.5 优秀
    // 李四 is assigned too and has not even opened the file: it waits for him.
    expect(await who('lead').call('review:case', { caseId: cases.A2! })).toMatchObject({ state: 'scoring', delivered: 1, required: 2 });
    // Until he delivers, the file has no result: one reviewer's sheet is not the file's (provisional or otherwise).
    expect(outcome(cases.A2!)).toMatchObject({ status: 'unscored', result: null });
    const s = await score(who('li'), cases.A2!, { 'xk-5': { status: 'deduct', comment: '未依法受理' } });
    // Not even 张三's marks show before 李四 delivers; the lead sees them.
    expect(await who('li').call('annotation:list', { documentId })).toEqual([]);
    expect((await who('lead').call('annotation:list', { documentId })).map((a) => a.id)).toEqual([markId]);
    const blind = await who('li').call('review:case', { caseId: cases.A2! });
    expect(blind.seesAll).toBe(false);
    expect(blind.state).toBe('scoring');
    const zhangRow = blind.sheets.find((x) => x.reviewerName === '张三')!;
    expect(zhangRow).toMatchObject({ status: 'submitted', summary: null });
    expect(blind.sheets.find((x) => x.reviewerName === '李四')!.summary).toMatchObject({ total: 85 });
    expect((await who('li').fail('reconcile:open', { caseId: cases.A2! })).code).toBe('forbidden');
    expect((await who('observer').call('review:case', { caseId: cases.A2! })).sheets.every((x) => x.summary === null)).toBe(true);
    const lead = await who('lead').call('review:case', { caseId: cases.A2! });
    expect(lead.sheets.find((x) => x.reviewerName === '张三')!.summary).toMatchObject({ total: 98.5, grade: '优秀' });

    await submitPassingRest(who('li'), s.sheetId, s.revision);
    const seen = await who('li').call('review:case', { caseId: cases.A2! });
    expect(seen.seesAll).toBe(true);
    expect((await who('li').call('annotation:list', { documentId })).map((a) => a.id)).toEqual([markId]);
    expect(seen.sheets.find((x) => x.reviewerName === '张三')!.summary).toMatchObject({ total: 98.5 });
  });

  it('flags different grade bands and a spread over 5 points for 复核', async () => {
    const r = await who('lead').call('review:case', { caseId: cases.A2! });
    expect(r).toMatchObject({ state: 'flagged', route: 'recheck', routeChosen: false, canReconcile: true, delivered: 2 });
    expect(r.reasons).toEqual(['评定等次不一致（优秀、合格）', '总分相差 13.5 分，超过 5 分']);
    expect(outcome(cases.A2!).status).toBe('provisional');
    const board = (await who('zhang').call('review:board', { campaignId: p.campaignId })).rows;
    expect(board.find((b) => b.caseId === cases.A2!)).toMatchObject({ state: 'flagged', route: 'recheck', final: null, delivered: 2 });
    expect(board.find((b) => b.caseId === cases.A1!)).toMatchObject({ state: 'final', final: { total: 88.5, grade: '合格' } });
  });

  it('the lead names a 复核 person, who sets the agreed answers and settles the file; every sheet stays as it was', async () => {
    const before = t.backend.db
      .prepare(
        'SELECT sheet_id, item_id, answer_json FROM sheet_answers WHERE sheet_id IN (SELECT id FROM sheets WHERE case_id = ?) ORDER BY 1, 2',
      )
      .all(cases.A2!);
    // 王五 is not assigned to the file: he cannot open it, and his case list and board do not show it.
    expect((await who('wang').fail('case:get', { caseId: cases.A2! })).code).toBe('forbidden');
    expect((await who('wang').call('review:board', { campaignId: p.campaignId })).rows).toEqual([]);
    const r0 = await who('lead').call('review:case', { caseId: cases.A2! });
    expect(
      (await who('lead').fail('review:route', { caseId: cases.A2!, route: 'recheck', assigneeId: null, revision: r0.revision })).message,
    ).toBe('复核须指定复核人。');
    const routed = await who('lead').call('review:route', {
      caseId: cases.A2!,
      route: 'recheck',
      assigneeId: p.users.wang!.id,
      revision: r0.revision,
    });
    expect(routed).toMatchObject({ route: 'recheck', routeChosen: true, assignee: { name: '王五' } });
    expect(
      (await who('lead').fail('review:route', { caseId: cases.A2!, route: 'panel', assigneeId: null, revision: r0.revision })).code,
    ).toBe('conflict');

    // Named for 复核, 王五 may now open the file and its PDF, see every sheet and decide; 张三 may look but not decide.
    expect((await who('wang').call('case:get', { caseId: cases.A2! })).caseNumber).toBe('某许〔2025〕2号');
    expect((await who('wang').call('review:board', { campaignId: p.campaignId })).rows.map((b) => b.caseId)).toEqual([cases.A2!]);
    const view = await who('wang').call('reconcile:open', { caseId: cases.A2! });
    expect(view.editable).toBe(true);
    expect(view.sheets.map((s) => s.summary.total)).toEqual([98.5, 85]);
    expect(view.proposal.undecided).toEqual(['xk-5', 'xk-12.5']);
    expect(view.proposal.answers['xk-1']).toEqual({ status: 'pass' });
    expect((await who('zhang').call('reconcile:open', { caseId: cases.A2! })).editable).toBe(false);
    expect(
      (
        await who('zhang').fail('reconcile:answer', {
          caseId: cases.A2!,
          itemId: 'xk-5',
          answer: { status: 'pass' },
          revision: view.review.revision,
        })
      ).code,
    ).toBe('forbidden');

    let rev = view.review.revision;
    const early = await who('wang').fail('reconcile:finalise', { caseId: cases.A2!, note: '', revision: rev });
    expect(early).toMatchObject({ code: 'conflict', message: '还有 2 个分歧项目未确定合议结果（第 5、12.5 项），请逐项确定后再定分。' });
    const a = await who('wang').call('reconcile:answer', {
      caseId: cases.A2!,
      itemId: 'xk-5',
      answer: { status: 'deduct', comment: '未依法受理' },
      note: '采纳李四意见',
      revision: rev,
    });
    expect(a.summary.total).toBe(85);
    rev = a.revision;
    expect(
      (await who('wang').fail('reconcile:answer', { caseId: cases.A2!, itemId: 'xk-12.5', answer: { status: 'pass' }, revision: rev - 1 }))
        .code,
    ).toBe('conflict');
    const b = await who('wang').call('reconcile:answer', {
      caseId: cases.A2!,
      itemId: 'xk-12.5',
      answer: { status: 'deduct', comment: '无页号' },
      note: '',
      revision: rev,
    });
    expect(b.summary).toMatchObject({ total: 83.5, grade: '合格' });
    const done = await who('wang').call('reconcile:finalise', {
      caseId: cases.A2!,
      note: '复核意见：两项问题均成立',
      revision: b.revision,
    });
    expect(done).toMatchObject({
      state: 'final',
      final: { source: 'panel', summary: { total: 83.5, grade: '合格' }, finalisedByName: '王五', note: '复核意见：两项问题均成立' },
    });

    const o = outcome(cases.A2!);
    expect(o).toMatchObject({ status: 'final', result: { total: 83.5, grade: '合格' } });
    expect(o.result!.problems.map((x) => [x.code, x.comment])).toEqual([
      ['5', '未依法受理'],
      ['12.5', '无页号'],
    ]);
    expect(o.sheets.map((s) => s.status)).toEqual(['final', 'final']);
    const after = t.backend.db
      .prepare(
        'SELECT sheet_id, item_id, answer_json FROM sheet_answers WHERE sheet_id IN (SELECT id FROM sheets WHERE case_id = ?) ORDER BY 1, 2',
      )
      .all(cases.A2!);
    expect(after).toEqual(before);
    expect(
      t.backend.db
        .prepare(
          "SELECT count(*) AS n FROM audit_log WHERE entity = 'case' AND entity_id = ? AND action IN ('review.route', 'reconcile.answer', 'review.settle')",
        )
        .get(cases.A2!),
    ).toEqual({ n: 4 });
  });

  it('a settled file cannot change until the lead withdraws the result; then a sheet can be reopened with a reason', async () => {
    const zhang = await who('zhang').call('sheet:start', { caseId: cases.A2! });
    expect((await who('lead').fail('sheet:reopen', { sheetId: zhang.sheet.id, reason: '请复核' })).message).toBe(
      '该案卷已定分，请先撤销定分结果，再退回评查表。',
    );
    expect((await who('zhang').fail('reconcile:withdraw', { caseId: cases.A2!, reason: 'x' })).code).toBe('forbidden');
    expect((await who('lead').fail('reconcile:withdraw', { caseId: cases.A2!, reason: ' ' })).message).toBe('理由：请填写撤销理由');
    const w = await who('lead').call('reconcile:withdraw', { caseId: cases.A2!, reason: '被评查单位补充了材料' });
    expect(w).toMatchObject({ state: 'flagged', final: null });
    expect(outcome(cases.A2!).status).toBe('provisional');

    expect((await who('zhang').fail('sheet:reopen', { sheetId: zhang.sheet.id, reason: '我想改' })).code).toBe('forbidden');
    const reopened = await who('lead').call('sheet:reopen', { sheetId: zhang.sheet.id, reason: '第5项请结合补充材料重新评定' });
    expect(reopened).toMatchObject({ status: 'reopened', reopenReason: '第5项请结合补充材料重新评定', reopenedByName: '赵组长' });
    const again = await who('zhang').call('sheet:start', { caseId: cases.A2! });
    expect(again.editable).toBe(true);
    const changed = await who('zhang').call('sheet:answer', {
      sheetId: again.sheet.id,
      itemId: 'xk-5',
      answer: { status: 'deduct', comment: '确未受理' },
      revision: again.sheet.revision,
    });
    expect(changed.summary.total).toBe(83.5);
    expect((await who('lead').call('review:case', { caseId: cases.A2! })).state).toBe('scoring');
    await who('zhang').call('sheet:submit', { sheetId: again.sheet.id, revision: changed.revision });
    // 83.5 vs 85, same grade: no rule fires, but item 12.5 still differs, so the lead confirms it;
    // the panel's earlier decisions were kept as a draft and settle it at once.
    const flagged = await who('lead').call('reconcile:open', { caseId: cases.A2! });
    expect(flagged.review).toMatchObject({ state: 'flagged', route: 'confirm', reasons: ['1 个评查项目评定不一致，需组长确认'] });
    expect(flagged.proposal.undecided).toEqual(['xk-12.5']);
    expect(flagged.agreed['xk-12.5']).toMatchObject({ origin: 'panel', decidedByName: '王五' });
    const settled = await who('lead').call('reconcile:finalise', { caseId: cases.A2!, note: '', revision: flagged.review.revision });
    expect(settled).toMatchObject({ state: 'final', final: { source: 'panel', summary: { total: 83.5 }, finalisedByName: '赵组长' } });
    const actions = t.backend.db
      .prepare("SELECT action FROM audit_log WHERE (entity = 'sheet' AND entity_id = ?) OR (entity = 'case' AND entity_id = ?) ORDER BY id")
      .all(zhang.sheet.id, cases.A2!) as Array<{ action: string }>;
    expect(actions.map((a) => a.action).slice(-5)).toEqual([
      'review.withdraw',
      'sheet.reopen',
      'sheet.answer',
      'sheet.submit',
      'review.settle',
    ]);
  });

  it('item-level disagreement, when switched on, sends a file to 集体评议', async () => {
    const rules = await who('lead').call('review:rules', { campaignId: p.campaignId });
    expect(rules.spread).toEqual({ enabled: true, threshold: 5, route: 'recheck' });
    expect((await who('zhang').fail('review:setRules', { campaignId: p.campaignId, rules })).code).toBe('forbidden');
    const bad = await who('lead').fail('review:setRules', {
      campaignId: p.campaignId,
      rules: { ...rules, spread: { enabled: true, threshold: -2, route: 'recheck' } },
    });
    expect(bad).toMatchObject({ code: 'invalid_input', message: '分歧规则 › 总分差 › 分差：分差不能为负' });
    await who('lead').call('review:setRules', {
      campaignId: p.campaignId,
      rules: { ...rules, items: { enabled: true, minItems: 1, route: 'panel' } },
    });
    await scoreAndSubmit(who('zhang'), cases.A3!, { 'xk-12.1': { status: 'deduct', comment: '卷内目录不全' } });
    await scoreAndSubmit(who('li'), cases.A3!, {});
    expect(await who('lead').call('review:case', { caseId: cases.A3! })).toMatchObject({
      state: 'flagged',
      route: 'panel',
      reasons: ['1 个评查项目评定不一致'],
    });
  });

  it('the lead, not assigned, only reads a settled file; a reviewer assigned later withdraws the settlement by scoring', async () => {
    await scoreAndSubmit(who('zhang'), cases.A4!, {});
    expect(outcome(cases.A4!).status).toBe('final');
    // Opening the file gives the lead no sheet and no way to start one: he is not on its panel.
    const opened = await who('lead').call('sheet:open', { caseId: cases.A4! });
    expect(opened).toMatchObject({ sheet: null, editable: false, notice: '您未被分配评查此案卷，仅可查阅。' });
    expect(await who('lead').fail('sheet:start', { caseId: cases.A4! })).toMatchObject({
      code: 'forbidden',
      message: '您未被分配评查此案卷，仅可查阅。',
    });
    expect(t.backend.db.prepare('SELECT count(*) AS n FROM sheets WHERE case_id = ?').get(cases.A4!)).toEqual({ n: 1 });
    expect(outcome(cases.A4!).sheets.map((s) => s.reviewerName)).toEqual(['张三']);
    // 李四 is assigned afterwards: opening changes nothing, his first answer withdraws the settlement.
    await p.admin.call('assignment:add', { caseId: cases.A4!, reviewerId: p.users.li!.id });
    expect(await who('li').call('sheet:open', { caseId: cases.A4! })).toMatchObject({ sheet: null, editable: true });
    expect(outcome(cases.A4!).status).toBe('final');
    await score(who('li'), cases.A4!, { 'xk-1': { status: 'pass' } });
    // The file is being scored again: it has no result until 李四 delivers.
    expect(outcome(cases.A4!)).toMatchObject({ status: 'unscored', result: null });
    expect((await who('lead').call('review:case', { caseId: cases.A4! })).state).toBe('scoring');
  });
});

describe('agreement statistics', () => {
  it('per reviewer and per item over the campaign', async () => {
    const stats = await who('lead').call('review:agreement', { campaignId: p.campaignId });
    expect(stats.files).toBe(2); // A2 and A3 have two delivered sheets
    const zhang = stats.raters.find((r) => r.raterName === '张三')!;
    expect(zhang).toMatchObject({ files: 2, comparisons: 38 });
    // A2 and A3 each differ on one item of 19.
    expect(zhang.agreeShare).toBeCloseTo(36 / 38, 12);
    const item = stats.items.find((i) => i.itemId === 'xk-12.1')!;
    expect(item).toMatchObject({ files: 2, agreeShare: 0.5, meanAbsDiff: 0.75, standardName: '行政许可案卷评分表' });
    expect((await who('zhang').fail('review:agreement', { campaignId: p.campaignId })).code).toBe('forbidden');
  });
});

describe('vetoes', () => {
  it("a single reviewer's veto goes to 集体评议; the panel confirms it and the file fails with 0", async () => {
    const v = openBackendWithStandards([TEST_STANDARD]);
    try {
      const panel = await setupPanel(v.backend);
      await scoreWithStandard(panel.admin, panel.campaignId, 'penalty_general', TEST_STANDARD.standardId);
      const caseId = await importCase(v.backend, panel, '某罚〔2025〕8号', 'penalty_general', ['zhang']);
      const zhang = panel.users.zhang!.client;
      const lead = panel.users.lead!.client;
      const view = await zhang.call('sheet:start', { caseId });
      expect(view.definition.name).toBe('测试评查标准');
      const noReason = await zhang.fail('sheet:answer', { sheetId: view.sheet.id, itemId: 'g2', answer: { status: 'veto' }, revision: 0 });
      expect(noReason).toMatchObject({ code: 'invalid_input', message: '否决第 J2 项必须填写理由。' });
      let revision = 0;
      for (const [itemId, answer] of Object.entries({ ...allPass(), g2: { status: 'veto' as const, comment: '询问笔录无当事人签名' } }))
        revision = (await zhang.call('sheet:answer', { sheetId: view.sheet.id, itemId, answer, revision })).revision;
      const submitted = await zhang.call('sheet:submit', { sheetId: view.sheet.id, revision });
      expect(submitted.summary).toMatchObject({ total: 0, grade: '不合格', vetoed: true });
      const r = await lead.call('review:case', { caseId });
      expect(r).toMatchObject({ state: 'flagged', route: 'panel', reasons: ['有否决项认定（张三：第 J2 项）'] });
      expect(v.backend.services.results.caseOutcome(caseId).status).toBe('provisional');
      const open = await lead.call('reconcile:open', { caseId });
      // One sheet: nothing differs, the proposal already holds the veto; the panel settles it.
      expect(open.proposal.undecided).toEqual([]);
      expect(open.proposal.answers.g2).toEqual({ status: 'veto', comment: '询问笔录无当事人签名' });
      const done = await lead.call('reconcile:finalise', { caseId, note: '集体评议：否决成立', revision: open.review.revision });
      expect(done.final).toMatchObject({ source: 'panel', summary: { total: 0, grade: '不合格', vetoed: true } });
      expect(v.backend.services.results.caseOutcome(caseId).result!.vetoes.map((x) => x.comment)).toEqual(['询问笔录无当事人签名']);
    } finally {
      v.close();
    }
  });

  it('adopting a veto in 合议 settles the file: the other disputed items need no decision', async () => {
    const v = openBackendWithStandards([TEST_STANDARD]);
    try {
      const panel = await setupPanel(v.backend);
      await scoreWithStandard(panel.admin, panel.campaignId, 'penalty_general', TEST_STANDARD.standardId);
      const caseId = await importCase(v.backend, panel, '某罚〔2025〕9号', 'penalty_general', ['zhang', 'li']);
      const zhang = panel.users.zhang!.client;
      const li = panel.users.li!.client;
      const lead = panel.users.lead!.client;
      // Each cites a page: 张三 for a deduction the veto makes moot, 李四 for the veto itself.
      const doc = (await lead.call('case:get', { caseId })).documents[0]!;
      const markOn = async (c: Client, pageIndex: number) => {
        const id = randomUUID();
        await c.call('annotation:save', {
          documentId: doc.id,
          upserts: [{ id, type: 'area', color: '#ff6b6b', pageIndex, position: { rects: [[72, 700, 320, 760]] } }],
          deletes: [],
        });
        return id;
      };
      const zMark = await markOn(zhang, 0);
      const lMark = await markOn(li, 2);
      // 张三 answers every item and deducts two; 李四 vetoes the file and (rightly) leaves the rest.
      const z = await score(zhang, caseId, {
        ...allPass(),
        a1: { status: 'deduct', comment: '无立案审批表', evidence: [zMark] },
        a2: { status: 'deduct', comment: '未告知' },
      });
      await zhang.call('sheet:submit', { sheetId: z.sheetId, revision: z.revision });
      const l = await score(li, caseId, { g2: { status: 'veto', comment: '未取得采矿许可证的事实无证据', evidence: [lMark] } });
      expect((await li.call('sheet:submit', { sheetId: l.sheetId, revision: l.revision })).summary).toMatchObject({ vetoed: true });

      // Before the 合议 the projector states the veto's page once, under 否决依据, and 张三's page among the deductions.
      const before = await lead.call('meeting:get', { campaignId: panel.campaignId });
      await lead.call('meeting:setAgenda', { campaignId: panel.campaignId, caseIds: [caseId], revision: before.revision });
      const pending = (await lead.call('meeting:view', { campaignId: panel.campaignId })).item!;
      expect(pending.vetoes.map((x) => x.places)).toEqual([['某罚〔2025〕9号 第3页']]);
      expect(pending.evidence.map((e) => e.place)).toEqual(['某罚〔2025〕9号 第1页']);

      const open = await lead.call('reconcile:open', { caseId });
      expect(open.proposal.undecided).toEqual(expect.arrayContaining(['g2', 'a1', 'a2']));
      // 张三 符合 / 李四 未评 is one reviewer's reading, not an agreement.
      expect(open.proposal.undecided).toEqual(expect.arrayContaining(['g1', 'a3', 'b3']));
      expect(open.proposal.answers.a3).toBeUndefined();
      const early = await lead.fail('reconcile:finalise', { caseId, note: '', revision: open.review.revision });
      expect(early).toMatchObject({ code: 'conflict', message: expect.stringContaining('未确定合议结果') });

      const adopted = await lead.call('reconcile:answer', {
        caseId,
        itemId: 'g2',
        // Adopted as the screen does (key 2): 李四's answer with its reason and evidence.
        answer: open.sheets.find((x) => x.sheet.reviewerName === '李四')!.answers.g2!,
        note: '采纳李四意见',
        revision: open.review.revision,
      });
      expect(adopted.summary).toMatchObject({ total: 0, grade: '不合格', vetoed: true });
      const done = await lead.call('reconcile:finalise', { caseId, note: '否决成立', revision: adopted.revision });
      expect(done.final).toMatchObject({ source: 'panel', summary: { total: 0, grade: '不合格', vetoed: true } });
      expect(v.backend.services.results.caseOutcome(caseId).result!.vetoes.map((x) => x.comment)).toEqual(['未取得采矿许可证的事实无证据']);

      // The projector shows what decided the file: the veto, its reason and its page named by 案号.
      const agenda = await lead.call('meeting:get', { campaignId: panel.campaignId });
      const onAgenda = await lead.call('meeting:setAgenda', { campaignId: panel.campaignId, caseIds: [caseId], revision: agenda.revision });
      // A settled file stays on the agenda, marked 已定分.
      expect(onAgenda.items).toMatchObject([{ caseId, settled: true }]);
      const shown = (await lead.call('meeting:view', { campaignId: panel.campaignId })).item!;
      expect(shown.vetoes).toEqual([
        { code: 'J2', text: '主要证据不足', reason: '未取得采矿许可证的事实无证据', places: ['某罚〔2025〕9号 第3页'] },
      ]);
      expect(shown.evidence.map((e) => [e.place, e.label])).toEqual([['某罚〔2025〕9号 第3页', '否决 J2 主要证据不足']]);
      expect(shown.page).toMatchObject({ pageNumber: 3, marks: [expect.objectContaining({ label: '否决 J2 主要证据不足' })] });
    } finally {
      v.close();
    }
  });
  it('rejecting a veto in 合议: the items only the other reviewer rated are adopted in one audited step', async () => {
    const v = openBackendWithStandards([TEST_STANDARD]);
    try {
      const panel = await setupPanel(v.backend);
      await scoreWithStandard(panel.admin, panel.campaignId, 'penalty_general', TEST_STANDARD.standardId);
      const caseId = await importCase(v.backend, panel, '某罚〔2025〕11号', 'penalty_general', ['zhang', 'li']);
      const zhang = panel.users.zhang!.client;
      const li = panel.users.li!.client;
      const lead = panel.users.lead!.client;
      const z = await score(zhang, caseId, { ...allPass(), a1: { status: 'deduct', comment: '无立案审批表' } });
      await zhang.call('sheet:submit', { sheetId: z.sheetId, revision: z.revision });
      const l = await score(li, caseId, { g2: { status: 'veto', comment: '主要证据不足' } });
      await li.call('sheet:submit', { sheetId: l.sheetId, revision: l.revision });

      // The projector before the 合议: the veto with who found it and why; the reviewers in the 合议's order.
      const agenda = await lead.call('meeting:get', { campaignId: panel.campaignId });
      await lead.call('meeting:setAgenda', { campaignId: panel.campaignId, caseIds: [caseId], revision: agenda.revision });
      const shown = (await lead.call('meeting:view', { campaignId: panel.campaignId })).item!;
      expect(shown.vetoes).toEqual([{ code: 'J2', text: '主要证据不足', reason: '李四：主要证据不足', places: [] }]);
      expect(shown.scores!.sheets.map((x) => x.reviewerName)).toEqual(['张三', '李四']);
      expect(shown.scores!.disagreement).toMatch(/^两份评查表结论不一：张三 .*，李四 否决，待合议$/);

      let open = await lead.call('reconcile:open', { caseId });
      expect(open.sheets.map((x) => x.sheet.reviewerName)).toEqual(['张三', '李四']);
      const zhangSheet = open.sheets.find((x) => x.sheet.reviewerName === '张三')!;
      const liSheet = open.sheets.find((x) => x.sheet.reviewerName === '李四')!;
      // The panel rejects the veto and decides each item both rated differently, as the screen does (key 1);
      // a1, which only 张三 rated (李四 vetoed and rated nothing else), is left to the one step below.
      let revision = open.review.revision;
      expect(open.divergence.differingItems).toContain('a1');
      for (const itemId of open.divergence.differingItems.filter((id) => liSheet.answers[id] !== undefined))
        revision = (await lead.call('reconcile:answer', { caseId, itemId, answer: zhangSheet.answers[itemId]!, note: '', revision }))
          .revision;
      const stuck = await lead.fail('reconcile:finalise', { caseId, note: '', revision });
      expect(stuck).toMatchObject({ code: 'conflict', message: expect.stringContaining('未确定合议结果') });

      // 李四 never scored the rest: nothing of his to adopt.
      const none = await lead.fail('reconcile:adoptRest', { caseId, sheetId: liSheet.sheet.id, revision });
      expect(none.code).toBe('conflict');
      // A reviewer of the file who is not the panel cannot do it.
      expect((await zhang.fail('reconcile:adoptRest', { caseId, sheetId: zhangSheet.sheet.id, revision })).code).toBe('forbidden');

      const rest = await lead.call('reconcile:adoptRest', { caseId, sheetId: zhangSheet.sheet.id, revision });
      expect(rest.adopted).toEqual(expect.arrayContaining(['g1', 'a1', 'a3', 'b3']));
      expect(rest.adopted).not.toContain('g2');
      expect(rest.summary).toMatchObject({ vetoed: false, unansweredCount: 0 });
      open = await lead.call('reconcile:open', { caseId });
      expect(open.agreed.a3).toMatchObject({ origin: 'panel', note: '其余项目采纳张三的评定' });
      const audit = v.backend.db
        .prepare(`SELECT after_json FROM audit_log WHERE action = 'reconcile.adoptRest' AND entity_id = ?`)
        .all(caseId) as Array<{ after_json: string }>;
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.after_json)).toMatchObject({ reviewer: '张三' });

      const done = await lead.call('reconcile:finalise', { caseId, note: '否决不成立', revision: rest.revision });
      expect(done.final).toMatchObject({ source: 'panel', summary: { vetoed: false, grade: expect.any(String) } });
      expect(done.final!.summary.total).toBe(zhangSheet.summary.total);
    } finally {
      v.close();
    }
  });
});
