/**
 * The scoring function against the nine reference standards, with answer sheets whose results were
 * worked out by hand (the arithmetic is in the comments), and properties that hold for any standard
 * and any answers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allItems, findItem, forEachItem, type StandardDefinition } from '../../../shared/standards/model.js';
import { rangeChoices, scoreSheet, validateAnswer, type Answers } from '../../../shared/scoring/scoring.js';
import { allBuiltins, answersArb, builtin, definitionArb } from '../../support/standards.js';

const block = (result: ReturnType<typeof scoreSheet>, id: string) => result.blocks.find((b) => b.id === id)!;

/** Every answer in a hand-checked sheet is one the score sheet would accept. */
function expectAccepted(def: StandardDefinition, answers: Answers): void {
  for (const [itemId, answer] of Object.entries(answers)) expect(validateAnswer(findItem(def, itemId)!, answer), itemId).toBeNull();
}

describe('hand-checked answer sheets, one per reference standard', () => {
  it('行政许可案卷评分表 (additive)', () => {
    const def = builtin('xingzheng-xuke-anjuan-pingfenbiao');
    const answers: Answers = {
      'xk-2': { status: 'deduct', comment: '未一次性告知' }, // −10 (扣全分)
      'xk-5': { status: 'na' }, // 不涉及多部门: points awarded
      'xk-9': { status: 'deduct' }, // −10 (item 9 read as 10分, printed 19)
      'xk-12.5': { status: 'deduct' }, // −1.5
    };
    expectAccepted(def, answers);
    const r = scoreSheet(def, answers);
    expect(r.total).toBe(78.5); // 100 − 10 − 10 − 1.5
    expect(r.grade).toBe('合格');
    expect([block(r, 'xk-b1').earned, block(r, 'xk-b2').earned, block(r, 'xk-b3').earned, block(r, 'xk-b4').earned]).toEqual([
      17, 36, 15, 10.5,
    ]);
    expect(r.problems.map((p) => [p.code, p.deduction])).toEqual([
      ['2', 10],
      ['9', 10],
      ['12.5', 1.5],
    ]);
    expect(validateAnswer(findItem(def, 'xk-1')!, { status: 'na' })).toBe('第 1 项不允许选择“不适用”。');
  });

  it('行政许可案卷自评表 (additive, nested stage → document → item, conditional documents)', () => {
    const def = builtin('xingzheng-xuke-ziping-biao');
    const answers: Answers = {
      'xkzp-1.1.1': { status: 'deduct' }, // 缺扣1 → −1
      'xkzp-1.3.1': { status: 'na' }, // no 补正告知书: awarded
      'xkzp-1.3.2': { status: 'na' },
      'xkzp-1.3.3': { status: 'na' },
      'xkzp-1.4.2': { status: 'deduct' }, // 缺扣2 → −2
      'xkzp-2.1.4': { status: 'deduct' }, // 缺扣2 → −2
      'xkzp-X*': { status: 'pass' },
    };
    expectAccepted(def, answers);
    const r = scoreSheet(def, answers);
    expect(r.total).toBe(95); // 100 − 1 − 2 − 2
    expect(r.grade).toBe('优秀');
    expect(block(r, 'xkzp-b1').earned).toBe(12); // 15 − 1 − 2
    expect(block(r, 'xkzp-b1.3').earned).toBe(3); // N/A awards the points
    expect(block(r, 'xkzp-b2').earned).toBe(18);
    expect(block(r, 'xkzp-b2.1').depth).toBe(1);
    expect(r.unscorable).toEqual(['xkzp-X*']);
    expect(validateAnswer(findItem(def, 'xkzp-X*')!, { status: 'deduct' })).toBe('第 X* 项是原文未取得部分的占位，不能扣分。');
  });

  it('一般程序行政处罚案卷文书评查标准 (additive, half points, unknown points)', () => {
    const def = builtin('yibanchengxu-xzcf-wenshu-jifenbiao');
    const answers: Answers = {
      'ybcx-L1': { status: 'deduct' }, // −0.5
      'ybcx-D2.5': { status: 'deduct' }, // −2
      'ybcx-D2.7': { status: 'na' }, // 笔录无涂改
      'ybcx-D1.1': { status: 'na' }, // no 现场检查
    };
    expectAccepted(def, answers);
    const r = scoreSheet(def, answers);
    expect(r.total).toBe(97.5); // 100 − 0.5 − 2
    expect(r.grade).toBe('优秀');
    expect(block(r, 'ybcx-b1').earned).toBe(4.5);
    expect(block(r, 'ybcx-b2.2').earned).toBe(8);
    expect(r.unscorable).toEqual(['ybcx-D3.2', 'ybcx-D3.*', 'ybcx-X*']);
    expect(validateAnswer(findItem(def, 'ybcx-D3.2')!, { status: 'deduct' })).toBe('第 D3.2 项的分值在标准原文中缺失，不能扣分。');
  });

  it('环境行政处罚案卷评查表 (veto gate → 不及格, scoring stops)', () => {
    const def = builtin('huanjing-xzcf-anjuan-pingcha');
    const answers: Answers = {
      'hj-A2': { status: 'deduct', occurrences: 3 }, // 每缺一项扣1, capped at the item's 2
      'hj-B5.2': { status: 'deduct', deduction: 1.5 }, // chosen in 0.5–2
      'hj-S1': { status: 'pass' },
    };
    expectAccepted(def, answers);
    const r = scoreSheet(def, answers);
    expect(r.total).toBe(96.5); // 100 − 2 − 1.5
    expect(r.grade).toBe('优秀');
    expect(block(r, 'hj-b2.5').earned).toBe(11.5); // 调查询问笔录 13 − 1.5
    expect(rangeChoices(findItem(def, 'hj-B5.2')!)).toEqual([0.5, 1, 1.5, 2]);

    const vetoed = { ...answers, 'hj-S2': { status: 'veto' as const, comment: '主要证据不足' } };
    expectAccepted(def, vetoed);
    const v = scoreSheet(def, vetoed);
    expect([v.total, v.grade, v.vetoed, v.stopped]).toEqual([0, '不及格', true, true]);
    expect(v.vetoes.map((p) => [p.code, p.comment, p.blockTitles])).toEqual([['S2', '主要证据不足', ['实体评查']]]);
    expect(validateAnswer(findItem(def, 'hj-S2')!, { status: 'veto' })).toBe('否决第 S2 项必须填写理由。');
  });

  it('测绘地理信息行政处罚案卷评查标准 (veto → 0; deductions within blocks)', () => {
    const def = builtin('cehui-xzcf-anjuan-pingcha');
    const answers: Answers = {
      'ch-M1': { status: 'deduct' }, // 扣2分
      'ch-M2': { status: 'deduct', occurrences: 5 }, // 每项扣1分 × 5, capped at 4
      'ch-M3': { status: 'deduct' }, // 扣1分 (of its 2)
      'ch-M5': { status: 'deduct', occurrences: 1 }, // −1
    };
    expectAccepted(def, answers);
    const r = scoreSheet(def, answers);
    expect(block(r, 'ch-b1').earned).toBe(12); // 卷面 20 − 2 − 4 − 1 − 1
    expect(block(r, 'ch-b2').earned).toBe(80); // 内容 not retrieved: a placeholder scores as met
    expect(r.total).toBe(92);
    expect(r.grade).toBe('优秀');
    const v = scoreSheet(def, { ...answers, 'ch-J9': { status: 'veto', comment: '仅一名执法人员' } });
    expect([v.total, v.grade, v.stopped]).toEqual([0, '不合格', false]);
  });

  it('河南 基础标准 (deduct from 100; a 基础标准 failure deducts all 100)', () => {
    const def = builtin('henan-xzcf-jichu-biaozhun-shixing');
    expect(findItem(def, 'hn-2.3')!.asPrinted).toEqual({ deduction: 100 });
    const clean = scoreSheet(def, { 'hn-1.1': { status: 'pass' } });
    expect([clean.total, clean.grade]).toEqual([100, '优秀']);
    const v = scoreSheet(def, { 'hn-2.3': { status: 'veto', comment: '主要证据不足' } });
    expect([v.total, v.grade, v.vetoes[0]!.category]).toEqual([0, '不合格', '基础标准 2 事实与证据']);
    // The 4th project was not retrieved: nobody can veto against it, and the score ignores such an answer.
    expect(validateAnswer(findItem(def, 'hn-4.*')!, { status: 'veto', comment: 'x' })).toBe('第 4.* 项是原文未取得部分的占位，不能否决。');
    expect(scoreSheet(def, { 'hn-4.*': { status: 'veto', comment: 'x' } }).vetoed).toBe(false);
  });

  it('生态环境 合法性 50 + 规范性 50 (documents normalised, 基本要素 penalties, veto zeroes 合法性 only)', () => {
    const def = builtin('shengtai-huanjing-xzcf-model');
    const answers: Answers = {
      'st-W9': { status: 'na' }, // no 听证通知书: 4 points out of the denominator
      'st-W10': { status: 'na' }, // no 听证笔录: 8 points out
      'st-W11': { status: 'deduct', deduction: 3 },
      'st-W2': { status: 'deduct', deduction: 1.5 },
      'st-E1': { status: 'deduct', deduction: 2 },
      'st-E2': { status: 'deduct', deduction: 0.5 },
    };
    expectAccepted(def, answers);
    const r = scoreSheet(def, answers);
    // 文书: (100 − 12 − 3 − 1.5) / (100 − 12) × 50 = 83.5 / 88 × 50 = 47.4432; 基本要素 −2.5
    expect(block(r, 'st-b1.1').earned).toBe(47.44);
    expect(block(r, 'st-b1.2').earned).toBe(-2.5);
    expect(block(r, 'st-b1').earned).toBe(44.94);
    expect(r.total).toBe(94.94); // 50 + 44.9432
    expect(r.grade).toBe('优秀');
    const v = scoreSheet(def, { ...answers, 'st-V14-25': { status: 'veto', comment: '未告知陈述申辩权利' } });
    expect([v.total, v.grade, v.stopped]).toEqual([44.94, '不合格', false]); // 合法性 0 + 规范性 44.94, forced to fail
    const bad = scoreSheet(def, { 'st-E1': { status: 'deduct', deduction: 10 }, 'st-E2': { status: 'deduct', deduction: 10 } });
    expect(bad.total).toBe(80); // 50 + 50 − 20
    expect(bad.grade).toBe('良好');
  });

  it('行政处罚 决定书/送达执行/归档 (扣全分 and 每发现一处扣N分，扣完为止)', () => {
    const def = builtin('xzcf-decision-delivery-archive-fsou17423927');
    const answers: Answers = {
      'cfjd-DS2': { status: 'deduct', occurrences: 2 }, // 3 × 2 capped at the item's 3
      'cfjd-SD1': { status: 'deduct', occurrences: 1 }, // −1
      'cfjd-ZX1': { status: 'na' }, // no fine
      'cfjd-GD2': { status: 'deduct' }, // 扣全分 −1
    };
    expectAccepted(def, answers);
    const r = scoreSheet(def, answers);
    expect(r.total).toBe(95);
    expect(r.problems.map((p) => [p.code, p.deduction, p.occurrences])).toEqual([
      ['DS2', 3, 2],
      ['SD1', 1, 1],
      ['GD2', 1, undefined],
    ]);
    expect(validateAnswer(findItem(def, 'cfjd-DS2')!, { status: 'deduct' })).toBe('第 DS2 项按处扣分，请填写发现的处数。');
  });

  it('行政处罚 分阶段计分 (视情况扣1–5分; 听证 not applicable → re-normalised)', () => {
    const def = builtin('xzcf-staged-fsou17219091');
    const answers: Answers = {
      'cffj-2.3': { status: 'deduct', occurrences: 2 }, // 每缺一项扣2 → −4
      'cffj-2.4': { status: 'deduct', occurrences: 3 }, // 每项1分 → −3
      'cffj-3.1': { status: 'deduct', deduction: 2.5 },
      'cffj-3.3': { status: 'na' }, // no 听证: 10 points excluded
    };
    expectAccepted(def, answers);
    const r = scoreSheet(def, answers);
    // earned 23 + 22.5 + 35 = 80.5 of 90 applicable → 80.5 / 90 × 100 = 89.444
    expect(block(r, 'cffj-b3')).toMatchObject({ earned: 22.5, excluded: 10 });
    expect(r.total).toBe(89.44);
    expect(r.grade).toBe('合格');
    const item = findItem(def, 'cffj-3.1')!;
    expect(validateAnswer(item, { status: 'deduct', deduction: 2.3 })).toBe('第 3.1 项扣分须按 0.5 分的步长选择。');
    expect(validateAnswer(item, { status: 'deduct', deduction: 6 })).toBe('第 3.1 项扣分须在 1–5 分之间。');
    expect(rangeChoices(item)).toEqual([1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
  });
});

describe('scoring properties', () => {
  const withAnswers = definitionArb.chain((def) => fc.tuple(fc.constant(def), answersArb(allItems(def))));

  it('never scores below 0 or above the total, for any standard and answers', () => {
    fc.assert(
      fc.property(withAnswers, ([def, answers]) => {
        const r = scoreSheet(def, answers);
        expect(r.total).toBeGreaterThanOrEqual(0);
        expect(r.total).toBeLessThanOrEqual(def.total);
      }),
      { numRuns: 400 },
    );
    for (const def of allBuiltins())
      fc.assert(
        fc.property(answersArb(allItems(def)), (answers) => {
          const r = scoreSheet(def, answers);
          expect(r.total).toBeGreaterThanOrEqual(0);
          expect(r.total).toBeLessThanOrEqual(def.total);
        }),
        { numRuns: 100 },
      );
  });

  it('a veto always wins: the fail grade, and no points beyond what the veto effect leaves', () => {
    const vetoable = withAnswers.filter(([def]) => def.gate.items.length > 0);
    fc.assert(
      fc.property(vetoable, fc.nat(), ([def, answers], pick) => {
        const gateItem = def.gate.items[pick % def.gate.items.length]!;
        const r = scoreSheet(def, { ...answers, [gateItem.id]: { status: 'veto', comment: '否决' } });
        expect(r.vetoed).toBe(true);
        expect(r.grade).toBe(def.failGrade);
        if (def.veto.effect === 'zeroGateAndFail') expect(r.total).toBeLessThanOrEqual(def.total - def.gate.points + 1e-9);
        else expect(r.total).toBe(0);
        expect(r.stopped).toBe(def.veto.effect === 'failAndStop');
      }),
      { numRuns: 300 },
    );
  });

  it('the same answers always give the same result, in whatever order they are stored', () => {
    fc.assert(
      fc.property(withAnswers, ([def, answers]) => {
        const reversed = Object.fromEntries(Object.entries(answers).reverse());
        expect(scoreSheet(def, reversed)).toEqual(scoreSheet(def, answers));
        expect(scoreSheet(structuredClone(def), structuredClone(answers))).toEqual(scoreSheet(def, answers));
      }),
      { numRuns: 200 },
    );
  });

  it('excluding not-applicable items re-normalises the total to the points that remain', () => {
    // Flat additive standards where every item may be excluded: total = Σ earned / Σ applicable points × total.
    const flat = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 10 }), fc.constantFrom('pass', 'deduct', 'na')), { minLength: 2, maxLength: 15 })
      .filter((rows) => rows.some(([, s]) => s !== 'na'));
    fc.assert(
      fc.property(flat, fc.integer({ min: 1, max: 3 }), (rows, blocks) => {
        const items = rows.map(([points], i) => ({
          kind: 'item' as const,
          id: `i${i}`,
          code: String(i + 1),
          text: `项目${i + 1}`,
          points,
          rule: { kind: 'full' as const },
          ruleText: '',
          notApplicable: 'exclude' as const,
        }));
        const groups = Array.from({ length: blocks }, (_, b) => items.filter((_, i) => i % blocks === b)).filter((g) => g.length);
        const total = items.reduce((s, i) => s + i.points, 0);
        const def: StandardDefinition = {
          ...builtin('xingzheng-xuke-anjuan-pingfenbiao'),
          total,
          blocks: groups.map((g, b) => ({
            kind: 'block',
            id: `b${b}`,
            title: `类别${b}`,
            points: g.reduce((s, i) => s + i.points, 0),
            floor: true,
            normalise: false,
            children: g,
          })),
          bands: [
            { grade: '合格', min: total * 0.6 },
            { grade: '不合格', min: 0 },
          ],
        };
        const answers: Answers = Object.fromEntries(rows.map(([, status], i) => [`i${i}`, { status } as const]));
        const applicable = rows.filter(([, s]) => s !== 'na').reduce((s, [p]) => s + p, 0);
        const earned = rows.filter(([, s]) => s === 'pass').reduce((s, [p]) => s + p, 0);
        // The total is rounded to hundredths: at most half a hundredth away from the exact share.
        expect(Math.abs(scoreSheet(def, answers).total - (earned / applicable) * total)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('with no answers every standard scores its full total except for unanswered items', () => {
    for (const def of allBuiltins()) {
      const r = scoreSheet(def, {});
      expect(r.total, def.name).toBe(def.total);
      const scorable: string[] = [];
      forEachItem(def, (item) => {
        if (!r.unscorable.includes(item.id)) scorable.push(item.id);
      });
      expect(r.unanswered).toEqual(scorable);
    }
  });
});
