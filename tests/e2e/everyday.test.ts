/**
 * Everyday polish in a real browser set to an English locale (where a browser's own date input
 * shows mm/dd/yyyy): the 留痕 reads as sentences, dates are typed and picked as yyyy-mm-dd in a
 * Chinese calendar with the keyboard, an impossible day is refused with the reason, and messages
 * come one per kind in a strip that covers neither the failing button nor the inline error; an error
 * goes with the screen it was made on and with a logout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { ADMIN, client } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { firstRunSetup } from '../support/e2e-session.js';
import { scoredCampaign } from '../support/scored-campaign.js';

let fx: HostFixture;
let net: OffNetworkBrowser;

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
});
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

async function box(l: Locator) {
  const b = await l.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('everyday polish', () => {
  it('留痕 in sentences, the app’s own date field, and toasts that cover nothing', async () => {
    const context = await net.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await firstRunSetup(page, fx.host.url);
    await page.getByRole('link', { name: '留痕' }).waitFor();
    const organiser = client(fx.host.backend, 'e2e-script');
    await organiser.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
    const { campaignId } = await scoredCampaign(fx.host.backend, organiser);

    // 1. The trail as sentences, by name.
    await page.getByRole('link', { name: '留痕' }).click();
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const text = (await table.textContent())!;
    expect(text).toMatch(/王组长 提交了某\S+许〔2025〕\d+号的评查表，得分 \d+/);
    expect(text).not.toMatch(UUID);
    expect(text).not.toContain('{"');
    await screenshot(page, 'everyday-audit-sentences');

    // 3. No browser date input; the field takes yyyy-mm-dd whatever the locale.
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    const from = page.getByRole('textbox', { name: '起始日期' });
    await from.fill('2026-02-30');
    await from.press('Tab');
    const fromError = page.getByRole('alert').filter({ hasText: '2026年2月没有 30 日' });
    await fromError.waitFor();
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'everyday-date-impossible');

    // The calendar by keyboard: ↓ opens on the typed day, PageDown a month on, → a day on, Enter picks.
    await from.fill('2026-01-30');
    await from.press('ArrowDown');
    const calendar = page.getByRole('dialog', { name: '选择起始日期' });
    await calendar.waitFor();
    expect(await calendar.locator('strong').textContent()).toBe('2026年1月');
    await page.keyboard.press('PageDown');
    expect(await calendar.locator('strong').textContent()).toBe('2026年2月');
    await page.keyboard.press('ArrowLeft');
    await screenshot(page, 'everyday-date-calendar');
    await page.keyboard.press('Enter');
    await calendar.waitFor({ state: 'detached' });
    expect(await from.inputValue()).toBe('2026-02-27');
    expect(await fromError.count()).toBe(0);
    // Esc closes without picking.
    await from.press('ArrowDown');
    await calendar.waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    await calendar.waitFor({ state: 'detached' });
    expect(await from.inputValue()).toBe('2026-02-27');
    // Typed the Chinese way, it is written as yyyy-mm-dd.
    const to = page.getByRole('textbox', { name: '截止日期' });
    await to.fill('2026年1月5日');
    await to.press('Tab');
    expect(await to.inputValue()).toBe('2026-01-05');

    // 4. 自 after 至 is said beside the dates and the filter is not applied.
    const inline = page.getByTestId('audit-range-error');
    await inline.waitFor();
    expect(await inline.textContent()).toContain('起始日期 2026-02-27 晚于截止日期 2026-01-05');
    expect(await page.getByRole('button', { name: '筛选' }).isDisabled()).toBe(true);

    // A failing export, twice: one error message, below the screen, over neither the button nor the
    // inline error. A province-sized trail (over 100,000 rows) is refused with the way out.
    const db = fx.host.backend.db;
    db.prepare(
      `INSERT INTO audit_log (at, actor_id, action, entity, entity_id, campaign_id, before_json, after_json, segment, prev_hash, hash)
       SELECT a.at, a.actor_id, a.action, a.entity, a.entity_id, a.campaign_id, a.before_json, a.after_json, a.segment, a.prev_hash, a.hash
       FROM audit_log a, (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100001) SELECT i FROM n)
       WHERE a.id = (SELECT min(id) FROM audit_log)`,
    ).run();
    const exportButton = page.getByRole('button', { name: '导出 XLSX' });
    await exportButton.click();
    const errors = page.locator('.toast.error');
    await errors.first().waitFor();
    await exportButton.click();
    await page.waitForTimeout(400);
    expect(await errors.count()).toBe(1);
    expect(await errors.textContent()).toContain('请缩小筛选范围');
    const toastBox = await box(errors);
    expect(overlaps(toastBox, await box(exportButton))).toBe(false);
    expect(overlaps(toastBox, await box(inline))).toBe(false);
    expect(overlaps(toastBox, await box(page.locator('main')))).toBe(false);
    await screenshot(page, 'everyday-toast-error');

    // Leaving the screen takes its error away; a success on the next screen fades by itself.
    await page.evaluate((id) => {
      location.hash = `#/campaign/${encodeURIComponent(id)}/review`;
    }, campaignId);
    await expect.poll(() => errors.count()).toBe(0);
    await page.getByRole('button', { name: '保存分歧规则' }).click();
    const ok = page.locator('.toast.ok');
    await ok.waitFor();
    // 2. Too few files read twice for alpha: said in words, with n.
    expect(await page.getByTestId('alpha-interval').textContent()).toMatch(/数据不足（至少需要 5 份两人以上评查的案卷，现有 0 份）/);
    await screenshot(page, 'everyday-toast-ok-after-leaving');
    await ok.waitFor({ state: 'detached', timeout: 8000 });

    // Back on the trail: the error stays past the fade time until closed, and does not outlive a logout.
    await page.getByRole('link', { name: '留痕' }).click();
    await page.getByTestId('audit-table').waitFor();
    await exportButton.click();
    await errors.waitFor();
    await page.waitForTimeout(5_500); // past the 5 s a success stays
    expect(await errors.count()).toBe(1);
    await errors.getByRole('button', { name: '关闭提示' }).click();
    expect(await errors.count()).toBe(0);
    await exportButton.click();
    await errors.waitFor();
    await page.getByRole('button', { name: /^退出登录/ }).click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    expect(await errors.count()).toBe(0);
    await screenshot(page, 'everyday-toast-gone-after-logout');

    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  }, 180_000);
});
