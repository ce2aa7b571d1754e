/**
 * The 清溪县 material as the units sent it — one file on the 案件清单 whose PDF never came — in a real
 * browser at 1366×768 and 1024×768, before any draw: the case list marks that file 缺卷 in its row
 * (whole, at both widths), each type chip shows its whole label (处罚·一般, never 处罚·…), and the statistics
 * count as 报送 only the files that arrived, saying the missing one apart.
 */
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, setupAdmin, stage } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, type HostFixture, type OffNetworkBrowser, type watch } from '../support/browser.js';
import { realisticCampaign, type RealisticCampaign } from '../support/dossiers/index.js';
import { openLoggedIn } from '../support/e2e-session.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let campaign: RealisticCampaign;
const NAME = '清溪县2025年度行政执法案卷评查';
const contexts: Array<{ context: BrowserContext; seen: ReturnType<typeof watch> }> = [];

beforeAll(async () => {
  campaign = await realisticCampaign();
  fx = await startTestHost();
  net = await launchOffline();
  const admin = await setupAdmin(fx.host.backend, 'seed');
  const { id: campaignId } = await admin.call('campaign:create', { name: NAME, year: 2025, issuingBody: '清溪县司法局' });
  const listId = await stage(fx.host.backend, admin, '清溪县案件清单.xlsx', fs.readFileSync(campaign.listXlsx));
  const layout = await admin.call('import:readList', { sourceId: listId });
  const sourceIds: string[] = [];
  for (const d of campaign.dossiers)
    sourceIds.push(await stage(fx.host.backend, admin, `${d.truth.unitName}/${d.truth.fileName}`, fs.readFileSync(d.path)));
  const { jobId } = await admin.call('import:start', {
    campaignId,
    sourceIds,
    list: { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping },
  });
  await fx.host.backend.services.jobs.wait(jobId);
}, 600_000);
afterAll(async () => {
  for (const c of contexts) await c.context.close();
  await net?.close();
  await fx?.close();
});

/** Type chips whose text does not fit their box (the browser would end them in …). */
const cutChips = (page: Page) =>
  page
    .locator('.case-table .type-chip')
    .evaluateAll((chips) => chips.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent));

describe('files listed but never delivered, before the draw', () => {
  let page: Page;

  it('are marked 缺卷 in the case list at 1366 and 1024, and every type chip reads whole', async () => {
    page = await openLoggedIn(net.browser, fx.host, contexts, ADMIN, { width: 1366, height: 768 });
    await page.getByRole('link', { name: NAME }).first().click();
    const rows = page.locator('section[aria-label="案卷列表"] tbody tr');
    await expect.poll(() => page.locator('.case-count').textContent(), { timeout: 30_000 }).toBe(`共 ${campaign.dossiers.length + 1} 件`);
    // The unit's files: the one whose PDF never came says 缺卷 in its row, the others do not.
    await page.getByLabel('搜索案卷').fill(campaign.listedWithoutFile.unit.name);
    await expect.poll(() => page.locator('.case-count').textContent()).toMatch(/^符合条件 \d+ 件$/);
    const missing = rows.filter({ hasText: campaign.listedWithoutFile.caseNumber });
    await expect.poll(() => missing.getByTestId('case-missing').textContent()).toBe('缺卷');
    expect(await page.getByTestId('case-missing').count()).toBe(1);
    expect(await rows.count()).toBeGreaterThan(1);
    await screenshot(page, 'missing-case-list-1366');

    await page.setViewportSize({ width: 1024, height: 768 });
    await expect.poll(() => missing.getByTestId('case-missing').isVisible()).toBe(true);
    expect(await missing.getByTestId('case-missing').evaluate((c) => c.scrollWidth <= c.clientWidth)).toBe(true);
    expect(await cutChips(page)).toEqual([]);
    await screenshot(page, 'missing-case-list-1024');
    // Every type the campaign holds, whole at 1024.
    await page.getByLabel('搜索案卷').fill('');
    await expect.poll(() => page.locator('.case-count').textContent()).toBe(`共 ${campaign.dossiers.length + 1} 件`);
    const general = page.locator('.case-table .type-chip', { hasText: '处罚·一般' }).first();
    await expect.poll(() => general.isVisible()).toBe(true);
    expect(await cutChips(page)).toEqual([]);
    await screenshot(page, 'missing-case-types-1024');
  });

  it('are not counted as 报送 in the statistics, and are said apart', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('link', { name: '统计' }).first().click();
    await expect
      .poll(() => page.getByTestId('stats-missing').textContent(), { timeout: 30_000 })
      .toBe(`共报送 ${campaign.dossiers.length} 件（另有 1 件清单列出但未报送，即缺卷）`);
    await screenshot(page, 'missing-statistics-1366');
    for (const c of contexts) {
      expect(c.seen.outside()).toEqual([]);
      expect(c.seen.problems).toEqual([]);
    }
    expect(net.escapedByApp()).toEqual([]);
  });
});
