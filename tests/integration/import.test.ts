/**
 * Dossier import through the real back end: a folder of PDFs (some broken), a zip (some entries evil)
 * and a messy 案件清单, uploaded as the UI uploads them, previewed, imported as a job, summarised,
 * exported as XLSX, imported again (nothing doubles) — and a cancelled batch leaves only whole files.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput } from '../../shared/contract/index.js';
import type { Backend } from '../../electron/services/backend.js';
import {
  EXPECTED,
  editHeaders,
  encryptedPdf,
  markEncrypted,
  messyListCsvGbk,
  messyListXlsx,
  renameEntry,
  UNIT,
  zipOf,
  gbkNamedZip,
} from '../support/import-fixtures.js';
import { client, openTestBackend, openWithCampaign, stage, type setupAdmin, type TestBackend } from '../support/backend.js';
import { dossierPdf, scanLikePdf, truncatedPdf } from '../support/pdf-fixtures.js';
import { setupPanel } from '../support/review-setup.js';

let t: TestBackend;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let campaignId: string;

beforeAll(async () => {
  ({ t, admin, campaignId } = await openWithCampaign());
});
afterAll(() => t.close());

const count = (b: Backend, sql: string, ...args: unknown[]): number => (b.db.prepare(sql).get(...args) as { n: number }).n;

async function zeroPagePdf(): Promise<Uint8Array> {
  return (await PDFDocument.create()).save({ addDefaultPage: false });
}

/** The material a unit hands in: a folder with case sub-folders and strays, plus a zip of more (made once: the same bytes each time). */
let made: Promise<{ folder: Array<[string, Uint8Array | string]>; zip: Buffer }> | null = null;
const material = () => (made ??= makeMaterial());
async function makeMaterial() {
  const first = await dossierPdf(3, '立案审批表');
  const folder: Array<[string, Uint8Array | string]> = [
    ['市场监管局案卷/某市监罚[2025]1号/01-立案审批表.pdf', first],
    ['市场监管局案卷/某市监罚[2025]1号/02-询问笔录.pdf', await scanLikePdf(2)],
    ['市场监管局案卷/某市监罚[2025]1号/01-立案审批表 - 副本.pdf', first],
    ['市场监管局案卷/〔2025〕2号 药店案.pdf', await dossierPdf(2, '处罚决定书')],
    ['市场监管局案卷/某某餐馆无证经营案.pdf', await dossierPdf(1, '餐馆案卷')],
    ['市场监管局案卷/某市监罚〔2025〕4号-损坏.pdf', await truncatedPdf()],
    ['市场监管局案卷/某市监罚〔2025〕4号-加密.pdf', await encryptedPdf()],
    ['市场监管局案卷/某市监罚〔2025〕4号-空.pdf', ''],
    ['市场监管局案卷/某市监罚〔2025〕4号-无页.pdf', await zeroPagePdf()],
    ['市场监管局案卷/说明.docx', 'PK not really a docx'],
    ['市场监管局案卷/Thumbs.db', 'thumbs'],
    ['市场监管局案卷/无关扫描件.pdf', await scanLikePdf(1)],
  ];
  let zip = await zipOf([
    { name: '某市监许〔2025〕5号/许可决定书.pdf', data: await dossierPdf(2, '许可决定书') },
    { name: 'aa/aa/aa/escape.pdf', data: await dossierPdf(1) },
    { name: '某市监许〔2025〕5号/快捷方式.pdf', data: '/etc/passwd', mode: 0o120777 },
    { name: '某市监许〔2025〕5号/附件.zip', data: await zipOf([{ name: 'a.pdf', data: 'x' }]) },
  ]);
  zip = renameEntry(zip, 'aa/aa/aa/escape.pdf', '../../../escape.pdf');
  return { folder, zip };
}

async function stageAll(c: typeof admin, b: Backend, files: Array<[string, Uint8Array | string]>): Promise<string[]> {
  const ids: string[] = [];
  for (const [name, data] of files) ids.push(await stage(b, c, name, typeof data === 'string' ? new TextEncoder().encode(data) : data));
  return ids;
}

async function runImport(input: ChannelInput<'import:start'>, b: Backend = t.backend, c = admin) {
  const { jobId, batchId } = await c.call('import:start', input);
  const job = await b.services.jobs.wait(jobId);
  return { job, summary: await c.call('import:result', { batchId }), batchId };
}

describe('case lists', () => {
  it('reads the messy .xlsx: skips the cover sheet and title rows, guesses the spaced and bracketed headers', async () => {
    const listId = await stage(t.backend, admin, '案件清单.xlsx', await messyListXlsx());
    const layout = await admin.call('import:readList', { sourceId: listId });
    expect(layout).toMatchObject({
      sheetName: '案件清单',
      sheets: ['填报说明', '案件清单'],
      headerRow: 2,
      mappingSource: 'guessed',
      savedFor: null,
    });
    expect(layout.mapping).toMatchObject({
      serial: 0,
      caseNumber: 1,
      title: 2,
      party: 3,
      caseType: 4,
      filedOn: 5,
      closedOn: 6,
      penaltyAmount: 7,
      handler: 8,
      unitName: null,
    });
    expect(layout.rows[2]![2]).toBe('案件\n名称');
  });

  it('reads a GBK CSV with a title line, and refuses an .xls and a broken .xlsx with reasons', async () => {
    const csvId = await stage(t.backend, admin, '清单.csv', messyListCsvGbk());
    const layout = await admin.call('import:readList', { sourceId: csvId });
    expect(layout.headerRow).toBe(1);
    expect(layout.headers.slice(0, 3)).toEqual(['序号', '案号', '案件名称']);
    expect(layout.mapping).toMatchObject({ caseNumber: 1, filedOn: 5, closedOn: 6, penaltyAmount: 7, handler: 8, unitName: 9 });
    const xls = await stage(t.backend, admin, '清单.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]));
    expect(await admin.fail('import:readList', { sourceId: xls })).toMatchObject({
      code: 'unsupported_file',
      message: expect.stringContaining('另存为 .xlsx'),
    });
    const broken = await stage(t.backend, admin, '清单.xlsx', new TextEncoder().encode('PK\u0003\u0004 broken'));
    expect(await admin.fail('import:readList', { sourceId: broken })).toMatchObject({
      code: 'damaged_file',
      message: expect.stringContaining('无法作为 Excel 文件读取'),
    });
  });
});

describe('a campaign-scale import', () => {
  let listId: string;
  let sourceIds: string[];
  let firstBatch: string;

  it('previews: rows normalised, files matched by 案号 / year+serial / name, the rest refused with reasons', async () => {
    const { folder, zip } = await material();
    sourceIds = [...(await stageAll(admin, t.backend, folder)), await stage(t.backend, admin, '补充材料.zip', zip)];
    listId = await stage(t.backend, admin, '案件清单.xlsx', await messyListXlsx());
    const layout = await admin.call('import:readList', { sourceId: listId, unitName: UNIT });
    const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
    const preview = await admin.call('import:preview', { campaignId, sourceIds, list, defaults: { unitName: UNIT } });

    expect(preview.targets.map((r) => [r.rowNumber, r.caseNumber, r.status])).toEqual([
      [4, '某市监罚〔2025〕1号', 'new'],
      [6, '某市监罚〔2025〕第002号', 'new'],
      [8, '某市监罚〔2025〕3号', 'new'],
      [9, '某市监罚〔2025〕4号', 'new'],
      [10, '某市监许〔2025〕5号', 'new'],
    ]);
    expect(preview.targets[0]!.party).toBe('某某超市；某某超市分店');
    expect(preview.skippedRows.map((s) => s.rowNumber)).toEqual([11, 12]);
    const byPath = Object.fromEntries(preview.files.map((f) => [f.path, f]));
    const target = (p: string) => preview.targets.find((r) => r.key === byPath[p]!.target)?.rowNumber ?? null;
    expect(target('市场监管局案卷/某市监罚[2025]1号/02-询问笔录.pdf')).toBe(4);
    expect(byPath['市场监管局案卷/〔2025〕2号 药店案.pdf']).toMatchObject({ how: 'yearSerial' });
    expect(target('市场监管局案卷/〔2025〕2号 药店案.pdf')).toBe(6);
    expect(byPath['市场监管局案卷/某某餐馆无证经营案.pdf']).toMatchObject({ how: 'title' });
    expect(target('补充材料/某市监许〔2025〕5号/许可决定书.pdf')).toBe(10);
    expect(byPath['市场监管局案卷/无关扫描件.pdf']).toMatchObject({ target: null, refusal: null });
    expect(byPath['市场监管局案卷/说明.docx']!.refusal).toMatchObject({ code: 'not_pdf', message: expect.stringContaining('.docx') });
    expect(byPath['补充材料/../../../escape.pdf']!.refusal).toMatchObject({
      code: 'zip_unsafe_path',
      message: expect.stringContaining('..'),
    });
    expect(byPath['补充材料/某市监许〔2025〕5号/快捷方式.pdf']!.refusal).toMatchObject({ code: 'zip_symlink' });
    expect(byPath['补充材料/某市监许〔2025〕5号/附件.zip']!.refusal).toMatchObject({ code: 'zip_nested' });
    expect(preview.ignoredFiles).toBe(1);
    // A preview writes nothing.
    expect(count(t.backend, 'SELECT count(*) AS n FROM cases')).toBe(0);
  });

  it('imports: whole cases with every field, each rejection with its specific reason, duplicates reported', async () => {
    const layout = await admin.call('import:readList', { sourceId: listId, unitName: UNIT });
    const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
    const progress: number[] = [];
    const off = t.backend.events.subscribe((event, payload) => {
      if (event === 'job:progress') progress.push((payload as { done: number }).done);
    });
    // Rows whose files all failed are not registered here (the person declined 缺卷 registration).
    const { job, summary, batchId } = await runImport({
      campaignId,
      sourceIds,
      list,
      defaults: { unitName: UNIT },
      saveMappingFor: UNIT,
      registerRowsWithoutFiles: false,
    });
    off();
    firstBatch = batchId;
    expect(job.status).toBe('done');
    expect(progress.length).toBeGreaterThan(0);
    expect(Math.max(...progress)).toBe(10);

    expect(summary.counts).toMatchObject({ casesCreated: 4, casesExisting: 0, documents: 5, duplicates: 1, scans: 1 });
    expect(summary.counts.pages).toBe(3 + 2 + 2 + 1 + 2);
    const codeOf = (p: string) => summary.items.find((i) => i.path === p)?.code;
    expect(codeOf('市场监管局案卷/某市监罚〔2025〕4号-损坏.pdf')).toBe('damaged');
    expect(codeOf('市场监管局案卷/某市监罚〔2025〕4号-加密.pdf')).toBe('encrypted');
    expect(codeOf('市场监管局案卷/某市监罚〔2025〕4号-空.pdf')).toBe('empty_file');
    expect(codeOf('市场监管局案卷/某市监罚〔2025〕4号-无页.pdf')).toBe('zero_pages');
    expect(codeOf('市场监管局案卷/无关扫描件.pdf')).toBe('unmatched');
    expect(
      [
        codeOf('市场监管局案卷/某市监罚[2025]1号/01-立案审批表 - 副本.pdf'),
        codeOf('市场监管局案卷/某市监罚[2025]1号/01-立案审批表.pdf'),
      ].sort(),
    ).toEqual(['duplicate_file', 'imported']);
    expect(summary.items.find((i) => i.kind === 'row' && i.caseNumber === '某市监罚〔2025〕4号')).toMatchObject({
      outcome: 'rejected',
      code: 'no_files',
      message: expect.stringContaining('4 个文件均未能导入'),
    });
    for (const item of summary.items.filter((i) => i.outcome === 'rejected' || i.outcome === 'duplicate')) {
      expect(item.message.length, item.path).toBeGreaterThan(4);
      expect(item.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(summary.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining([
        'damaged',
        'encrypted',
        'empty_file',
        'zero_pages',
        'unmatched',
        'not_pdf',
        'zip_unsafe_path',
        'zip_symlink',
        'zip_nested',
        'duplicate_file',
        'no_files',
      ]),
    );

    const cases = await admin.call('case:list', { campaignId });
    expect(cases.map((c) => [c.caseNumber, c.documentCount]).sort()).toEqual([
      ['某市监罚〔2025〕1号', 2],
      ['某市监罚〔2025〕3号', 1],
      ['某市监罚〔2025〕第002号', 1],
      ['某市监许〔2025〕5号', 1],
    ]);
    for (const e of EXPECTED.filter((x) => x.caseNumber !== '某市监罚〔2025〕4号')) {
      expect(cases.find((c) => c.caseNumber === e.caseNumber)).toMatchObject({ ...e, unitName: UNIT });
    }
    expect(cases.find((c) => c.caseNumber === '某市监罚〔2025〕1号')).toMatchObject({
      party: '某某超市；某某超市分店',
      handler: '张三、李四',
    });

    // Documents in path order, text layer vs scan, page text indexed for search, blobs on disk.
    const first = await admin.call('case:get', { caseId: cases.find((c) => c.caseNumber === '某市监罚〔2025〕1号')!.id });
    // Of the original and its copy, whichever was committed first is kept; the other is the duplicate.
    expect(first.documents.map((d) => [d.title.replace(/ - 副本$/, ''), d.pageCount, d.hasText])).toEqual([
      ['立案审批表', 3, true],
      ['询问笔录', 2, false],
    ]);
    expect(first.documents[0]!.position).toBeLessThan(first.documents[1]!.position);
    const hits = t.backend.db.prepare("SELECT count(*) AS n FROM page_text WHERE page_text MATCH '立案审批表'").get() as { n: number };
    expect(hits.n).toBe(3);
    expect(count(t.backend, 'SELECT count(*) AS n FROM page_text WHERE document_id = ?', first.documents[1]!.id)).toBe(0);
    for (const d of first.documents) expect(fs.existsSync(path.join(t.dir, 'files', d.sha256.slice(0, 2), d.sha256))).toBe(true);
    expect(fs.readdirSync(path.join(t.dir, 'files', '.tmp'))).toEqual([]);
    expect(fs.readdirSync(path.join(t.dir, 'staging')).filter((f) => [...sourceIds, listId].includes(f))).toEqual([]);
    expect(count(t.backend, "SELECT count(*) AS n FROM audit_log WHERE action = 'document.import'")).toBe(5);
    expect(count(t.backend, 'SELECT count(*) AS n FROM units WHERE campaign_id = ?', campaignId)).toBe(1);
  });

  it('exports the summary as XLSX with every item and its reason', async () => {
    const out = await admin.call('import:exportSummary', { batchId: firstBatch });
    expect(out.fileName).toMatch(/^案卷导入汇总-.*\.xlsx$/);
    const res = await t.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res!.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const detail = wb.getWorksheet('明细')!;
    const summary = await admin.call('import:result', { batchId: firstBatch });
    expect(detail.rowCount).toBe(summary.items.length + 1);
    const texts = detail.getSheetValues().flat().map(String);
    expect(texts).toEqual(expect.arrayContaining(['PDF 设有密码', 'PDF 已损坏', '重复文件', '压缩包条目路径不安全']));
    expect(wb.getWorksheet('汇总')!.getCell('A1').value).toContain('案卷导入汇总');
  });

  it('re-imports the same material without doubling anything, and remembers the unit’s mapping', async () => {
    const { folder, zip } = await material();
    const again = [...(await stageAll(admin, t.backend, folder)), await stage(t.backend, admin, '补充材料.zip', zip)];
    // Next time the unit's list has its columns in another order: the saved mapping follows the names.
    const moved = await stage(
      t.backend,
      admin,
      '案件清单2.xlsx',
      await messyListXlsx(undefined, { headerOrder: [0, 2, 1, 3, 4, 5, 6, 7, 8] }),
    );
    const layout = await admin.call('import:readList', { sourceId: moved, unitName: UNIT });
    expect(layout).toMatchObject({ mappingSource: 'saved', savedFor: UNIT });
    expect(layout.mapping).toMatchObject({ caseNumber: 2, title: 1 });
    const before = {
      cases: count(t.backend, 'SELECT count(*) AS n FROM cases'),
      documents: count(t.backend, 'SELECT count(*) AS n FROM documents'),
      pages: count(t.backend, 'SELECT count(*) AS n FROM page_text'),
    };
    const { summary } = await runImport({
      campaignId,
      sourceIds: again,
      list: { sourceId: moved, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping },
      defaults: { unitName: UNIT },
      registerRowsWithoutFiles: false,
    });
    expect(summary.counts).toMatchObject({ casesCreated: 0, casesExisting: 4, documents: 0, duplicates: 6 });
    expect(summary.items.filter((i) => i.kind === 'row' && i.outcome === 'unchanged')).toHaveLength(4);
    expect({
      cases: count(t.backend, 'SELECT count(*) AS n FROM cases'),
      documents: count(t.backend, 'SELECT count(*) AS n FROM documents'),
      pages: count(t.backend, 'SELECT count(*) AS n FROM page_text'),
    }).toEqual(before);
  });

  it('lists the batches of the campaign, for those who see every file only', async () => {
    const batches = await admin.call('import:batches', { campaignId });
    expect(batches).toHaveLength(2);
    expect(batches.every((b) => b.status === 'done')).toBe(true);
    await admin.call('user:create', {
      username: 'reviewer1',
      displayName: '李评查',
      role: 'reviewer',
      affiliation: '某某县公安局',
      password: 'Passw0rd!',
    });
    const reviewer = client(t.backend, 'reviewer-window');
    await reviewer.call('auth:login', { username: 'reviewer1', password: 'Passw0rd!' });
    expect(await reviewer.fail('import:result', { batchId: firstBatch })).toMatchObject({ code: 'forbidden' });
    expect(await reviewer.fail('import:batches', { campaignId })).toMatchObject({ code: 'forbidden' });
    expect(await reviewer.fail('import:start', { campaignId, sourceIds: [] })).toMatchObject({ code: 'forbidden' });
  });
});

describe('evil and odd zips', () => {
  it('refuses a zip bomb, encrypted entries, a lying size and a damaged zip; decodes GBK names', async () => {
    const {
      t: b,
      admin: c,
      campaignId: cid,
    } = await openWithCampaign('压缩包测试', {
      importLimits: {
        maxFileBytes: 100 * 1024,
        zip: { maxEntryBytes: 20 * 1024 ** 2, maxTotalBytes: 1024 ** 3, maxRatio: 100, ratioFloorBytes: 1024 ** 2, maxEntries: 1000 },
      },
    });
    try {
      const pdf = await dossierPdf(1, '罚没物品清单');
      const bomb = await zipOf([{ name: '某罚〔2025〕1号.pdf', data: new Uint8Array(8 * 1024 ** 2) }]);
      const huge = await zipOf([{ name: '某罚〔2025〕1号-大.pdf', data: new Uint8Array(21 * 1024 ** 2).fill(7), compress: false }]);
      const encrypted = markEncrypted(await zipOf([{ name: '某罚〔2025〕1号-密.pdf', data: pdf }]));
      // The central directory claims 10 bytes; the deflated data inflates to the whole PDF.
      const liar = editHeaders(await zipOf([{ name: '某罚〔2025〕1号-谎.pdf', data: pdf }]), (out, at) =>
        out.writeUInt32LE(10, at.uncompressedSize),
      );
      const gbk = await gbkNamedZip('某罚〔2025〕1号/询问笔录.pdf', pdf);
      // Absolute names, as a hostile or careless packer writes them (Unix root, Windows drive with backslashes).
      let absolute = await zipOf([
        { name: 'tmp/absolute-1.pdf', data: pdf },
        { name: 'cc/win/evil-2.pdf', data: pdf },
      ]);
      absolute = renameEntry(renameEntry(absolute, 'tmp/absolute-1.pdf', '/tmp/absolute1.pdf'), 'cc/win/evil-2.pdf', 'C:\\win\\evil-2.pdf');
      const ids = [
        await stage(b.backend, c, '炸弹.zip', bomb),
        await stage(b.backend, c, '超大.zip', huge),
        await stage(b.backend, c, '加密.zip', encrypted),
        await stage(b.backend, c, '谎报.zip', liar),
        await stage(b.backend, c, '中文名.zip', gbk),
        await stage(b.backend, c, '绝对路径.zip', absolute),
        await stage(b.backend, c, '坏的.zip', new TextEncoder().encode('PK\u0003\u0004 not a zip at all')),
        await stage(b.backend, c, '某罚〔2025〕1号-超大.pdf', new Uint8Array(150 * 1024)),
      ];
      const preview = await c.call('import:preview', {
        campaignId: cid,
        sourceIds: ids,
        defaults: { unitName: '某局', caseType: 'penalty_general' },
      });
      const refusal = (p: string) => preview.files.find((f) => f.path === p)?.refusal;
      expect(refusal('炸弹/某罚〔2025〕1号.pdf')).toMatchObject({ code: 'zip_bomb', message: expect.stringContaining('压缩比异常') });
      expect(refusal('超大/某罚〔2025〕1号-大.pdf')).toMatchObject({ code: 'zip_bomb', message: expect.stringContaining('超过单个文件') });
      expect(refusal('加密/某罚〔2025〕1号-密.pdf')).toMatchObject({ code: 'zip_encrypted' });
      expect(refusal('绝对路径//tmp/absolute1.pdf')).toMatchObject({
        code: 'zip_unsafe_path',
        message: expect.stringContaining('绝对路径'),
      });
      expect(refusal('绝对路径/C:/win/evil-2.pdf')).toMatchObject({
        code: 'zip_unsafe_path',
        message: expect.stringContaining('绝对路径'),
      });
      expect(refusal('坏的.zip')).toMatchObject({ code: 'zip_damaged', message: expect.stringContaining('压缩包已损坏') });
      expect(refusal('某罚〔2025〕1号-超大.pdf')).toMatchObject({ code: 'too_large', message: expect.stringContaining('超过单个文件') });
      expect(preview.files.find((f) => f.path === '中文名/某罚〔2025〕1号/询问笔录.pdf')).toMatchObject({ refusal: null, how: 'fileName' });

      const { jobId, batchId } = await c.call('import:start', {
        campaignId: cid,
        sourceIds: ids,
        defaults: { unitName: '某局', caseType: 'penalty_general' },
      });
      await b.backend.services.jobs.wait(jobId);
      const summary = await c.call('import:result', { batchId });
      expect(summary.items.find((i) => i.path === '谎报/某罚〔2025〕1号-谎.pdf')).toMatchObject({ outcome: 'rejected', code: 'zip_bomb' });
      expect(summary.counts).toMatchObject({ casesCreated: 1, documents: 1 });
      const cases = await c.call('case:list', { campaignId: cid });
      expect(cases.map((k) => [k.caseNumber, k.unitName, k.caseType])).toEqual([['某罚〔2025〕1号', '某局', 'penalty_general']]);
      expect(fs.readdirSync(path.join(b.dir, 'files', '.tmp'))).toEqual([]);
      expect(fs.existsSync(path.join(b.dir, 'escape.pdf'))).toBe(false);
      expect(fs.existsSync('/tmp/absolute1.pdf')).toBe(false);
      expect(summary.items.filter((i) => i.path.startsWith('绝对路径/')).map((i) => i.code)).toEqual([
        'zip_unsafe_path',
        'zip_unsafe_path',
      ]);
    } finally {
      b.close();
    }
  });
});

describe('time limit and cancel', () => {
  it('kills a parse that exceeds its time limit and goes on with a fresh thread', async () => {
    const { PdfInspectPool } = await import('../../electron/services/core/pdf/inspect-pool.js');
    const pool = new PdfInspectPool({ size: 1 });
    const file = path.join(t.dir, 'slow.pdf');
    fs.writeFileSync(file, await dossierPdf(40));
    try {
      const err = await pool.inspect(file, { timeoutMs: 5 }).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'damaged_file',
        details: { reason: 'timeout' },
        message: expect.stringContaining('仍未完成，已中止'),
      });
      const ok = await pool.inspect(file, { hash: true });
      expect(ok).toMatchObject({ pageCount: 40, hasText: true });
      expect(ok.sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await pool.close();
    }
  });

  it('cancels a running batch and leaves only whole files behind', async () => {
    const { t: b, admin: c, campaignId: cid } = await openWithCampaign('取消测试', { inspect: { size: 1 } });
    try {
      const files: Array<[string, Uint8Array]> = [];
      for (let i = 1; i <= 16; i++) files.push([`案卷/某罚〔2025〕${i}号.pdf`, await dossierPdf(40, `第${i}卷`)]);
      const ids = await stageAll(c, b.backend, files);
      const { jobId, batchId } = await c.call('import:start', {
        campaignId: cid,
        sourceIds: ids,
        defaults: { unitName: '某局', caseType: 'inspection' },
      });
      await new Promise<void>((resolve) => {
        const off = b.backend.events.subscribe((event, payload) => {
          if (event === 'job:progress' && (payload as { done: number }).done >= 2) {
            off();
            resolve();
          }
        });
      });
      const cancelled = await c.call('job:cancel', { jobId });
      expect(['running', 'cancelled']).toContain(cancelled.status);
      const end = await b.backend.services.jobs.wait(jobId);
      expect(end.status).toBe('cancelled');
      const summary = await c.call('import:result', { batchId });
      expect(summary.status).toBe('cancelled');
      const fileItems = summary.items.filter((i) => i.kind === 'file');
      expect(fileItems).toHaveLength(16);
      expect(fileItems.filter((i) => i.code === 'cancelled').length).toBeGreaterThan(0);
      // Every imported file is whole: document row, blob row, file on disk; no case without files.
      const docs = b.backend.db.prepare('SELECT d.sha256, b.size FROM documents d JOIN blobs b ON b.sha256 = d.sha256').all() as Array<{
        sha256: string;
        size: number;
      }>;
      expect(docs).toHaveLength(summary.counts.documents);
      for (const d of docs) expect(fs.statSync(path.join(b.dir, 'files', d.sha256.slice(0, 2), d.sha256)).size).toBe(d.size);
      expect(
        count(b.backend, 'SELECT count(*) AS n FROM cases c WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id)'),
      ).toBe(0);
      expect(fs.readdirSync(path.join(b.dir, 'files', '.tmp'))).toEqual([]);
      expect(fs.readdirSync(path.join(b.dir, 'staging'))).toEqual([]);
      // The rest can be imported afterwards; what was already in is reported, not doubled.
      const again = await stageAll(c, b.backend, files);
      const rerun = await c.call('import:start', {
        campaignId: cid,
        sourceIds: again,
        defaults: { unitName: '某局', caseType: 'inspection' },
      });
      await b.backend.services.jobs.wait(rerun.jobId);
      const second = await c.call('import:result', { batchId: rerun.batchId });
      expect(second.items.filter((i) => i.kind === 'file' && i.outcome !== 'imported' && i.outcome !== 'duplicate')).toEqual([]);
      expect(second.counts.documents + second.counts.duplicates).toBe(16);
      expect(second.counts.duplicates).toBe(summary.counts.documents);
      expect(count(b.backend, 'SELECT count(*) AS n FROM cases')).toBe(16);
    } finally {
      b.close();
    }
  });
});

describe('units', () => {
  it('lists, creates and edits units with checked fields', async () => {
    const units = await admin.call('unit:list', { campaignId });
    expect(units).toEqual([expect.objectContaining({ name: UNIT, caseCount: 4, shortName: '', regionCode: '' })]);
    const edited = await admin.call('unit:save', {
      campaignId,
      unitId: units[0]!.id,
      name: UNIT,
      shortName: '县市场监管局',
      field: '市场监管',
      regionCode: '430623',
    });
    expect(edited).toMatchObject({ shortName: '县市场监管局', field: '市场监管', regionCode: '430623', caseCount: 4 });
    const created = await admin.call('unit:save', {
      campaignId,
      name: '某某县交通运输局',
      shortName: '交通局',
      field: '交通运输',
      regionCode: '',
    });
    expect(created.caseCount).toBe(0);
    expect(await admin.fail('unit:save', { campaignId, name: '某某县交通运输局' })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('已有名为'),
    });
    expect(await admin.fail('unit:save', { campaignId, name: '某局', regionCode: '4306' })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('行政区划代码'),
    });
    expect(
      count(
        t.backend,
        "SELECT count(*) AS n FROM audit_log WHERE action IN ('unit.update', 'unit.create') AND campaign_id = ?",
        campaignId,
      ),
    ).toBeGreaterThanOrEqual(3);
  });
});

describe('duplicates by 案号, and who sees the imported files', () => {
  it('reports a 案号 listed twice and a 案号 registered under another unit; files of a registered 案号 join that case; reviewers see only their files', async () => {
    const b = openTestBackend();
    try {
      const panel = await setupPanel(b.backend);
      const { admin: c, campaignId: cid } = panel;
      const defaults = { unitName: '某某县交通运输局', caseType: 'penalty_general' as const };
      // First batch, without a list: the 案号 in the file name registers the case.
      const seventh = await dossierPdf(2, '第七号案卷');
      const first = await runImport(
        { campaignId: cid, sourceIds: [await stage(b.backend, c, '某交罚〔2025〕7号.pdf', seventh)], defaults },
        b.backend,
        c,
      );
      expect(first.summary.counts).toMatchObject({ casesCreated: 1, documents: 1 });

      // Second batch: a list naming 8号 twice (brackets spelled two ways) and 7号 under another unit,
      // plus 8号's file, a new file of 7号 and 7号's first file again.
      const csv = [
        '序号,案号,案件名称,当事人,案件类型,被评查单位',
        '1,某交罚[2025]8号,某某物流公司超限运输案,某某物流公司,行政处罚,某某县交通运输局',
        '2,某交罚（2025）8号 ,某某物流公司超限运输案（重复）,某某物流公司,行政处罚,某某县交通运输局',
        '3,某交罚〔2025〕7号,某某客运站案,某某客运站,行政处罚,某某县公路事业发展中心',
      ].join('\r\n');
      const listId = await stage(b.backend, c, '交通局案件清单.csv', new TextEncoder().encode(`\ufeff${csv}`));
      const layout = await c.call('import:readList', { sourceId: listId });
      const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
      const sourceIds = [
        await stage(b.backend, c, '某交罚〔2025〕8号 处罚决定书.pdf', await dossierPdf(3, '第八号案卷')),
        await stage(b.backend, c, '某交罚〔2025〕7号-补充材料.pdf', await dossierPdf(1, '补充材料')),
        await stage(b.backend, c, '再次报送/某交罚〔2025〕7号.pdf', seventh),
      ];
      const preview = await c.call('import:preview', { campaignId: cid, sourceIds, list, defaults });
      expect(preview.targets.filter((t) => t.rowNumber).map((t) => [t.rowNumber, t.status])).toEqual([
        [2, 'new'],
        [3, 'duplicate'],
        [4, 'error'],
      ]);
      const { summary } = await runImport({ campaignId: cid, sourceIds, list, defaults }, b.backend, c);
      const row = (n: number) => summary.items.find((i) => i.kind === 'row' && i.path === `清单第 ${n} 行`);
      expect(row(3)).toMatchObject({ outcome: 'duplicate', code: 'duplicate_row', message: expect.stringContaining('与第 2 行重复') });
      expect(row(4)).toMatchObject({
        outcome: 'rejected',
        code: 'unit_conflict',
        message: expect.stringContaining('已在本活动中登记于“某某县交通运输局”'),
      });
      // The same bytes are already that case's document: known before the import, and skipped.
      expect(preview.files.find((f) => f.path === '再次报送/某交罚〔2025〕7号.pdf')!.refusal).toEqual({
        code: 'duplicate_file',
        message: '已导入（相同文件），跳过',
      });
      expect(summary.items.find((i) => i.path === '再次报送/某交罚〔2025〕7号.pdf')).toMatchObject({
        outcome: 'duplicate',
        code: 'duplicate_file',
        message: '已导入（相同文件），跳过',
      });
      expect(summary.counts).toMatchObject({ casesCreated: 1, documents: 2, duplicates: 2 });
      const cases = await c.call('case:list', { campaignId: cid });
      expect(cases.map((k) => [k.caseNumber, k.unitName, k.documentCount]).sort()).toEqual([
        ['某交罚〔2025〕7号', '某某县交通运输局', 2],
        ['某交罚〔2025〕8号', '某某县交通运输局', 1],
      ]);
      expect(count(b.backend, 'SELECT count(*) AS n FROM units WHERE campaign_id = ?', cid)).toBe(1);

      // A reviewer assigned 8号 only sees 8号, counts only it, and reads no import records.
      const eighth = cases.find((k) => k.caseNumber === '某交罚〔2025〕8号')!;
      const seventhCase = cases.find((k) => k.caseNumber === '某交罚〔2025〕7号')!;
      await c.call('assignment:add', { caseId: eighth.id, reviewerId: panel.users.zhang!.id });
      const zhang = panel.users.zhang!.client;
      expect((await zhang.call('case:list', { campaignId: cid })).map((k) => k.caseNumber)).toEqual(['某交罚〔2025〕8号']);
      expect(await zhang.call('unit:list', { campaignId: cid })).toEqual([
        expect.objectContaining({ name: '某某县交通运输局', caseCount: 1 }),
      ]);
      expect(await c.call('unit:list', { campaignId: cid })).toEqual([expect.objectContaining({ caseCount: 2 })]);
      expect(await panel.users.li!.client.call('unit:list', { campaignId: cid })).toEqual([expect.objectContaining({ caseCount: 0 })]);
      expect(await zhang.fail('case:get', { caseId: seventhCase.id })).toMatchObject({ code: 'forbidden' });
      for (const [channel, input] of [
        ['import:batches', { campaignId: cid }],
        ['import:result', { batchId: first.batchId }],
        ['import:exportSummary', { batchId: first.batchId }],
      ] as const) {
        expect(await zhang.fail(channel, input), channel).toMatchObject({ code: 'forbidden' });
      }
      // The observer sees every file, so the records too; another person's job stays private.
      expect(await panel.users.observer!.client.call('import:batches', { campaignId: cid })).toHaveLength(2);
      expect(await zhang.fail('job:get', { jobId: first.job.jobId })).toMatchObject({ code: 'not_found' });
      expect(await zhang.fail('job:cancel', { jobId: first.job.jobId })).toMatchObject({ code: 'not_found' });
    } finally {
      b.close();
    }
  });
});

describe('values far below the preview rows', () => {
  it('lists every value read with an assumption or left empty, on every row, and stores 罚款, 没收 and the text as written', async () => {
    const other = await openWithCampaign('2025年度罚没金额评查');
    try {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('案件清单');
      ws.addRow(['序号', '案号', '案件名称', '当事人', '案件类型', '立案日期', '结案日期', '处罚金额', '决定内容', '承办人']);
      for (let n = 1; n <= 20; n++) {
        const amount = n === 17 ? '10,120（含没收违法所得120）' : n === 18 ? '警告' : n === 19 ? '若干' : 1000 * n;
        ws.addRow([
          n,
          `某市监罚〔2025〕${n}号`,
          `案件${n}`,
          `当事人${n}`,
          '行政处罚',
          new Date(Date.UTC(2025, 0, n)),
          n === 19 ? '三月初' : '2025.3.5',
          amount,
          '',
          '张三',
        ]);
      }
      const listId = await stage(other.t.backend, other.admin, '案件清单.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      const layout = await other.admin.call('import:readList', { sourceId: listId, unitName: UNIT });
      const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
      const request = { campaignId: other.campaignId, sourceIds: [], list, defaults: { unitName: UNIT } };
      const preview = await other.admin.call('import:preview', request);
      const notes = preview.targets.flatMap((t) => t.issues.map((i) => ({ row: t.rowNumber, ...i })));
      expect(notes).toEqual([
        {
          row: 18,
          field: 'penaltyAmount',
          severity: 'info',
          message: '合计 10,120 元中含没收违法所得 120 元，罚款按其余的 10,000 元计',
          raw: '10,120（含没收违法所得120）',
          stored: '罚款 10,000 元，没收违法所得 120 元',
        },
        {
          row: 19,
          field: 'penaltyAmount',
          severity: 'info',
          message: '处罚金额栏写的是决定内容，没有金额',
          raw: '警告',
          stored: '无金额，记为决定内容「警告」',
        },
        {
          row: 20,
          field: 'closedOn',
          severity: 'warning',
          message: expect.stringContaining('“三月初”无法识别为日期'),
          raw: '三月初',
          stored: '留空',
        },
        {
          row: 20,
          field: 'penaltyAmount',
          severity: 'warning',
          message: expect.stringContaining('“若干”无法识别为金额'),
          raw: '若干',
          stored: '留空',
        },
      ]);
      expect(preview.targets.find((t) => t.rowNumber === 18)).toMatchObject({ penaltyAmount: 10000, confiscatedAmount: 120 });

      const { job } = await runImport({ ...request, registerRowsWithoutFiles: true }, other.t.backend, other.admin);
      expect(job.status).toBe('done');
      const caseOf = async (number: string) => {
        const list = await other.admin.call('case:list', { campaignId: other.campaignId });
        return other.admin.call('case:get', { caseId: list.find((c) => c.caseNumber === number)!.id });
      };
      expect(await caseOf('某市监罚〔2025〕17号')).toMatchObject({
        penaltyAmount: 10000,
        confiscatedAmount: 120,
        penaltyText: '10,120（含没收违法所得120）',
        decision: '',
      });
      expect(await caseOf('某市监罚〔2025〕18号')).toMatchObject({
        penaltyAmount: null,
        confiscatedAmount: null,
        penaltyText: '警告',
        decision: '警告',
      });
      expect(await caseOf('某市监罚〔2025〕19号')).toMatchObject({
        penaltyAmount: null,
        penaltyText: '若干',
        closedOn: null,
        filedOn: '2025-01-19',
      });
      expect(await caseOf('某市监罚〔2025〕5号')).toMatchObject({
        penaltyAmount: 5000,
        confiscatedAmount: null,
        penaltyText: '5000',
        handler: '张三',
      });
    } finally {
      other.t.close();
    }
  });
});
