/**
 * The units panel in a real browser: renaming 县市场监管局 onto the bureau's full name, which the
 * campaign already has, offers the merge; the merge dialog shows what moves, and after it the
 * campaign has one unit with the cases of both — offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { createCampaign, firstRunSetup } from '../support/e2e-session.js';

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

describe('units panel', () => {
  it('offers the merge on a rename onto an existing unit, previews what moves, and merges', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await firstRunSetup(page, fx.host.url);
    await createCampaign(page);

    const dialog = page.getByRole('dialog');
    for (const name of ['某某县市场监督管理局', '县市场监管局']) {
      await page.getByRole('button', { name: '＋ 添加单位' }).click();
      await dialog.getByLabel('单位名称').fill(name);
      await dialog.getByRole('button', { name: '保存', exact: true }).click();
      await page.getByRole('cell', { name, exact: true }).waitFor();
    }
    // A case filed under the short name (as an old import did), to see it move.
    const db = fx.host.backend.db;
    const short = db.prepare("SELECT id, campaign_id FROM units WHERE name = '县市场监管局'").get() as { id: string; campaign_id: string };
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO cases (id, campaign_id, unit_id, case_number, case_number_key, case_type, created_at, updated_at)
       VALUES ('c-short', ?, ?, '某市监罚〔2025〕9号', '某市监罚(2025)9号', 'penalty_general', ?, ?)`,
    ).run(short.campaign_id, short.id, now, now);

    await page.getByRole('button', { name: '编辑 县市场监管局' }).click();
    await dialog.getByLabel('单位名称').fill('县市场监督管理局');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('与“县市场监督管理局”是同一单位');
    await dialog.getByRole('button', { name: '合并到“某某县市场监督管理局”…' }).click();

    const merge = page.getByRole('dialog', { name: '合并“县市场监管局”' });
    const facts = merge.getByTestId('merge-preview');
    await facts.waitFor();
    expect(await merge.getByRole('combobox').locator('option:checked').textContent()).toContain('某某县市场监督管理局');
    expect(await facts.getByRole('row', { name: /^案卷/ }).textContent()).toBe('案卷1');
    expect(await facts.textContent()).toContain('作为“某某县市场监督管理局”的别名记住');
    await screenshot(page, 'units-merge');
    await merge.getByRole('button', { name: '确认合并' }).click();
    await merge.waitFor({ state: 'detached' });

    await expect.poll(() => page.getByRole('button', { name: /^合并 / }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: /被评查单位（1）/ }).count()).toBe(1);
    expect(db.prepare("SELECT u.name FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.id = 'c-short'").get()).toEqual({
      name: '某某县市场监督管理局',
    });
    await screenshot(page, 'units-merged');

    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
