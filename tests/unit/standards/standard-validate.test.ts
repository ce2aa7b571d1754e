/** The pure parts of the standards library: the validator, rule text, version labels, the top-grade quota. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRule, type BlockNode, type ItemNode, type StandardDefinition } from '../../../shared/standards/model.js';
import { applyTopGradeQuota } from '../../../shared/scoring/quota.js';
import { formatRule, parseRule } from '../../../shared/standards/rules.js';
import { checkDefinition, errorsOf, validateDefinition, warningsOf, type IssueCode } from '../../../shared/standards/validate.js';
import { nextVersionLabel } from '../../../shared/standards/version-label.js';
import { allBuiltins, builtin, definitionArb } from '../../support/standards.js';

const XK = 'xingzheng-xuke-anjuan-pingfenbiao';
const PENALTY = 'xzcf-cankao-yiban';

/** A copy of the 行政许可 table with one change applied, for checks on one thing at a time. */
function xkWith(change: (def: StandardDefinition) => void): StandardDefinition {
  const def = structuredClone(builtin(XK));
  change(def);
  return def;
}
const block = (def: StandardDefinition, i: number): BlockNode => def.blocks[i]!;
const item = (def: StandardDefinition, id: string): ItemNode => {
  for (const b of def.blocks) for (const c of b.children) if (c.kind === 'item' && c.id === id) return c;
  throw new Error(id);
};

describe('definition validator', () => {
  it('accepts every built-in standard', () => {
    for (const def of allBuiltins()) expect(errorsOf(validateDefinition(def)), def.name).toEqual([]);
    expect(warningsOf(validateDefinition(builtin(XK)))).toEqual([]);
    expect(validateDefinition(builtin(PENALTY))).toEqual([]);
  });

  it('refuses items that cannot be scored, naming each', () => {
    const def = structuredClone(builtin(PENALTY));
    const stage = def.blocks[3]!;
    // What a partial reconstruction left: a stage nobody can deduct against, an item without points, one worth nothing.
    stage.children.push({
      kind: 'item',
      id: 'p',
      code: '4.10',
      text: '审查决定、送达执行阶段（原文未取得）',
      points: 60,
      rule: { kind: 'full' },
      ruleText: '',
      provenance: { kind: 'placeholder' },
    });
    Object.assign(item(def, 'cfyb-4.1'), { points: null });
    Object.assign(item(def, 'cfyb-4.2'), { points: 0 });
    const errors = errorsOf(validateDefinition(def)).filter((i) => ['placeholder', 'unknown_points', 'nothing_to_deduct'].includes(i.code));
    expect(errors.map((e) => [e.code, e.itemId, e.message])).toEqual([
      ['unknown_points', 'cfyb-4.1', '编号“4.1”（类别“执法程序”）：没有分值，无法扣分。请填写该项分值。'],
      ['nothing_to_deduct', 'cfyb-4.2', '编号“4.2”（类别“执法程序”）：分值为 0 分，无法扣分。请填写分值，或将其设为扣分项。'],
      [
        'placeholder',
        'p',
        '编号“4.10”（类别“执法程序”）：这是原文未取得部分的占位（60 分），无法据此评分。请写明评查内容、分值和扣分方式后再使用。',
      ],
    ]);
    expect(checkDefinition(def).ok).toBe(false);
  });

  it('refuses English leftovers and web links in what a person reads, and allows Latin names inside Chinese', () => {
    const cases: Array<[string, (d: StandardDefinition) => void, string]> = [
      [
        'placeholder text',
        (d) => (item(d, 'cfyb-4.1').text = '[NOT RETRIEVED — 80 points of content items]'),
        '编号“4.1”的评查内容含有英文“NOT RETRIEVED”，请改为中文说明。',
      ],
      [
        'inferred note',
        (d) => (item(d, 'cfyb-4.1').note = '步长为推定（inferred）'),
        '编号“4.1”的备注含有英文“inferred”，请改为中文说明。',
      ],
      ['unknown rule text', (d) => (item(d, 'cfyb-4.1').ruleText = 'unknown'), '编号“4.1”的扣分标准含有英文“unknown”，请改为中文说明。'],
      [
        'truncated',
        (d) => (item(d, 'cfyb-4.1').provenance = { kind: 'fragment', note: '[text truncated in source excerpt]' }),
        '编号“4.1”的来源说明含有英文“truncated”，请改为中文说明。',
      ],
      [
        'a link as source',
        (d) => (d.source = 'https://www.example.gov.cn/art/2023/1.html'),
        '来源含有网址“https://www.example.gov.cn/art/2023/1.html”，请改为中文说明。',
      ],
      ['partial', (d) => (d.completeness = 'PARTIAL: categories 1-3 only'), '完整性含有英文“PARTIAL”，请改为中文说明。'],
      [
        'ascii-only note',
        (d) => (d.blocks[0]!.note = 'scored per document'),
        '类别“执法主体”的备注含有英文“scored per document”，请改为中文说明。',
      ],
      ['basis', (d) => (item(d, 'cfyb-4.1').basis = 'Art. 54'), '编号“4.1”的依据含有英文“Art. 54”，请改为中文说明。'],
    ];
    for (const [what, change, message] of cases) {
      const def = structuredClone(builtin(PENALTY));
      change(def);
      const issues = errorsOf(validateDefinition(def)).filter((i) => i.code === 'foreign_text');
      expect(
        issues.map((i) => i.message),
        what,
      ).toEqual([message]);
    }
    const fine = structuredClone(builtin(PENALTY));
    item(fine, 'cfyb-4.1').note = '照片、视听资料以 PDF 或 JPG 格式附卷，公文格式按 GB/T 9704';
    expect(errorsOf(validateDefinition(fine))).toEqual([]);
  });

  it('names the item and block of every error, in Chinese', () => {
    const cases: Array<[string, (d: StandardDefinition) => void, IssueCode, string]> = [
      ['duplicate code', (d) => (item(d, 'xk-3').code = '2'), 'duplicate_code', '编号“2”出现了 2 次，同一标准内编号必须唯一。'],
      ['duplicate id', (d) => (item(d, 'xk-3').id = 'xk-2'), 'duplicate_id', '编号“3”：ID“xk-2”与编号“2”重复，ID 必须唯一。'],
      [
        'range over points',
        (d) => (item(d, 'xk-1').rule = { kind: 'range', min: 1, max: 6, step: 0.5 }),
        'range_over_points',
        '编号“1”（类别“受理”）：扣分区间最多扣 6 分，超过了该项分值 5 分。',
      ],
      [
        'range step',
        (d) => (item(d, 'xk-1').rule = { kind: 'range', min: 1, max: 5, step: 0.3 }),
        'range_step',
        '编号“1”（类别“受理”）：步长 0.3 分不能整除 1–5 分的区间。',
      ],
      [
        'range min > max',
        (d) => (item(d, 'xk-1').rule = { kind: 'range', min: 4, max: 2, step: 1 }),
        'range_min_over_max',
        '编号“1”（类别“受理”）：扣分区间的最小值 4 大于最大值 2。',
      ],
      [
        'fixed over points',
        (d) => (item(d, 'xk-1').rule = { kind: 'fixed', amount: 7 }),
        'amount_over_points',
        '编号“1”（类别“受理”）：扣分 7 分超过了该项分值 5 分。',
      ],
      [
        'cap over points',
        (d) => (item(d, 'xk-1').rule = { kind: 'perOccurrence', amount: 1, cap: 8 }),
        'cap_over_points',
        '编号“1”（类别“受理”）：最多扣 8 分超过了该项分值 5 分。',
      ],
      [
        'veto in a block',
        (d) => (item(d, 'xk-1').rule = { kind: 'veto' }),
        'veto_outside_gate',
        '编号“1”（类别“受理”）：否决项必须放在“否决项”部分，不能放在评分类别中。',
      ],
      ['block over', (d) => (item(d, 'xk-1').points = 7), 'block_over', '类别“受理”：各项分值合计 29 分，超过了类别分值 27 分。'],
      ['block under', (d) => (block(d, 0).points = 30), 'block_under', '类别“受理”：各项分值合计 27 分，少于类别分值 30 分。'],
      ['total', (d) => (d.total = 120), 'total_mismatch', '总分：各类别分值合计 100 分，与总分 120 分不一致。'],
      ['bands order', (d) => d.bands.reverse(), 'bands_order', '等次：应按分数线从高到低排列，“合格”（60 分）排在了“不合格”（0 分）之后。'],
      ['fail grade', (d) => (d.failGrade = '不及格'), 'fail_grade_missing', '不合格等次：“不及格”不在等次列表中。'],
      ['lowest band', (d) => (d.bands[2]!.min = 30), 'lowest_band_not_zero', '等次“不合格”：最低等次的分数线应为 0 分（现为 30 分）。'],
      [
        'quota on a lower grade',
        (d) => (d.topGradeQuota = { grade: '合格', maxShare: 0.3 }),
        'quota_grade',
        '名额限制：只能限制最高等次“优秀”的名额，不能限制“合格”。',
      ],
      [
        'duplicate titles',
        (d) => (block(d, 1).title = '受理'),
        'duplicate_title',
        '标准的第一层下有两个名为“受理”的类别，请改用不同的名称。',
      ],
      [
        'separator in title',
        (d) => (block(d, 1).title = '审查›决定'),
        'title_separator',
        '类别“审查›决定”：名称中不能含有“›”（表格中用它分隔上下级类别）。',
      ],
      [
        'penalty with full',
        (d) => Object.assign(item(d, 'xk-1'), { penalty: true, points: 0 }),
        'penalty_full',
        '编号“1”（类别“受理”）：扣分项没有自己的分值，不能“扣全分”，请改为扣 N 分、每处扣 N 分或视情况扣分。',
      ],
    ];
    for (const [what, change, code, message] of cases) {
      const issues = errorsOf(validateDefinition(xkWith(change)));
      expect(
        issues.map((i) => i.code),
        what,
      ).toContain(code);
      expect(issues.find((i) => i.code === code)?.message, what).toBe(message);
    }
  });

  it('says a block falls short only because points are unknown as a warning beside the error on the item', () => {
    const def = structuredClone(builtin(PENALTY));
    item(def, 'cfyb-2.1').points = null;
    const issues = validateDefinition(def);
    expect(errorsOf(issues).map((i) => i.message)).toEqual(['编号“2.1”（类别“事实证据”）：没有分值，无法扣分。请填写该项分值。']);
    expect(warningsOf(issues).map((i) => i.message)).toEqual([
      '类别“事实证据”：已知分值合计 17 分，少于类别分值 20 分（另有 1 项分值未知）。',
    ]);
  });

  it('describes schema problems by block and item, not by JSON path', () => {
    const raw = JSON.parse(JSON.stringify(builtin(XK))) as Record<string, unknown>;
    (raw.blocks as Array<{ children: Array<Record<string, unknown>> }>)[0]!.children[1]!.points = -3;
    const result = checkDefinition(raw);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatchObject({
        field: 'blocks.0.children.1.points',
        message: '评分类别 › 类别“受理” › 编号“2” › 分值：分值不能为负数',
      });

    const typo = { ...builtin(XK), totl: 100 } as Record<string, unknown>;
    const r2 = checkDefinition(typo);
    expect(!r2.ok && r2.errors[0]!.message).toBe('无法识别的字段：totl');
    const noRule = JSON.parse(JSON.stringify(builtin(XK))) as { blocks: Array<{ children: Array<Record<string, unknown>> }> };
    noRule.blocks[3]!.children[0]!.rule = { kind: 'sometimes' };
    const r3 = checkDefinition(noRule);
    expect(!r3.ok && r3.errors[0]!.message).toBe(
      '评分类别 › 类别“文书制作与案卷归档” › 编号“12.1” › 扣分方式 › 类型：扣分方式必须是 full、fixed、perOccurrence、range 或 veto 之一',
    );
  });

  it('accepts every generated standard (the generator used by the property tests is sound)', () => {
    fc.assert(
      fc.property(definitionArb, (def) => {
        expect(errorsOf(validateDefinition(def))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('deduction rules as text', () => {
  it('formats and parses every kind back to the same rule', () => {
    const rules = [
      { kind: 'full' },
      { kind: 'fixed', amount: 1.5 },
      { kind: 'perOccurrence', amount: 1 },
      { kind: 'perOccurrence', amount: 0.25, cap: 3 },
      { kind: 'range', min: 1, max: 5, step: 0.5 },
      { kind: 'veto' },
    ] as const;
    for (const rule of rules) expect(parseRule(formatRule(rule))).toEqual({ rule });
  });

  it('reads the ways bureaus write them', () => {
    expect(parseRule('扣 2 分')).toEqual({ rule: { kind: 'fixed', amount: 2 } });
    expect(parseRule('每项扣１分，扣完为止。')).toEqual({ rule: { kind: 'perOccurrence', amount: 1 } });
    expect(parseRule('每处扣1分,最多扣5分')).toEqual({ rule: { kind: 'perOccurrence', amount: 1, cap: 5 } });
    expect(parseRule('视情况扣1-5分')).toEqual({ rule: { kind: 'range', min: 1, max: 5, step: 0.5 } });
    expect(parseRule('视情况扣1~5分(步长1分)')).toEqual({ rule: { kind: 'range', min: 1, max: 5, step: 1 } });
    expect(parseRule('不得分')).toEqual({ rule: { kind: 'full' } });
    expect(parseRule('一票否决')).toEqual({ rule: { kind: 'veto' } });
    expect(parseRule('酌情扣分')).toEqual({ error: expect.stringContaining('无法识别扣分方式“酌情扣分”') });
  });

  it('describes rules for the sheet, including caps and placeholders', () => {
    expect(describeRule({ rule: { kind: 'perOccurrence', amount: 1, cap: 4 }, points: 6 })).toBe('每处扣1分，最多扣4分');
    expect(describeRule({ rule: { kind: 'full' }, points: 80, provenance: { kind: 'placeholder' } })).toBe('原文未取得，不能扣分');
  });
});

describe('version labels', () => {
  it('never repeats a label', () => {
    expect(nextVersionLabel('2022版', ['2022版'])).toBe('2022版（修订1）');
    expect(nextVersionLabel('2022版（修订1）', ['2022版', '2022版（修订1）'])).toBe('2022版（修订2）');
    expect(nextVersionLabel('参考版 1', ['参考版 1', '参考版 1（修订1）', '参考版 1（修订3）'])).toBe('参考版 1（修订2）');
  });
});

describe('top-grade quota', () => {
  const def = { ...builtin(XK), topGradeQuota: { grade: '优秀', maxShare: 0.2 } };
  const files = (totals: number[]) =>
    totals.map((total, i) => ({ key: `f${i}`, total, grade: total >= 90 ? '优秀' : total >= 60 ? '合格' : '不合格' }));

  it('keeps the highest files and moves the rest to the next band', () => {
    const r = applyTopGradeQuota(def, files([95, 91, 98, 70, 92, 50, 93, 80, 85, 60]));
    expect(r.allowed).toBe(2);
    expect(r.outcomes.filter((o) => o.grade === '优秀').map((o) => o.key)).toEqual(['f0', 'f2']);
    expect(r.outcomes.filter((o) => o.demoted).map((o) => o.key)).toEqual(['f1', 'f4', 'f6']);
    expect(r.outcomes.find((o) => o.key === 'f6')).toEqual({ key: 'f6', grade: '合格', originalGrade: '优秀', demoted: true });
    expect(r.tiedAtCutoff).toEqual([]);
  });

  it('never exceeds the quota on a tie at the cut-off, and reports the tie', () => {
    const r = applyTopGradeQuota(def, files([96, 92, 92, 50, 60, 70, 71, 72, 73, 74]));
    expect(r.outcomes.filter((o) => o.grade === '优秀').map((o) => o.key)).toEqual(['f0']);
    expect(r.tiedAtCutoff).toEqual(['f1', 'f2']);
  });

  it('changes nothing without a quota or within it', () => {
    expect(applyTopGradeQuota(builtin(XK), files([95, 96])).outcomes.every((o) => !o.demoted)).toBe(true);
    expect(applyTopGradeQuota(def, files([95, 60, 60, 60, 60])).outcomes.every((o) => !o.demoted)).toBe(true);
  });

  it('holds for any campaign: never more top grades than allowed, only top grades demoted', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 60 }), fc.integer({ min: 1, max: 100 }), (totals, pct) => {
        const d = { ...def, topGradeQuota: { grade: '优秀', maxShare: pct / 100 } };
        const r = applyTopGradeQuota(d, files(totals));
        const top = r.outcomes.filter((o) => o.grade === '优秀').length;
        expect(top).toBeLessThanOrEqual(Math.floor((pct / 100) * totals.length + 1e-9));
        for (const o of r.outcomes) if (o.demoted) expect([o.originalGrade, o.grade]).toEqual(['优秀', '合格']);
      }),
    );
  });
});
