/** The rule line under each item of the score sheet, on the bundled reference standards: each rule said once. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StandardDefinitionSchema } from '../../../shared/standards/model.js';
import { allItems, ruleLine } from '../../../shared/standards/tree.js';
import { RESOURCES_DIR } from '../../support/temp.js';

const standard = (id: string) =>
  StandardDefinitionSchema.parse(JSON.parse(fs.readFileSync(path.join(RESOURCES_DIR, 'standards', `${id}.json`), 'utf8')));

describe('the rule line of an item', () => {
  it('prints the 行政处罚 reference standard’s rules once when its own wording says the same', () => {
    const items = allItems(standard('xzcf-cankao-yiban'));
    const byText = (start: string) => items.find((it) => it.text.startsWith(start))!;
    expect(ruleLine(byText('执法人员调查或者检查时未主动出示执法证件'))).toBe('每处扣1分，扣完为止');
    for (const it of items) {
      const line = ruleLine(it);
      expect(line.split(' · ').length, `${it.code} ${line}`).toBeLessThanOrEqual(2);
      expect(line, it.code).not.toMatch(/扣完为止 · 每发现一处/);
      expect(line, it.code).not.toMatch(/^扣全分（[\d.]+分） · 不符合的，扣该项全部分值$/);
    }
  });

  it('keeps the standard’s wording when it says more than the label', () => {
    const items = allItems(standard('xzcf-cankao-yiban'));
    const veto = items.find((it) => it.rule.kind === 'veto' && it.ruleText.includes('总分为0分'))!;
    expect(ruleLine(veto)).toBe('否决项 · 存在该情形的，案卷评为不合格，总分为0分');
    const base = { rule: { kind: 'full' as const }, points: 5 };
    expect(ruleLine({ ...base, ruleText: '未依法受理的不得分（推定）' })).toBe('扣全分（5分） · 未依法受理的不得分（推定）');
    expect(ruleLine({ ...base, ruleText: '存在该情形的，扣3分' })).toBe('扣全分（5分） · 存在该情形的，扣3分');
    expect(ruleLine({ ...base, ruleText: '存在该情形的，扣5分' })).toBe('扣全分（5分）');
    expect(ruleLine({ rule: { kind: 'perOccurrence', amount: 1, cap: 2 }, points: 4, ruleText: '每发现一处扣1分，扣完为止' })).toBe(
      '每处扣1分，最多扣2分 · 每发现一处扣1分，扣完为止',
    );
    expect(ruleLine({ rule: { kind: 'range', min: 1, max: 7, step: 0.5 }, points: 7, ruleText: '视情节轻重扣1–7分' })).toBe(
      '视情况扣1–7分（步长0.5）',
    );
  });
});
