/**
 * What a panel prints, opened the way the 司法局 opens it (LibreOffice → PDF → text and pages): the
 * 案卷评查表 of a file two reviewers scored and the lead settled by 组长确认, and the 抽取记录 of the
 * draw. A new user ran a whole campaign and found the panel's reason printed twice, submitted sheets
 * labelled 已定分, 13 pages for one file with a 否决项 column one character wide, and English
 * ("Unicode 码位", "Fisher–Yates") in the draw record.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { client } from '../support/backend.js';
import { openTestBackend, setupAdmin, submitPassingRest, type TestBackend } from '../support/backend.js';
import { docxParts, wordBoxes } from '../support/docx-xml.js';
import { convertWithLibreOffice, pdfFacts } from '../support/office.js';
import { createPeople, importPool, loginAs } from '../support/panel-fixtures.js';
import { outputDir } from '../support/temp.js';

type Client = ReturnType<typeof client>;

let t: TestBackend;
let admin: Client;
let campaignId: string;
let caseId: string;
let lead: Client;
let unsettledId: string;
const OUT = outputDir('printed-documents');

async function bytesOf(url: string): Promise<Buffer> {
  const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${url}`));
  expect(response!.status).toBe(200);
  return Buffer.from(await response!.arrayBuffer());
}

/** Writes the DOCX, converts it with LibreOffice and renders its pages at 60 dpi for a person to look at. */
function open(name: string, bytes: Buffer) {
  const docx = path.join(OUT, `${name}.docx`);
  fs.writeFileSync(docx, bytes);
  const pdf = convertWithLibreOffice(docx, OUT);
  execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(OUT, name)]);
  const raw = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  return { pdf, facts: pdfFacts(pdf), raw };
}

/** Scores a file on the caller's own sheet: each deduction once, with its reason and where it is. */
async function score(c: Client, file: string, deductions: Array<[string, string]>): Promise<void> {
  const view = await c.call('sheet:start', { caseId: file });
  let revision = view.sheet.revision;
  for (const [itemId, comment] of deductions)
    revision = (
      await c.call('sheet:answer', {
        sheetId: view.sheet.id,
        itemId,
        answer: { status: 'deduct', occurrences: 1, comment, location: '行政处罚决定书第2页' },
        revision,
      })
    ).revision;
  await submitPassingRest(c, view.sheet.id, revision);
}

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  campaignId = (await admin.call('campaign:create', { name: '2025年度行政执法案卷评查', year: 2025, issuingBody: '清溪县司法局' })).id;
  const ids = await importPool(t.backend, admin, campaignId, [
    { unitName: '清溪县市场监督管理局', caseType: 'penalty_general', count: 3, prefix: '清市监罚' },
    { unitName: '清溪县交通运输局', caseType: 'penalty_general', count: 2, prefix: '清交罚' },
  ]);
  caseId = ids.get('清市监罚〔2025〕1号')!;
  const people = await createPeople(admin, [
    { username: 'li', displayName: '李组长', role: 'lead', affiliation: '清溪县司法局', legalProfessional: true },
    { username: 'zhang', displayName: '张评查', role: 'reviewer', affiliation: '清溪县公安局' },
    { username: 'chen', displayName: '陈评查', role: 'reviewer', affiliation: '清溪县财政局', legalProfessional: true },
  ]);
  await admin.call('panel:setMembers', { campaignId, userIds: [...people.values()] });
  await admin.call('draw:run', { campaignId, perGroup: 2, seed: '2025-1207-88', witness: '县人大 赵见证' });
  for (const reviewer of ['zhang', 'chen']) await admin.call('assignment:add', { caseId, reviewerId: people.get(reviewer)! });
  // Both find the 事先告知书 incomplete; only 张评查 also finds the pages unnumbered.
  await score(await loginAs(t.backend, 'zhang'), caseId, [
    ['cfyb-4.3', '事先告知书未载明陈述申辩权利'],
    ['cfyb-7.3', '整卷未编页码'],
  ]);
  await score(await loginAs(t.backend, 'chen'), caseId, [['cfyb-4.3', '事先告知书未载明陈述申辩权利']]);
  // The second file: the two differ and nobody has settled it yet.
  const second = ids.get('清市监罚〔2025〕2号')!;
  for (const reviewer of ['zhang', 'chen']) await admin.call('assignment:add', { caseId: second, reviewerId: people.get(reviewer)! });
  await score(await loginAs(t.backend, 'zhang', 'w-zhang-2'), second, [['cfyb-4.3', '事先告知书未载明听证权利']]);
  await score(await loginAs(t.backend, 'chen', 'w-chen-2'), second, [['cfyb-6.3', '送达回证无受送达人签名']]);
  unsettledId = second;
  // The lead adopts 张评查's answer on 7.3 (his reason comes with it) and gives the panel's reason.
  lead = await loginAs(t.backend, 'li');
  const view = await lead.call('reconcile:open', { caseId });
  expect(view.review.state).toBe('flagged');
  expect(view.review.route).toBe('confirm');
  const zhangSheet = view.sheets.find((s) => s.sheet.reviewerName === '张评查')!;
  const decided = await lead.call('reconcile:answer', {
    caseId,
    itemId: 'cfyb-7.3',
    answer: zhangSheet.answers['cfyb-7.3']!,
    note: '卷内第5至9页无页码',
    revision: view.review.revision,
  });
  const settled = await lead.call('reconcile:finalise', { caseId, note: '经组长确认，第7.3项扣分', revision: decided.revision });
  expect(settled.state).toBe('final');
}, 240_000);
afterAll(() => t.close());

describe('the 案卷评查表', () => {
  let flat: string;
  let raw: string;
  let pages: number;
  let pdf: string;
  let docXml: string;
  beforeAll(async () => {
    const out = await lead.call('export:caseSheet', { caseId });
    const bytes = await bytesOf(out.url);
    docXml = (await docxParts(bytes)).document;
    const opened = open('case-sheet-settled', bytes);
    flat = opened.facts.text.replace(/\s+/g, '');
    raw = opened.raw;
    pages = opened.facts.pages;
    pdf = opened.pdf;
    expect([Math.round(opened.facts.widthPt), Math.round(opened.facts.heightPt)]).toEqual([595, 842]);
  }, 120_000);

  it('prints the panel’s reason once, after the reviewers’ own', () => {
    // The 扣分理由 cell, paragraph by paragraph as the DOCX holds it (the PDF's text interleaves columns).
    const paragraphs = docXml.split('</w:p>').map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
    const reason = paragraphs.filter((p) => p.includes('整卷未编页码') || p.includes('卷内第5至9页无页码'));
    expect(reason).toEqual(['张评查扣2分：整卷未编页码', '组长确认扣2分，理由：卷内第5至9页无页码（李组长）']);
    // Both reviewers said the same of 4.3: one line, both names.
    expect(paragraphs).toContain('张评查、陈评查扣2分：事先告知书未载明陈述申辩权利');
    expect(flat.match(/无页码/g)).toHaveLength(1);
  });

  it('labels the reviewers’ sheets 已提交 and the file’s result 已定分 by 组长确认', () => {
    expect(flat).toContain('张评查（已提交）');
    expect(flat).toContain('陈评查（已提交）');
    expect(flat).not.toMatch(/评查（已定分）/);
    expect(flat).toContain('组长确认定分（李组长');
    expect(flat).not.toContain('合议定分');
    // Each sheet's row names its reviewer once ("评查人 | 张评查（已提交）", not "张评查 | 张评查（已提交）").
    expect(flat).not.toContain('张评查张评查（已提交）');
    expect(flat).toContain('评查人张评查（已提交）');
    expect(flat).not.toContain('评查人定分结果');
  });

  it('cites the evidence by page, never by the PDF file name (it broke into fragments in the narrow column)', () => {
    const paragraphs = docXml.split('</w:p>').map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
    expect(paragraphs.filter((p) => /\.pdf/i.test(p))).toEqual([]);
    expect(paragraphs.some((p) => /^第[\d、]+页$/.test(p) || /；?第[\d、]+页$/.test(p))).toBe(true);
  });

  it('is a compact A4 form: at most 4 pages for the 46 items, the column headings on every page, no empty rows', () => {
    expect(pages).toBeLessThanOrEqual(4);
    for (const h of ['序号', '评查项目', '分值', '得分', '扣分理由', '佐证']) expect(flat).toContain(h);
    // Every page after the first repeats the heading row.
    for (let p = 2; p <= pages; p++) {
      const words = wordBoxes(pdf, p).map((w) => w.text);
      expect(words, `page ${p}`).toContain('扣分理由');
    }
    expect(docXml).toContain('<w:tblHeader/>');
    // The signature box is never a page of its own: the result rows above it share its page.
    const lastPage = wordBoxes(pdf, pages)
      .map((w) => w.text)
      .join('');
    expect(lastPage).toContain('评查人签名');
    expect(lastPage).toContain('评查日期');
    expect(docXml).toContain('<w:keepNext/>');
    // No row of the item table is empty: every <w:tr> says something.
    for (const row of docXml.match(/<w:tr>.*?<\/w:tr>|<w:tr .*?<\/w:tr>/gs) ?? [])
      expect((row.match(/<w:t(?: [^>]*)?>([^<]+)<\/w:t>/g) ?? []).length, row.slice(0, 200)).toBeGreaterThan(0);
  });

  it('reads every column horizontally: 否决项 and the headings on one line each', () => {
    const lines = raw.split('\n').map((l) => l.replace(/\s+/g, ''));
    for (const word of ['否决项', '评查项目', '扣分理由', '佐证'])
      expect(
        lines.some((l) => l.includes(word)),
        word,
      ).toBe(true);
    // A column too narrow prints one character per line: no line of the PDF is a lone 否, 决 or 项.
    expect(lines.filter((l) => /^[否决项]$/.test(l))).toEqual([]);
  });
});

describe('the 案卷评查表 of a file not yet settled', () => {
  it('scores each submitted sheet side by side, names in the headings on one line, and no result', async () => {
    const out = await admin.call('export:caseSheet', { caseId: unsettledId });
    const opened = open('case-sheet-unsettled', await bytesOf(out.url));
    const lines = opened.raw.split('\n').map((l) => l.replace(/\s+/g, ''));
    expect(lines.some((l) => l.includes('张评查'))).toBe(true);
    expect(lines.some((l) => l.includes('陈评查'))).toBe(true);
    expect(lines.filter((l) => l.length === 1 && '张陈评查'.includes(l))).toEqual([]);
    const flat = opened.facts.text.replace(/\s+/g, '');
    expect(flat).toContain('张评查（已提交）');
    expect(flat).toContain('陈评查（已提交）');
    expect(flat).not.toContain('已定分');
    expect(flat).not.toContain('定分情况');
    // Neither sheet's total is printed as the file's.
    expect(flat).toContain('尚未定分：各评查人的得分见上');
    expect(flat).not.toContain('总分');
    expect(opened.facts.pages).toBeLessThanOrEqual(4);
  });
});

describe('the 抽取记录', () => {
  it('says the method in Chinese a 司法局 prints, without English', async () => {
    const out = await admin.call('draw:exportRecord', { campaignId });
    const opened = open('draw-record', await bytesOf(out.url));
    const flat = opened.facts.text.replace(/\s+/g, '');
    expect(flat).toContain('洗牌法');
    expect(flat).toContain('任何人用本记录所列的同一种子和案卷池重新计算，都得到完全相同的结果');
    const draw = (await admin.call('draw:get', { campaignId })).current!;
    // Data is printed as it is: the seed and the pool's SM3 digest (hex, wrapped over lines). SM3 is
    // the national standard's own name for the digest. Nothing else may be in Latin letters.
    const words = (opened.raw.match(/[A-Za-z0-9–-]+/g) ?? [])
      .filter((w) => /[A-Za-z]/.test(w))
      .filter((w) => w !== 'SM3' && !draw.seed.includes(w) && !(w.length >= 4 && draw.poolDigest.includes(w)));
    expect(words ?? []).toEqual([]);
  });
});

describe('the 留痕 of the settling', () => {
  it('says the file was settled by 组长确认, not 集体评议', async () => {
    const rows = (await admin.call('audit:list', { limit: 200 })).rows;
    const settled = rows.find((r) => r.action === 'review.settle')!;
    expect(settled.sentence).toMatch(/^李组长 确定了案卷清市监罚〔2025〕1号的最终结果，得分 96（优秀）$/);
    expect(settled.details).toContain('来源：组长确认');
    expect(settled.details.join('\n')).not.toContain('集体评议');
  });
});
