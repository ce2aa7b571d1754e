/**
 * Import fixtures made in the tests: a 案件清单 with every quirk units produce (title rows, merged
 * cells, spaced and full-width header names, Excel and text dates, amounts with commas and 万元,
 * blank rows, trailing spaces, half-width brackets, footer rows), the same list as GBK CSV, zips
 * (honest ones and evil ones) and a password-protected PDF.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { PDFDocument, PDFHexString, PDFName, PDFNumber } from 'pdf-lib';
import yazl from 'yazl';
import { dossierPdf } from './pdf-fixtures.js';

export const UNIT = '某某县市场监督管理局';

export interface ListCase {
  caseNumber: string;
  title: string;
  party: string;
  type: string;
  filed: Date | number | string;
  closed: string;
  /** In the .xlsx, whose amount column is headed 处罚金额（万元）. */
  amountWan: number | string;
  /** In the .csv, whose amount column is headed 罚款金额（元）. */
  amountYuan: string;
  handler: string;
}

/** Five cases as a unit would list them (案号 spellings deliberately mixed); expected values in EXPECTED. */
export const LIST_CASES: ListCase[] = [
  {
    caseNumber: '某市监罚[2025]1号  ',
    title: '某某超市销售过期食品案 ',
    party: '某某超市',
    type: '行政处罚',
    filed: new Date(Date.UTC(2025, 0, 6)),
    closed: '2025.3.5',
    amountWan: 1.2,
    amountYuan: '12,000',
    handler: '张三、李四',
  },
  {
    caseNumber: '某市监罚（2025）第002号',
    title: '某某药店未凭处方销售处方药案',
    party: '某某药店',
    type: '行政处罚（一般程序）',
    filed: 45703,
    closed: '2025年3月5日',
    amountWan: 1.5,
    amountYuan: '15,000.00',
    handler: '王五',
  },
  {
    caseNumber: '某市监罚〔2025〕3号',
    title: '某某餐馆无证经营案',
    party: '甲餐馆',
    type: '行政处罚',
    filed: '2025/2/1',
    closed: '2025-04-01',
    amountWan: '0.8万元',
    amountYuan: '0.8万元',
    handler: '赵六',
  },
  {
    caseNumber: '某市监罚【2025】4号',
    title: '某某公司虚假宣传案',
    party: '某某科技有限公司',
    type: '简易程序',
    filed: '2025-02-10',
    closed: '二〇二五年二月十日',
    amountWan: '200元',
    amountYuan: '200',
    handler: '孙七',
  },
  {
    caseNumber: '某市监许〔2025〕5号',
    title: '某某食品经营许可',
    party: '某某食品店',
    type: '行政许可',
    filed: '20250301',
    closed: '2025-03-20',
    amountWan: '',
    amountYuan: '',
    handler: '周八',
  },
];

/** What the import must make of LIST_CASES. */
export const EXPECTED = [
  {
    caseNumber: '某市监罚〔2025〕1号',
    title: '某某超市销售过期食品案',
    caseType: 'penalty_general',
    filedOn: '2025-01-06',
    closedOn: '2025-03-05',
    penaltyAmount: 12000,
  },
  {
    caseNumber: '某市监罚〔2025〕第002号',
    title: '某某药店未凭处方销售处方药案',
    caseType: 'penalty_general',
    filedOn: '2025-02-15',
    closedOn: '2025-03-05',
    penaltyAmount: 15000,
  },
  {
    caseNumber: '某市监罚〔2025〕3号',
    title: '某某餐馆无证经营案',
    caseType: 'penalty_general',
    filedOn: '2025-02-01',
    closedOn: '2025-04-01',
    penaltyAmount: 8000,
  },
  {
    caseNumber: '某市监罚〔2025〕4号',
    title: '某某公司虚假宣传案',
    caseType: 'penalty_simple',
    filedOn: '2025-02-10',
    closedOn: '2025-02-10',
    penaltyAmount: 200,
  },
  {
    caseNumber: '某市监许〔2025〕5号',
    title: '某某食品经营许可',
    caseType: 'license',
    filedOn: '2025-03-01',
    closedOn: '2025-03-20',
    penaltyAmount: null,
  },
] as const;

const HEADER = ['序 号', '决定书文号 ', '案件\n名称', '当事人名称', '案件类型', '立案日期', '结案日期', '处罚金额\n（万元）', '承办人'];

/** The messy .xlsx: a cover sheet first, then the list with all the quirks. */
export async function messyListXlsx(
  cases: ListCase[] = LIST_CASES,
  options: { headerOrder?: number[]; renameHeaders?: Record<number, string> } = {},
): Promise<Buffer> {
  const order = options.headerOrder ?? HEADER.map((_, i) => i);
  const header = HEADER.map((h, i) => options.renameHeaders?.[i] ?? h);
  const wb = new ExcelJS.Workbook();
  const cover = wb.addWorksheet('填报说明');
  cover.addRow(['请按要求填写案件清单，日期格式不限。']);
  const ws = wb.addWorksheet('案件清单');
  ws.addRow([`${UNIT}2025年度行政执法案卷清单`]);
  ws.mergeCells(1, 1, 1, HEADER.length);
  ws.addRow(['填报单位：', UNIT]);
  ws.addRow(order.map((i) => header[i]));
  const put = (values: unknown[]): ExcelJS.Row => ws.addRow(order.map((i) => values[i]));
  const caseCol = order.indexOf(1) + 1;
  cases.forEach((c, n) => {
    const row = put([n + 1, c.caseNumber, c.title, c.party, c.type, c.filed, c.closed, c.amountWan, c.handler]);
    if (n === 0) {
      // The first case has two parties: its 案号 cell is merged over two rows.
      const more = put([null, null, null, '某某超市分店', null, null, null, null, null]);
      ws.mergeCells(row.number, caseCol, more.number, caseCol);
    }
    if (n === 1) ws.addRow([]);
  });
  ws.addRow(['合计', null, null, null, null, null, null, 1.6, null]);
  ws.addRow(['填表人：钱九', null, null, '联系电话：1234567']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same kind of list as Chinese Excel saves CSV: GBK, no BOM, a title line above the header. */
export function messyListCsvGbk(cases: ListCase[] = LIST_CASES): Buffer {
  const lines = [`${UNIT}案件清单,,,,`, '序号,案号,案件名称,当事人,案件类型,立案时间,办结日期,罚款金额（元）,办案人员,被评查单位'];
  cases.forEach((c, n) => {
    const filed = c.filed instanceof Date ? c.filed.toISOString().slice(0, 10) : String(c.filed);
    lines.push([n + 1, c.caseNumber, c.title, c.party, c.type, filed, c.closed, `"${c.amountYuan}"`, c.handler, UNIT].join(','));
  });
  lines.push(',,,,,,,,,');
  return iconv.encode(lines.join('\r\n'), 'gb18030');
}

export interface ZipItem {
  name: string;
  data: Uint8Array | string;
  mode?: number;
  compress?: boolean;
}

export function zipOf(items: ZipItem[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const item of items) {
    const data = typeof item.data === 'string' ? Buffer.from(item.data) : Buffer.from(item.data);
    zip.addBuffer(data, item.name, { compress: item.compress ?? true, ...(item.mode ? { mode: item.mode } : {}) });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** Rewrites an entry's name in place (local header and central directory); the new name must have the same byte length. */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error('names must have the same byte length');
  const out = Buffer.from(zip);
  let at = out.indexOf(a);
  while (at >= 0) {
    b.copy(out, at);
    at = out.indexOf(a, at + 1);
  }
  return out;
}

/**
 * Calls `edit` at every local file header and central directory record of a zip (yazl's output), with
 * the offsets of the fields tests tamper with. A stored entry's bytes could in theory look like a
 * signature; the fixtures' small PDFs do not.
 */
export function editHeaders(
  zip: Buffer,
  edit: (out: Buffer, at: { flags: number; uncompressedSize: number; name: number }) => void,
): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) edit(out, { flags: i + 6, uncompressedSize: i + 22, name: i + 30 });
    else if (sig === 0x02014b50) edit(out, { flags: i + 8, uncompressedSize: i + 24, name: i + 46 });
  }
  return out;
}

/** Sets general-purpose bit 0 (encrypted) on every entry, in local headers and the central directory. */
export function markEncrypted(zip: Buffer): Buffer {
  return editHeaders(zip, (out, at) => out.writeUInt16LE(out.readUInt16LE(at.flags) | 1, at.flags));
}

/** A zip whose one entry's name is written in GBK without the UTF-8 flag, as Chinese Windows does. */
export async function gbkNamedZip(name: string, data: Uint8Array): Promise<Buffer> {
  const gbk = iconv.encode(name, 'gbk');
  const zip = await zipOf([{ name: 'x'.repeat(gbk.length), data, compress: false }]);
  return editHeaders(zip, (out, at) => {
    out.writeUInt16LE(out.readUInt16LE(at.flags) & ~0x800, at.flags);
    gbk.copy(out, at.name);
  });
}

/** A PDF that needs a password to open (a Standard security handler whose empty user password fails). */
export async function encryptedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await dossierPdf(1));
  const ctx = doc.context;
  const encrypt = ctx.obj({
    Filter: PDFName.of('Standard'),
    V: PDFNumber.of(1),
    R: PDFNumber.of(2),
    O: PDFHexString.of('a'.repeat(64)),
    U: PDFHexString.of('b'.repeat(64)),
    P: PDFNumber.of(-4),
  });
  ctx.trailerInfo.Encrypt = ctx.register(encrypt);
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of('0123456789abcdef0123456789abcdef'), PDFHexString.of('0123456789abcdef0123456789abcdef')]);
  return doc.save({ useObjectStreams: false });
}
