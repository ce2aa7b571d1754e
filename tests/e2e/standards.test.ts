/**
 * The standards screen in a real browser through the loopback host: browse the built-in standards
 * as trees with block totals and provenance (in Chinese, without web addresses), edit a built-in one (saved as a new
 * version), see a block that no longer adds up, export to Excel and import an edited workbook,
 * refuse a broken file, retire a version, and choose a standard on a campaign page — by keyboard
 * where a person would, offline, without console errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { createCampaign, firstRunSetup } from '../support/e2e-session.js';
import { outputDir, RESOURCES_DIR, tempDir } from '../support/temp.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
const files = tempDir('pingcha-e2e-standards-');

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
});
afterAll(async () => {
  await net?.close();
  await fx?.close();
  files.cleanup();
});

const versionCount = (): number => (fx.host.backend.db.prepare('SELECT count(*) AS n FROM standard_versions').get() as { n: number }).n;

describe('standards screen in the browser', () => {
  it('browses, edits into a new version, exports, imports, retires and assigns standards — offline', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();

    await firstRunSetup(page, fx.host.url);

    // ── the library ──
    await page.getByRole('link', { name: '评查标准' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('评查标准');
    const list = page.getByRole('navigation', { name: '标准列表' });
    const shipped = fs.readdirSync(path.join(RESOURCES_DIR, 'standards')).filter((f) => f.endsWith('.json')).length;
    await expect.poll(() => list.locator('.st-group').count()).toBe(shipped);

    // A 参考评查标准: a gate of veto items, then categories; items that may not apply say so.
    await list.locator('.st-version').first().waitFor();
    await page.getByLabel('查找标准').fill('行政强制措施');
    await list.locator('.st-version').first().click();
    await expect.poll(() => page.getByTestId('standard-title').textContent()).toContain('行政强制措施案卷评查参考标准');
    const tree = page.getByLabel('标准结构');
    await expect.poll(() => tree.locator('.st-gate .st-block-title').textContent()).toBe('否决项');
    await expect.poll(() => tree.locator('[data-item-id="ckqc-F5"] .badge', { hasText: '否决项' }).count()).toBe(1);
    await expect.poll(() => tree.locator('[data-item-id="ckqc-4.7"]').textContent()).toContain('可不适用（给分）');
    await expect
      .poll(() => page.locator('.st-source').textContent())
      .toBe('参考标准：依据《中华人民共和国行政强制法》编制，不是某省（市）发布的正式评查标准');
    await screenshot(page, 'standards-reference-tree');

    // A reconstructed provincial table: where it comes from and what was inferred, in Chinese, without a web address.
    await page.getByLabel('查找标准').fill('评分表');
    await list.locator('.st-version').first().click();
    await expect.poll(() => page.getByTestId('standard-title').textContent()).toContain('行政许可案卷评分表');
    await expect.poll(() => page.locator('.st-source').textContent()).toBe('某地行政许可案卷评分表公开文本的网络副本（重构，非官方文本）');
    await expect.poll(() => tree.locator('[data-item-id="xk-9"] [data-provenance="inferred"]').textContent()).toBe('推定');
    await expect
      .poll(() => tree.locator('[data-item-id="xk-9"]').textContent())
      .toContain('来源说明：文字取自原文；分值原文印作 19 分，推定为 10 分');
    await expect.poll(() => tree.locator('[data-block-id="xk-b1"] [data-testid="block-points"]').textContent()).toBe('27 分各项合计 27 分');
    const detail = (await page.locator('main').textContent()) ?? '';
    expect(detail.match(/https?:|www\.|inferred|unknown|NOT RETRIEVED|PARTIAL|truncated/g)).toBeNull();
    await screenshot(page, 'standards-reconstructed-tree');

    // ── edit a built-in version by keyboard: it becomes a new version ──
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('e');
    await page.getByRole('region', { name: '编辑' }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: '编辑' }).textContent()).toContain('这是内置参考标准，保存后将生成新版本');
    await tree.getByRole('button', { name: '编辑第 1 项' }).click();
    const dialog = page.getByRole('dialog', { name: '编辑第 1 项' });
    await dialog.getByLabel('扣分方式').selectOption('range');
    await dialog.getByLabel('最多扣分').fill('9');
    await expect
      .poll(() => dialog.locator('.st-issue-error').textContent())
      .toBe('编号“1”（类别“受理”）：扣分区间最多扣 9 分，超过了该项分值 5 分。');
    await dialog.getByLabel('最多扣分').fill('5');
    await dialog.getByLabel('最少扣分').fill('0.5');
    await expect.poll(() => dialog.locator('.st-issue-error').count()).toBe(0);
    await dialog.getByLabel('评查内容').fill('对符合法定条件的行政许可申请依法受理（本局修订）');
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => tree.locator('[data-item-id="xk-1"]').textContent()).toContain('视情况扣0.5–5分（步长0.5）');

    // A block that no longer adds up is flagged and saving is blocked until it is fixed.
    await tree.getByRole('button', { name: '编辑类别 受理' }).click();
    const blockDialog = page.getByRole('dialog', { name: '编辑类别“受理”' });
    await blockDialog.getByLabel('类别分值', { exact: true }).fill('28');
    await expect
      .poll(() => blockDialog.locator('.st-issue-error').textContent())
      .toBe('类别“受理”：各项分值合计 27 分，少于类别分值 28 分。');
    await blockDialog.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => tree.locator('[data-block-id="xk-b1"] [role="note"]').textContent()).toBe('⚠ 各项合计 27 分');
    await expect.poll(() => page.getByRole('button', { name: /^保存/ }).isDisabled()).toBe(true);
    await screenshot(page, 'standards-edit-block-mismatch');
    await tree.getByRole('button', { name: '编辑类别 受理' }).click();
    await blockDialog.getByLabel('类别分值', { exact: true }).fill('27');
    await blockDialog.getByRole('button', { name: '确定' }).click();
    await page.getByLabel('修改说明').fill('第 1 项改为视情况扣分');
    await page.keyboard.press('Control+s');
    await page.locator('.toast', { hasText: '已保存为新版本“参考版 1（修订1）”；原版本“参考版 1”保持不变。' }).waitFor();
    await expect.poll(() => page.getByTestId('standard-title').locator('xpath=..').textContent()).toContain('参考版 1（修订1）');
    const edited = fx.host.backend.db
      .prepare("SELECT based_on_version_id, change_note FROM standard_versions WHERE version = '参考版 1（修订1）'")
      .get();
    expect(edited).toMatchObject({ change_note: '第 1 项改为视情况扣分' });
    expect((edited as { based_on_version_id: string }).based_on_version_id).toBeTruthy();

    // ── export to Excel, edit the workbook, import it back ──
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('评查标准-行政许可案卷评分表-参考版 1（修订1）.xlsx');
    const exported = path.join(outputDir('e2e'), xlsx.suggestedFilename());
    await xlsx.saveAs(exported);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(exported);
    book.getWorksheet('评查项目')!.eachRow((row) => {
      if (row.getCell(2).value === '12.5') row.getCell(3).value = '卷内材料逐页编号（Excel 中修改）';
    });
    const editedFile = path.join(files.dir, '许可评分表（本局修改）.xlsx');
    await book.xlsx.writeFile(editedFile);

    const before = versionCount();
    await page.getByRole('button', { name: '导入标准…' }).click();
    const importDialog = page.getByRole('dialog', { name: '导入评查标准' });
    // A broken file first: a specific Chinese message, nothing stored.
    const broken = path.join(files.dir, '坏文件.json');
    fs.writeFileSync(broken, '{"format": "pingcha-standard/1", "name": "x" "y"}');
    await importDialog.getByLabel('评查标准文件').setInputFiles(broken);
    await importDialog.getByRole('button', { name: '检查文件' }).click();
    await expect
      .poll(() => importDialog.getByRole('alert').textContent())
      .toContain('“坏文件.json”不是有效的 JSON 文件（第 1 行第 46 列附近有语法错误），无法导入。');
    expect(versionCount()).toBe(before);

    await importDialog.getByLabel('评查标准文件').setInputFiles(editedFile);
    await importDialog.getByRole('button', { name: '检查文件' }).click();
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('标准库中已有该标准，将作为它的一个新版本。');
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('导入后命名为“参考版 1（修订2）”');
    await screenshot(page, 'standards-import-preview');
    await importDialog.getByRole('button', { name: '确认导入' }).click();
    await expect.poll(() => page.getByTestId('standard-title').locator('xpath=..').textContent()).toContain('参考版 1（修订2）');
    await expect.poll(() => tree.locator('[data-item-id="xk-12.5"]').textContent()).toContain('卷内材料逐页编号（Excel 中修改）');
    expect(versionCount()).toBe(before + 1);

    // ── retire it: still shown while selected, hidden from the list otherwise ──
    await page.getByRole('button', { name: '停用', exact: true }).click();
    await expect.poll(() => page.locator('.st-title-row').textContent()).toContain('已停用');
    await page.getByLabel('查找标准').fill('');
    await page.getByRole('link', { name: '评查活动' }).click();

    // ── a campaign chooses its standard per case type ──
    await createCampaign(page);
    const licence = page.getByLabel('行政许可的评查标准');
    // The choices arrive with the campaign's standards list; read them once it has come.
    await expect.poll(() => licence.locator('option').allTextContents()).toContain('行政许可案卷评分表（参考版 1（修订1））');
    expect(await licence.locator('option').allTextContents()).not.toContain('行政许可案卷评分表（参考版 1（修订2））'); // retired
    await licence.selectOption({ label: '行政许可案卷评查参考标准（参考版 1）' });
    await page.locator('.toast', { hasText: '行政许可案卷的评查标准已更新。' }).waitFor();
    const stored = fx.host.backend.db
      .prepare(
        "SELECT s.name FROM campaign_standards cs JOIN standard_versions v ON v.id = cs.standard_version_id JOIN standards s ON s.id = v.standard_id WHERE cs.case_type = 'license'",
      )
      .get();
    expect(stored).toEqual({ name: '行政许可案卷评查参考标准' });
    await screenshot(page, 'standards-campaign-panel');

    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
