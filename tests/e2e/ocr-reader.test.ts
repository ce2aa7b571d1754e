/**
 * Reading a scanned dossier in a real browser through the loopback host: a realistic image-only
 * 行政处罚 dossier imported into a campaign is read by OCR in the background by itself (as in the
 * desktop app); the campaign shows how far reading has got; the reader opened on one of its pages
 * has that page read first and lays the recognised text over the image, so a reviewer selects a line
 * of the scan with the mouse, gets the words printed there, and marks them as evidence by text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { panelScorer, SCORER, setupAdmin, stage } from '../support/backend.js';
import { dossierFixture, type DossierTruth } from '../support/dossiers/index.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let truth: DossierTruth;
let campaignId: string;
let caseId: string;
let documentId: string;

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  const be = fx.host.backend;
  const seed = await setupAdmin(be, 'seed');
  const scan = await dossierFixture({ scanned: true, caseType: 'penalty_general' });
  truth = scan.truth;
  campaignId = (await seed.call('campaign:create', { name: '2025年度行政执法案卷评查', year: 2025, issuingBody: '清溪县司法局' })).id;
  const sourceId = await stage(be, seed, truth.fileName, scan.bytes);
  const detail = await seed.call('dossier:importSingle', {
    campaignId,
    sourceId,
    caseNumber: truth.caseNumber,
    caseTitle: truth.title,
    unitName: truth.unitName,
    caseType: 'penalty_general',
  });
  caseId = detail.id;
  documentId = detail.documents[0]!.id;
  // The panel's 评查组长 reads and marks the scan: only someone assigned to a file marks it.
  await panelScorer(be, seed, caseId);
}, 180_000);

afterAll(async () => {
  await net?.close();
  await fx?.close();
});

/** Longest run of characters two strings share. */
function commonRun(a: string, b: string): string {
  let best = '';
  for (let i = 0; i < a.length; i++) {
    for (let j = i + best.length + 1; j <= a.length; j++) {
      if (b.includes(a.slice(i, j))) best = a.slice(i, j);
      else break;
    }
  }
  return best;
}

/** A body page of a 文书 (not the cover or the catalogue), with long printed lines. */
function bodyPage(): { index: number; lines: string[] } {
  for (const p of truth.pages) {
    const lines = p.text
      .split('\n')
      .map((l) => l.replace(/\s+/g, ''))
      .filter((l) => l.length >= 14);
    if (p.page > 2 && lines.length >= 4) return { index: p.page - 1, lines };
  }
  throw new Error('the dossier has no body page');
}

async function logIn(page: Page): Promise<void> {
  await page.goto(fx.host.url);
  await page.getByLabel('登录名').fill(SCORER.username);
  await page.getByLabel('密码', { exact: true }).fill(SCORER.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

describe('a scanned dossier in the reader', () => {
  it('is read after import by itself, shows its progress, and its text is selected on the scan with the mouse', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    try {
      await logIn(page);
      await page.goto(`${fx.host.origin}/#/campaign/${encodeURIComponent(campaignId)}`);
      // The import queued the scan for reading by itself; the campaign says how far it has got.
      const bar = page.getByTestId('ocr-bar');
      await bar.waitFor({ timeout: 60_000 });
      await expect.poll(() => page.getByTestId('ocr-bar-state').textContent(), { timeout: 60_000 }).toMatch(/正在识别|已识别/);
      expect(await page.getByTestId('ocr-bar-count').textContent()).toMatch(new RegExp(`^已识别 \\d+ / ${truth.pageCount} 页$`));
      await expect.poll(() => page.getByTestId('case-ocr').first().textContent(), { timeout: 60_000 }).toMatch(/识别/);
      await screenshot(page, 'ocr-campaign-progress');

      // The reader opened on a body page: that page is read first, and its text lies over the image.
      const target = bodyPage();
      await page.goto(
        `${fx.host.origin}/#/case/${encodeURIComponent(caseId)}?doc=${encodeURIComponent(documentId)}&page=${target.index + 1}`,
      );
      const pageDiv = page.locator(`.pdfViewer .page[data-page-number="${target.index + 1}"]`);
      // While OCR reads the file (and slows its opening), the page box reaches the typed page every
      // time, and stays there: typed at once, before the file has finished opening, and after.
      await page.getByLabel('页码').waitFor();
      const readPages = () =>
        (
          fx.host.backend.db
            .prepare('SELECT count(*) AS n FROM ocr_pages o JOIN documents d ON d.sha256 = o.sha256 WHERE d.id = ?')
            .get(documentId) as { n: number }
        ).n;
      expect(readPages()).toBeLessThan(truth.pageCount);
      // A search while pages are still unread says they were not searched, instead of a bare "not found".
      await page.keyboard.press('Control+Shift+F');
      await page.getByLabel('全文检索').fill('行政处罚');
      await page.getByLabel('全文检索').press('Enter');
      await expect.poll(() => page.locator('.page-search-count').textContent()).toMatch(/另有 \d+ 页扫描页尚未识别文字，未能检索。$/);
      await screenshot(page, 'ocr-search-unread-pages');
      const atTop = (n: number) =>
        page.evaluate((n) => {
          const el = document.querySelector(`.pdfViewer .page[data-page-number="${n}"]`);
          const view = document.querySelector('.pc-viewer-scroll')?.getBoundingClientRect();
          if (!el || !view) return false;
          const r = el.getBoundingClientRect();
          return r.top <= view.top + 40 && r.bottom > view.top + 40;
        }, n);
      const truthPages = truth.pageCount;
      expect(truthPages).toBeGreaterThan(target.index + 1);
      for (const n of [truthPages, 2, target.index + 1, 1, target.index + 1]) {
        await page.keyboard.press('Control+g');
        await page.keyboard.type(String(n));
        await page.keyboard.press('Enter');
        await expect.poll(() => atTop(n), { timeout: 5_000 }).toBe(true);
        await page.waitForTimeout(1_500);
        expect(await atTop(n)).toBe(true);
      }
      await screenshot(page, 'ocr-reader-page-box');
      // The page's recognition state is said under the toolbar, not over the page's corner.
      const marker = page.getByTestId('ocr-page-note');
      await expect.poll(() => marker.textContent(), { timeout: 300_000 }).toMatch(/识别置信度 \d+%/);
      await pageDiv.locator('.pc-ocr-line').first().waitFor({ timeout: 60_000 });
      const spans = pageDiv.locator('.pc-ocr-line');
      const texts = await spans.allTextContents();
      expect(texts.length).toBeGreaterThanOrEqual(target.lines.length / 2);

      // The OCR line sharing the longest printed phrase with a line of the truth.
      let best = { span: -1, phrase: '' };
      texts.forEach((t, i) => {
        for (const line of target.lines) {
          const run = commonRun(line, t.replace(/\s+/g, ''));
          if (run.length > best.phrase.length) best = { span: i, phrase: run };
        }
      });
      expect(best.phrase.length).toBeGreaterThanOrEqual(8);

      // Select that line by dragging the mouse across it, as a reviewer does.
      const span = spans.nth(best.span);
      await span.scrollIntoViewIfNeeded();
      const box = (await span.boundingBox())!;
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + 1, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, y, { steps: 5 });
      await page.mouse.move(box.x + box.width - 1, y, { steps: 5 });
      await page.mouse.up();
      const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
      expect(selected.replace(/\s+/g, '')).toContain(best.phrase);
      await screenshot(page, 'ocr-reader-selection');

      // 高亮 pressed on the toolbar turns the selection into a highlight at once, evidence that quotes the words of the scan.
      await page.getByRole('button', { name: '高亮', exact: true }).click();
      await expect
        .poll(
          () =>
            (
              fx.host.backend.db.prepare('SELECT selected_text FROM annotations WHERE document_id = ?').all(documentId) as Array<{
                selected_text: string | null;
              }>
            ).map((r) => (r.selected_text ?? '').replace(/\s+/g, '')),
          { timeout: 20_000 },
        )
        .toEqual([expect.stringContaining(best.phrase)]);
      await pageDiv.locator('.pc-highlight').first().waitFor();
      await screenshot(page, 'ocr-reader-highlight');
      // The page says its text comes from recognition, with its confidence.
      await pageDiv.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await screenshot(page, 'ocr-reader-marker');

      // Find-in-file finds the phrase in the text read on the scan, and marks its line.
      await page.keyboard.press('Control+f');
      await page.getByLabel('在本文件中查找').fill(best.phrase);
      await expect.poll(() => page.locator('.findbar').textContent(), { timeout: 30_000 }).toMatch(/第 \d+ \/ 共 \d+ 处/);
      // …and brings that line into view (the page was scrolled to its top for the marker).
      const hitLine = pageDiv.locator('.pc-ocr-line.pc-ocr-hit').first();
      await hitLine.waitFor();
      const inView = () =>
        hitLine.evaluate((el) => {
          const line = el.getBoundingClientRect();
          const view = document.querySelector('.pc-viewer-scroll')!.getBoundingClientRect();
          return line.top >= view.top && line.bottom <= view.bottom;
        });
      await expect.poll(inView, { timeout: 10_000 }).toBe(true);
      // Marked as a hit, the line keeps its place and size over the printed words.
      expect(await hitLine.textContent()).toBe(texts[best.span]);
      expect(Math.abs((await hitLine.boundingBox())!.width - box.width)).toBeLessThan(2);
      // The words found are marked inside the line (OCR gives line boxes only, so within the line's width).
      const words = hitLine.locator('.pc-ocr-hit-words');
      expect((await words.textContent())!.replace(/\s+/g, '')).toContain(best.phrase);
      // The current hit is green and framed, never the yellow of the 高亮 just made on the same words.
      await expect.poll(() => hitLine.getAttribute('class')).toContain('pc-ocr-hit-current');
      expect(await words.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgba(0, 130, 0, 0.28)');
      expect((await words.boundingBox())!.width).toBeLessThanOrEqual(box.width + 1);
      await screenshot(page, 'ocr-reader-find');
      // Pages still waiting for recognition are named beside the result.
      await expect.poll(() => page.getByTestId('find-partial').textContent()).toMatch(/^另有 \d+ 页尚未识别，结果可能不全$/);

      // The campaign says how long the rest will take, and 取消 asks first, then sticks.
      await page.goto(`${fx.host.origin}/#/campaign/${encodeURIComponent(campaignId)}`);
      await expect
        .poll(() => page.getByTestId('ocr-bar-eta').textContent(), { timeout: 60_000 })
        .toMatch(/^剩余(约 \d+ 分钟|不到 1 分钟)$/);
      await screenshot(page, 'ocr-bar-eta');
      await page.getByTestId('ocr-bar').getByRole('button', { name: '取消' }).click();
      const confirm = page.getByRole('dialog', { name: '取消本活动的文字识别？' });
      await expect.poll(() => confirm.textContent()).toMatch(/已识别的页会保留/);
      await screenshot(page, 'ocr-cancel-confirm');
      await confirm.getByRole('button', { name: '取消识别' }).click();
      await expect.poll(() => page.getByTestId('ocr-bar-state').textContent(), { timeout: 20_000 }).toBe('已取消识别');
      await page.waitForTimeout(5_000);
      expect(await page.getByTestId('ocr-bar-state').textContent()).toBe('已取消识别');
      await screenshot(page, 'ocr-cancelled');

      // A page not recognised says so, and what works on it; 高亮 explains instead of doing nothing.
      const sha = (fx.host.backend.db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(documentId) as { sha256: string }).sha256;
      const read = new Set(
        (fx.host.backend.db.prepare('SELECT page_index FROM ocr_pages WHERE sha256 = ?').all(sha) as Array<{ page_index: number }>).map(
          (r) => r.page_index,
        ),
      );
      const unread = Array.from({ length: truth.pageCount }, (_, i) => i).find((i) => !read.has(i))!;
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.goto(`${fx.host.origin}/#/case/${encodeURIComponent(caseId)}?doc=${encodeURIComponent(documentId)}&page=${unread + 1}`);
      const note = page.getByTestId('ocr-page-note');
      await expect.poll(() => note.textContent(), { timeout: 30_000 }).toMatch(/^本页为扫描件，尚未识别文字；可用框选标注。/);
      await page.getByRole('button', { name: '高亮', exact: true }).click();
      await expect.poll(() => note.textContent()).toMatch(/“高亮”需要识别出的文字，本页识别完成前无法使用，请改用“框选”/);
      await page.locator(`.pdfViewer .page[data-page-number="${unread + 1}"] canvas`).waitFor({ timeout: 30_000 });
      await screenshot(page, 'ocr-reader-unread-1024');

      // The 预审 of a half-read scan whose recognition was cancelled says so (not that it waits for
      // an update that will not come by itself), and never that nothing was found.
      await page.getByRole('tab', { name: '预审' }).click();
      await expect
        .poll(() => page.getByTestId('pq-unread').textContent(), { timeout: 30_000 })
        .toMatch(/^文字识别已被取消，尚有 \d+ 页扫描件未识别。以下提示只依据已识别的页/);
      expect(await page.getByText('未发现需要提示的问题').count()).toBe(0);
      await screenshot(page, 'precheck-unread-1024');

      expect(seen.outside()).toEqual([]);
      expect(net.escapedByApp()).toEqual([]);
      expect(seen.problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);
});
