/**
 * Air-gapped panel in the browser: the lead exports 张三's work package from host A; a
 * second host B on its own data folder (张三's laptop, fresh install) imports it; 张三 scores there
 * and exports his return package; the lead imports it on A and sees the merged scores in the
 * reconciliation view. Keys are made on the way (the first export makes the person's key), and each
 * side confirms the other's key fingerprint in the import dialog. Both hosts loopback only, offline,
 * no request leaving the machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { formatFingerprint } from '../../shared/signing/identity.js';
import { firstRunSetup, logIn } from '../support/e2e-session.js';
import { client, setupAdmin, submitPassingRest } from '../support/backend.js';
import { exportPackage, importConfirming, openWorkstation } from '../support/packages.js';
import { importCase, PANEL_PASSWORD, score, setupPanel, type Panel } from '../support/review-setup.js';
import { outputDir } from '../support/temp.js';

const LAPTOP_PASSWORD = 'Laptop2025!';
let lead: HostFixture;
let laptop: HostFixture;
let net: OffNetworkBrowser;
let panel: Panel;
let caseId: string;

beforeAll(async () => {
  lead = await startTestHost();
  laptop = await startTestHost();
  net = await launchOffline();
  panel = await setupPanel(lead.host.backend, { login: false });
  caseId = await importCase(lead.host.backend, panel, '某许〔2025〕9号');
  // 李四 scored the file on the lead's PC: 扣 item 5, the rest 符合.
  const li = panel.users.li!.client;
  await li.call('auth:login', { username: 'li', password: PANEL_PASSWORD });
  const view = await li.call('sheet:start', { caseId });
  const r = await li.call('sheet:answer', {
    sheetId: view.sheet.id,
    itemId: 'xk-5',
    answer: { status: 'deduct', comment: '两部门分别受理' },
    revision: view.sheet.revision,
  });
  await submitPassingRest(li, view.sheet.id, r.revision);
});
afterAll(async () => {
  await net?.close();
  await lead?.close();
  await laptop?.close();
});

interface Window {
  context: BrowserContext;
  page: Page;
  seen: ReturnType<typeof watch>;
}

async function open(fx: HostFixture): Promise<Window> {
  const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 960 }, acceptDownloads: true });
  const seen = watch(context, fx.host.origin);
  const page = await context.newPage();
  return { context, page, seen };
}

async function login(w: Window, fx: HostFixture, username: string, password: string) {
  await logIn(w.page, fx.host.url, { username, password });
  await w.page.getByRole('button', { name: '退出登录' }).waitFor();
}

/** Clicks a button that starts a download and keeps the file where a USB stick would get it. */
async function downloadBy(page: Page, button: ReturnType<Page['getByRole']>, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const target = path.join(outputDir('e2e', 'usb'), name);
  await file.saveAs(target);
  return target;
}

describe('work packages between two workstations', () => {
  it('out to a fresh laptop, scored there, back, merged, and seen in the reconciliation view', async () => {
    // The lead's PC: export 张三's work package.
    const a = await open(lead);
    await login(a, lead, 'zhao', PANEL_PASSWORD);
    await a.page.goto(`${lead.host.origin}/#/campaign/${panel.campaignId}`);
    await a.page.getByRole('link', { name: '工作包' }).click();
    const zhangRow = a.page.getByRole('region', { name: '按评查人员导出工作包' }).getByRole('row', { name: /张三/ });
    await zhangRow.waitFor();
    // No key yet: the first export makes it with the password typed here; a missing password is asked for inline.
    const outRegion = a.page.getByRole('region', { name: '按评查人员导出工作包' });
    await expect.poll(() => outRegion.textContent()).toContain('您还没有签名密钥');
    await zhangRow.getByRole('button', { name: '导出工作包' }).click();
    await expect.poll(() => outRegion.getByRole('alert').first().textContent()).toContain('请输入您的登录密码');
    await outRegion.getByLabel('您的登录密码（解开签名密钥）').fill(PANEL_PASSWORD);
    const outFile = await downloadBy(a.page, zhangRow.getByRole('button', { name: '导出工作包' }), 'zhang-out.pcpkg.zip');
    await expect.poll(() => a.page.getByRole('region', { name: '工作包记录' }).textContent()).toContain('评查工作包');
    // Not only a toast with the name: where it went, and where the workstation keeps its copy.
    const exported = a.page.getByTestId('package-exported');
    await expect.poll(() => exported.textContent()).toMatch(/浏览器的“下载”文件夹.*本工作站另存一份：.*exports/);
    await screenshot(a.page, 'packages-1-lead-export');

    // 张三's laptop: a fresh install; its administrator imports the package and sets 张三's password.
    const b = await open(laptop);
    await firstRunSetup(b.page, laptop.host.url);
    await b.page.getByRole('button', { name: '导入工作包…' }).click();
    const dialog = b.page.getByRole('dialog', { name: '导入工作包' });
    await dialog.getByLabel('工作包文件（.pcpkg.zip）').setInputFiles(outFile);
    await expect.poll(() => dialog.getByRole('region', { name: '工作包内容' }).textContent(), { timeout: 30_000 }).toContain('评查工作包');
    await expect.poll(() => dialog.textContent()).toContain('案卷 1 件');
    // Styled on the campaigns list too, where the packages screen (and its stylesheet) has not been opened.
    expect(await dialog.locator('.package-facts').evaluate((el) => getComputedStyle(el).display)).toBe('grid');
    // The lead's key is new here: its fingerprint is shown to be compared with the lead; import waits for the confirmation.
    const leadKey = lead.host.backend.db.prepare("SELECT fingerprint FROM signing_keys WHERE status = 'active'").pluck().get() as string;
    const trustBox = dialog.getByRole('region', { name: '核对签名人密钥指纹' });
    await expect.poll(() => trustBox.textContent()).toContain(formatFingerprint(leadKey));
    expect(await dialog.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true);
    await trustBox.getByLabel(/我已与 赵组长 核对，指纹一致/).check();
    // Refused without a password, inline; then imported.
    await dialog.getByRole('button', { name: '确认导入' }).click();
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toContain('至少 8 位');
    await dialog.getByLabel(/为评查人员“张三”设置本机登录密码/).fill(LAPTOP_PASSWORD);
    await screenshot(b.page, 'packages-2-laptop-import-preview');
    await dialog.getByRole('button', { name: '确认导入' }).click();
    await b.page.getByRole('link', { name: '某许〔2025〕9号' }).waitFor({ timeout: 30_000 });
    // Read-only for the laptop's administrator too: no import of files here.
    await expect.poll(() => b.page.getByRole('note').textContent()).toContain('只读副本');
    expect(await b.page.getByRole('button', { name: '＋ 导入案卷' }).count()).toBe(0);
    await screenshot(b.page, 'packages-3-laptop-campaign');

    // The lead's account came with the package: the people screen says why it cannot log in here and what to do.
    await b.page.setViewportSize({ width: 1366, height: 768 });
    await b.page.getByRole('link', { name: '人员' }).click();
    const note = b.page.getByTestId('from-package-note');
    await expect.poll(() => note.textContent()).toMatch(/来自其他工作站的工作包.*不随工作包传递.*设置密码并启用/);
    expect(await b.page.locator('tr', { hasText: '待设置密码' }).count()).toBeGreaterThan(0);
    await screenshot(b.page, 'packages-3b-laptop-people-from-package');
    // On the panel they are members who review (their assignments came with them), not “无人参加评查”.
    await b.page.goto(`${laptop.host.origin}/#/campaign/${panel.campaignId}/panel`);
    await expect.poll(() => b.page.getByTestId('panel-count').textContent()).toMatch(/均参加评查.*来自其他工作站/);
    await screenshot(b.page, 'packages-3c-laptop-panel-from-package');
    await b.page.setViewportSize({ width: 1440, height: 960 });

    // 张三 logs in on the laptop and scores the file: 扣 item 2, the rest 符合, delivered. The
    // administrator left a file open; 张三 starts on his own start screen, not on that route.
    await b.page.goto(`${laptop.host.origin}/#/case/${caseId}`);
    await b.page.getByRole('button', { name: '退出登录' }).click();
    await b.page.getByLabel('登录名').fill('zhang');
    await b.page.getByLabel('密码').fill(LAPTOP_PASSWORD);
    await b.page.getByLabel('密码').press('Enter');
    await b.page.getByRole('button', { name: '退出登录' }).waitFor();
    expect(new URL(b.page.url()).hash).toBe('#/');
    expect(await b.page.textContent('body')).not.toContain('无权查看');
    await b.page.goto(`${laptop.host.origin}/#/campaign/${panel.campaignId}`);
    await b.page.getByRole('link', { name: '某许〔2025〕9号' }).click();
    await b.page.getByTestId('sheet-total').waitFor({ timeout: 30_000 });
    const item2 = b.page.locator('.sheet-item[data-item-id="xk-2"]');
    await item2.getByRole('button', { name: '扣分' }).click();
    await item2.getByLabel('扣分理由').fill('未一次性告知需补正的全部内容（笔记本电脑上评分）');
    await expect.poll(() => b.page.getByTestId('sheet-total').textContent()).toContain('已扣 10 分');
    await b.page.getByRole('button', { name: '提交评查表' }).click();
    // Items that may be 不适用 (and veto items) are decided one by one; only the plain rest passes at once.
    const decisions = b.page.locator('[data-decide-item]');
    while (await decisions.count()) await decisions.first().getByRole('button', { name: '符合', exact: true }).click();
    await b.page.getByRole('button', { name: /其余 \d+ 项评为符合并提交/ }).click();
    await expect.poll(() => b.page.getByTestId('sheet-status').textContent()).toBe('已提交');
    await b.page.goto(`${laptop.host.origin}/#/campaign/${panel.campaignId}`);
    await expect.poll(() => b.page.getByRole('note').textContent()).toContain('只读副本');
    await b.page.getByRole('link', { name: '工作包（导出回收包）' }).click();
    await expect.poll(() => b.page.getByRole('region', { name: '本机副本' }).textContent()).toContain('只读评查副本');
    await b.page.getByLabel('您的登录密码（解开签名密钥）').fill(LAPTOP_PASSWORD);
    const returnFile = await downloadBy(b.page, b.page.getByRole('button', { name: '导出回收包（第 1 次）' }), 'zhang-return-1.pcpkg.zip');
    await expect.poll(() => b.page.textContent('body')).not.toContain('您还没有签名密钥');
    await screenshot(b.page, 'packages-4-laptop-return');

    // Back at the lead's PC: import the return package; both opinions are now side by side.
    await a.page.reload();
    await a.page.getByRole('button', { name: '导入回收包…' }).click();
    const back = a.page.getByRole('dialog', { name: '导入回收包' });
    await back.getByLabel('工作包文件（.pcpkg.zip）').setInputFiles(returnFile);
    await expect.poll(() => back.getByRole('region', { name: '工作包内容' }).textContent(), { timeout: 30_000 }).toContain('评查回收包');
    await expect.poll(() => back.textContent()).toContain('评查表 1 份');
    // 张三's laptop key, confirmed once by the lead (the reviewer the lead sent the package to).
    const zhangKey = laptop.host.backend.db.prepare("SELECT fingerprint FROM signing_keys WHERE status = 'active'").pluck().get() as string;
    await expect.poll(() => back.getByRole('region', { name: '核对签名人密钥指纹' }).textContent()).toContain(formatFingerprint(zhangKey));
    await back.getByLabel(/我已与 张三 核对，指纹一致/).check();
    await screenshot(a.page, 'packages-5-lead-import-preview');
    await back.getByRole('button', { name: '确认导入' }).click();
    await expect.poll(() => a.page.getByRole('region', { name: '工作包记录' }).textContent()).toContain('评查回收包（第 1 次）');
    await expect.poll(() => zhangRow.textContent()).toContain('第 1 次');
    await screenshot(a.page, 'packages-6-lead-after-merge');

    await a.page.goto(`${lead.host.origin}/#/case/${caseId}/reconcile`);
    await a.page.locator('.reconcile-table').waitFor({ timeout: 30_000 });
    // 张三's laptop answer (item 2) and 李四's (item 5) differ: both rows are flagged side by side.
    await expect.poll(() => a.page.locator('tbody[data-reconcile-item="xk-2"]').getAttribute('class')).toContain('differs');
    await expect.poll(() => a.page.locator('tbody.differs').count()).toBe(2);
    const page = await a.page.textContent('main');
    expect(page).toContain('张三');
    expect(page).toContain('李四');
    // 张三's total from the laptop (90) beside 李四's (85) in the summary cards.
    expect(page).toMatch(/张三\s*90/);
    await screenshot(a.page, 'packages-7-reconcile-merged');

    // The same return package again changes nothing (the dialog says so and offers no import).
    await a.page.goto(`${lead.host.origin}/#/campaign/${panel.campaignId}/packages`);
    await a.page.getByRole('button', { name: '导入回收包…' }).click();
    await back.getByLabel('工作包文件（.pcpkg.zip）').setInputFiles(returnFile);
    await expect.poll(() => back.textContent(), { timeout: 30_000 }).toContain('此前已导入');
    expect(await back.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true);
    await back.getByRole('button', { name: /取消/ }).click();

    for (const w of [a, b]) {
      expect(w.seen.outside()).toEqual([]);
      expect(w.seen.problems).toEqual([]);
      await w.context.close();
    }
    expect(net.escapedByApp()).toEqual([]);
  });

  it('a sheet changed on both machines is shown side by side and a person chooses', async () => {
    // 王五 begins a second file on the lead's PC and takes it home (his laptop driven through its back end).
    const wangCase = await importCase(lead.host.backend, panel, '某许〔2025〕10号', 'license', ['wang']);
    const wangHere = panel.users.wang!.client;
    await wangHere.call('auth:login', { username: 'wang', password: PANEL_PASSWORD });
    await score(wangHere, wangCase, { 'xk-1': { status: 'pass' } });
    const zhao = client(lead.host.backend, 'zhao-api');
    await zhao.call('auth:login', { username: 'zhao', password: PANEL_PASSWORD });
    const out = await exportPackage(lead.host.backend, zhao, 'package:exportOut', {
      campaignId: panel.campaignId,
      reviewerId: panel.users.wang!.id,
      password: PANEL_PASSWORD,
    });
    const wangPc = openWorkstation('e2e-wang');
    try {
      await importConfirming(wangPc.backend, await setupAdmin(wangPc.backend, 'admin'), out, { reviewerPassword: LAPTOP_PASSWORD });
      const wangThere = client(wangPc.backend, 'wang');
      await wangThere.call('auth:login', { username: 'wang', password: LAPTOP_PASSWORD });
      await wangThere.call('key:create', { password: LAPTOP_PASSWORD });
      // Item 2 changed on both machines, differently.
      await score(wangThere, wangCase, { 'xk-2': { status: 'pass' } });
      await score(wangHere, wangCase, { 'xk-2': { status: 'deduct', comment: '组长电脑上的修改：未一次性告知补正内容' } });
      const back = await exportPackage(wangPc.backend, wangThere, 'package:exportReturn', {
        campaignId: panel.campaignId,
        password: LAPTOP_PASSWORD,
      });
      const returnFile = path.join(outputDir('e2e', 'usb'), 'wang-return-1.pcpkg.zip');
      fs.writeFileSync(returnFile, back);

      const a = await open(lead);
      await login(a, lead, 'zhao', PANEL_PASSWORD);
      await a.page.goto(`${lead.host.origin}/#/campaign/${panel.campaignId}/packages`);
      await a.page.getByRole('button', { name: '导入回收包…' }).click();
      const dialog = a.page.getByRole('dialog', { name: '导入回收包' });
      await dialog.getByLabel('工作包文件（.pcpkg.zip）').setInputFiles(returnFile);
      await dialog.getByLabel(/我已与 王五 核对，指纹一致/).check({ timeout: 30_000 });
      await dialog.getByRole('button', { name: '确认导入' }).click();
      const conflicts = a.page.getByRole('region', { name: '待处理的冲突' });
      await expect.poll(() => conflicts.textContent(), { timeout: 30_000 }).toContain('1 处待处理');
      const card = conflicts.getByRole('article', { name: /某许〔2025〕10号 王五/ });
      expect(await card.textContent()).toContain('组长电脑上的修改');
      await screenshot(a.page, 'packages-8-conflict');
      await card.getByRole('button', { name: '采用回收包' }).click();
      await expect.poll(() => conflicts.textContent()).toContain('已全部处理');
      expect((await wangHere.call('sheet:start', { caseId: wangCase })).answers['xk-2']).toEqual({ status: 'pass' });
      await screenshot(a.page, 'packages-9-conflict-resolved');
      expect(a.seen.outside()).toEqual([]);
      expect(a.seen.problems).toEqual([]);
      await a.context.close();
      expect(net.escapedByApp()).toEqual([]);
    } finally {
      wangPc.close();
    }
  });
});
