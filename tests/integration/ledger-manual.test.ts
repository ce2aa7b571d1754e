/**
 * The 整改台账 also takes problems found outside the review (专项整治, 法治督察, complaints), entered by
 * hand: the same fields, evidence and 销号 flow as the rows from the final results, one 问题编号
 * sequence; a deadline already past needs confirming; the XLSX has the bureau's columns with 来源.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBackend, setupAdmin, stage, type client, type TestBackend } from '../support/backend.js';
import { convertWithLibreOffice, pdfFacts } from '../support/office.js';
import { agreeWithSheets, scoredCampaign } from '../support/scored-campaign.js';
import { downloadBytes } from '../support/signing.js';
import { outputDir } from '../support/temp.js';
import { LEDGER_COLUMNS } from '../support/ledger.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let campaignId: string;
const OUT = outputDir('ledger');

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend, 'w1');
  ({ campaignId } = await scoredCampaign(t.backend, admin));
  agreeWithSheets(t.backend);
  await admin.call('ledger:sync', { campaignId, deadline: '2099-06-30' });
}, 120_000);
afterAll(() => t.close());

describe('整改台账 entered by hand', () => {
  it('adds a 法治督察 problem after confirming a past deadline, tracks it to 销号 with evidence, and exports the bureau’s columns', async () => {
    const unitId = (await admin.call('letter:list', { campaignId })).units.find((u) => u.unitName === '某某县交通运输局')!.unitId;
    const entry = {
      unitId,
      source: 'inspection' as const,
      subject: '2025年法治督察反馈问题第3项',
      description: '行政执法公示平台未按时公示行政处罚决定',
      measure: '7个工作日内补充公示，并建立公示台账',
      responsible: '李科长',
      deadline: '2025-01-10',
    };
    // A deadline already past: asked to confirm, nothing stored.
    const asked = await admin.fail('ledger:add', { campaignId, entry });
    expect(asked).toMatchObject({ code: 'conflict', details: { reason: 'deadline_past' } });
    expect(asked.message).toContain('2025年1月10日');
    expect((await admin.call('ledger:list', { campaignId })).rows).toHaveLength(11);
    // A unit of another campaign is refused.
    expect(
      (await admin.fail('ledger:add', { campaignId, entry: { ...entry, unitId: 'no-such-unit' }, confirmPastDeadline: true })).code,
    ).toBe('invalid_input');

    const row = await admin.call('ledger:add', { campaignId, entry, confirmPastDeadline: true });
    expect(row).toMatchObject({
      number: 'ZG2025-012',
      source: 'inspection',
      unitName: '某某县交通运输局',
      caseNumber: entry.subject,
      description: entry.description,
      measure: entry.measure,
      status: 'pending',
      overdue: true,
      withdrawn: false,
    });
    const list = await admin.call('ledger:list', { campaignId });
    expect(list.rows.map((r) => r.number)).toEqual(Array.from({ length: 12 }, (_, i) => `ZG2025-${String(i + 1).padStart(3, '0')}`));
    // A later sync of the review's results neither touches nor renumbers it.
    expect(await admin.call('ledger:sync', { campaignId })).toEqual({ added: 0, updated: 0, withdrawn: 0 });

    // Same flow as a row from the review: evidence, status, 销号 with checker and opinion.
    const sourceId = await stage(t.backend, admin, '公示截图.pdf', new TextEncoder().encode('%PDF-1.4 公示佐证'));
    const attached = await admin.call('ledger:attach', { rowId: row.id, sourceId });
    const evidence = await admin.call('ledger:evidence', { evidenceId: attached.evidence[0]!.id });
    expect((await downloadBytes(t.backend, evidence.url)).toString()).toBe('%PDF-1.4 公示佐证');
    expect((await admin.fail('ledger:update', { rowId: row.id, patch: { status: 'closed' }, revision: attached.revision })).message).toBe(
      '销号前请填写核查人。',
    );
    const closed = await admin.call('ledger:update', {
      rowId: row.id,
      patch: { status: 'closed', checker: '赵六', checkOpinion: '已补充公示，整改到位', closedOn: '2025-01-20' },
      revision: attached.revision,
    });
    expect(closed).toMatchObject({ status: 'closed', overdue: false, closedOn: '2025-01-20' });
    const audit = t.backend.db.prepare('SELECT action FROM audit_log WHERE entity_id = ? ORDER BY id').pluck().all(row.id);
    expect(audit).toEqual(['ledger.add', 'ledger.evidence.add', 'ledger.status.closed']);

    const out = await admin.call('ledger:export', { campaignId });
    const xlsx = await downloadBytes(t.backend, out.url);
    const file = path.join(OUT, 'ledger-manual.xlsx');
    fs.writeFileSync(file, xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('整改台账')!;
    expect(ws.getRow(3).values).toEqual([undefined, ...LEDGER_COLUMNS]);
    const cells = (n: number) =>
      (ws.getRow(n).values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v));
    // A problem entered by hand: what was typed as 整改要求 is its 整改要求; no category, deduction or basis.
    // 序号 counts the rows; the 问题编号 has its own column.
    expect(cells(4 + 11)).toEqual([
      12,
      'ZG2025-012',
      '某某县交通运输局',
      entry.subject,
      '',
      entry.description,
      '',
      '',
      '',
      entry.measure,
      '2025-01-10',
      '李科长',
      '',
      '公示截图.pdf',
      '已销号',
      '赵六',
      '已补充公示，整改到位',
      '2025-01-20',
      '法治督察',
    ]);
    expect(cells(4).slice(0, 2)).toEqual([1, 'ZG2025-001']);
    expect(cells(4)[18]).toBe('案卷评查');
    // A problem from the review: its category, deduction and the standard item it rests on in their own columns.
    expect(cells(4)[7]).toMatch(/^([\d.]+|否决)$/);
    expect(String(cells(4)[8])).toMatch(/评查标准第[\dF.]+项“/);
    expect(String(cells(4)[9])).toMatch(/^(予以补正或作出书面说明|依法组织复查，确有错误的予以纠正)。$/);

    const pdf = convertWithLibreOffice(file, OUT);
    expect(Math.round(pdfFacts(pdf).widthPt)).toBe(842);
    expect(pdfFacts(pdf).text.replace(/\s+/g, '')).toContain('行政执法公示平台');
  });
});

describe('the 整改台账 XLSX as it prints', () => {
  it('is A4 landscape, one page wide at a readable scale, repeats title and column heads, wraps text, and gives the evidence pages a column', async () => {
    // Enough rows for several printed pages.
    const unitId = (await admin.call('letter:list', { campaignId })).units[0]!.unitId;
    for (let i = 1; i <= 24; i++)
      await admin.call('ledger:add', {
        campaignId,
        entry: {
          unitId,
          source: 'special',
          subject: `2025年专项整治第${i}项`,
          description: `第${i}个执法窗口未按规定公示行政执法主体、人员、职责、权限、依据、程序、救济渠道和随机抽查事项清单，群众无从查询`,
          measure: '十个工作日内在执法窗口和门户网站补充公示，并明确专人定期更新维护',
          responsible: i === 1 ? '许立新、王建国' : '王科长',
          deadline: '2099-03-31',
        },
      });
    const out = await admin.call('ledger:export', { campaignId });
    const xlsx = await downloadBytes(t.backend, out.url);
    const file = path.join(OUT, 'ledger-print.xlsx');
    fs.writeFileSync(file, xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('整改台账')!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(ws.pageSetup.printTitlesRow).toBe('1:3');
    // What A4 landscape holds at about 80 % (some 150 characters of width at full size), not 275.
    const widths = ws.columns.map((c) => c.width ?? 0);
    expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(190);
    const header = (ws.getRow(3).values as unknown[]).slice(1) as string[];
    const col = (h: string) => header.indexOf(h) + 1;
    expect(widths[col('问题描述') - 1]).toBeGreaterThanOrEqual(20);
    // A 案号 such as 清城管罚〔2025〕8号 stays on one line.
    expect(widths[col('案号') - 1]).toBeGreaterThanOrEqual(20);
    // 责任人 breaks only between names, and a three-character name keeps to one line.
    expect(widths[col('责任人') - 1]).toBeGreaterThanOrEqual(8);
    const twoNames = Array.from({ length: ws.rowCount - 3 }, (_, i) => ws.getRow(i + 4)).find(
      (r) => r.getCell(col('案号')).value === '2025年专项整治第1项',
    )!;
    expect(twoNames.getCell(col('责任人')).value).toBe('许立新\n王建国');
    // The evidence pages of a review row stand in their own column, not under the 案号.
    const review = Array.from({ length: ws.rowCount - 3 }, (_, i) => ws.getRow(i + 4)).find((r) =>
      String(r.getCell(col('页码')).value ?? '').startsWith('第'),
    );
    expect(review, 'a review row with evidence pages').toBeDefined();
    expect(String(review!.getCell(col('案号')).value)).not.toMatch(/第\d+页/);
    expect(review!.getCell(col('问题描述')).alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(review!.height).toBeGreaterThan(20);

    const pdf = convertWithLibreOffice(file, OUT);
    const facts = pdfFacts(pdf);
    expect([Math.round(facts.widthPt), Math.round(facts.heightPt)]).toEqual([842, 595]);
    expect(facts.pages).toBeGreaterThan(1);
    // Every page starts with the title and the column heads.
    for (let page = 1; page <= facts.pages; page++) {
      const text = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      expect(text, `page ${page}`).toContain('问题整改台账');
      expect(text, `page ${page}`).toContain('整改措施');
    }
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(OUT, 'ledger-print')]);
  }, 120_000);
});
