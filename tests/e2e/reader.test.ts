/**
 * The PDF review workspace in a real browser through the loopback host: a 320-page dossier read
 * with jumps, zoom, rotation, thumbnails and search (in the file and across the campaign); every
 * annotation type drawn, commented, undone and redone, found at the same place after a reload and
 * under zoom and rotation; the evidence link to a checklist item; saves surviving a closed tab; a
 * broken page and an altered file flagged where they are. No request leaves loopback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { NOT_ASSIGNED_TO_MARK } from '../../electron/services/core/policy.js';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { ADMIN, panelScorer, SCORER, scoreLicencesWithTable, setupAdmin, stage } from '../support/backend.js';
import { brokenPagePdf, chinesePdf, dossierPdf, withOutlineAndLabels } from '../support/pdf-fixtures.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let caseA: string;
let caseB: string;
/** The campaign's 评查组长, who reads and scores file A (assigned it by the panel). */
let scorer: Awaited<ReturnType<typeof setupAdmin>>;
const docs: Record<'main' | 'scan' | 'broken', string> = { main: '', scan: '', broken: '' };

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  const be = fx.host.backend;
  const admin = await setupAdmin(be, 'seed');
  const campaignId = (await admin.call('campaign:create', { name: '2025年度行政执法案卷评查', year: 2025, issuingBody: '某某县司法局' }))
    .id;
  await scoreLicencesWithTable(admin, campaignId);
  const put = async (name: string, bytes: Uint8Array, caseNumber: string, unitName: string) =>
    admin.call('dossier:importSingle', {
      campaignId,
      sourceId: await stage(be, admin, name, bytes),
      caseNumber,
      unitName,
      caseType: 'license',
    });
  await put('01-行政许可案卷.pdf', await dossierPdf(320, '行政许可案卷'), '某许〔2025〕7号', '甲县市场监督管理局');
  const interview = await chinesePdf([
    { lines: ['询问笔录', '被询问人：李某某', '问：你公司是否取得许可？'] },
    { lines: ['询问笔录（第二页）'] },
    { lines: ['现场照片'] },
  ]);
  // With bookmarks, and page labels "封面", "1", "2" as a paginated bundle has.
  const labelled = await withOutlineAndLabels(
    interview,
    [
      { title: '询问笔录', pageIndex: 0 },
      { title: '现场照片', pageIndex: 2 },
    ],
    [
      { startPage: 0, prefix: '封面' },
      { startPage: 1, style: 'D' },
    ],
  );
  await put('02-scan0002.pdf', labelled, '某许〔2025〕7号', '甲县市场监督管理局');
  const a = await put('03-送达回证.pdf', await brokenPagePdf(), '某许〔2025〕7号', '甲县市场监督管理局');
  caseA = a.id;
  [docs.main, docs.scan, docs.broken] = a.documents.map((d) => d.id) as [string, string, string];
  caseB = (
    await put(
      '01-现场检查笔录.pdf',
      await chinesePdf([{ lines: ['现场检查笔录', '被询问人：王某', '检查地点：某某商贸有限公司'] }]),
      '某许〔2025〕9号',
      '乙县城市管理局',
    )
  ).id;
  // The panel's 评查组长 reads and scores file A here: only someone assigned to a file scores it.
  scorer = await panelScorer(be, admin, caseA);
});
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

async function open(viewport = { width: 1600, height: 1000 }) {
  const context = await net.browser.newContext({ locale: 'zh-CN', viewport, acceptDownloads: true });
  const seen = watch(context, fx.host.origin);
  const page = await context.newPage();
  await page.goto(fx.host.url);
  await page.getByLabel('登录名').fill(SCORER.username);
  await page.getByLabel('密码', { exact: true }).fill(SCORER.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  return { context, seen, page };
}

function expectClean(seen: ReturnType<typeof watch>, allowed: RegExp[] = []) {
  expect(seen.outside()).toEqual([]);
  expect(net.escapedByApp()).toEqual([]);
  expect(seen.problems.filter((p) => !allowed.some((re) => re.test(p)))).toEqual([]);
}

const pageDiv = (page: Page, n: number) => page.locator(`.pdfViewer .page[data-page-number="${n}"]`);
/** The page's full box (Playwright's boundingBox is clipped to the window when the page is wider). */
const pageBox = (page: Page, n: number) => pageDiv(page, n).evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
const pageInput = (page: Page) => page.getByLabel('页码', { exact: true });
const db = () => fx.host.backend.db;

async function textOnPage(page: Page, n: number, text: string) {
  await pageDiv(page, n).locator('.textLayer span', { hasText: text }).first().waitFor({ timeout: 30_000 });
}

/** Each mark's box as fractions of its page box: independent of zoom, comparable across reloads. */
async function markBoxes(page: Page) {
  return page.$$eval('.pc-overlay [data-annotation-id]', (els) =>
    els
      .map((el) => {
        const pageBox = el.closest('.pc-overlay')!.getBoundingClientRect(); // the page inside its border
        const b = el.getBoundingClientRect();
        const r = (v: number) => Math.round(v * 1000) / 1000;
        return {
          id: el.getAttribute('data-annotation-id'),
          page: el.closest('.page')!.getAttribute('data-page-number'),
          box: [
            r((b.left - pageBox.left) / pageBox.width),
            r((b.top - pageBox.top) / pageBox.height),
            r(b.width / pageBox.width),
            r(b.height / pageBox.height),
          ],
        };
      })
      .sort((p, q) => `${p.id}${p.box}`.localeCompare(`${q.id}${q.box}`)),
  );
}

/** Scrolls the reader so that the point (fx, fy) of page n (fractions of the page) is mid-screen. */
async function reveal(page: Page, n: number, fy: number) {
  await page.evaluate(
    ([n, fy]) => {
      const c = document.querySelector('.pc-viewer-scroll')!;
      const p = document.querySelector(`.pdfViewer .page[data-page-number="${n}"]`)!.getBoundingClientRect();
      const box = c.getBoundingClientRect();
      c.scrollTop += p.top + p.height * fy - (box.top + box.height / 2);
    },
    [n, fy] as const,
  );
  await page.waitForTimeout(100);
}

async function dragOn(page: Page, n: number, from: [number, number], to: [number, number], steps = 10) {
  await reveal(page, n, (from[1] + to[1]) / 2);
  const box = await pageBox(page, n);
  await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps });
  await page.mouse.up();
}

async function selectText(page: Page, n: number, text: string) {
  const span = pageDiv(page, n).locator('.textLayer span', { hasText: text }).first();
  const b = (await span.boundingBox())!;
  await page.mouse.move(b.x + 1, b.y + b.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width - 1, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

const storedCount = () => (db().prepare('SELECT count(*) AS n FROM annotations WHERE deleted_at IS NULL').get() as { n: number }).n;

describe('the PDF review workspace', () => {
  it('reads a 320-page dossier: lazy pages, jumps, zoom, rotation, thumbnails, search in the file and across the campaign', async () => {
    const { context, seen, page } = await open();
    await page.goto(`${fx.host.origin}/#/case/${caseA}`);
    await textOnPage(page, 1, '行政许可案卷 第1页');
    await expect.poll(() => page.getByTestId('page-count').textContent()).toBe('/ 320');
    await screenshot(page, 'reader-1-first-page');
    // pdf.js's page landmarks speak Chinese to a screen reader, every page of the file.
    await expect.poll(() => pageDiv(page, 1).getAttribute('aria-label')).toBe('第 1 页');
    expect(await pageDiv(page, 320).getAttribute('aria-label')).toBe('第 320 页');

    // Go to page: Ctrl+G, type, Enter.
    await page.locator('.pc-viewer-scroll').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+g');
    await page.keyboard.type('250');
    await page.keyboard.press('Enter');
    await textOnPage(page, 250, '第250页');
    await expect.poll(() => pageInput(page).inputValue()).toBe('250');
    // Only the pages around the one shown are rendered and kept.
    const rendered = await page.locator('.pdfViewer .page canvas').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThanOrEqual(12);
    await page.keyboard.press('PageDown');
    await expect.poll(() => pageInput(page).inputValue()).toBe('251');
    await page.keyboard.press('End');
    await textOnPage(page, 320, '第320页');
    await page.keyboard.press('Home');
    await expect.poll(() => pageInput(page).inputValue()).toBe('1');

    // Zoom: 200% doubles the page against 100%; Ctrl+0 fits the width again.
    const width = () => pageDiv(page, 1).evaluate((el) => el.getBoundingClientRect().width);
    await page.getByLabel('缩放比例').selectOption('1');
    const w100 = await width();
    await page.getByLabel('缩放比例').selectOption('2');
    await expect.poll(async () => Math.round(((await width()) / w100) * 100) / 100).toBe(2);
    await page.locator('.pc-viewer-scroll').focus();
    await page.keyboard.press('Control+0');
    await expect.poll(() => page.getByLabel('缩放比例').inputValue()).toBe('page-width');

    // Rotate this page only (R), and back (Shift+R).
    await page.keyboard.press('r');
    await expect
      .poll(async () => {
        const b = await pageBox(page, 1);
        return b.width > b.height;
      })
      .toBe(true);
    const p2 = await pageBox(page, 2);
    expect(p2.height).toBeGreaterThan(p2.width);
    await screenshot(page, 'reader-2-rotated-page');
    await page.keyboard.press('Shift+R');
    await expect
      .poll(async () => {
        const b = await pageBox(page, 1);
        return b.height > b.width;
      })
      .toBe(true);

    // Thumbnails render lazily; a click goes to the page.
    await page.getByRole('tab', { name: '缩略图' }).click();
    await expect
      .poll(() =>
        page
          .locator('.thumb canvas')
          .first()
          .evaluate((c: HTMLCanvasElement) => c.width),
      )
      .toBeGreaterThan(0);
    const drawnThumbs = await page
      .locator('.thumb canvas')
      .evaluateAll((cs) => cs.filter((c) => (c as HTMLCanvasElement).width > 0).length);
    expect(drawnThumbs).toBeLessThan(60);
    await page.getByRole('button', { name: '第 5 页', exact: true }).click();
    await expect.poll(() => pageInput(page).inputValue()).toBe('5');
    await screenshot(page, 'reader-3-thumbnails');

    // Find in this file: the hit is highlighted on its page.
    await page.keyboard.press('Control+f');
    await page.getByLabel('在本文件中查找').fill('第123页');
    await expect.poll(() => page.getByTestId('find-status').textContent(), { timeout: 60_000 }).toBe('第 1 / 共 1 处');
    await pageDiv(page, 123).locator('.textLayer .highlight').first().waitFor();
    await expect.poll(() => pageInput(page).inputValue()).toBe('123');
    await screenshot(page, 'reader-4-find');
    await page.getByLabel('在本文件中查找').press('Escape');

    // Search the campaign's stored page text; a hit opens the other case at its page, highlighted.
    await page.keyboard.press('Control+Shift+F');
    await page.getByLabel('全文检索').fill('被询问人');
    await page.getByLabel('检索范围').selectOption('campaign');
    await page.getByLabel('全文检索').press('Enter');
    await expect.poll(() => page.locator('.hit').count()).toBe(2);
    expect(await page.locator('.hits').textContent()).toContain('某许〔2025〕9号 · 乙县城市管理局');
    await screenshot(page, 'reader-5-campaign-search');
    // Two characters: below the trigram index, answered by the LIKE fallback.
    await page.getByLabel('全文检索').fill('王某');
    await page.getByLabel('全文检索').press('Enter');
    await expect.poll(() => page.locator('.hit').count()).toBe(1);
    await page.locator('.hit').first().click();
    await expect.poll(() => page.locator('.ws-title h2').textContent()).toBe('某许〔2025〕9号');
    await pageDiv(page, 1).locator('.textLayer .highlight', { hasText: '王某' }).first().waitFor({ timeout: 30_000 });
    expect(page.url()).toContain(`/case/${caseB}`);

    expectClean(seen);
    await context.close();
  });

  it('draws every annotation type; they come back at the same place after a reload, at any zoom and rotation', async () => {
    const { context, seen, page } = await open();
    await page.goto(`${fx.host.origin}/#/case/${caseA}?doc=${docs.main}`);
    await textOnPage(page, 1, '当事人');
    const toolbar = page.getByRole('toolbar', { name: '阅读工具' });

    // Highlight and underline come from the text layer.
    await toolbar.getByRole('button', { name: '高亮' }).click();
    await selectText(page, 1, '当事人');
    await page.locator('.pc-highlight').first().waitFor();
    await page.keyboard.press('u');
    await selectText(page, 1, '调查人员');
    await page.locator('.pc-underline').first().waitFor();
    // Area, on a scan-like region of page 2.
    await page.keyboard.press('a');
    await pageDiv(page, 2).scrollIntoViewIfNeeded();
    await dragOn(page, 2, [0.15, 0.3], [0.55, 0.45]);
    await page.locator('.pc-area').first().waitFor();
    // A sticky note with its text, typed straight into the pop-up.
    await page.keyboard.press('n');
    await dragOn(page, 2, [0.8, 0.1], [0.8, 0.1], 1);
    await page.getByLabel('便签内容').fill('此页缺少执法人员签名');
    await page.getByLabel('便签内容').press('Escape');
    // Free-hand ink and a text box on page 3.
    await pageDiv(page, 3).scrollIntoViewIfNeeded();
    await page.keyboard.press('d');
    await reveal(page, 3, 0.55);
    const p3 = await pageBox(page, 3);
    await page.mouse.move(p3.x + p3.width * 0.2, p3.y + p3.height * 0.5);
    await page.mouse.down();
    for (const [fx1, fy1] of [
      [0.3, 0.6],
      [0.4, 0.5],
      [0.5, 0.6],
      [0.6, 0.5],
    ] as const)
      await page.mouse.move(p3.x + p3.width * fx1, p3.y + p3.height * fy1, { steps: 6 });
    await page.mouse.up();
    await page.locator('.pc-ink').first().waitFor();
    await page.keyboard.press('t');
    await dragOn(page, 3, [0.15, 0.2], [0.15, 0.2], 1);
    await page.getByLabel('文字内容').fill('调查终结报告未载明证据清单');
    await page.getByLabel('文字内容').press('Escape');
    await expect.poll(() => page.locator('.pc-text').textContent()).toBe('调查终结报告未载明证据清单');

    // A comment on the highlight: select it, type in the pop-up.
    await page.keyboard.press('v');
    await pageDiv(page, 1).scrollIntoViewIfNeeded();
    await page.locator('.pc-highlight').first().click();
    await page.getByLabel('批注说明').fill('当事人名称与营业执照不一致');
    await page.getByRole('button', { name: '关闭批注窗口' }).click();

    await expect.poll(storedCount).toBe(6);
    await expect
      .poll(() => db().prepare("SELECT comment FROM annotations WHERE type = 'highlight'").get())
      .toEqual({ comment: '当事人名称与营业执照不一致' });
    const types = db()
      .prepare('SELECT type FROM annotations ORDER BY sort_key')
      .all()
      .map((r) => (r as { type: string }).type);
    expect(types).toEqual(['highlight', 'underline', 'note', 'area', 'text', 'ink']);
    await screenshot(page, 'reader-6-annotations');

    // Undo and redo (Ctrl+Z / Ctrl+Shift+Z) reach the database too.
    await page.locator('.pc-viewer-scroll').focus();
    await page.keyboard.press('Control+z'); // the comment
    await expect.poll(() => db().prepare("SELECT comment FROM annotations WHERE type = 'highlight'").get()).toEqual({ comment: null });
    await page.keyboard.press('Control+Shift+Z');
    await expect
      .poll(() => db().prepare("SELECT comment FROM annotations WHERE type = 'highlight'").get())
      .toEqual({ comment: '当事人名称与营业执照不一致' });

    // Reload: every mark is stored and drawn exactly where it was.
    await page.getByLabel('缩放比例').selectOption('page-width');
    const stored = db().prepare('SELECT id, type, page_index, position_json FROM annotations WHERE deleted_at IS NULL ORDER BY id').all();
    const before = await markBoxes(page);
    expect(new Set(before.map((b) => b.id)).size).toBe(6);
    await page.reload();
    await textOnPage(page, 1, '当事人');
    for (const n of [2, 3]) await pageDiv(page, n).scrollIntoViewIfNeeded();
    await page.locator('.pc-ink').first().waitFor();
    await pageDiv(page, 1).scrollIntoViewIfNeeded();
    await expect.poll(async () => (await markBoxes(page)).length).toBe(before.length);
    expect(await markBoxes(page)).toEqual(before);
    expect(db().prepare('SELECT id, type, page_index, position_json FROM annotations WHERE deleted_at IS NULL ORDER BY id').all()).toEqual(
      stored,
    );

    // At 150% and with page 2 turned a quarter, the area still covers the same part of the page.
    await page.getByLabel('缩放比例').selectOption('1.5');
    const area = db().prepare("SELECT id, position_json FROM annotations WHERE type = 'area'").get() as {
      id: string;
      position_json: string;
    };
    const [x1, y1, x2, y2] = (JSON.parse(area.position_json) as { rects: number[][] }).rects[0]!;
    const [W, H] = [595.28, 841.89];
    await pageInput(page).fill('2');
    await pageInput(page).press('Enter');
    await expect.poll(() => pageInput(page).inputValue()).toBe('2');
    await page.keyboard.press('r');
    await expect
      .poll(async () => {
        const b = await pageBox(page, 2);
        return b.width > b.height;
      })
      .toBe(true);
    const turned = (await markBoxes(page)).find((m) => m.id === area.id)!;
    // Turning the page 90° clockwise maps user-space (x, y) to screen (y, x) in page fractions.
    const expected = [y1! / H, x1! / W, (y2! - y1!) / H, (x2! - x1!) / W];
    turned.box.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(0.003));
    await page.getByLabel('缩放比例').selectOption('page-fit');
    await expect.poll(async () => (await markBoxes(page)).find((m) => m.id === area.id)!.box).toEqual(turned.box);
    await screenshot(page, 'reader-7-zoomed-rotated');
    await page.keyboard.press('Shift+R');

    // Next / previous annotation with ] and [, delete with Delete.
    await page.keyboard.press('Home');
    await page.keyboard.press(']');
    await expect.poll(() => page.locator('.pc-mark.selected').first().getAttribute('class')).toContain('pc-highlight');
    await page.keyboard.press(']');
    await expect.poll(() => page.locator('.pc-mark.selected').first().getAttribute('class')).toContain('pc-underline');
    await page.keyboard.press('Delete');
    await expect.poll(storedCount).toBe(5);
    await page.keyboard.press('Control+z');
    await expect.poll(storedCount).toBe(6);

    // The annotation list: reading order, filters, click to jump.
    await page.getByRole('tab', { name: /^批注（/ }).click();
    await expect.poll(() => page.locator('.ann-item').count()).toBe(6);
    await page.getByRole('button', { name: '只看蓝色' }).click();
    await expect.poll(() => page.locator('.ann-item').count()).toBe(0);
    await page.getByRole('button', { name: '只看蓝色' }).click();
    await page.locator('.ann-item', { hasText: '调查终结报告未载明证据清单' }).click();
    await expect.poll(() => pageInput(page).inputValue()).toBe('3');
    await expect.poll(() => page.locator('.pc-text.selected').count()).toBe(1);
    await screenshot(page, 'reader-8-annotation-list');

    // Evidence, both ways. A mark drawn while a deducted item of the score sheet is current becomes
    // its evidence: the mark says so and the item's answer lists it.
    await page.getByRole('tab', { name: '我的评查表' }).click();
    const item125 = page.locator('.sheet-item[data-item-id="xk-12.5"]');
    await item125.getByRole('button', { name: '扣分' }).click();
    await expect.poll(() => page.locator('.item-chip').textContent()).toContain('12.5 卷内材料有页号');
    await page.locator('.pc-viewer-scroll').focus();
    await page.keyboard.press('a');
    await pageDiv(page, 3).scrollIntoViewIfNeeded();
    await dragOn(page, 3, [0.5, 0.75], [0.8, 0.85]);
    await expect
      .poll(() => db().prepare("SELECT count(*) AS n FROM annotations WHERE checklist_item_id = 'xk-12.5'").get())
      .toEqual({ n: 1 });
    const linked = (db().prepare("SELECT id FROM annotations WHERE checklist_item_id = 'xk-12.5'").get() as { id: string }).id;
    const answer125 = () => {
      const row = db().prepare("SELECT answer_json FROM sheet_answers WHERE item_id = 'xk-12.5'").get() as
        { answer_json: string } | undefined;
      return row ? (JSON.parse(row.answer_json) as { evidence?: string[] }).evidence : undefined;
    };
    await expect.poll(answer125).toEqual([linked]);
    await expect.poll(() => page.locator('.pc-mark.linked').count()).toBe(1);
    await page.keyboard.press('Escape');
    // From the sheet back to the page: the evidence chip scrolls page 3's mark into view, selected.
    await page.keyboard.press('Home');
    await expect.poll(() => pageInput(page).inputValue()).toBe('1');
    await item125.locator('.evidence .badge').first().click();
    const shown = page.locator(`.page[data-page-number="3"] .pc-mark.selected[data-annotation-id="${linked}"]`);
    await expect.poll(() => shown.count()).toBe(1);
    // In view: the mark lies inside the reader's scroll box.
    const inView = () =>
      shown.evaluate((el) => {
        const m = el.getBoundingClientRect();
        const box = el.closest('.pc-viewer-scroll')!.getBoundingClientRect();
        return m.top >= box.top && m.bottom <= box.bottom;
      });
    await expect.poll(inView).toBe(true);
    await screenshot(page, 'reader-8b-evidence');
    // Unlinking in the mark's pop-up takes it off the item's answer too.
    await page.getByRole('button', { name: '取消关联', exact: true }).click();
    await expect.poll(() => answer125()?.length ?? 0).toBe(0);
    await expect
      .poll(() => db().prepare('SELECT checklist_item_id FROM annotations WHERE id = ?').get(linked))
      .toEqual({ checklist_item_id: null });
    // Undo and redo of that unlink reach the answer as well.
    await page.locator('.pc-viewer-scroll').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(answer125).toEqual([linked]);
    await expect
      .poll(() => db().prepare('SELECT checklist_item_id FROM annotations WHERE id = ?').get(linked))
      .toEqual({ checklist_item_id: 'xk-12.5' });
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => answer125()?.length ?? 0).toBe(0);
    await expect
      .poll(() => db().prepare('SELECT checklist_item_id FROM annotations WHERE id = ?').get(linked))
      .toEqual({ checklist_item_id: null });
    await page.keyboard.press('Escape');

    // Exports: the annotated copy and the list.
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '带批注的 PDF' }).click()]);
    expect(pdf.suggestedFilename()).toBe('某许〔2025〕7号-行政许可案卷（批注）.pdf');
    expect(
      fs
        .readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '批注清单（XLSX）' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('批注清单-甲县市场监督管理局-某许〔2025〕7号.xlsx');

    expectClean(seen);
    await context.close();
  });

  it('marks text selected before 下划线 is pressed at once, and goes through search hits in the open file one after another', async () => {
    const { context, seen, page } = await open({ width: 1366, height: 768 });
    await page.goto(`${fx.host.origin}/#/case/${caseA}?doc=${docs.main}`);
    await textOnPage(page, 1, '调查人员');
    const toolbar = page.getByRole('toolbar', { name: '阅读工具' });
    await toolbar.getByRole('button', { name: '选择', exact: true }).click();
    const count = storedCount();
    // Select first, then press the button, as in any PDF reader: the selection is underlined at once.
    // (Page 2: page 1 carries the marks of the test before.)
    await pageDiv(page, 2).scrollIntoViewIfNeeded();
    await textOnPage(page, 2, '调查人员');
    await pageDiv(page, 2).locator('.textLayer span', { hasText: '调查人员' }).first().scrollIntoViewIfNeeded();
    await selectText(page, 2, '调查人员');
    // 下划线 is in the 更多 menu beside the score sheet: the selection survives the trip through it.
    await toolbar.getByRole('button', { name: '更多阅读工具' }).click();
    await page.getByRole('menuitemradio', { name: /下划线/ }).click();
    await expect.poll(storedCount).toBe(count + 1);
    expect(db().prepare('SELECT type, selected_text FROM annotations ORDER BY created_at DESC LIMIT 1').get()).toEqual({
      type: 'underline',
      selected_text: expect.stringContaining('调查人员'),
    });
    await pageDiv(page, 2).locator('.pc-underline').first().waitFor();
    // The tool stays what it was; the 批注 list quotes the words.
    expect(await toolbar.getByRole('button', { name: '选择', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('tab', { name: /批注/ }).click();
    const listed = page.locator('.ann-item', { hasText: '第 2 页' }).filter({ hasText: '下划线' });
    await expect.poll(() => listed.first().textContent()).toMatch(/“[^”]*调查人员/);
    await screenshot(page, 'reader-select-then-underline');

    // Campaign search, hits in the file already open: each click or Enter turns to the hit's page and draws it there.
    await page.keyboard.press('Control+Shift+F');
    await page.getByLabel('全文检索').fill('行政许可案卷');
    await page.getByLabel('全文检索').press('Enter');
    await expect.poll(() => page.locator('.hit').count()).toBeGreaterThan(20);
    const hit = (n: number) => page.locator('.hit', { hasText: `第 ${n} 页` }).first();
    await hit(17).click();
    await expect.poll(() => pageInput(page).inputValue()).toBe('17');
    const current = pageDiv(page, 17).locator('.textLayer .highlight.selected').first();
    await current.waitFor({ timeout: 30_000 });
    // The current hit is green and framed, never the yellow of a saved 高亮.
    expect(await current.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgba(0, 130, 0, 0.28)');
    expect(await current.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await screenshot(page, 'reader-search-hit-same-file');
    await hit(9).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => pageInput(page).inputValue()).toBe('9');
    await pageDiv(page, 9).locator('.textLayer .highlight.selected').first().waitFor({ timeout: 30_000 });

    // Campaign-wide: after the jump to the other case, the list and its scope are still there.
    await page.getByLabel('全文检索').fill('被询问人');
    await page.getByLabel('检索范围').selectOption('campaign');
    await page.getByLabel('全文检索').press('Enter');
    await expect.poll(() => page.locator('.hit').count()).toBe(2);
    await page.locator('.hit', { hasText: '某许〔2025〕9号' }).click();
    await expect.poll(() => page.locator('.ws-title h2').textContent()).toBe('某许〔2025〕9号');
    await expect.poll(() => page.locator('.hit').count()).toBe(2);
    expect(await page.getByLabel('检索范围').inputValue()).toBe('campaign');
    expect(await page.getByLabel('全文检索').inputValue()).toBe('被询问人');
    await screenshot(page, 'reader-search-kept-after-jump');
    expectClean(seen);
    await context.close();
  });

  it('lets the organiser read a file not assigned to them, with the marking tools off and the reason on them', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await page.goto(fx.host.url);
    await page.getByLabel('登录名').fill(ADMIN.username);
    await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    await page.goto(`${fx.host.origin}/#/case/${caseA}?doc=${docs.main}`);
    await textOnPage(page, 1, '调查人员');
    const toolbar = page.getByRole('toolbar', { name: '阅读工具' });
    const highlight = toolbar.getByRole('button', { name: '高亮', exact: true });
    await expect.poll(() => highlight.isDisabled()).toBe(true);
    expect(await highlight.getAttribute('title')).toBe(NOT_ASSIGNED_TO_MARK);
    expect(await toolbar.getByRole('button', { name: '选择', exact: true }).isDisabled()).toBe(false);
    const count = storedCount();
    await selectText(page, 1, '调查人员');
    await page.keyboard.press('h');
    await page.waitForTimeout(800);
    expect(storedCount()).toBe(count);
    expect(await highlight.getAttribute('aria-pressed')).toBe('false');
    await screenshot(page, 'reader-organiser-reads-only');
    expectClean(seen);
    await context.close();
  });

  it('keeps a mark made just before the tab is closed', async () => {
    const { context, seen, page } = await open();
    await page.goto(`${fx.host.origin}/#/case/${caseA}?doc=${docs.main}&page=10`);
    await textOnPage(page, 10, '第10页');
    const count = storedCount();
    await page.keyboard.press('a');
    await dragOn(page, 10, [0.2, 0.2], [0.4, 0.3]);
    await page.locator('.pc-area').first().waitFor();
    await page.close({ runBeforeUnload: true }); // well inside the 300 ms save delay
    await expect.poll(storedCount).toBe(count + 1);
    expect(db().prepare('SELECT page_index FROM annotations ORDER BY created_at DESC LIMIT 1').get()).toEqual({ page_index: 9 });
    expectClean(seen);
    await context.close();
  });

  it('names the files of the dossier, shows a broken page on that page only, and flags an altered file', async () => {
    const { context, seen, page } = await open();
    await page.goto(`${fx.host.origin}/#/case/${caseA}?doc=${docs.broken}`);
    await page.getByRole('tab', { name: /^文件/ }).click();
    await textOnPage(page, 1, '第一页 正常');
    await pageDiv(page, 3).scrollIntoViewIfNeeded();
    await pageDiv(page, 3).getByRole('alert').waitFor({ timeout: 30_000 });
    expect(await pageDiv(page, 3).getByRole('alert').textContent()).toContain('第 3 页无法显示');
    await textOnPage(page, 2, '第二页 正常');
    expect(await page.locator('.pc-page-error').count()).toBe(1);
    await screenshot(page, 'reader-9-broken-page');

    // The file's outline and page labels: a bookmark goes to its page, a label typed goes to its page.
    await page.locator('.doc-open', { hasText: 'scan0002' }).click();
    await textOnPage(page, 1, '被询问人');
    await expect.poll(() => pageInput(page).inputValue()).toBe('封面');
    await page.getByRole('tab', { name: '文书' }).click();
    await page.getByRole('button', { name: '现场照片' }).click();
    await expect.poll(() => pageInput(page).inputValue()).toBe('2');
    await textOnPage(page, 3, '现场照片');
    await pageInput(page).fill('封面');
    await pageInput(page).press('Enter');
    await expect.poll(() => pageInput(page).inputValue()).toBe('封面');
    await pageInput(page).fill('999');
    await pageInput(page).press('Enter');
    await expect.poll(() => pageInput(page).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'reader-9b-outline-labels');
    await page.getByRole('tab', { name: /^文件/ }).click();

    // Rename "scan0002" to what it is.
    await page.getByRole('button', { name: '重命名“scan0002”' }).click();
    await page.getByLabel('文件名称').fill('询问笔录');
    await page.getByLabel('文件名称').press('Enter');
    await expect.poll(() => page.locator('.doc-list').textContent()).toContain('询问笔录');
    expect(db().prepare('SELECT title FROM documents WHERE id = ?').get(docs.scan)).toEqual({ title: '询问笔录' });

    // Someone altered the stored bytes: the file is flagged, marks can no longer be added.
    const sha = (db().prepare('SELECT sha256 FROM documents WHERE id = ?').get(docs.scan) as { sha256: string }).sha256;
    const file = path.join(fx.dataDir, 'files', sha.slice(0, 2), sha);
    fs.chmodSync(file, 0o644);
    fs.appendFileSync(file, '\n% altered after import\n');
    await page.locator('.doc-open', { hasText: '送达回证' }).click();
    await textOnPage(page, 1, '第一页 正常');
    await page.locator('.doc-open', { hasText: '询问笔录' }).click();
    await textOnPage(page, 1, '被询问人');
    await page.locator('.reader-banner', { hasText: '校验值' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.doc-list').textContent()).toContain('文件内容与导入时不一致');
    expect(await page.getByRole('toolbar', { name: '阅读工具' }).getByRole('button', { name: '框选' }).isDisabled()).toBe(true);
    await screenshot(page, 'reader-10-altered-file');

    // pdf.js reports the unreadable page itself; nothing else may appear.
    expectClean(seen, [/^error: Unable to get page for page view/, /^error: renderView: Error: pdfPage is not loaded/]);
    await context.close();
  });

  it('fits a 1366×768 laptop and a 1024×768 projector: reader, score sheet and marks side by side, nothing cut off', async () => {
    // Marks on page 3, one of them the evidence of a deducted item (as a reviewer leaves a file).
    const evidence = {
      id: crypto.randomUUID(),
      type: 'area' as const,
      color: '#ff6666',
      pageIndex: 2,
      position: { rects: [[70, 560, 330, 640] as [number, number, number, number]] },
      comment: '页码缺失',
      checklistItemId: 'xk-12.5',
    };
    const note = {
      id: crypto.randomUUID(),
      type: 'note' as const,
      color: '#5fb236',
      pageIndex: 2,
      position: { rects: [[480, 700, 502, 722] as [number, number, number, number]] },
      comment: '缺少送达回证',
    };
    await scorer.call('annotation:save', { documentId: docs.main, upserts: [evidence, note], deletes: [] });
    const { sheet } = await scorer.call('sheet:start', { caseId: caseA });
    await scorer.call('sheet:answer', {
      sheetId: sheet.id,
      itemId: 'xk-12.5',
      answer: { status: 'deduct', comment: '卷内材料未编页号', evidence: [evidence.id] },
      revision: sheet.revision,
    });
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1024, height: 768 },
    ]) {
      const { context, seen, page } = await open(viewport);
      await page.goto(`${fx.host.origin}/#/case/${caseA}?doc=${docs.main}&page=3`);
      await textOnPage(page, 3, '第3页');
      await page.getByTestId('sheet-total').waitFor();
      await page.locator(`.pc-mark[data-annotation-id="${evidence.id}"]`).waitFor();
      await page.locator('.sheet-item[data-item-id="xk-12.5"]').scrollIntoViewIfNeeded();
      await screenshot(page, `reader-11-case-${viewport.width}x${viewport.height}`);
      // Labels show in full, on one line: the app bar's, the panel's tabs, the toolbar's and the header's
      // buttons, the sheet's buttons. (A button's scrollWidth hides an ellipsis: the text's own box is measured.)
      const clipped = await page.$$eval(
        '.topbar a, .topbar .btn, .side-tab, .reader-toolbar .btn, .ws-head .btn, .sheet .btn, .tab',
        (els) =>
          els
            .filter((e) => {
              const box = e.getBoundingClientRect();
              if (box.width === 0) return false;
              const range = document.createRange();
              range.selectNodeContents(e);
              const text = range.getBoundingClientRect();
              const oneLine = parseFloat(getComputedStyle(e).fontSize) * 1.8;
              return text.width > e.clientWidth + 1 || text.height > oneLine;
            })
            .map((e) => e.textContent),
      );
      expect(clipped).toEqual([]);
      // The page keeps a readable width beside the panels.
      expect(await page.locator('.reader').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(viewport.width * 0.38);
      expectClean(seen);
      await context.close();
    }
  });
});
