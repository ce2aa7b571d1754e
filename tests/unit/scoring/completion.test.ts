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
  it('is the mean of the delivered sheets, graded by the bands', () => {
    expect(
      provisionalResult(def, [
        { total: 70, vetoed: false },
        { total: 85, vetoed: false },
      ]),
    ).toEqual({ total: 77.5, grade: '合格', vetoed: false, sheets: 2 });
    expect(
      provisionalResult(def, [
        { total: 100, vetoed: false },
        { total: 79.99, vetoed: false },
        { total: 80, vetoed: false },
      ]),
    ).toEqual({ total: 86.66, grade: '良好', vetoed: false, sheets: 3 });
  });

  it('fails the file only when every sheet vetoes; none delivered is no result', () => {
    expect(
      provisionalResult(def, [
        { total: 0, vetoed: true },
        { total: 90, vetoed: false },
      ]),
    ).toMatchObject({ total: 45, grade: '不合格', vetoed: false });
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
