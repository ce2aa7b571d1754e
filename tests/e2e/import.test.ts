/**
 * Batch import in a real browser through the loopback host: a unit's folder (case sub-folders, a
 * broken and a locked PDF, a Word file, a stray scan) plus a messy 案件清单 whose 当事人 column has a
 * name the guesser does not know. The user fixes that mapping, sees the unit written short matched to
 * the campaign's unit, assigns the stray scan, watches the progress bar, reads the rejected files
 * with their reasons and exports the summary — offline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { createCampaign, firstRunSetup } from '../support/e2e-session.js';
import { encryptedPdf, LIST_CASES, messyListXlsx, UNIT, type ListCase } from '../support/import-fixtures.js';
import { dossierPdf, scanLikePdf, truncatedPdf } from '../support/pdf-fixtures.js';
import { outputDir, tempDir } from '../support/temp.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
const files = tempDir('pingcha-e2e-import-');
const folder = path.join(files.dir, '市场监管局案卷');
const listFile = path.join(files.dir, '2025年案件清单.xlsx');
/** Two more cases, below the rows the mapping step previews: a decision without an amount, and a total that includes the confiscation. */
const BELOW_PREVIEW: ListCase[] = [
  {
    caseNumber: '某市监罚〔2025〕6号',
    title: '某某诊所违规广告案',
    party: '某某诊所',
    type: '行政处罚',
    filed: '2025-03-02',
    closed: '2025-03-09',
    amountWan: '警告',
    amountYuan: '',
    handler: '吴九',
  },
  {
    caseNumber: '某市监罚〔2025〕7号',
    title: '某某批发部销售假冒商品案',
    party: '某某批发部',
    type: '行政处罚',
    filed: '2025.3.5',
    closed: '2025年4月1日',
    amountWan: '10,120元（含没收违法所得120元）',
    amountYuan: '',
    handler: '郑十',
  },
];

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  const put = (rel: string, data: Uint8Array | string) => {
    const file = path.join(folder, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  };
  put('某市监罚[2025]1号/01-立案审批表.pdf', await dossierPdf(3, '立案审批表'));
  put('某市监罚[2025]1号/02-询问笔录.pdf', await scanLikePdf(2));
  // Enough documents for the progress bar to be seen.
  for (let i = 3; i <= 16; i++)
    put(`某市监罚[2025]1号/${String(i).padStart(2, '0')}-证据材料${i}.pdf`, await dossierPdf(6, `证据材料${i}`));
  put('〔2025〕2号 药店案.pdf', await dossierPdf(2, '处罚决定书'));
  put('某某餐馆无证经营案.pdf', await dossierPdf(1, '餐馆案卷'));
  put('某市监罚〔2025〕4号-损坏.pdf', await truncatedPdf());
  put('某市监罚〔2025〕4号-加密.pdf', await encryptedPdf());
  put('说明.docx', 'not a pdf');
  put('无关扫描件.pdf', await scanLikePdf(1));
  put('某市监罚〔2025〕7号/处罚决定书.pdf', await dossierPdf(2, '罚没款决定书'));
  fs.writeFileSync(listFile, await messyListXlsx([...LIST_CASES, ...BELOW_PREVIEW], { renameHeaders: { 3: '违法主体' } }));
});
afterAll(async () => {
  await net?.close();
  await fx?.close();
  files.cleanup();
});

describe('batch import in the browser', () => {
  it('imports a folder and a messy case list, with a mapping fixed, a file assigned, progress and reasons', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();

    await firstRunSetup(page, fx.host.url);
    await createCampaign(page);
    // The campaign knows the bureau by its full name; the unit's material calls it 县市场监管局.
    await page.getByRole('button', { name: '＋ 添加单位' }).click();
    await page.getByRole('dialog').getByLabel('单位名称').fill(UNIT);
    await page.getByRole('dialog').getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('cell', { name: UNIT, exact: true }).waitFor();

    // 1. Choose the folder and the list.
    await page
      .getByRole('link', { name: /批量导入/ })
      .first()
      .click();
    await page.getByLabel('案卷文件夹').setInputFiles(folder);
    await expect.poll(() => page.getByTestId('picked-summary').textContent()).toContain('已选择 23 个文件');
    await page.getByLabel('案件清单').setInputFiles(listFile);
    await page.getByLabel('所属单位').fill('县市场监管局');
    await screenshot(page, 'import-materials');
    await page.getByRole('button', { name: '下一步', exact: true }).click();

    // 2. The guessed mapping misses 当事人 (headed 违法主体): fix it.
    await page.getByText('已按表头名称自动识别').waitFor({ timeout: 60_000 });
    const party = page.getByLabel('当事人', { exact: true });
    expect(await party.inputValue()).toBe('');
    expect(await page.getByLabel('案号（必填）').locator('option:checked').textContent()).toBe('B 列：决定书文号');
    await party.selectOption({ label: 'D 列：违法主体' });
    const readRows = page.getByRole('table', { name: '按当前对应关系读出的前几行' });
    await expect.poll(() => readRows.textContent()).toContain('某某超市');
    // Values as they will be stored: the Excel serial as a date, 1.2 in a 万元 column as 元, brackets tidied.
    expect(await readRows.textContent()).toContain('2025-02-15');
    expect(await readRows.textContent()).toContain('12,000 元');
    expect(await readRows.textContent()).toContain('某市监罚〔2025〕1号');
    await screenshot(page, 'import-mapping');
    await page.getByRole('button', { name: '下一步：匹配案卷' }).click();

    // 3. Review: matched cases, the stray scan assigned by hand, refused files with reasons.
    const matched = page.getByRole('region', { name: '已匹配的案卷' });
    await matched.waitFor({ timeout: 60_000 });
    await expect.poll(() => matched.getByTestId('matched-row').count()).toBe(5);
    const unitMatch = page.getByRole('region', { name: '被评查单位匹配' }).getByTestId('unit-match');
    // One statement per name: filed under a registered unit, or a unit registered now — never both.
    expect(await unitMatch.textContent()).toMatch(
      new RegExp(`^县市场监管局(按别名归入已登记的 ${UNIT}|新登记单位 ${UNIT}（首次出现）)7分开登记$`),
    );
    expect(await matched.getByTestId('matched-row').first().textContent()).toContain(UNIT);
    // Every value not stored as written is listed with its row, also far below the previewed rows.
    const notes = page.getByRole('region', { name: '清单中的问题与提示' });
    expect(await notes.locator('h3').textContent()).toContain('问题 0 条，提示 2 条');
    expect(await notes.getByTestId('value-note').allTextContents()).toEqual([
      '提示 第 11 行 处罚金额「警告」→ 无金额，记为决定内容「警告」（处罚金额栏写的是决定内容，没有金额） · 某市监罚〔2025〕6号',
      '提示 第 12 行 处罚金额「10,120元（含没收违法所得120元）」→ 罚款 10,000 元，没收违法所得 120 元（合计 10,120 元中含没收违法所得 120 元，罚款按其余的 10,000 元计） · 某市监罚〔2025〕7号',
    ]);
    const refused = page.getByRole('region', { name: '不能导入的文件' });
    expect(await refused.textContent()).toContain('.docx 文档不是 PDF');
    await page.getByLabel('归入案件：市场监管局案卷/无关扫描件.pdf').selectOption({ label: '某市监许〔2025〕5号 某某食品经营许可' });
    await expect.poll(() => matched.getByTestId('matched-row').count()).toBe(6);
    await screenshot(page, 'import-review');
    await page.getByRole('button', { name: /开始导入（22 个文件）/ }).click();

    // 4. The progress bar, with files, pages and MB — unless the batch (22 small files) is over before
    // the screen has drawn it, as on a quiet machine: then the summary is what shows.
    const bar = page.getByRole('progressbar', { name: '导入进度' });
    const result = page.getByRole('region', { name: '导入结果' });
    await bar.or(result).first().waitFor({ timeout: 120_000 });
    if (await bar.isVisible()) {
      expect(await page.getByTestId('import-progress').textContent()).toMatch(/文件 \d+ \/ 22/);
      // A picture of the bar part-way, unless the batch finished first.
      await page.waitForFunction(() => {
        const figures = document.querySelector('[data-testid="import-progress"]')?.textContent ?? '';
        return /文件 ([3-9]|1\d)/.test(figures) || !figures;
      });
      await screenshot(page, 'import-progress');
    }

    // 5. The summary: what came in, what did not and why.
    await result.waitFor({ timeout: 120_000 });
    // The row whose four files were all unreadable and the row with no file are registered as 缺卷, so the unit can be asked for them.
    expect(await result.getByRole('status').textContent()).toContain('导入完成：新登记案件 7 件，导入文件 20 个');
    const problems = page.getByRole('region', { name: '未导入和重复的文件' });
    const text = await problems.textContent();
    expect(text).toContain('某市监罚〔2025〕4号-损坏.pdf');
    expect(text).toContain('PDF 文件已损坏');
    expect(text).toContain('PDF 设有打开密码');
    expect(text).toContain('.docx 文档不是 PDF');
    expect(text).toContain('均未能导入），待补交案卷文件');
    await screenshot(page, 'import-summary');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出汇总（XLSX）' }).click()]);
    const saved = path.join(outputDir('e2e'), download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toMatch(/^案卷导入汇总-.*\.xlsx$/);
    expect(fs.readFileSync(saved).subarray(0, 2).toString()).toBe('PK');

    // The campaign now lists the cases, with the fixed 当事人 mapping applied.
    await page.getByRole('button', { name: '返回案卷列表' }).click();
    await expect.poll(() => page.locator('section[aria-label="案卷列表"] tbody tr').count()).toBe(7);
    const db = fx.host.backend.db;
    expect(db.prepare("SELECT party FROM cases WHERE case_number = '某市监罚〔2025〕1号'").get()).toEqual({
      party: '某某超市；某某超市分店',
    });
    expect(
      db
        .prepare("SELECT count(*) AS n FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.case_number = '某市监罚〔2025〕1号'")
        .get(),
    ).toEqual({ n: 16 });
    // One unit, not a second one named as the list wrote it.
    expect(db.prepare('SELECT u.name, count(c.id) AS n FROM units u LEFT JOIN cases c ON c.unit_id = u.id GROUP BY u.id').all()).toEqual([
      { name: UNIT, n: 7 },
    ]);
    // The campaign's standards panel is styled before the standards screen (and its stylesheet) is ever opened.
    expect(await page.locator('.st-campaign').evaluate((el) => getComputedStyle(el).paddingTop)).toBe('16px');
    await screenshot(page, 'import-campaign');

    // The case screen shows the case's facts, both amounts among them, at a laptop's size.
    await page.setViewportSize({ width: 1366, height: 768 });
    const seventh = db.prepare("SELECT id FROM cases WHERE case_number = '某市监罚〔2025〕7号'").get() as { id: string };
    await page.evaluate((id) => void (location.hash = `#/case/${id}`), seventh.id);
    const facts = page.getByTestId('case-facts');
    await expect.poll(() => facts.textContent(), { timeout: 30_000 }).toContain('某某批发部');
    await expect.poll(() => facts.getByTestId('case-source').count(), { timeout: 30_000 }).toBe(1);
    expect(
      await facts
        .locator(':scope > div')
        .evaluateAll((els) =>
          els.map((el) => `${el.querySelector('dt')!.textContent} ${(el.querySelector('summary') ?? el.querySelector('dd'))!.textContent}`),
        ),
    ).toEqual([
      '当事人 某某批发部',
      '立案日期 2025-03-05',
      '结案日期 2025-04-01',
      '罚款 10,000 元',
      '没收 120 元',
      '承办人 郑十',
      '决定内容 —',
      '来源 清单第 12 行',
    ]);
    expect(await facts.getByText('10,000 元').locator('..').getAttribute('title')).toBe('清单原文：10,120元（含没收违法所得120元）');
    // Nothing cut off at 1366 px: one line.
    expect(await facts.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const lineHeight = await facts
      .locator(':scope > div')
      .first()
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(await facts.evaluate((el) => el.clientHeight)).toBeLessThan(lineHeight * 2);
    await page.locator('.pdfViewer .page canvas').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'case-facts-1366');
    // The list row it came from, as written, one click away.
    await facts.getByText('清单第 12 行').click();
    const source = page.getByRole('group', { name: '清单原文' });
    await expect.poll(() => source.textContent()).toContain('2025年案件清单.xlsx 第 12 行');
    expect(await source.textContent()).toContain('10,120元（含没收违法所得120元）');
    await screenshot(page, 'case-source-1366');
    await page.keyboard.press('Escape');
    await expect.poll(() => source.isVisible()).toBe(false);
    // On a 1024×768 projector the strip takes two lines and nothing is cut off; the amounts stay whole.
    await page.setViewportSize({ width: 1024, height: 768 });
    expect(await facts.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await facts.getByText('10,000 元').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await facts.evaluate((el) => el.clientHeight)).toBeLessThan(lineHeight * 3);
    // 适合宽度 follows the narrower pane: no horizontal scrollbar under the page.
    const pdf = page.getByTestId('pdf-container');
    await expect.poll(() => pdf.evaluate((el) => el.scrollWidth - el.clientWidth), { timeout: 10_000 }).toBeLessThanOrEqual(1);
    // The annotation tools, colours and ↶↷ keep to one row (↶↷ went to a third row).
    const tools = page.getByRole('toolbar', { name: '阅读工具' });
    const topOf = (name: string) =>
      tools
        .getByRole('button', { name, exact: true })
        .first()
        .evaluate((el) => Math.round(el.getBoundingClientRect().top));
    expect(Math.abs((await topOf('撤销')) - (await topOf('选择')))).toBeLessThan(12);
    expect(Math.abs((await topOf('快捷键')) - (await topOf('选择')))).toBeLessThan(12);
    await screenshot(page, 'case-facts-1024');

    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
