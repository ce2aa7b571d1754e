/**
 * The wording a letter quotes for a finding the 评查组长 and a reviewer both recorded: the settled
 * wording, i.e. the 组长's own where he scored the file, whoever delivered first; and where the panel
 * adopted one reviewer's reading, that one. Read from the exported 意见书 (the DOCX's own text).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docText } from '../../shared/letters/document.js';
import { docxParts } from '../support/docx-xml.js';
import { openTestBackend, type TestBackend } from '../support/backend.js';
import { deliverSheet, importCase, setupPanel, type Panel } from '../support/review-setup.js';

let t: TestBackend;
let p: Panel;
const UNIT = '某某县市场监督管理局';
const REVIEWER_WORDS = '补正告知不全';
const LEAD_WORDS = '未一次性告知申请人需要补正的全部内容';

async function bytesOf(url: string): Promise<Buffer> {
  const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${url}`));
  expect(response!.status).toBe(200);
  return Buffer.from(await response!.arrayBuffer());
}
/** The text of the DOCX's body, runs joined. */
async function docxText(url: string): Promise<string> {
  const { document } = await docxParts(await bytesOf(url));
  return [...document.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

beforeAll(async () => {
  t = openTestBackend();
  p = await setupPanel(t.backend);
  // 1. The reviewer delivers first, the 组长 second; both deduct item 2 in their own words: agreed, settled as it stands.
  const agreed = await importCase(t.backend, p, '某市监许〔2025〕31号', 'license', ['zhang', 'lead']);
  await deliverSheet(p.users.zhang!.client, agreed, { 'xk-2': { status: 'deduct', comment: REVIEWER_WORDS } });
  await deliverSheet(p.users.lead!.client, agreed, { 'xk-2': { status: 'deduct', comment: LEAD_WORDS } });
  // 2. Two reviewers (the 组长 not among them) record 12.5 in different words and differ on item 5; the
  //    组长 adopts 李四's reading of 12.5 though 张三 delivered first.
  const adopted = await importCase(t.backend, p, '某市监许〔2025〕32号', 'license', ['zhang', 'li']);
  await deliverSheet(p.users.zhang!.client, adopted, {
    'xk-12.5': { status: 'deduct', comment: '未编页号' },
    'xk-5': { status: 'deduct', comment: '两部门分别受理' },
  });
  await deliverSheet(p.users.li!.client, adopted, { 'xk-12.5': { status: 'deduct', comment: '卷内材料未按顺序编写页号' } });
  const lead = p.users.lead!.client;
  const view = await lead.call('reconcile:open', { caseId: adopted });
  expect(view.review.state).toBe('flagged');
  const li = view.sheets.find((s) => s.sheet.reviewerName === '李四')!;
  let revision = view.review.revision;
  for (const itemId of ['xk-5', 'xk-12.5'])
    revision = (
      await lead.call('reconcile:answer', { caseId: adopted, itemId, answer: li.answers[itemId] ?? { status: 'pass' }, revision })
    ).revision;
  expect((await lead.call('reconcile:finalise', { caseId: adopted, revision })).state).toBe('final');
}, 120_000);
afterAll(() => t?.close());

describe('the wording a letter quotes for a finding recorded twice', () => {
  it('is the 组长’s own where he scored the file, and the adopted reading where the panel chose one', async () => {
    const list = await p.admin.call('letter:list', { campaignId: p.campaignId });
    const unit = list.units.find((u) => u.unitName === UNIT)!;
    expect(unit).toMatchObject({ finalCount: 2, provisionalCount: 0 });
    const preview = docText(
      (await p.admin.call('letter:preview', { campaignId: p.campaignId, kind: 'opinion', unitId: unit.unitId })).doc,
    ).join('\n');
    expect(preview).toContain(LEAD_WORDS);
    expect(preview).not.toContain(REVIEWER_WORDS);
    const out = await p.admin.call('letter:export', { campaignId: p.campaignId, kind: 'opinion', unitId: unit.unitId, date: '2025-03-05' });
    const text = await docxText(out.url);
    expect(text).toContain(LEAD_WORDS);
    expect(text).not.toContain(REVIEWER_WORDS);
    // The adopted reading, not the first delivered nor both run together.
    expect(text).toContain('卷内材料未按顺序编写页号');
    expect(text).not.toContain('未编页号；');
    expect(text).not.toMatch(/[^写]未编页号/);
    // The 通报 says it the same way.
    const bulletin = await p.admin.call('letter:export', { campaignId: p.campaignId, kind: 'bulletin', date: '2025-03-05' });
    const said = await docxText(bulletin.url);
    expect(said).not.toContain(REVIEWER_WORDS);
  });

  it('lists a unit’s files nobody scored or still being scored apart from one scored but not settled', async () => {
    await importCase(t.backend, p, '某市监许〔2025〕33号', 'license', ['zhang', 'li']);
    // Both reviewers delivered, in different grades: scored, awaiting 合议.
    const disputed = await importCase(t.backend, p, '某市监许〔2025〕34号', 'license', ['zhang', 'li']);
    await deliverSheet(p.users.zhang!.client, disputed, {});
    await deliverSheet(p.users.li!.client, disputed, { 'xk-5': { status: 'deduct', comment: '未由一个部门统一受理并转告有关部门' } });
    // One of its two reviewers delivered: still being scored, so no result yet.
    const scoring = await importCase(t.backend, p, '某市监许〔2025〕35号', 'license', ['zhang', 'li']);
    await deliverSheet(p.users.zhang!.client, scoring, {});
    const unit = (await p.admin.call('letter:list', { campaignId: p.campaignId })).units.find((u) => u.unitName === UNIT)!;
    expect(unit.pendingFiles.sort()).toEqual(['某市监许〔2025〕33号', '某市监许〔2025〕34号', '某市监许〔2025〕35号']);
    expect(unit.pendingUnscored).toBe(2);
  });
});
