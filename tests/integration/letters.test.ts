/**
 * Letters, ledger and statistics through the real back end: templates in the database, 文号 from the
 * body's sequence, every document type exported, opened by LibreOffice and read back with poppler
 * (A4, text, page count, margins measured on the page), layout measured in the DOCX XML against
 * shared/gbt9704.ts. Every DOCX, its PDF and a PNG of page 1 stay in test-output/letters/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { Packer } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gongwenLetterDocument } from '../../electron/services/letters/gongwen-letter.js';
import { LINE_PITCH_TWIP } from '../../electron/services/letters/gongwen-docx.js';
import { FONT_SIZE_PT, GBT9704, GBT9704_LETTERS, GONGWEN_FONTS, GONGWEN_RED, mmToPt, mmToTwip } from '../../shared/core/gbt9704.js';
import { chineseNumber } from '../../shared/letters/compose.js';
import { campaignStatistics } from '../../shared/letters/statistics.js';
import type { GongwenDoc } from '../../shared/letters/document.js';
import {
  client,
  openTestBackend,
  scoreLicencesWithTable,
  setupAdmin,
  stage,
  submitPassingRest,
  type TestBackend,
} from '../support/backend.js';
import { docxParts, pageSetup, redRules, wordBoxes } from '../support/docx-xml.js';
import { convertWithLibreOffice, pdfFacts, renderFirstPage } from '../support/office.js';
import { importPool } from '../support/panel-fixtures.js';
import { agreeWithSheets, SAMPLE_FILES, scoredCampaign } from '../support/scored-campaign.js';
import { outputDir } from '../support/temp.js';
import { LEDGER_COLUMNS } from '../support/ledger.js';

let t: TestBackend;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let campaignId: string;
let cases: Map<string, string>;
const OUT = outputDir('letters');

async function bytesOf(url: string): Promise<Buffer> {
  const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${url}`));
  expect(response!.status).toBe(200);
  return Buffer.from(await response!.arrayBuffer());
}

/** Saves the DOCX, converts it, renders page 1: the files a person opens after the run. */
function keep(name: string, bytes: Uint8Array) {
  const docx = path.join(OUT, `${name}.docx`);
  fs.writeFileSync(docx, bytes);
  const pdf = convertWithLibreOffice(docx, OUT);
  const png = renderFirstPage(pdf, 100);
  return { docx, pdf, png, facts: pdfFacts(pdf) };
}

const unitId = async (name: string): Promise<string> =>
  (await admin.call('letter:list', { campaignId })).units.find((u) => u.unitName === name)!.unitId;

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  ({ campaignId, cases } = await scoredCampaign(t.backend, admin));
});
afterAll(() => t.close());

describe('templates', () => {
  it('starts from the defaults, saves edits (audited) and refuses unknown placeholders in Chinese', async () => {
    const initial = await admin.call('letter:template', { kind: 'opinion' });
    expect(initial.updatedAt).toBeNull();
    expect(initial.template.paragraphs.opening).toContain('{评查标准}');
    const bad = await admin.fail('letter:saveTemplate', {
      kind: 'opinion',
      template: { ...initial.template, paragraphs: { ...initial.template.paragraphs, opinion: '请{单位}整改' } },
    });
    expect(bad).toMatchObject({ code: 'invalid_input', message: '“监督意见”中的占位符 {单位} 无法识别。' });
    const badPrefix = await admin.fail('letter:saveTemplate', {
      kind: 'opinion',
      template: { ...initial.template, numberPrefix: '某司监〔2025〕' },
    });
    expect(badPrefix.code).toBe('invalid_input');
    expect(badPrefix.message).toContain('文号前缀');
    const saved = await admin.call('letter:saveTemplate', {
      kind: 'opinion',
      template: {
        ...initial.template,
        numberPrefix: '某司监',
        contactName: '赵六',
        contactPhone: '0730-1234567',
        paragraphs: { ...initial.template.paragraphs, closing: '特此函告。' },
        sections: { ...initial.template.sections, imprint: true },
        cc: ['县人民政府办公室', '县人民检察院'],
        extraAttachments: ['案卷评查表（4份）'],
      },
    });
    expect(saved.updatedBy).toBe('王组长');
    expect((await admin.call('letter:template', { kind: 'opinion' })).template.paragraphs.closing).toBe('特此函告。');
    const audit = t.backend.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'letterTemplate.save'").get();
    expect(audit).toEqual({ n: 1 });
  });
});

describe('监督意见书', () => {
  it('previews with every problem, its standard item, deduction and page, and names the fonts it needs', async () => {
    const unit = await unitId('某某县市场监督管理局');
    const { doc, fonts } = await admin.call('letter:preview', { campaignId, kind: 'opinion', unitId: unit, date: '2025-03-05' });
    expect(doc.head.documentNumber).toBe('某司监〔2025〕　号');
    expect(doc.notes.provisionalFiles).toEqual(['某市监许〔2025〕12号', '某市监许〔2025〕7号']);
    const text = JSON.stringify(doc);
    expect(text).toContain('申请材料不全，未一次性告知申请人需要补正的全部内容（见某市监许〔2025〕7号案卷第2页）。依据：评查标准第2项');
    expect(text).toContain(
      '受理决定超过法定期限5日作出（见某市监许〔2025〕12号）。依据：评查标准第4项“在规定期限内作出受理或不予受理决定”，扣6分。整改要求：',
    );
    expect(fonts.map((f) => f.family).sort()).toEqual(
      [
        GONGWEN_FONTS.title,
        GONGWEN_FONTS.body,
        GONGWEN_FONTS.heading1,
        GONGWEN_FONTS.heading2,
        GONGWEN_FONTS.pageNumber,
        GONGWEN_FONTS.latin,
      ].sort(),
    );
    // An unsaved template previews without being stored.
    const tpl = (await admin.call('letter:template', { kind: 'opinion' })).template;
    const draft = await admin.call('letter:preview', {
      campaignId,
      kind: 'opinion',
      unitId: unit,
      template: { ...tpl, title: '关于{被评查单位}案卷评查情况的监督意见书' },
    });
    // Its files are not settled yet: the title says the letter holds 暂定 results.
    expect(draft.doc.title).toBe('关于某某县市场监督管理局案卷评查情况的监督意见书（含暂定结果）');
    expect((await admin.call('letter:template', { kind: 'opinion' })).template.title).toBe('行政执法监督意见书');
  });

  it('refuses to export provisional results unless asked, then numbers letters from the body’s sequence', async () => {
    const unit = await unitId('某某县市场监督管理局');
    const refused = await admin.fail('letter:export', { campaignId, kind: 'opinion', unitId: unit });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain('某市监许〔2025〕12号');
    expect(refused.message).toContain('包含暂定结果');
    agreeWithSheets(t.backend);
    const first = await admin.call('letter:export', { campaignId, kind: 'opinion', unitId: unit, date: '2025-03-05' });
    expect(first.documentNumber).toBe('某司监〔2025〕1号');
    expect(first.fileName).toBe('行政执法监督意见书-某某县市场监督管理局-某司监〔2025〕1号.docx');
    const again = await admin.call('letter:export', { campaignId, kind: 'opinion', unitId: unit, date: '2025-03-06' });
    expect(again.documentNumber).toBe('某司监〔2025〕1号');
    const other = await admin.call('letter:export', {
      campaignId,
      kind: 'opinion',
      unitId: await unitId('某某县交通运输局'),
      date: '2025-03-05',
    });
    expect(other.documentNumber).toBe('某司监〔2025〕2号');
    const list = await admin.call('letter:list', { campaignId });
    expect(
      list.letters
        .filter((l) => l.kind === 'opinion')
        .map((l) => l.documentNumber)
        .sort(),
    ).toEqual(['某司监〔2025〕1号', '某司监〔2025〕2号']);
    expect(list.units.find((u) => u.unitName === '某某县市场监督管理局')).toMatchObject({
      fileCount: 2,
      finalCount: 2,
      provisionalCount: 0,
      problemCount: 5,
    });

    // 信函格式 with 版记: the layout read back from the DOCX XML and from the page LibreOffice prints.
    const bytes = await bytesOf(first.url);
    const { document, footers, runs } = await docxParts(bytes);
    const page = pageSetup(document);
    expect(page).toEqual({
      width: 11906,
      height: 16838,
      top: mmToTwip(GBT9704.margin.topMm),
      bottom: mmToTwip(GBT9704.margin.bottomMm),
      left: mmToTwip(GBT9704.margin.leftMm),
      right: mmToTwip(GBT9704.margin.rightMm),
    });
    const runOf = (text: string) => runs.find((r) => r.text === text)!;
    expect(runOf('行政执法监督意见书')).toMatchObject({ eastAsia: GONGWEN_FONTS.title, halfPoints: GBT9704.titleSizePt * 2 });
    expect(runOf('某某县司法局')).toMatchObject({ eastAsia: GONGWEN_FONTS.title, color: GONGWEN_RED });
    expect(runOf('一、评查总体情况')).toMatchObject({ eastAsia: GONGWEN_FONTS.heading1, halfPoints: GBT9704.bodySizePt * 2 });
    expect(runOf('（一）受理方面')).toMatchObject({ eastAsia: GONGWEN_FONTS.heading2, halfPoints: GBT9704.bodySizePt * 2 });
    const body = runs.filter((r) => r.text.startsWith('根据《中华人民共和国行政许可法》和行政执法监督有关规定'))[0]!;
    expect(body).toMatchObject({ eastAsia: GONGWEN_FONTS.body, halfPoints: GBT9704.bodySizePt * 2 });
    // 28 characters of 3号 on a 156 mm line: each character tightened so exactly 28 fit.
    const advance = GBT9704.bodySizePt * 20 + body.spacing!;
    expect(advance * 28).toBeLessThanOrEqual(mmToTwip(GBT9704.textBlock.widthMm));
    expect(advance * 29).toBeGreaterThan(mmToTwip(GBT9704.textBlock.widthMm));
    expect(document).toContain(`w:line="${LINE_PITCH_TWIP}" w:lineRule="exact"`);
    expect(LINE_PITCH_TWIP * GBT9704.linesPerPage).toBeLessThanOrEqual(16838 - mmToTwip(37) - mmToTwip(35));
    expect(runOf('抄送：县人民政府办公室，县人民检察院。')).toMatchObject({
      eastAsia: GONGWEN_FONTS.body,
      halfPoints: FONT_SIZE_PT.si * 2,
    });
    // Page numbers: 4号宋体 "— n —", odd right, even left; none on page 1 of the 信函格式.
    expect(document).toContain('<w:titlePg/>');
    const numbered = footers.filter((f) => f.includes('PAGE'));
    expect(numbered).toHaveLength(2);
    for (const f of numbered) {
      expect(f).toContain(`w:eastAsia="${GONGWEN_FONTS.pageNumber}"`);
      expect(f).toContain(`<w:sz w:val="${GBT9704.pageNumberSizePt * 2}"/>`);
    }
    expect(numbered.some((f) => f.includes('<w:jc w:val="right"/>'))).toBe(true);
    expect(numbered.some((f) => f.includes('<w:jc w:val="left"/>'))).toBe(true);

    const { pdf, facts } = keep('opinion-letter-format', bytes);
    expect([Math.round(facts.widthPt), Math.round(facts.heightPt)]).toEqual([595, 842]);
    expect(facts.pages).toBeGreaterThanOrEqual(2);
    // Four pages of letter (each problem with its 依据 and 整改要求; the signature kept with body text) and the 附件.
    expect(facts.pages).toBeLessThanOrEqual(6);
    for (const s of [
      '某某县司法局',
      '某司监〔2025〕1号',
      '行政执法监督意见书',
      '某某县市场监督管理局：',
      '二、存在的问题',
      '特此函告。',
      '附件：1. 某某县市场监督管理局案卷评查问题清单',
      '2025年3月5日',
      '联系人：赵六',
      '某某县市场监督管理局案卷评查问题清单',
      '抄送：县人民政府办公室',
    ])
      expect(facts.text.replace(/\s+/g, '')).toContain(s.replace(/\s+/g, ''));
    expect(facts.text).toMatch(/—\s*2\s*—/);
    expect(facts.text.split('\f')[0]).not.toMatch(/—\s*1\s*—/);
    // Measured on the printed page: the body's left edge is the 28 mm binding margin, the 文号 ends at the 26 mm right margin.
    const words = wordBoxes(pdf, 1);
    const addressee = words.find((w) => w.text.startsWith('某某县市场监督管理局'))!;
    expect(Math.abs(addressee.xMin - mmToPt(GBT9704.margin.leftMm))).toBeLessThan(2);
    const number = words.filter((w) => w.text.includes('号')).sort((a, b) => a.yMin - b.yMin)[0]!;
    expect(Math.abs(number.xMax - mmToPt(GBT9704.page.widthMm - GBT9704.margin.rightMm))).toBeLessThan(3);
    // 信函格式: the name's top 30 mm from the edge, a double rule about 4 mm under it, the foot rule 20 mm above the bottom edge.
    const name = words.find((w) => w.text === '某某县司法局')!;
    expect(Math.abs(name.yMin - mmToPt(GBT9704_LETTERS.letter.bodyNameTopMm))).toBeLessThan(mmToPt(1.5));
    const [headRule, footRule, ...more] = redRules(pdf, 1);
    expect(more).toEqual([]);
    const gap = headRule!.topMm - (name.yMax * 25.4) / 72;
    expect(gap).toBeGreaterThan(GBT9704_LETTERS.letter.doubleRuleBelowNameMm - 2.5);
    expect(gap).toBeLessThan(GBT9704_LETTERS.letter.doubleRuleBelowNameMm + 1);
    expect(Math.abs(GBT9704.page.heightMm - footRule!.bottomMm - GBT9704_LETTERS.letter.footRuleAboveBottomMm)).toBeLessThan(1.5);
    // Page 2 has no letterhead.
    expect(redRules(pdf, 2)).toEqual([]);
  });

  it('exports every unit’s letter as one ZIP', async () => {
    const out = await admin.call('letter:exportAll', { campaignId, kind: 'opinion', date: '2025-03-05' });
    expect(out.count).toBe(3);
    const zip = await (await import('jszip')).default.loadAsync(await bytesOf(out.url));
    expect(Object.keys(zip.files).sort()).toEqual([
      '行政执法监督意见书-某某县交通运输局-某司监〔2025〕2号.docx',
      '行政执法监督意见书-某某县市场监督管理局-某司监〔2025〕1号.docx',
      '行政执法监督意见书-某某县自然资源局-某司监〔2025〕3号.docx',
    ]);
  });
});

describe('整改通知书, 通报 and 案卷评查表', () => {
  it('exports the 整改通知书 in the standard format with its own 文号', async () => {
    const tpl = (await admin.call('letter:template', { kind: 'notice' })).template;
    await admin.call('letter:saveTemplate', {
      kind: 'notice',
      template: { ...tpl, format: 'standard', numberPrefix: '某司整改', contactName: '赵六', contactPhone: '0730-1234567' },
    });
    const out = await admin.call('letter:export', {
      campaignId,
      kind: 'notice',
      unitId: await unitId('某某县自然资源局'),
      date: '2025-03-05',
    });
    expect(out.documentNumber).toBe('某司整改〔2025〕1号');
    const bytes = await bytesOf(out.url);
    const { runs, document } = await docxParts(bytes);
    expect(runs.find((r) => r.text === '某某县司法局文件')).toMatchObject({ color: GONGWEN_RED, eastAsia: GONGWEN_FONTS.title });
    expect(document).toContain(`w:color="${GONGWEN_RED}"`);
    const { facts, pdf } = keep('notice-standard-format', bytes);
    // Standard format: the 发文机关标志 35 mm below the text block's top, the red rule 4 mm under the 发文字号.
    const words = wordBoxes(pdf, 1);
    const mark = words.find((w) => w.text === '某某县司法局文件')!;
    expect(Math.abs((mark.yMin * 25.4) / 72 - GBT9704.margin.topMm - GBT9704_LETTERS.standard.bodyMarkBelowTextTopMm)).toBeLessThan(1.5);
    const numberLine = words.filter((w) => w.yMin > mark.yMax && w.yMin < mark.yMax + mmToPt(30));
    expect(numberLine.map((w) => w.text).join('')).toBe('某司整改〔2025〕1号');
    const numberBottom = Math.max(...numberLine.map((w) => (w.yMax * 25.4) / 72));
    const [rule, ...others] = redRules(pdf, 1);
    expect(others).toEqual([]);
    expect(Math.abs(rule!.topMm - numberBottom - GBT9704_LETTERS.standard.redRuleBelowNumberMm)).toBeLessThan(1.5);
    expect([Math.round(facts.widthPt), Math.round(facts.heightPt)]).toEqual([595, 842]);
    expect(facts.pages).toBeLessThanOrEqual(5);
    const flat = facts.text.replace(/\s+/g, '');
    for (const s of [
      '某某县司法局文件',
      '某司整改〔2025〕1号',
      '整改通知书',
      '一、需整改的问题',
      '收费未使用统一票据',
      '特此通知。',
      '—1—',
    ])
      expect(flat).toContain(s);
  });

  it('exports the 通报 with ranking, grade counts, charts (PNG with SVG) and masked parties', async () => {
    const out = await admin.call('letter:export', { campaignId, kind: 'bulletin', date: '2025-03-05' });
    const bytes = await bytesOf(out.url);
    const zip = await (await import('jszip')).default.loadAsync(bytes);
    const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
    expect(media.filter((f) => f.endsWith('.png'))).toHaveLength(3);
    expect(media.filter((f) => f.endsWith('.svg'))).toHaveLength(3);
    const { facts, pdf } = keep('bulletin', bytes);
    expect(facts.pages).toBeGreaterThanOrEqual(3);
    expect(facts.pages).toBeLessThanOrEqual(8);
    const flat = facts.text.replace(/\s+/g, '');
    for (const s of [
      '关于2025年度行政执法案卷评查结果的通报',
      '各有关行政执法单位：',
      '优秀1件，占25.0%',
      '某某县交通运输局',
      '三、存在的主要问题',
      '张某联系电话138****5678',
    ])
      expect(flat).toContain(s);
    expect(flat).not.toContain('13812345678');
    // The charts are real pictures on the page.
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images.length).toBeGreaterThanOrEqual(3);
  });

  it('prints the 案卷评查表 with every reviewer side by side and the final result', async () => {
    const caseId = cases.get(SAMPLE_FILES[0]!.caseNumber)!;
    const liu = await admin.call('user:create', {
      username: 'liu',
      displayName: '刘评查',
      role: 'reviewer',
      affiliation: '某某县公安局',
      password: 'Passw0rd!',
    });
    const scorers = (await admin.call('panel:get', { campaignId })).members.map((m) => m.userId);
    await admin.call('panel:setMembers', { campaignId, userIds: [...scorers, liu.id] });
    await admin.call('assignment:add', { caseId, reviewerId: liu.id });
    const reviewer = client(t.backend, 'reviewer-client');
    await reviewer.call('auth:login', { username: 'liu', password: 'Passw0rd!' });
    const view = await reviewer.call('sheet:start', { caseId });
    await reviewer.call('sheet:answer', {
      sheetId: view.sheet.id,
      itemId: 'xk-2',
      answer: { status: 'deduct', comment: '未一次性告知补正内容' },
      revision: view.sheet.revision,
    });
    // The reviewer (blind review) gets only their own column.
    const own = await reviewer.call('export:caseSheet', { caseId });
    expect(own.fileName).toBe(`案卷评查表-某某县市场监督管理局-${SAMPLE_FILES[0]!.caseNumber}-刘评查.docx`);
    const all = await admin.call('export:caseSheet', { caseId });
    expect(all.fileName).toBe(`案卷评查表-某某县市场监督管理局-${SAMPLE_FILES[0]!.caseNumber}-王组长、刘评查.docx`);
    const bytes = await bytesOf(all.url);
    const { runs } = await docxParts(bytes);
    // The item table scores the settled result; every sheet's total is in the summary under it.
    // Each sheet's row is headed 评查人 and names its reviewer with the sheet's state (checked in the text below).
    expect(runs.map((r) => r.text)).toEqual(expect.arrayContaining(['得分', '扣分理由', '佐证', '评查人', '定分结果']));
    const { facts } = keep('case-sheet', bytes);
    const flat = facts.text.replace(/\s+/g, '');
    // The sheet still being scored prints its progress and deductions, never a total and grade.
    for (const s of [
      '案卷评查表',
      '王组长（已提交）得分88.5分（合格）',
      '刘评查（评查中）',
      '未评完：已评1/19项',
      '已扣10分',
      '定分结果已定分得分88.5分（合格）',
      '最终得分88.5分（满分100分）',
    ])
      expect(flat).toContain(s);
    expect(flat).not.toContain('90分（优秀）');
    expect([Math.round(facts.widthPt), Math.round(facts.heightPt)]).toEqual([595, 842]);
  });
});

describe('the GB/T 9704 grid', () => {
  it('sets 22 lines a page and 28 characters a line', async () => {
    const filler = (i: number): string => {
      const head = `第${chineseNumber(i)}段`;
      return head + '测'.repeat(26 - head.length);
    };
    const doc: GongwenDoc = {
      kind: 'opinion',
      format: 'standard',
      head: { bodyMark: '某某县司法局文件', documentNumber: '某司监〔2025〕9号' },
      title: '版心测试',
      addressee: '某某县市场监督管理局',
      blocks: [
        { type: 'p', text: `甲${'格'.repeat(24)}乙丙${'线'.repeat(26)}丁` },
        ...Array.from({ length: 60 }, (_, i) => ({ type: 'p' as const, text: filler(i + 1) })),
      ],
      attachments: [],
      signature: { signer: '某某县司法局', date: '2025-03-05', dateText: '2025年3月5日' },
      note: null,
      appendices: [],
      imprint: null,
      notes: { provisionalFiles: [], masked: false },
    };
    const bytes = await Packer.toBuffer(gongwenLetterDocument(doc, new Map()));
    const { pdf } = keep('grid', bytes);
    const page2 = execFileSync('pdftotext', ['-f', '2', '-l', '2', pdf, '-'], { encoding: 'utf8' });
    expect(page2.match(/第[一二三四五六七八九十]+段/g)).toHaveLength(GBT9704.linesPerPage);
    // First line: 2 characters of indent + 26; the second line holds exactly 28.
    const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim());
    expect(page1).toContain(`甲${'格'.repeat(24)}乙`);
    expect(page1).toContain(`丙${'线'.repeat(26)}丁`);
  });
});

describe('整改台账', () => {
  it('makes one row per final problem, tracks status with audit and revisions, flags overdue rows, stores evidence', async () => {
    const before = await admin.call('ledger:list', { campaignId });
    expect(before.rows).toEqual([]);
    expect(before.unsynced).toBe(11);
    expect(await admin.call('ledger:sync', { campaignId, deadline: '2025-04-04' })).toEqual({ added: 11, updated: 0, withdrawn: 0 });
    expect(await admin.call('ledger:sync', { campaignId })).toEqual({ added: 0, updated: 0, withdrawn: 0 });
    const { rows } = await admin.call('ledger:list', { campaignId });
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 11 }, (_, i) => `ZG2025-${String(i + 1).padStart(3, '0')}`));
    const row = rows.find((r) => r.description.startsWith('卷内材料未编页号'))!;
    expect(row).toMatchObject({
      unitName: '某某县市场监督管理局',
      pages: '第3页',
      category: '文书制作与案卷归档',
      itemCode: '12.5',
      deduction: '1.5',
      status: 'pending',
      deadline: '2025-04-04',
    });
    // 2025-04-04 is in the past by now: every open row is overdue, and still 待整改.
    expect(row).toMatchObject({ status: 'pending', overdue: true });

    const moved = await admin.call('ledger:update', {
      rowId: row.id,
      patch: { status: 'in_progress', responsible: '陈科长', deadline: '2099-12-31' },
      revision: row.revision,
    });
    expect(moved).toMatchObject({ status: 'in_progress', overdue: false, responsible: '陈科长' });
    const stale = await admin.fail('ledger:update', { rowId: row.id, patch: { status: 'awaiting_check' }, revision: row.revision });
    expect(stale.code).toBe('conflict');
    const unchecked = await admin.fail('ledger:update', { rowId: row.id, patch: { status: 'closed' }, revision: moved.revision });
    expect(unchecked).toMatchObject({ code: 'invalid_input', message: '销号前请填写核查人。' });

    const sourceId = await stage(t.backend, admin, '整改报告-页码补正.pdf', new TextEncoder().encode('%PDF-1.4 整改佐证'));
    const attached = await admin.call('ledger:attach', { rowId: row.id, sourceId });
    expect(attached.evidence.map((e) => e.fileName)).toEqual(['整改报告-页码补正.pdf']);
    const evidence = await admin.call('ledger:evidence', { evidenceId: attached.evidence[0]!.id });
    expect((await bytesOf(evidence.url)).toString()).toBe('%PDF-1.4 整改佐证');

    const closed = await admin.call('ledger:update', {
      rowId: row.id,
      patch: { status: 'closed', checker: '赵六', checkOpinion: '已补编页号，整改到位' },
      revision: attached.revision,
    });
    expect(closed.status).toBe('closed');
    expect(closed.closedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const audit = t.backend.db
      .prepare('SELECT action FROM audit_log WHERE entity_id = ? ORDER BY id')
      .all(row.id)
      .map((r) => (r as { action: string }).action);
    expect(audit).toEqual(['ledger.status.in_progress', 'ledger.evidence.add', 'ledger.status.closed']);

    // Exported XLSX: opens in LibreOffice; overdue rows are filled red, closed ones green.
    const out = await admin.call('ledger:export', { campaignId });
    expect(out.fileName).toBe('整改台账-2025年度行政执法案卷评查.xlsx');
    const xlsx = await bytesOf(out.url);
    const file = path.join(OUT, 'ledger.xlsx');
    fs.writeFileSync(file, xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('整改台账')!;
    expect(ws.getRow(3).values).toEqual([undefined, ...LEDGER_COLUMNS]);
    const statusOf = (n: number) => String(ws.getRow(n).getCell(LEDGER_COLUMNS.indexOf('整改状态') + 1).value);
    const fills = Array.from({ length: 11 }, (_, i) => [
      statusOf(i + 4),
      (ws.getRow(i + 4).getCell(1).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb,
    ]);
    // An overdue row keeps its state and says 逾期 under it (待整改 / （逾期）), never 逾期 alone.
    const overdue = fills.filter(([s]) => s!.endsWith('（逾期）'));
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every(([s, f]) => /^(待整改|整改中|已整改待核)\n（逾期）$/.test(s!) && f === 'FFFFC7CE')).toBe(true);
    expect(fills.map(([s]) => s)).not.toContain('逾期');
    expect(fills.filter(([s]) => s === '已销号')).toEqual([['已销号', 'FFE2EFDA']]);
    const pdf = convertWithLibreOffice(file, OUT);
    const facts = pdfFacts(pdf);
    expect(Math.round(facts.widthPt)).toBe(842);
    const flat = facts.text.replace(/\s+/g, '');
    // (Long values wrap in their cells, so only their first line is read back in one piece.)
    for (const s of ['问题整改台账', 'ZG2025-001', '已销号', '逾期', '整改报告-页', '已补编页号']) expect(flat).toContain(s);
    // Deadlines print the bureau's way (2025年4月4日), never as 2025-04-04 or 4/4/2025.
    expect(flat).toContain('2025年4月4日');
    expect(flat).toContain('2099年12月31日');
    expect(flat).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{2,4}/);
    renderFirstPage(pdf, 80);
  });
});

describe('statistics', () => {
  it('gives unit averages and grades, grade counts and problems by category and item, with charts', async () => {
    const s = await admin.call('stats:campaign', { campaignId });
    expect(s).toMatchObject({ drawn: false, fileCount: 4, submittedCount: 4, finalCount: 4, provisionalCount: 0, unscoredCount: 0 });
    expect(s.units.map((u) => [u.rank, u.unitName, u.average, u.grade])).toEqual([
      [1, '某某县交通运输局', 98.5, '优秀'],
      [2, '某某县市场监督管理局', 83.75, '合格'],
      [3, '某某县自然资源局', 49, '不合格'],
    ]);
    expect(s.grades).toEqual([
      { grade: '优秀', count: 1, rate: 0.25 },
      { grade: '合格', count: 2, rate: 0.5 },
      { grade: '不合格', count: 1, rate: 0.25 },
    ]);
    expect(s.categories[0]).toMatchObject({ category: '审查与决定', count: 5 });
    expect(s.items[0]).toMatchObject({ itemCode: '2', count: 2 });
    expect(s.charts.ranking.svg).toContain('某某县交通运输局');
  });
});

/**
 * A campaign as it really runs: six units' pools, a recorded draw, two reviewers on one file whose
 * panel overrules a deduction, a unit whose files show no problem, and a file still in draft.
 */
describe('letters of a drawn campaign', () => {
  let d: TestBackend;
  let lead: Awaited<ReturnType<typeof setupAdmin>>;
  let drawnCampaign: string;
  let drawn: Map<string, string[]>;
  const POOL = [
    { unitName: '某某县公安局', caseType: 'license' as const, count: 3, prefix: '某公许' },
    { unitName: '某某县市场监督管理局', caseType: 'license' as const, count: 3, prefix: '某市监许' },
    { unitName: '清溪县某局', caseType: 'license' as const, count: 2, prefix: '清某许' },
    { unitName: '某某县交通运输局', caseType: 'license' as const, count: 2, prefix: '某交许' },
    { unitName: '某某县生态环境局', caseType: 'license' as const, count: 1, prefix: '某环许' },
    { unitName: '某某县农业农村局', caseType: 'license' as const, count: 3, prefix: '某农许' },
  ];
  const unitOf = async (name: string) =>
    (await lead.call('letter:list', { campaignId: drawnCampaign })).units.find((u) => u.unitName === name)!;
  const bytesFrom = async (url: string) =>
    Buffer.from(await (await d.backend.handleBytes(new Request(`http://127.0.0.1${url}`)))!.arrayBuffer());

  /** The scorer is assigned to the file (only assigned reviewers keep a sheet), then answers and maybe submits. */
  let wang: typeof lead;
  async function score(c: typeof lead, caseId: string, answers: Array<[string, string]>, submit: boolean) {
    const me = (await c.call('auth:status', {})).user!.id;
    if (!d.backend.db.prepare('SELECT 1 FROM assignments WHERE case_id = ? AND reviewer_id = ?').get(caseId, me))
      await lead.call('assignment:add', { caseId, reviewerId: me });
    const view = await c.call('sheet:start', { caseId });
    let revision = view.sheet.revision;
    for (const [itemId, comment] of answers)
      revision = (
        await c.call('sheet:answer', {
          sheetId: view.sheet.id,
          itemId,
          answer: { status: 'deduct', comment, location: '行政许可决定书第2页' },
          revision,
        })
      ).revision;
    if (submit) await submitPassingRest(c, view.sheet.id, revision);
    return view.sheet.id;
  }

  beforeAll(async () => {
    d = openTestBackend();
    lead = await setupAdmin(d.backend, 'drawn-lead');
    drawnCampaign = (await lead.call('campaign:create', { name: '2026年度行政执法案卷评查', year: 2026, issuingBody: '清溪县司法局' })).id;
    await scoreLicencesWithTable(lead, drawnCampaign);
    await importPool(d.backend, lead, drawnCampaign, POOL);
    await lead.call('draw:run', { campaignId: drawnCampaign, perGroup: 2 });
    const rows = d.backend.db
      .prepare(
        `SELECT u.name, c.id FROM drawn_cases dc JOIN draws dr ON dr.id = dc.draw_id JOIN cases c ON c.id = dc.case_id JOIN units u ON u.id = c.unit_id WHERE dr.campaign_id = ? ORDER BY c.case_number`,
      )
      .all(drawnCampaign) as Array<{ name: string; id: string }>;
    drawn = new Map();
    for (const r of rows) drawn.set(r.name, [...(drawn.get(r.name) ?? []), r.id]);

    // 某某县市场监督管理局's first file: 刘评查 and 王组长 differ on 第12.5项; the panel overrules the deduction.
    const market = drawn.get('某某县市场监督管理局')![0]!;
    const liu = await lead.call('user:create', {
      username: 'liu',
      displayName: '刘评查',
      role: 'reviewer',
      affiliation: '某某县公安局',
      password: 'Passw0rd!',
    });
    // 王组长 leads the panel: scores files assigned to him and settles the disagreement.
    const wangUser = await lead.call('user:create', {
      username: 'wang',
      displayName: '王组长',
      role: 'lead',
      affiliation: '某某县司法局',
      password: 'Passw0rd!',
    });
    wang = client(d.backend, 'drawn-wang');
    await wang.call('auth:login', { username: 'wang', password: 'Passw0rd!' });
    await lead.call('panel:setMembers', { campaignId: drawnCampaign, userIds: [liu.id, wangUser.id] });
    await lead.call('assignment:add', { caseId: market, reviewerId: liu.id });
    const reviewer = client(d.backend, 'drawn-reviewer');
    await reviewer.call('auth:login', { username: 'liu', password: 'Passw0rd!' });
    const liuSheet = await score(
      reviewer,
      market,
      [
        ['xk-2', '未一次性告知补正内容'],
        ['xk-12.5', '卷内材料未编页号'],
      ],
      false,
    );
    await score(wang, market, [['xk-2', '补正告知不全']], true);
    const liuView = await reviewer.call('sheet:open', { caseId: market });
    await submitPassingRest(reviewer, liuSheet, liuView.sheet!.revision);
    const open = await wang.call('reconcile:open', { caseId: market });
    const decided = await wang.call('reconcile:answer', {
      caseId: market,
      itemId: 'xk-12.5',
      answer: { status: 'pass' },
      note: '卷内材料已按件编号，不属未编页号',
      revision: open.review.revision,
    });
    const settled = await wang.call('reconcile:finalise', { caseId: market, note: '经合议，第12.5项不扣分', revision: decided.revision });
    expect(settled.state).toBe('final');

    await score(wang, drawn.get('某某县公安局')![0]!, [['xk-4', '受理决定超过法定期限']], true);
    // 清溪县某局: both drawn files are settled without a single problem.
    for (const caseId of drawn.get('清溪县某局')!) await score(wang, caseId, [], true);
    // 某某县交通运输局: a sheet still in draft — a provisional score that no 通报 may count.
    await score(wang, drawn.get('某某县交通运输局')![0]!, [['xk-2', '材料不全']], false);
  });
  afterAll(() => d.close());

  it('prints in the 评查表 every reviewer’s reasons beside the panel’s decision and its reason', async () => {
    const caseId = drawn.get('某某县市场监督管理局')![0]!;
    const out = await lead.call('export:caseSheet', { caseId });
    const bytes = await bytesFrom(out.url);
    const { facts } = keep('case-sheet-reconciled', bytes);
    const { runs } = await docxParts(bytes);
    const text = runs.map((r) => r.text).join('');
    // Each reviewer's reason once with what they deducted, then the decision with its own reason.
    expect(text).toMatch(/刘评查扣[\d.]+分：卷内材料未编页号/);
    expect(text).toMatch(/王组长扣[\d.]+分：补正告知不全/);
    expect(text).toMatch(/刘评查扣[\d.]+分：未一次性告知补正内容/);
    // The grades differ: the file went to 复核, and the 评查表 says so.
    for (const s of [
      '复核不扣分，理由：卷内材料已按件编号，不属未编页号（王组长）',
      '定分情况',
      '复核定分（王组长',
      '经合议，第12.5项不扣分',
    ])
      expect(text).toContain(s);
    expect(text.match(/卷内材料已按件编号/g)).toHaveLength(1);
    const flat = facts.text.replace(/\s+/g, '');
    for (const s of ['复核定分（王组长', '经合议，第12.5项不扣分']) expect(flat).toContain(s);
  });

  it('gives no 整改通知书 to a unit without problems and says why; its 意见书 says no problem was found', async () => {
    const clean = await unitOf('清溪县某局');
    expect(clean).toMatchObject({
      finalCount: 2,
      problemCount: 0,
      noticeSkipReason: '清溪县某局 抽查案卷均未发现问题，不生成整改通知书。',
    });
    expect(await lead.fail('letter:preview', { campaignId: drawnCampaign, kind: 'notice', unitId: clean.unitId })).toMatchObject({
      code: 'conflict',
      message: '清溪县某局 抽查案卷均未发现问题，不生成整改通知书。',
    });
    expect(
      (await lead.fail('letter:export', { campaignId: drawnCampaign, kind: 'notice', unitId: clean.unitId, date: '2026-12-07' })).message,
    ).toContain('不生成整改通知书');
    const batch = await lead.call('letter:exportAll', {
      campaignId: drawnCampaign,
      kind: 'notice',
      includeProvisional: true,
      date: '2026-12-07',
    });
    expect(batch.skipped).toEqual([
      { unitId: clean.unitId, unitName: '清溪县某局', reason: '清溪县某局 抽查案卷均未发现问题，不生成整改通知书。' },
    ]);
    const zip = await (await import('jszip')).default.loadAsync(await bytesFrom(batch.url));
    expect(Object.keys(zip.files).some((n) => n.includes('清溪县某局'))).toBe(false);
    // 市场监管局 and 公安局 (settled with problems); 交通运输局 has only an unsubmitted draft, which is no result.
    expect(batch.count).toBe(2);

    const opinion = await lead.call('letter:export', {
      campaignId: drawnCampaign,
      kind: 'opinion',
      unitId: clean.unitId,
      date: '2026-12-07',
    });
    const { facts, png } = keep('opinion-no-problems', await bytesFrom(opinion.url));
    const flat = facts.text.replace(/\s+/g, '');
    expect(flat).toContain('经评查，你单位被抽查的2件案卷均未发现扣分问题。');
    expect(flat).toContain('一、评查总体情况');
    expect(flat).toContain('二、监督意见');
    for (const s of ['整改要求', '请逐项整改', '存在的问题', '问题清单', '前整改完毕']) expect(flat).not.toContain(s);
    expect(flat).toContain('2026年12月7日');
    expect(flat).not.toMatch(/2026-12-07|12\/7|12\/07/);
    expect(fs.existsSync(png)).toBe(true);
  });

  it('counts in the statistics the files drawn, as the letters do, and says how many were submitted', async () => {
    // 14 files submitted, 11 drawn; four settled, the 交通运输局 draft is no result, so 7 drawn files await a score.
    const s = await lead.call('stats:campaign', { campaignId: drawnCampaign });
    expect(s).toMatchObject({ drawn: true, fileCount: 11, submittedCount: 14, finalCount: 4, provisionalCount: 0, unscoredCount: 7 });
    const police = await unitOf('某某县公安局');
    expect(police).toMatchObject({ fileCount: 2, finalCount: 1, unscoredCount: 1 });
    // Read as grouped rows, the figures are those of the letters' own facts of every drawn file.
    const full = d.backend.services.campaignFacts.build(drawnCampaign, { stored: true });
    expect(s).toEqual(
      campaignStatistics({
        fact: full.fact,
        submittedCount: full.submittedCount,
        missingCount: full.missingCount,
        drawn: full.drawn,
        provisionalCount: full.provisional.length,
        unscoredCount: full.unscored.length,
      }),
    );
    const { doc } = await lead.call('letter:preview', { campaignId: drawnCampaign, kind: 'bulletin', date: '2026-12-07' });
    expect(JSON.stringify(doc.blocks)).toContain(`随机抽取${s.fileCount}件`);
  });

  it('counts in the 通报 the units and files drawn, and grades and scores of settled files only', async () => {
    const out = await lead.call('letter:export', {
      campaignId: drawnCampaign,
      kind: 'bulletin',
      includeProvisional: true,
      date: '2026-12-07',
    });
    const bytes = await bytesFrom(out.url);
    const { facts } = keep('bulletin-drawn', bytes);
    const flat = facts.text.replace(/\s+/g, '');
    // 6 units; 2 + 2 + 2 + 2 + 1 + 2 = 11 files drawn (four have a settled result, one a draft sheet).
    expect(flat).toContain('从6个行政执法单位报送的案卷中随机抽取11件');
    expect(flat).toContain('合计4100%');
    expect(flat).not.toContain('某某县交通运输局');
    expect(flat).toContain('2026年12月7日');
    expect(flat).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const { doc } = await lead.call('letter:preview', { campaignId: drawnCampaign, kind: 'bulletin', date: '2026-12-07' });
    const ranking = doc.blocks.find((b) => b.type === 'table')!;
    expect(ranking.type === 'table' && ranking.rows.map((r) => [r[1], r[2]])).toEqual([
      ['清溪县某局', '2'],
      ['某某县公安局（部分未定分）', '1'],
      ['某某县市场监督管理局（部分未定分）', '1'],
    ]);
  });
});
