/**
 * The 留痕 names the pre-check engine and a mark's linked item as the reviewer knows them, not by the
 * codes stored in the row (precheck@2026.1, cfyb-1.1).
 */
import { describe, expect, it } from 'vitest';
import { describeAudit } from '../../../shared/audit/describe.js';

const row = (action: string, entity: string, before: unknown, after: unknown) => ({
  action,
  entity,
  entityId: 'a1',
  actorId: 'u1',
  actorName: '张评查',
  segment: 'local',
  before: before === undefined ? null : JSON.stringify(before),
  after: after === undefined ? null : JSON.stringify(after),
});

describe('留痕 names the engine and the linked item', () => {
  it('says 智能预审 with its rule version', () => {
    const said = describeAudit(row('precheck.run', 'case', undefined, { engine: 'precheck@2026.1', findings: 3, pagesUnread: 0 }), {});
    const text = [said.sentence, ...said.details].join('\n');
    expect(text).toContain('智能预审（规则版本 2026.1）');
    expect(text).not.toContain('precheck@');
  });

  it('says the rule version of a run without calling it a 识别方式', () => {
    const said = describeAudit(row('precheck.run', 'case', undefined, { ruleset: '2026.1', findings: 3, pagesUnread: 0 }), {});
    const text = [said.sentence, ...said.details].join('\n');
    expect(text).toContain('规则版本');
    expect(text).not.toContain('识别方式');
  });

  it('names the item a mark is linked to by its number and text', () => {
    const names = { 'item:cfyb-1.1': '第 1.1 项“执法人员调查或者检查时未主动出示执法证件…”' };
    const said = describeAudit(
      row('annotation.create', 'annotation', undefined, { id: 'a1', type: 'area', pageIndex: 3, checklistItemId: 'cfyb-1.1' }),
      names,
    );
    const text = [said.sentence, ...said.details].join('\n');
    expect(text).toContain('第 1.1 项“执法人员调查或者检查时未主动出示执法证件…”');
    expect(text).not.toContain('cfyb-1.1');
  });

  it('says the unit of a hand-added 台账 row once, though the row holds its id and its name', () => {
    const said = describeAudit(
      row('ledger.add', 'ledger_row', undefined, { unitId: 'unit-1', unitName: '清溪县交通运输局', measure: '建立台账' }),
      { 'unit-1': '清溪县交通运输局' },
    );
    expect(said.details.filter((l) => l.startsWith('被评查单位'))).toEqual(['被评查单位：清溪县交通运输局']);
  });

  it('says a letter’s 文号 once when the letter’s name already carries it', () => {
    const names = { 'letter-1': '评查结果通报（清司监〔2026〕5号）' };
    const said = describeAudit(
      { ...row('letter.number', 'letter', undefined, { number: '清司监〔2026〕5号' }), entityId: 'letter-1' },
      names,
    );
    expect(said.sentence.match(/清司监〔2026〕5号/g)).toHaveLength(1);
    expect(said.sentence).toContain('为评查结果通报编排文号');
  });
});
