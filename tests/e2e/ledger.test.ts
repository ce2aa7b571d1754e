/**
 * The 整改台账 of a campaign with more rows than a page, in a real browser at 1366×768: the screen
 * holds one page (never the whole ledger), turns pages, and filters by 逾期, state, source, unit and
 * text through the back end with the count beside each choice; overdue rows stand out; a state
 * chosen shows at once while it is saved and goes back if the save is refused; offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, client } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { logIn } from '../support/e2e-session.js';
import { tempDir } from '../support/temp.js';
import { seedWorkspace } from '../tools/seed.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let cleanup: () => void;
let campaignName: string;
let total: number;
let overdue: number;

const SOURCES = ['inspection', 'special', 'complaint', 'other'] as const;

beforeAll(async () => {
  const dir = tempDir('pingcha-ledger-e2e-');
  cleanup = dir.cleanup;
  // The review's rows of a seeded campaign (its settled files' deductions), and problems entered by
  // hand in every unit until the ledger holds more than two pages.
  const { campaignId } = await seedWorkspace({
    dir: dir.dir,
    files: 40,
    units: 4,
    annotations: 0,
    reviewers: 3,
    letters: 0,
    say: () => undefined,
  });
  fx = await startTestHost(dir.dir);
  const admin = client(fx.host.backend, 'ledger-e2e-admin');
  await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
  campaignName = (await admin.call('campaign:get', { campaignId })).name;
  const units = await admin.call('unit:list', { campaignId });
  for (let i = 0; i < 110; i++)
    await admin.call('ledger:add', {
      campaignId,
      entry: {
        unitId: units[i % units.length]!.id,
        source: SOURCES[i % SOURCES.length]!,
        subject: `2025年法治督察反馈问题第${i + 1}项`,
        description: i === 77 ? '罚没款未按期缴入国库' : '行政执法公示平台未按时公示行政处罚决定',
        measure: '限期整改并报送整改报告',
        responsible: '王科长',
        // Every third one already past its deadline.
        deadline: i % 3 === 0 ? '2025-03-31' : '2099-06-30',
      },
      confirmPastDeadline: true,
    });
  const first = await admin.call('ledger:list', { campaignId, limit: 1 });
  total = first.total;
  overdue = first.counts.overdue;
  expect(total).toBeGreaterThan(110);
  net = await launchOffline();
}, 300_000);
afterAll(async () => {
  await net?.close();
  await fx?.close();
  cleanup?.();
});

describe('整改台账 at scale', () => {
  it('shows one page at a time and filters through the back end, with the count beside each choice', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await logIn(page, fx.host.url);
    await page.getByRole('link', { name: campaignName }).first().click();
    await page.getByRole('link', { name: '整改台账', exact: true }).click();
    const rows = page.locator('tr[data-row]');
    const pager = page.getByRole('navigation', { name: '翻页' });

    // One page of 50, never the whole ledger.
    await expect.poll(() => pager.textContent()).toContain(`第 1–50 项，共 ${total} 项`);
    expect(await rows.count()).toBe(50);
    expect(await rows.first().getAttribute('data-row')).toBe('ZG2025-001');
    await expect.poll(() => page.getByTestId('overdue-count').textContent()).toBe(`逾期 ${overdue}`);
    await screenshot(page, 'ledger-page-1366');
    await pager.getByRole('button', { name: '下一页' }).click();
    await expect.poll(() => pager.textContent()).toContain(`第 51–100 项，共 ${total} 项`);
    expect(await rows.count()).toBe(50);
    expect(await rows.first().getAttribute('data-row')).toBe('ZG2025-051');
    await pager.scrollIntoViewIfNeeded();
    await screenshot(page, 'ledger-pager-1366');
    await pager.getByRole('button', { name: '上一页' }).click();
    await expect.poll(() => rows.first().getAttribute('data-row')).toBe('ZG2025-001');

    // 逾期: every row shown is overdue and red, as many as the toggle said; back to page one.
    await page.getByTestId('overdue-count').click();
    await expect.poll(() => page.locator('.ledger-count').textContent()).toBe(`符合条件 ${overdue} 项`);
    expect(await rows.count()).toBe(Math.min(50, overdue));
    expect(await page.locator('tr.overdue').count()).toBe(await rows.count());
    const bg = await page
      .locator('tr.overdue td')
      .first()
      .evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(bg).toBe('rgb(253, 236, 234)');
    expect(await page.getByTestId('overdue-count').getAttribute('aria-pressed')).toBe('true');
    // Each keeps its state (an open one) with 逾期 as a mark of its own beside it.
    expect(await page.locator('tr.overdue .badge-danger').allTextContents()).toEqual(Array(await rows.count()).fill('逾期'));
    expect(await page.getByLabel(`${await rows.first().getAttribute('data-row')} 整改状态`).inputValue()).toMatch(
      /^(pending|in_progress|awaiting_check)$/,
    );
    await screenshot(page, 'ledger-overdue-1366');

    // 逾期 and a source together; each state's count follows.
    await page.getByLabel('按来源筛选').selectOption({ label: '投诉举报' });
    const complaintOverdue = Array.from({ length: 110 }, (_, i) => i).filter((i) => SOURCES[i % 4] === 'complaint' && i % 3 === 0).length;
    await expect.poll(() => page.locator('.ledger-count').textContent()).toBe(`符合条件 ${complaintOverdue} 项`);
    const states = page.getByRole('group', { name: '按状态筛选' });
    expect(await states.getByRole('button', { name: /^待整改/ }).textContent()).toBe(`待整改 ${complaintOverdue}`);
    await page.getByTestId('overdue-count').click();
    await page.getByLabel('按来源筛选').selectOption({ label: '全部' });

    // The search box: one problem by its words, then by its 问题编号.
    await page.getByLabel('搜索台账').fill('缴入国库');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('罚没款未按期缴入国库');
    await page.getByLabel('搜索台账').fill('ZG2025-051');
    await expect.poll(() => rows.first().getAttribute('data-row')).toBe('ZG2025-051');
    expect(await rows.count()).toBe(1);
    await page.getByLabel('搜索台账').fill('');
    await expect.poll(() => page.locator('.ledger-count').textContent()).toBe(`共 ${total} 项`);

    // A unit, with the keyboard only: Tab to the unit filter, pick with the arrow keys.
    await page.getByLabel('搜索台账').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('按单位筛选');
    await page.getByLabel('按单位筛选').selectOption({ index: 2 });
    const unit = await page.getByLabel('按单位筛选').locator('option:checked').textContent();
    await expect.poll(() => page.locator('.ledger-count').textContent()).toMatch(/^符合条件 \d+ 项$/);
    const units = await page.locator('tr[data-row] td:nth-child(2)').allTextContents();
    expect(new Set(units)).toEqual(new Set([unit]));

    // The page fits the projector's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('shows the chosen state at once while it is saved, and takes it back with the reason when the save is refused', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await logIn(page, fx.host.url);
    await page.getByRole('link', { name: campaignName }).first().click();
    await page.getByRole('link', { name: '整改台账', exact: true }).click();
    const rows = page.locator('tr[data-row]');
    await expect.poll(() => rows.count()).toBe(50);
    let number = '';
    for (let i = 0; i < 50 && !number; i++) {
      const n = (await rows.nth(i).getAttribute('data-row'))!;
      if ((await page.getByLabel(`${n} 整改状态`).count()) && (await page.getByLabel(`${n} 整改状态`).inputValue()) === 'pending')
        number = n;
    }
    const select = page.getByLabel(`${number} 整改状态`);
    expect(await select.inputValue()).toBe('pending');

    // A slow save: the select says 整改中 from the moment it is chosen, not the stored 待整改 until the list is read again.
    await page.route('**/api/ledger%3Aupdate', async (route) => {
      await new Promise((r) => setTimeout(r, 2500));
      await route.continue();
    });
    await select.selectOption({ label: '整改中' });
    await page.waitForTimeout(400);
    expect(await select.inputValue()).toBe('in_progress');
    await screenshot(page, 'ledger-state-saving-1366');
    await expect.poll(() => page.getByText(`${number} 已改为“整改中”`).count(), { timeout: 15_000 }).toBe(1);
    expect(await select.inputValue()).toBe('in_progress');
    await page.unroute('**/api/ledger%3Aupdate');

    // A refused save: the select goes back to the stored state and the reason is shown.
    await page.route('**/api/ledger%3Aupdate', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error: { code: 'conflict', message: '该事项已被他人修改，请刷新后再操作。' } }),
      }),
    );
    await select.selectOption({ label: '已整改待核' });
    await expect.poll(() => page.getByText('该事项已被他人修改，请刷新后再操作。').count()).toBe(1);
    await expect.poll(() => select.inputValue()).toBe('in_progress');
    await screenshot(page, 'ledger-state-refused-1366');
    await page.unroute('**/api/ledger%3Aupdate');
    await context.close();
  });
});
