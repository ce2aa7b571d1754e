/** A small hand-made standard with every rule shape, for the review and agreement tests. */
import type { StandardDefinition } from '../../shared/standards/model.js';
import type { Answer } from '../../shared/scoring/scoring.js';

/**
 * 100 points, deduction from the total; a gate of two veto items; block A (40): a1 full 10, a2 fixed
 * 5 of 10, a3 per occurrence 2 capped at 4 (points 20); block B (60): b1 range 1–5 step 0.5 of 10,
 * b2 full 20 (N/A awards), b3 full 30. Bands 90 优秀 / 80 良好 / 60 合格 / 不合格.
 */
export const TEST_STANDARD: StandardDefinition = {
  format: 'pingcha-standard/1',
  standardId: 'test-standard',
  name: '测试评查标准',
  version: '1',
  caseTypes: ['penalty_general'],
  total: 100,
  mode: 'deductFromTotal',
  gate: {
    title: '否决项',
    points: 0,
    items: [
      { kind: 'item', id: 'g1', code: 'J1', text: '执法主体不合法', points: 0, rule: { kind: 'veto' }, ruleText: '否决' },
      { kind: 'item', id: 'g2', code: 'J2', text: '主要证据不足', points: 0, rule: { kind: 'veto' }, ruleText: '否决' },
    ],
  },
  veto: { effect: 'zeroAndFail' },
  blocks: [
    {
      kind: 'block',
      id: 'A',
      title: '执法程序',
      points: 40,
      floor: true,
      normalise: false,
      children: [
        { kind: 'item', id: 'a1', code: '1', text: '立案审批手续完备', points: 10, rule: { kind: 'full' }, ruleText: '扣全分' },
        { kind: 'item', id: 'a2', code: '2', text: '告知陈述申辩权利', points: 10, rule: { kind: 'fixed', amount: 5 }, ruleText: '扣5分' },
        {
          kind: 'item',
          id: 'a3',
          code: '3',
          text: '文书签名齐全',
          points: 20,
          rule: { kind: 'perOccurrence', amount: 2, cap: 4 },
          ruleText: '每处扣2分，最多扣4分',
        },
      ],
    },
    {
      kind: 'block',
      id: 'B',
      title: '文书制作',
      points: 60,
      floor: true,
      normalise: false,
      children: [
        {
          kind: 'item',
          id: 'b1',
          code: '4',
          text: '文书用语规范',
          points: 10,
          rule: { kind: 'range', min: 1, max: 5, step: 0.5 },
          ruleText: '视情况扣1-5分',
        },
        {
          kind: 'item',
          id: 'b2',
          code: '5',
          text: '听证程序',
          points: 20,
          rule: { kind: 'full' },
          ruleText: '扣全分',
          notApplicable: 'award',
        },
        { kind: 'item', id: 'b3', code: '6', text: '送达回证完整', points: 30, rule: { kind: 'full' }, ruleText: '扣全分' },
      ],
    },
  ],
  bands: [
    { grade: '优秀', min: 90 },
    { grade: '良好', min: 80 },
    { grade: '合格', min: 60 },
    { grade: '不合格', min: 0 },
  ],
  failGrade: '不合格',
};

export const PASS: Answer = { status: 'pass' };
export const deduct = (extra: Partial<Answer> = {}): Answer => ({ status: 'deduct', ...extra });
export const veto = (comment: string): Answer => ({ status: 'veto', comment });

/** Every item answered 符合. */
export function allPass(): Record<string, Answer> {
  return { g1: PASS, g2: PASS, a1: PASS, a2: PASS, a3: PASS, b1: PASS, b2: PASS, b3: PASS };
}
