/**
 * Letters a bureau can sign while a file is still 待合议: one reviewer's disputed veto is no finding in
 * the 意见书, the 整改通知书, the 通报 or the statistics; two reviewers' wordings of one defect are one
 * finding; the 意见书 says which of its results are 暂定; the 通报 praises only units without findings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docText } from '../../shared/letters/document.js';
import type { Answer } from '../../shared/scoring/scoring.js';
import { scoreWithStandard, type TestBackend } from '../support/backend.js';
import { TEST_STANDARD, veto } from '../support/review-fixtures.js';
import { openBackendWithStandards, setupPanel, type Panel, importCase, deliverSheet } from '../support/review-setup.js';

let t: TestBackend;
let p: Panel;
const ids: Record<string, string> = {};
const FARM = '某某县农业农村局';
const LAND = '某某县自然资源局';
const WATER = '某某县水利局';
const FISH = '某某县渔政监督管理站';

async function importFile(key: string, caseNumber: string, unitName: string) {
  ids[key] = await importCase(t.backend, p, caseNumber, 'penalty_general', ['zhang', 'li'], {
    unitName,
    caseTitle: `${unitName.replace('某某县', '')}案卷`,
  });
}

/** The reviewer answers these items and delivers the sheet, every other item 符合. */
async function deliver(who: string, key: string, answers: Record<string, Answer>): Promise<void> {
  await deliverSheet(p.users[who]!.client, ids[key]!, answers);
}

beforeAll(async () => {
  t = openBackendWithStandards([TEST_STANDARD]);
  p = await setupPanel(t.backend);
  await scoreWithStandard(p.admin, p.campaignId, 'penalty_general', TEST_STANDARD.standardId);
  await importFile('farmSettled', '清农罚〔2025〕22号', FARM);
  await importFile('farmDisputed', '清农罚〔2025〕23号', FARM);
  await importFile('land', '清自然资罚〔2025〕12号', LAND);
  await importFile('water', '清水罚〔2025〕3号', WATER);
  // 农业: one file both reviewers found sound; on the other one reviewer vetoes, the other does not (待合议),
  // and both deducted the same wording fault in their own words.
  for (const who of ['zhang', 'li']) await deliver(who, 'farmSettled', {});
  // The vetoing sheet is the last delivered.
  await deliver('li', 'farmDisputed', { b1: { status: 'deduct', deduction: 1, comment: '处罚决定书用语不规范' } });
  await deliver('zhang', 'farmDisputed', {
    g1: veto('执法主体不合法'),
    b1: { status: 'deduct', deduction: 1, comment: '决定书文字表述不规范' },
  });
  // 自然资源: both reviewers deduct the same item, each in their own words: settled as it stands.
  await deliver('zhang', 'land', { a2: { status: 'deduct', comment: '现场检查笔录仅一名执法人员签名' } });
  await deliver('li', 'land', { a2: { status: 'deduct', comment: '现场检查笔录只有一名执法人员签字' } });
  for (const who of ['zhang', 'li']) await deliver(who, 'water', {});
  // 渔政: its only file is disputed (one veto, one sound sheet): nothing agreed, but nothing settled either.
  await importFile('fish', '清渔罚〔2025〕5号', FISH);
  await deliver('li', 'fish', {});
  await deliver('zhang', 'fish', { g1: veto('执法主体不合法') });
}, 120_000);
afterAll(() => t.close());

const text = (doc: Parameters<typeof docText>[0]): string => docText(doc).join('\n');
const unitId = async (name: string) =>
  (await p.admin.call('letter:list', { campaignId: p.campaignId })).units.find((u) => u.unitName === name)!.unitId;
const preview = async (kind: 'opinion' | 'notice' | 'bulletin', unit?: string, includeProvisional = false) =>
  (
    await p.admin.call('letter:preview', {
      campaignId: p.campaignId,
      kind,
      ...(unit ? { unitId: await unitId(unit) } : {}),
      ...(includeProvisional ? { includeProvisional } : {}),
    })
  ).doc;

describe('a file one reviewer vetoed and the other did not (待合议)', () => {
  it('states only what both reviewers found in the 意见书 and the 整改通知书, never the disputed veto', async () => {
    for (const kind of ['opinion', 'notice'] as const) {
      const all = text(await preview(kind, FARM));
      expect(all).not.toContain('否决');
      expect(all).not.toContain('执法主体不合法');
      expect(all).toContain('处罚决定书用语不规范');
      expect(all).not.toContain('决定书文字表述不规范');
    }
  });

  it('keeps the disputed veto out of the 通报 with 包含暂定结果 and out of the statistics', async () => {
    const all = text(await preview('bulletin', undefined, true));
    expect(all).not.toContain('执法主体不合法');
    expect(all).not.toContain('否决');
    const s = await p.admin.call('stats:campaign', { campaignId: p.campaignId });
    expect(s.categories.map((c) => c.category)).not.toContain('否决项');
    expect(s.units.find((u) => u.unitName.startsWith(FARM))).toMatchObject({ problemCount: 1 });
  });

  it('marks the 意见书 as holding 暂定 results and names the unsettled file', async () => {
    const doc = await preview('opinion', FARM);
    expect(doc.title).toContain('（含暂定结果）');
    expect(text(doc)).toMatch(/清农罚〔2025〕23号[^。]*尚未[^。]*合议/);
    const settled = await preview('opinion', WATER);
    expect(settled.title).not.toContain('暂定');
  });

  it('never tells a unit whose file awaits the panel that its files hold no problem', async () => {
    const all = text(await preview('opinion', FISH));
    expect(all).not.toContain('均未发现扣分问题');
    expect(all).not.toContain('继续保持');
    expect(all).toContain('你单位被抽查的1件案卷中，清渔罚〔2025〕5号尚待评查组合议');
    expect(text(await preview('opinion', WATER))).toContain('均未发现扣分问题');
  });
});

describe('two reviewers’ wordings of one defect', () => {
  it('print as one finding — the first reviewer’s words — in the 意见书, the 通报 and the 整改台账', async () => {
    const opinion = text(await preview('opinion', LAND));
    expect(opinion).toContain('现场检查笔录仅一名执法人员签名');
    expect(opinion).not.toContain('只有一名执法人员签字');
    const bulletin = text(await preview('bulletin'));
    expect(bulletin).toContain('现场检查笔录仅一名执法人员签名');
    expect(bulletin).not.toContain('只有一名执法人员签字');
    await p.admin.call('ledger:sync', { campaignId: p.campaignId });
    const rows = (await p.admin.call('ledger:list', { campaignId: p.campaignId })).rows.filter(
      (r) => r.caseNumber === '清自然资罚〔2025〕12号',
    );
    expect(rows.map((r) => r.description)).toEqual(['现场检查笔录仅一名执法人员签名。']);
  });
});

describe('the 通报', () => {
  it('praises only units without findings', async () => {
    const all = text(await preview('bulletin', undefined, true));
    expect(all).toContain(`${WATER}报送的案卷均评为优秀等次`);
    expect(all).not.toMatch(new RegExp(`${LAND}[^。]*报送的案卷均评为`));
    expect(all).not.toMatch(new RegExp(`${FARM}[^。]*报送的案卷均评为`));
  });
});

describe('the 整改通知书', () => {
  it('asks for rectification of the problems listed above, not of problems “below”', async () => {
    const all = text(await preview('notice', LAND));
    expect(all).not.toContain('对照以下问题');
    expect(all).toContain('对照上述问题');
  });
});
