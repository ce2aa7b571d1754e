/**
 * The meeting room at the resolutions it has (1366×768, 1024×768): the lead opens a disputed file from
 * the case list and lands on its 合议; everything the panel decides on — the file, the evidence page,
 * each reviewer's score and grade, the provisional result, the first items in dispute — is on the one
 * screen without scrolling the page; J/K move between the disputed items after 只看分歧项; the agenda
 * starts with the files that wait for people, each marked with why, one line per file.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Answer } from '../../shared/scoring/scoring.js';
import { submitPassingRest } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { importCase, PANEL_PASSWORD, score, setupPanel, type Panel } from '../support/review-setup.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let panel: Panel;
const ids: Record<'disputed' | 'confirm' | 'whole', string> = { disputed: '', confirm: '', whole: '' };

const deduct = (comment: string, evidence?: string[]): Answer => ({ status: 'deduct', comment, ...(evidence ? { evidence } : {}) });

async function deliver(key: string, caseId: string, answers: Record<string, Answer>) {
  const s = await score(panel.users[key]!.client, caseId, answers);
  await submitPassingRest(panel.users[key]!.client, s.sheetId, s.revision);
}

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  panel = await setupPanel(fx.host.backend);
  const zhang = panel.users.zhang!.client;

  // 复核: 张三 finds six problems (one marked on page 2 of the file), 李四 two others.
  ids.disputed = await importCase(fx.host.backend, panel, '某许〔2025〕31号');
  const doc = (await zhang.call('case:get', { caseId: ids.disputed })).documents[0]!;
  const markId = crypto.randomUUID();
  await zhang.call('annotation:save', {
    documentId: doc.id,
    upserts: [{ id: markId, type: 'area', color: '#ff6b6b', pageIndex: 1, position: { rects: [[72, 600, 320, 700]] } }],
    deletes: [],
  });
  await deliver('zhang', ids.disputed, {
    'xk-1': deduct('对符合条件的申请未当场受理'),
    'xk-2': deduct('补正告知未一次性列明全部材料', [markId]),
    'xk-3': deduct('不予受理未说明理由'),
    'xk-4': deduct('受理决定超过五日'),
    'xk-6': deduct('实地核查仅一人'),
    'xk-9': deduct('收费未开具统一票据'),
  });
  await deliver('li', ids.disputed, { 'xk-10': deduct('无监督检查记录'), 'xk-11': deduct('送达超期') });
  // 组长确认: one item each, the same total.
  ids.confirm = await importCase(fx.host.backend, panel, '某许〔2025〕32号');
  await deliver('zhang', ids.confirm, { 'xk-12.1': deduct('一案多卷') });
  await deliver('li', ids.confirm, { 'xk-12.2': deduct('卷皮不规范') });
  // 集体评议: the lead sends it to the whole panel.
  ids.whole = await importCase(fx.host.backend, panel, '某许〔2025〕33号');
  await deliver('zhang', ids.whole, { 'xk-11': deduct('超期送达') });
  await deliver('li', ids.whole, { 'xk-1': deduct('受理不当'), 'xk-3': deduct('未说明理由') });
  const lead = panel.users.lead!.client;
  const routed = await lead.call('review:case', { caseId: ids.whole });
  await lead.call('review:route', { caseId: ids.whole, route: 'panel', assigneeId: null, revision: routed.revision });
}, 180_000);
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Where an element is on the screen (CSS pixels of the viewport). */
async function box(page: Page, selector: string, nth = 0): Promise<Box> {
  const b = (await page.locator(selector).nth(nth).boundingBox())!;
  return { top: b.y, bottom: b.y + b.height, left: b.x, right: b.x + b.width };
}

/** What the panel must see at this size, measured: inside the window, above the decision bar, no page scroll. */
async function measureReconcile(page: Page, width: number) {
  await page.setViewportSize({ width, height: 768 });
  await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
  await screenshot(page, `meeting-room-measure-${width}`);
  const main = await page.evaluate(() => {
    const m = document.querySelector('main')!;
    return { scroll: m.scrollHeight - m.clientHeight, doc: document.documentElement.scrollHeight - window.innerHeight };
  });
  expect(main).toEqual({ scroll: 0, doc: 0 });
  const footer = await box(page, '.reconcile-footer');
  expect(footer.bottom).toBeLessThanOrEqual(768);
  const seen = async (selector: string, nth = 0) => {
    const b = await box(page, selector, nth);
    expect(b.top, selector).toBeGreaterThanOrEqual(52);
    expect(b.bottom, selector).toBeLessThanOrEqual(footer.top);
    expect(b.right, selector).toBeLessThanOrEqual(width);
  };
  await seen('[data-testid="reconcile-file"]');
  await seen('[data-testid="evidence-pages"] a');
  expect(await page.locator('[data-testid="evidence-pages"] a').first().textContent()).toContain('第 2 页');
  for (const nth of [0, 1]) await seen('[data-testid="reviewer-score"]', nth);
  await seen('[data-testid="agreed-result"]');
  expect(await page.getByTestId('agreed-result').textContent()).toContain('暂定结果');
  // The disputed items listed at the top: at least the first five inside their card.
  const card = await box(page, '[data-testid="disputed-items"]');
  await seen('[data-testid="disputed-items"]');
  for (let i = 0; i < 5; i++) {
    const li = await box(page, '[data-testid="disputed-items"] li', i);
    expect(li.top, `disputed item ${i + 1} in the card`).toBeGreaterThanOrEqual(card.top);
    expect(li.bottom, `disputed item ${i + 1} in the card`).toBeLessThanOrEqual(card.bottom);
  }
  // The first five disputed rows of the table are in its box, which ends above the decision bar.
  const items = await box(page, '[data-testid="reconcile-items"]');
  expect(items.bottom).toBeLessThanOrEqual(footer.top);
  for (let i = 0; i < 5; i++) {
    const row = await box(page, 'tbody.differs', i);
    expect(row.top, `disputed row ${i + 1}`).toBeGreaterThanOrEqual(items.top);
    expect(row.bottom, `disputed row ${i + 1}`).toBeLessThanOrEqual(items.bottom);
  }
  return { items, footer };
}

describe('the meeting room at 1366×768 and 1024×768', () => {
  it('the lead lands on the 合议 of a disputed file; everything to decide on is on one screen; J/K after 只看分歧项', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await page.goto(fx.host.url);
    await page.getByLabel('登录名').fill('zhao');
    await page.getByLabel('密码').fill(PANEL_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();

    // From the case list: the flagged file he does not score opens on its 合议, not on "未分配".
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    await page.getByRole('link', { name: '某许〔2025〕31号' }).click();
    await page.locator('.reconcile-table').waitFor();
    expect(page.url()).toContain(`#/case/${ids.disputed}/reconcile`);
    expect(await page.getByTestId('reconcile-file').textContent()).toBe('合议 · 某许〔2025〕31号');
    expect(await page.getByText('未分配').count()).toBe(0);

    // 只看分歧项 by mouse, then J/K straight away: the focus stays where the keys work.
    await page.getByLabel('只看分歧项').check();
    await expect.poll(() => page.locator('.reconcile-table tbody[data-reconcile-item]').count()).toBe(8);
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('tbody.current').getAttribute('data-reconcile-item')).toBe('xk-1');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('tbody.current').getAttribute('data-reconcile-item')).toBe('xk-3');
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('tbody.current').getAttribute('data-reconcile-item')).toBe('xk-2');
    await page.locator('.reconcile-items').evaluate((el) => (el.scrollTop = 0));

    await measureReconcile(page, 1366);
    await screenshot(page, 'meeting-room-1-reconcile-1366');
    await measureReconcile(page, 1024);
    await screenshot(page, 'meeting-room-2-reconcile-1024');

    // The agenda starts with the files that wait for people, heaviest first, each saying why.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}/meeting`);
    const rows = page.locator('.agenda-list li');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((li) => li.map((l) => (l as HTMLElement).dataset.agendaCase))).toEqual([
      '某许〔2025〕33号',
      '某许〔2025〕31号',
      '某许〔2025〕32号',
    ]);
    expect(await rows.locator('.agenda-why').allTextContents()).toEqual(['集体评议', '复核', '组长确认']);
    // One line per file at 1366.
    const lineHeights = await rows.evaluateAll((li) => li.map((l) => l.querySelector('.agenda-case')!.getBoundingClientRect().height));
    for (const h of lineHeights) expect(h).toBeLessThan(30);
    // The 案号 is never cut; the unit and type give way.
    const numbers = await rows.evaluateAll((li) =>
      li.map((l) => l.querySelector('.agenda-case b')!).map((b) => b.scrollWidth - b.clientWidth),
    );
    expect(numbers).toEqual([0, 0, 0]);
    await expect.poll(() => page.getByTestId('projection').getAttribute('data-case-number')).toBe('某许〔2025〕33号');
    await screenshot(page, 'meeting-room-3-agenda-1366');

    // Moving on keeps the agenda; a file flagged afterwards is offered, and added with one click.
    await page.getByRole('button', { name: '下一项 →' }).click();
    await expect.poll(() => page.getByTestId('meeting-position').textContent()).toBe('2 / 3');
    const later = await importCase(fx.host.backend, panel, '某许〔2025〕34号');
    await deliver('zhang', later, { 'xk-6': deduct('未指派两名人员核查') });
    await deliver('li', later, {});
    const offer = page.locator('.agenda-awaiting');
    await expect.poll(() => offer.textContent()).toContain('另有 1 件待合议的案卷不在议程中（某许〔2025〕34号·复核）');
    await screenshot(page, 'meeting-room-4-agenda-offer');
    await offer.getByRole('button', { name: '全部加入' }).click();
    await page.getByRole('button', { name: '保存议程' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    await expect.poll(() => offer.count()).toBe(0);
    expect(await rows.locator('.agenda-why').allTextContents()).toEqual(['集体评议', '复核', '组长确认', '复核']);

    // The projector window at 1366×768: the file with its registered unit, the scores, the page.
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}/projector`);
    await expect.poll(() => page.getByTestId('projection').getAttribute('data-case-number')).toBe('某许〔2025〕31号');
    expect(await page.locator('.proj-sub').textContent()).toContain('某某县市场监督管理局');
    await page.getByTestId('projection-page').locator('canvas').waitFor();
    await screenshot(page, 'meeting-room-5-projector-1366');

    expect(seen.outside()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
    expect(net.escapedByApp()).toEqual([]);
  }, 180_000);
});
