/**
 * The 预审 tab in a real browser at 1366×768: an assigned reviewer opens a dossier with planted
 * defects, sees the machine's findings labelled as suggestions, jumps to a finding's page, takes one
 * (its item on the reviewer's own sheet is pre-filled with the finding's text, and saved only as the
 * reviewer's answer) and rejects another with a reason; the organiser runs the campaign again, exports
 * the overview and reads each rule's 采纳率 on the agreement screen. No request leaves loopback.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { ADMIN, setupAdmin, stage } from '../support/backend.js';
import { outputDir, tempDir } from '../support/temp.js';
import { dossierFixture, type DossierTruth } from '../support/dossiers/index.js';
import { OCR_ENGINE_KEY } from '../../electron/services/ocr/index.js';
import { OcrReader } from '../../electron/services/ocr/ocr-reader.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
let caseId: string;
let campaignId: string;
let truth: DossierTruth;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let reviewerId: string;
const REVIEWER = { username: 'zhang', displayName: '张三', password: 'Pingcha2025' };

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  const be = fx.host.backend;
  admin = await setupAdmin(be, 'seed');
  campaignId = (await admin.call('campaign:create', { name: '2025年度行政执法案卷评查', year: 2025, issuingBody: '清溪县司法局' })).id;
  const reviewer = await admin.call('user:create', { ...REVIEWER, role: 'reviewer', affiliation: '清溪县司法局' });
  await admin.call('panel:setMembers', { campaignId, userIds: [reviewer.id] });
  const file = await dossierFixture({ defects: ['service_receipt_unsigned', 'filing_after_investigation', 'prior_notice_missing'] });
  truth = file.truth;
  const detail = await admin.call('dossier:importSingle', {
    campaignId,
    sourceId: await stage(be, admin, truth.fileName, file.bytes),
    caseNumber: truth.caseNumber,
    caseTitle: truth.title,
    unitName: truth.unitName,
    caseType: 'penalty_general',
  });
  caseId = detail.id;
  reviewerId = reviewer.id;
  await admin.call('assignment:add', { caseId, reviewerId });
}, 180_000);

afterAll(async () => {
  await net?.close();
  await fx?.close();
});

/** A window at 1366×768 (a reviewer's laptop) with `who` logged in. */
async function logIn(who: { username: string; password: string }) {
  const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const seen = watch(context, fx.host.origin);
  const page = await context.newPage();
  await page.goto(fx.host.url);
  await page.getByLabel('登录名').fill(who.username);
  await page.getByLabel('密码', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  return { context, seen, page };
}

/** Nothing left loopback, and no console error, CSP violation or HTTP error was seen. */
async function closeClean(context: BrowserContext, seen: ReturnType<typeof watch>): Promise<void> {
  expect(seen.outside()).toEqual([]);
  expect(net.escapedByApp()).toEqual([]);
  expect(seen.problems).toEqual([]);
  await context.close();
}

describe('预审 tab', () => {
  it('shows machine findings, opens their pages, takes one into the sheet and rejects another', async () => {
    const { context, seen, page } = await logIn(REVIEWER);
    await page.goto(`${fx.host.origin}/#/case/${caseId}`);
    await page.getByRole('tab', { name: '预审' }).click();
    const findings = page.locator('.pq-finding');
    await findings.first().waitFor({ timeout: 30_000 });
    await expect.poll(() => findings.count()).toBe(3);
    await expect.poll(() => page.locator('.pq-machine').innerText()).toMatch(/机器预审提示.*不自动扣分/);
    const receipt = page.locator('.pq-finding[data-rule="service_receipt_unsigned"]');
    await expect.poll(() => receipt.innerText()).toMatch(/送达回证无受送达人签名/);
    // The item it relates to is named by the file's standard.
    await expect.poll(() => page.locator('.pq-item').allInnerTexts()).toContainEqual(expect.stringMatching(/^评查项 6\.3 /));
    await screenshot(page, 'precheck-panel-1366');

    // A page button opens that page in the reader.
    const receiptPage = truth.documents.find((d) => d.type === 'service_receipt')!.firstPage;
    await receipt.getByRole('button', { name: `打开第 ${receiptPage} 页` }).click();
    await expect.poll(() => page.getByLabel('页码', { exact: true }).inputValue()).toBe(String(receiptPage));

    // 采纳 of a 可能否决 finding asks first, naming what it does to the file's result; 暂不采纳 changes nothing.
    const veto = page.locator('.pq-finding[data-rule="prior_notice_missing"]');
    await veto.getByRole('button', { name: '采纳', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: '采纳可能否决的提示？' });
    await expect.poll(() => confirm.innerText()).toMatch(/否决[\s\S]*0 分、不合格/);
    await screenshot(page, 'precheck-veto-confirm-1366');
    await confirm.getByRole('button', { name: '暂不采纳' }).click();
    await expect.poll(() => veto.getByRole('button', { name: '采纳', exact: true }).isVisible()).toBe(true);

    // 采纳: the reviewer stays on the 预审 list, told inline what was filled in; the sheet has the item
    // pre-filled with the finding's text (no machine tag: it is the reviewer's own finding now).
    await receipt.getByRole('button', { name: '采纳', exact: true }).click();
    await expect.poll(() => receipt.locator('.pq-effect').innerText()).toMatch(/已在评查表第 6\.3 项预填扣分理由/);
    expect(await page.getByRole('tab', { name: '预审' }).getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'precheck-taken-inline-1366');
    await receipt.getByRole('button', { name: '查看评查表' }).click();
    const item = page.locator('.sheet-item[data-item-id="cfyb-6.3"]');
    await expect.poll(() => item.getByLabel('扣分理由').inputValue()).toMatch(/^送达回证（第\d+页）受送达人签名或盖章栏空白/);
    await expect.poll(() => item.getByLabel('问题位置').inputValue()).toBe(`第${receiptPage}页`);
    // Shown to the reviewer to confirm: the item is scrolled into the sheet's view.
    await expect
      .poll(async () => {
        const b = await item.boundingBox();
        return !!b && b.y > 0 && b.y < 768;
      })
      .toBe(true);
    await screenshot(page, 'precheck-taken-sheet-1366');
    const db = fx.host.backend.db;
    await expect
      .poll(
        () =>
          (
            db
              .prepare(
                "SELECT a.answer_json FROM sheet_answers a JOIN sheets s ON s.id = a.sheet_id WHERE s.case_id = ? AND a.item_id = 'cfyb-6.3'",
              )
              .get(caseId) as { answer_json: string } | undefined
          )?.answer_json ?? '',
      )
      .toMatch(/"status":"deduct"/);
    expect(
      (
        db
          .prepare(
            "SELECT decision FROM precheck_decisions d JOIN precheck_findings f ON f.id = d.finding_id WHERE f.rule = 'service_receipt_unsigned'",
          )
          .get() as { decision: string }
      ).decision,
    ).toBe('taken');

    // 采纳 marked the cited page: one mark on the 送达回证, linked to 6.3 and cited by its answer,
    // listed under 批注 and drawn on the page; the reader's toolbar stays one row.
    const marks = () =>
      db
        .prepare(
          "SELECT id, type, page_index, checklist_item_id, comment FROM annotations WHERE deleted_at IS NULL AND comment LIKE '【智能预审】%'",
        )
        .all() as Array<{ id: string; type: string; page_index: number; checklist_item_id: string | null; comment: string }>;
    await expect.poll(() => marks().length, { timeout: 10_000 }).toBe(1);
    const mark = marks()[0]!;
    expect(mark).toMatchObject({ page_index: receiptPage - 1, checklist_item_id: 'cfyb-6.3', type: 'area' });
    const answerOf = () =>
      (
        db
          .prepare(
            "SELECT a.answer_json FROM sheet_answers a JOIN sheets s ON s.id = a.sheet_id WHERE s.case_id = ? AND a.item_id = 'cfyb-6.3'",
          )
          .get(caseId) as { answer_json: string } | undefined
      )?.answer_json ?? null;
    await expect.poll(() => JSON.parse(answerOf() ?? '{}').evidence).toEqual([mark.id]);
    await page.getByRole('tab', { name: /^批注/ }).click();
    await expect.poll(() => page.locator('.ann-item').count()).toBe(1);
    await expect.poll(() => page.locator(`.pc-viewer-scroll [data-annotation-id="${mark.id}"]`).count()).toBeGreaterThan(0);
    // The 新批注关联 chip the 采纳 set sits on the tools' row (its long item ends in …), not a row of its own.
    const chip = (await page.locator('.item-chip').boundingBox())!;
    const tool = (await page.getByRole('button', { name: '高亮' }).boundingBox())!;
    expect(Math.abs(chip.y + chip.height / 2 - (tool.y + tool.height / 2))).toBeLessThan(8);
    // …and the toolbar's ? stays on that row too.
    const help = (await page.locator('.reader-toolbar button', { hasText: /^\?$/ }).first().boundingBox())!;
    expect(Math.abs(help.y + help.height / 2 - (tool.y + tool.height / 2))).toBeLessThan(8);
    await page.locator(`.ann-item[data-annotation-id="${mark.id}"]`).click();
    await screenshot(page, 'precheck-taken-mark-1366');

    // 撤销 puts the item back as it was before 采纳 (not yet scored) and takes the mark away; 不采纳
    // then leaves no deduction either. 采纳 again for what follows.
    await page.getByRole('tab', { name: '预审' }).click();
    await receipt.getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => receipt.getByRole('button', { name: '采纳', exact: true }).isVisible()).toBe(true);
    await expect.poll(answerOf).toBeNull();
    await expect.poll(() => marks().length).toBe(0);
    await receipt.getByRole('button', { name: '不采纳', exact: true }).click();
    await page.getByLabel('不采纳的理由').fill('回证背面有签收');
    await page.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => receipt.innerText()).toMatch(/已不采纳/);
    expect(answerOf()).toBeNull();
    await page.getByRole('tab', { name: '我的评查表' }).click();
    await expect.poll(() => page.getByTestId('sheet-progress').textContent()).toMatch(/已扣 0 分|已评 0\//);
    await screenshot(page, 'precheck-rejected-after-undo-1366');
    await page.getByRole('tab', { name: '预审' }).click();
    await receipt.getByRole('button', { name: '撤销' }).click();
    await receipt.getByRole('button', { name: '采纳', exact: true }).click();
    await expect.poll(() => marks().length).toBe(1);
    await expect.poll(() => JSON.parse(answerOf() ?? '{}').status).toBe('deduct');
    // Taken, then rejected straight after a reload (the sheet no longer remembers the 采纳): the
    // finding's own deduction still goes.
    await page.reload();
    await page.getByRole('tab', { name: '预审' }).click();
    await receipt.getByRole('button', { name: '撤销' }).click();
    await expect.poll(answerOf).toBeNull();
    await expect.poll(() => marks().length).toBe(0);
    await receipt.getByRole('button', { name: '采纳', exact: true }).click();
    await expect.poll(() => marks().length).toBe(1);

    // Ctrl+Z in the reader undoes the mark 采纳 drew: the 采纳 and the item's deduction stay (the
    // reviewer's own decision), the mark leaves the item's evidence, and the finding says its mark is
    // gone instead of claiming one; 重新标注 puts it back as the item's evidence.
    await expect.poll(() => receipt.locator('.pq-effect').innerText()).toMatch(/作了证据标注/);
    await page.keyboard.press('Control+z');
    await expect.poll(() => marks().length).toBe(0);
    const gone = receipt.getByTestId('pq-marks-gone');
    await expect.poll(() => gone.innerText()).toMatch(/页面上的证据标注已撤销；评查表中的扣分理由仍保留/);
    expect(await receipt.innerText()).not.toMatch(/作了证据标注/);
    await expect.poll(() => receipt.innerText()).toMatch(/已采纳/);
    await expect.poll(() => JSON.parse(answerOf() ?? '{}')).toMatchObject({ status: 'deduct', evidence: [] });
    await screenshot(page, 'precheck-mark-undone-1366');
    await gone.getByRole('button', { name: '重新标注' }).click();
    await expect.poll(() => marks().length).toBe(1);
    await expect.poll(() => JSON.parse(answerOf() ?? '{}').evidence).toEqual([marks()[0]!.id]);
    await expect.poll(() => gone.count()).toBe(0);
    // Redo after an undo brings the mark back the same way (no second mark, the notice goes).
    await page.keyboard.press('Control+z');
    await expect.poll(() => gone.count()).toBe(1);
    await page.keyboard.press('Control+y');
    await expect.poll(() => marks().length).toBe(1);
    await expect.poll(() => gone.count()).toBe(0);
    await expect.poll(() => JSON.parse(answerOf() ?? '{}').evidence).toEqual([marks()[0]!.id]);

    // 不采纳 with a reason, back on the 预审 tab.
    await page.getByRole('tab', { name: '预审' }).click();
    const early = page.locator('.pq-finding[data-rule="filing_after_investigation"]');
    await early.getByRole('button', { name: '不采纳', exact: true }).click();
    await page.getByLabel('不采纳的理由').fill('卷内有先行登记保存的说明');
    await page.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => early.innerText()).toMatch(/已不采纳[\s\S]*卷内有先行登记保存的说明/);
    await expect.poll(() => receipt.innerText()).toMatch(/已采纳/);
    // Rejecting changed no answer of the sheet.
    expect(
      (
        db.prepare('SELECT count(*) AS n FROM sheet_answers a JOIN sheets s ON s.id = a.sheet_id WHERE s.case_id = ?').get(caseId) as {
          n: number;
        }
      ).n,
    ).toBe(1);
    await screenshot(page, 'precheck-decided-1366');

    // Submitting names the finding still open: once submitted, it can no longer be decided.
    await page.getByRole('tab', { name: '我的评查表' }).click();
    await page.getByRole('button', { name: '提交评查表' }).click();
    const submit = page.getByRole('dialog', { name: '提交评查表' });
    await expect.poll(() => submit.getByTestId('precheck-open-note').textContent()).toMatch(/还有 1 条预审提示未处理/);
    // The dialog's buttons stay on the screen however many items it lists (its body scrolls).
    const submitButton = submit.getByRole('button', { name: /并提交|确认提交/ });
    const box = await submitButton.boundingBox();
    expect(box && box.y + box.height <= 768).toBe(true);
    await screenshot(page, 'precheck-submit-open-1366');
    await page.keyboard.press('Escape');
    await submit.waitFor({ state: 'detached' });

    await closeClean(context, seen);
  }, 180_000);

  it('lets the organiser run the campaign again and export the overview with each finding’s handling', async () => {
    const { context, seen, page } = await logIn(ADMIN);
    await page.goto(`${fx.host.origin}/#/campaign/${campaignId}`);
    const section = page.getByRole('region', { name: '智能预审' });
    await section.getByRole('button', { name: '全部重新预审' }).click();
    await page.getByText(/智能预审完成：1 \/ 1 卷，3 条提示/).waitFor({ timeout: 30_000 });
    await section.scrollIntoViewIfNeeded();
    // The card states the XLSX's figures.
    await expect
      .poll(() => section.getByTestId('precheck-summary').textContent())
      .toBe('已完整预审 1 / 1 卷；3 条提示；采纳 1 人次、不采纳 1 人次，未处理 1 条。');
    await screenshot(page, 'precheck-campaign-1366');
    const [dl] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: '导出预审概况（XLSX）' }).click()]);
    const file = path.join(outputDir('e2e'), 'precheck-overview.xlsx');
    await dl.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const body: string[][] = [];
    wb.getWorksheet('预审提示')!.eachRow((row, n) => n > 3 && body.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(body.map((r) => [r[1], r[3], r[8]]).sort()).toEqual([
      [truth.caseNumber, '先调查取证后立案', '张三：不采纳（卷内有先行登记保存的说明）'],
      [truth.caseNumber, '未事先告知', '未处理'],
      [truth.caseNumber, '送达回证无受送达人签名', '张三：采纳'],
    ]);
    // The agreement screen: each rule's 采纳率 as the panel measured it.
    await page.goto(`${fx.host.origin}/#/campaign/${campaignId}/review`);
    const rules = page.getByRole('region', { name: '智能预审规则采纳率' });
    await expect
      .poll(() => rules.locator('tr[data-rule="service_receipt_unsigned"]').innerText())
      .toMatch(/送达回证无受送达人签名\s+扣分\s+1\s+1\s+1\s+0\s+0\s+100%/);
    await expect.poll(() => rules.locator('tr[data-rule="filing_after_investigation"]').innerText()).toMatch(/0%$/);
    await rules.scrollIntoViewIfNeeded();
    await screenshot(page, 'precheck-agreement-1366');

    // A listed case whose PDF never came (缺卷) is counted apart, not as a file left unchecked.
    const be = fx.host.backend;
    const list = `案号,案件名称,执法单位,案件类型\n清市监处罚〔2025〕77号,${truth.title}（补报）,${truth.unitName},一般程序行政处罚`;
    const listId = await stage(be, admin, '补报清单.csv', new TextEncoder().encode(list));
    const layout = await admin.call('import:readList', { sourceId: listId });
    const { jobId } = await admin.call('import:start', {
      campaignId,
      sourceIds: [],
      list: { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping },
    });
    await be.services.jobs.wait(jobId);
    await page.goto(`${fx.host.origin}/#/campaign/${campaignId}`);
    await section.scrollIntoViewIfNeeded();
    await expect
      .poll(() => section.getByTestId('precheck-summary').textContent())
      .toBe('已完整预审 1 / 1 卷；3 条提示；缺卷 1 件（无案卷文件，未预审）；采纳 1 人次、不采纳 1 人次，未处理 1 条。');
    await screenshot(page, 'precheck-campaign-missing-1366');
    await closeClean(context, seen);
  }, 120_000);

  it('shows a 行政许可 file’s findings under the items of its 许可 standard, citing 行政许可法', async () => {
    const be = fx.host.backend;
    const license = await dossierFixture({ caseType: 'license', defects: ['service_receipt_unsigned'] });
    const detail = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId: await stage(be, admin, license.truth.fileName, license.bytes),
      caseNumber: license.truth.caseNumber,
      caseTitle: license.truth.title,
      unitName: license.truth.unitName,
      caseType: 'license',
    });
    await admin.call('assignment:add', { caseId: detail.id, reviewerId });
    const { context, seen, page } = await logIn(REVIEWER);
    await page.goto(`${fx.host.origin}/#/case/${detail.id}`);
    await page.getByRole('tab', { name: '预审' }).click();
    const receipt = page.locator('.pq-finding[data-rule="service_receipt_unsigned"]');
    await receipt.waitFor({ timeout: 30_000 });
    // Beside item 4.4 of the 行政许可案卷评查参考标准, not "no matching item" as a penalty item would be.
    await expect.poll(() => page.locator('.pq-item').allInnerTexts()).toContainEqual(expect.stringMatching(/^评查项 4\.4 准予许可的/));
    await expect.poll(() => receipt.innerText()).toMatch(/《中华人民共和国行政许可法》第四十四条/);
    expect(await receipt.innerText()).not.toMatch(/行政处罚法/);
    await screenshot(page, 'precheck-license-panel-1366');
    await closeClean(context, seen);
  }, 120_000);

  it('marks the OCR line a finding on a scanned page was read from when the reviewer takes it', async () => {
    const be = fx.host.backend;
    const scan = await dossierFixture({ seed: 2033, defects: ['service_receipt_unsigned'], scanned: true });
    const receiptPage = scan.truth.documents.find((d) => d.type === 'service_receipt')!.firstPage;
    // The offline engine reads the 送达回证 page of the scan; the other pages get their known text (the
    // engine reads a page in seconds on a quiet machine, far longer on a shared one).
    const dir = tempDir('pingcha-e2e-scan-');
    const file = path.join(dir.dir, scan.truth.fileName);
    fs.writeFileSync(file, scan.bytes);
    const reader = new OcrReader();
    const [read] = await reader.read(file, { pages: [receiptPage - 1] }).finally(() => reader.close());
    dir.cleanup();
    const line = read!.lines.find((l) => l.text.replace(/\s+/g, '').includes('受送达人签名或盖'))!;
    expect(line, read!.lines.map((l) => l.text).join('\n')).toBeDefined();
    const sha = createHash('sha256').update(scan.bytes).digest('hex');
    const insert = be.db.prepare(
      'INSERT INTO ocr_pages (sha256, page_index, engine, status, lines_json, mean_confidence, dpi, ms, read_at) VALUES (?, ?, ?, ?, ?, ?, 150, 1, ?)',
    );
    for (const pg of scan.truth.pages) {
      const lines =
        pg.page === receiptPage
          ? read!.lines
          : pg.text
              .split('\n')
              .filter((l) => l.trim())
              .map((text, i) => ({ text: text.trim(), box: [50, 800 - i * 20, 500, 815 - i * 20], confidence: 0.93 }));
      insert.run(
        sha,
        pg.page - 1,
        OCR_ENGINE_KEY,
        lines.length ? 'text' : 'blank',
        JSON.stringify(lines),
        lines.length ? 0.93 : null,
        new Date().toISOString(),
      );
    }
    const detail = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId: await stage(be, admin, scan.truth.fileName, scan.bytes),
      caseNumber: '清农罚〔2025〕98号',
      caseTitle: scan.truth.title,
      unitName: scan.truth.unitName,
      caseType: 'penalty_general',
    });
    expect(detail.documents[0]!.sha256).toBe(sha);
    await admin.call('assignment:add', { caseId: detail.id, reviewerId });

    const { context, seen, page } = await logIn(REVIEWER);
    await page.goto(`${fx.host.origin}/#/case/${detail.id}`);
    await page.getByRole('tab', { name: '预审' }).click();
    const receipt = page.locator('.pq-finding[data-rule="service_receipt_unsigned"]');
    await receipt.waitFor({ timeout: 30_000 });
    await receipt.getByRole('button', { name: `打开第 ${receiptPage} 页` }).click();
    await receipt.getByRole('button', { name: '采纳', exact: true }).click();
    const marks = () =>
      be.db
        .prepare(
          "SELECT id, type, page_index, position_json FROM annotations WHERE document_id = ? AND deleted_at IS NULL AND comment LIKE '【智能预审】%'",
        )
        .all(detail.documents[0]!.id) as Array<{ id: string; type: string; page_index: number; position_json: string }>;
    await expect.poll(() => marks().length, { timeout: 10_000 }).toBe(1);
    const mark = marks()[0]!;
    // An area on the line the engine read the empty signature box from, not a note in the page's corner.
    expect(mark).toMatchObject({ type: 'area', page_index: receiptPage - 1 });
    const [x0, y0, x1, y1] = line.box;
    expect(JSON.parse(mark.position_json).rects).toEqual([[x0 - 2, y0 - 2, x1 + 2, y1 + 2]]);
    const drawn = page.locator(`.pc-viewer-scroll [data-annotation-id="${mark.id}"]`).first();
    await drawn.waitFor({ timeout: 10_000 });
    await drawn.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'precheck-scan-taken-mark-1366');
    await closeClean(context, seen);
  }, 240_000);

  it('tells the reviewer of a half-read scan that recognition was cancelled and who can start it again', async () => {
    const be = fx.host.backend;
    const scan = await dossierFixture({ seed: 2031, defects: ['prior_notice_missing'], scanned: true });
    const detail = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId: await stage(be, admin, scan.truth.fileName, scan.bytes),
      caseNumber: '清农罚〔2025〕99号',
      caseTitle: scan.truth.title,
      unitName: scan.truth.unitName,
      caseType: 'penalty_general',
    });
    const reviewerId = (be.db.prepare('SELECT id FROM users WHERE username = ?').get(REVIEWER.username) as { id: string }).id;
    await admin.call('assignment:add', { caseId: detail.id, reviewerId });
    // OCR read the first half of the pages, then the organiser cancelled recognition.
    const half = Math.ceil(scan.truth.pages.length / 2);
    const insert = be.db.prepare(
      'INSERT INTO ocr_pages (sha256, page_index, engine, status, lines_json, mean_confidence, dpi, ms, read_at) VALUES (?, ?, ?, ?, ?, ?, 150, 1, ?)',
    );
    for (const pg of scan.truth.pages.slice(0, half)) {
      const lines = pg.text
        .split('\n')
        .filter((l) => l.trim())
        .map((text, i) => ({ text: text.trim(), box: [50, 800 - i * 20, 500, 815 - i * 20], confidence: 0.93 }));
      insert.run(
        detail.documents[0]!.sha256,
        pg.page - 1,
        OCR_ENGINE_KEY,
        lines.length ? 'text' : 'blank',
        JSON.stringify(lines),
        lines.length ? 0.93 : null,
        new Date().toISOString(),
      );
    }
    be.services.precheck.runCase(detail.id, null);
    await admin.call('ocr:cancel', { campaignId });

    const { context, seen, page } = await logIn(REVIEWER);
    await page.goto(`${fx.host.origin}/#/case/${detail.id}`);
    await page.getByRole('tab', { name: '预审' }).click();
    const notice = page.getByTestId('pq-unread');
    await expect
      .poll(() => notice.innerText(), { timeout: 30_000 })
      .toMatch(new RegExp(`^文字识别已被取消，尚有 ${scan.truth.pageCount - half} 页扫描件未识别。`));
    const said = await notice.innerText();
    expect(said).toMatch(/以下提示只依据已识别的页；缺失文书、页码、目录等检查待这些页识别后进行。/);
    expect(said).toMatch(/请联系组织者或主审在评查活动页点击“开始识别”/);
    // No count of "hidden" findings, and no promise of an update that will not come by itself.
    expect(said).not.toMatch(/另有 \d+ 条|待识别完成后更新/);
    expect(await notice.getByRole('button', { name: '开始识别' }).count()).toBe(0);
    await screenshot(page, 'precheck-ocr-cancelled-reviewer-1366');
    await closeClean(context, seen);

    const organiser = await logIn(ADMIN);
    await organiser.page.goto(`${fx.host.origin}/#/case/${detail.id}`);
    await organiser.page.getByRole('tab', { name: '预审' }).click();
    await organiser.page.getByTestId('pq-unread').getByRole('button', { name: '开始识别' }).waitFor({ timeout: 30_000 });
    await screenshot(organiser.page, 'precheck-ocr-cancelled-organiser-1366');
    await closeClean(organiser.context, organiser.seen);
  }, 240_000);
});
