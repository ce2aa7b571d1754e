/**
 * The statistics screen on the meeting room's projector (1366×768) and a small office screen
 * (1024×768) while files are still unsettled: long unit names marked （含暂定）（部分未定分）, a file
 * awaiting the panel, unscored files — nothing overflows the page sideways, the figures stay on one
 * line, the unit names read whole, and the note on provisional results is shown above the figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { stage, submitPassingRest } from '../support/backend.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { PANEL_PASSWORD, score, setupPanel, type Panel } from '../support/review-setup.js';
import type { Answer } from '../../shared/scoring/scoring.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let panel: Panel;

const UNITS = ['清溪县市场监督管理局', '清溪县交通运输局', '清溪县自然资源和规划局', '清溪县生态环境保护综合行政执法大队'];

async function importFile(caseNumber: string, unitName: string): Promise<string> {
  const sourceId = await stage(fx.host.backend, panel.admin, `${caseNumber}.pdf`, await dossierPdf(3, '行政许可案卷'));
  const detail = await panel.admin.call('dossier:importSingle', {
    campaignId: panel.campaignId,
    sourceId,
    caseNumber,
    caseTitle: '某某公司食品经营许可',
    unitName,
    caseType: 'license',
  });
  for (const key of ['zhang', 'li']) await panel.admin.call('assignment:add', { caseId: detail.id, reviewerId: panel.users[key]!.id });
  return detail.id;
}

/** One reviewer's delivered sheet: these answers, every other item 符合. */
async function deliver(who: string, caseId: string, answers: Record<string, Answer>): Promise<void> {
  const s = await score(panel.users[who]!.client, caseId, answers);
  await submitPassingRest(panel.users[who]!.client, s.sheetId, s.revision);
}

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  panel = await setupPanel(fx.host.backend);
  const deduct = (comment: string): Answer => ({ status: 'deduct', comment });
  for (const [u, unit] of UNITS.entries()) {
    // Each unit: one file settled by agreement, one the reviewers disagree on or leave unscored.
    const settled = await importFile(`清${u + 1}许〔2025〕1号`, unit);
    const issues: Record<string, Answer> =
      u % 2 ? { 'xk-12.5': deduct('卷内材料未编页号') } : { 'xk-4': deduct('受理决定超过法定期限5日作出') };
    for (const who of ['zhang', 'li']) await deliver(who, settled, issues);
    const second = await importFile(`清${u + 1}许〔2025〕2号`, unit);
    if (u === 0) {
      // 85 · 合格 against 100 · 优秀: no mean, the file awaits the panel (待合议).
      await deliver('zhang', second, { 'xk-5': deduct('未由一个部门统一受理并转告有关部门') });
      await deliver('li', second, {});
    }
    // One of its two reviewers delivered: the file is still 评分中, with no result (not even 暂定) to count.
    if (u === 1) await deliver('zhang', second, { 'xk-12.3': deduct('卷内目录未填写文件页码') });
    await importFile(`清${u + 1}许〔2025〕3号`, unit);
  }
}, 240_000);
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

describe('the statistics screen with files still unsettled', () => {
  for (const width of [1366, 1024]) {
    it(`fits ${width}×768: no sideways scroll, figures on one line, unit names whole`, async () => {
      const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width, height: 768 } });
      const seen = watch(context, fx.host.origin);
      const page = await context.newPage();
      await page.goto(fx.host.url);
      await page.getByLabel('登录名').fill('zhao');
      await page.getByLabel('密码').fill(PANEL_PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('button', { name: '退出登录' }).waitFor();
      await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}/stats`);
      const ranking = page.getByRole('region', { name: '单位排名' });
      await expect.poll(() => ranking.textContent(), { timeout: 30_000 }).toContain('（部分未定分）');
      expect(await ranking.textContent()).toContain('（含暂定）');
      const notice = page.getByTestId('stats-unsettled');
      await expect.poll(() => notice.textContent()).toContain('不计入平均分');
      // What the marks mean, both of them, above the figures.
      expect(await notice.textContent()).toContain('另有 7 件案卷尚未评分；排名中标“（部分未定分）”的单位');
      await screenshot(page, `statistics-unsettled-${width}`);

      const layout = await page.evaluate(() => {
        const doc = document.scrollingElement!;
        const overflowing = [...document.querySelectorAll<HTMLElement>('.page *')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
        /** How many lines an element's text takes. */
        const lines = (el: Element): number => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size;
        };
        // A figure in a card or a number cell that wraps reads as two numbers.
        const wrappedFigures = [...document.querySelectorAll('.stat-card .big, td.num, th')]
          .filter((el) => lines(el) > 1)
          .map((el) => el.textContent);
        const unitCells = [...document.querySelectorAll('[aria-label="单位排名"] tbody tr td:nth-child(2)')];
        // A unit name may wrap only between the name and its marks, never inside the name.
        const brokenNames = unitCells
          .filter((td) => {
            const name = td.querySelector('[data-testid="unit-name"]');
            return !name || lines(name) > 1;
          })
          .map((td) => td.textContent);
        const charts = [...document.querySelectorAll<HTMLImageElement>('.chart-grid figure img')].map((img) => ({
          w: img.getBoundingClientRect().width,
          fits: img.getBoundingClientRect().right <= (img.closest('figure')!.getBoundingClientRect().right as number) + 1,
        }));
        return {
          sideways: doc.scrollWidth > doc.clientWidth,
          overflowing,
          wrappedFigures,
          brokenNames,
          charts,
        };
      });
      expect(layout.sideways).toBe(false);
      expect(layout.overflowing).toEqual([]);
      expect(layout.wrappedFigures).toEqual([]);
      expect(layout.brokenNames).toEqual([]);
      expect(layout.charts.every((c) => c.fits && c.w > 250)).toBe(true);
      // The ranking chart names every unit in full; its marks are explained under it, not cut off.
      const svg = decodeURIComponent((await page.locator('.chart-grid figure img').first().getAttribute('src'))!);
      for (const unit of UNITS) expect(svg).toContain(unit);
      expect(svg).not.toContain('…');
      expect(svg).toContain('注：标“*”的单位得分含暂定结果；标“△”的单位部分案卷尚未定分。');
      // The page scrolled down shows the tables: looked at too.
      await page.getByRole('region', { name: '单位排名' }).scrollIntoViewIfNeeded();
      await screenshot(page, `statistics-unsettled-${width}-ranking`);
      expect(seen.outside()).toEqual([]);
      expect(seen.problems).toEqual([]);
      await context.close();
    }, 90_000);
  }
});
