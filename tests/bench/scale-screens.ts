/**
 * The screens of a province-sized workspace in Chromium through the loopback host, as a person uses
 * them: start-up to the login form and from the login to the first usable screen (target ≤ 2 s), then
 * each screen from the click to its content (target ≤ 200 ms): the case list with a filter, a sort and
 * the campaign search, statistics, the ledger with a filter, the agreement statistics, the meeting
 * agenda and a file's marks. Frames while scrolling the whole list (requestAnimationFrame gaps: none
 * over 50 ms), and the renderer's memory after every screen (CDP JS heap and the process's RSS, target
 * ≤ 400 MB). Screenshots at 1366×768 and 1024×768 go to test-output/e2e/.
 * Called by the scale benchmark part (needs `npm run build`).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost } from '../support/browser.js';
import { mb, ms, row } from './format.js';

const caseRows = (page: Page) => page.locator('section[aria-label="案卷列表"] tbody tr');
const SCREEN_TARGET = 200;
const TAB_PATHS: Record<string, string> = { 统计: 'stats', 整改台账: 'ledger', 分歧规则与评分一致性: 'review', 会议议程: 'meeting' };

/** Times an action until the locator shows, printing it against the target. */
async function timed(label: string, action: () => Promise<unknown>, until: Locator, target = SCREEN_TARGET): Promise<number> {
  const s = performance.now();
  await action();
  try {
    await until.first().waitFor({ timeout: 60_000 });
  } catch {
    row(label, 'over 60 s', `target ≤ ${target} ms  OVER (not usable within a minute)`);
    return Infinity;
  }
  const took = performance.now() - s;
  row(label, ms(took), `target ≤ ${target} ms${took > target ? '  OVER' : ''}`);
  return took;
}

/** The resident memory of this browser's largest renderer process (the app's page), by the pids Chromium names. */
async function rendererRss(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
    let largest = 0;
    for (const p of processInfo.filter((x) => x.type === 'renderer')) {
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1] ?? 0);
        largest = Math.max(largest, kb * 1024);
      } catch {
        // gone meanwhile
      }
    }
    return largest;
  } finally {
    await cdp.detach();
  }
}

/** The file with the most marks and a filter unit for the ledger, read from the workspace before the host opens it. */
function pickTargets(dataDir: string): { heavyCaseId: string | null; marks: number } {
  const db = new Database(path.join(dataDir, 'pingcha.db'), { readonly: true });
  try {
    const heavy = db
      .prepare(
        `SELECT d.case_id AS id, count(*) AS n FROM annotations a JOIN documents d ON d.id = a.document_id
         WHERE a.deleted_at IS NULL GROUP BY d.case_id ORDER BY n DESC LIMIT 1`,
      )
      .get() as { id: string; n: number } | undefined;
    return { heavyCaseId: heavy?.id ?? null, marks: heavy?.n ?? 0 };
  } finally {
    db.close();
  }
}

export async function measureScreens(dataDir: string, campaignName: string): Promise<void> {
  const targets = pickTargets(dataDir);
  let s = performance.now();
  const fixture = await startTestHost(dataDir);
  row('screen: host start (opens the workspace)', ms(performance.now() - s));
  const browser = await launchOffline();
  try {
    const context = await browser.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async (): Promise<number> => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    };

    s = performance.now();
    await page.goto(fixture.host.url);
    await page.getByLabel('登录名').waitFor();
    const toForm = performance.now() - s;
    row('screen: app open to login form', ms(toForm));
    await page.getByLabel('登录名').fill(ADMIN.username);
    await page.getByLabel('密码').fill(ADMIN.password);
    const link = page.getByRole('link', { name: campaignName }).first();
    let campaignId = '';
    const login = await timed('screen: login to the campaign list', () => page.getByRole('button', { name: '登录' }).click(), link, 2000);
    row('start-up to the first usable screen', ms(toForm + login), `target ≤ 2000 ms (form + login, of which scrypt ~500 ms)`);

    campaignId = decodeURIComponent(((await link.getAttribute('href')) ?? '').replace(/^#\/campaign\//, ''));
    await timed('screen: campaign click to first case row', () => link.click(), caseRows(page));
    await page.locator('.case-count', { hasText: '共' }).waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500);
    row('screenshot', await screenshot(page, 'scale-case-list-1366'));

    // A state with files in it (the option labels carry their counts), not one the workspace lacks.
    const stage = await page
      .getByLabel('评查状态')
      .locator('option')
      .evaluateAll((options) =>
        (options as HTMLOptionElement[])
          .map((o) => ({ value: o.value, n: Number(/（(\d+)）/.exec(o.textContent ?? '')?.[1] ?? 0) }))
          .filter((o) => o.value && o.value !== 'unscored' && o.n > 0)
          .sort((a, b) => a.n - b.n)
          .at(-1),
      );
    if (stage) {
      await timed(
        `screen: state filter (${stage.value}, ${stage.n}) to its rows`,
        () => page.getByLabel('评查状态').selectOption(stage.value),
        page.locator('.case-count', { hasText: '符合条件' }),
      );
      await page.getByLabel('评查状态').selectOption('');
      await page.locator('.case-count', { hasText: '共' }).waitFor({ timeout: 120_000 });
    } else row('screen: state filter', 'skipped', 'no scored files in this workspace');

    const unit = await page.getByLabel('被评查单位').locator('option').nth(4).getAttribute('value');
    await timed(
      'screen: unit filter to its rows',
      () => page.getByLabel('被评查单位').selectOption(unit!),
      page.locator('.case-count', { hasText: '符合条件' }),
    );
    await page.getByLabel('被评查单位').selectOption('');
    await page.locator('.case-count', { hasText: '共' }).waitFor({ timeout: 120_000 });

    const firstNumber = await caseRows(page).first().locator('td').first().innerText();
    await timed(
      'screen: sort by unit to its rows',
      () => page.getByLabel('排序').selectOption('unit'),
      page.locator(`section[aria-label="案卷列表"] tbody tr:first-child td:first-child:not(:text-is("${firstNumber}"))`),
    );
    await page.getByLabel('排序').selectOption('caseNumber');
    await page.locator('.case-count', { hasText: '共' }).waitFor({ timeout: 120_000 });

    // Campaign search: typing pauses 250 ms before the list asks (counted, as the person waits for it).
    await timed(
      'screen: campaign search 餐饮 to its rows',
      () => page.getByLabel('搜索案卷').fill('餐饮'),
      page.locator('.case-count', { hasText: '符合条件' }),
      SCREEN_TARGET + 250,
    );
    await page.getByLabel('搜索案卷').fill('');
    await page.locator('.case-count', { hasText: '共' }).waitFor({ timeout: 120_000 });

    // Scroll the whole list one step a frame and record the frame gaps (requestAnimationFrame deltas).
    const frames = await page.evaluate(async () => {
      const el = document.querySelector('.case-scroll') as HTMLElement;
      const gaps: number[] = [];
      let last = performance.now();
      const end = performance.now() + 8000;
      while (performance.now() < end) {
        el.scrollTop += 400;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
      const drawn = document.querySelectorAll('section[aria-label="案卷列表"] tbody tr').length;
      return { gaps, drawn, reached: Math.round(el.scrollTop / 41), loaded: Math.round(el.scrollHeight / 41) };
    });
    const sorted = [...frames.gaps].sort((a, b) => a - b);
    const over = frames.gaps.filter((g) => g > 50).length;
    row(
      'screen: scroll frames p50 / p95 / max',
      `${ms(sorted[Math.floor(sorted.length / 2)] ?? 0)} / ${ms(sorted[Math.floor(sorted.length * 0.95)] ?? 0)}`,
      `max ${ms(sorted.at(-1) ?? 0)}; ${over} of ${frames.gaps.length} frames over 50 ms (target 0); row ~${frames.reached} reached, ${frames.loaded} loaded, ${frames.drawn} drawn at once`,
    );
    row('screen: JS heap after the case list', mb(await heap()));

    // A tab's link is followed as a click would (its hash), so a screen still drawing cannot hold the next one.
    const tab = (name: string) => ({
      click: async () => {
        const hash = await page
          .getByRole('navigation', { name: '评查活动' })
          .getByRole('link', { name, exact: true })
          .getAttribute('href', { timeout: 60_000 })
          .catch(() => null);
        const to = hash ?? `#/campaign/${encodeURIComponent(campaignId)}/${TAB_PATHS[name]}`;
        await page.evaluate((h) => (location.hash = h), to);
      },
    });
    await timed('screen: statistics tab to its figures', () => tab('统计').click(), page.locator('.stat-cards'));
    await timed(
      'screen: ledger tab to its rows',
      () => tab('整改台账').click(),
      page.locator('table.ledger-table[aria-busy="false"] tbody tr, section[aria-label="台账"] .empty'),
    );
    const ledgerUnit = await page.getByLabel('按单位筛选').locator('option').nth(1).getAttribute('value');
    if (ledgerUnit)
      await timed(
        'screen: ledger unit filter to its rows',
        () => page.getByLabel('按单位筛选').selectOption(ledgerUnit),
        page.locator('table.ledger-table[aria-busy="false"], section[aria-label="台账"] .empty'),
      );
    await timed(
      'screen: agreement tab to its figures',
      () => tab('分歧规则与评分一致性').click(),
      page.locator('[data-testid="overall-agree"]'),
    );
    row('screen: JS heap after the campaign tabs', mb(await heap()));

    if (targets.heavyCaseId) {
      const marksTab = page.getByRole('tab', { name: /^批注（\d+）/ });
      await timed(
        `screen: a file opened to its marks tab (${targets.marks} marks)`,
        () => page.goto(`${fixture.host.url}#/case/${encodeURIComponent(targets.heavyCaseId!)}`),
        page.getByRole('tab', { name: new RegExp(`^批注（${targets.marks}）`) }),
        1000,
      );
      await timed('screen: marks tab to its list', () => marksTab.click(), page.locator('.ann-items li'));
      await page.waitForTimeout(300);
      row('screenshot', await screenshot(page, 'scale-case-marks-1366'));
    }
    // Last: the agenda reads every file of the campaign and the panel's assignments.
    await page.goto(`${fixture.host.url}#/campaign/${encodeURIComponent(campaignId)}`);
    await caseRows(page).first().waitFor({ timeout: 60_000 });
    await timed('screen: meeting tab to its agenda', () => tab('会议议程').click(), page.locator('.agenda-list'));
    await page.evaluate(() => (globalThis as { gc?: () => void }).gc?.());
    row('renderer JS heap after every screen', mb(await heap()), 'target ≤ 400 MB');
    row('renderer process RSS after every screen', mb(await rendererRss(browser.browser)), 'target ≤ 400 MB');
    await context.close();

    const narrow = await browser.browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
    const p2 = await narrow.newPage();
    await p2.goto(fixture.host.url);
    await p2.getByLabel('登录名').fill(ADMIN.username);
    await p2.getByLabel('密码').fill(ADMIN.password);
    await p2.getByRole('button', { name: '登录' }).click();
    await p2.getByRole('link', { name: campaignName }).first().click();
    await caseRows(p2).first().waitFor();
    await p2.waitForTimeout(500);
    row('screenshot', await screenshot(p2, 'scale-case-list-1024'));
    await narrow.close();
  } finally {
    await browser.close();
    await fixture.host.close();
  }
}
