/**
 * Going through the hits of a campaign-wide search one after another, in a real browser at 1366×768:
 * after a jump to a hit in another case, the hit list is still scrolled where the reader left it (the
 * next hit is below the one just opened), and a new search starts at the top; offline.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, setupAdmin, stage } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, type HostFixture, type OffNetworkBrowser, type watch } from '../support/browser.js';
import { openLoggedIn } from '../support/e2e-session.js';
import { dossierPdf } from '../support/pdf-fixtures.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let first: string;
const contexts: Array<{ context: BrowserContext; seen: ReturnType<typeof watch> }> = [];

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  const be = fx.host.backend;
  const admin = await setupAdmin(be, 'seed');
  const campaignId = (await admin.call('campaign:create', { name: '2025年度行政执法案卷评查', year: 2025, issuingBody: '某某县司法局' }))
    .id;
  const put = async (pages: number, caseNumber: string, unitName: string) =>
    (
      await admin.call('dossier:importSingle', {
        campaignId,
        sourceId: await stage(be, admin, `${caseNumber}.pdf`, await dossierPdf(pages, '行政许可案卷')),
        caseNumber,
        unitName,
        caseType: 'license',
      })
    ).id;
  // Two files whose every page holds the words: more hits than the side panel shows at once.
  first = await put(30, '某许〔2025〕3号', '乙县城市管理局');
  await put(31, '某许〔2025〕4号', '甲县市场监督管理局');
}, 120_000);
afterAll(async () => {
  for (const c of contexts) await c.context.close();
  await net?.close();
  await fx?.close();
});

const scroller = (page: Page) => page.locator('.ws-left-body');
const scrollTop = (page: Page) => scroller(page).evaluate((el) => el.scrollTop);

describe('the hit list of a campaign-wide search', () => {
  it('keeps its scroll position after a jump to a hit in another case', async () => {
    const page = await openLoggedIn(net.browser, fx.host, contexts, ADMIN, { width: 1366, height: 768 });
    await page.goto(`${fx.host.origin}/#/case/${first}`);
    await page.locator('.ws-title h2').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+F');
    await page.getByLabel('全文检索').fill('行政许可案卷');
    await page.getByLabel('检索范围').selectOption('campaign');
    await page.getByLabel('全文检索').press('Enter');
    await expect.poll(() => page.locator('.hit').count(), { timeout: 30_000 }).toBe(61);

    // Down the list to the other case's hits, and open one of them.
    const target = page.locator('.hit', { hasText: '某许〔2025〕4号 · 第 20 页' });
    await target.scrollIntoViewIfNeeded();
    expect(await scrollTop(page)).toBeGreaterThan(300);
    const key = (await target.locator('xpath=..').getAttribute('data-hit'))!;
    const offset = () =>
      page.evaluate((k) => {
        const list = document.querySelector('.ws-left-body')!.getBoundingClientRect().top;
        return Math.round(document.querySelector(`[data-hit="${k}"]`)!.getBoundingClientRect().top - list);
      }, key);
    const before = await offset();
    await target.click();
    await expect.poll(() => page.locator('.ws-title h2').textContent(), { timeout: 30_000 }).toBe('某许〔2025〕4号');
    await expect.poll(() => page.locator('.hit').count()).toBe(61);
    // The hit just opened stands where it stood in the list, not back at the list's top.
    await expect.poll(offset).toBeGreaterThan(before - 6);
    expect(await offset()).toBeLessThan(before + 6);
    expect(await scrollTop(page)).toBeGreaterThan(300);
    await screenshot(page, 'search-scroll-kept-1366');

    // A new search starts at the top of its list.
    await page.getByLabel('全文检索').fill('当事人');
    await page.getByLabel('全文检索').press('Enter');
    await expect.poll(() => page.locator('.page-search-count').textContent(), { timeout: 30_000 }).toContain('当事人');
    await expect.poll(() => scrollTop(page)).toBe(0);

    for (const c of contexts) {
      expect(c.seen.outside()).toEqual([]);
      expect(c.seen.problems).toEqual([]);
    }
    expect(net.escapedByApp()).toEqual([]);
  });
});
