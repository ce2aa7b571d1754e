/**
 * What a reviewer and an organiser see on a file at 1366×768: the reviewer's campaign card counts
 * only their own files; an unfinished sheet says how far it is (no total, no grade); each item's
 * rule is printed once; the organiser, who is not on the file, gets a read-only view, no sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { ADMIN, client, stage } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, type HostFixture, type OffNetworkBrowser, type watch } from '../support/browser.js';
import { openLoggedIn } from '../support/e2e-session.js';
import { dossierFixture } from '../support/dossiers/index.js';
import { importCase, PANEL_PASSWORD, score, setupPanel, type Panel } from '../support/review-setup.js';
import { allItems } from '../../shared/standards/tree.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let panel: Panel;
let caseId: string;
let itemCount = 0;
const contexts: Array<{ context: BrowserContext; seen: ReturnType<typeof watch> }> = [];

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  panel = await setupPanel(fx.host.backend, { login: false });
  const { bytes } = await dossierFixture({ seed: 2611, caseType: 'penalty_general' });
  const sourceId = await stage(fx.host.backend, panel.admin, '清交罚〔2025〕26号.pdf', bytes);
  const detail = await panel.admin.call('dossier:importSingle', {
    campaignId: panel.campaignId,
    sourceId,
    caseNumber: '清交罚〔2025〕26号',
    caseTitle: '江州佳美物流有限公司违法超限运输案',
    unitName: '清溪县交通运输局',
    caseType: 'penalty_general',
  });
  caseId = detail.id;
  await panel.admin.call('assignment:add', { caseId, reviewerId: panel.users.zhang!.id });
  // Files 张三 may not see: two more in the campaign, assigned to 李四.
  for (const n of [27, 28]) await importCase(fx.host.backend, panel, `清许〔2025〕${n}号`, 'license', ['li']);
  // 张三 has answered two items: one 符合, one deduction of 1 point (a per-occurrence item).
  const zhang = client(fx.host.backend, 'zhang-api');
  await zhang.call('auth:login', { username: 'zhang', password: PANEL_PASSWORD });
  const view = await zhang.call('sheet:open', { caseId });
  const items = allItems(view.definition);
  itemCount = items.length;
  const perOccurrence = items.find((it) => it.rule.kind === 'perOccurrence' && it.rule.amount === 1)!;
  const plain = items.find((it) => it.rule.kind !== 'veto' && it.id !== perOccurrence.id)!;
  await score(zhang, caseId, {
    [plain.id]: { status: 'pass' },
    [perOccurrence.id]: { status: 'deduct', occurrences: 1, comment: '询问笔录未记载出示执法证件' },
  });
  await zhang.call('auth:logout', {});
}, 240_000);
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

describe('what a reviewer and an organiser see on a file, at 1366×768', () => {
  it('the reviewer: own workload on the card, an unfinished sheet without a grade, each rule once', async () => {
    const page = await openLoggedIn(
      net.browser,
      fx.host,
      contexts,
      { username: 'zhang', password: PANEL_PASSWORD },
      { width: 1366, height: 768 },
    );
    await page.goto(`${fx.host.origin}/#/`);
    const card = page.locator('.card').first();
    await expect.poll(() => card.getByTestId('my-work').textContent()).toBe('我的案卷 1 件 · 已提交 0 件');
    expect(await card.textContent()).not.toMatch(/案卷\s*3/);
    await screenshot(page, 'score-view-1-reviewer-home-1366');

    await page.goto(`${fx.host.origin}/#/case/${caseId}`);
    const total = page.getByTestId('sheet-total');
    await expect.poll(() => total.textContent(), { timeout: 30_000 }).toBe(`已评 2/${itemCount} 项 · 已扣 1 分`);
    expect(await page.getByTestId('sheet-grade').textContent()).toBe('评分中');
    expect(await page.getByTestId('sheet-grade').evaluate((el) => el.classList.contains('badge-primary'))).toBe(false);
    const rules = await page.getByTestId('item-rule').allTextContents();
    expect(rules.length).toBe(itemCount);
    expect(rules.filter((r) => /扣完为止 · 每发现一处/.test(r) || /^扣全分（[\d.]+分） · 不符合的，扣该项全部分值$/.test(r))).toEqual([]);
    await page.locator('.page[data-page-number="1"] canvas').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'score-view-2-reviewer-sheet-1366');
  });

  it('the organiser, not on the file: a read-only view that says what to do instead, and no sheet', async () => {
    const page = await openLoggedIn(
      net.browser,
      fx.host,
      contexts,
      { username: ADMIN.username, password: ADMIN.password },
      { width: 1366, height: 768 },
    );
    await page.goto(`${fx.host.origin}/#/case/${caseId}`);
    const notice = page.getByTestId('sheet-notice');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain('您未被分配评查此案卷');
    expect(await page.getByTestId('sheet-instead').textContent()).toMatch(/评分概况.*合议/);
    expect(await page.locator('.side-panel').getByRole('button', { name: '符合', exact: true }).count()).toBe(0);
    await page.locator('.page[data-page-number="1"] canvas').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'score-view-3-organiser-case-1366');
    await page.getByRole('button', { name: '查看评分概况' }).click();
    // The overview says the same of 张三's unfinished sheet: how far, what is deducted, no grade yet.
    const row = page.locator('[data-sheet-reviewer="张三"]');
    await expect.poll(() => row.getByTestId('review-sheet-score').textContent()).toBe('已扣 1 分');
    await screenshot(page, 'score-view-4-organiser-overview-1366');
    const sheets = fx.host.backend.db
      .prepare('SELECT count(*) AS n FROM sheets s JOIN users u ON u.id = s.reviewer_id WHERE s.case_id = ? AND u.username = ?')
      .get(caseId, ADMIN.username) as { n: number };
    expect(sheets.n).toBe(0);
  });
});
