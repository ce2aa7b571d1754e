/**
 * What a new organiser meets on the 清溪县 material, in a real browser at 1366×768 and 1024×768: a
 * dossier saved under last year's 案号 and one under another row's 当事人 are problems of the import
 * review, each explained with its three choices; on a panel where nobody is ticked 法律专业 the
 * assignment preview works with its defaults and, asked for a legal professional per file, says why it
 * cannot and offers to drop that; a draw of N per unit shows its 见证人 and method in Chinese.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, ADMIN } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, type HostFixture, type OffNetworkBrowser, type watch } from '../support/browser.js';
import { realisticCampaign, type RealisticCampaign } from '../support/dossiers/index.js';
import { openLoggedIn } from '../support/e2e-session.js';
import { createPeople, importPool } from '../support/panel-fixtures.js';
import { tempDir } from '../support/temp.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let campaign: RealisticCampaign;
let importCampaign: string;
let panelCampaign: string;
const files = tempDir('pingcha-e2e-newcomer-');
const folder = path.join(files.dir, '报送材料');
const contexts: Array<{ context: BrowserContext; seen: ReturnType<typeof watch> }> = [];
let wrongNumber = '';
let otherParty = '';

beforeAll(async () => {
  campaign = await realisticCampaign();
  fx = await startTestHost();
  net = await launchOffline();
  const admin = await setupAdmin(fx.host.backend, 'seed');
  importCampaign = (
    await admin.call('campaign:create', { name: '清溪县2025年度行政执法案卷评查', year: 2025, issuingBody: '清溪县司法局' })
  ).id;
  panelCampaign = (await admin.call('campaign:create', { name: '2025年度按单位抽查', year: 2025, issuingBody: '某某县司法局' })).id;
  await importPool(fx.host.backend, admin, panelCampaign);
  const people = await createPeople(admin, [
    { username: 'chen', displayName: '陈评查', role: 'reviewer', affiliation: '某某县财政局' },
    { username: 'lin', displayName: '林评查', role: 'reviewer', affiliation: '某某县审计局' },
    { username: 'he', displayName: '何评查', role: 'reviewer', affiliation: '某某县统计局' },
  ]);
  await admin.call('panel:setMembers', { campaignId: panelCampaign, userIds: [...people.values()] });

  const born = campaign.dossiers.filter((d) => !d.truth.scanned);
  const [typo, byParty, other, plain] = [born[0]!, born[1]!, born[2]!, born[3]!];
  wrongNumber = typo.truth.caseNumber.replace('〔2025〕', '〔2023〕');
  otherParty = other.truth.facts.party.name;
  const put = (rel: string, from: string) => {
    fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(folder, rel));
  };
  put(`${typo.truth.unitName}/${wrongNumber}${typo.truth.title}.pdf`, typo.path);
  put(`${byParty.truth.unitName}/${otherParty}.pdf`, byParty.path);
  put(`${plain.truth.unitName}/${plain.truth.fileName}`, plain.path);
}, 300_000);
afterAll(async () => {
  for (const c of contexts) await c.context.close();
  await net?.close();
  await fx?.close();
  files.cleanup();
});

const assertClean = () => {
  for (const c of contexts) {
    expect(c.seen.outside()).toEqual([]);
    expect(c.seen.problems).toEqual([]);
  }
  expect(net.escapedByApp()).toEqual([]);
};

describe('a new organiser on the 清溪县 material', () => {
  let page: Page;

  it('sees a file name that contradicts its pages as a problem with three choices', async () => {
    page = await openLoggedIn(net.browser, fx.host, contexts, ADMIN);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.evaluate((id) => void (location.hash = `#/campaign/${encodeURIComponent(id)}/import`), importCampaign);
    await page.getByLabel('案卷文件夹').setInputFiles(folder);
    await page.getByLabel('案件清单').setInputFiles(campaign.listXlsx);
    await page.getByRole('button', { name: '下一步', exact: true }).click();
    await page.getByText('已按表头名称自动识别').waitFor({ timeout: 180_000 });
    // The mapping preview shows what is stored, the raw text under it where they differ.
    const readRows = page.getByRole('table', { name: '按当前对应关系读出的前几行' });
    await expect.poll(() => readRows.textContent()).toMatch(/罚款 [\d,]+ 元/);
    expect(await readRows.getByTestId('raw-text').filter({ hasText: '记为决定内容' }).first().textContent()).toMatch(
      /^原文：.+（记为决定内容）$/,
    );
    await readRows.evaluate((t) => (t.parentElement!.scrollLeft = t.parentElement!.scrollWidth));
    await readRows.scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-mapping-preview-1366');
    await page.getByRole('button', { name: '下一步：匹配案卷' }).click();

    const problems = page.getByRole('region', { name: '文件名与案卷内容不符' });
    await problems.waitFor({ timeout: 120_000 });
    expect(await problems.locator('h3').textContent()).toContain('问题 2 个');
    expect(await page.getByLabel('匹配结果').textContent()).toContain('2个文件名与案卷内容不符');
    const items = problems.getByTestId('name-mismatch');
    const typoItem = items.filter({ hasText: wrongNumber });
    expect(await typoItem.textContent()).toContain(`文件名写案号 ${wrongNumber}，案卷内容为案号`);
    expect(await typoItem.getByLabel(/按内容登记/).isChecked()).toBe(true);
    expect(await typoItem.textContent()).toContain('按文件名登记');
    expect(await typoItem.textContent()).toContain('新登记案件');
    const partyItem = items.filter({ hasText: `${otherParty}.pdf` });
    expect(await partyItem.textContent()).toContain(`文件名写当事人“${otherParty}”`);
    await problems.scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-import-mismatch-1366');
    // The combined 金额/决定内容 column's rule is said once; its rows show only what they store.
    const notes = page.getByRole('region', { name: '清单中的问题与提示' });
    expect(await notes.getByTestId('column-notes').locator('li').count()).toBe(1);
    expect(await notes.getByTestId('column-notes').textContent()).toContain('“处罚金额/决定内容”一栏兼作金额');
    for (const line of await notes.getByTestId('value-note').allTextContents()) expect(line).not.toContain('一栏兼作金额');
    expect(await page.getByRole('region', { name: '已匹配的案卷' }).textContent()).not.toContain('一栏兼作金额');
    await notes.scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-value-notes-1366');
    const unitRows = page.getByRole('region', { name: '被评查单位匹配' }).getByTestId('unit-match');
    for (const text of await unitRows.allTextContents()) {
      expect(text).not.toContain('本活动中将新登记此单位');
      expect(text).toMatch(/按.+归入已登记的 |新登记单位 /);
    }
    await unitRows.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-unit-matches-1366');
    await page.getByRole('region', { name: '已匹配的案卷' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-matched-1366');
    // A file matched by its content names the 案号 read, in full (it was cut after "写明案号 清溪…").
    const contentNotes = page.getByTestId('content-match');
    expect(await contentNotes.count()).toBeGreaterThan(0);
    for (const text of await contentNotes.allTextContents()) expect(text).toMatch(/^内容写明案号 [^\s案局]+〔\d{4}〕\d+号（第 \d+ 页/);
    expect(await contentNotes.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length)).toBe(0);
    await contentNotes.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-content-match-1366');
    await problems.scrollIntoViewIfNeeded();
    // 暂不登记 takes the file out of the count.
    const before = await page.getByRole('button', { name: /开始导入（\d+ 个文件）/ }).textContent();
    expect(before).toContain('开始导入（3 个文件）');
    await partyItem.getByLabel(/暂不登记/).check();
    await expect.poll(() => page.getByRole('button', { name: /开始导入/ }).textContent()).toContain('开始导入（2 个文件）');
    // The matched table gives a bureau's name room for one or two lines (it wrapped over four).
    const matched = page.getByRole('region', { name: '已匹配的案卷' });
    await matched.scrollIntoViewIfNeeded();
    const lines = async () =>
      matched.locator('td.unit').evaluateAll((cells) =>
        cells.map((c) => {
          const range = document.createRange();
          range.selectNodeContents(c);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }),
      );
    expect(Math.max(...(await lines()))).toBe(1);
    // The listed case whose PDF did not come is registered as 缺卷 unless declined.
    const withoutFile = page.getByRole('region', { name: '没有文件的案件' });
    expect(await withoutFile.getByTestId('empty-row').filter({ hasText: campaign.listedWithoutFile.caseNumber }).textContent()).toContain(
      '登记为缺卷，待补交案卷文件',
    );
    await screenshot(page, 'newcomer-import-matched-1366');
    await page.setViewportSize({ width: 1024, height: 768 });
    // The figures stay on one row at 1024 (one tile was left alone on a second row).
    const tiles = page.getByLabel('匹配结果').locator('.stat');
    await tiles.first().scrollIntoViewIfNeeded();
    const tops = await tiles.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(tops.length).toBeGreaterThanOrEqual(6);
    expect(new Set(tops).size).toBe(1);
    await screenshot(page, 'newcomer-import-tiles-1024');
    await matched.scrollIntoViewIfNeeded();
    expect(Math.max(...(await lines()))).toBeLessThanOrEqual(2);
    // …without squeezing the case name into a column of two characters.
    expect(
      Math.min(
        ...(await matched.locator('tbody td:nth-child(2)').evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width))),
      ),
    ).toBeGreaterThan(200);
    await screenshot(page, 'newcomer-import-matched-1024');
    await problems.scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-import-mismatch-1024');
    assertClean();
  }, 300_000);

  it('previews the assignment with the defaults, and offers to relax what the panel cannot meet', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.evaluate((id) => void (location.hash = `#/campaign/${encodeURIComponent(id)}/panel`), panelCampaign);

    // The draw: 每单位抽取 N 件, with a witness.
    await page.getByRole('button', { name: '开始抽取…' }).click();
    const dialog = page.getByRole('dialog', { name: '随机抽取' });
    await dialog.getByLabel('每单位抽取 N 件（不分案件类型）').check();
    await dialog.getByLabel('每个单位抽取件数').fill('3');
    await dialog.getByLabel('见证人（可选）').fill('县人大 王某');
    await dialog.getByLabel('由见证人当场输入').check();
    await dialog.getByLabel('种子').fill('20250307');
    await dialog.getByRole('button', { name: '抽取并记录' }).click();
    await expect.poll(() => page.getByTestId('drawn-count').textContent()).toBe('10 件');
    const record = page.getByTestId('draw-record');
    expect(await page.getByTestId('draw-witness').textContent()).toBe('县人大 王某');
    expect(await record.textContent()).toContain('每个被评查单位随机抽取 3 件，不足 3 件的全部抽取');
    expect(await page.getByTestId('draw-method').textContent()).toBe('以种子经 SM3 杂凑确定的随机排列（可复现）');
    expect(await page.locator('section[aria-labelledby="draw-title"]').textContent()).not.toMatch(/pingcha|SM3 \+ Fisher|算法 /);
    await record.scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-draw-1366');
    await page.setViewportSize({ width: 1024, height: 768 });
    await record.scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-draw-1024');
    await page.setViewportSize({ width: 1366, height: 768 });

    const form = page.getByRole('form', { name: '分配参数' });
    expect(await form.getByLabel('每卷至少一名法律专业人员').isChecked()).toBe(false);
    await form.getByRole('button', { name: '预览分配' }).click();
    const preview = page.getByLabel('分配预览');
    await expect.poll(() => preview.textContent()).toContain('10 件案卷 × 每卷 2 人');
    await preview.getByRole('button', { name: '放弃' }).click();

    await form.getByLabel('每卷至少一名法律专业人员').check();
    await form.getByRole('button', { name: '预览分配' }).click();
    const unmet = page.getByTestId('assign-unmet');
    await expect.poll(() => unmet.textContent()).toContain('不能满足“每卷至少一名法律专业人员”');
    await unmet.scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-assign-unmet-1366');
    await page.setViewportSize({ width: 1024, height: 768 });
    await unmet.scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-assign-unmet-1024');
    await unmet.getByRole('button', { name: '改为不要求每卷有法律专业人员，重新预览' }).click();
    await expect.poll(() => preview.textContent()).toContain('10 件案卷 × 每卷 2 人');
    expect(await form.getByLabel('每卷至少一名法律专业人员').isChecked()).toBe(false);
    assertClean();
  }, 300_000);
});
