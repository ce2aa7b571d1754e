/**
 * Letters and ledger in a real browser through the loopback host: edit a paragraph of the 意见书
 * template and see it in the A4 preview, save it, export the DOCX; generate the 整改台账, see overdue
 * rows stand out, change statuses; the statistics screen shows its charts — and nothing leaves loopback.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, setupAdmin } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { agreeWithSheets, SAMPLE_FILES, scoredCampaign } from '../support/scored-campaign.js';
import { logIn } from '../support/e2e-session.js';
import { outputDir } from '../support/temp.js';

let fx: HostFixture;
let net: OffNetworkBrowser;

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  // The data: a campaign with four scored files in three units, reconciled (see scored-campaign.ts),
  // and a fourth unit whose file shows no problem.
  const admin = await setupAdmin(fx.host.backend, 'fixture-client');
  await scoredCampaign(fx.host.backend, admin, [
    ...SAMPLE_FILES,
    { caseNumber: '清某许〔2025〕1号', title: '某某项目许可', unit: '清溪县某局', problems: [] },
  ]);
  agreeWithSheets(fx.host.backend);
  await client(fx.host.backend, 'fixture-client').call('auth:logout', {});
});
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

describe('letters and ledger in the browser', () => {
  it('edits a template paragraph, previews and exports the letter; tracks the ledger with overdue rows', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await logIn(page, fx.host.url);
    await page
      .getByRole('link', { name: /2025年度行政执法案卷评查/ })
      .first()
      .click();
    await page.getByRole('link', { name: '文书', exact: true }).click();

    // The 意见书 of the first unit, on A4.
    await expect.poll(() => page.getByRole('tab', { name: '行政执法监督意见书' }).getAttribute('aria-selected')).toBe('true');
    const preview = page.getByTestId('letter-preview');
    await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toContain('行政执法监督意见书');
    await expect.poll(() => preview.textContent()).toContain('某某县交通运输局：');
    expect(await page.locator('.gw-sheet').count()).toBeGreaterThanOrEqual(2);
    // The browser cannot know where the DOCX breaks its pages: the preview prints no page number of its own.
    expect(await preview.textContent()).not.toMatch(/—\s*\d+\s*—/);
    expect(await preview.textContent()).toContain('不标页码；页数和页码以导出的 DOCX 为准');
    // Before issuing: the settled results and this PC's fonts — a font it would only substitute is a failure.
    const check = page.getByRole('region', { name: '出具前检查' });
    await expect.poll(() => check.textContent()).toContain('仿宋_GB2312');
    expect(await check.textContent()).toContain('引用的评查结果均已定分，扣分均有理由');
    expect(await check.locator('li.missing', { hasText: '仿宋_GB2312' }).textContent()).toMatch(/未安装：本机将以“[^”]+”代替/);
    await screenshot(page, 'letters');

    // Keyboard: ↓ moves to the next unit.
    await page.locator('.unit-list button[aria-current="true"]').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => preview.textContent()).toContain('某某县市场监督管理局：');

    // Edit the closing paragraph: the preview follows before anything is saved.
    await page.getByRole('button', { name: '编辑模板' }).click();
    await page.getByLabel('结尾').fill('特此函告，请认真研究整改。');
    await page.getByLabel('文号前缀').fill('某司监');
    await expect.poll(() => preview.textContent()).toContain('特此函告，请认真研究整改。');
    await expect.poll(() => preview.textContent()).toContain('某司监〔');
    await screenshot(page, 'letters-template-preview');
    // An unknown placeholder is refused where the person is looking.
    await page.getByLabel('监督意见', { exact: true }).fill('请{单位}整改。');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('{单位} 无法识别');
    await page.getByLabel('监督意见', { exact: true }).fill('你单位要高度重视评查发现的问题，认真整改。');
    await page.getByLabel('监督意见', { exact: true }).press('Control+s');
    await expect.poll(() => page.getByRole('form', { name: '编辑文书模板' }).count()).toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 DOCX' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^行政执法监督意见书-某某县市场监督管理局-某司监〔\d{4}〕1号\.docx$/);
    const saved = path.join(outputDir('e2e'), download.suggestedFilename());
    await download.saveAs(saved);
    const xml = await (await JSZip.loadAsync(fs.readFileSync(saved))).file('word/document.xml')!.async('string');
    expect(xml).toContain('特此函告，请认真研究整改。');
    expect(xml).toContain('你单位要高度重视评查发现的问题，认真整改。');
    await expect.poll(() => page.locator('.unit-list').textContent()).toMatch(/某司监〔\d{4}〕1号/);
    await page.getByLabel('预览缩放').selectOption('0.75');
    await preview.screenshot({ path: path.join(outputDir('e2e'), 'letters-preview.png') });

    // The bureau continues its 文号 sequence after numbers used on paper: the next letter proposes it.
    await page.getByRole('button', { name: '编辑模板' }).click();
    const nextSerial = page.getByLabel('下一个文号序号');
    await expect.poll(() => nextSerial.inputValue()).toBe('2');
    await nextSerial.fill('9');
    await page.getByRole('button', { name: '设定', exact: true }).click();
    await expect.poll(() => page.getByRole('form', { name: '编辑文书模板' }).textContent()).toMatch(/下一份为 某司监〔\d{4}〕9号/);
    await screenshot(page, 'letters-next-number');
    await nextSerial.press('Escape');
    await page.locator('.unit-list button', { hasText: '某某县交通运输局' }).click();
    await expect.poll(() => page.getByTestId('issue-panel').getByLabel('发文字号').inputValue()).toMatch(/^某司监〔\d{4}〕9号$/);

    // A unit without problems gets no 整改通知书: the screen says why instead of showing a letter.
    await page.getByRole('tab', { name: '整改通知书' }).click();
    await page.locator('.unit-list button', { hasText: '清溪县某局' }).click();
    await expect.poll(() => preview.getByRole('status').textContent()).toContain('清溪县某局 抽查案卷均未发现问题，不生成整改通知书。');
    expect(await page.locator('.gw-sheet').count()).toBe(0);
    expect(await page.getByTestId('issue-panel').count()).toBe(0);
    expect(await page.getByRole('button', { name: '导出 DOCX' }).isDisabled()).toBe(true);
    await screenshot(page, 'letters-notice-no-problems');

    // The 通报: the whole campaign, with its three charts drawn locally.
    await page.getByRole('tab', { name: '评查结果通报' }).click();
    await expect.poll(() => preview.textContent()).toContain('各有关行政执法单位：');
    await expect.poll(() => preview.locator('img').count()).toBe(3);
    expect(await preview.locator('img').first().getAttribute('alt')).toMatch(/^各单位案卷平均得分：/);

    // 整改台账: generate with a deadline already past — every row is overdue and marked.
    await page.getByRole('link', { name: '整改台账', exact: true }).click();
    await page.getByLabel('新增问题的整改时限').fill('2025-01-31');
    await page.getByRole('button', { name: '从最终结果生成台账' }).click();
    await expect.poll(() => page.locator('tr[data-row]').count()).toBe(11);
    await expect.poll(() => page.getByTestId('overdue-count').textContent()).toBe('逾期 11');
    expect(await page.locator('tr.overdue').count()).toBe(11);
    const bg = await page
      .locator('tr.overdue td')
      .first()
      .evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(bg).toBe('rgb(253, 236, 234)');

    // Change a status in the row: still overdue (the deadline has passed).
    await page.getByLabel('ZG2025-001 整改状态').selectOption('in_progress');
    // The state and 逾期 are two facts: once saved and the list read again, the row says 整改中 with 逾期 beside it.
    await expect.poll(() => page.getByLabel('ZG2025-001 整改状态').inputValue()).toBe('in_progress');
    await expect.poll(() => page.locator('tr[data-row="ZG2025-001"]').textContent()).toContain('逾期');
    expect(await page.locator('tr[data-row="ZG2025-001"] .badge-danger').textContent()).toBe('逾期');
    // Give another row a new deadline and mark it 已整改待核 in its details: no longer overdue.
    await page.locator('tr[data-row="ZG2025-002"]').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '整改事项 ZG2025-002' });
    // Dialogs are set in the app's own type, as large as the page's (pdf.js's stylesheet once gave every
    // element with class "dialog" its own dialogs' 13 px system font).
    const fonts = await dialog.evaluate((d) =>
      [getComputedStyle(d), getComputedStyle(document.body)].map((s) => `${s.fontFamily} ${s.fontSize}`),
    );
    expect(fonts[0]).toBe(fonts[1]);
    // The 意见书's own 整改要求 above the unit's 整改措施, which starts empty for the unit to write.
    await expect
      .poll(() => dialog.getByTestId('ledger-requirement').textContent())
      .toMatch(/^整改要求：(予以补正或作出书面说明|依法组织复查，确有错误的予以纠正)。/);
    expect((await dialog.getByLabel('整改措施').inputValue()).trim()).toBe('');
    await screenshot(page, 'ledger-row-requirement');
    await dialog.getByLabel('责任人').fill('陈科长');
    await dialog.getByLabel('整改时限').fill('2099-12-31');
    await dialog.getByLabel('整改状态').selectOption('awaiting_check');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByTestId('overdue-count').textContent()).toBe('逾期 10');
    await expect.poll(() => page.locator('tr[data-row="ZG2025-002"]').getAttribute('class')).toBe('');
    expect(await page.locator('tr[data-row="ZG2025-002"]').textContent()).toContain('已整改待核');
    expect(await page.locator('tr[data-row="ZG2025-002"]').textContent()).toContain('2099年12月31日');
    // 销号 without a checker is refused in the dialog, in Chinese.
    await page.getByLabel('ZG2025-003 整改状态').selectOption('closed');
    const closing = page.getByRole('dialog', { name: '整改事项 ZG2025-003' });
    await closing.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => closing.getByRole('alert').textContent()).toBe('销号前请填写核查人。');
    await closing.getByLabel('核查人').fill('赵六');
    await closing.getByLabel('核查意见').fill('已补正，整改到位');
    await closing.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('tr[data-row="ZG2025-003"]').getAttribute('class')).toBe('closed');

    // A problem found by 法治督察, entered by hand; its deadline is already past, so it asks first.
    await page.getByRole('button', { name: '手工添加问题…' }).click();
    const add = page.getByRole('dialog', { name: '手工添加整改问题' });
    await add.getByLabel('被评查单位').selectOption({ label: '某某县交通运输局' });
    await add.getByLabel('问题来源').selectOption({ label: '法治督察' });
    await add.getByLabel('案号/事项').fill('2025年法治督察反馈问题第3项');
    await add.getByLabel('问题', { exact: true }).fill('行政执法公示平台未按时公示行政处罚决定');
    await add.getByLabel('整改要求').fill('7个工作日内补充公示，并建立公示台账');
    // The app's own date field, yyyy-mm-dd whatever the browser's locale (never 01/06/2027).
    const deadline = add.locator('input[aria-label="整改期限"]');
    expect(await deadline.getAttribute('type')).not.toBe('date');
    expect(await deadline.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await deadline.fill('2025-01-10');
    expect(await deadline.inputValue()).toBe('2025-01-10');
    await add.getByRole('button', { name: '添加', exact: true }).click();
    await expect.poll(() => add.getByRole('alert').textContent()).toContain('添加后即为逾期');
    await screenshot(page, 'ledger-add-past-deadline');
    await add.getByRole('button', { name: '仍然添加' }).click();
    await expect.poll(() => page.locator('tr[data-row="ZG2025-012"]').textContent()).toContain('法治督察');
    expect(await page.locator('tr[data-row="ZG2025-012"]').getAttribute('class')).toBe('overdue');
    await page.getByLabel('按来源筛选').selectOption({ label: '法治督察' });
    await expect.poll(() => page.locator('tr[data-row]').count()).toBe(1);
    await screenshot(page, 'ledger-manual-row');
    await page.getByLabel('按来源筛选').selectOption({ label: '全部' });
    await screenshot(page, 'ledger');

    await page.getByRole('link', { name: '统计', exact: true }).click();
    await expect.poll(() => page.getByRole('img', { name: /各单位案卷平均得分/ }).count()).toBe(1);
    await expect.poll(() => page.getByRole('region', { name: '单位排名' }).textContent()).toContain('某某县交通运输局');
    await screenshot(page, 'statistics');

    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
