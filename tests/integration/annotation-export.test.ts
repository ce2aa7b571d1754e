/**
 * The reader's exports, opened by other programs: the annotated PDF is read back by pdf.js in Node
 * (every mark is a real PDF annotation at its stored place, Chinese comments intact) and rendered by
 * poppler (the appearance streams draw in the mark's colour where it was drawn); the annotation list
 * is read back by exceljs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotationInput, Rect } from '../../shared/annotations/annotation.js';
import { loadPdfjs, PDFJS_ASSETS } from '../../electron/services/core/pdf/pdfjs-node.js';
import { openTestBackend, panelScorer, scoreLicencesWithTable, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { outputDir } from '../support/temp.js';

let t: TestBackend;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let caseId: string;
let documentId: string;

const HIGHLIGHT: Rect = [72, 740, 240, 758];
const AREA: Rect = [300, 500, 500, 600];
const NOTE: Rect = [520, 780, 542, 802];
const TEXT: Rect = [80, 300, 300, 360];
const INK = [100, 200, 150, 250, 200, 200, 250, 250];

const marks: AnnotationInput[] = [
  {
    id: crypto.randomUUID(),
    type: 'highlight',
    color: '#ffd400',
    pageIndex: 0,
    position: { rects: [HIGHLIGHT] },
    selectedText: '行政处罚案卷 第1页',
    comment: '立案审批表缺少负责人签名',
    checklistItemId: 'xk-12.5',
  },
  {
    id: crypto.randomUUID(),
    type: 'underline',
    color: '#ff6666',
    pageIndex: 0,
    position: { rects: [[72, 716, 260, 734]] },
    selectedText: '当事人',
    comment: '当事人名称与营业执照不一致',
  },
  { id: crypto.randomUUID(), type: 'area', color: '#2ea8e5', pageIndex: 0, position: { rects: [AREA] }, comment: '印章模糊' },
  { id: crypto.randomUUID(), type: 'note', color: '#5fb236', pageIndex: 0, position: { rects: [NOTE] }, comment: '此页应附送达回证' },
  { id: crypto.randomUUID(), type: 'ink', color: '#a28ae5', pageIndex: 0, position: { paths: [INK], width: 4 } },
  {
    id: crypto.randomUUID(),
    type: 'text',
    color: '#f19837',
    pageIndex: 0,
    position: { rects: [TEXT], fontSize: 14 },
    comment: '调查终结报告未载明证据清单，建议补正',
  },
  { id: crypto.randomUUID(), type: 'area', color: '#aaaaaa', pageIndex: 1, position: { rects: [[100, 100, 200, 200]] } },
];

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  const campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' })).id;
  await scoreLicencesWithTable(admin, campaignId);
  const sourceId = await stage(t.backend, admin, '01-立案审批表.pdf', await dossierPdf(2));
  const kase = await admin.call('dossier:importSingle', {
    campaignId,
    sourceId,
    caseNumber: '某许〔2025〕3号',
    unitName: '甲县市场监督管理局',
    caseType: 'license',
  });
  caseId = kase.id;
  documentId = kase.documents[0]!.id;
  // The marks are the assigned scorer's: the organiser only reads files not assigned to them.
  const scorer = await panelScorer(t.backend, admin, caseId);
  await scorer.call('annotation:save', { documentId, upserts: marks, deletes: [] });
});
afterAll(() => t.close());

async function downloadBytes(url: string): Promise<Buffer> {
  const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${url}`));
  expect(response!.status).toBe(200);
  return Buffer.from(await response!.arrayBuffer());
}

/** Reads one pixel of a page rendered by poppler at 72 dpi (1 px = 1 pt), in PDF user space. */
function pixelAt(ppm: Buffer, x: number, y: number): [number, number, number] {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const offset = header[0].length + ((height - Math.round(y)) * width + Math.round(x)) * 3;
  return [ppm[offset]!, ppm[offset + 1]!, ppm[offset + 2]!];
}

describe('annotated PDF copy', () => {
  it('holds every mark as a standard PDF annotation that other readers show', async () => {
    const out = await admin.call('export:annotatedPdf', { documentId });
    expect(out.fileName).toBe('某许〔2025〕3号-立案审批表（批注）.pdf');
    const bytes = await downloadBytes(out.url);
    const file = path.join(outputDir('reader'), 'annotated.pdf');
    fs.writeFileSync(file, bytes);

    const pdfjs = await loadPdfjs();
    const doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      ...PDFJS_ASSETS,
      cMapPacked: true,
      isEvalSupported: false,
      verbosity: 0,
    }).promise;
    try {
      const page1 = (await (await doc.getPage(1)).getAnnotations()) as Array<Record<string, unknown>>;
      const bySubtype = new Map(page1.map((a) => [a.subtype as string, a]));
      expect([...bySubtype.keys()].sort()).toEqual(['FreeText', 'Highlight', 'Ink', 'Square', 'Text', 'Underline']);
      const contents = (a: Record<string, unknown> | undefined) => (a?.contentsObj as { str: string }).str;
      expect(contents(bySubtype.get('Highlight'))).toBe('立案审批表缺少负责人签名\n【评查证据】12.5 卷内材料有页号');
      expect(contents(bySubtype.get('Underline'))).toBe('当事人名称与营业执照不一致');
      expect(contents(bySubtype.get('Text'))).toBe('此页应附送达回证');
      expect(contents(bySubtype.get('FreeText'))).toBe('调查终结报告未载明证据清单，建议补正');
      expect((bySubtype.get('Highlight')!.titleObj as { str: string }).str).toBe('王组长');
      expect(bySubtype.get('Highlight')!.rect).toEqual(HIGHLIGHT);
      expect(bySubtype.get('Square')!.rect).toEqual(AREA);
      expect(bySubtype.get('Text')!.rect).toEqual(NOTE);
      expect(bySubtype.get('FreeText')!.rect).toEqual(TEXT);
      expect(Array.from(bySubtype.get('Highlight')!.color as Uint8ClampedArray)).toEqual([255, 212, 0]);
      const inkLists = bySubtype.get('Ink')!.inkLists as Array<Float32Array | Array<{ x: number; y: number }>>;
      const firstPoint = inkLists[0]![0] as unknown;
      expect(
        typeof firstPoint === 'number'
          ? Array.from(inkLists[0] as Float32Array)
          : (inkLists[0] as Array<{ x: number; y: number }>).flatMap((p) => [p.x, p.y]),
      ).toEqual(INK);
      expect((await (await doc.getPage(2)).getAnnotations()).map((a: { subtype: string }) => a.subtype)).toEqual(['Square']);
    } finally {
      await doc.destroy();
    }

    // poppler draws the appearance streams: colour where each mark is, untouched page elsewhere.
    const ppm = execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', file], { maxBuffer: 16 * 1024 ** 2 });
    execFileSync('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', file, file.replace(/\.pdf$/, '-page1')]);
    const [hr, hg, hb] = pixelAt(ppm, HIGHLIGHT[0] + 3, HIGHLIGHT[1] + 2);
    expect(hr).toBeGreaterThan(200);
    expect(hb).toBeLessThan(160); // yellow over white
    expect(hg).toBeGreaterThan(150);
    const [ar, , ab] = pixelAt(ppm, AREA[0] + 1, (AREA[1] + AREA[3]) / 2);
    expect(ab - ar).toBeGreaterThan(80); // the blue frame
    const [ir, , ib] = pixelAt(ppm, 150, 250);
    expect(ib).toBeGreaterThan(180);
    expect(ir).toBeLessThan(200); // purple ink
    expect(pixelAt(ppm, 450, 100)).toEqual([255, 255, 255]);
    // The text box's Chinese is drawn with the embedded font: pdftotext reads it back.
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s/g, '')).toContain('调查终结报告未载明证据清单');
  });
});

describe('annotation list workbook', () => {
  it('lists every annotation of the case with its file, page, comment and linked item', async () => {
    const out = await admin.call('export:annotationList', { caseId });
    expect(out.fileName).toBe('批注清单-甲县市场监督管理局-某许〔2025〕3号.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await downloadBytes(out.url)) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('批注清单')!;
    expect(ws.getCell('A1').value).toBe('批注清单\u3000甲县市场监督管理局\u3000某许〔2025〕3号');
    expect(ws.getRow(2).values).toEqual([
      undefined,
      '序号',
      '文件',
      '页码',
      '类型',
      '颜色',
      '标注的文字',
      '批注内容',
      '关联评查项',
      '标注人',
      '标注时间',
      '修改时间',
    ]);
    const rows = ws.getRows(3, ws.rowCount - 2)!.map((r) => (r.values as unknown[]).slice(1, 10));
    expect(rows).toHaveLength(marks.length);
    // Reading order: page 1 top to bottom (note, highlight, underline, area, ink, text box), then page 2.
    expect(rows.map((r) => r[3])).toEqual(['便签', '高亮', '下划线', '框选', '文字框', '手绘', '框选']);
    expect(rows[1]).toEqual([
      2,
      '立案审批表',
      1,
      '高亮',
      '黄',
      '行政处罚案卷 第1页',
      '立案审批表缺少负责人签名',
      '12.5 卷内材料有页号',
      '王组长',
    ]);
    expect(rows[6]!.slice(0, 3)).toEqual([7, '立案审批表', 2]);
  });
});
