/**
 * The reader's back end against a real workspace: page-text search across a campaign (trigram index
 * and the LIKE fallback for short queries), renaming a dossier's files, the case-wide annotation
 * list, and the integrity check that flags a stored file whose bytes changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierDocument } from '../../shared/dossiers/dossier.js';
import ExcelJS from 'exceljs';
import { NOT_ASSIGNED, NOT_ASSIGNED_TO_MARK } from '../../electron/services/core/policy.js';
import { openTestBackend, panelScorer, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { importCase, setupPanel, type Panel } from '../support/review-setup.js';
import { chinesePdf, dossierPdf } from '../support/pdf-fixtures.js';

let t: TestBackend;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let campaignId: string;
let caseA: string;
let caseB: string;
let docs: DossierDocument[];

async function importDoc(name: string, bytes: Uint8Array, caseNumber: string, unitName: string) {
  const sourceId = await stage(t.backend, admin, name, bytes);
  return admin.call('dossier:importSingle', { campaignId, sourceId, caseNumber, unitName, caseType: 'penalty_general' });
}

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' })).id;
  await importDoc('01-立案审批表.pdf', await dossierPdf(5, '立案审批表'), '某罚〔2025〕1号', '甲县市场监督管理局');
  const a = await importDoc(
    '02-scan0002.pdf',
    await chinesePdf([{ lines: ['询问笔录', '被询问人：李某某 50%折扣_说明'] }, { lines: ['现场检查笔录', '检查人员：王五'] }]),
    '某罚〔2025〕1号',
    '甲县市场监督管理局',
  );
  caseA = a.id;
  docs = a.documents;
  caseB = (
    await importDoc(
      '01-处罚决定书.pdf',
      await chinesePdf([{ lines: ['行政处罚决定书', '当事人：某某商贸有限公司 询问笔录见附件'] }]),
      '某罚〔2025〕9号',
      '乙县城市管理局',
    )
  ).id;
});
afterAll(() => t.close());

describe('search across the campaign', () => {
  it('finds Chinese text on the right pages of every file, in dossier order, with context', async () => {
    const { hits, truncated } = await admin.call('search:pages', { campaignId, query: '询问笔录' });
    expect(truncated).toBe(false);
    // Cases in the order of the case list (unit, case number); within a case, files then pages: the
    // 5 pages of the 立案审批表 fixture all name 询问笔录, then the scan's page 1.
    expect(hits.map((h) => [h.caseId, h.documentTitle, h.pageIndex])).toEqual([
      [caseB, '处罚决定书', 0],
      ...[0, 1, 2, 3, 4].map((p) => [caseA, '立案审批表', p]),
      [caseA, 'scan0002', 0],
    ]);
    expect(hits[0]).toMatchObject({ caseNumber: '某罚〔2025〕9号', unitName: '乙县城市管理局', match: '询问笔录' });
    expect(hits[0]!.before).toContain('某某商贸有限公司');
  });

  it('restricts to one case and reports truncation', async () => {
    const inB = await admin.call('search:pages', { campaignId, caseId: caseB, query: '询问笔录' });
    expect(inB.hits.map((h) => h.caseId)).toEqual([caseB]);
    const few = await admin.call('search:pages', { campaignId, query: '询问笔录', limit: 2 });
    expect(few.hits).toHaveLength(2);
    expect(few.truncated).toBe(true);
  });

  it('answers one- and two-character queries through the LIKE fallback, treating % and _ literally', async () => {
    const two = await admin.call('search:pages', { campaignId, query: '王五' });
    expect(two.hits.map((h) => [h.documentTitle, h.pageIndex, h.match])).toEqual([['scan0002', 1, '王五']]);
    const one = await admin.call('search:pages', { campaignId, query: '%' });
    expect(one.hits.map((h) => h.documentTitle)).toEqual(['scan0002']);
    expect((await admin.call('search:pages', { campaignId, query: '_说' })).hits).toHaveLength(1);
    expect((await admin.call('search:pages', { campaignId, query: '没有这段文字' })).hits).toEqual([]);
  });

  it('finds a 案号 typed with 〔〕 where the page reads it with other brackets, as OCR often does', async () => {
    const scan = docs.find((d) => d.title === 'scan0002')!;
    // The text OCR stores for a scanned page (the index every search reads).
    t.backend.db
      .prepare('INSERT INTO page_texts (text, document_id, page_index) VALUES (?, ?, ?)')
      .run('清溪县城市管理局 行政处罚决定书 清城管罚（2025）8号', scan.id, 7);
    const { hits } = await admin.call('search:pages', { campaignId, query: '清城管罚〔2025〕8号' });
    expect(hits.map((h) => [h.documentId, h.pageIndex, h.match])).toEqual([[scan.id, 7, '清城管罚（2025）8号']]);
    expect((await admin.call('search:pages', { campaignId, query: '清城管罚[2025]8号' })).hits).toHaveLength(1);
  });

  it('refuses an empty query in Chinese', async () => {
    const e = await admin.fail('search:pages', { campaignId, query: '   ' });
    expect(e).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('请输入要检索的文字') });
  });
});

describe('the dossier', () => {
  it('renames a file (audited) and keeps its bytes', async () => {
    const scan = docs.find((d) => d.title === 'scan0002')!;
    const renamed = await admin.call('document:rename', { documentId: scan.id, title: ' 询问笔录 ' });
    expect(renamed).toMatchObject({ id: scan.id, title: '询问笔录', fileName: '02-scan0002.pdf', sha256: scan.sha256 });
    expect((await admin.call('case:get', { caseId: caseA })).documents.map((d) => d.title)).toEqual(['立案审批表', '询问笔录']);
    const audit = t.backend.db.prepare("SELECT before_json, after_json FROM audit_log WHERE action = 'document.rename'").all();
    expect(audit).toEqual([{ before_json: '{"title":"scan0002"}', after_json: '{"title":"询问笔录"}' }]);
    const e = await admin.fail('document:rename', { documentId: scan.id, title: '' });
    expect(e.message).toContain('请填写文件名称');
    // Search shows the new name.
    expect((await admin.call('search:pages', { campaignId, query: '王五' })).hits[0]!.documentTitle).toBe('询问笔录');
  });

  it('lists the annotations of every file of a case in dossier order', async () => {
    const [first, second] = docs;
    const mark = (pageIndex: number, top: number) => ({
      id: crypto.randomUUID(),
      type: 'area' as const,
      color: '#2ea8e5',
      pageIndex,
      position: { rects: [[72, top - 20, 200, top] as [number, number, number, number]] },
    });
    const onSecond = mark(0, 700);
    const lowOnFirst = mark(1, 300);
    const highOnFirst = mark(1, 800);
    const scorer = await panelScorer(t.backend, admin, caseA);
    await scorer.call('annotation:save', { documentId: second!.id, upserts: [onSecond], deletes: [] });
    await scorer.call('annotation:save', { documentId: first!.id, upserts: [lowOnFirst, highOnFirst], deletes: [] });
    const list = await admin.call('annotation:listCase', { caseId: caseA });
    expect(list.map((a) => a.id)).toEqual([highOnFirst.id, lowOnFirst.id, onSecond.id]);
    await scorer.call('annotation:save', { documentId: first!.id, upserts: [], deletes: [highOnFirst.id] });
    expect((await admin.call('annotation:listCase', { caseId: caseA })).map((a) => a.id)).toEqual([lowOnFirst.id, onSecond.id]);
    expect(await admin.call('annotation:listCase', { caseId: caseB })).toEqual([]);
    expect((await admin.fail('annotation:listCase', { caseId: 'nope' })).code).toBe('not_found');
  });
});

describe('integrity of stored files', () => {
  it('flags a file whose bytes changed or vanished, and refuses to export it as evidence', async () => {
    const doc = docs[0]!;
    expect(await admin.call('document:verify', { documentId: doc.id })).toMatchObject({
      documentId: doc.id,
      sha256: doc.sha256,
      status: 'ok',
    });
    const file = path.join(t.dir, 'files', doc.sha256.slice(0, 2), doc.sha256);
    fs.chmodSync(file, 0o644);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x20;
    fs.writeFileSync(file, bytes);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000)); // a new mtime, as any real write has
    expect((await admin.call('document:verify', { documentId: doc.id })).status).toBe('altered');
    const e = await admin.fail('export:annotatedPdf', { documentId: doc.id });
    expect(e).toMatchObject({ code: 'damaged_file', message: expect.stringContaining('校验值不一致') });
    fs.rmSync(file);
    expect((await admin.call('document:verify', { documentId: doc.id })).status).toBe('missing');
    expect((await admin.fail('export:annotatedPdf', { documentId: doc.id })).message).toContain('丢失');
  });
});

describe('a reviewer reaches only the files assigned to them and, before delivering, only their own marks', () => {
  let p: TestBackend;
  let panel: Panel;
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    p = openTestBackend();
    panel = await setupPanel(p.backend);
    mine = await importCase(p.backend, panel, '某许〔2025〕11号', 'license', ['zhang', 'li']);
    theirs = await importCase(p.backend, panel, '某许〔2025〕12号', 'license', ['wang']);
  });
  afterAll(() => p.close());

  const zhang = () => panel.users.zhang!.client;
  const area = () => ({
    id: crypto.randomUUID(),
    type: 'area' as const,
    color: '#2ea8e5',
    pageIndex: 0,
    position: { rects: [[72, 600, 200, 700] as [number, number, number, number]] },
  });

  it('searches the page text of assigned files only, campaign-wide and per case', async () => {
    const all = await panel.admin.call('search:pages', { campaignId: panel.campaignId, query: '询问笔录' });
    expect(new Set(all.hits.map((h) => h.caseId))).toEqual(new Set([mine, theirs]));
    const own = await zhang().call('search:pages', { campaignId: panel.campaignId, query: '询问笔录' });
    expect(own.hits.length).toBeGreaterThan(0);
    expect(new Set(own.hits.map((h) => h.caseId))).toEqual(new Set([mine]));
    expect(await zhang().fail('search:pages', { campaignId: panel.campaignId, caseId: theirs, query: '询问笔录' })).toMatchObject({
      code: 'forbidden',
      message: NOT_ASSIGNED,
    });
  });

  it("hides a fellow reviewer's marks from the case list and the exports while the sheets are blind", async () => {
    const [doc] = (await panel.admin.call('case:get', { caseId: mine })).documents;
    const zhangs = area();
    const lis = area();
    await zhang().call('annotation:save', { documentId: doc!.id, upserts: [zhangs], deletes: [] });
    await panel.users.li!.client.call('annotation:save', { documentId: doc!.id, upserts: [lis], deletes: [] });
    expect((await zhang().call('annotation:listCase', { caseId: mine })).map((a) => a.id)).toEqual([zhangs.id]);
    expect((await panel.users.lead!.client.call('annotation:listCase', { caseId: mine })).map((a) => a.id).sort()).toEqual(
      [zhangs.id, lis.id].sort(),
    );
    // The annotation list a reviewer exports holds their own marks only.
    const out = await zhang().call('export:annotationList', { caseId: mine });
    const response = await p.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await response!.arrayBuffer());
    const text = JSON.stringify(book.worksheets[0]!.getSheetValues());
    expect(text).toContain('张三');
    expect(text).not.toContain('李四');
    expect((await zhang().fail('annotation:listCase', { caseId: theirs })).code).toBe('forbidden');
    expect((await zhang().fail('export:annotationList', { caseId: theirs })).code).toBe('forbidden');
  });

  it('lets the organiser read a file not assigned to them but not mark it, and says why', async () => {
    const [doc] = (await panel.admin.call('case:get', { caseId: mine })).documents;
    expect(await panel.admin.call('annotation:access', { caseId: mine })).toEqual({ refusal: NOT_ASSIGNED_TO_MARK });
    expect(await zhang().call('annotation:access', { caseId: mine })).toEqual({ refusal: null });
    expect(await panel.users.lead!.client.call('annotation:access', { caseId: mine })).toEqual({ refusal: null });
    const before = (await panel.admin.call('annotation:listCase', { caseId: mine })).length;
    const e = await panel.admin.fail('annotation:save', { documentId: doc!.id, upserts: [area()], deletes: [] });
    expect(e).toMatchObject({ code: 'forbidden', message: NOT_ASSIGNED_TO_MARK });
    // Deleting is a write too: the organiser cannot remove a reviewer's mark through their own call.
    const zhangs = (await zhang().call('annotation:listCase', { caseId: mine }))[0]!;
    expect((await panel.admin.fail('annotation:save', { documentId: doc!.id, upserts: [], deletes: [zhangs.id] })).code).toBe('forbidden');
    expect(await panel.admin.call('annotation:listCase', { caseId: mine })).toHaveLength(before);
  });
});
