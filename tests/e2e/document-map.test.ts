/**
 * The 文书 map in the reader, in a real browser through the loopback host, on realistic dossiers: a
 * born-digital 案卷 filed under a file name with a mistyped 案号 shows its 文书 (type, title, pages)
 * as the truth has them, opens them by click, highlights the one being read, checks the 卷内目录, and
 * names the file by its corrected 案号; a reload comes back to the page being read. A scanned 案卷 the
 * OCR is still reading lists its unread pages as such and fills in as pages are read, and a highlight
 * dragged from a table-cell gap on the scan takes the line it crosses, never another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { panelScorer, SCORER, setupAdmin, stage } from '../support/backend.js';
import { dossierFixture, type DossierTruth } from '../support/dossiers/index.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let born: { truth: DossierTruth; caseId: string; documentId: string };
let scan: { truth: DossierTruth; caseId: string; documentId: string };

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  const be = fx.host.backend;
  const seed = await setupAdmin(be, 'seed');
  const put = async (scanned: boolean, fixtureSeed: number, fileName: string) => {
    // One campaign each: the fixtures of one case type share their 案号.
    const campaignId = (
      await seed.call('campaign:create', { name: `2025年度行政执法案卷评查（${fixtureSeed}）`, year: 2025, issuingBody: '清溪县司法局' })
    ).id;
    const file = await dossierFixture({ scanned, seed: fixtureSeed, caseType: 'penalty_general' });
    const sourceId = await stage(be, seed, fileName, file.bytes);
    const detail = await seed.call('dossier:importSingle', {
      campaignId,
      sourceId,
      caseNumber: file.truth.caseNumber,
      caseTitle: file.truth.title,
      unitName: file.truth.unitName,
      caseType: 'penalty_general',
    });
    // The panel's 评查组长 reads and marks the file: only someone assigned to a file marks it.
    await panelScorer(be, seed, detail.id);
    return { truth: file.truth, caseId: detail.id, documentId: detail.documents[0]!.id };
  };
  // The county's file name carries a mistyped 案号; the case was matched (and corrected) by content.
  born = await put(false, 2031, '清交罚〔2024〕26号.pdf');
  scan = await put(true, 2025, '扫描件0031.pdf');
  expect(scan.caseId).not.toBe(born.caseId);
}, 240_000);

afterAll(async () => {
  await net?.close();
  await fx?.close();
});

async function logIn(page: Page): Promise<void> {
  await page.goto(fx.host.url);
  await page.getByLabel('登录名').fill(SCORER.username);
  await page.getByLabel('密码', { exact: true }).fill(SCORER.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

const atTop = (page: Page, n: number) =>
  page.evaluate((n) => {
    const el = document.querySelector(`.pdfViewer .page[data-page-number="${n}"]`);
    const view = document.querySelector('.pc-viewer-scroll')?.getBoundingClientRect();
    if (!el || !view) return false;
    const r = el.getBoundingClientRect();
    return r.top <= view.top + 40 && r.bottom > view.top + 40;
  }, n);

const range = (from: number, to: number) => (from === to ? `第 ${from} 页` : `第 ${from}–${to} 页`);

describe('the 文书 map in the reader', () => {
  it('lists a born-digital file’s 文书 as they are, opens and follows them, names the file by its 案号 and reopens on the page read', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    const { truth, caseId, documentId } = born;
    try {
      await logIn(page);
      await page.goto(`${fx.host.origin}/#/case/${encodeURIComponent(caseId)}`);
      await page.locator('.pdfViewer .page[data-page-number="1"] canvas').waitFor({ timeout: 60_000 });
      // The side panel starts folded at this width; 文件 names the file by its corrected 案号.
      await page.getByRole('button', { name: '侧栏', exact: true }).click();
      // A single file opens the side panel on its 文书 map.
      await page.locator('.docmap-item').first().waitFor();
      await page.getByRole('tab', { name: /^文件/ }).click();
      const files = page.getByRole('list', { name: '案卷文件' });
      await files.waitFor();
      expect(await files.locator('.doc-title').first().textContent()).toBe(truth.caseNumber);
      expect(await files.textContent()).toContain('原文件名：清交罚〔2024〕26号.pdf');
      await screenshot(page, 'docmap-files-1366');

      // 文书: every 文书 with its type and page range, as the truth has them.
      await page.getByRole('tab', { name: '文书' }).click();
      const items = page.locator('.docmap-item');
      await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(truth.documents.length);
      const metas = await page.locator('.docmap-item .docmap-meta').allTextContents();
      expect(metas.map((m) => m.split(' · ')[0])).toEqual(truth.documents.map((d) => range(d.firstPage, d.lastPage)));
      expect(await items.nth(truth.documents.findIndex((d) => d.type === 'decision')).textContent()).toContain('行政处罚决定书');
      // The file's own 卷内目录 is held against what is there.
      expect(await page.getByRole('region', { name: '卷内目录核对' }).textContent()).toMatch(/与卷内目录核对/);

      // A click opens the 文书's first page and marks it as the one being read.
      const decision = truth.documents.find((d) => d.type === 'decision')!;
      const decisionItem = items.nth(truth.documents.indexOf(decision));
      await decisionItem.click();
      await expect.poll(() => atTop(page, decision.firstPage), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => decisionItem.getAttribute('aria-current')).toBe('true');
      await screenshot(page, 'docmap-born-1366');

      // Reading on: the highlight follows the page into the next 文书.
      const inquiry = truth.documents.find((d) => d.type === 'inquiry_record' && d.lastPage > d.firstPage) ?? truth.documents[3]!;
      const inner = inquiry.lastPage;
      await page.keyboard.press('Control+g');
      await page.keyboard.type(String(inner));
      await page.keyboard.press('Enter');
      await expect.poll(() => atTop(page, inner), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => items.nth(truth.documents.indexOf(inquiry)).getAttribute('aria-current')).toBe('true');
      expect(await page.locator('.docmap-item[aria-current="true"]').count()).toBe(1);

      // A reload opens the same file at the same page, not page 1.
      await expect.poll(() => page.evaluate(() => location.hash), { timeout: 5_000 }).toContain(`page=${inner}`);
      expect(await page.evaluate(() => location.hash)).toContain(`doc=${encodeURIComponent(documentId)}`);
      await page.reload();
      await page.locator(`.pdfViewer .page[data-page-number="${inner}"] canvas`).waitFor({ timeout: 60_000 });
      await expect.poll(() => atTop(page, inner), { timeout: 10_000 }).toBe(true);
      await page.waitForTimeout(1_000);
      expect(await atTop(page, inner)).toBe(true);
      expect(await page.getByLabel('页码').inputValue()).toBe(String(inner));

      await page.setViewportSize({ width: 1024, height: 768 });
      await page.getByRole('tab', { name: '文书' }).click();
      await page.locator('.docmap-item[aria-current="true"]').waitFor();
      await screenshot(page, 'docmap-born-1024');

      expect(seen.outside()).toEqual([]);
      expect(net.escapedByApp()).toEqual([]);
      expect(seen.problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('shows a scan’s unread pages as such, fills in as OCR reads, and a drag from a cell gap highlights the line it crosses', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    const { truth, caseId, documentId } = scan;
    const filing = truth.documents.find((d) => d.type === 'filing_approval')!;
    try {
      await logIn(page);
      await page.goto(
        `${fx.host.origin}/#/case/${encodeURIComponent(caseId)}?doc=${encodeURIComponent(documentId)}&page=${filing.firstPage}`,
      );
      const pageDiv = page.locator(`.pdfViewer .page[data-page-number="${filing.firstPage}"]`);
      await pageDiv.locator('canvas').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: '侧栏', exact: true }).click();
      await page.getByRole('tab', { name: '文书' }).click();
      // The page in view is read first; the 文书 map names it while other pages wait for OCR.
      await pageDiv.locator('.pc-ocr-line').first().waitFor({ timeout: 300_000 });
      const current = page.locator('.docmap-item[aria-current="true"]');
      await expect.poll(() => current.textContent(), { timeout: 30_000 }).toContain('立案审批表');
      const note = page.locator('.docmap-note');
      await expect.poll(() => note.textContent()).toMatch(/另有 \d+ 页尚未识别/);
      const unreadBefore = Number(/另有 (\d+) 页/.exec((await note.textContent())!)![1]);
      expect(await page.locator('.docmap-item.unread').count()).toBeGreaterThan(0);
      // Nothing is called missing from the 卷内目录 while pages wait to be read.
      const check = page.getByRole('region', { name: '卷内目录核对' });
      if (await check.count()) {
        expect(await check.getByTestId('docmap-check-waiting').textContent()).toMatch(/尚未识别文字，全部识别后再与卷内目录核对/);
        expect(await check.locator('.docmap-issue').count()).toBe(0);
      }
      await screenshot(page, 'docmap-scan-partial-1366');
      // As OCR reads on, the map is read again and fewer pages wait.
      await expect
        .poll(async () => Number(/另有 (\d+) 页/.exec((await note.textContent()) ?? '')?.[1] ?? 0), { timeout: 300_000 })
        .toBeLessThan(unreadBefore);

      // A value cell of the form (案由, 当事人 …): a line with a label line level with it on its left.
      const target = await pageDiv.evaluate((el) => {
        const lines = [...el.querySelectorAll('.pc-ocr-line')].map((s) => ({ text: s.textContent ?? '', r: s.getBoundingClientRect() }));
        for (const b of lines) {
          if (b.text.replace(/\s+/g, '').length < 4) continue;
          const mid = (b.r.top + b.r.bottom) / 2;
          const label = lines.find((a) => a !== b && a.r.right < b.r.left - 12 && a.r.top < mid && a.r.bottom > mid);
          if (label) return { text: b.text, left: b.r.left, right: b.r.right, mid, label: label.text };
        }
        return null;
      });
      expect(target).not.toBeNull();
      await page.getByRole('button', { name: '高亮', exact: true }).click();
      // Pressed just left of the line, in the gap between the cells, and dragged along it.
      const gap = Math.floor(target!.left) - 2;
      expect(await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.className, [gap, target!.mid])).toBe('pc-ocr-text');
      await page.mouse.move(gap, target!.mid);
      await page.mouse.down();
      await page.mouse.move((target!.left + target!.right) / 2, target!.mid, { steps: 5 });
      await page.mouse.move(target!.right - 1, target!.mid, { steps: 5 });
      await page.mouse.up();
      const saved = () =>
        (
          fx.host.backend.db.prepare('SELECT selected_text FROM annotations WHERE document_id = ?').all(documentId) as Array<{
            selected_text: string | null;
          }>
        ).map((r) => (r.selected_text ?? '').replace(/\s+/g, ''));
      await expect.poll(saved, { timeout: 20_000 }).toHaveLength(1);
      const text = saved()[0]!;
      const wanted = target!.text.replace(/\s+/g, '');
      // The words of the line crossed (its last character may stay outside the drag), and nothing else.
      expect(wanted.startsWith(text)).toBe(true);
      expect(text.length).toBeGreaterThanOrEqual(wanted.length - 1);
      await pageDiv.locator('.pc-highlight').first().waitFor();
      await screenshot(page, 'docmap-scan-gap-highlight-1366');

      // The 批注 list names the page by the 案号 and the 文书, the county's file name only in the tooltip.
      await page.getByRole('tab', { name: /批注/ }).click();
      const where = page.locator('.ann-where').first();
      await expect
        .poll(() => where.textContent())
        .toMatch(new RegExp(`^${truth.caseNumber.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · .*立案.* · 第 ${filing.firstPage} 页$`));
      expect(await where.getAttribute('title')).toContain('原文件名：扫描件0031.pdf');
      await page.setViewportSize({ width: 1024, height: 768 });
      await screenshot(page, 'docmap-scan-annotations-1024');

      expect(seen.outside()).toEqual([]);
      expect(net.escapedByApp()).toEqual([]);
      expect(seen.problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 900_000);
});
