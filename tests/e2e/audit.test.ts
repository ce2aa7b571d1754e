/**
 * The 留痕 screen in a real browser: the organiser filters the trail of real work, exports it to XLSX
 * (opened with exceljs), checks its integrity, and after a tamperer edits a row with direct SQLite
 * access the check names that row — offline.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, client, stage } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { firstRunSetup, logIn } from '../support/e2e-session.js';
import { createPeople } from '../support/panel-fixtures.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { SAMPLE_FILES, scoredCampaign } from '../support/scored-campaign.js';
import { outputDir } from '../support/temp.js';

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

describe('留痕 screen', () => {
  it('filters, exports to XLSX, checks the chain and names the row a tamperer changed', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await firstRunSetup(page, fx.host.url);
    await page.getByRole('link', { name: '留痕' }).waitFor();
    const backend = fx.host.backend;
    const organiser = client(backend, 'e2e-script');
    await organiser.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
    await scoredCampaign(backend, organiser);
    const db = backend.db;
    const answers = (db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'sheet.answer'").get() as { n: number }).n;

    await page.getByRole('link', { name: '留痕' }).click();
    await page.getByRole('heading', { name: '留痕' }).waitFor();
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    await page.getByLabel('操作', { exact: true }).selectOption({ label: '评分' });
    await page.getByRole('button', { name: '筛选' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(answers);
    expect(await table.locator('tbody tr').first().textContent()).toContain('王组长');
    expect(await table.locator('tbody tr').first().textContent()).toContain('评查表');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 XLSX' }).click()]);
    const saved = path.join(outputDir('e2e'), download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toMatch(/^留痕-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(saved);
    const sheet = book.getWorksheet('留痕')!;
    expect(sheet.rowCount).toBe(answers + 1);
    expect(sheet.getRow(2).getCell(4).value).toBe('评分');

    // At 1366 the filter bar is one line (清除 was left alone on a second).
    await page.setViewportSize({ width: 1366, height: 768 });
    const bar = page.getByRole('form', { name: '筛选留痕' });
    const topOf = (name: string) =>
      bar.getByRole('button', { name, exact: true }).evaluate((b) => Math.round(b.getBoundingClientRect().top));
    expect(
      Math.abs((await topOf('清除')) - (await bar.getByLabel('操作人').evaluate((b) => Math.round(b.getBoundingClientRect().top)))),
    ).toBeLessThan(12);
    // A day picked in the calendar sets the field.
    const to = bar.getByLabel('截止日期');
    await bar.getByRole('button', { name: '打开日历' }).nth(1).click();
    const calendar = page.getByRole('dialog', { name: '选择截止日期' });
    await calendar.getByRole('gridcell', { name: /年\d+月10日/ }).click();
    await expect.poll(() => to.inputValue()).toMatch(/^\d{4}-\d{2}-10$/);
    // 自 after 至 is said in Chinese and not applied.
    const shown = await table.locator('tbody tr').count();
    await bar.getByLabel('起始日期').fill('2099-01-01');
    await bar.getByLabel('起始日期').press('Tab');
    expect(await page.getByTestId('audit-range-error').textContent()).toContain('起始日期 2099-01-01 晚于截止日期');
    expect(await bar.getByRole('button', { name: '筛选', exact: true }).isDisabled()).toBe(true);
    await bar.getByLabel('起始日期').press('Enter');
    expect(await table.locator('tbody tr').count()).toBe(shown);
    await screenshot(page, 'audit-filter-reversed-1366');
    // An impossible day: our own message, without the browser's bubble over it.
    await bar.getByLabel('起始日期').fill('2025-02-30');
    await bar.getByLabel('起始日期').press('Tab');
    expect(await bar.getByRole('alert').first().textContent()).toMatch(/2025|2月|日期/);
    expect(
      await bar.getByLabel('起始日期').evaluate((el) => {
        const ev = new Event('invalid', { cancelable: true });
        el.dispatchEvent(ev);
        return ev.defaultPrevented;
      }),
    ).toBe(true);
    await screenshot(page, 'audit-filter-baddate-1366');
    await bar.getByRole('button', { name: '清除', exact: true }).click();
    await page.setViewportSize({ width: 1500, height: 1000 });

    await page.getByRole('button', { name: '检查留痕完整性' }).click();
    const verdict = page.getByTestId('audit-check');
    await expect.poll(() => verdict.textContent()).toContain('留痕完整');
    await screenshot(page, 'audit-intact');

    const target = db.prepare("SELECT id FROM audit_log WHERE action = 'sheet.answer' ORDER BY id LIMIT 1").pluck().get() as number;
    const trigger = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'audit_log_no_update'").pluck().get() as string;
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare('UPDATE audit_log SET actor_id = NULL WHERE id = ?').run(target);
    db.exec(trigger);
    await page.getByRole('button', { name: '检查留痕完整性' }).click();
    await expect.poll(() => verdict.textContent()).toContain(`第 ${target} 条留痕`);
    expect(await verdict.textContent()).toContain('在写入后被改动过');
    await screenshot(page, 'audit-broken');

    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  }, 180_000);
  it('tells a draw, an assignment and a mistyped password in Chinese, the draw with every drawn 案号', async () => {
    const backend = fx.host.backend;
    const organiser = client(backend, 'e2e-script-2');
    await organiser.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
    const panel = await createPeople(organiser, [
      { username: 'zhang', displayName: '张评查', role: 'reviewer', affiliation: '某某县公安局' },
      { username: 'chen', displayName: '陈评查', role: 'reviewer', affiliation: '某某县财政局' },
      { username: 'lz', displayName: '李组长', role: 'lead', affiliation: '某某县司法局', legalProfessional: true },
    ]);
    // A campaign of its own: the first test's organiser has already scored every file, and an
    // assignment never takes a started file away from its scorer.
    const { id: drawCampaignId } = await organiser.call('campaign:create', {
      name: '2025年度行政许可案卷抽查',
      year: 2025,
      issuingBody: '某某县司法局',
    });
    const pdf = await dossierPdf(3, '行政许可案卷');
    for (const f of SAMPLE_FILES) {
      const sourceId = await stage(backend, organiser, '01-行政许可决定书.pdf', pdf);
      await organiser.call('dossier:importSingle', {
        campaignId: drawCampaignId,
        sourceId,
        caseNumber: f.caseNumber,
        caseTitle: f.title,
        unitName: f.unit,
        caseType: 'license',
      });
    }
    const campaignId = drawCampaignId;
    await organiser.call('panel:setMembers', { campaignId, userIds: [...panel.values()] });
    await organiser.call('draw:run', { campaignId, perGroup: 1, seed: '2025-1207-88', witness: '赵见证' });
    await organiser.call('draw:exportRecord', { campaignId });
    const proposal = await organiser.call('assignment:preview', { campaignId, perFile: 2, requireLegal: false, seed: '7206-3950-4753' });
    await organiser.call('assignment:apply', {
      campaignId,
      perFile: 2,
      requireLegal: false,
      seed: '7206-3950-4753',
      digest: proposal.digest,
    });
    await client(backend, 'web:U_BUtXZwbNVZsqdESxLF-Q').fail('auth:login', { username: 'zhang', password: 'wrong-password' });

    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await logIn(page, fx.host.url);
    await page.getByRole('link', { name: '留痕' }).click();
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const text = (await table.textContent())!;
    for (const gone of ['drawRecord', '类别：audit', 'sourcePath', 'web:', '分配批次', '抽取批次', '锁定次数：0', '见导出的 XLSX'])
      expect(text).not.toContain(gone);
    const draw = table.locator('tr[data-action="draw.run"]');
    expect(await draw.textContent()).toContain('随机种子：2025-1207-88（见证人提供，见证人 赵见证）');
    expect(await draw.textContent()).toMatch(/抽中：\d+ 件：/);
    const assigned = table.locator('tr[data-action="assignment.apply"]');
    expect(await assigned.textContent()).toMatch(/分配结果：[^；]+号：[^；、]+、[^；、]+；/);
    expect(await table.locator('tr[data-action="user.login_failed"]').textContent()).toContain('来源：浏览器会话');
    await screenshot(page, 'audit-trail-1366');
    await draw.scrollIntoViewIfNeeded();
    await screenshot(page, 'audit-draw-1366');
    expect(seen.outside()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  }, 180_000);
});
