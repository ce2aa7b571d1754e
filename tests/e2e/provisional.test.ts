/**
 * A file two reviewers delivered with different grades has no provisional score: the reconciliation
 * view and the statistics state the disagreement ("两份评查表结论不一：…，待合议") instead of a mean,
 * and 文书 names it as awaiting 合议 with a link there, on a 1366×768 screen, offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { submitPassingRest } from '../support/backend.js';
import { importCase, PANEL_PASSWORD, score, setupPanel, type Panel } from '../support/review-setup.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let panel: Panel;
let caseId: string;
const DISAGREEMENT = '两份评查表结论不一：张三 85 分（合格），李四 100 分（优秀），待合议';

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  panel = await setupPanel(fx.host.backend);
  caseId = await importCase(fx.host.backend, panel, '某许〔2025〕9号');
  const zhang = await score(panel.users.zhang!.client, caseId, {
    'xk-5': { status: 'deduct', comment: '未由一个部门统一受理并转告有关部门' },
  });
  await submitPassingRest(panel.users.zhang!.client, zhang.sheetId, zhang.revision);
  const li = await score(panel.users.li!.client, caseId, {});
  await submitPassingRest(panel.users.li!.client, li.sheetId, li.revision);
  // A second file of the unit both reviewers found without fault: settled, so the unit is ranked.
  const settled = await importCase(fx.host.backend, panel, '某许〔2025〕10号');
  for (const who of ['zhang', 'li']) {
    const s = await score(panel.users[who]!.client, settled, {});
    await submitPassingRest(panel.users[who]!.client, s.sheetId, s.revision);
  }
}, 120_000);
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

describe('a provisional result the reviewers disagree on', () => {
  it('shows the disagreement, not a mean score, in the reconciliation and the statistics', async () => {
    expect(fx.host.backend.services.results.caseOutcome(caseId)).toMatchObject({ status: 'provisional', disagreement: DISAGREEMENT });
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await page.goto(fx.host.url);
    await page.getByLabel('登录名').fill('zhao');
    await page.getByLabel('密码').fill(PANEL_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();

    await page.goto(`${fx.host.origin}/#/case/${caseId}/reconcile`);
    await expect.poll(() => page.getByTestId('agreed-disagreement').textContent(), { timeout: 30_000 }).toBe('结论不一，待合议');
    expect(await page.getByTestId('agreed-disagreement').getAttribute('title')).toBe(DISAGREEMENT);
    expect(await page.getByTestId('agreed-total').count()).toBe(0);
    await screenshot(page, 'provisional-1-reconcile');

    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    await expect.poll(() => page.getByTestId('case-final').first().textContent(), { timeout: 30_000 }).toMatch(/^待/);
    await screenshot(page, 'provisional-2-case-list');

    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}/stats`);
    const notice = page.locator('.notice-warn').first();
    await expect.poll(() => notice.textContent(), { timeout: 30_000 }).toContain('不计入平均分');
    await expect.poll(() => page.getByRole('region', { name: '单位排名' }).textContent()).toContain('（含暂定）');
    await screenshot(page, 'provisional-3-statistics');

    // 文书: the unsettled file is named, with what to do about it — 合议, one click away.
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}/letters`);
    const checks = page.getByRole('region', { name: '出具前检查' });
    await expect.poll(() => checks.textContent(), { timeout: 30_000 }).toContain('某许〔2025〕9号（尚待合议）');
    expect(await checks.getByRole('link', { name: '去合议' }).getAttribute('href')).toBe(`#/case/${caseId}/reconcile`);
    expect(await page.locator('.notice-warn[role="status"]').textContent()).toContain('1 件案卷已评分但评查人结论不一，尚待合议');
    await page.getByLabel('包含暂定结果').check();
    const marked = page.getByTestId('letter-provisional');
    await expect
      .poll(() => marked.textContent(), { timeout: 30_000 })
      .toBe('1 件尚待合议，文书中按暂定结果列出：某许〔2025〕9号。合议定分后可正式出具。');
    expect(await marked.getByRole('link', { name: '某许〔2025〕9号' }).getAttribute('href')).toBe(`#/case/${caseId}/reconcile`);
    await screenshot(page, 'provisional-4-letters');
    await checks.getByRole('link', { name: '去合议' }).click();
    await expect.poll(() => page.getByTestId('agreed-disagreement').textContent(), { timeout: 30_000 }).toBe('结论不一，待合议');

    expect(seen.outside()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
    expect(net.escapedByApp()).toEqual([]);
  });
});
