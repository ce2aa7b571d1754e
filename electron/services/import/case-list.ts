/**
 * Reads a 案件清单 file into plain cell tables: .xlsx through exceljs (dates, merged ranges, rich
 * text, formulas' results), .csv in UTF-8 (with or without BOM), UTF-16 or GBK, with the delimiter
 * detected. What the cells mean is decided by shared/import (pure, unit-tested).
 *
 * A list comes from outside (a bureau's USB stick), so reading it is bounded: the zip directory is
 * checked before anything is inflated, parsing runs in its own thread with a heap and a time limit
 * (`runBoundedWorker`), and rows are counted while they are read, so an oversized list is refused
 * after its 50,001st row instead of after being loaded whole.
 */
import fsp from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { loadExcel } from '../core/heavy-libs.js';
import iconv from 'iconv-lite';
import { AppError } from '../../../shared/core/errors.js';
import type { SheetTable } from '../../../shared/import/rows.js';
import type { CellValue } from '../../../shared/import/values.js';
import { runBoundedWorker, type BoundedLimits } from '../core/workers.js';
import { checkWorkbookZip, type WorkbookZipLimits } from '../core/xlsx-guard.js';
import { libraryErrorText } from '../core/library-errors.js';

export const MAX_ROWS = 50_000;
const MAX_COLUMNS = 80;
/** A CSV of 50,000 rows of a case list is a few MB; this leaves room for wide ones. */
const MAX_CSV_BYTES = 40 * 1024 ** 2;
const LIST_ZIP_LIMITS: WorkbookZipLimits = { maxTotalBytes: 400 * 1024 ** 2, maxRatio: 200 };
const WORKER_ENTRY = new URL('./case-list-thread', import.meta.url);

const tooManyRows = (name: string): AppError =>
  new AppError('too_large', `“${name}”：清单超过 ${MAX_ROWS.toLocaleString('en-US')} 行，请拆分后导入。`);

const threadLimits = (name: string): BoundedLimits => ({
  heapMb: 768,
  timeMs: 90_000,
  overLimit: `“${name}”过大或过于复杂，读取时超出了允许的内存或时间，已停止读取。请删去多余的工作表和空行，或拆分后再导入。`,
});

export type ListFileJob = { file: string; name: string; kind: 'xlsx' | 'csv' };

export const LIST_EXTENSIONS = /\.(xlsx|xlsm|csv|txt)$/i;

export async function readListFile(file: string, name: string): Promise<SheetTable[]> {
  const lower = name.toLowerCase();
  if (/\.(xls|et|ods|numbers|wps)$/.test(lower))
    throw new AppError('unsupported_file', `暂不支持“${name}”这种表格格式，请在 Excel 或 WPS 中另存为 .xlsx（或 .csv）后再选择。`);
  const head = Buffer.alloc(8);
  const fh = await fsp.open(file, 'r');
  try {
    await fh.read(head, 0, 8, 0);
  } finally {
    await fh.close();
  }
  const isZip = head[0] === 0x50 && head[1] === 0x4b;
  if (/\.(xlsx|xlsm)$/.test(lower) || isZip) {
    if (!isZip) throw new AppError('damaged_file', `“${name}”不是有效的 .xlsx 文件（可能是改了扩展名的其他格式）。`);
    await checkWorkbookZip(file, name, LIST_ZIP_LIMITS);
    return runBoundedWorker<SheetTable[]>(WORKER_ENTRY, { file, name, kind: 'xlsx' } satisfies ListFileJob, threadLimits(name));
  }
  if (/\.(csv|txt)$/.test(lower)) {
    const { size } = await fsp.stat(file);
    if (size > MAX_CSV_BYTES)
      throw new AppError('too_large', `“${name}”超过 40 MB，清单超过 ${MAX_ROWS.toLocaleString('en-US')} 行，请拆分后导入。`);
    return runBoundedWorker<SheetTable[]>(WORKER_ENTRY, { file, name, kind: 'csv' } satisfies ListFileJob, threadLimits(name));
  }
  throw new AppError('unsupported_file', `“${name}”不是案件清单表格，请选择 .xlsx 或 .csv 文件。`);
}

function cellValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const iso = value.toISOString().slice(0, 10);
    return { date: iso };
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellValue((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('hyperlink' in value) return cellValue((value as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue);
    if ('error' in value) return null;
    if ('text' in value) return String((value as { text: unknown }).text);
  }
  return String(value);
}

/** Runs in the list thread: the file's tables, or a refusal. */
export async function readListInThread(job: ListFileJob): Promise<SheetTable[]> {
  if (job.kind === 'csv') return [readCsv(await fsp.readFile(job.file), job.name)];
  await refuseLongSheets(job.file, job.name);
  return readXlsx(job.file, job.name);
}

/**
 * A streaming pass (exceljs's WorkbookReader: one row in memory at a time, shared strings and
 * styles skipped) that stops at the first row past the limit, before the whole book is loaded.
 */
async function refuseLongSheets(file: string, name: string): Promise<void> {
  const reader = new (await loadExcel()).stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'ignore',
    styles: 'ignore',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
        if (row.number > MAX_ROWS && row.hasValues) throw tooManyRows(name);
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('damaged_file', `“${name}”无法作为 Excel 文件读取，文件可能已损坏或设有密码（${libraryErrorText(err)}）。`);
  }
}

async function readXlsx(file: string, name: string): Promise<SheetTable[]> {
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch (err) {
    throw new AppError('damaged_file', `“${name}”无法作为 Excel 文件读取，文件可能已损坏或设有密码（${libraryErrorText(err)}）。`);
  }
  const tables: SheetTable[] = [];
  for (const ws of wb.worksheets) {
    if (ws.state && ws.state !== 'visible') continue;
    const rows: CellValue[][] = [];
    const last = Math.min(ws.rowCount, MAX_ROWS);
    for (let r = 1; r <= last; r++) {
      const row = ws.getRow(r);
      const cells: CellValue[] = [];
      const width = Math.min(row.cellCount, MAX_COLUMNS);
      for (let c = 1; c <= width; c++) cells.push(cellValue(row.getCell(c).value));
      while (cells.length && cells[cells.length - 1] === null) cells.pop();
      rows.push(cells);
    }
    const mergedFromAbove: string[] = [];
    const merges = (ws.model as { merges?: string[] }).merges ?? [];
    for (const range of merges) {
      const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range);
      if (!m) continue;
      const [c1, r1, c2, r2] = [colIndex(m[1]!), Number(m[2]) - 1, colIndex(m[3]!), Number(m[4]) - 1];
      for (let r = r1 + 1; r <= Math.min(r2, MAX_ROWS - 1); r++) for (let c = c1; c <= c2; c++) mergedFromAbove.push(`${r},${c}`);
    }
    tables.push({ name: ws.name, rows, mergedFromAbove });
  }
  if (!tables.length) throw new AppError('invalid_input', `“${name}”中没有可见的工作表。`);
  return tables;
}

const colIndex = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

/** UTF-8 (BOM or not), UTF-16 (what Excel's "Unicode text" writes) or GBK (what Chinese Excel's CSV writes). */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf-16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

function detectDelimiter(text: string): string {
  const sample = text
    .split(/\r?\n/)
    .slice(0, 10)
    .join('\n')
    .replace(/"[^"]*"/g, '');
  const counts = [',', '\t', ';', '，'].map((d) => ({ d, n: sample.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ',';
}

export function readCsv(bytes: Buffer, name: string): SheetTable {
  const text = decodeText(bytes);
  let records: string[][];
  try {
    // One record past the limit is enough to refuse; csv-parse stops there.
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      to: MAX_ROWS + 1,
    }) as string[][];
  } catch (err) {
    throw new AppError('damaged_file', `“${name}”无法按 CSV 读取（${libraryErrorText(err)}）。`);
  }
  while (records.length > MAX_ROWS && records[records.length - 1]!.every((c) => c === '')) records.pop();
  if (records.length > MAX_ROWS) throw tooManyRows(name);
  return { name: name.replace(/\.[^.]+$/, ''), rows: records.map((r) => r.slice(0, MAX_COLUMNS).map((c) => (c === '' ? null : c))) };
}
