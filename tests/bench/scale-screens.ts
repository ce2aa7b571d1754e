/**
 * The case list screen of a province-sized workspace in Chromium through the loopback host, as a
 * person uses it: the time from opening the app to the login form, from the campaign's click to the
 * first row, from a filter's change to its rows, frames while scrolling the whole list, and the
 * page's JS heap afterwards. Screenshots at 1366×768 and 1024×768 go to test-output/e2e/.
 * Called by the scale benchmark part (needs `npm run build`).
 */
import type { Page } from 'playwright-core';
import { ADMIN } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost } from '../support/browser.js';
import { mb, ms, row } from './format.js';

const firstRow = (page: Page) => page.locator('section[aria-label="案卷列表"] tbody tr').first();

export async function measureScreens(dataDir: string, campaignName: string): Promise<void> {
  const fixture = await startTestHost(dataDir);
  const browser = await launchOffline();
  try {
    const context = await browser.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    let s = performance.now();
    await page.goto(fixture.host.url);
    await page.getByLabel('登录名').waitFor();
    row('screen: app open to login form', ms(performance.now() - s));
    await page.getByLabel('登录名').fill(ADMIN.username);
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: /退出登录/ }).waitFor();
    const link = page.getByRole('link', { name: campaignName }).first();
    await link.waitFor();
    s = performance.now();
    await link.click();
    await firstRow(page).waitFor();
    row('screen: campaign click to first case row', ms(performance.now() - s), 'target ≤ 200 ms');
    await page.waitForTimeout(300);
    const shot = await screenshot(page, 'scale-case-list-1366');
    row('screenshot', shot);

    s = performance.now();
    await page.getByLabel('评查状态').selectOption('flagged');
    await page.locator('.case-count', { hasText: '符合条件' }).waitFor();
    await firstRow(page).waitFor();
    row('screen: state filter to its rows', ms(performance.now() - s), 'target ≤ 200 ms');
    await page.getByLabel('评查状态').selectOption('');
    await page.locator('.case-count', { hasText: '共' }).waitFor();

    // Scroll the whole list in steps, one step a frame, and record the frame gaps.
    const frames = await page.evaluate(async () => {
      const el = document.querySelector('.case-scroll') as HTMLElement;
      const gaps: number[] = [];
      let last = performance.now();
      const end = performance.now() + 5000;
      while (performance.now() < end) {
        el.scrollTop += 600;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
      const rows = document.querySelectorAll('section[aria-label="案卷列表"] tbody tr').length;
      const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
      const loaded = Math.round(el.scrollHeight / 41);
      return { gaps: gaps.sort((a, b) => a - b), rows, scrolled: el.scrollTop, heap, loaded };
    });
    const p95 = frames.gaps[Math.floor(frames.gaps.length * 0.95)] ?? 0;
    row(
      'screen: scroll frames (p50 / p95 / max)',
      `${ms(frames.gaps[Math.floor(frames.gaps.length / 2)] ?? 0)} / ${ms(p95)}`,
      `max ${ms(frames.gaps.at(-1) ?? 0)}, ${frames.gaps.length} frames in 5 s, ~${frames.loaded} rows reached, ${frames.rows} drawn at once`,
    );
    row('screen: renderer JS heap after scrolling', mb(frames.heap), 'target ≤ 400 MB');
    await context.close();

    const narrow = await browser.browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
    const p2 = await narrow.newPage();
    await p2.goto(fixture.host.url);
    await p2.getByLabel('登录名').fill(ADMIN.username);
    await p2.getByLabel('密码').fill(ADMIN.password);
    await p2.getByRole('button', { name: '登录' }).click();
    await p2.getByRole('link', { name: campaignName }).first().click();
    await firstRow(p2).waitFor();
    await p2.waitForTimeout(300);
    row('screenshot', await screenshot(p2, 'scale-case-list-1024'));
    await narrow.close();
  } finally {
    await browser.close();
    await fixture.host.close();
  }
}
