/**
 * A vetoed file in what a bureau signs: it fails on its 否决 finding alone. The deductions reviewers
 * noted beside the veto are not counted as problems in the statistics, the 通报, the 意见书 or the
 * 整改台账, and the veto is stated as the file's 否决 finding ("否决：…"), not as a deduction of 0. The
 * 通报's 好的做法 praises only what the figures bear out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docText } from '../../shared/letters/document.js';
import type { Answer } from '../../shared/scoring/scoring.js';
import { scoreWithStandard, type TestBackend } from '../support/backend.js';
import { convertWithLibreOffice, pdfFacts } from '../support/office.js';
import { TEST_STANDARD, veto } from '../support/review-fixtures.js';
import { openBackendWithStandards, setupPanel, type Panel, importCase, deliverSheet } from '../support/review-setup.js';
import { downloadBytes } from '../support/signing.js';
import { outputDir } from '../support/temp.js';

let t: TestBackend;
let p: Panel;
const ids: Record<string, string> = {};
const OUT = outputDir('results-veto');
const MARKET = '某某县市场监督管理局';
const TRANSPORT = '某某县交通运输局';

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
  await importFile('vetoed', '某市监罚〔2025〕1号', MARKET);
  await importFile('good', '某交罚〔2025〕1号', TRANSPORT);
  // Both reviewers veto the file, and both also note a wording fault beside the veto.
  for (const who of ['zhang', 'li'])
    await deliver(who, 'vetoed', { g1: veto('执法主体不合法'), b1: { status: 'deduct', deduction: 1, comment: '文书用语不规范' } });
  // A veto always goes to the panel: the lead confirms it and settles the file.
  const lead = p.users.lead!.client;
  const open = await lead.call('reconcile:open', { caseId: ids.vetoed! });
  await lead.call('reconcile:finalise', { caseId: ids.vetoed!, note: '经合议，确认否决', revision: open.review.revision });
  for (const who of ['zhang', 'li']) await deliver(who, 'good', { a2: { status: 'deduct', comment: '未告知陈述申辩权利' } });
}, 120_000);
afterAll(() => t.close());

const text = (doc: Parameters<typeof docText>[0]): string => docText(doc).join('\n');
const unitId = async (name: string) =>
  (await p.admin.call('letter:list', { campaignId: p.campaignId })).units.find((u) => u.unitName === name)!.unitId;

describe('a vetoed file', () => {
  it('counts its veto, not the deductions beside it, in the statistics', async () => {
    const s = await p.admin.call('stats:campaign', { campaignId: p.campaignId });
    expect(s.units.find((u) => u.unitName === MARKET)).toMatchObject({ problemCount: 1 });
    expect(s.categories.reduce((n, c) => n + c.count, 0)).toBe(2);
    expect(s.items.some((i) => i.itemCode === '4')).toBe(false);
  });

  it('states the veto as the 意见书’s 否决 finding, without the incidental deduction (real DOCX through LibreOffice)', async () => {
    const out = await p.admin.call('letter:export', { campaignId: p.campaignId, kind: 'opinion', unitId: await unitId(MARKET) });
    const docx = path.join(OUT, 'opinion-vetoed.docx');
    fs.writeFileSync(docx, await downloadBytes(t.backend, out.url));
    const pdfText = pdfFacts(convertWithLibreOffice(docx, OUT)).text.replace(/\s+/g, '');
    expect(pdfText).toContain('否决：执法主体不合法');
    expect(pdfText).not.toContain('文书用语不规范');
    expect(pdfText).not.toMatch(/扣0分/);
  });

  it('keeps the 通报 to the veto and praises no unit with a finding', async () => {
    const all = text((await p.admin.call('letter:preview', { campaignId: p.campaignId, kind: 'bulletin' })).doc);
    expect(all).not.toContain('文书用语不规范');
    expect(all).toContain('评查共发现扣分问题2项');
    expect(all).not.toContain('部分单位执法程序完整规范');
    // 交通运输 reached 优秀 but was deducted for 陈述申辩: no praise of its 执法程序.
    expect(all).not.toContain(`${TRANSPORT}报送的案卷均评为优秀等次`);
    expect(all).not.toContain('好的做法');
  });

  it('puts the veto in the 整改台账 as 否决 and no row for the deduction beside it', async () => {
    await p.admin.call('ledger:sync', { campaignId: p.campaignId });
    const rows = (await p.admin.call('ledger:list', { campaignId: p.campaignId })).rows.filter(
      (r) => r.caseNumber === '某市监罚〔2025〕1号',
    );
    expect(rows.map((r) => [r.description, r.deduction])).toEqual([['执法主体不合法。', '否决']]);
  });
});
