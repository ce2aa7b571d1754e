/**
 * Delivering a sheet through the real back end: the "rest 符合" step never answers veto or 不适用
 * items, every deduction and veto needs its reason, the provisional result of a file the panel has
 * not settled is the mean of the delivered sheets, and a delivered sheet's progress reads complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../shared/scoring/scoring.js';
import type { StandardDefinition } from '../../shared/standards/model.js';
import { scoreWithStandard, type TestBackend } from '../support/backend.js';
import { PASS, TEST_STANDARD, deduct, veto } from '../support/review-fixtures.js';
import { importCase, openBackendWithStandards, score, setupPanel, type Client, type Panel } from '../support/review-setup.js';

/** The same checklist where a veto stops the sheet (the rest is not scored). */
const STOPPING: StandardDefinition = {
  ...TEST_STANDARD,
  standardId: 'test-standard-stop',
  name: '测试评查标准（否决即止）',
  caseTypes: ['penalty_simple'],
  veto: { effect: 'failAndStop' },
};

let t: TestBackend;
let p: Panel;
const who = (key: string): Client => p.users[key]!.client;

beforeAll(async () => {
  t = openBackendWithStandards([TEST_STANDARD, STOPPING]);
  p = await setupPanel(t.backend);
  await scoreWithStandard(p.admin, p.campaignId, 'penalty_general', TEST_STANDARD.standardId);
  await scoreWithStandard(p.admin, p.campaignId, 'penalty_simple', STOPPING.standardId);
});
afterAll(() => t.close());

const storedAnswers = (sheetId: string): Record<string, Answer> =>
  Object.fromEntries(
    (
      t.backend.db.prepare('SELECT item_id, answer_json FROM sheet_answers WHERE sheet_id = ?').all(sheetId) as Array<{
        item_id: string;
        answer_json: string;
      }>
    ).map((r) => [r.item_id, JSON.parse(r.answer_json) as Answer]),
  );

describe('the rest-符合 step', () => {
  it('refuses while veto or 不适用 items are open, touching nothing; then passes only the plain items', async () => {
    const caseId = await importCase(t.backend, p, '某罚〔2025〕21号', 'penalty_general', ['zhang']);
    const s = await score(who('zhang'), caseId, { a1: deduct({ comment: '立案审批表未签批' }) });
    const refused = await who('zhang').fail('sheet:submit', { sheetId: s.sheetId, revision: s.revision, passRemaining: true });
    expect(refused.code).toBe('decision_required');
    expect(refused.message).toBe('第 J1、J2、5 项是否决项或可选“不适用”的项目，不能一并评为符合，请逐项评定后再提交。');
    expect(refused.details).toEqual({ itemIds: ['g1', 'g2', 'b2'] });
    expect(Object.keys(storedAnswers(s.sheetId))).toEqual(['a1']);

    let revision = s.revision;
    for (const [itemId, answer] of Object.entries({ g1: PASS, g2: PASS, b2: { status: 'na', comment: '本案未适用听证程序' } as Answer }))
      revision = (await who('zhang').call('sheet:answer', { sheetId: s.sheetId, itemId, answer, revision })).revision;
    const done = await who('zhang').call('sheet:submit', { sheetId: s.sheetId, revision, passRemaining: true });
    expect(done.summary).toMatchObject({ total: 90, grade: '优秀', unansweredCount: 0 });
    const stored = storedAnswers(s.sheetId);
    expect(stored.b2).toEqual({ status: 'na', comment: '本案未适用听证程序' });
    const audit = t.backend.db
      .prepare("SELECT after_json FROM audit_log WHERE action = 'sheet.pass_remaining' AND entity_id = ?")
      .get(s.sheetId) as { after_json: string };
    expect(JSON.parse(audit.after_json)).toEqual({ itemIds: ['a2', 'a3', 'b1', 'b3'] });
  });
});

describe('reasons', () => {
  it('keeps a deduction without a reason as a draft but refuses to deliver it, naming the item', async () => {
    const caseId = await importCase(t.backend, p, '某罚〔2025〕22号', 'penalty_general', ['zhang']);
    const s = await score(who('zhang'), caseId, {
      g1: PASS,
      g2: PASS,
      b2: PASS,
      a2: deduct(),
      b1: deduct({ deduction: 2, comment: '  ' }),
    });
    const refused = await who('zhang').fail('sheet:submit', { sheetId: s.sheetId, revision: s.revision, passRemaining: true });
    expect(refused).toMatchObject({ code: 'reason_required', details: { itemIds: ['a2', 'b1'] } });
    expect(refused.message).toMatch(/^第 2、4 项已扣分或否决，但未填写理由。/);
    expect((await who('zhang').call('review:case', { caseId })).sheets[0]!.status).toBe('draft');
    let revision = s.revision;
    revision = (
      await who('zhang').call('sheet:answer', {
        sheetId: s.sheetId,
        itemId: 'a2',
        answer: deduct({ comment: '未告知陈述申辩权利' }),
        revision,
      })
    ).revision;
    revision = (
      await who('zhang').call('sheet:answer', {
        sheetId: s.sheetId,
        itemId: 'b1',
        answer: deduct({ deduction: 2, comment: '文书用语不规范' }),
        revision,
      })
    ).revision;
    const done = await who('zhang').call('sheet:submit', { sheetId: s.sheetId, revision, passRemaining: true });
    expect(done.summary).toMatchObject({ total: 93, grade: '优秀' });
  });
});

describe('a file the panel has not settled', () => {
  it('has no provisional mean when its delivered sheets differ in grade, and never the items they happen to agree on', async () => {
    const caseId = await importCase(t.backend, p, '某罚〔2025〕23号', 'penalty_general', ['zhang', 'li']);
    const base = { g1: PASS, g2: PASS, b2: PASS };
    const z = await score(who('zhang'), caseId, { ...base, b3: deduct({ comment: '送达回证缺失' }) }); // 70 合格
    await who('zhang').call('sheet:submit', { sheetId: z.sheetId, revision: z.revision, passRemaining: true });
    const l = await score(who('li'), caseId, { ...base, a1: deduct({ comment: '立案审批缺失' }), a2: deduct({ comment: '未告知' }) }); // 85 良好
    await who('li').call('sheet:submit', { sheetId: l.sheetId, revision: l.revision, passRemaining: true });

    const outcome = t.backend.services.results.caseOutcome(caseId);
    expect(outcome.status).toBe('provisional');
    // 70 合格 and 85 良好: a mean of 77.5 · 合格 would be a grade neither reviewer gave.
    expect(outcome.result).toMatchObject({ grade: '待合议', vetoed: false });
    expect(outcome.disagreement).toBe('两份评查表结论不一：张三 70 分（合格），李四 85 分（良好），待合议');
    const view = await who('lead').call('reconcile:open', { caseId });
    expect(view.sheets.map((s) => [s.sheet.reviewerName, s.summary.total, s.summary.grade])).toEqual([
      ['张三', 70, '合格'],
      ['李四', 85, '良好'],
    ]);
    expect(view.proposal.undecided).toEqual(['a1', 'a2', 'b3']);
  });
});

describe('progress of a delivered sheet', () => {
  it('reads complete when a veto stopped the sheet', async () => {
    const caseId = await importCase(t.backend, p, '某简〔2025〕24号', 'penalty_simple', ['zhang']);
    const s = await score(who('zhang'), caseId, { g1: veto('执法主体不适格') });
    await who('zhang').call('sheet:submit', { sheetId: s.sheetId, revision: s.revision, passRemaining: true });
    const review = await who('zhang').call('review:case', { caseId });
    expect(review.sheets[0]).toMatchObject({ status: 'submitted', answeredCount: 8, itemCount: 8 });
  });
});

describe('a vetoed sheet', () => {
  it('is delivered with the veto and its reason alone: the file fails anyway, the other items need no answer', async () => {
    const caseId = await importCase(t.backend, p, '某罚〔2025〕25号', 'penalty_general', ['zhang']);
    const bare = await who('zhang').call('sheet:start', { caseId });
    const noReason = await who('zhang').fail('sheet:answer', {
      sheetId: bare.sheet.id,
      itemId: 'g2',
      answer: { status: 'veto' },
      revision: bare.sheet.revision,
    });
    expect(noReason.message).toBe('否决第 J2 项必须填写理由。');
    const s = await score(who('zhang'), caseId, { g2: veto('主要证据不足') });
    const done = await who('zhang').call('sheet:submit', { sheetId: s.sheetId, revision: s.revision, passRemaining: false });
    expect(done.summary).toMatchObject({ total: 0, vetoed: true });
    expect(Object.keys(storedAnswers(s.sheetId))).toEqual(['g2']);
  });
});
