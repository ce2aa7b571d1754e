/**
 * What a new panel tripped over on the realistic 清溪县 files, at 1366×768 and 1024×768: the shortcut
 * help is a compact panel beside the page that leaves the page and the score sheet usable (Esc and ?
 * close it); the reader's toolbar stays on one line with the side panel open; opening 合议 logs no
 * console warning; the case list says 未评分 for a file nobody scored and 待合议 for one waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, ConsoleMessage, Locator, Page } from 'playwright-core';
import { ADMIN, stage } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, type HostFixture, type OffNetworkBrowser, type watch } from '../support/browser.js';
import { openLoggedIn } from '../support/e2e-session.js';
import { dossierFixture } from '../support/dossiers/index.js';
import { deliverSheet, importCase, PANEL_PASSWORD, setupPanel, type Panel } from '../support/review-setup.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let panel: Panel;
let caseId: string;
let flaggedId: string;

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  panel = await setupPanel(fx.host.backend);
  const { bytes } = await dossierFixture({ seed: 2111, caseType: 'license' });
  const sourceId = await stage(fx.host.backend, panel.admin, '某市监许〔2025〕41号.pdf', bytes);
  const detail = await panel.admin.call('dossier:importSingle', {
    campaignId: panel.campaignId,
    sourceId,
    caseNumber: '某市监许〔2025〕41号',
    caseTitle: '某餐饮公司食品经营许可',
    unitName: '某某县市场监督管理局',
    caseType: 'license',
  });
  caseId = detail.id;
  for (const key of ['zhang', 'li']) await panel.admin.call('assignment:add', { caseId, reviewerId: panel.users[key]!.id });
  // A file the two reviewers scored differently: it waits for 合议.
  flaggedId = await importCase(fx.host.backend, panel, '某市监许〔2025〕42号');
  await deliverSheet(panel.users.zhang!.client, flaggedId, { 'xk-2': { status: 'deduct', comment: '未一次性告知需补正的全部内容' } });
  await deliverSheet(panel.users.li!.client, flaggedId, { 'xk-5': { status: 'deduct', comment: '两部门分别受理' } });
  // A file nobody has opened.
  await importCase(fx.host.backend, panel, '某市监许〔2025〕43号');
}, 240_000);
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

const contexts: Array<{ context: BrowserContext; seen: ReturnType<typeof watch> }> = [];
/** Every console message but debug output, as the person's browser logged it. */
const consoleOf = new Map<Page, string[]>();
async function loginAs(username: string, width: number, height: number, password = PANEL_PASSWORD): Promise<Page> {
  const page = await openLoggedIn(net.browser, fx.host, contexts, { username, password }, { width, height });
  const log: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'warning' || m.type() === 'error') log.push(`${m.type()}: ${m.text()}`);
  });
  consoleOf.set(page, log);
  return page;
}

type Box = { x: number; y: number; width: number; height: number };
async function boxOf(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error('element not shown');
  return b;
}
const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The distinct tops of the toolbar's controls: one line is one top (within a few pixels). */
async function toolbarLines(page: Page): Promise<number> {
  const tops = await page
    .getByRole('toolbar', { name: '阅读工具' })
    .evaluate((bar) =>
      [...bar.querySelectorAll('button, select, input')]
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)),
    );
  const lines: number[] = [];
  for (const t of tops.sort((a, b) => a - b)) if (!lines.some((l) => Math.abs(l - t) <= 6)) lines.push(t);
  return lines.length;
}

async function openCase(page: Page) {
  await page.goto(`${fx.host.origin}/#/case/${caseId}`);
  await page.getByTestId('sheet-total').waitFor({ timeout: 30_000 });
  await page.locator('.page[data-page-number="1"] canvas').first().waitFor({ timeout: 30_000 });
}

describe('the reader and the meeting room for a new panel', () => {
  for (const [width, height] of [
    [1366, 768],
    [1024, 768],
  ] as const) {
    it(`at ${width}×${height}: one-line toolbar with the side panel open, a compact shortcut help`, async () => {
      const page = await loginAs('zhang', width, height);
      await openCase(page);
      // The score sheet is open beside the page: the toolbar is one line, each tab of the panel too.
      await page.getByRole('tab', { name: '我的评查表' }).waitFor();
      expect(await toolbarLines(page)).toBe(1);
      for (const tab of ['批注', '预审']) {
        await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
        expect(await toolbarLines(page)).toBe(1);
      }
      await page.getByRole('tab', { name: '我的评查表' }).click();
      // Nothing of it is cut off at the sheet's edge.
      const readerBox = await boxOf(page.locator('section.reader'));
      const helpButton = await boxOf(page.getByRole('button', { name: '快捷键' }).first());
      expect(helpButton.x + helpButton.width).toBeLessThanOrEqual(readerBox.x + readerBox.width);
      // With the left panel open too (the narrowest reader), nothing of the toolbar paints over the sheet's tabs.
      const leftPanel = page.getByRole('button', { name: /^侧栏/ });
      const leftWasOpen = (await leftPanel.getAttribute('aria-pressed')) === 'true';
      if (!leftWasOpen) await leftPanel.click();
      const spill = () =>
        page.evaluate(() => {
          const right = document.querySelector('section.reader')!.getBoundingClientRect().right;
          return [...document.querySelectorAll<HTMLElement>('.reader-toolbar *')].filter(
            (e) => e.offsetParent !== null && e.getBoundingClientRect().right > right + 0.5,
          ).length;
        });
      await expect.poll(spill).toBe(0);
      await screenshot(page, `newcomer-toolbar-both-panels-${width}`);
      if (!leftWasOpen) await leftPanel.click();
      // What left the toolbar is one click away, named.
      const more = page.getByRole('button', { name: '更多阅读工具' });
      await more.click();
      await page.getByRole('menuitem', { name: /本页顺时针旋转/ }).waitFor();
      await screenshot(page, `newcomer-toolbar-menu-${width}`);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('menuitem', { name: /本页顺时针旋转/ }).count()).toBe(0);
      await screenshot(page, `newcomer-toolbar-${width}`);

      // ? opens the help beside the page: it covers neither the score sheet nor most of the page.
      await page.locator('.pc-viewer-scroll').focus();
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: '阅读、批注与评分快捷键' });
      await help.waitFor();
      const helpBox = await boxOf(help);
      const side = await boxOf(page.locator('.side'));
      const reader = await boxOf(page.getByTestId('pdf-container'));
      expect(overlaps(helpBox, side)).toBe(false);
      expect(helpBox.width * helpBox.height).toBeLessThan(reader.width * reader.height * 0.5);
      expect(helpBox.y + helpBox.height).toBeLessThanOrEqual(height);
      await screenshot(page, `newcomer-shortcut-help-${width}`);
      // The sheet is usable while it is open: a click on an item's 符合 answers it.
      const first = page.locator('.sheet-item').nth(width === 1366 ? 0 : 1);
      await first.getByRole('button', { name: '符合', exact: true }).click();
      await expect.poll(() => first.getByRole('button', { name: '符合', exact: true }).getAttribute('aria-pressed')).toBe('true');
      expect(await help.isVisible()).toBe(true);
      // ? closes it, and Esc.
      await page.locator('.pc-viewer-scroll').focus();
      await page.keyboard.press('?');
      await help.waitFor({ state: 'detached' });
      await page.keyboard.press('?');
      await help.waitFor();
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'detached' });
    });
  }

  it('the campaign shows the standard each case type present is scored on, and flags a type without one', async () => {
    // A 行政处罚 file arrives in a campaign whose 处罚 standard was left unchosen.
    await panel.admin.call('campaign:setStandard', { campaignId: panel.campaignId, caseType: 'penalty_general', versionId: null });
    const { bytes } = await dossierFixture({ seed: 2112, caseType: 'penalty_general' });
    const sourceId = await stage(fx.host.backend, panel.admin, '某市监罚〔2025〕7号.pdf', bytes);
    await panel.admin.call('dossier:importSingle', {
      campaignId: panel.campaignId,
      sourceId,
      caseNumber: '某市监罚〔2025〕7号',
      caseTitle: '某超市销售过期食品案',
      unitName: '某某县市场监督管理局',
      caseType: 'penalty_general',
    });
    const page = await loginAs(ADMIN.username, 1366, 768, ADMIN.password);
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    const notice = page.getByTestId('missing-standards');
    await expect.poll(() => notice.textContent()).toContain('行政处罚（一般程序）（1 件）尚未指定评查标准');
    const standards = page.getByRole('region', { name: '各类案卷的评查标准' });
    // Only the types the campaign has files of, with their counts; the 处罚 row is flagged.
    await expect.poll(() => standards.locator('tbody tr').count()).toBe(2);
    const penalty = standards.locator('tr[data-case-type="penalty_general"]');
    expect(await penalty.textContent()).toContain('未指定标准');
    expect(await penalty.textContent()).toContain('1 件');
    expect(await standards.locator('tr[data-case-type="license"]').textContent()).toContain('3 件');
    await penalty.scrollIntoViewIfNeeded();
    await screenshot(page, 'newcomer-standards-missing');
    // The draw screen says it too, before anything is drawn.
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}/panel`);
    await expect.poll(() => page.getByTestId('missing-standards').textContent()).toContain('行政处罚（一般程序）');
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    // Chosen where it is flagged: the flag and the notice go.
    const select = page.getByLabel('行政处罚（一般程序）的评查标准');
    const option = await select.locator('option', { hasText: '行政处罚案卷评查参考标准（一般程序）' }).first().getAttribute('value');
    await select.selectOption(option!);
    await expect.poll(() => notice.count()).toBe(0);
    await expect.poll(() => penalty.textContent()).not.toContain('未指定标准');
    await screenshot(page, 'newcomer-standards-chosen');

    // One late PDF without a case list: its 案号 from the name, its type from its pages, said as inferred.
    const late = await dossierFixture({ seed: 2113, caseType: 'license' });
    await page.getByRole('button', { name: '＋ 导入案卷' }).click();
    const dialog = page.getByRole('dialog', { name: '导入案卷' });
    await dialog
      .getByLabel('案卷 PDF 文件')
      .setInputFiles({ name: '清市监许〔2025〕19号.pdf', mimeType: 'application/pdf', buffer: Buffer.from(late.bytes) });
    await expect
      .poll(() => dialog.getByTestId('type-guess').textContent())
      .toBe('已按案卷内容推断为行政许可（封面题为“行政许可案卷”），如不对请更改。');
    expect(await dialog.getByLabel('案件类型').inputValue()).toBe('license');
    expect(await dialog.getByPlaceholder('如：某市监处罚〔2025〕12号').inputValue()).toBe('清市监许〔2025〕19号');
    await screenshot(page, 'newcomer-late-file-type-inferred');
    // Changed by the person, the inference is no longer claimed.
    await dialog.getByLabel('案件类型').selectOption('penalty_general');
    await expect.poll(() => dialog.getByTestId('type-guess').count()).toBe(0);
    await dialog.getByRole('button', { name: '取消' }).click();
  });

  it('opening 合议 logs no console warning; the case list tells 未评分 from 待合议', async () => {
    const lead = await loginAs('zhao', 1366, 768);
    await lead.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    const row = (n: string) => lead.locator('.case-table tbody tr', { hasText: n });
    await expect.poll(() => row('某市监许〔2025〕43号').getByTestId('case-final').textContent()).toBe('未评分');
    // 张三 answered an item of this one above.
    await expect.poll(() => row('某市监许〔2025〕41号').getByTestId('case-final').textContent()).toBe('评分中');
    await expect.poll(() => row('某市监许〔2025〕42号').getByTestId('case-final').textContent()).toMatch(/^待(复核|组长确认|集体评议)/);
    await screenshot(lead, 'newcomer-case-list-states');
    // From the file's own screen, as the lead goes: open the file, then 合议.
    await lead.goto(`${fx.host.origin}/#/case/${flaggedId}`);
    await lead.locator('.page[data-page-number="1"] canvas').first().waitFor({ timeout: 30_000 });
    await lead.getByRole('button', { name: '查看评分概况' }).click();
    await lead.getByRole('link', { name: '进入合议' }).click();
    await lead.locator('.reconcile-table').waitFor();
    await lead.waitForTimeout(1500);
    await screenshot(lead, 'newcomer-reconcile-open');
    expect(consoleOf.get(lead)).toEqual([]);
    for (const c of contexts) {
      expect(c.seen.outside()).toEqual([]);
      expect(c.seen.problems).toEqual([]);
    }
    expect(net.escapedByApp()).toEqual([]);
  });
});
