/**
 * The walking skeleton in a real browser through the loopback host: first-run setup, a campaign,
 * import a Chinese PDF, read it, mark it, score it, export the 评查表 — and no request leaves loopback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { createCampaign, firstRunSetup } from '../support/e2e-session.js';
import { outputDir, tempDir } from '../support/temp.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let pdfFile: string;
const files = tempDir('pingcha-e2e-files-');

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  pdfFile = path.join(files.dir, '01-行政许可案卷.pdf');
  fs.writeFileSync(pdfFile, await dossierPdf(6, '行政许可案卷'));
});
afterAll(async () => {
  await net?.close();
  await fx?.close();
  files.cleanup();
});

async function markBoxes(page: Page) {
  return page.$$eval('.pc-mark', (els) =>
    els.map((e) => ({
      type: [...e.classList].find((c) => c.startsWith('pc-') && c !== 'pc-mark'),
      style: (e as HTMLElement).style.cssText,
    })),
  );
}

describe('walking skeleton in the browser', () => {
  it('sets up, imports, reads, marks, scores and exports — offline', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();

    await firstRunSetup(page, fx.host.url);

    await createCampaign(page);

    // A wrong file first: the error is specific, in Chinese, and nothing is imported.
    const notPdf = path.join(files.dir, '清单.pdf');
    fs.writeFileSync(notPdf, '案号,案件名称\n');
    await page.getByRole('button', { name: '＋ 导入案卷' }).click();
    await page.getByRole('dialog').getByLabel('案卷 PDF 文件').setInputFiles(notPdf);
    await page.getByRole('dialog').getByLabel('案号').fill('某许〔2025〕7号');
    await page.getByRole('dialog').getByLabel('被评查单位').fill('某某县市场监督管理局');
    await page.getByRole('dialog').getByLabel('案件类型').selectOption('license');
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('不是 PDF 文件');

    await page.getByLabel('案卷 PDF 文件').setInputFiles(pdfFile);
    await page.getByLabel('案件名称（可选）').fill('某某公司食品经营许可');
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByRole('link', { name: '某许〔2025〕7号' }).waitFor();
    // Only someone assigned to a file scores it; the panel assigns reviewers and leads, so this
    // one-person walk records the organiser's assignment directly.
    fx.host.backend.db
      .prepare(
        "INSERT INTO assignments (case_id, reviewer_id, round, campaign_id, source, created_at) SELECT c.id, u.id, 1, c.campaign_id, 'manual', datetime('now') FROM cases c, users u WHERE c.case_number = ? AND u.role = 'organiser'",
      )
      .run('某许〔2025〕7号');
    await page.getByRole('link', { name: '某许〔2025〕7号' }).click();

    // The PDF renders with its Chinese text layer.
    await page.locator('.textLayer span', { hasText: '行政许可案卷 第1页' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.page[data-page-number="1"] canvas').first().waitFor();

    // Highlight: pick the highlight tool and select a line of text.
    await page.getByRole('button', { name: '高亮' }).click();
    const line = page.locator('.page[data-page-number="1"] .textLayer span', { hasText: '当事人' }).first();
    const lb = (await line.boundingBox())!;
    await page.mouse.move(lb.x + 2, lb.y + lb.height / 2);
    await page.mouse.down();
    await page.mouse.move(lb.x + lb.width - 2, lb.y + lb.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.locator('.pc-highlight').first().waitFor();

    // Area: drag a box on page 1.
    await page.getByRole('button', { name: '框选' }).click();
    const pb = (await page.locator('.page[data-page-number="1"] .pc-layer').boundingBox())!;
    await page.mouse.move(pb.x + pb.width * 0.1, pb.y + pb.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(pb.x + pb.width * 0.5, pb.y + pb.height * 0.4, { steps: 10 });
    await page.mouse.up();
    await page.locator('.pc-area').first().waitFor();

    // Score against the default 行政许可案卷评查参考标准: deduct 2.2 (核查, 6 points) and 4.4 (证件送达,
    // 5 points), with the area mark as evidence.
    const item = (id: string) => page.locator(`.sheet-item[data-item-id="${id}"]`);
    await item('ckxk-2.2').getByRole('button', { name: '扣分' }).click();
    await expect.poll(() => page.getByTestId('sheet-total').textContent()).toContain('已扣 6 分');
    await item('ckxk-2.2').getByLabel('扣分理由').fill('核查笔录只有一名工作人员签名');
    await item('ckxk-2.2')
      .getByRole('button', { name: /关联选中批注/ })
      .click();
    await item('ckxk-4.4').getByRole('button', { name: '扣分' }).click();
    await expect.poll(() => page.getByTestId('sheet-total').textContent()).toContain('已扣 11 分');
    // Two items of many answered: no grade until the sheet is complete.
    await expect.poll(() => page.getByTestId('sheet-grade').textContent()).toBe('评分中');

    // Wait for the batched saves, then reload: every mark is back at the same place.
    await expect
      .poll(() => fx.host.backend.db.prepare('SELECT count(*) AS n FROM annotations WHERE deleted_at IS NULL').get())
      .toEqual({ n: 2 });
    const before = await markBoxes(page);
    const stored = fx.host.backend.db.prepare('SELECT type, position_json FROM annotations ORDER BY type').all();
    await page.reload();
    await page.locator('.pc-area').first().waitFor({ timeout: 30_000 });
    await page.locator('.pc-highlight').first().waitFor();
    expect(await markBoxes(page)).toEqual(before);
    expect(fx.host.backend.db.prepare('SELECT type, position_json FROM annotations ORDER BY type').all()).toEqual(stored);
    await expect.poll(() => page.getByTestId('sheet-total').textContent()).toContain('已扣 11 分');
    await expect.poll(() => page.locator('.sheet-item[data-item-id="ckxk-2.2"] .evidence .badge').count()).toBe(1);

    const shot = await screenshot(page, 'slice-workspace');
    expect(fs.statSync(shot).size).toBeGreaterThan(50_000);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出评查表（DOCX）' }).click()]);
    const saved = path.join(outputDir('e2e'), download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toMatch(/^案卷评查表-.*\.docx$/);
    expect(fs.readFileSync(saved).subarray(0, 2).toString()).toBe('PK');

    // The case list shows how far this reviewer's unfinished sheet is, not a total and grade.
    await page.getByRole('link', { name: '返回案卷列表' }).click();
    await expect.poll(() => page.locator('tbody tr').first().textContent()).toContain('评分中 · 已扣 11 分');

    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
