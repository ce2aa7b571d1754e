/**
 * A reviewer scores a whole realistic file with the keyboard alone at 1366×768 (next/previous item,
 * 符合 / 扣分 / 不适用, reasons, linking and jumping to the evidence page, submit), a missing reason
 * is refused at its item; a second reviewer's "rest 符合" asks for every veto and 不适用 item; the
 * lead's reconciliation shows the provisional mean, both reviewers and the items in dispute; the
 * projector shows all of it on one screen at 1366×768 and 1024×768, measured by bounding boxes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { Answer } from '../../shared/scoring/scoring.js';
import { allItems, type ItemNode } from '../../shared/standards/tree.js';
import { ADMIN, stage } from '../support/backend.js';
import { launchOffline, screenshot, startTestHost, type HostFixture, type OffNetworkBrowser, type watch } from '../support/browser.js';
import { openLoggedIn } from '../support/e2e-session.js';
import { dossierFixture } from '../support/dossiers/index.js';
import { importCase, PANEL_PASSWORD, setupPanel, type Panel } from '../support/review-setup.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let panel: Panel;
let caseId: string;
let leadCaseId: string;
let vetoCaseId: string;
let markId: string;
let items: ItemNode[];

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  panel = await setupPanel(fx.host.backend, { login: false });
  const { bytes } = await dossierFixture({ seed: 2107, caseType: 'penalty_general' });
  const sourceId = await stage(fx.host.backend, panel.admin, '某市监罚〔2025〕21号.pdf', bytes);
  const detail = await panel.admin.call('dossier:importSingle', {
    campaignId: panel.campaignId,
    sourceId,
    caseNumber: '某市监罚〔2025〕21号',
    caseTitle: '某商贸公司销售过期食品案',
    unitName: '某某县市场监督管理局',
    caseType: 'penalty_general',
  });
  caseId = detail.id;
  for (const key of ['zhang', 'li']) await panel.admin.call('assignment:add', { caseId, reviewerId: panel.users[key]!.id });
  // The lead scores a file of his own too.
  leadCaseId = await importCase(fx.host.backend, panel, '某许〔2025〕9号', 'license', ['lead']);
  // 李四 finds a file whose 执法主体 fails: one veto decides it.
  vetoCaseId = await importCase(fx.host.backend, panel, '某市监罚〔2025〕33号', 'penalty_general', ['li']);
  const vetoDoc = fx.host.backend.db.prepare('SELECT id FROM documents WHERE case_id = ?').get(vetoCaseId) as { id: string };
  const liApi = (await import('../support/backend.js')).client(fx.host.backend, 'li-api');
  await liApi.call('auth:login', { username: 'li', password: PANEL_PASSWORD });
  await liApi.call('annotation:save', {
    documentId: vetoDoc.id,
    upserts: [
      {
        id: crypto.randomUUID(),
        type: 'area',
        color: '#ff6666',
        pageIndex: 0,
        position: { rects: [[72, 600, 400, 700]] },
        comment: '落款为内设机构',
      },
    ],
    deletes: [],
  });
  await liApi.call('auth:logout', {});
  // 张三 marked page 3 earlier (the mark he will link by keyboard).
  const zhang = (await import('../support/backend.js')).client(fx.host.backend, 'zhang-api');
  await zhang.call('auth:login', { username: 'zhang', password: PANEL_PASSWORD });
  const view = await zhang.call('sheet:open', { caseId });
  items = allItems(view.definition);
  markId = crypto.randomUUID();
  await zhang.call('annotation:save', {
    documentId: detail.documents[0]!.id,
    upserts: [
      {
        id: markId,
        type: 'area',
        color: '#ff6666',
        pageIndex: 2,
        position: { rects: [[72, 600, 400, 700]] },
        comment: '处罚决定书未载明救济途径',
      },
    ],
    deletes: [],
  });
  await zhang.call('auth:logout', {});
}, 240_000);
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

interface Person {
  context: BrowserContext;
  page: Page;
  seen: ReturnType<typeof watch>;
}

const contexts: Array<Omit<Person, 'page'>> = [];
async function loginAs(username: string, width: number, height: number): Promise<Person> {
  const page = await openLoggedIn(net.browser, fx.host, contexts, { username, password: PANEL_PASSWORD }, { width, height });
  return { ...contexts[contexts.length - 1]!, page };
}

function stored(username: string): Record<string, Answer> {
  const rows = fx.host.backend.db
    .prepare(
      'SELECT a.item_id, a.answer_json FROM sheet_answers a JOIN sheets s ON s.id = a.sheet_id JOIN users u ON u.id = s.reviewer_id WHERE u.username = ?',
    )
    .all(username) as Array<{ item_id: string; answer_json: string }>;
  return Object.fromEntries(rows.map((r) => [r.item_id, JSON.parse(r.answer_json) as Answer]));
}

type Box = { x: number; y: number; width: number; height: number };
async function boxOf(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error('element not shown');
  return b;
}
/** The whole box lies inside the viewport. */
async function inViewport(page: Page, l: Locator, what: string): Promise<void> {
  const b = await boxOf(l);
  const v = page.viewportSize()!;
  expect({ what, left: b.x >= 0, top: b.y >= 0, right: b.x + b.width <= v.width + 0.5, bottom: b.y + b.height <= v.height + 0.5 }).toEqual({
    what,
    left: true,
    top: true,
    right: true,
    bottom: true,
  });
}
const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
/** The text of an element is laid out on one line. */
const oneLine = (l: Locator): Promise<boolean> =>
  l.evaluate((el) => {
    const r = document.createRange();
    r.selectNodeContents(el);
    const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
    return tops.size === 1;
  });

const plain = (it: ItemNode) => it.rule.kind !== 'veto' && !it.notApplicable && it.points !== null;

describe('scoring by keyboard, reconciling and projecting at 1366×768 and 1024×768', () => {
  it('a whole file without the mouse; the rest-符合 step asks for each decision; the projector fits one screen', async () => {
    const deducted = items
      .filter(plain)
      .slice(0, 3)
      .map((it) => it.id);
    const [linked, forgotten] = [deducted[0]!, deducted[2]!];
    const naItem = items.find((it) => it.rule.kind !== 'veto' && it.notApplicable)?.id;
    expect(items.some((it) => it.rule.kind === 'veto')).toBe(true);

    const zhang = await loginAs('zhang', 1366, 768);
    // His campaign: his own workload, not the campaign's counts or the organiser's panels.
    await zhang.page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    await expect.poll(() => zhang.page.getByTestId('my-work').textContent()).toBe('我的案卷 1 件 · 已提交 0 件');
    expect(await zhang.page.getByRole('region', { name: '各类案卷的评查标准' }).count()).toBe(0);
    expect(await zhang.page.getByRole('heading', { name: /^被评查单位（/ }).count()).toBe(0);
    await screenshot(zhang.page, 'scoring-keyboard-0-my-work-1366');
    await zhang.page.goto(`${fx.host.origin}/#/case/${caseId}`);
    await zhang.page.getByTestId('sheet-total').waitFor({ timeout: 30_000 });
    await zhang.page.locator('.page[data-page-number="1"] canvas').first().waitFor({ timeout: 30_000 });
    await screenshot(zhang.page, 'scoring-keyboard-1-sheet-1366');
    // The sheet is usable at 1366×768: its items scroll on their own, the problem list folds, the page keeps its width.
    const body = zhang.page.locator('.sheet-body');
    expect(await body.evaluate((el) => el.clientHeight)).toBeGreaterThanOrEqual(300);
    expect(await body.evaluate((el) => el.scrollHeight > el.clientHeight && getComputedStyle(el).overflowY === 'auto')).toBe(true);
    const readerWidth = (await boxOf(zhang.page.locator('.reader'))).width;
    expect(readerWidth).toBeGreaterThanOrEqual(700);

    const key = (k: string) => zhang.page.keyboard.press(k);
    await key('k'); // onto the first item
    for (const [i, it] of items.entries()) {
      await expect.poll(() => zhang.page.locator(`.sheet-item[data-item-id="${it.id}"]`).getAttribute('aria-current')).toBe('true');
      if (deducted.includes(it.id)) {
        await key('1');
        if (it.id !== forgotten) {
          await key('c');
          await zhang.page.keyboard.type(`第${it.code}项：卷内文书不符合要求`);
          await key('Escape');
        }
        if (it.id === linked) {
          // From the item itself: the next mark in the file (]), link it (E).
          await key(']');
          await key('e');
          await expect.poll(() => zhang.page.locator(`.sheet-item[data-item-id="${it.id}"] .evidence .badge`).count()).toBe(1);
          // F6 to the file, a page back there, F6 back to the same item; G shows its evidence page.
          const focused = () =>
            zhang.page.evaluate(
              () =>
                document.activeElement?.closest('[data-item-id]')?.getAttribute('data-item-id') ??
                document.activeElement?.getAttribute('data-testid'),
            );
          await key('F6');
          await expect.poll(focused).toBe('pdf-container');
          await key('PageUp');
          await key('F6');
          await expect.poll(focused).toBe(it.id);
          await key('g');
          await expect.poll(() => zhang.page.getByLabel('页码').inputValue()).toBe('3');
        }
        if (i < items.length - 1) await key('j');
      } else if (it.id === naItem) await key('n');
      // 0 (符合) and N (不适用) finish the item: the cursor is on the next one without J.
      else await key('0');
    }
    await expect.poll(() => zhang.page.getByTestId('sheet-progress').textContent()).toBe(`已评 ${items.length}/${items.length}`);
    // S: refused at the item without its reason, with the cursor in that reason box.
    await key('s');
    const alert = zhang.page.locator(`.sheet-item[data-item-id="${forgotten}"]`).getByTestId('reason-missing');
    await expect.poll(() => alert.isVisible()).toBe(true);
    await expect
      .poll(() =>
        zhang.page.evaluate(
          () =>
            `${document.activeElement?.getAttribute('aria-label')} ${document.activeElement?.closest('[data-item-id]')?.getAttribute('data-item-id')}`,
        ),
      )
      .toBe(`扣分理由 ${forgotten}`);
    const errorToast = zhang.page.locator('.toast.error');
    await expect.poll(() => errorToast.textContent()).toContain('未填写理由');
    await screenshot(zhang.page, 'scoring-keyboard-2-reason-missing-1366');
    // The message sits in the strip below the screen, never over the reader or the sheet.
    const strip = await boxOf(zhang.page.getByTestId('toasts'));
    const screenBody = await boxOf(zhang.page.locator('.toast-frame-body'));
    expect(strip.y).toBeGreaterThanOrEqual(screenBody.y + screenBody.height - 1);
    await zhang.page.keyboard.type('送达回证缺受送达人签名');
    // The reason it asked for is written: the message goes at once, not when closed by hand.
    await expect.poll(() => errorToast.count()).toBe(0);
    await screenshot(zhang.page, 'scoring-keyboard-2b-reason-written-1366');
    // The reader's "新批注关联" pill keeps to one line (a long item ends in …, whole in its tooltip),
    // and its × stays inside it.
    const pill = zhang.page.getByTestId('item-chip-text');
    expect(await pill.evaluate((el) => el.scrollHeight <= el.clientHeight && el.getBoundingClientRect().height < 30)).toBe(true);
    expect(await zhang.page.locator('.item-chip').getAttribute('title')).toContain(String(await pill.textContent()).replace(/^关联：/, ''));
    const unlink = await boxOf(zhang.page.getByRole('button', { name: '不再关联评查项' }));
    const pillBox = await boxOf(zhang.page.locator('.item-chip'));
    expect(unlink.x + unlink.width).toBeLessThanOrEqual(pillBox.x + pillBox.width + 0.5);
    // …and the toolbar's ? stays on the pill's row rather than take a row of the reader.
    const help = await boxOf(zhang.page.locator('.reader-toolbar button', { hasText: /^\?$/ }).first());
    expect(Math.abs(help.y + help.height / 2 - (pillBox.y + pillBox.height / 2))).toBeLessThan(8);
    await key('Escape');
    await key('s');
    const confirm = zhang.page.getByRole('button', { name: '确认提交' });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(zhang.page, 'scoring-keyboard-3-confirm-1366');
    await key('Enter');
    await expect.poll(() => zhang.page.getByTestId('sheet-status').textContent()).toBe('已提交');
    // The submit succeeded: its earlier refusal is gone, the success says so.
    await expect.poll(() => errorToast.count()).toBe(0);
    await expect.poll(() => zhang.page.locator('.toast.ok').textContent()).toMatch(/^评查表已提交/);
    await expect.poll(() => zhang.page.getByTestId('sheet-progress').textContent()).toBe(`已评 ${items.length}/${items.length}`);
    const zs = stored('zhang');
    expect(Object.keys(zs).length).toBe(items.length);
    for (const it of items) {
      const a = zs[it.id]!;
      if (deducted.includes(it.id)) expect(a).toMatchObject({ status: 'deduct', comment: expect.stringMatching(/\S/) });
      else if (it.id === naItem) expect(a.status).toBe('na');
      else expect(a.status).toBe('pass');
    }
    expect(zs[linked]!.evidence).toEqual([markId]);
    expect(zs[forgotten]!.comment).toBe('送达回证缺受送达人签名');
    await zhang.page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    await expect.poll(() => zhang.page.getByTestId('my-work').textContent()).toBe('我的案卷 1 件 · 已提交 1 件');

    // 李四 deducts two other items and leaves the rest: the dialog asks for each veto and 不适用 item.
    const li = await loginAs('li', 1366, 768);
    await li.page.goto(`${fx.host.origin}/#/case/${caseId}`);
    await li.page.getByTestId('sheet-total').waitFor({ timeout: 30_000 });
    const liDeducts = items.filter(plain).slice(3, 5);
    for (const it of liDeducts) {
      const row = li.page.locator(`.sheet-item[data-item-id="${it.id}"]`);
      await row.getByRole('button', { name: '扣分', exact: true }).click();
      await row.getByLabel('扣分理由').fill(`第${it.code}项不规范`);
    }
    await li.page.getByRole('button', { name: '提交评查表' }).click();
    const decide = items.filter((it) => it.rule.kind === 'veto' || it.notApplicable);
    const rest = items.filter((it) => !decide.includes(it) && !liDeducts.includes(it));
    await expect.poll(() => li.page.locator('[data-decide-item]').count()).toBe(decide.length);
    expect(await li.page.getByTestId('bulk-pass-list').textContent()).toBe(
      `将评为符合的 ${rest.length} 项：第 ${rest.map((it) => it.code).join('、')} 项。`,
    );
    const bulk = li.page.getByRole('button', { name: `其余 ${rest.length} 项评为符合并提交` });
    expect(await bulk.isDisabled()).toBe(true);
    await screenshot(li.page, 'scoring-keyboard-4-decide-1366');
    for (let n = 0; n < decide.length; n++) {
      await expect.poll(() => li.page.evaluate(() => document.activeElement?.textContent)).toBe('符合');
      await li.page.keyboard.press('Enter');
      await expect.poll(() => li.page.locator('[data-decide-item]').count()).toBe(decide.length - n - 1);
    }
    await expect.poll(() => bulk.evaluate((el) => el === document.activeElement)).toBe(true);
    await li.page.keyboard.press('Enter');
    await expect.poll(() => li.page.getByTestId('sheet-status').textContent()).toBe('已提交');
    const audit = fx.host.backend.db
      .prepare("SELECT after_json FROM audit_log WHERE action = 'sheet.pass_remaining' ORDER BY id DESC LIMIT 1")
      .get() as { after_json: string };
    expect(JSON.parse(audit.after_json)).toEqual({ itemIds: rest.map((it) => it.id) });
    expect(Object.keys(stored('li')).length).toBe(items.length);

    // The lead: the provisional result is the mean, beside both reviewers and the items in dispute.
    const outcome = fx.host.backend.services.results.caseOutcome(caseId);
    const sheets = outcome.sheets;
    expect(sheets.length).toBe(2);
    const mean = Math.round(((sheets[0]!.total + sheets[1]!.total) / 2) * 100) / 100;
    expect(outcome.result!.total).toBe(mean);
    const differing = [...new Set([...deducted, ...liDeducts.map((it) => it.id), ...(naItem ? [naItem] : [])])];
    for (const [width, height] of [
      [1366, 768],
      [1024, 768],
    ] as const) {
      const lead = await loginAs('zhao', width, height);
      await lead.page.goto(`${fx.host.origin}/#/case/${caseId}/reconcile`);
      await lead.page.locator('.reconcile-table').waitFor();
      await expect.poll(() => lead.page.getByTestId('agreed-total').textContent()).toBe(String(mean));
      expect(await lead.page.getByTestId('agreed-result').textContent()).toContain('暂定结果（2 份评查表平均）');
      expect(await lead.page.locator('.summary-card:not(.agreed):not(.disputes)').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining('张三'), expect.stringContaining('李四')]),
      );
      expect(await lead.page.getByTestId('disputed-items').locator('li').count()).toBe(differing.length);
      for (const l of [lead.page.locator('.summary-strip'), lead.page.locator('h1')]) await inViewport(lead.page, l, `reconcile ${width}`);
      expect(await oneLine(lead.page.locator('.reconcile-table th', { hasText: '分值' }))).toBe(true);
      for (const cell of await lead.page.locator('.reconcile-table td.pts').all()) expect(await oneLine(cell)).toBe(true);
      await screenshot(lead.page, `scoring-keyboard-5-reconcile-${width}`);
      if (width === 1366) {
        // Having read another file's 评分概况, the lead opens his own file: he lands on his score sheet.
        await lead.page.goto(`${fx.host.origin}/#/case/${caseId}`);
        await lead.page.getByRole('button', { name: '查看评分概况' }).click();
        await expect.poll(() => lead.page.getByRole('tab', { name: '评分概况' }).getAttribute('aria-selected')).toBe('true');
        await lead.page.goto(`${fx.host.origin}/#/case/${leadCaseId}`);
        await expect.poll(() => lead.page.getByRole('tab', { name: '我的评查表' }).getAttribute('aria-selected')).toBe('true');
        await lead.page.getByTestId('sheet-total').waitFor();
        await screenshot(lead.page, 'scoring-keyboard-5b-lead-own-file-1366');
      }

      // The projector: file, evidence page, each reviewer's score and grade, the provisional result and the disputes on one screen.
      if (width === 1366) {
        const state = await panel.admin.call('meeting:get', { campaignId: panel.campaignId });
        await panel.admin.call('meeting:setAgenda', { campaignId: panel.campaignId, caseIds: [caseId], revision: state.revision });
      }
      await lead.page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}/projector`);
      const projection = lead.page.getByTestId('projection');
      await projection.waitFor();
      await lead.page.locator('.page-image-sheet canvas').waitFor({ timeout: 30_000 });
      await expect.poll(() => lead.page.getByTestId('projection-sheet').count()).toBe(2);
      await expect.poll(() => lead.page.getByTestId('projection-result').textContent()).toContain(String(mean));
      const disputeRows = lead.page.getByTestId('projection-disputes').locator('tbody tr');
      await expect.poll(() => disputeRows.count()).toBe(differing.length);
      const shown: Array<[Locator, string]> = [
        [lead.page.locator('.proj-case'), '案号'],
        [lead.page.locator('.page-image-sheet'), '证据页'],
        [lead.page.getByTestId('projection-result'), '暂定结果'],
        [lead.page.locator('.projector-keys'), '快捷键提示'],
      ];
      for (const card of await lead.page.getByTestId('projection-sheet').all()) shown.push([card, '评查人员评分']);
      for (const row of await disputeRows.all()) shown.push([row, '分歧项']);
      for (const [l, what] of shown) await inViewport(lead.page, l, `${what} ${width}×${height}`);
      expect(overlaps(await boxOf(lead.page.locator('.projector-keys')), await boxOf(lead.page.locator('.page-image')))).toBe(false);
      for (const cell of await lead.page.locator('.proj-disputes .pts').all()) expect(await oneLine(cell)).toBe(true);
      expect(await lead.page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight + 1)).toBe(true);
      await screenshot(lead.page, `scoring-keyboard-6-projector-${width}`);
      expect(lead.seen.outside()).toEqual([]);
      expect(lead.seen.problems).toEqual([]);
      await lead.context.close();
    }

    for (const p of [zhang, li]) {
      expect(p.seen.outside()).toEqual([]);
      expect(p.seen.problems).toEqual([]);
      await p.context.close();
    }
    expect(net.escapedByApp()).toEqual([]);
  });

  it('a vetoed sheet is submitted with its veto and reason alone; the dialog says why no other item is asked for', async () => {
    const li = await loginAs('li', 1366, 768);
    const page = li.page;
    await page.goto(`${fx.host.origin}/#/case/${vetoCaseId}`);
    await page.getByTestId('sheet-total').waitFor({ timeout: 30_000 });
    const sheetItems = await page.locator('.sheet-item').evaluateAll((els) => els.map((el) => el.getAttribute('data-item-id')));
    const vetoItem = items.find((it) => it.rule.kind === 'veto')!;
    const at = sheetItems.indexOf(vetoItem.id);
    expect(at).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('k');
    for (let n = 0; n < at; n++) await page.keyboard.press('j');
    await expect.poll(() => page.locator(`.sheet-item[data-item-id="${vetoItem.id}"]`).getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('x');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    // C (填写理由) and Enter after X only say "to the reason", where the cursor already is: nothing is typed.
    await page.keyboard.press('c');
    await page.keyboard.press('Enter');
    await page.keyboard.type('执法主体不适格：处罚决定以内设机构名义作出');
    expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement).value)).toBe(
      '执法主体不适格：处罚决定以内设机构名义作出',
    );
    await screenshot(page, 'scoring-keyboard-7-veto-reason-typed-1366');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('sheet-veto').count()).toBe(1);
    // 0 pressed once on the vetoed item does not wipe the veto: it says what a second press would undo.
    await page.keyboard.press('0');
    await expect.poll(() => page.locator('.toast.info').textContent()).toContain(`第 ${vetoItem.code} 项已评为否决`);
    expect(await page.getByTestId('sheet-veto').count()).toBe(1);
    await screenshot(page, 'scoring-keyboard-6b-zero-on-veto-asks-1366');
    // Her mark becomes the veto's evidence, then she deletes the mark: the citation goes with it.
    const chips = page.locator(`.sheet-item[data-item-id="${vetoItem.id}"] .evidence .badge`);
    await page.keyboard.press('Control+g');
    await page.keyboard.press('Escape');
    await page.keyboard.press(']');
    await page.keyboard.press('e');
    await expect.poll(() => chips.count()).toBe(1);
    // The 批注 panel at 1366: its filters and cards stay inside the panel (an item's long text included).
    await page.getByRole('tab', { name: /^批注/ }).click();
    const marks = page.locator('.ann-list');
    await marks.locator('.ann-item .badge').first().waitFor();
    const side = await boxOf(page.locator('.side'));
    const parts = [
      ...(await marks.locator('.ann-filters select').all()),
      ...(await marks.locator('.ann-item .badge, .ann-author, .ann-where').all()),
    ];
    expect(parts.length).toBeGreaterThanOrEqual(5);
    for (const l of parts) {
      const b = await boxOf(l);
      expect(b.x + b.width).toBeLessThanOrEqual(side.x + side.width + 0.5);
    }
    await screenshot(page, 'scoring-keyboard-7a-marks-panel-1366');
    // The shortcut help (?) is longer than the screen and opens at its top.
    await page.locator('.pc-viewer-scroll').focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: '阅读、批注与评分快捷键' });
    await help.waitFor();
    // Its body scrolls (title and buttons stay on the screen), and starts at the top.
    const helpBody = help.locator('.body');
    expect(await helpBody.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    expect(await helpBody.evaluate((el) => el.scrollTop)).toBe(0);
    await inViewport(page, help.getByRole('heading', { name: '阅读、批注与评分快捷键' }), 'shortcut help heading');
    await screenshot(page, 'scoring-keyboard-7b-shortcut-help-1366');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await page.getByRole('tab', { name: '我的评查表' }).click();
    await page.locator('.pc-viewer-scroll').focus();
    await page.keyboard.press(']');
    await page.keyboard.press('Delete');
    await expect.poll(() => chips.count()).toBe(0);
    await expect.poll(() => page.locator('.toast.ok').textContent()).toContain(`已删除批注，并从第 ${vetoItem.code} 项的证据中移除。`);
    expect(await page.getByText('已删除的批注').count()).toBe(0);
    await screenshot(page, 'scoring-keyboard-7c-mark-deleted-1366');
    await page.keyboard.press('s');
    const note = page.getByTestId('veto-submit-note');
    await note.waitFor();
    expect(await note.textContent()).toBe(
      `已否决第 ${vetoItem.code} 项，本案卷评为不合格。其余 ${items.length - 1} 项无须评定，提交时保持未评定。`,
    );
    // The sheet's head says the same, not "all answered".
    expect(await page.getByTestId('sheet-progress').textContent()).toBe(`已否决 · 其余 ${items.length - 1} 项无须评定`);
    expect(await page.locator('[data-decide-item]').count()).toBe(0);
    const confirm = page.getByRole('button', { name: '确认提交' });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'scoring-keyboard-7-veto-submit-1366');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('sheet-status').textContent()).toBe('已提交');
    const row = fx.host.backend.db
      .prepare(
        'SELECT s.status, count(a.item_id) AS answered FROM sheets s LEFT JOIN sheet_answers a ON a.sheet_id = s.id WHERE s.case_id = ? GROUP BY s.id',
      )
      .get(vetoCaseId) as { status: string; answered: number };
    expect(row).toEqual({ status: 'submitted', answered: 1 });
    expect(li.seen.problems).toEqual([]);
    await li.context.close();
  });

  it("the case list: the state filter speaks the rows' words with their counts, and every chip stays in its cell at 1366", async () => {
    const page = await openLoggedIn(
      net.browser,
      fx.host,
      contexts,
      { username: ADMIN.username, password: ADMIN.password },
      { width: 1366, height: 768 },
    );
    const admin = contexts[contexts.length - 1]!;
    await page.goto(`${fx.host.origin}/#/campaign/${panel.campaignId}`);
    const files = (
      fx.host.backend.db.prepare('SELECT count(*) AS n FROM cases WHERE campaign_id = ?').get(panel.campaignId) as { n: number }
    ).n;
    const cells = page.locator('.case-table [data-testid="case-final"]');
    await expect.poll(() => cells.count()).toBe(files);
    // What a row says, as the filter would name it (a settled file shows its score: 已定分; a named re-checker is dropped).
    const stageOf = (text: string) => (/ 分 · /.test(text) ? '已定分' : text.replace(/（.*）$/, ''));
    const shown = (await cells.allTextContents()).map(stageOf);
    const counts = new Map<string, number>();
    for (const s of shown) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect(counts.size).toBeGreaterThanOrEqual(2);
    const filter = page.getByLabel('评查状态');
    const options = await filter.locator('option').allTextContents();
    for (const label of ['未评分', '评分中', '待组长确认', '待复核', '待集体评议', '已定分'])
      expect(options.some((o) => o.startsWith(`${label}（`))).toBe(true);
    for (const [label, n] of counts) {
      expect(options).toContain(`${label}（${n}）`);
      await filter.selectOption({ label: `${label}（${n}）` });
      await expect.poll(async () => (await cells.allTextContents()).map(stageOf)).toEqual(Array<string>(n).fill(label));
      if (label.startsWith('待')) await screenshot(page, 'scoring-keyboard-8-case-list-filter-1366');
    }
    await filter.selectOption({ value: '' });
    await expect.poll(() => cells.count()).toBe(files);
    // Every chip of every row lies inside its cell.
    for (const chip of await page.locator('.case-table td .badge').all()) {
      const b = await boxOf(chip);
      const cell = await boxOf(chip.locator('xpath=ancestor::td[1]'));
      expect(b.x + b.width).toBeLessThanOrEqual(cell.x + cell.width + 0.5);
      // …and at 1366 shows its whole text (no …).
      expect(await chip.evaluate((el) => ({ text: el.textContent, whole: el.scrollWidth <= el.clientWidth }))).toMatchObject({
        whole: true,
      });
    }
    await screenshot(page, 'scoring-keyboard-8-case-list-1366');
    // The organiser scores nothing: his 我的评分 column has nothing missing to say (—, not 未评).
    expect(await page.locator('.case-table tbody td:nth-last-child(2)').allTextContents()).not.toContain('未评分');
    // After a draw the list opens on the drawn files; 全部 brings back the rest.
    await panel.admin.call('draw:run', { campaignId: panel.campaignId, perGroup: 1, grouping: 'unit', seed: '2025-1207-31' });
    const drawn = (
      fx.host.backend.db
        .prepare(
          'SELECT count(*) AS n FROM drawn_cases dc JOIN draws d ON d.id = dc.draw_id WHERE d.campaign_id = ? AND d.superseded_at IS NULL',
        )
        .get(panel.campaignId) as { n: number }
    ).n;
    expect(drawn).toBeLessThan(files);
    await page.reload();
    const drawnChip = page.getByRole('group', { name: '抽取范围' }).getByRole('button', { name: '已抽取' });
    await expect.poll(() => drawnChip.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => cells.count()).toBe(drawn);
    expect(await page.locator('.case-table td .badge', { hasText: '未抽中' }).count()).toBe(0);
    for (const chip of await page.locator('.case-table td .badge').all())
      expect(await chip.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // The case name keeps its words at 1366 (about ten characters, not three).
    expect((await boxOf(page.locator('.case-table thead th').nth(1))).width).toBeGreaterThanOrEqual(150);
    await screenshot(page, 'scoring-keyboard-8b-case-list-drawn-1366');
    await page.getByRole('group', { name: '抽取范围' }).getByRole('button', { name: '全部' }).click();
    await expect.poll(() => cells.count()).toBe(files);
    expect(admin.seen.problems).toEqual([]);
    await admin.context.close();
  });
});
