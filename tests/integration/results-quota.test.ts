/**
 * A standard that caps the top grade (优秀不超过参评案卷的 N%): the ResultsService ranks the campaign's
 * final files and gives those beyond the cap the next grade, so a single file, the campaign lists and
 * everything quoting them agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../shared/scoring/scoring.js';
import { campaignStatistics } from '../../shared/letters/statistics.js';
import { scoreWithStandard, type TestBackend } from '../support/backend.js';
import { TEST_STANDARD, allPass, deduct } from '../support/review-fixtures.js';
import { importCase, openBackendWithStandards, setupPanel, type Panel } from '../support/review-setup.js';

let t: TestBackend;
let p: Panel;
const files: Record<string, string> = {};

async function scoreFile(caseId: string, answers: Record<string, Answer>, submit: boolean): Promise<void> {
  const zhang = p.users.zhang!.client;
  const view = await zhang.call('sheet:start', { caseId });
  let revision = view.sheet.revision;
  for (const [itemId, answer] of Object.entries(answers))
    revision = (await zhang.call('sheet:answer', { sheetId: view.sheet.id, itemId, answer, revision })).revision;
  if (submit) await zhang.call('sheet:submit', { sheetId: view.sheet.id, revision });
}

beforeAll(async () => {
  // allowed = ⌊0.6 × 5 final files⌋ = 3
  t = openBackendWithStandards([{ ...TEST_STANDARD, topGradeQuota: { grade: '优秀', maxShare: 0.6 } }]);
  p = await setupPanel(t.backend);
  await scoreWithStandard(p.admin, p.campaignId, 'penalty_general', TEST_STANDARD.standardId);
  const plan: Array<[string, Record<string, Answer>, boolean]> = [
    ['F1', allPass(), true], // 100
    ['F2', { ...allPass(), b1: deduct({ deduction: 2, comment: '用语不规范' }) }, true], // 98
    ['F3', { ...allPass(), b1: deduct({ deduction: 5, comment: '用语不规范' }) }, true], // 95
    ['F4', { ...allPass(), b1: deduct({ deduction: 5, comment: '用语不规范' }) }, true], // 95
    ['F5', { ...allPass(), a2: deduct({ comment: '未告知' }), b1: deduct({ deduction: 5, comment: '用语不规范' }) }, true], // 90
    ['F6', allPass(), false], // 100 on a draft, not delivered: no result yet, and no place in the ranking
  ];
  for (const [key, answers, submit] of plan) {
    files[key] = await importCase(t.backend, p, `某罚〔2025〕${key.slice(1)}号`, 'penalty_general', ['zhang']);
    await scoreFile(files[key]!, answers, submit);
  }
});
afterAll(() => t.close());

const results = () => t.backend.services.results;

describe('top-grade quota', () => {
  it('keeps the best final files in the top grade and gives the rest the next grade; ties at the cut-off are reported', () => {
    const byKey = Object.fromEntries(Object.entries(files).map(([k, id]) => [k, results().caseOutcome(id)]));
    expect(
      Object.fromEntries(Object.entries(byKey).map(([k, o]) => [k, [o.status, o.result?.total ?? null, o.result?.grade ?? null]])),
    ).toEqual({
      F1: ['final', 100, '优秀'],
      F2: ['final', 98, '优秀'],
      F3: ['final', 95, '良好'],
      F4: ['final', 95, '良好'],
      F5: ['final', 90, '良好'],
      F6: ['unscored', null, null],
    });
    // Two files tied at 95 for the third place: neither keeps 优秀 (the cap is never exceeded).
    expect(byKey.F3!.quota).toEqual({ originalGrade: '优秀', tiedAtCutoff: true });
    expect(byKey.F5!.quota).toEqual({ originalGrade: '优秀', tiedAtCutoff: false });
    expect(byKey.F1!.quota).toBeNull();
    expect(byKey.F6!.quota).toBeNull();
  });

  it('gives the campaign list the same grades as the single file', () => {
    const list = results().campaignOutcomes(p.campaignId);
    for (const o of list) expect(o.result?.grade).toBe(results().caseOutcome(o.caseId).result?.grade);
    expect(list.filter((o) => o.status === 'final' && o.result!.grade === '优秀')).toHaveLength(2);
  });

  it('shows the quota grade on the results board and in the file review', async () => {
    const lead = p.users.lead!.client;
    const board = (await lead.call('review:board', { campaignId: p.campaignId })).rows;
    expect(board.find((r) => r.caseId === files.F3)!.final).toMatchObject({ total: 95, grade: '良好' });
    expect(board.find((r) => r.caseId === files.F2)!.final).toMatchObject({ total: 98, grade: '优秀' });
    expect((await lead.call('review:case', { caseId: files.F5! })).final!.summary).toMatchObject({ total: 90, grade: '良好' });
  });

  it('counts the quota grade in the statistics, as the letters’ full facts do', async () => {
    const statistics = await p.users.lead!.client.call('stats:campaign', { campaignId: p.campaignId });
    expect(statistics.grades.filter((g) => g.count > 0).map((g) => [g.grade, g.count])).toEqual([
      ['优秀', 2],
      ['良好', 3],
    ]);
    const full = t.backend.services.campaignFacts.build(p.campaignId, { stored: true });
    expect(statistics).toEqual(
      campaignStatistics({
        fact: full.fact,
        submittedCount: full.submittedCount,
        missingCount: full.missingCount,
        drawn: full.drawn,
        provisionalCount: full.provisional.length,
        unscoredCount: full.unscored.length,
      }),
    );
  });

  it('answers not_found with a Chinese message for a file that does not exist', () => {
    expect(() => results().caseOutcome('no-such-case')).toThrowError(
      expect.objectContaining({ code: 'not_found', message: '案卷不存在。' }),
    );
  });
});
