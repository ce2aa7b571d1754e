/**
 * A file one reviewer vetoed and the other scored in full, as a new panel meets it: the lead logs in
 * and lands on its 合议; the projector shows the veto with who found it and why, the reviewers in the
 * 合议's order and the whole provisional sentence at 1366×768 and 1024×768; the panel rejects the veto,
 * decides the disputed items by key and takes the rest from the other reviewer in one step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { submitPassingRest } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { importCase, PANEL_PASSWORD, score, setupPanel, type Panel } from '../support/review-setup.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let panel: Panel;
let caseId = '';
let ownCaseId = '';

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  panel = await setupPanel(fx.host.backend);
  caseId = await importCase(fx.host.backend, panel, '某罚〔2025〕41号', 'penalty_general');
  const zhang = panel.users.zhang!.client;
  const li = panel.users.li!.client;
  const z = await score(zhang, caseId, { 'cfyb-1.1': { status: 'deduct', occurrences: 1, comment: '询问笔录未记载出示执法证件' } });
  await submitPassingRest(zhang, z.sheetId, z.revision);
  const l = await score(li, caseId, { 'cfyb-0.4': { status: 'veto', comment: '占地面积仅凭当事人陈述认定，主要证据不足' } });
  await li.call('sheet:submit', { sheetId: l.sheetId, revision: l.revision });
  const lead = panel.users.lead!.client;
  const agenda = await lead.call('meeting:get', { campaignId: panel.campaignId });
  await lead.call('meeting:setAgenda', { campaignId: panel.campaignId, caseIds: [caseId], revision: agenda.revision });
  // A file the lead scored himself, waiting for his 组长确认.
  ownCaseId = await importCase(fx.host.backend, panel, '某罚〔2025〕42号', 'penalty_general', ['lead', 'zhang']);
  const own = await score(lead, ownCaseId, { 'cfyb-2.2': { status: 'deduct', deduction: 2, comment: '捕捞时间仅有当事人陈述' } });
  await submitPassingRest(lead, own.sheetId, own.revision);
  const other = await score(zhang, ownCaseId, { 'cfyb-2.2': { status: 'deduct', deduction: 1.5, comment: '证据不足' } });
  await submitPassingRest(zhang, other.sheetId, other.revision);
  // Assigned to 张三 and 李四, not yet scored.
  await importCase(fx.host.backend, panel, '某罚〔2025〕43号', 'penalty_general', ['zhang', 'li']);
}, 180_000);
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

async function login(page: Page, username: string) {
  await page.goto(fx.host.url);
  await page.getByLabel('登录名').fill(username);
  await page.getByLabel('密码').fill(PANEL_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

describe('a vetoed file in the meeting room', () => {
  it('the projector shows the veto, the reviewers in one order and the whole provisional sentence', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await login(page, 'zhao');
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}/projector`);
    await page.getByTestId('projection-vetoes').waitFor();
    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 768 });
      await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
      await screenshot(page, `veto-reconcile-projector-${width}`);
      expect(await page.getByTestId('projection-vetoes').textContent()).toContain('第 F4 项');
      expect(await page.getByTestId('projection-vetoes').textContent()).toContain('李四：占地面积仅凭当事人陈述认定');
      expect(await page.locator('[data-testid="projection-sheet"] .score-name').allTextContents()).toEqual(['张三', '李四']);
      // The sentence is read whole: nothing of it is cut off in its card.
      const grade = page.locator('[data-testid="projection-result"] .score-grade');
      expect(await grade.textContent()).toMatch(/^两份评查表结论不一：张三 .*李四 否决，待合议$/);
      expect(await grade.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      const card = (await page.getByTestId('projection-result').boundingBox())!;
      expect(card.x + card.width).toBeLessThanOrEqual(width);
    }
    await context.close();
  });

  it('the lead lands on its 合议, rejects the veto and adopts the rest from 张三 in one step', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await login(page, 'zhao');
    await page.locator('.reconcile-table').waitFor();
    expect(page.url()).toContain(`#/case/${caseId}/reconcile`);

    // Each disputed item: J to it, 1 adopts 张三's reading (符合 on the veto item: the veto is rejected).
    await page.getByLabel('只看分歧项').check();
    const disputed = await page.locator('[data-testid="disputed-items"] li').count();
    expect(disputed).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < disputed; i++) {
      await page.keyboard.press('j');
      await page.keyboard.press('1');
    }
    await expect.poll(() => page.locator('[data-testid="disputed-items"] li.decided').count()).toBe(disputed);
    const adopt = page.getByTestId('adopt-rest');
    await adopt.waitFor();
    expect(await adopt.textContent()).toMatch(/^其余 \d+ 项采纳张三的评定$/);
    expect(await page.getByRole('button', { name: /确认定分/ }).textContent()).toMatch(/还有 \d+ 项待定/);
    await screenshot(page, 'veto-reconcile-rest-1366');
    await page.setViewportSize({ width: 1024, height: 768 });
    await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(1024);
    await screenshot(page, 'veto-reconcile-rest-1024');
    // At 1024 every disputed item is in sight in its card.
    const card = (await page.getByTestId('disputed-items').boundingBox())!;
    for (let i = 0; i < disputed; i++) {
      const li = (await page.locator('[data-testid="disputed-items"] li').nth(i).boundingBox())!;
      expect(li.y + li.height).toBeLessThanOrEqual(card.y + card.height + 0.5);
    }
    await page.setViewportSize({ width: 1366, height: 768 });

    await adopt.click();
    const confirm = page.getByRole('button', { name: /确认定分/ });
    await expect.poll(() => confirm.textContent()).toMatch(/^确认定分（\d+(\.\d+)? 分 · /);
    await confirm.click();
    await expect.poll(() => page.locator('.reconcile-footer').textContent()).toContain('已定分');
    expect(await page.locator('.reconcile-footer').textContent()).toContain('99 分');
    await screenshot(page, 'veto-reconcile-settled-1366');
    await context.close();
  });
  it("the lead's own delivered sheet leads to the 合议; the key named beside each 视情况扣分 choice is the key that deducts it", async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await login(page, 'zhao');
    await page.goto(`${fx.host.origin}/#/case/${ownCaseId}`);
    const go = page.getByTestId('go-reconcile');
    await go.waitFor();
    // 2.2 deducts 1–6 in half points: whole points carry their own number as key, half points none.
    const options = await page.getByLabel('扣分值').first().locator('option').allTextContents();
    expect(options.slice(0, 4)).toEqual(['1 分（键 1）', '1.5 分', '2 分（键 2）', '2.5 分']);
    await screenshot(page, 'veto-reconcile-own-sheet-1366');
    for (const width of [1024, 1366]) {
      await page.setViewportSize({ width, height: 768 });
      await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
      // The save line breaks between its parts, never inside 已自动保存.
      const saved = page.locator('.sheet-save-state');
      expect((await saved.boundingBox())!.height).toBeLessThan(30);
      if (width === 1024) await screenshot(page, 'veto-reconcile-own-sheet-1024');
    }
    await go.getByRole('link', { name: '去合议' }).click();
    await page.locator('.reconcile-table').waitFor();
    expect(page.url()).toContain(`#/case/${ownCaseId}/reconcile`);
    await context.close();
  });
  it('我的评分 speaks one vocabulary: 待评 for a file assigned and unscored, — for one not assigned', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const mine = async (caseNumber: string) =>
      (await page.locator('.case-table tbody tr', { hasText: caseNumber }).locator('td').nth(-2).textContent())!.trim();
    await login(page, 'zhang');
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    await page.locator('.case-table tbody tr', { hasText: '某罚〔2025〕43号' }).waitFor();
    expect(await mine('某罚〔2025〕43号')).toBe('待评');
    expect(await page.locator('.case-table th.col-mine').getAttribute('title')).toContain('“待评”为分配给您、尚未评分');
    await screenshot(page, 'veto-reconcile-my-score-reviewer');
    await page.getByRole('button', { name: '退出登录' }).click();
    await login(page, 'zhao');
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    await page.locator('.case-table tbody tr', { hasText: '某罚〔2025〕43号' }).waitFor();
    expect(await mine('某罚〔2025〕43号')).toBe('—');
    expect(await page.locator('.case-table tbody').textContent()).not.toContain('待评');
    await screenshot(page, 'veto-reconcile-my-score-lead');
    await context.close();
  });
});
