/**
 * The pre-check in the product, on a real back end: a born-digital dossier with planted defects is
 * run as a job and its findings stored with the file and page they rest on; a scan is not checked
 * until OCR has read it, then its findings carry the recogniser's confidence; reviewers take or
 * reject findings blind to each other (audited, kept across runs); the campaign overview XLSX lists
 * every finding with how it was handled. Nothing here changes a score.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCR_ENGINE_KEY } from '../../electron/services/ocr/index.js';
import { CASE_TYPE_LABELS } from '../../shared/campaigns/case-types.js';
import { precheckSummaryParts } from '../../shared/precheck/summary.js';
import { ADMIN, client, stage, submitPassingRest, type TestBackend, openTestBackend } from '../support/backend.js';
import { dossierFixture, type DossierTruth } from '../support/dossiers/index.js';
import { rows } from '../support/packages.js';
import { setupPanel, type Panel } from '../support/review-setup.js';
import { tempDir } from '../support/temp.js';

const data = tempDir('pingcha-precheck-');
let t: TestBackend;
let p: Panel;
let born: { bytes: Uint8Array; truth: DossierTruth };
let scan: { bytes: Uint8Array; truth: DossierTruth };
let bornCase: string;
let bornDoc: string;
let scanCase: string;
let scanDoc: string;

async function importFile(
  file: { bytes: Uint8Array; truth: DossierTruth },
  caseNumber: string,
): Promise<{ caseId: string; documentId: string }> {
  const sourceId = await stage(t.backend, p.admin, file.truth.fileName, file.bytes);
  const detail = await p.admin.call('dossier:importSingle', {
    campaignId: p.campaignId,
    sourceId,
    caseNumber,
    caseTitle: file.truth.title,
    unitName: file.truth.unitName,
    caseType: 'penalty_general',
  });
  for (const key of ['zhang', 'li']) await p.admin.call('assignment:add', { caseId: detail.id, reviewerId: p.users[key]!.id });
  return { caseId: detail.id, documentId: detail.documents[0]!.id };
}

async function runAll(caseId?: string, force = false): Promise<void> {
  const { jobId } = await p.admin.call('precheck:run', { campaignId: p.campaignId, ...(caseId ? { caseId } : {}), force });
  const done = await t.backend.services.jobs.wait(jobId);
  expect(done.status).toBe('done');
}

beforeAll(async () => {
  t = openTestBackend(data.dir);
  p = await setupPanel(t.backend);
  born = await dossierFixture({ defects: ['service_receipt_unsigned', 'filing_after_investigation'] });
  scan = await dossierFixture({ seed: 2031, defects: ['prior_notice_missing'], scanned: true });
  ({ caseId: bornCase, documentId: bornDoc } = await importFile(born, born.truth.caseNumber));
  ({ caseId: scanCase, documentId: scanDoc } = await importFile(scan, '清农罚〔2025〕99号'));
}, 300_000);

afterAll(() => {
  t.backend.close();
  data.cleanup();
});

const pageOf = (truth: DossierTruth, type: string): number => truth.documents.find((d) => d.type === type)!.firstPage;

describe('pre-check as a job over the campaign', () => {
  it('stores each planted defect of a born-digital file with the file and page it rests on, and says a scan is not read yet', async () => {
    await runAll();
    const view = await p.users.zhang!.client.call('precheck:case', { caseId: bornCase });
    expect(view.run).toMatchObject({
      pages: born.truth.pageCount,
      pagesUnread: 0,
      caseNumber: born.truth.caseNumber,
      caseType: 'penalty_general',
    });
    expect(view.stale).toBe(false);
    expect(view.findings.map((f) => f.rule).sort()).toEqual(['filing_after_investigation', 'service_receipt_unsigned']);
    const unsigned = view.findings.find((f) => f.rule === 'service_receipt_unsigned')!;
    expect(unsigned.pages).toEqual([
      { documentId: bornDoc, pageIndex: pageOf(born.truth, 'service_receipt') - 1, casePage: pageOf(born.truth, 'service_receipt') },
    ]);
    expect(unsigned).toMatchObject({
      itemId: 'cfyb-6.3',
      severity: 'deduction',
      confidence: 1,
      decision: null,
      engine: expect.stringMatching(/^precheck@/),
    });
    expect(unsigned.message).toMatch(/送达回证/);
    const early = view.findings.find((f) => f.rule === 'filing_after_investigation')!;
    expect(early.pages.map((x) => x.casePage)).toContain(pageOf(born.truth, 'inquiry_record'));
    expect(Object.keys(early.facts)).toContain('立案');
    // The scan has no text yet: no finding is made up from empty pages.
    const scanned = await p.admin.call('precheck:case', { caseId: scanCase });
    expect(scanned.run).toMatchObject({ pages: scan.truth.pageCount, pagesUnread: scan.truth.pageCount });
    expect(scanned.findings).toEqual([]);
    // One audited run per file.
    expect(rows(t.backend, "SELECT count(*) AS n FROM audit_log WHERE action = 'precheck.run' AND entity_id = ?", bornCase)[0]!.n).toBe(1);
  });

  it('runs a scan again once OCR has read it, with the recogniser’s confidence on the finding', async () => {
    const sha = (await p.admin.call('case:get', { caseId: scanCase })).documents[0]!.sha256;
    // What a perfect OCR reads on every page (the engine itself is slow on a shared CPU; tests/integration/ocr.test.ts runs it).
    const insert = t.backend.db.prepare(
      'INSERT INTO ocr_pages (sha256, page_index, engine, status, lines_json, mean_confidence, dpi, ms, read_at) VALUES (?, ?, ?, ?, ?, ?, 150, 1, ?)',
    );
    const readPages = (pages: typeof scan.truth.pages): void => {
      for (const page of pages) {
        const lines = page.text
          .split('\n')
          .filter((l) => l.trim())
          .map((text, i) => ({ text: text.trim(), box: [50, 800 - i * 20, 500, 815 - i * 20], confidence: 0.93 }));
        insert.run(
          sha,
          page.page - 1,
          OCR_ENGINE_KEY,
          lines.length ? 'text' : 'blank',
          JSON.stringify(lines),
          lines.length ? 0.93 : null,
          new Date().toISOString(),
        );
      }
    };
    // Half read: what rests on the whole file (missing 文书, page numbers, the 目录) is withheld, not
    // flagged from the pages still waiting for recognition.
    const half = Math.ceil(scan.truth.pages.length / 2);
    const audited = (): number =>
      Number(rows(t.backend, "SELECT count(*) AS n FROM audit_log WHERE action = 'precheck.run' AND entity_id = ?", scanCase)[0]!.n);
    const auditedBefore = audited();
    // The workstation's own re-runs as OCR reads batch after batch are not a person's act: no 留痕 row
    // until the file's pre-check first covers every page.
    readPages(scan.truth.pages.slice(0, 2));
    t.backend.services.precheck.runCase(scanCase, null);
    readPages(scan.truth.pages.slice(2, half));
    t.backend.services.precheck.runCase(scanCase, null);
    expect(audited()).toBe(auditedBefore);
    const partial = await p.admin.call('precheck:case', { caseId: scanCase });
    expect(partial.run).toMatchObject({ pagesUnread: scan.truth.pageCount - half, caseType: 'penalty_general' });
    expect(partial.run!.findingsWithheld).toBeGreaterThan(0);
    expect(partial.ocrCancelled).toBe(false);
    expect(partial.findings.map((f) => f.rule)).toEqual([]);
    // The organiser cancels recognition: the file's 预审 says so rather than waiting forever.
    await p.admin.call('ocr:cancel', { campaignId: p.campaignId });
    expect((await p.users.zhang!.client.call('precheck:case', { caseId: scanCase })).ocrCancelled).toBe(true);
    const summary = await p.admin.call('precheck:summary', { campaignId: p.campaignId });
    expect(summary).toMatchObject({ files: 2, complete: 1, partial: 1, pagesUnread: scan.truth.pageCount - half });
    t.backend.db.prepare('DELETE FROM ocr_cancelled_campaigns').run();
    readPages(scan.truth.pages.slice(half));
    t.backend.services.precheck.runCase(scanCase, null);
    t.backend.services.precheck.runCase(scanCase, null);
    expect(audited()).toBe(auditedBefore + 1);
    const row = rows(
      t.backend,
      "SELECT actor_id, after_json FROM audit_log WHERE action = 'precheck.run' AND entity_id = ? ORDER BY id DESC",
      scanCase,
    )[0]!;
    expect(row.actor_id).toBeNull();
    expect(JSON.parse(row.after_json as string)).toMatchObject({ pagesUnread: 0, ruleset: expect.any(String) });

    await runAll(scanCase, true);
    const view = await p.admin.call('precheck:case', { caseId: scanCase });
    expect(view.run).toMatchObject({ pagesUnread: 0, findingsWithheld: 0 });
    const missing = view.findings.find((f) => f.rule === 'prior_notice_missing');
    expect(missing?.pages[0]).toMatchObject({ documentId: scanDoc, casePage: pageOf(scan.truth, 'decision') });
    expect(missing?.confidence).toBeCloseTo(0.93, 2);
    expect(view.findings.filter((f) => !(scan.truth.defects as string[]).includes(f.rule)).map((f) => f.rule)).toEqual([]);
  });

  it('runs only the files whose text changed unless told to run them all', async () => {
    const before = Number(rows(t.backend, "SELECT count(*) AS n FROM audit_log WHERE action = 'precheck.run'")[0]!.n);
    await runAll();
    expect(rows(t.backend, "SELECT count(*) AS n FROM audit_log WHERE action = 'precheck.run'")[0]!.n).toBe(before);
    await runAll(bornCase, true);
    expect(rows(t.backend, "SELECT count(*) AS n FROM audit_log WHERE action = 'precheck.run'")[0]!.n).toBe(before + 1);
  });
});

describe('reviewers take or reject findings', () => {
  it('keeps each reviewer’s decision to themselves, audited, and across a new run', async () => {
    const zhang = p.users.zhang!.client;
    const li = p.users.li!.client;
    const [unsigned, early] = ['service_receipt_unsigned', 'filing_after_investigation'].map((r) =>
      (async () => (await zhang.call('precheck:case', { caseId: bornCase })).findings.find((f) => f.rule === r)!)(),
    );
    const u = (await unsigned)!;
    const e = (await early)!;
    expect(await zhang.call('precheck:decide', { caseId: bornCase, findingId: u.id, decision: 'taken' })).toMatchObject({
      decision: 'taken',
      reason: '',
    });
    expect(
      await li.call('precheck:decide', { caseId: bornCase, findingId: u.id, decision: 'rejected', reason: '回证背面有签收' }),
    ).toMatchObject({ decision: 'rejected', reason: '回证背面有签收' });
    // Blind review: each sees their own decision only.
    expect((await zhang.call('precheck:case', { caseId: bornCase })).findings.find((f) => f.id === u.id)).toMatchObject({
      decision: 'taken',
      reason: '',
    });
    expect((await li.call('precheck:case', { caseId: bornCase })).findings.find((f) => f.id === u.id)).toMatchObject({
      decision: 'rejected',
      reason: '回证背面有签收',
    });
    expect((await li.call('precheck:case', { caseId: bornCase })).findings.find((f) => f.id === e.id)?.decision).toBeNull();
    const audit = rows(
      t.backend,
      "SELECT actor_id, after_json FROM audit_log WHERE action = 'precheck.decide' AND entity_id = ? ORDER BY id",
      u.id,
    );
    expect(audit.map((a) => a.actor_id)).toEqual([p.users.zhang!.id, p.users.li!.id]);
    expect(JSON.parse(audit[1]!.after_json as string)).toMatchObject({
      decision: 'rejected',
      reason: '回证背面有签收',
      itemId: 'cfyb-6.3',
    });
    // Reopened, then taken again; a forced run finds the same defect and keeps the id and the decision.
    await zhang.call('precheck:decide', { caseId: bornCase, findingId: e.id, decision: 'taken' });
    await zhang.call('precheck:decide', { caseId: bornCase, findingId: e.id, decision: null });
    await runAll(bornCase, true);
    const again = (await zhang.call('precheck:case', { caseId: bornCase })).findings;
    expect(again.find((f) => f.id === u.id)?.decision).toBe('taken');
    expect(again.find((f) => f.id === e.id)?.decision).toBeNull();
    // Nothing was scored: the decisions wrote no sheet.
    expect(rows(t.backend, 'SELECT count(*) AS n FROM sheets WHERE case_id = ?', bornCase)[0]!.n).toBe(0);
  });

  it('keeps a reviewer’s handling of the findings as it was once their sheet is submitted', async () => {
    const zhang = p.users.zhang!.client;
    const before = await zhang.call('precheck:case', { caseId: scanCase });
    expect(before.decidable).toBe(true);
    const finding = before.findings[0]!;
    await zhang.call('precheck:decide', { caseId: scanCase, findingId: finding.id, decision: 'rejected', reason: '已核对原件' });
    const sheet = await zhang.call('sheet:start', { caseId: scanCase });
    await submitPassingRest(zhang, sheet.sheet.id, sheet.sheet.revision);
    const after = await zhang.call('precheck:case', { caseId: scanCase });
    expect(after.decidable).toBe(false);
    expect(after.findings.find((f) => f.id === finding.id)).toMatchObject({ decision: 'rejected', reason: '已核对原件' });
    expect(await zhang.fail('precheck:decide', { caseId: scanCase, findingId: finding.id, decision: null })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/评查表已提交/),
    });
    // Another reviewer, still scoring, decides as before.
    expect((await p.users.li!.client.call('precheck:case', { caseId: scanCase })).decidable).toBe(true);
  });

  it('refuses a decision from an observer, on another file’s finding, and a reviewer not assigned the file', async () => {
    const u = (await p.admin.call('precheck:case', { caseId: bornCase })).findings[0]!;
    expect((await p.users.observer!.client.fail('precheck:decide', { caseId: bornCase, findingId: u.id, decision: 'taken' })).code).toBe(
      'forbidden',
    );
    expect((await p.users.zhang!.client.fail('precheck:decide', { caseId: scanCase, findingId: u.id, decision: 'taken' })).code).toBe(
      'not_found',
    );
    expect((await p.users.wang!.client.fail('precheck:case', { caseId: bornCase })).code).toBe('forbidden');
    expect((await p.users.zhang!.client.fail('precheck:run', { campaignId: p.campaignId })).code).toBe('forbidden');
  });
});

describe('the campaign overview', () => {
  it('exports every finding with unit, 案号, rule, page and how it was handled', async () => {
    const out = await p.users.observer!.client.call('precheck:export', { campaignId: p.campaignId });
    expect(out.fileName).toMatch(/^智能预审概况-.*\.xlsx$/);
    const res = await t.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res!.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('预审提示')!;
    expect(String(ws.getCell(2, 1).value)).toMatch(/机器预审提示，仅供评查人员参考/);
    // Both files have every page read by now: the count says fully checked, not merely run.
    expect(String(ws.getCell(2, 1).value)).toMatch(/已完整预审 2 \/ 2 卷/);
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([
      '被评查单位',
      '案号',
      '案卷名称',
      '规则',
      '提示类别',
      '页码',
      '参考标准项',
      '预审提示',
      '处理情况',
    ]);
    const body: string[][] = [];
    ws.eachRow((row, n) => {
      if (n > 3) body.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    const unsigned = body.find((r) => r[1] === born.truth.caseNumber && r[3] === '送达回证无受送达人签名')!;
    expect(unsigned[0]).toBe(born.truth.unitName);
    expect(unsigned[5]).toBe(`第${pageOf(born.truth, 'service_receipt')}页`);
    expect(unsigned[8]).toBe('张三：采纳；李四：不采纳（回证背面有签收）');
    expect(body.find((r) => r[1] === born.truth.caseNumber && r[3] === '先调查取证后立案')![8]).toBe('未处理');
    expect(body.some((r) => r[1] === '清农罚〔2025〕99号' && r[3] === '未事先告知')).toBe(true);
    const summary = wb.getWorksheet('按单位和规则汇总')!;
    const all: string[][] = [];
    summary.eachRow((row) => all.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    // The agreement screen's figures: per rule, how often the panel took its findings.
    const rules = await p.users.lead!.client.call('precheck:rules', { campaignId: p.campaignId });
    expect(rules.find((r) => r.rule === 'service_receipt_unsigned')).toMatchObject({
      unit: '（全部单位）',
      files: 1,
      findings: 1,
      taken: 1,
      rejected: 1,
      open: 0,
      takenShare: 0.5,
    });
    expect(rules.find((r) => r.rule === 'filing_after_investigation')).toMatchObject({ taken: 0, rejected: 0, open: 1, takenShare: null });
    expect((await p.users.zhang!.client.fail('precheck:rules', { campaignId: p.campaignId })).code).toBe('forbidden');
    // Case types as the files were registered.
    expect(all.find((r) => r[0] === '已预审案卷的案件类型')?.[1]).toBe(`${CASE_TYPE_LABELS.penalty_general} 2 卷`);
    // Headings over their own figures, each rule's row once (a rule met in one unit has no second
    // （全部单位） row repeating it), and one 合计 row.
    expect(all[0]).toEqual(['被评查单位', '规则', '涉及案卷', '提示数', '采纳（人次）', '不采纳（人次）', '未处理提示', '采纳率']);
    expect(all.find((r) => r[0] === born.truth.unitName && r[1] === '送达回证无受送达人签名')).toEqual([
      born.truth.unitName,
      '送达回证无受送达人签名',
      '1',
      '1',
      '1',
      '1',
      '0',
      '50%',
    ]);
    expect(all.filter((r) => r[1] === '送达回证无受送达人签名')).toHaveLength(1);
    expect(all.some((r) => r[0] === '（全部单位）')).toBe(false);
    const total = all.find((r) => r[0] === '合计')!;
    const sum = await p.admin.call('precheck:summary', { campaignId: p.campaignId });
    expect(total.slice(3, 7)).toEqual([sum.findings, sum.taken, sum.rejected, sum.open].map(String));
    expect(summary.getRow(2).getCell(3).alignment?.horizontal).toBe('center');
    expect(summary.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(String(ws.getCell(2, 1).value)).toContain(`${sum.findings} 条提示`);
  });

  it('counts a listed case without its PDF (缺卷) apart, not among the files checked', async () => {
    const before = await p.admin.call('precheck:summary', { campaignId: p.campaignId });
    // The unit's list names one more case whose file never came; the import registers it as 缺卷.
    const list = [
      '案号,案件名称,执法单位,案件类型',
      `清农罚〔2025〕77号,${born.truth.title}（补报）,${born.truth.unitName},一般程序行政处罚`,
    ].join('\n');
    const listId = await stage(t.backend, p.admin, '补报清单.csv', new TextEncoder().encode(list));
    const layout = await p.admin.call('import:readList', { sourceId: listId });
    const { jobId } = await p.admin.call('import:start', {
      campaignId: p.campaignId,
      sourceIds: [],
      list: { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping },
    });
    expect((await t.backend.services.jobs.wait(jobId)).status).toBe('done');
    const missing = (await p.admin.call('case:list', { campaignId: p.campaignId })).find((c) => c.caseNumber === '清农罚〔2025〕77号')!;
    expect(missing.documentCount).toBe(0);
    // Run over the whole campaign again: the 缺卷 case is not a file the job checks, nor one it counts.
    const { jobId: run } = await p.admin.call('precheck:run', { campaignId: p.campaignId, force: true });
    const done = await t.backend.services.jobs.wait(run);
    expect(done.total).toBe(before.files);
    const sum = await p.admin.call('precheck:summary', { campaignId: p.campaignId });
    expect(sum).toMatchObject({ files: before.files, complete: before.complete, missing: 1 });
    expect(precheckSummaryParts(sum)).toContain('缺卷 1 件（无案卷文件，未预审）');
    expect(precheckSummaryParts(sum)[0]).toBe(`已完整预审 ${before.complete} / ${before.files} 卷`);
    expect((await p.admin.call('precheck:case', { caseId: missing.id })).run).toBeNull();
  });
});

describe('running on its own in the app', () => {
  it('runs a file left unchecked when the workstation starts again, then each file an import adds; a cancelled run leaves files as they were', async () => {
    const dir = tempDir('pingcha-precheck-auto-');
    const quiet = openTestBackend(dir.dir);
    const admin = client(quiet.backend, 'admin');
    await admin.call('auth:setup', ADMIN);
    const campaignId = (await admin.call('campaign:create', { name: '2025年度行政执法案卷评查', year: 2025, issuingBody: '清溪县司法局' }))
      .id;
    const put = async (be: TestBackend, c: typeof admin, caseNumber: string) =>
      (
        await c.call('dossier:importSingle', {
          campaignId,
          sourceId: await stage(be.backend, c, born.truth.fileName, born.bytes),
          caseNumber,
          caseTitle: born.truth.title,
          unitName: born.truth.unitName,
          caseType: 'penalty_general',
        })
      ).id;
    const first = await put(quiet, admin, '清市监处罚〔2025〕71号');
    const runsOf = (be: TestBackend, id: string): number =>
      Number((be.backend.db.prepare('SELECT count(*) AS n FROM precheck_runs WHERE case_id = ?').get(id) as { n: number }).n);
    // A run cancelled before it reached the file leaves it unchecked.
    const { jobId } = await admin.call('precheck:run', { campaignId, force: true });
    await admin.call('job:cancel', { jobId });
    expect((await quiet.backend.services.jobs.wait(jobId)).status).toBe('cancelled');
    expect(runsOf(quiet, first)).toBe(0);
    quiet.backend.close();

    const app = openTestBackend(dir.dir, { precheck: { afterImport: true } });
    try {
      await expect.poll(() => runsOf(app, first), { timeout: 20_000, interval: 200 }).toBe(1);
      const again = client(app.backend, 'admin');
      await again.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
      const second = await put(app, again, '清市监处罚〔2025〕72号');
      await expect.poll(() => runsOf(app, second), { timeout: 20_000, interval: 200 }).toBe(1);
      const findings = (await again.call('precheck:case', { caseId: second })).findings.map((f) => f.rule).sort();
      expect(findings).toEqual(['filing_after_investigation', 'service_receipt_unsigned']);
      // Automatic runs are the workstation's, not a person's.
      expect(app.backend.db.prepare("SELECT actor_id FROM audit_log WHERE action = 'precheck.run' AND entity_id = ?").get(second)).toEqual({
        actor_id: null,
      });
    } finally {
      app.backend.close();
      dir.cleanup();
    }
  }, 120_000);
});
