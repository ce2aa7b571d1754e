/** Divergence detection and the reconciliation proposal on hand-made sheets of TEST_STANDARD. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DIVERGENCE_RULES,
  agreedAnswer,
  answerKey,
  detectDivergence,
  proposeAgreed,
  settleState,
  type DivergenceRules,
} from '../../../shared/panel/divergence.js';
import { DivergenceRulesSchema } from '../../../shared/panel/divergence-rules.js';
import { findItem } from '../../../shared/standards/model.js';
import { scoreSheet } from '../../../shared/scoring/scoring.js';
import { PASS, TEST_STANDARD as def, allPass, deduct, veto } from '../../support/review-fixtures.js';

const rules = (patch: Partial<DivergenceRules> = {}): DivergenceRules => ({ ...DEFAULT_DIVERGENCE_RULES, ...patch });
const sheet = (reviewerName: string, answers = allPass()) => ({ reviewerName, answers });
const item = (id: string) => findItem(def, id)!;

describe('answer keys', () => {
  it('compares deductions by the points they take, and no answer as 符合', () => {
    expect(answerKey(item('a1'), undefined)).toBe('pass');
    expect(answerKey(item('a1'), PASS)).toBe('pass');
    expect(answerKey(item('b2'), { status: 'na' })).toBe('na');
    expect(answerKey(item('g1'), veto('无执法证'))).toBe('veto');
    expect(answerKey(item('b1'), deduct({ deduction: 2.5 }))).toBe('d:2.5');
    // 2 places × 2 points and 3 places × 2 points both hit the cap of 4.
    expect(answerKey(item('a3'), deduct({ occurrences: 2 }))).toBe(answerKey(item('a3'), deduct({ occurrences: 3 })));
    expect(answerKey(item('a3'), deduct({ occurrences: 1 }))).toBe('d:2');
  });
});

describe('divergence detection', () => {
  it('finds nothing between identical sheets, and settles them as agreed', () => {
    const a = { ...allPass(), b1: deduct({ deduction: 2, comment: '用语不规范' }) };
    const d = detectDivergence(def, [sheet('张三', a), sheet('李四', a)], rules());
    expect(d).toMatchObject({ reasons: [], route: null, spread: 0, differingItems: [] });
    const s = settleState(
      def,
      [
        { ...sheet('张三', a), delivered: true, answeredCount: 8, expected: true },
        { ...sheet('李四', a), delivered: true, answeredCount: 8, expected: true },
      ],
      rules(),
    );
    expect(s.state).toBe('agreed');
    if (s.state === 'agreed') expect(scoreSheet(def, s.answers).total).toBe(98);
  });

  it('flags different grade bands and a spread above the threshold (100 优秀 vs 80 良好)', () => {
    const b = { ...allPass(), b2: deduct({ comment: '应听证未听证' }) };
    const d = detectDivergence(def, [sheet('张三'), sheet('李四', b)], rules());
    expect(d.spread).toBe(20);
    expect(d.differingItems).toEqual(['b2']);
    expect(d.reasons.map((r) => r.rule)).toEqual(['gradeBands', 'spread']);
    expect(d.reasons[0]!.message).toBe('评定等次不一致（优秀、良好）');
    expect(d.reasons[1]!.message).toBe('总分相差 20 分，超过 5 分');
    expect(d.route).toBe('recheck');
  });

  it('treats a spread equal to the threshold as agreement and one above it as divergence', () => {
    const at = detectDivergence(def, [sheet('张三'), sheet('李四', { ...allPass(), b1: deduct({ deduction: 5 }) })], rules());
    expect(at.spread).toBe(5);
    expect(at.reasons).toEqual([]);
    const above = detectDivergence(
      def,
      [sheet('张三'), sheet('李四', { ...allPass(), b1: deduct({ deduction: 5 }), a3: deduct({ occurrences: 1 }) })],
      rules(),
    );
    expect(above.spread).toBe(7);
    expect(above.reasons.map((r) => r.rule)).toEqual(['spread']);
  });

  it('sends any veto by anyone to the panel, naming who and which item — even on a single sheet', () => {
    const vetoed = { ...allPass(), g2: veto('询问笔录无当事人签名，主要证据不足') };
    const d = detectDivergence(def, [sheet('张三'), sheet('李四', vetoed)], rules());
    expect(d.route).toBe('panel');
    expect(d.reasons.find((r) => r.rule === 'anyVeto')!.message).toBe('有否决项认定（李四：第 J2 项）');
    // 100 优秀 vs 0 不合格: the grade and spread rules fire too; the heaviest route wins.
    expect(d.reasons.map((r) => r.rule)).toEqual(['gradeBands', 'anyVeto', 'spread']);
    const single = settleState(def, [{ ...sheet('李四', vetoed), delivered: true, answeredCount: 8, expected: false }], rules());
    expect(single).toMatchObject({ state: 'flagged', route: 'panel' });
  });

  it('calls vetoes all reviewers found on the same item no disagreement, yet still sends them to the panel', () => {
    const both = detectDivergence(
      def,
      [sheet('张三', { ...allPass(), g2: veto('主要证据不足') }), sheet('李四', { ...allPass(), g2: veto('缺少测绘报告') })],
      rules(),
    );
    expect(both.differingItems).toEqual([]);
    expect(both.route).toBe('panel');
    expect(both.reasons.map((r) => r.message)).toEqual(['评查人员一致认定否决（第 J2 项），否决须经集体评议确认']);
  });

  it('counts item-level disagreement only when that rule is on, from its minimum number of items', () => {
    const b = { ...allPass(), a3: deduct({ occurrences: 1 }), b1: deduct({ deduction: 1 }) }; // 97 vs 100
    const off = detectDivergence(def, [sheet('张三'), sheet('李四', b)], rules());
    expect(off.reasons).toEqual([]);
    expect(off.differingItems).toEqual(['a3', 'b1']);
    const two = detectDivergence(def, [sheet('张三'), sheet('李四', b)], rules({ items: { enabled: true, minItems: 2, route: 'panel' } }));
    expect(two.reasons).toEqual([{ rule: 'items', route: 'panel', message: '2 个评查项目评定不一致' }]);
    const three = detectDivergence(
      def,
      [sheet('张三'), sheet('李四', b)],
      rules({ items: { enabled: true, minItems: 3, route: 'panel' } }),
    );
    expect(three.reasons).toEqual([]);
  });

  it('ignores rules that are switched off', () => {
    const none: DivergenceRules = {
      requiredSheets: 1,
      gradeBands: { enabled: false, route: 'panel' },
      anyVeto: { enabled: false, route: 'panel' },
      spread: { enabled: false, threshold: 0, route: 'panel' },
      items: { enabled: false, minItems: 1, route: 'panel' },
    };
    const d = detectDivergence(def, [sheet('张三'), sheet('李四', { ...allPass(), g1: veto('越权') })], none);
    expect(d.reasons).toEqual([]);
    expect(d.differingItems).toEqual(['g1']);
  });
});

describe('settling a file', () => {
  const delivered = (name: string, answers = allPass()) => ({
    ...sheet(name, answers),
    delivered: true,
    answeredCount: Object.keys(answers).length,
    expected: true,
  });

  it('waits while any opened sheet with answers is still being filled', () => {
    expect(settleState(def, [], rules())).toEqual({ state: 'unscored' });
    expect(
      settleState(
        def,
        [delivered('张三'), { ...sheet('李四', { a1: PASS }), delivered: false, answeredCount: 1, expected: false }],
        rules(),
      ),
    ).toEqual({
      state: 'scoring',
      delivered: 1,
      required: 2,
    });
  });

  it('does not wait for a sheet that was only opened by someone not assigned to the file', () => {
    const s = settleState(
      def,
      [delivered('张三'), { ...sheet('王组长', {}), delivered: false, answeredCount: 0, expected: false }],
      rules(),
    );
    expect(s.state).toBe('agreed');
  });

  it('waits for every reviewer assigned to the file, even one who has not opened it yet', () => {
    const notYet = { ...sheet('', {}), delivered: false, answeredCount: 0, expected: true };
    expect(settleState(def, [delivered('张三'), notYet], rules())).toEqual({ state: 'scoring', delivered: 1, required: 2 });
    // Nobody has scored: still unscored, however many are assigned.
    expect(settleState(def, [notYet, notYet], rules())).toEqual({ state: 'unscored' });
  });

  it('waits for the required number of delivered sheets', () => {
    expect(settleState(def, [delivered('张三')], rules({ requiredSheets: 2 }))).toEqual({ state: 'scoring', delivered: 1, required: 2 });
    expect(settleState(def, [delivered('张三'), delivered('李四')], rules({ requiredSheets: 2 })).state).toBe('agreed');
  });

  it('asks the lead to confirm when items differ but no rule fired', () => {
    const s = settleState(def, [delivered('张三'), delivered('李四', { ...allPass(), b1: deduct({ deduction: 1 }) })], rules());
    expect(s).toMatchObject({ state: 'flagged', route: 'confirm' });
  });
});

describe('the reconciliation proposal', () => {
  it('takes every agreed item and lists the differing ones', () => {
    const a = { ...allPass(), a1: deduct({ comment: '无立案审批表', evidence: ['m1'] }), b1: deduct({ deduction: 2 }) };
    const b = {
      ...allPass(),
      a1: deduct({ comment: '立案审批表缺失', location: '第2页', evidence: ['m2', 'm1'] }),
      b1: deduct({ deduction: 3 }),
    };
    const p = proposeAgreed(def, [{ answers: a }, { answers: b }]);
    expect(p.undecided).toEqual(['b1']);
    expect(p.answers.a1).toEqual({ status: 'deduct', comment: '无立案审批表；立案审批表缺失', location: '第2页', evidence: ['m1', 'm2'] });
    expect(p.answers.b1).toBeUndefined();
    expect(p.answers.g1).toEqual(PASS);
  });

  it('merges identical reasons once and leaves items nobody answered out', () => {
    expect(agreedAnswer(item('a2'), [deduct({ comment: '未告知' }), deduct({ comment: ' 未告知 ' })])).toEqual({
      status: 'deduct',
      comment: '未告知',
    });
    expect(agreedAnswer(item('a2'), [undefined, undefined])).toBeUndefined();
    expect(agreedAnswer(item('a2'), [undefined, PASS])).toEqual(PASS);
  });
});

describe('rules schema', () => {
  it('accepts the defaults and refuses nonsense with Chinese messages', () => {
    expect(DivergenceRulesSchema.parse(DEFAULT_DIVERGENCE_RULES)).toEqual(DEFAULT_DIVERGENCE_RULES);
    const bad = DivergenceRulesSchema.safeParse({
      ...DEFAULT_DIVERGENCE_RULES,
      spread: { enabled: true, threshold: -1, route: 'recheck' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toBe('分差不能为负');
  });
});
