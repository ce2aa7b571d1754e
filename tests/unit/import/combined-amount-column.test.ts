/**
 * 清溪县's list has one column "处罚金额/决定内容": amounts typed as 50000, "15,000元", 大写, a total with
 * the confiscation inside, or words (警告, 准予许可). The amounts become the 罚款 (and 没收), the cell
 * stays the 决定内容, and the value notes say so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readListFile } from '../../../electron/services/import/case-list.js';
import { combinedColumnNote, guessLayout, isCombinedAmountHeader, readCaseList, type SheetTable } from '../../../shared/import/rows.js';
import { realisticCampaign, type RealisticCampaign } from '../../support/dossiers/index.js';

let campaign: RealisticCampaign;
beforeAll(async () => {
  campaign = await realisticCampaign();
}, 300_000);

describe('a combined 处罚金额/决定内容 column', () => {
  it('recognises combined headers and nothing else', () => {
    expect(isCombinedAmountHeader('处罚金额/决定内容')).toBe(true);
    expect(isCombinedAmountHeader('罚款金额或处理结果（万元）')).toBe(true);
    expect(isCombinedAmountHeader('处罚决定')).toBe(false);
    expect(isCombinedAmountHeader('处罚金额')).toBe(false);
    expect(isCombinedAmountHeader('决定内容')).toBe(false);
  });

  for (const kind of ['xlsx', 'csv'] as const) {
    it(`reads every 罚款 and 没收 of the 清溪县 list (${kind}) and keeps the words as 决定内容`, async () => {
      const file = kind === 'xlsx' ? campaign.listXlsx : campaign.listCsv;
      const [table] = (await readListFile(file, `清单.${kind}`)) as [SheetTable];
      const layout = guessLayout(table);
      expect(layout.mapping.penaltyAmount).toBeNull();
      const reading = readCaseList(table, layout.headerRow, layout.mapping, {});
      for (const truth of campaign.listRows) {
        const d = reading.drafts.find((x) => x.rowNumber === truth.rowNumber)!;
        expect([d.caseNumber, d.penaltyAmount, d.confiscatedAmount], truth.cells.amount).toEqual([
          truth.caseNumber,
          truth.fine || null,
          truth.confiscated || null,
        ]);
        expect(d.decision).toBe(truth.cells.amount);
        if (truth.fine) {
          expect(d.penaltyText).toBe(truth.cells.amount);
          const issue = d.issues.find((i) => i.field === 'decision')!;
          expect(issue).toMatchObject({
            severity: 'info',
            raw: truth.cells.amount,
            message: expect.stringContaining('“处罚金额/决定内容”一栏兼作金额'),
          });
          // The column's rule is one shared note (said once in the review); the row keeps only what
          // it stores and, where the reading needed one, its own assumption.
          expect(issue.note).toBe(combinedColumnNote('处罚金额/决定内容'));
          expect(issue.stored).toMatch(/^罚款 [\d,]+ 元/);
          if (issue.detail !== undefined) expect(issue.detail).not.toContain('一栏兼作金额');
        }
      }
      const notes = new Set(reading.drafts.flatMap((d) => d.issues.map((i) => i.note)).filter(Boolean));
      expect(notes.size).toBe(1);
    });
  }

  it('scales bare numbers by a 万元 in the combined header and leaves a separate 处罚金额 column in charge', () => {
    const rows: SheetTable['rows'] = [
      ['案号', '处罚金额或决定内容（万元）'],
      ['某罚〔2025〕1号', '1.5'],
      ['某罚〔2025〕2号', '罚款伍仟元整'],
      ['某罚〔2025〕3号', '警告'],
    ];
    const table: SheetTable = { name: '清单', rows };
    const layout = guessLayout(table);
    const reading = readCaseList(table, layout.headerRow, layout.mapping, { unitName: '某局', caseType: 'penalty_general' });
    expect(reading.drafts.map((d) => [d.penaltyAmount, d.decision])).toEqual([
      [15000, '1.5'],
      [5000, '罚款伍仟元整'],
      [null, '警告'],
    ]);
    const separate: SheetTable = {
      name: '清单',
      rows: [
        ['案号', '处罚金额', '处罚金额/决定内容'],
        ['某罚〔2025〕1号', '', '3000'],
      ],
    };
    const l2 = guessLayout(separate);
    expect(
      readCaseList(separate, l2.headerRow, l2.mapping, { unitName: '某局', caseType: 'penalty_general' }).drafts[0]!.penaltyAmount,
    ).toBeNull();
  });
});
