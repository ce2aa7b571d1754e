/** What a sheet needs before delivery, on the hand-made TEST_STANDARD: bulk 符合, reasons, progress, the provisional mean. */
import { describe, expect, it } from 'vitest';
import { bulkPassPlan, missingReasons, needsOwnDecision, sheetHeadline, sheetProgress } from '../../../shared/scoring/completion.js';
import { provisionalResult } from '../../../shared/scoring/provisional.js';
import { allItems } from '../../../shared/standards/tree.js';
import { PASS, TEST_STANDARD as def, allPass, deduct, veto } from '../../support/review-fixtures.js';

describe('the rest-符合 step', () => {
  it('passes only plain items and leaves veto and 不适用 items to the reviewer', () => {
    expect(
      allItems(def)
        .filter(needsOwnDecision)
        .map((it) => it.id),
    ).toEqual(['g1', 'g2', 'b2']);
    expect(bulkPassPlan(def, { a1: deduct({ comment: '缺审批' }) })).toEqual({
      pass: ['a2', 'a3', 'b1', 'b3'],
      decide: ['g1', 'g2', 'b2'],
    });
    expect(bulkPassPlan(def, { g1: PASS, g2: PASS, b2: { status: 'na' } })).toEqual({ pass: ['a1', 'a2', 'a3', 'b1', 'b3'], decide: [] });
  });

  it('has nothing to fill once a veto stopped the sheet', () => {
    const stopping = { ...def, veto: { effect: 'failAndStop' as const } };
    expect(bulkPassPlan(stopping, { g1: veto('主体不适格') })).toEqual({ pass: [], decide: [] });
    expect(sheetProgress(stopping, { g1: veto('主体不适格') })).toEqual({ done: 8, total: 8 });
  });

  it('asks for nothing else once a veto is chosen, even where the veto does not stop the sheet', () => {
    expect(def.veto.effect).toBe('zeroAndFail');
    expect(bulkPassPlan(def, { g2: veto('主要证据不足') })).toEqual({ pass: [], decide: [] });
    expect(sheetProgress(def, { g2: veto('主要证据不足') })).toEqual({ done: 8, total: 8 });
    // Without its reason the veto is still refused at delivery.
    expect(missingReasons(def, { g2: { status: 'veto' } })).toEqual(['g2']);
  });
});

describe('reasons', () => {
  it('names every deduction and veto without a reason, blank text included', () => {
    expect(
      missingReasons(def, {
        ...allPass(),
        a2: deduct(),
        b1: deduct({ deduction: 2, comment: ' ' }),
        b3: deduct({ comment: '送达回证缺失' }),
        g1: { status: 'veto' },
      }),
    ).toEqual(['g1', 'a2', 'b1']);
    expect(missingReasons(def, { ...allPass(), b2: { status: 'na' } })).toEqual([]);
  });
});

describe('progress', () => {
  it('counts 不适用 and 否决 answers as answered', () => {
    expect(sheetProgress(def, { g1: PASS, b2: { status: 'na' }, a1: deduct() })).toEqual({ done: 3, total: 8 });
    expect(sheetProgress(def, { ...allPass(), g2: veto('证据不足') })).toEqual({ done: 8, total: 8 });
  });
});

describe('the provisional result', () => {
  it('is the mean of the delivered sheets when they reach the same grade', () => {
    expect(
      provisionalResult(def, [
        { total: 82, vetoed: false },
        { total: 85, vetoed: false },
      ]),
    ).toEqual({ total: 83.5, grade: '良好', vetoed: false, sheets: 2, disagreement: null });
    expect(
      provisionalResult(def, [
        { total: 86, vetoed: false },
        { total: 88, vetoed: false },
        { total: 89.5, vetoed: false },
      ]),
    ).toEqual({ total: 87.83, grade: '良好', vetoed: false, sheets: 3, disagreement: null });
  });

  it('states the disagreement instead of a mean when the sheets differ on a veto or a grade', () => {
    // A mean of 0 and 99.5 would read 49.75 · 不合格, a result no reviewer found.
    expect(
      provisionalResult(def, [
        { total: 0, vetoed: true, reviewerName: '周芳' },
        { total: 99.5, vetoed: false, reviewerName: '李明' },
      ]),
    ).toMatchObject({ grade: '待合议', vetoed: false, disagreement: '两份评查表结论不一：周芳 否决，李明 99.5 分（优秀），待合议' });
    expect(
      provisionalResult(def, [
        { total: 70, vetoed: false },
        { total: 85, vetoed: false },
        { total: 86, vetoed: false },
      ])?.disagreement,
    ).toBe('三份评查表结论不一：第1份 70 分（合格），第2份 85 分（良好），第3份 86 分（良好），待合议');
  });

  it('fails the file when every sheet vetoes; none delivered is no result', () => {
    expect(
      provisionalResult(def, [
        { total: 0, vetoed: true },
        { total: 0, vetoed: true },
      ]),
    ).toMatchObject({ grade: '不合格', vetoed: true });
    expect(provisionalResult(def, [])).toBeNull();
  });
});

describe('the head of an unfinished sheet', () => {
  it('says how far the review is and what it deducted, with no total or grade until every item is answered', () => {
    // 3 of 100 after two items would read 98 分 · 优秀; the head says where the review stands instead.
    const some = { a3: deduct({ occurrences: 1, comment: '一处未签名' }), a2: PASS };
    const head = sheetHeadline(def, some);
    expect(head).toMatchObject({ complete: false, done: 2, total: 8, deducted: 2 });
    expect(head.text).toBe('已评 2/8 项 · 已扣 2 分');
    expect(sheetHeadline(def, { ...allPass(), a2: deduct({ comment: '未告知' }) })).toMatchObject({ complete: true, done: 8, deducted: 5 });
  });

  it('is complete once a veto decides the file', () => {
    const stopping = { ...def, veto: { effect: 'failAndStop' as const } };
    expect(sheetHeadline(stopping, { g1: veto('主体不适格') })).toMatchObject({ complete: true, deducted: 0 });
    expect(sheetHeadline(def, { g1: veto('主体不适格') }).complete).toBe(true);
  });
});
