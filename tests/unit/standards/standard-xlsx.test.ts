/**
 * Standards as Excel workbooks: every reference standard and generated ones survive JSON → .xlsx →
 * JSON exactly (through real files), a bureau's own sheet with only the eight basic columns is
 * read, and every kind of bad workbook is refused with a Chinese message naming sheet, row and field.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { standardToXlsx, xlsxToTables } from '../../../electron/services/standards/standard-xlsx.js';
import type { AppError } from '../../../shared/core/errors.js';
import { allItems, type StandardDefinition } from '../../../shared/standards/model.js';
import { canonicalDefinition } from '../../../shared/standards/validate.js';
import { scoreSheet } from '../../../shared/scoring/scoring.js';
import { tablesToDefinition, type TablesResult } from '../../../shared/standards/table.js';
import { allBuiltins, builtin, definitionArb } from '../../support/standards.js';
import { outputDir, tempDir } from '../../support/temp.js';

const tmp = tempDir('pingcha-xlsx-');
afterAll(() => tmp.cleanup());

async function roundTrip(def: StandardDefinition, name: string): Promise<TablesResult> {
  const file = path.join(tmp.dir, `${name}.xlsx`);
  fs.writeFileSync(file, await standardToXlsx(def));
  return tablesToDefinition(await xlsxToTables(fs.readFileSync(file), path.basename(file)));
}

/** Exports the 行政许可 table, lets a test change the workbook as a person would in Excel, and reads it back. */
async function edited(change: (book: ExcelJS.Workbook) => void, def = builtin('xingzheng-xuke-anjuan-pingfenbiao')): Promise<TablesResult> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await standardToXlsx(def)) as unknown as ArrayBuffer);
  change(book);
  const bytes = Buffer.from(await book.xlsx.writeBuffer());
  return tablesToDefinition(await xlsxToTables(bytes, '评查标准.xlsx'));
}

/** The row of the 评查项目 sheet whose 编号 (column B) is `code`. */
function rowWithCode(book: ExcelJS.Workbook, code: string): ExcelJS.Row {
  const sheet = book.getWorksheet('评查项目')!;
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => {
    if (row.getCell(2).value === code && row.getCell(9).value === '项目') found = row;
  });
  if (!found) throw new Error(`no row for ${code}`);
  return found;
}
const col = (name: string): number =>
  [
    '类别',
    '编号',
    '评查内容',
    '分值',
    '扣分标准',
    '扣分方式',
    '否决项',
    '可不适用',
    '行类型',
    'ID',
    '扣分项',
    '问题类别',
    '扣完为止',
    '折算',
    '来源',
    '来源说明',
    '原表分值',
    '原表扣分',
    '备注',
  ].indexOf(name) + 1;

const errorsOf = (r: TablesResult): string[] => (r.ok ? [] : r.errors.map((e) => e.message));

describe('XLSX round trip', () => {
  it('is lossless for all nine reference standards, and scores the same', async () => {
    for (const def of allBuiltins()) {
      const back = await roundTrip(def, def.standardId);
      expect(back.ok, def.name).toBe(true);
      if (back.ok) {
        expect(JSON.stringify(back.definition)).toBe(JSON.stringify(def));
        const answers = Object.fromEntries(allItems(def).map((i) => [i.id, { status: 'pass' as const }]));
        expect(scoreSheet(back.definition, answers)).toEqual(scoreSheet(def, answers));
      }
    }
    // One copy kept for a person to open.
    fs.writeFileSync(
      path.join(outputDir('standards'), '生态环境-合法性加规范性.xlsx'),
      await standardToXlsx(builtin('shengtai-huanjing-xzcf-model')),
    );
  });

  it('is lossless for generated standards of every shape', async () => {
    await fc.assert(
      fc.asyncProperty(definitionArb, async (def) => {
        const back = await roundTrip(def, 'generated');
        expect(errorsOf(back)).toEqual([]);
        expect(back.ok && JSON.stringify(back.definition)).toBe(JSON.stringify(canonicalDefinition(def)));
      }),
      { numRuns: 25 },
    );
  });

  it('writes what a person reads first: the eight basic columns, Chinese labels, one row per item', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await standardToXlsx(builtin('cehui-xzcf-anjuan-pingcha'))) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('评查项目')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 9)).toEqual([
      '类别',
      '编号',
      '评查内容',
      '分值',
      '扣分标准',
      '扣分方式',
      '否决项',
      '可不适用',
    ]);
    const m2 = rowWithCode(book, 'M2');
    expect((m2.values as unknown[]).slice(1, 9)).toEqual([
      '案卷卷面标准',
      'M2',
      '按国家局制定的测绘地理信息行政执法文书规范填写',
      4,
      '漏项，内容不完整、表述不清楚、用语不规范等，每项扣1分',
      '每处扣1分，扣完为止',
      '否',
      '否',
    ]);
    expect((rowWithCode(book, 'J1').values as unknown[]).slice(6, 8)).toEqual(['否决', '是']);
    expect(book.getWorksheet('标准信息')!.getRow(6).values).toEqual([undefined, '适用案件类型', '行政处罚（一般程序）']);
    expect(book.getWorksheet('等次')!.getRow(2).values).toEqual([undefined, '优秀', 90, '推定']);
  });
});

describe('a bureau’s own workbook', () => {
  it('needs only the basic columns: blocks come from the 类别 column, ids from the codes', async () => {
    const book = new ExcelJS.Workbook();
    const items = book.addWorksheet('评查项目');
    items.addRow(['类别', '编号', '评查内容', '分值', '扣分标准', '扣分方式', '否决项', '可不适用', '行类型']);
    items.addRow(['基础标准', 'J1', '执法主体合法', 0, '不合法的，案卷不合格', '否决', '是', '否']);
    items.addRow(['立案', '1', '立案审批表填写规范', 4, '每处扣1分', '每处扣1分，扣完为止', '否', '否']);
    items.addRow(['立案', '2', '在规定期限内立案', 6, '超期扣全分', '扣全分', '否', '否']);
    // The block's own row may come after its items.
    items.addRow(['立案', '一', null, 10, null, null, null, null, '类别']);
    items.addRow(['调查取证 › 询问笔录', '3', '询问笔录内容完整', 45, '视情况', '视情况扣1–5分', '否', '是，给分']);
    items.addRow(['调查取证 › 检查笔录', '4', '检查笔录规范', 45, '缺扣', '扣5分', '否', '是，剔除后折算']);
    const info = book.addWorksheet('标准信息');
    info.addRow(['项目', '内容']);
    info.addRow(['标准名称', '某市行政处罚案卷评查标准']);
    info.addRow(['版本', '2025版']);
    info.addRow(['适用案件类型', '行政处罚（一般程序）、行政强制措施']);
    info.addRow(['否决项部分名称', '基础标准']);
    const bands = book.addWorksheet('等次');
    bands.addRow(['等次', '最低分']);
    bands.addRow(['优秀', 90]);
    bands.addRow(['合格', 60]);
    bands.addRow(['不合格', 0]);
    const r = tablesToDefinition(await xlsxToTables(Buffer.from(await book.xlsx.writeBuffer()), '某市标准.xlsx'));
    expect(errorsOf(r)).toEqual([]);
    if (!r.ok) return;
    const def = r.definition;
    expect(def.caseTypes).toEqual(['penalty_general', 'coercive_measure']);
    expect(def.total).toBe(100);
    expect(def.gate.items.map((i) => [i.code, i.rule.kind])).toEqual([['J1', 'veto']]);
    expect(def.blocks.map((b) => [b.code, b.title, b.points, b.children.length])).toEqual([
      ['一', '立案', 10, 2],
      [undefined, '调查取证', 90, 2],
    ]);
    expect(def.standardId).toMatch(/^std-[0-9a-z]+$/);
    expect(allItems(def).map((i) => i.id)).toEqual(['J1', '1', '2', '3', '4'].map((code) => `${def.standardId}-${code}`));
    expect(allItems(def).map((i) => i.notApplicable)).toEqual([undefined, undefined, undefined, 'award', 'exclude']);
    expect(r.warnings.map((w) => w.message)).toEqual([
      '“评查项目”第 6 行：类别“调查取证”没有单独的类别行，其分值按所含项目合计为 90 分。',
      '“评查项目”第 6 行：类别“调查取证 › 询问笔录”没有单独的类别行，其分值按所含项目合计为 45 分。',
      '“评查项目”第 7 行：类别“调查取证 › 检查笔录”没有单独的类别行，其分值按所含项目合计为 45 分。',
    ]);
  });
});

describe('bad workbooks are refused with the row and field named', () => {
  it('negative points', async () => {
    const r = await edited((b) => (rowWithCode(b, '3').getCell(col('分值')).value = -6));
    expect(errorsOf(r)[0]).toBe('“评查项目”第 5 行：评分类别 › 类别“受理” › 编号“3” › 分值：分值不能为负数');
  });

  it('points that are not a number', async () => {
    const r = await edited((b) => (rowWithCode(b, '3').getCell(col('分值')).value = '六分半'));
    expect(errorsOf(r)).toEqual(['“评查项目”第 5 行（编号“3”）：分值“六分半”不是数字。']);
  });

  it('a range whose maximum exceeds the item’s points', async () => {
    const r = await edited((b) => (rowWithCode(b, '1').getCell(col('扣分方式')).value = '视情况扣1–8分'));
    expect(errorsOf(r)).toEqual(['“评查项目”第 3 行：编号“1”（类别“受理”）：扣分区间最多扣 8 分，超过了该项分值 5 分。']);
  });

  it('duplicate item codes', async () => {
    const r = await edited((b) => (rowWithCode(b, '12.2').getCell(col('编号')).value = '12.1'));
    expect(errorsOf(r)).toEqual(['“评查项目”第 18 行：编号“12.1”出现了 2 次，同一标准内编号必须唯一。']);
  });

  it('points that do not add up', async () => {
    const r = await edited((b) => (rowWithCode(b, '4').getCell(col('分值')).value = 8));
    expect(errorsOf(r)).toEqual(['“评查项目”第 2 行：类别“受理”：各项分值合计 29 分，超过了类别分值 27 分。']);
  });

  it('an unreadable deduction rule, a wrong yes/no and a missing rule, all at once', async () => {
    const r = await edited((b) => {
      rowWithCode(b, '2').getCell(col('扣分方式')).value = '酌情扣分';
      rowWithCode(b, '5').getCell(col('否决项')).value = '也许';
      rowWithCode(b, '6').getCell(col('扣分方式')).value = null;
    });
    expect(errorsOf(r)).toEqual([
      expect.stringMatching(/^“评查项目”第 4 行（编号“2”）：无法识别扣分方式“酌情扣分”/),
      '“评查项目”第 8 行（编号“5”）：否决项只能填“是”或“否”，不能填“也许”。',
      '“评查项目”第 9 行（编号“6”）：请填写扣分方式。',
    ]);
  });

  it('a wrong case type or scoring mode in 标准信息', async () => {
    const r = await edited((b) => {
      const info = b.getWorksheet('标准信息')!;
      info.getRow(6).getCell(2).value = '行政征收';
      info.getRow(13).getCell(2).value = '随便';
    });
    expect(errorsOf(r)[0]).toMatch(/^“标准信息”第 6 行（适用案件类型）：无法识别“行政征收”，可填：行政处罚（一般程序）/);
    expect(errorsOf(r)[1]).toMatch(/^“标准信息”第 13 行（计分方式）：无法识别“随便”/);
  });

  it('a file that is not a workbook, or lacks a sheet or a column', async () => {
    const fail = async (bytes: Buffer) => {
      try {
        await xlsxToTables(bytes, '标准.xlsx');
      } catch (err) {
        return err as AppError;
      }
      throw new Error('expected a refusal');
    };
    expect(await fail(Buffer.from('not a zip at all'))).toMatchObject({
      code: 'damaged_file',
      message: expect.stringContaining('“标准.xlsx”不是有效的 Excel 工作簿'),
    });
    const whole = await standardToXlsx(builtin('xingzheng-xuke-anjuan-pingfenbiao'));
    expect((await fail(whole.subarray(0, whole.length / 2))).code).toBe('damaged_file');
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Sheet1').addRow(['a']);
    expect((await fail(Buffer.from(await book.xlsx.writeBuffer()))).message).toBe(
      '“标准.xlsx”中没有名为“评查项目”的工作表。评查标准表格需要“评查项目”“标准信息”“等次”三个工作表。',
    );
    const noPoints = new ExcelJS.Workbook();
    await noPoints.xlsx.load(whole as unknown as ArrayBuffer);
    noPoints.getWorksheet('评查项目')!.getRow(1).getCell(col('分值')).value = '满分';
    expect((await fail(Buffer.from(await noPoints.xlsx.writeBuffer()))).message).toBe(
      '“标准.xlsx”的工作表“评查项目”缺少列：分值（第 1 行应为列名）。',
    );
  });
});
