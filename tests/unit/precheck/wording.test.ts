/**
 * What a finding says to the reviewer: only the amounts the decision has (a "没收0元" reads like a
 * finding of its own), and the article that fits its own defect, the same one the score-sheet item it
 * points at cites (行政处罚法 art. 4 and art. 38(1) for a basis that does not govern the conduct).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPrecheck } from '../../../shared/precheck/engine.js';
import { PRECHECK_RULES } from '../../../shared/precheck/rules.js';
import { campaignCaseFixture } from '../../support/dossiers/index.js';
import { REPO_ROOT } from '../../support/temp.js';

describe('finding wording', () => {
  it('names only the amounts a 较大数额 file has when no hearing was offered', async () => {
    // 清自然资罚: a person fined 38000 元 for building on land taken without approval, nothing confiscated.
    const { truth } = await campaignCaseFixture('hearing_not_offered');
    const found = runPrecheck(truth.pages.map((p) => p.text)).findings.find((f) => f.rule === 'hearing_not_offered');
    expect(found?.message).toMatch(/^(个人|单位)罚款\d+元，达到较大数额（罚款\d+元），卷内未见听证告知。$/);
    expect(found?.message).not.toMatch(/(罚款|没收)0元/);
  }, 120_000);

  it('cites for a mismatched basis the articles the standard’s item 0.5 cites, not the decision-content article', async () => {
    const standard = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'resources/standards/xzcf-cankao-yiban.json'), 'utf8')) as unknown;
    const items: Array<{ id: string; basis?: string }> = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as { id?: unknown; basis?: unknown };
        if (typeof o.id === 'string') items.push({ id: o.id, ...(typeof o.basis === 'string' ? { basis: o.basis } : {}) });
        Object.values(n).forEach(walk);
      }
    };
    walk(standard);
    const rule = PRECHECK_RULES.legal_basis_mismatch;
    expect(rule.items['xzcf-cankao-yiban']?.[0]).toBe('cfyb-0.5');
    expect(rule.statute).toBe(items.find((i) => i.id === 'cfyb-0.5')?.basis);
    const { truth } = await campaignCaseFixture('legal_basis_mismatch');
    const found = runPrecheck(truth.pages.map((p) => p.text)).findings.find((f) => f.rule === 'legal_basis_mismatch');
    expect(found?.statute).toBe('《中华人民共和国行政处罚法》第四条、第三十八条第一款');
  }, 120_000);
});
