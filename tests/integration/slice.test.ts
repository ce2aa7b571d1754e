/**
 * The walking skeleton through the real back end: set up → campaign → import a PDF → annotate →
 * score → export the 案卷评查表 DOCX, which LibreOffice must convert to an A4 PDF.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GBT9704, mmToTwip } from '../../shared/core/gbt9704.js';
import { panelScorer, openTestBackend, scoreLicencesWithTable, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { convertWithLibreOffice, pdfFacts, renderFirstPage } from '../support/office.js';
import { dossierPdf, truncatedPdf } from '../support/pdf-fixtures.js';
import { outputDir } from '../support/temp.js';

let t: TestBackend;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let campaignId: string;

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  const campaign = await admin.call('campaign:create', { name: '2025年度行政执法案卷评查', year: 2025, issuingBody: '某某县司法局' });
  campaignId = campaign.id;
});
afterAll(() => t.close());

describe('walking skeleton', () => {
  it('assigns the bundled 行政许可 reference standard to licence files of a new campaign; the organiser may choose the 评分表 instead', async () => {
    const detail = await admin.call('campaign:get', { campaignId });
    expect(detail.standards.find((s) => s.caseType === 'license')?.standardName).toBe('行政许可案卷评查参考标准');
    await scoreLicencesWithTable(admin, campaignId);
    const chosen = await admin.call('campaign:get', { campaignId });
    expect(chosen.standards.find((s) => s.caseType === 'license')?.standardName).toBe('行政许可案卷评分表');
  });

  it('refuses a non-PDF and a damaged PDF with a Chinese reason, storing nothing', async () => {
    const notPdf = await stage(t.backend, admin, '清单.pdf', new TextEncoder().encode('案号,案件名称\n1,2'));
    const e1 = await admin.fail('dossier:importSingle', {
      campaignId,
      sourceId: notPdf,
      caseNumber: 'X1',
      unitName: '甲局',
      caseType: 'license',
    });
    expect(e1).toMatchObject({ code: 'unsupported_file', message: expect.stringContaining('不是 PDF 文件') });
    const broken = await stage(t.backend, admin, '损坏.pdf', await truncatedPdf());
    const e2 = await admin.fail('dossier:importSingle', {
      campaignId,
      sourceId: broken,
      caseNumber: 'X2',
      unitName: '甲局',
      caseType: 'license',
    });
    expect(e2.code).toBe('damaged_file');
    expect(e2.message).toMatch(/损坏|无法/);
    expect(await admin.call('case:list', { campaignId })).toEqual([]);
    const db = t.backend.db;
    expect(db.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM units').get()).toEqual({ n: 0 });
    const stored = fs.readdirSync(path.join(t.dir, 'files')).filter((f) => f !== '.tmp');
    expect(stored).toEqual([]);
  });

  it('imports, annotates, scores and exports', async () => {
    const bytes = await dossierPdf(4, '行政许可案卷');
    const sourceId = await stage(t.backend, admin, '01-行政许可决定书.pdf', bytes);
    const imported = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId,
      caseNumber: '某许〔2025〕7号',
      caseTitle: '某某公司食品经营许可',
      unitName: '某某县市场监督管理局',
      caseType: 'license',
    });
    expect(imported.documents).toHaveLength(1);
    const doc = imported.documents[0]!;
    expect(doc).toMatchObject({ pageCount: 4, hasText: true, title: '行政许可决定书', size: bytes.length });
    expect(fs.existsSync(path.join(t.dir, 'files', doc.sha256.slice(0, 2), doc.sha256))).toBe(true);
    // Each page's text is indexed for search (trigram FTS: Chinese substrings work).
    const hits = t.backend.db
      .prepare('SELECT page_index FROM page_text WHERE page_text MATCH ? AND document_id = ? ORDER BY page_index')
      .all('"案卷 第3页"', doc.id);
    expect(hits).toEqual([{ page_index: 2 }]);

    // The same bytes again for the same case are reported, not doubled.
    const again = await stage(t.backend, admin, '01-行政许可决定书.pdf', bytes);
    const dup = await admin.fail('dossier:importSingle', {
      campaignId,
      sourceId: again,
      caseNumber: '某许[2025]7号',
      unitName: '某某县市场监督管理局',
      caseType: 'license',
    });
    expect(dup.code).toBe('conflict');

    // Document bytes with HTTP Range through the capability URL.
    const opened = await admin.call('document:open', { documentId: doc.id });
    const ranged = await t.backend.handleBytes(new Request(`http://127.0.0.1${opened.url}`, { headers: { range: 'bytes=0-7' } }));
    expect(ranged!.status).toBe(206);
    expect(new TextDecoder().decode(await ranged!.arrayBuffer())).toBe('%PDF-1.7');

    // The campaign's 评查组长, assigned the file by the panel, marks and scores it.
    const scorer = await panelScorer(t.backend, admin, imported.id);
    const annotationId = crypto.randomUUID();
    const rect: [number, number, number, number] = [72, 730, 300, 750];
    await scorer.call('annotation:save', {
      documentId: doc.id,
      upserts: [{ id: annotationId, type: 'area', color: '#ff6666', pageIndex: 1, position: { rects: [rect] }, comment: '缺少负责人签名' }],
      deletes: [],
    });
    const [stored] = await admin.call('annotation:list', { documentId: doc.id });
    expect(stored).toMatchObject({
      id: annotationId,
      pageIndex: 1,
      position: { rects: [rect] },
      documentSha256: doc.sha256,
      authorName: '王组长',
    });

    const view = await scorer.call('sheet:start', { caseId: imported.id });
    expect(view.summary).toMatchObject({ total: 100, max: 100, grade: '优秀' });
    let revision = view.sheet.revision;
    // 12.5 "卷内材料有页号" is worth 1.5: deducting it in full can never take more than 1.5.
    const r1 = await scorer.call('sheet:answer', {
      sheetId: view.sheet.id,
      itemId: 'xk-12.5',
      answer: { status: 'deduct', comment: '卷内材料未编页号', evidence: [annotationId] },
      revision,
    });
    revision = r1.revision;
    expect(r1.summary).toMatchObject({ total: 98.5, grade: '优秀', problemCount: 1 });
    const r2 = await scorer.call('sheet:answer', {
      sheetId: view.sheet.id,
      itemId: 'xk-2',
      answer: { status: 'deduct', comment: '未一次性告知补正内容' },
      revision,
    });
    expect(r2.summary).toMatchObject({ total: 88.5, grade: '合格' });
    const stale = await scorer.fail('sheet:answer', { sheetId: view.sheet.id, itemId: 'xk-3', answer: { status: 'pass' }, revision });
    expect(stale.code).toBe('conflict');
    const na = await scorer.fail('sheet:answer', {
      sheetId: view.sheet.id,
      itemId: 'xk-1',
      answer: { status: 'na' },
      revision: r2.revision,
    });
    expect(na).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('不允许选择“不适用”') });

    const audit = t.backend.db.prepare("SELECT action FROM audit_log WHERE entity IN ('sheet','annotation','document') ORDER BY id").all();
    expect(audit.map((a) => (a as { action: string }).action)).toEqual([
      'document.import',
      'annotation.create',
      'sheet.create',
      'sheet.answer',
      'sheet.answer',
    ]);

    const out = await admin.call('export:caseSheet', { caseId: imported.id });
    expect(out.fileName).toMatch(/^案卷评查表-某某县市场监督管理局-某许〔2025〕7号-王组长\.docx$/);
    const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
    expect(response!.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const docx = Buffer.from(await response!.arrayBuffer());
    const dir = outputDir('slice');
    const docxPath = path.join(dir, 'case-sheet.docx');
    fs.writeFileSync(docxPath, docx);

    // GB/T 9704 page set-up, read back from the DOCX XML.
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    expect(xml).toContain('w:w="11906" w:h="16838"');
    expect(xml).toContain(`w:top="${mmToTwip(GBT9704.margin.topMm)}"`);
    expect(xml).toContain(`w:left="${mmToTwip(GBT9704.margin.leftMm)}"`);
    expect(xml).toContain('仿宋_GB2312');
    // The reason in 扣分理由, where it is in 佐证.
    expect(xml).toMatch(/扣[\d.]+分：卷内材料未编页号/);
    // 佐证 cites the page of the 案卷 (the file's name is in the case's own list).
    expect(xml).toContain('>第2页<');

    const pdf = convertWithLibreOffice(docxPath, dir);
    const facts = pdfFacts(pdf);
    expect(Math.round(facts.widthPt)).toBe(595);
    expect(Math.round(facts.heightPt)).toBe(842);
    expect(facts.pages).toBeGreaterThanOrEqual(1);
    expect(facts.pages).toBeLessThanOrEqual(4);
    expect(facts.text).toContain('案卷评查表');
    // Two items of the sheet answered: the 评查表 prints how far it is, not 88.5 分 · 合格.
    expect(facts.text).toContain('未评完');
    expect(facts.text).toMatch(/已评 2\/\d+ 项 · 已扣/);
    expect(facts.text).toContain('11.5 分');
    expect(facts.text).toContain('全部项目评定后给出');
    expect(facts.text).not.toContain('88.5');
    expect(facts.text).toMatch(/—\s*1\s*—/);
    const png = renderFirstPage(pdf);
    expect(fs.statSync(png).size).toBeGreaterThan(10_000);
    execFileSync('pdfinfo', [pdf]);
  });
});
