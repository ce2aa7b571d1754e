/**
 * The 案件清单 as 清溪县 sends it: a title row, a blank row, the headers, then one row per case typed
 * by several people (short unit names on some rows, dates in four forms, amounts in five, trailing
 * spaces). Also as a GBK CSV, which is what Chinese Excel saves.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { CASE_TYPE_LABELS } from '../../../shared/campaigns/case-types.js';
import type { CaseFacts } from './campaign.js';
import { yuanInWords } from './documents.js';

export const LIST_TITLE = '清溪县2025年度行政执法案卷报送清单';
export const LIST_HEADERS = [
  '序号',
  '案号',
  '案件名称',
  '案由',
  '当事人',
  '执法单位',
  '案件类型',
  '立案日期',
  '结案日期',
  '处罚金额/决定内容',
  '承办人',
] as const;
/** Sheet row (1-based) of the header; cases follow on the next rows. */
export const LIST_HEADER_ROW = 3;

export interface ListRowTruth {
  /** 1-based row in the sheet (and line in the CSV, which has the same title and blank lines). */
  rowNumber: number;
  caseId: string;
  caseNumber: string;
  /** The cells as written. */
  cells: { caseNumber: string; unit: string; filedOn: string | Date; closedOn: string | Date; amount: string };
  /** What they mean. */
  unitName: string;
  filedOn: string;
  closedOn: string;
  fine: number;
  confiscated: number;
  hasFile: boolean;
}

const typeText = (f: CaseFacts, i: number): string => {
  switch (f.caseType) {
    case 'penalty_general':
      return i % 3 === 0 ? '行政处罚' : '一般程序';
    case 'penalty_simple':
      return '简易程序';
    case 'coercive_measure':
      return '行政强制措施';
    default:
      return CASE_TYPE_LABELS[f.caseType];
  }
};

/** 2025-03-05 in one of the forms counties type: 2025.3.5, 2025年3月5日, a real Excel date, 2025/03/05. */
function dateCell(iso: string, form: number): string | Date {
  const [y, m, d] = [iso.slice(0, 4), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))];
  switch (form % 4) {
    case 0:
      return `${y}.${m}.${d}`;
    case 1:
      return `${y}年${m}月${d}日`;
    case 2:
      return new Date(`${iso}T00:00:00Z`);
    default:
      return `${y}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
  }
}

function amountCell(f: CaseFacts, i: number): string {
  if (f.caseType === 'license') return '准予许可';
  if (f.caseType === 'coercive_measure') return '查封生产设施';
  if (!f.fine) return '警告';
  if (f.confiscated) return `${(f.fine + f.confiscated).toLocaleString('en-US')}（含没收违法所得${f.confiscated}）`;
  switch (i % 3) {
    case 0:
      return String(f.fine);
    case 1:
      return `${f.fine.toLocaleString('en-US')}元`;
    default:
      return yuanInWords(f.fine);
  }
}

export function listRows(cases: Array<{ facts: CaseFacts; hasFile: boolean }>): ListRowTruth[] {
  return cases.map(({ facts: f, hasFile }, i) => {
    const trailing = i % 5 === 2 ? '  ' : '';
    return {
      rowNumber: LIST_HEADER_ROW + 1 + i,
      caseId: f.id,
      caseNumber: f.caseNumber,
      cells: {
        caseNumber: f.caseNumber + trailing,
        unit: (i % 4 === 1 ? f.unit.shortName : f.unit.name) + (i % 7 === 3 ? ' ' : ''),
        filedOn: dateCell(f.dates.filed, i),
        closedOn: dateCell(f.dates.closed, i + 1),
        amount: amountCell(f, i),
      },
      unitName: f.unit.name,
      filedOn: f.dates.filed,
      closedOn: f.dates.closed,
      fine: f.fine,
      confiscated: f.confiscated,
      hasFile,
    };
  });
}

function rowValues(row: ListRowTruth, f: CaseFacts, i: number): Array<string | number | Date> {
  return [
    i + 1,
    row.cells.caseNumber,
    f.title + (i % 6 === 4 ? ' ' : ''),
    f.cause,
    f.party.name,
    row.cells.unit,
    typeText(f, i),
    row.cells.filedOn,
    row.cells.closedOn,
    row.cells.amount,
    f.officers.map((o) => o.name).join('、'),
  ];
}

export async function caseListXlsx(rows: ListRowTruth[], facts: CaseFacts[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '清溪县司法局';
  wb.created = new Date('2026-01-10T02:00:00Z');
  wb.modified = wb.created;
  const ws = wb.addWorksheet('报送清单');
  ws.addRow([LIST_TITLE]);
  ws.mergeCells(1, 1, 1, LIST_HEADERS.length);
  ws.getRow(1).font = { bold: true, size: 16 };
  ws.getRow(1).alignment = { horizontal: 'center' };
  ws.addRow([]);
  ws.addRow([...LIST_HEADERS]).font = { bold: true };
  rows.forEach((row, i) => {
    const added = ws.addRow(rowValues(row, facts[i]!, i));
    for (const col of [8, 9]) {
      const cell = added.getCell(col);
      if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
    }
  });
  [6, 24, 40, 26, 30, 24, 14, 14, 14, 24, 14].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same list saved as CSV by Chinese Excel: GBK, no BOM, the title line and the blank line kept. */
export function caseListCsv(rows: ListRowTruth[], facts: CaseFacts[]): Buffer {
  const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = (v: string | number | Date): string => (v instanceof Date ? v.toISOString().slice(0, 10).replace(/-/g, '/') : String(v));
  const lines = [LIST_TITLE + ','.repeat(LIST_HEADERS.length - 1), ','.repeat(LIST_HEADERS.length - 1), LIST_HEADERS.join(',')];
  rows.forEach((row, i) =>
    lines.push(
      rowValues(row, facts[i]!, i)
        .map((v) => quote(text(v)))
        .join(','),
    ),
  );
  return iconv.encode(lines.join('\r\n') + '\r\n', 'gb18030');
}
