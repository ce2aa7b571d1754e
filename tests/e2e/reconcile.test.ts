/**
 * Two reviewers score the same file blind, in two browser contexts, and differently; the file is
 * flagged for 复核; the lead reconciles item by item in the side-by-side view and settles it; the
 * final grade shows in the campaign's case list. All through the loopback host, and offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Answer } from '../../shared/scoring/scoring.js';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { importCase, PANEL_PASSWORD, setupPanel, type Panel } from '../support/review-setup.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let panel: Panel;
let caseId: string;

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  panel = await setupPanel(fx.host.backend, { login: false });
  caseId = await importCase(fx.host.backend, panel, '某许〔2025〕7号');
});
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

interface Person {
  context: BrowserContext;
  page: Page;
  seen: ReturnType<typeof watch>;
}

async function loginAs(username: string): Promise<Person> {
  const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
  const seen = watch(context, fx.host.origin);
  const page = await context.newPage();
  await page.goto(fx.host.url);
  await page.getByLabel('登录名').fill(username);
  await page.getByLabel('密码').fill(PANEL_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  return { context, page, seen };
}

async function openCase(page: Page) {
  await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
  await page.getByRole('link', { name: '某许〔2025〕7号' }).click();
  await page.getByTestId('sheet-total').waitFor({ timeout: 30_000 });
  await page.locator('.page[data-page-number="1"] canvas').first().waitFor({ timeout: 30_000 });
}

/** The submit dialog: each 不适用 item decided 符合 one by one, then the plain rest passed at once. */
async function deliverRest(page: Page, decide: number, pass: number) {
  const decisions = page.locator('[data-decide-item]');
  await expect.poll(() => decisions.count()).toBe(decide);
  const bulk = page.getByRole('button', { name: `其余 ${pass} 项评为符合并提交` });
  expect(await bulk.isDisabled()).toBe(true);
  while (await decisions.count()) await decisions.first().getByRole('button', { name: '符合', exact: true }).click();
  await bulk.click();
}

const item = (page: Page, id: string) => page.locator(`.sheet-item[data-item-id="${id}"]`);
const sheetsOf = (username: string): number =>
  (
    fx.host.backend.db
      .prepare('SELECT count(*) AS n FROM sheets s JOIN users u ON u.id = s.reviewer_id WHERE u.username = ?')
      .get(username) as { n: number }
  ).n;
function storedAnswer(username: string, itemId: string): Answer | undefined {
  const row = fx.host.backend.db
    .prepare(
      'SELECT a.answer_json FROM sheet_answers a JOIN sheets s ON s.id = a.sheet_id JOIN users u ON u.id = s.reviewer_id WHERE u.username = ? AND a.item_id = ?',
    )
    .get(username, itemId) as { answer_json: string } | undefined;
  return row ? (JSON.parse(row.answer_json) as Answer) : undefined;
}

describe('blind scoring and reconciliation in the browser', () => {
  it('two reviewers disagree, the file is flagged, the lead reconciles, the list shows the final grade', async () => {
    const zhang = await loginAs('zhang');
    const li = await loginAs('li');

    // 张三, keyboard first: J to item 2, 1 to deduct, C to write the reason, Esc back to the items.
    // Opening the file starts nothing: no sheet, no score, until his first answer.
    await openCase(zhang.page);
    expect(await zhang.page.getByTestId('sheet-status').textContent()).toBe('未开始');
    expect(await zhang.page.getByTestId('sheet-total').textContent()).toContain('—');
    expect(await zhang.page.getByTestId('sheet-notice').textContent()).toBe('尚未开始评分：评定任一项目即建立您的评查表。');
    expect(sheetsOf('zhang')).toBe(0);
    await zhang.page.keyboard.press('j');
    await expect.poll(() => item(zhang.page, 'xk-2').getAttribute('aria-current')).toBe('true');
    await zhang.page.keyboard.press('1');
    await expect.poll(() => zhang.page.getByTestId('sheet-total').textContent()).toContain('已扣 10 分');
    await expect.poll(() => zhang.page.getByTestId('sheet-status').textContent()).toBe('评查中');
    expect(sheetsOf('zhang')).toBe(1);
    await zhang.page.keyboard.press('c');
    await zhang.page.keyboard.type('未一次性告知需补正的全部内容');
    await zhang.page.keyboard.press('Escape');
    // Item 12.5 by mouse; then a box drawn on the page while the item is current becomes its evidence.
    await item(zhang.page, 'xk-12.5').getByRole('button', { name: '扣分' }).click();
    await item(zhang.page, 'xk-12.5').getByLabel('扣分理由').fill('卷内材料未编页号');
    await zhang.page.getByRole('button', { name: '框选' }).click();
    const pb = (await zhang.page.locator('.page[data-page-number="1"] .pc-layer').boundingBox())!;
    await zhang.page.mouse.move(pb.x + pb.width * 0.1, pb.y + pb.height * 0.3);
    await zhang.page.mouse.down();
    await zhang.page.mouse.move(pb.x + pb.width * 0.5, pb.y + pb.height * 0.4, { steps: 8 });
    await zhang.page.mouse.up();
    await expect.poll(() => item(zhang.page, 'xk-12.5').locator('.evidence .badge').count()).toBe(1);
    await expect.poll(() => zhang.page.getByTestId('sheet-total').textContent()).toContain('已扣 11.5 分');
    const problems = zhang.page.getByRole('region', { name: '问题清单' });
    await expect.poll(() => problems.textContent()).toContain('未一次性告知需补正的全部内容');
    await expect.poll(() => problems.textContent()).toMatch(/第 12\.5 项.*卷内材料未编页号.*第1页/);
    // Saved as typed, without a save button: the whole reason, the evidence link.
    await expect.poll(() => storedAnswer('zhang', 'xk-2')?.comment).toBe('未一次性告知需补正的全部内容');
    await expect.poll(() => storedAnswer('zhang', 'xk-12.5')?.evidence?.length).toBe(1);
    await screenshot(zhang.page, 'reconcile-1-reviewer-sheet');

    // 李四 scores the same file differently; he cannot see 张三's score.
    await openCase(li.page);
    await item(li.page, 'xk-2').getByRole('button', { name: '扣分' }).click();
    await item(li.page, 'xk-2').getByLabel('扣分理由').fill('补正告知不全');
    await item(li.page, 'xk-5').getByRole('button', { name: '扣分' }).click();
    await item(li.page, 'xk-5').getByLabel('扣分理由').fill('两部门分别实施的许可未统一受理');
    await expect.poll(() => li.page.getByTestId('sheet-total').textContent()).toContain('已扣 25 分');

    // 张三 delivers: the 不适用 items decided one by one, the plain rest 符合 at once.
    await zhang.page.getByRole('button', { name: '提交评查表' }).click();
    await deliverRest(zhang.page, 3, 14);
    await expect.poll(() => zhang.page.getByTestId('sheet-status').textContent()).toBe('已提交');

    await li.page.getByRole('tab', { name: /评分概况/ }).click();
    const zhangRow = li.page.locator('tr[data-sheet-reviewer="张三"]');
    await expect.poll(() => zhangRow.textContent()).toContain('已提交');
    await expect.poll(() => zhangRow.textContent()).toContain('提交后可见');
    // Blind also for the marks: 张三's evidence box is not shown to 李四.
    expect(await li.page.locator('.pc-mark').count()).toBe(0);
    await screenshot(li.page, 'reconcile-2-blind-overview');
    await li.page.getByRole('tab', { name: '我的评查表' }).click();
    await li.page.getByRole('button', { name: '提交评查表' }).click();
    await deliverRest(li.page, 2, 15);
    await expect.poll(() => li.page.getByTestId('sheet-status').textContent()).toBe('已提交');
    await li.page.getByRole('tab', { name: /评分概况/ }).click();
    await expect.poll(() => zhangRow.textContent()).toContain('88.5 · 合格');
    await expect.poll(() => li.page.getByRole('list', { name: '分歧原因' }).textContent()).toContain('总分相差 13.5 分，超过 5 分');

    // The lead sees the flag in the case list and reconciles.
    const lead = await loginAs('zhao');
    await lead.page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    await expect.poll(() => lead.page.getByTestId('case-final').first().textContent()).toBe('待复核');
    await lead.page.goto(`${fx.host.origin}/#/case/${caseId}/reconcile`);
    const table = lead.page.locator('.reconcile-table');
    await table.waitFor();
    await expect.poll(() => lead.page.locator('tbody.differs').count()).toBe(2);
    // 张三's reason and evidence for 12.5 are one click away.
    const row125 = lead.page.locator('tbody[data-reconcile-item="xk-12.5"]');
    await row125.getByRole('button', { name: '理由与证据' }).click();
    await expect.poll(() => row125.locator('.answer-detail').first().textContent()).toContain('卷内材料未编页号');
    await expect.poll(() => row125.locator('.answer-detail a.badge').first().getAttribute('href')).toContain('page=1');
    await screenshot(lead.page, 'reconcile-3-side-by-side');

    // Keyboard (12.5 is current after the click above): K to the previous differing item (5),
    // adopt 李四's reading (2); J back to 12.5, adopt 张三's (1).
    await lead.page.locator('h1').click();
    await lead.page.keyboard.press('k');
    // The current row is unmistakable at a projector: a tinted band framed in the focus colour.
    const currentRow = lead.page.locator('tbody[aria-current="true"]');
    await expect.poll(() => currentRow.getAttribute('data-reconcile-item')).toBe('xk-5');
    const look = await currentRow
      .locator('td')
      .nth(1)
      .evaluate((td) => getComputedStyle(td));
    expect(look.backgroundColor).toBe('rgb(220, 232, 255)');
    expect(look.boxShadow).toContain('inset');
    await screenshot(lead.page, 'reconcile-3b-current-row');
    await lead.page.keyboard.press('2');
    await lead.page.keyboard.press('j');
    await lead.page.keyboard.press('1');
    await expect.poll(() => lead.page.getByTestId('agreed-total').textContent()).toBe('73.5');
    await expect.poll(() => lead.page.locator('.agreed-cell.undecided').count()).toBe(0);
    await lead.page.getByLabel('合议说明').fill('经复核：第5项采纳李四意见，第12.5项采纳张三意见');
    await lead.page.getByRole('button', { name: /确认定分（73\.5 分 · 合格）/ }).click();
    await expect.poll(() => lead.page.getByTestId('review-state').textContent()).toBe('已定分');
    await screenshot(lead.page, 'reconcile-4-settled');

    // The campaign list shows the final grade; the reviewers' sheets are final and unchanged.
    await lead.page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    await expect.poll(() => lead.page.getByTestId('case-final').first().textContent()).toBe('73.5 分 · 合格');
    await screenshot(lead.page, 'reconcile-5-campaign-list');
    // Agreement statistics over the campaign: one file, 19 items compared, 17 agreed.
    await lead.page.getByRole('link', { name: '分歧规则与评分一致性' }).click();
    await expect.poll(() => lead.page.getByTestId('overall-agree').textContent()).toBe('89.5%');
    await expect.poll(() => lead.page.locator('tr[data-rater="李四"]').textContent()).toContain('89.5%');
    await screenshot(lead.page, 'reconcile-6-agreement');
    await expect.poll(() => zhang.page.getByTestId('sheet-status').textContent()).toBe('已定分');
    await expect.poll(() => zhang.page.getByTestId('sheet-total').textContent()).toContain('88.5');
    expect(fx.host.backend.services.results.caseOutcome(caseId)).toMatchObject({ status: 'final', result: { total: 73.5, grade: '合格' } });
    await zhang.page.getByRole('tab', { name: /评分概况/ }).click();
    await expect.poll(() => zhang.page.getByTestId('final-result').textContent()).toContain('73.5');
    await screenshot(zhang.page, 'reconcile-7-reviewer-after-final');

    // The lead is not on this file's panel: he reads the settled file and its overview; no sheet is made for him.
    await lead.page.goto(`${fx.host.origin}/#/case/${caseId}`);
    await expect.poll(() => lead.page.getByTestId('sheet-notice').textContent()).toContain('您未被分配评查此案卷，仅可查阅。');
    await lead.page.locator('.page[data-page-number="1"] canvas').first().waitFor({ timeout: 30_000 });
    expect(await lead.page.locator('.sheet-item').count()).toBe(0);
    await screenshot(lead.page, 'reconcile-8-lead-reads-only');
    await lead.page.getByRole('button', { name: '查看评分概况' }).click();
    await expect.poll(() => lead.page.getByTestId('final-result').textContent()).toContain('73.5');
    expect(sheetsOf('zhao')).toBe(0);
    expect(
      fx.host.backend.services.results
        .caseOutcome(caseId)
        .sheets.map((s) => s.reviewerName)
        .sort(),
    ).toEqual(['张三', '李四'].sort());

    for (const p of [zhang, li, lead]) {
      expect(p.seen.outside()).toEqual([]);
      expect(p.seen.problems).toEqual([]);
      await p.context.close();
    }
    expect(net.escapedByApp()).toEqual([]);
  });
});
