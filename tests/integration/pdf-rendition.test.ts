/**
 * The PDF rendition read back by poppler: A4, the bundled font embedded as a subset, the text equal to
 * the content model's text in reading order, the GB/T 9704 grid (28 characters a line, 22 lines a
 * page, the text block at 37/28 mm), page numbers alternating sides, the 信函格式 without a number on
 * page 1. Page 1 of each rendition is kept as PNG in test-output/signing/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GBT9704, mmToPt } from '../../shared/core/gbt9704.js';
import { type Rendition } from '../../electron/services/letters/pdf-rendition/gongwen-pdf.js';
import { verificationLines } from '../../shared/signing/verification-block.js';
import { docText, type GongwenDoc } from '../../shared/letters/document.js';
import { PdfRenditions } from '../../electron/services/letters/pdf-rendition/renditions.js';
import { pdfFacts, pdfFonts, renderFirstPage } from '../support/office.js';
import { opinionLetter } from '../support/letter-fixture.js';
import { sealPng } from '../support/seal-png.js';
import { outputDir, RESOURCES_DIR } from '../support/temp.js';

const out = outputDir('signing');
const renditions = new PdfRenditions(path.join(RESOURCES_DIR, 'fonts', 'gbsn00lp.ttf'), '案卷评查工作站 test');
const MARK = {
  payload: `PCV1|${'0'.repeat(36)}|20250305|某司监〔2025〕12号|${'A'.repeat(43)}|${'B'.repeat(43)}|${'C'.repeat(96)}`,
  shortCode: 'M4YA-PXJ0-FNVS-QQJP',
};
const CHART_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300"/>';
const GRID_TEXT =
  '评查组认为你单位应当进一步健全行政执法案卷管理制度规范文书制作严格执行法定程序切实提高行政执法质量和水平确保每一件案卷都经得起检验';

interface Word {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  text: string;
}

/** Words with their boxes (pt, origin top-left) from `pdftotext -bbox`. */
function words(pdf: string): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  const result: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page += 1;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*)<\/word>/.exec(line);
    if (m) result.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), text: m[4]! });
  }
  return result;
}

const squash = (s: string): string => s.replace(/\s+/g, '');

async function save(
  name: string,
  doc: GongwenDoc,
  options: { verification?: boolean; seal?: boolean } = {},
): Promise<{ file: string; r: Rendition }> {
  const r = await renditions.render(doc, {
    charts: new Map([[CHART_SVG, sealPng(300)]]),
    verification: options.verification ? MARK : null,
    seal: options.seal ? sealPng() : null,
    documentId: 'test-document',
    createdAt: '2025-03-05T02:00:00.000Z',
  });
  const file = path.join(out, `${name}.pdf`);
  fs.writeFileSync(file, r.bytes);
  renderFirstPage(file, 110);
  return { file, r };
}

describe('PDF rendition (standard format)', () => {
  let file: string;
  let doc: GongwenDoc;
  beforeAll(async () => {
    doc = opinionLetter();
    doc.blocks.splice(1, 0, { type: 'p', text: GRID_TEXT });
    ({ file } = await save('rendition-standard', doc, { verification: true }));
  });

  it('is A4 with the bundled font embedded as a subset', () => {
    const facts = pdfFacts(file);
    expect(facts.widthPt).toBeCloseTo(595.28, 1);
    expect(facts.heightPt).toBeCloseTo(841.89, 1);
    expect(facts.pages).toBeGreaterThanOrEqual(2);
    const fonts = pdfFonts(file).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const row of fonts) expect(row).toMatch(/^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it("has exactly the content model's text, in reading order (plus page numbers, verification block and 版记)", () => {
    const raw = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
    const extracted = squash(raw.replace(/—\s*\d+\s*—/g, ''));
    const im = doc.imprint!;
    // 附件说明 as printed: "附件：1. 名称" (the model holds the names; both renderers add the labels).
    const attachments = doc.attachments.map((name, i) => `${i === 0 ? '附件：' : ''}${i + 1}.${name}`);
    const expected = squash(
      [
        ...docText({ ...doc, attachments }),
        ...verificationLines(MARK, false),
        `抄送：${im.cc.join('，')}。`,
        im.printer,
        `${im.printDateText}印发`,
      ].join(''),
    );
    expect(extracted).toBe(expected);
  });

  it('sets body text on the grid: 28 characters a line, 22 lines a page, inside the 156 × 225 mm block at 37/28 mm', () => {
    const w = words(file);
    const left = mmToPt(GBT9704.margin.leftMm);
    const right = left + mmToPt(GBT9704.textBlock.widthMm);
    const top = mmToPt(GBT9704.margin.topMm);
    const bottom = top + mmToPt(GBT9704.textBlock.heightMm);
    // The grid paragraph: first line indented two characters (26 characters), the next line full (28).
    const lines = w.filter((x) => GRID_TEXT.includes(x.text) && x.text.length > 10);
    expect(lines.map((l) => [...l.text].length).slice(0, 2)).toEqual([
      GBT9704.charsPerLine - GBT9704.firstLineIndentChars,
      GBT9704.charsPerLine,
    ]);
    const full = lines[1]!;
    expect(full.xMin).toBeCloseTo(left, 0);
    expect(full.xMax).toBeGreaterThan(right - 2);
    expect(full.xMax).toBeLessThan(right + 1);
    expect(lines[0]!.xMin).toBeCloseTo(left + 2 * GBT9704.charPitchPt, 0);
    expect(lines[1]!.yMin - lines[0]!.yMin).toBeCloseTo(GBT9704.linePitchPt, 1);
    // Page 2 is all body text: 22 lines between the block's top and bottom edges.
    const page2 = w.filter((x) => x.page === 2 && !/^[—\d]+$/.test(x.text));
    const rows = [...new Set(page2.map((x) => Math.round(x.yMin)))];
    expect(Math.min(...page2.map((x) => x.yMin))).toBeGreaterThan(top);
    expect(Math.max(...page2.map((x) => x.yMin))).toBeLessThan(bottom);
    expect(rows.length).toBeLessThanOrEqual(GBT9704.linesPerPage);
    for (const x of w.filter((x) => x.page <= 2 && !/^[—\d]+$/.test(x.text))) expect(x.xMin).toBeGreaterThan(left - 1);
  });

  it('numbers pages "— n —" 7 mm below the block, odd pages right and even pages left', () => {
    const w = words(file);
    const pages = Math.max(...w.map((x) => x.page));
    const bottom = mmToPt(GBT9704.margin.topMm + GBT9704.textBlock.heightMm);
    for (let p = 1; p <= pages; p++) {
      const number = w.find((x) => x.page === p && x.text === String(p) && x.yMin > bottom);
      expect(number, `page ${p}`).toBeDefined();
      expect(number!.yMin - bottom).toBeGreaterThan(mmToPt(GBT9704.pageNumberBelowTextMm) - 2);
      expect(number!.yMin - bottom).toBeLessThan(mmToPt(GBT9704.pageNumberBelowTextMm) + 6);
      if (p % 2 === 1) expect(number!.xMin).toBeGreaterThan(400);
      else expect(number!.xMin).toBeLessThan(200);
    }
  });

  it('renders the same letter to the same bytes', async () => {
    const again = await renditions.render(doc, {
      charts: new Map(),
      verification: MARK,
      seal: null,
      documentId: 'test-document',
      createdAt: '2025-03-05T02:00:00.000Z',
    });
    expect(Buffer.from(again.bytes).equals(fs.readFileSync(file))).toBe(true);
  });
});

describe('PDF rendition (信函格式, appendix, seal image)', () => {
  it('has no page number on page 1, an appendix with table and chart, and the seal over 署名 and date', async () => {
    const doc = opinionLetter({
      format: 'letter',
      head: { bodyMark: '某某县司法局', documentNumber: '某司监函〔2025〕3号' },
      note: '联系人：李某某，电话：0000-12345678',
      appendices: [
        {
          label: '附件1',
          title: '问题清单',
          blocks: [
            {
              type: 'table',
              columns: [
                { title: '序号', width: 0.1, align: 'center' },
                { title: '案号', width: 0.3, align: 'left' },
                { title: '问题', width: 0.6, align: 'left' },
              ],
              rows: Array.from({ length: 30 }, (_, i) => [
                String(i + 1),
                `某许〔2025〕${i + 1}号`,
                '卷内材料未编页号，送达回证未载明送达方式，文书存在涂改。',
              ]),
            },
            {
              type: 'chart',
              chart: { title: '各等次案卷数', svg: CHART_SVG, widthPx: 600, heightPx: 300, widthMm: 150, alt: '优秀1件，合格4件' },
            },
          ],
        },
      ],
    });
    const { file, r } = await save('rendition-letter-seal', doc, { verification: true, seal: true });
    const w = words(file);
    const bottom = mmToPt(GBT9704.margin.topMm + GBT9704.textBlock.heightMm);
    expect(w.some((x) => x.page === 1 && x.yMin > bottom && x.text === '1')).toBe(false);
    expect(w.some((x) => x.page === 2 && x.yMin > bottom && x.text === '2')).toBe(true);
    // The table's header row repeats on the page it continues on.
    const headerPages = w.filter((x) => x.text === '序号').map((x) => x.page);
    expect(new Set(headerPages).size).toBeGreaterThanOrEqual(2);
    expect(r.pages).toBe(Math.max(...w.map((x) => x.page)));
    // The seal is centred on the date line's centre.
    const date = w.filter((x) => x.text.includes('2025年3月5日') && x.page === r.seal.page && x.yMin < bottom)[0]!;
    expect(mmToPt(r.seal.xMm)).toBeCloseTo((date.xMin + date.xMax) / 2, -1);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('所示印章为图像，不是依法设立的电子印章');
    expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })).toMatch(/smask/);
  });

  it('refuses a letter with characters the bundled font lacks, naming them', async () => {
    const doc = opinionLetter({ addressee: '某某县喆堃商贸有限公司' });
    await expect(
      renditions.render(doc, {
        charts: new Map(),
        verification: null,
        seal: null,
        documentId: null,
        createdAt: '2025-03-05T02:00:00.000Z',
      }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('喆、堃'),
    });
  });
});
