/**
 * Results a bureau can sign, on a campaign two reviewers scored back to back:
 * - a file one reviewer vetoed and the other scored 99.5 shows the disagreement, not a 49.75 mean;
 * - the 通报 of a campaign with unsettled files is refused (results_pending, files named) unless
 *   provisional results are included, and then every figure says which part is 暂定;
 * - a letter states each reviewer's distinct fact of a shared deduction once, joined by "；", never
 *   two reviewers' words run together and never one lost;
 * - the 整改台账 carries the bureau's columns and the 意见书's very 整改要求;
 * - statistics name the standard of each item where the campaign used two.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docText } from '../../shared/letters/document.js';
import type { Answer } from '../../shared/scoring/scoring.js';
import { scoreLicencesWithTable, scoreWithStandard, type TestBackend } from '../support/backend.js';
import { convertWithLibreOffice, pdfFacts } from '../support/office.js';
import { TEST_STANDARD, veto } from '../support/review-fixtures.js';
import { openBackendWithStandards, setupPanel, type Panel, importCase, deliverSheet } from '../support/review-setup.js';
import { downloadBytes } from '../support/signing.js';
import { outputDir } from '../support/temp.js';
import { LEDGER_COLUMNS } from '../support/ledger.js';

let t: TestBackend;
let p: Panel;
const ids: Record<string, string> = {};
const OUT = outputDir('results-sign');
const MARKET = '某某县市场监督管理局';
const TRANSPORT = '某某县交通运输局';

async function importFile(key: string, caseNumber: string, unitName: string, caseType: 'penalty_general' | 'license') {
  ids[key] = await importCase(t.backend, p, caseNumber, caseType, ['zhang', 'li'], {
    unitName,
    caseTitle: `${unitName.replace('某某县', '')}案卷`,
  });
}

/** The reviewer answers these items and delivers the sheet, every other item 符合. */
async function deliver(who: string, key: string, answers: Record<string, Answer>): Promise<void> {
  await deliverSheet(p.users[who]!.client, ids[key]!, answers);
}

beforeAll(async () => {
  t = openBackendWithStandards([TEST_STANDARD]);
  p = await setupPanel(t.backend);
  await scoreWithStandard(p.admin, p.campaignId, 'penalty_general', TEST_STANDARD.standardId);
  await scoreLicencesWithTable(p.admin, p.campaignId);
  await importFile('agreed', '某市监罚〔2025〕1号', MARKET, 'penalty_general');
  await importFile('split', '某市监罚〔2025〕2号', MARKET, 'penalty_general');
  await importFile('transport', '某交罚〔2025〕1号', TRANSPORT, 'penalty_general');
  await importFile('licence', '某交许〔2025〕1号', TRANSPORT, 'license');
  await importFile('unscored', '某交罚〔2025〕2号', TRANSPORT, 'penalty_general');
  // The same deduction in two reviewers' own words: settled by agreement.
  await deliver('zhang', 'agreed', { a2: { status: 'deduct', comment: '未告知陈述申辩权利' } });
  await deliver('li', 'agreed', { a2: { status: 'deduct', comment: '行政处罚事先告知书未载明陈述、申辩权利。' } });
  // One reviewer vetoes, the other finds a 0.5 deduction: no mean speaks for this file.
  await deliver('zhang', 'split', { g1: veto('执法主体不合法') });
  await deliver('li', 'split', { b1: { status: 'deduct', deduction: 1, comment: '文书用语不规范' } });
  await deliver('zhang', 'transport', { b3: { status: 'deduct', comment: '送达回证无受送达人签名；' } });
  await deliver('li', 'transport', { b3: { status: 'deduct', comment: '送达回证无受送达人签名；' } });
  await deliver('zhang', 'licence', { 'xk-12.5': { status: 'deduct', comment: '卷内材料未编页号' } });
  await deliver('li', 'licence', { 'xk-12.5': { status: 'deduct', comment: '卷内材料未编页号' } });
}, 120_000);
afterAll(() => t.close());

const results = () => t.backend.services.results;
const text = (doc: Parameters<typeof docText>[0]): string => docText(doc).join('\n');

describe('provisional results', () => {
  it('states the disagreement of a veto and a score instead of a mean', () => {
    const o = results().caseOutcome(ids.split!);
    expect(o.status).toBe('provisional');
    expect(o.disagreement).toBe('两份评查表结论不一：张三 否决，李四 99 分（优秀），待合议');
    expect(o.result!.grade).toBe('待合议');
    expect(results().caseOutcome(ids.agreed!)).toMatchObject({ status: 'final', disagreement: null });
  });

  it('shows it in the statistics: counted as 待合议, in no average; the unit is flagged 含暂定', async () => {
    const s = await p.admin.call('stats:campaign', { campaignId: p.campaignId });
    expect(s).toMatchObject({ fileCount: 5, finalCount: 3, provisionalCount: 1, unscoredCount: 1 });
    expect(s.grades.find((g) => g.grade === '待合议')).toMatchObject({ count: 1 });
    // (95 + 70 + licence) / 3: the disputed file's 49.5 mean is not in it.
    const market = s.units.find((u) => u.unitName === MARKET)!;
    expect(market).toMatchObject({ fileCount: 2, average: 95, sum: 95, provisionalCount: 1, disputedCount: 1 });
    expect(s.units.find((u) => u.unitName === TRANSPORT)).toMatchObject({ provisionalCount: 0 });
  });

  it('shows it on the projector in the meeting room', async () => {
    const lead = p.users.lead!.client;
    await lead.call('meeting:setAgenda', { campaignId: p.campaignId, caseIds: [ids.split!], revision: 0 });
    const view = await lead.call('meeting:view', { campaignId: p.campaignId });
    expect(view.item!.scores!.disagreement).toBe('两份评查表结论不一：张三 否决，李四 99 分（优秀），待合议');
  });
});

describe('评查结果通报', () => {
  it('is refused while a drawn file is unsettled, naming the files, unless provisional results are included', async () => {
    const refused = await p.admin.fail('letter:export', { campaignId: p.campaignId, kind: 'bulletin', includeProvisional: false });
    expect(refused.code).toBe('conflict');
    expect(refused.details).toMatchObject({ reason: 'results_pending', pending: ['某交罚〔2025〕2号', '某市监罚〔2025〕2号'] });
    expect(refused.message).toContain('某市监罚〔2025〕2号（未定分）');
    expect(refused.message).toContain('某交罚〔2025〕2号（未评分）');
    expect(refused.message).toContain('包含暂定结果');
    const out = await p.admin.call('letter:export', { campaignId: p.campaignId, kind: 'bulletin', includeProvisional: true });
    fs.writeFileSync(path.join(OUT, 'bulletin-provisional.docx'), await downloadBytes(t.backend, out.url));
  });

  it('with provisional results, marks 暂定 in the title, the counts and the ranking, and all counts agree', async () => {
    const { doc } = await p.admin.call('letter:preview', { campaignId: p.campaignId, kind: 'bulletin', includeProvisional: true });
    const all = text(doc);
    expect(doc.title).toContain('（含暂定结果）');
    expect(all).toContain('本通报所列4件案卷中，已定分3件、暂定1件；另有1件尚未定分，未列入本通报统计。');
    expect(all).toContain('经评查，4件案卷中');
    expect(all).toContain('抽取5件');
    expect(all).not.toContain('49.5');
    const ranking = doc.blocks.find((b) => b.type === 'table' && b.columns[0]!.title === '名次');
    expect(ranking?.type === 'table' && ranking.rows.map((r) => [r[1], r[2]])).toEqual([
      [`${MARKET}（含暂定）`, '2（待合议1）'],
      [`${TRANSPORT}（部分未定分）`, '2'],
    ]);
    const gradeTable = doc.blocks.find((b) => b.type === 'table' && b.columns[0]!.title === '等次');
    expect(gradeTable?.type === 'table' && gradeTable.rows.at(-1)).toEqual(['合计', '4', '100%']);
    // Without the option the preview quotes settled files only and says how many are left out.
    const settled = text((await p.admin.call('letter:preview', { campaignId: p.campaignId, kind: 'bulletin' })).doc);
    expect(settled).toContain('本通报所列3件案卷中，已定分3件、暂定0件；另有2件尚未定分，未列入本通报统计。');
  });
});

describe('意见书 and 整改台账', () => {
  it('states two reviewers’ wordings of one defect as one finding (the first reviewer’s), each problem a sentence of its own', async () => {
    const unitId = (await p.admin.call('letter:list', { campaignId: p.campaignId })).units.find((u) => u.unitName === MARKET)!.unitId;
    const { doc } = await p.admin.call('letter:preview', { campaignId: p.campaignId, kind: 'opinion', unitId });
    const all = text(doc);
    expect(all).toContain(
      '未告知陈述申辩权利（见某市监罚〔2025〕1号）。依据：评查标准第2项“告知陈述申辩权利”，扣5分。整改要求：予以补正或作出书面说明。',
    );
    expect(all).not.toContain('行政处罚事先告知书未载明陈述、申辩权利');
    expect(all).not.toMatch(/[。；][。；]/);
    const transportId = (await p.admin.call('letter:list', { campaignId: p.campaignId })).units.find(
      (u) => u.unitName === TRANSPORT,
    )!.unitId;
    const transport = text((await p.admin.call('letter:preview', { campaignId: p.campaignId, kind: 'opinion', unitId: transportId })).doc);
    expect(transport).toContain('送达回证无受送达人签名（见某交罚〔2025〕1号）。');
    expect(transport).not.toMatch(/[。；][。；]/);
    const out = await p.admin.call('letter:export', { campaignId: p.campaignId, kind: 'opinion', unitId, includeProvisional: true });
    fs.writeFileSync(path.join(OUT, 'opinion-market.docx'), await downloadBytes(t.backend, out.url));
  });

  it('exports the ledger with the bureau columns and the 意见书 整改要求', async () => {
    await p.admin.call('ledger:sync', { campaignId: p.campaignId });
    const out = await p.admin.call('ledger:export', { campaignId: p.campaignId });
    const bytes = await downloadBytes(t.backend, out.url);
    fs.writeFileSync(path.join(OUT, 'ledger.xlsx'), bytes);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('整改台账')!;
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([...LEDGER_COLUMNS]);
    const rows = Array.from({ length: ws.rowCount - 3 }, (_, i) => (ws.getRow(i + 4).values as unknown[]).slice(1));
    const agreed = rows.find((r) => String(r[3]).startsWith('某市监罚〔2025〕1号'))!;
    expect(agreed.slice(5, 10)).toEqual([
      '未告知陈述申辩权利。',
      '执法程序',
      '5',
      '评查标准第2项“告知陈述申辩权利”',
      '予以补正或作出书面说明。',
    ]);
    // The same 整改要求 words as the 意见书 for that problem.
    const unitId = (await p.admin.call('letter:list', { campaignId: p.campaignId })).units.find((u) => u.unitName === MARKET)!.unitId;
    const letter = text((await p.admin.call('letter:preview', { campaignId: p.campaignId, kind: 'opinion', unitId })).doc);
    expect(letter).toContain(`整改要求：${String(agreed[9])}`);
    // Only settled files reach the ledger: the disputed file has no row.
    expect(rows.some((r) => String(r[3]).startsWith('某市监罚〔2025〕2号'))).toBe(false);
  });
});

describe('statistics of a campaign on two standards', () => {
  it('names the standard of each item', async () => {
    const s = await p.admin.call('stats:campaign', { campaignId: p.campaignId });
    expect(s.items.map((i) => [i.standard, i.itemCode]).sort()).toEqual(
      [
        ['测试评查标准', '2'],
        // The 待合议 file's one-reviewer deduction (item 4) is disputed, not a finding.
        ['测试评查标准', '6'],
        ['行政许可案卷评分表', '12.5'],
      ].sort(),
    );
  });
});

describe('a veto one reviewer found, not yet settled by the panel', () => {
  // Until the panel decides, an unsettled file states only what every reviewer found: one reviewer's
  // disputed veto is the panel's to settle, not a finding a bureau signs (the letter says it is 暂定).
  it('is not stated in the 通报 with 暂定 included, which is marked provisional (real DOCX through LibreOffice)', async () => {
    expect(
      results()
        .caseOutcome(ids.split!)
        .result!.problems.some((q) => q.veto),
    ).toBe(false);
    const { doc } = await p.admin.call('letter:preview', { campaignId: p.campaignId, kind: 'bulletin', includeProvisional: true });
    expect(text(doc)).not.toContain('执法主体不合法');
    const out = await p.admin.call('letter:export', { campaignId: p.campaignId, kind: 'bulletin', includeProvisional: true });
    const docx = path.join(OUT, 'bulletin-disputed-veto.docx');
    fs.writeFileSync(docx, await downloadBytes(t.backend, out.url));
    const pdfText = pdfFacts(convertWithLibreOffice(docx, OUT)).text.replace(/\s+/g, '');
    expect(pdfText).not.toContain('执法主体不合法');
    expect(pdfText).toContain('（含暂定结果）');
  }, 60_000);

  it('is not stated in the unit’s 意见书 either, which names the file awaiting the panel (real DOCX through LibreOffice)', async () => {
    const unitId = (await p.admin.call('letter:list', { campaignId: p.campaignId })).units.find((u) => u.unitName === MARKET)!.unitId;
    const { doc } = await p.admin.call('letter:preview', { campaignId: p.campaignId, kind: 'opinion', unitId, includeProvisional: true });
    expect(text(doc)).not.toContain('执法主体不合法');
    expect(text(doc)).toContain('某市监罚〔2025〕2号');
    const out = await p.admin.call('letter:export', { campaignId: p.campaignId, kind: 'opinion', unitId, includeProvisional: true });
    const docx = path.join(OUT, 'opinion-disputed-veto.docx');
    fs.writeFileSync(docx, await downloadBytes(t.backend, out.url));
    const pdf = convertWithLibreOffice(docx, OUT);
    expect(pdfFacts(pdf).text.replace(/\s+/g, '')).toContain('（含暂定结果）');
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(OUT, 'opinion-disputed-veto')]);
  }, 60_000);
});
