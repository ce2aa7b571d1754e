/**
 * People and panel in a real browser through the loopback host: build a panel (one account created on the
 * people screen), draw with a witness seed, preview and apply the assignment, a reviewer in another
 * browser context sees only their files, and the meeting agenda runs with two windows following each
 * other (plus a conflicted member whose window hides the details) — and nothing leaves loopback.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, scoreLicencesWithTable, setupAdmin, stage, ADMIN } from '../support/backend.js';
import type { watch } from '../support/browser.js';
import { launchOffline, screenshot, startTestHost, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { openLoggedIn } from '../support/e2e-session.js';
import { createPeople, importPool, loginAs, PANEL, PASSWORD } from '../support/panel-fixtures.js';
import { outputDir } from '../support/temp.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let campaignId: string;
const contexts: Array<{ context: BrowserContext; seen: ReturnType<typeof watch> }> = [];

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  // The pool and most accounts come in through the real channels; the UI builds the rest.
  const admin = await setupAdmin(fx.host.backend, 'seed');
  campaignId = (await admin.call('campaign:create', { name: '2025年度行政执法案卷集中评查', year: 2025, issuingBody: '某某县司法局' })).id;
  await scoreLicencesWithTable(admin, campaignId);
  await importPool(fx.host.backend, admin, campaignId);
  await createPeople(
    admin,
    PANEL.filter((p) => p.username !== 'li'),
  );
});
afterAll(async () => {
  await net?.close();
  await fx?.close();
});

const open = (username: string, password: string): Promise<Page> => openLoggedIn(net.browser, fx.host, contexts, { username, password });

const seedClient = () => client(fx.host.backend, 'seed');
/** Windows follow through server-sent events; a background tab may be throttled, so allow a few seconds. */
const FOLLOW = { timeout: 10_000 } as const;

describe('panel, draw, assignment and meeting in the browser', () => {
  let admin: Page;

  it('refuses a wrong password in place, empties the box, and lets the right one in', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await page.goto(fx.host.url);
    await page.getByLabel('登录名').fill(ADMIN.username);
    await page.getByLabel('密码').fill('not-the-password1');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/密码/);
    expect(await page.getByLabel('密码').inputValue()).toBe('');
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: /退出登录/ }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await context.close();
  });

  it('creates an account on the people screen and builds the panel', async () => {
    admin = await open(ADMIN.username, ADMIN.password);
    // A new campaign is run by the organiser's own bureau; its year is the files' year, said so on the label.
    await admin.getByRole('button', { name: '＋ 新建评查活动' }).click();
    const create = admin.getByRole('dialog', { name: '新建评查活动' });
    expect(await create.getByLabel('评查机关').inputValue()).toBe(ADMIN.affiliation);
    await create.getByLabel('活动名称').fill('2024年度专项评查');
    expect(await create.getByLabel('评查年度（案卷所属年度）').inputValue()).toBe('2024');
    await admin.setViewportSize({ width: 1366, height: 768 });
    await screenshot(admin, 'panel-new-campaign');
    await admin.setViewportSize({ width: 1600, height: 1000 });
    await create.getByRole('button', { name: '取消' }).click();
    await admin.getByRole('link', { name: '人员' }).click();
    await admin.getByRole('button', { name: '＋ 新建账户' }).click();
    const dialog = admin.getByRole('dialog', { name: '新建账户' });
    await dialog.getByLabel('登录名').fill('li');
    await dialog.getByLabel('姓名').fill('李律师');
    await dialog.getByLabel('角色').selectOption('reviewer');
    await dialog.getByLabel('所在单位').fill('某某律师事务所');
    await dialog.getByLabel('法律专业人员（法制审核人员、律师等）').check();
    await dialog.getByLabel('初始密码').fill(PASSWORD);
    await dialog.getByLabel('确认密码').fill(PASSWORD);
    await dialog.getByRole('button', { name: '创建账户' }).click();
    await admin.locator('tr[data-username="li"]').getByText('法律专业').waitFor();
    await screenshot(admin, 'panel-people');

    await admin.getByRole('link', { name: '评查活动' }).click();
    await admin.getByRole('link', { name: /2025年度行政执法案卷集中评查/ }).click();
    await admin.getByRole('link', { name: '评查组与抽取' }).click();
    // Every screen of a campaign is under 评查活动 in the app bar.
    await expect
      .poll(() => admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '评查活动' }).getAttribute('aria-current'))
      .toBe('page');
    await expect.poll(() => admin.getByTestId('panel-count').textContent()).toBe('尚无成员');
    const form = admin.getByRole('form', { name: '分配参数' });
    expect(await form.getByLabel('每卷评查人数').inputValue()).toBe('1');
    await admin.getByRole('button', { name: '调整成员' }).click();
    const members = admin.getByRole('dialog', { name: '调整评查组成员' });
    for (const p of PANEL) await members.getByLabel(p.displayName).check();
    await members.getByRole('button', { name: '保存成员' }).click();
    await expect.poll(() => admin.locator('table[aria-label="评查组成员"] tbody tr').count()).toBe(PANEL.length);
    // One count, and the assignment's default follows the panel chosen after the screen opened.
    await expect
      .poll(() => admin.getByTestId('panel-count').textContent())
      .toMatch(new RegExp(`^${PANEL.length} 名成员，(均参加评查|其中 \\d+ 名参加评查)$`));
    await expect.poll(() => form.getByLabel('每卷评查人数').inputValue()).toBe('2');
    // The form's inputs sit on one line.
    const perFileBox = (await form.getByLabel('每卷评查人数').boundingBox())!;
    const seedBox = (await form.getByLabel('分配种子（可选）').boundingBox())!;
    expect(Math.abs(perFileBox.y - seedBox.y)).toBeLessThan(2);
    await admin.setViewportSize({ width: 1366, height: 768 });
    await form.scrollIntoViewIfNeeded();
    await screenshot(admin, 'panel-assign-defaults');
    await admin.setViewportSize({ width: 1600, height: 1000 });
    await expect.poll(() => admin.locator('tr[data-member="qian"]').textContent()).toContain('现所在单位：某某县公安局');
  });

  it('draws with a witness seed and prints the 抽取记录', async () => {
    // The county's case list names a licence whose PDF never came: registered without a file, never drawn.
    const seed = seedClient();
    const listId = await stage(
      fx.host.backend,
      seed,
      '案件清单.csv',
      new TextEncoder().encode('案号,案件名称,案件类型,被评查单位\n某公许〔2025〕99号,未报送案卷,行政许可,某某县公安局\n'),
    );
    const layout = await seed.call('import:readList', { sourceId: listId });
    const { jobId } = await seed.call('import:start', {
      campaignId,
      sourceIds: [],
      list: { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping },
      registerRowsWithoutFiles: true,
    });
    await fx.host.backend.services.jobs.wait(jobId);
    await admin.reload();
    await admin.getByRole('button', { name: '开始抽取…' }).click();
    const dialog = admin.getByRole('dialog', { name: '随机抽取' });
    await expect
      .poll(() => dialog.getByTestId('draw-dialog-without-document').textContent())
      .toContain('有 1 件案卷无案卷文件（某公许〔2025〕99号），不参加抽取');
    await dialog.getByLabel('每个单位每类抽取件数').fill('2');
    await dialog.getByLabel('见证人（可选）').fill('县检察院 陈某');
    await dialog.getByLabel('由见证人当场输入').check();
    await dialog.getByLabel('种子').fill('20250305');
    await dialog.getByRole('button', { name: '抽取并记录' }).click();
    await expect.poll(() => admin.getByTestId('draw-seed').textContent()).toBe('20250305');
    await expect.poll(() => admin.getByTestId('drawn-count').textContent()).toBe('9 件');
    await expect.poll(() => admin.getByTestId('draw-without-document').textContent()).toContain('某公许〔2025〕99号');
    await screenshot(admin, 'panel-draw-without-document');

    await admin.getByRole('button', { name: '复核抽取结果' }).click();
    await expect.poll(() => admin.getByRole('status').filter({ hasText: '完全一致' }).count()).toBe(1);
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('button', { name: '导出抽取记录（DOCX）' }).click(),
    ]);
    const saved = path.join(outputDir('e2e'), download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toBe('抽取记录-2025年度行政执法案卷集中评查-第1次.docx');
    expect(fs.readFileSync(saved).subarray(0, 2).toString()).toBe('PK');
  });

  it('previews the whole assignment, then applies it', async () => {
    const form = admin.getByRole('form', { name: '分配参数' });
    await form.getByLabel('每卷评查人数').fill('2');
    await form.getByLabel('分配种子（可选）').fill('分配-1');
    await form.getByLabel('每卷至少一名法律专业人员').check();
    await form.getByRole('button', { name: '预览分配' }).click();
    const preview = admin.getByLabel('分配预览');
    await preview.waitFor();
    await expect.poll(() => preview.textContent()).toContain('预览（尚未生效）：9 件案卷 × 每卷 2 人，种子 分配-1，每人 3 件');
    await expect.poll(() => preview.locator('table[aria-label="每人负担"] tbody tr').count()).toBe(6);
    expect(await preview.locator('.avoided').textContent()).toContain('钱警官 不评 某某县公安局（4 件）');
    expect(fx.host.backend.db.prepare('SELECT count(*) AS n FROM assignments').get()).toEqual({ n: 0 });
    await preview.scrollIntoViewIfNeeded();
    await screenshot(admin, 'panel-assignment-preview');
    await preview.getByRole('button', { name: '确认分配' }).click();
    await expect.poll(() => admin.locator('table[aria-label="当前分配"] tbody tr').count()).toBe(9);
    expect(fx.host.backend.db.prepare('SELECT count(*) AS n FROM assignments').get()).toEqual({ n: 18 });

    // A manual change is checked against 回避 too: the conflicted option is refused with the reason.
    const overview = await seedClient().call('assignment:list', { campaignId });
    const policeCase = (await seedClient().call('case:list', { campaignId })).find(
      (c) => c.unitName === '某某县公安局' && overview.cases.find((o) => o.caseId === c.id)?.drawn,
    )!;
    await admin.locator(`tr[data-case="${policeCase.caseNumber}"]`).getByLabel('添加评查人员').selectOption({ label: '钱警官（须回避）' });
    await expect
      .poll(() => admin.getByRole('alert').first().textContent())
      .toContain('钱警官须回避该案卷的被评查单位（现所在单位：某某县公安局）');
    await admin.locator('table[aria-label="当前分配"]').scrollIntoViewIfNeeded();
    await screenshot(admin, 'panel-draw-and-assignment');

    await admin.getByRole('link', { name: '2025年度行政执法案卷集中评查' }).click();
    // After a draw the list opens on the drawn files; 全部 shows the rest beside them.
    await expect.poll(() => admin.getByText('已抽中').count()).toBe(9);
    await expect.poll(() => admin.getByText('未抽中').count()).toBe(0);
    await admin.getByRole('group', { name: '抽取范围' }).getByRole('button', { name: '全部' }).click();
    await expect.poll(() => admin.getByText('未抽中').count()).toBe(7);
    await expect.poll(() => admin.locator('tbody').getByTestId('case-missing').count()).toBe(1);
    await screenshot(admin, 'panel-case-list-drawn');
    // The 案号 tells files apart: never cut, on a laptop or a 1024×768 projector.
    const cutNumbers = () =>
      admin.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('section[aria-label="案卷列表"] tbody td.col-number')]
          .filter((td) => td.scrollWidth > td.clientWidth + 1)
          .map((td) => td.textContent),
      );
    expect(await cutNumbers()).toEqual([]);
    const size = admin.viewportSize()!;
    await admin.setViewportSize({ width: 1024, height: 768 });
    await expect.poll(cutNumbers).toEqual([]);
    await screenshot(admin, 'panel-case-list-1024');
    // Showing only the drawn files, the 抽取 column gives way so the case name keeps several characters.
    await admin.getByRole('group', { name: '抽取范围' }).getByRole('button', { name: '已抽取' }).click();
    const nameWidth = () =>
      admin.evaluate(
        () => document.querySelector<HTMLElement>('section[aria-label="案卷列表"] tbody tr td:nth-child(2)')?.clientWidth ?? 0,
      );
    await expect.poll(nameWidth).toBeGreaterThanOrEqual(120);
    // Header and cells still line up: a hidden column hides its cells too.
    const misaligned = await admin.evaluate(() => {
      const table = document.querySelector('section[aria-label="案卷列表"] table')!;
      const lefts = (cells: NodeListOf<HTMLElement>) =>
        [...cells].filter((c) => c.offsetWidth > 0).map((c) => Math.round(c.getBoundingClientRect().left));
      return (
        JSON.stringify(lefts(table.querySelectorAll('thead th'))) !==
        JSON.stringify(lefts(table.querySelectorAll('tbody tr:first-child td')))
      );
    });
    expect(misaligned).toBe(false);
    await screenshot(admin, 'panel-case-list-1024-drawn');
    await admin.setViewportSize(size);
  });

  it('a reviewer in another browser context sees only their files', async () => {
    const overview = await seedClient().call('assignment:list', { campaignId });
    const liId = (await seedClient().call('user:directory', {})).find((u) => u.username === 'li')!.id;
    const mine = overview.cases.filter((c) => c.reviewers.some((r) => r.id === liId)).map((c) => c.caseId);
    const all = await seedClient().call('case:list', { campaignId });
    const li = await open('li', PASSWORD);
    await li.getByRole('link', { name: /2025年度行政执法案卷集中评查/ }).click();
    await expect.poll(() => li.locator('section[aria-label="案卷列表"] tbody tr').count()).toBe(mine.length);
    const shown = await li.locator('section[aria-label="案卷列表"] tbody tr td:first-child').allTextContents();
    expect(shown.sort()).toEqual(
      all
        .filter((c) => mine.includes(c.id))
        .map((c) => c.caseNumber)
        .sort(),
    );
    expect(await li.getByRole('link', { name: '评查组与抽取' }).count()).toBe(0);
    await screenshot(li, 'panel-reviewer-case-list');
    // Typing another file's address gives the reason, not the file.
    const other = all.find((c) => !mine.includes(c.id))!;
    await li.goto(`${fx.host.origin}/#/case/${other.id}`);
    await expect.poll(() => li.locator('.notice-error').first().textContent()).toBe('该案卷未分配给您，无权查看。');
  });

  it('runs the meeting agenda with two windows following each other', async () => {
    const list = await seedClient().call('case:list', { campaignId });
    const overview = await seedClient().call('assignment:list', { campaignId });
    const drawn = list.filter((c) => overview.cases.find((o) => o.caseId === c.id)?.drawn);
    const agenda = [
      drawn.find((c) => c.unitName === '某某县公安局')!,
      drawn.find((c) => c.unitName === '某某县市场监督管理局')!,
      drawn.find((c) => c.unitName === '某某县生态环境局')!,
    ];

    // The two reviewers of the second file have scored it (one deduction with evidence on page 2).
    const reviewers = overview.cases.find((o) => o.caseId === agenda[1]!.id)!.reviewers;
    const directory = await seedClient().call('user:directory', {});
    for (const [i, r] of reviewers.entries()) {
      const c = await loginAs(fx.host.backend, directory.find((u) => u.id === r.id)!.username, `score-${i}`);
      const sheet = await c.call('sheet:start', { caseId: agenda[1]!.id });
      if (i === 0) {
        const doc = (await c.call('case:get', { caseId: agenda[1]!.id })).documents[0]!;
        const id = crypto.randomUUID();
        await c.call('annotation:save', {
          documentId: doc.id,
          upserts: [{ id, type: 'area', color: '#e03131', pageIndex: 1, position: { rects: [[60, 700, 420, 770]] } }],
          deletes: [],
        });
        await c.call('sheet:answer', {
          sheetId: sheet.sheet.id,
          itemId: 'xk-2',
          answer: { status: 'deduct', comment: '未一次性告知补正内容', evidence: [id] },
          revision: sheet.sheet.revision,
        });
      } else {
        await c.call('sheet:answer', {
          sheetId: sheet.sheet.id,
          itemId: 'xk-12.5',
          answer: { status: 'deduct', comment: '卷内材料未编页号' },
          revision: sheet.sheet.revision,
        });
      }
    }

    await admin.getByRole('link', { name: '会议议程' }).click();
    for (const c of agenda) {
      await admin.getByLabel('添加到议程').selectOption({ label: `${c.caseNumber} · ${c.unitName}` });
      await admin.getByRole('button', { name: '添加', exact: true }).click();
    }
    await admin.getByRole('button', { name: '保存议程' }).click();
    await expect.poll(() => admin.getByTestId('meeting-position').textContent(), FOLLOW).toBe('1 / 3');

    // The projector: a second window of the same login.
    const projector = await admin.context().newPage();
    await projector.goto(`${fx.host.origin}/#/campaign/${campaignId}/projector`);
    await expect.poll(() => projector.getByTestId('projection').getAttribute('data-case-number'), FOLLOW).toBe(agenda[0]!.caseNumber);
    await expect
      .poll(() => projector.getByTestId('conflicted-members').textContent(), FOLLOW)
      .toContain('钱警官（现所在单位：某某县公安局）');
    await projector.locator('.page-image canvas').waitFor();

    // A conflicted member follows on their own laptop: no details for this file.
    const qian = await open('qian', PASSWORD);
    await qian.goto(`${fx.host.origin}/#/campaign/${campaignId}/projector`);
    await expect.poll(() => qian.locator('.proj-hidden').textContent(), FOLLOW).toContain('按回避规定，本卷详情不向您显示');
    expect(await qian.locator('.page-image').count()).toBe(0);
    await screenshot(qian, 'panel-projector-conflicted');

    // Next on the controller → the projector and the laptop follow.
    await admin.getByRole('button', { name: '下一项 →' }).click();
    await expect.poll(() => projector.getByTestId('projection-position').textContent(), FOLLOW).toBe('集体评议 · 第 2 / 3 项');
    await expect.poll(() => projector.getByTestId('projection').getAttribute('data-case-number'), FOLLOW).toBe(agenda[1]!.caseNumber);
    await expect.poll(() => qian.getByTestId('projection').getAttribute('data-case-number'), FOLLOW).toBe(agenda[1]!.caseNumber);
    await expect.poll(() => qian.locator('.proj-hidden').count(), FOLLOW).toBe(0);
    // Scores side by side and the evidence page with its mark.
    await expect
      .poll(() => projector.locator('.score-card .score-total').allTextContents(), FOLLOW)
      .toEqual(expect.arrayContaining(['90', '98.5']));
    await expect.poll(() => projector.locator('.page-image-sheet').getAttribute('data-page-number'), FOLLOW).toBe('2');
    await projector.locator('.page-mark').waitFor();
    await projector.locator('.page-image canvas').waitFor();
    await screenshot(projector, 'panel-projector');
    // The projector moves it on (a presenter's clicker sends PageDown) → the controller follows.
    await projector.keyboard.press('PageDown');
    await expect.poll(() => admin.getByTestId('meeting-position').textContent(), FOLLOW).toBe('3 / 3');
    await expect.poll(() => projector.getByTestId('projection').getAttribute('data-case-number'), FOLLOW).toBe(agenda[2]!.caseNumber);

    // Two screens pressing "previous" on the same revision move the agenda once.
    const before = (await seedClient().call('meeting:get', { campaignId })).revision;
    await Promise.all([admin.keyboard.press('ArrowLeft'), projector.keyboard.press('ArrowLeft')]);
    await expect.poll(async () => (await seedClient().call('meeting:get', { campaignId })).revision, FOLLOW).toBe(before + 1);
    const refused = async () =>
      (await admin.locator('.toast', { hasText: '议程已被其他屏幕更新' }).count()) +
      (await projector.locator('.toast', { hasText: '议程已被其他屏幕更新' }).count());
    await expect.poll(refused, FOLLOW).toBe(1);
    await expect.poll(() => admin.getByTestId('meeting-position').textContent(), FOLLOW).toBe('2 / 3');
    await expect.poll(() => projector.getByTestId('projection-position').textContent(), FOLLOW).toBe('集体评议 · 第 2 / 3 项');
    await screenshot(admin, 'panel-meeting-controller');
  });

  it('made no request outside loopback and no console error', async () => {
    for (const { seen } of contexts) {
      expect(seen.outside()).toEqual([]);
      expect(seen.problems).toEqual([]);
    }
    expect(net.escapedByApp()).toEqual([]);
    for (const { context } of contexts) await context.close();
  });
});
