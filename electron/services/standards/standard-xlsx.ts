/**
 * A standard as an .xlsx workbook (exceljs). Only the file format lives here: which cell means what
 * is decided by shared/standard/table.ts, so reading and writing cannot drift apart.
 */
import type ExcelJS from 'exceljs';
import { loadExcel } from '../core/heavy-libs.js';
import { AppError } from '../../../shared/core/errors.js';
import type { StandardDefinition } from '../../../shared/standards/model.js';
import {
  BANDS_SHEET,
  BAND_COLUMNS,
  INFO_SHEET,
  ITEMS_SHEET,
  ITEM_COLUMNS,
  REQUIRED_ITEM_COLUMNS,
  ROW_KIND_BLOCK,
  definitionToTables,
  type CellValue,
  type StandardTables,
  type TableRow,
} from '../../../shared/standards/table.js';

const WIDTHS: Partial<Record<string, number>> = {
  类别: 30,
  编号: 9,
  评查内容: 56,
  分值: 7,
  扣分标准: 40,
  扣分方式: 26,
  否决项: 8,
  可不适用: 15,
  行类型: 8,
  ID: 16,
  问题类别: 14,
  依据: 30,
  来源说明: 30,
  备注: 36,
};
const WRAP = new Set(['类别', '评查内容', '扣分标准', '依据', '来源说明', '备注']);
const CHOICES: Partial<Record<string, string[]>> = {
  否决项: ['是', '否'],
  可不适用: ['否', '是，给分', '是，剔除后折算'],
  行类型: ['类别', '项目'],
  扣分项: ['是', '否'],
  扣完为止: ['是', '否'],
  折算: ['是', '否'],
  来源: ['原文', '推定', '占位', '残缺', '代码'],
};
/** Empty rows below the data that still offer the drop-down choices, for rows a person adds. */
const SPARE_ROWS = 200;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F4' } };
const BLOCK_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F5FA' } };

function styleHeader(sheet: ExcelJS.Worksheet): void {
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = HEADER_FILL;
  header.alignment = { vertical: 'middle' };
}

export async function standardToXlsx(def: StandardDefinition): Promise<Buffer> {
  const tables = definitionToTables(def);
  const book = new (await loadExcel()).Workbook();
  book.creator = '案卷评查工作站';
  book.title = `${def.name}（${def.version}）`;

  // Printed on A4 landscape, one page wide (a panel often prints the standard).
  const items = book.addWorksheet(ITEMS_SHEET, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  items.columns = ITEM_COLUMNS.map((h) => ({ header: h, key: h, width: WIDTHS[h] ?? 12 }));
  styleHeader(items);
  for (const r of tables.items) {
    const row = items.addRow(r.cells);
    if (r.cells.行类型 === ROW_KIND_BLOCK) {
      row.font = { bold: true };
      row.fill = BLOCK_FILL;
    }
  }
  // The print shows the eight columns a reader needs; the rest are for the round trip.
  items.pageSetup.printArea = `A1:H${tables.items.length + 1}`;
  items.pageSetup.printTitlesRow = '1:1';
  ITEM_COLUMNS.forEach((h, i) => {
    const column = items.getColumn(i + 1);
    if (WRAP.has(h)) column.alignment = { wrapText: true, vertical: 'top' };
    const choices = CHOICES[h];
    if (!choices) return;
    for (let r = 2; r <= tables.items.length + 1 + SPARE_ROWS; r++)
      items.getCell(r, i + 1).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${choices.join(',')}"`] };
  });

  const info = book.addWorksheet(INFO_SHEET);
  info.columns = [
    { header: '项目', key: 'key', width: 18 },
    { header: '内容', key: 'value', width: 90 },
  ];
  styleHeader(info);
  for (const e of tables.info) info.addRow({ key: e.key, value: e.value });
  info.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

  const bands = book.addWorksheet(BANDS_SHEET);
  bands.columns = BAND_COLUMNS.map((h) => ({ header: h, key: h, width: h === '来源说明' ? 60 : 12 }));
  styleHeader(bands);
  for (const r of tables.bands) bands.addRow(r.cells);

  return Buffer.from(await book.xlsx.writeBuffer());
}

function cellValue(cell: ExcelJS.Cell): CellValue {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as ExcelJS.CellFormulaValue).result;
      return result === undefined || result === null || typeof result === 'object' ? null : (result as CellValue);
    }
    if ('text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if ('error' in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return String(v);
}

/** The data rows of a sheet keyed by its header row, which may be in any order. */
function readRows<C extends string>(
  sheet: ExcelJS.Worksheet,
  columns: readonly C[],
  required: readonly C[],
  fileName: string,
): Array<TableRow<C>> {
  const byIndex = new Map<number, C>();
  sheet.getRow(1).eachCell((cell, col) => {
    const name = String(cellValue(cell) ?? '').trim() as C;
    if ((columns as readonly string[]).includes(name)) byIndex.set(col, name);
  });
  const present = new Set(byIndex.values());
  const missing = required.filter((c) => !present.has(c));
  if (missing.length)
    throw new AppError('invalid_input', `“${fileName}”的工作表“${sheet.name}”缺少列：${missing.join('、')}（第 1 行应为列名）。`);
  const rows: Array<TableRow<C>> = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) return;
    const cells: Partial<Record<C, CellValue>> = {};
    for (const [col, name] of byIndex) cells[name] = cellValue(row.getCell(col));
    rows.push({ row: number, cells });
  });
  return rows;
}

/** Reads a workbook into tables; refuses a file that is not a readable .xlsx or lacks the sheets. */
export async function xlsxToTables(bytes: Buffer, fileName: string): Promise<StandardTables> {
  const book = new (await loadExcel()).Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new AppError(
      'damaged_file',
      `“${fileName}”不是有效的 Excel 工作簿（.xlsx），无法读取。请用 Excel 或 WPS 另存为 .xlsx 后再导入。`,
    );
  }
  const sheet = (name: string): ExcelJS.Worksheet => {
    const found = book.getWorksheet(name);
    if (!found)
      throw new AppError(
        'invalid_input',
        `“${fileName}”中没有名为“${name}”的工作表。评查标准表格需要“${ITEMS_SHEET}”“${INFO_SHEET}”“${BANDS_SHEET}”三个工作表。`,
      );
    return found;
  };
  const items = readRows(sheet(ITEMS_SHEET), ITEM_COLUMNS, REQUIRED_ITEM_COLUMNS, fileName);
  const infoSheet = sheet(INFO_SHEET);
  const info: StandardTables['info'] = [];
  infoSheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) return;
    info.push({ row: number, key: String(cellValue(row.getCell(1)) ?? ''), value: cellValue(row.getCell(2)) });
  });
  const bands = readRows(sheet(BANDS_SHEET), BAND_COLUMNS, ['等次', '最低分'], fileName);
  return { items, info, bands };
}
