/**
 * From the cells of a 案件清单 (as a reader got them from .xlsx or .csv) to case drafts: header row
 * found, title rows above it and blank, footer and repeated-header rows skipped, a case spread over
 * merged rows joined, every value normalised, and each problem kept with the row as a Chinese issue.
 */
import { caseNumberKey, tidyCaseNumber } from '../dossiers/case-number.js';
import { CASE_TYPE_LABELS, type CaseType } from '../campaigns/case-types.js';
import {
  findHeaderRow,
  guessMapping,
  headerRowScore,
  LIST_FIELD_LABELS,
  LIST_FIELDS,
  normaliseHeader,
  type ColumnMapping,
  type ListField,
} from './fields.js';
import { cellText, describePenalty, isBlankText, parseCaseType, parseDate, parsePenalty, type CellValue } from './values.js';

export interface SheetTable {
  name: string;
  rows: CellValue[][];
  /** "row,col" (0-based) of cells that continue a merged range from the row above. */
  mergedFromAbove?: string[];
}

export interface ListDefaults {
  /** The unit the list belongs to, when it has no unit column. */
  unitName?: string | undefined;
  /** The case type of every row whose own type is missing or unreadable. */
  caseType?: CaseType | undefined;
}

export interface RowIssue {
  field: ListField | null;
  /** error: the row cannot become a case; warning: a value is lost or doubtful; info: read with an assumption. */
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** The cell as written and what the import stores from it, for a value it could not read as written. */
  raw?: string;
  stored?: string;
  /**
   * What holds for every row read the same way (「“处罚金额/决定内容”一栏兼作金额…」): the review says
   * it once per column; `detail` is what is particular to this row, if anything. `message` stays the
   * whole sentence for the import summary.
   */
  note?: string;
  detail?: string;
}

/** The combined 金额/决定内容 column's rule, the same for every row it applies to. */
export const combinedColumnNote = (header: string): string => `“${header}”一栏兼作金额：其中的金额记入罚款（及没收），原文记为决定内容`;

export interface CaseDraft {
  /** Stable within one list: "r" + the sheet's row number. */
  rowKey: string;
  /** 1-based row number as the spreadsheet shows it. */
  rowNumber: number;
  serial: string;
  caseNumber: string;
  caseNumberKey: string;
  title: string;
  cause: string;
  party: string;
  unitName: string;
  enforcementBody: string;
  caseType: CaseType | null;
  filedOn: string | null;
  closedOn: string | null;
  decision: string;
  /** 罚款, in 元. */
  penaltyAmount: number | null;
  /** 没收违法所得 / 非法财物, in 元. */
  confiscatedAmount: number | null;
  /** The 处罚金额 cell as written (kept whatever was read from it). */
  penaltyText: string;
  handler: string;
  externalCode: string;
  /** The row as the list writes it, column by column (header and cell text), kept with the case. */
  cells: ListCell[];
  issues: RowIssue[];
  /** error: cannot become a case; duplicate: same 案号 as an earlier row (its files go to that row). */
  status: 'ok' | 'error' | 'duplicate';
  /** rowKey of the earlier row with the same 案号 (status duplicate). */
  duplicateOf?: string;
}

export interface ListCell {
  header: string;
  value: string;
}

export interface SkippedRow {
  rowNumber: number;
  reason: string;
}

export interface ListReading {
  headerRow: number;
  headers: string[];
  drafts: CaseDraft[];
  skipped: SkippedRow[];
  blankRows: number;
}

/** Fields a continuation row of a merged case adds to the case (several parties, a longer cause …). */
const JOINED_FIELDS = ['party', 'cause', 'decision', 'handler', 'title'] as const;
const FOOTER_RE =
  /^(合计|总计|小计|共计|填表人|制表人|填报人|审核人|负责人|联系人|制表日期|填报日期|填表日期|注[:：]|备注[:：]|说明[:：]|以上)/;
const MAX_TEXT = 2000;

export const headerTexts = (row: CellValue[] | undefined): string[] => (row ?? []).map((c) => cellText(c).replace(/\s+/g, ' '));

export function columnCount(table: SheetTable): number {
  return table.rows.reduce((max, r) => Math.max(max, r.length), 0);
}

export function readCaseList(table: SheetTable, headerRow: number, mapping: ColumnMapping, defaults: ListDefaults = {}): ListReading {
  const headers = headerTexts(table.rows[headerRow]);
  const merged = new Set(table.mergedFromAbove ?? []);
  const headerKey = mapping.caseNumber != null ? normaliseHeader(headers[mapping.caseNumber] ?? '').key : '';
  const amountUnit = mapping.penaltyAmount != null ? normaliseHeader(headers[mapping.penaltyAmount] ?? '').unit : '';
  // One column for both (处罚金额/决定内容): without a 处罚金额 column of its own, its amounts are the 罚款.
  const decisionHeader = mapping.decision != null ? (headers[mapping.decision] ?? '') : '';
  const combined =
    mapping.penaltyAmount == null && isCombinedAmountHeader(decisionHeader)
      ? { header: decisionHeader, unit: normaliseHeader(decisionHeader).unit }
      : null;
  const drafts: CaseDraft[] = [];
  const skipped: SkippedRow[] = [];
  const byKey = new Map<string, CaseDraft>();
  let blankRows = 0;

  const cell = (row: CellValue[], field: ListField): CellValue => {
    const col = mapping[field];
    return col === null || col === undefined ? null : (row[col] ?? null);
  };
  const text = (row: CellValue[], field: ListField): string => {
    const t = cellText(cell(row, field));
    return isBlankText(t) ? '' : t.slice(0, MAX_TEXT);
  };

  for (let r = headerRow + 1; r < table.rows.length; r++) {
    const row = table.rows[r] ?? [];
    const rowNumber = r + 1;
    const texts = row.map((c) => cellText(c));
    if (texts.every((t) => !t)) {
      blankRows++;
      continue;
    }
    const first = texts.find((t) => t) ?? '';
    if (FOOTER_RE.test(first.replace(/\s+/g, ''))) {
      skipped.push({ rowNumber, reason: `表尾说明行（“${first.slice(0, 20)}”），已跳过` });
      continue;
    }
    if (headerKey && normaliseHeader(text(row, 'caseNumber')).key === headerKey && headerRowScore(texts) >= 2) {
      skipped.push({ rowNumber, reason: '重复的表头行，已跳过' });
      continue;
    }
    const caseCol = mapping.caseNumber;
    // A case spread over rows whose 案号 cell is merged: the extra rows add to the case above.
    if (caseCol != null && merged.has(`${r},${caseCol}`) && drafts.length) {
      const above = drafts[drafts.length - 1]!;
      for (const field of JOINED_FIELDS) {
        const col = mapping[field];
        if (col == null || merged.has(`${r},${col}`)) continue;
        const extra = text(row, field);
        if (extra && !above[field].split('；').includes(extra)) above[field] = above[field] ? `${above[field]}；${extra}` : extra;
      }
      // What a continuation row says in other columns (a second date, another amount) has no place on the case: say so.
      for (const field of LIST_FIELDS) {
        const col = mapping[field];
        if (
          col == null ||
          field === 'caseNumber' ||
          field === 'serial' ||
          (JOINED_FIELDS as readonly string[]).includes(field) ||
          merged.has(`${r},${col}`)
        )
          continue;
        const extra = text(row, field);
        if (extra)
          above.issues.push({
            field,
            severity: 'warning',
            message: `第 ${rowNumber} 行是本案的续行（案号单元格合并），该行的${LIST_FIELD_LABELS[field]}未登记`,
            raw: extra,
            stored: '未登记',
          });
      }
      continue;
    }
    drafts.push({ ...draftOf(row, rowNumber, text, cell, defaults, amountUnit, combined), cells: rowCells(headers, texts) });
  }

  for (const d of drafts) {
    if (d.status === 'error' || !d.caseNumberKey) continue;
    const earlier = byKey.get(d.caseNumberKey);
    if (earlier) {
      d.status = 'duplicate';
      d.duplicateOf = earlier.rowKey;
      d.issues.push({
        field: 'caseNumber',
        severity: 'error',
        message: `案号与第 ${earlier.rowNumber} 行重复（${earlier.caseNumber}），本行不会重复登记`,
      });
    } else byKey.set(d.caseNumberKey, d);
  }
  return { headerRow, headers, drafts, skipped, blankRows };
}

/** A row's cells under their headers, as written (columns with neither left out). */
function rowCells(headers: string[], texts: string[]): ListCell[] {
  const out: ListCell[] = [];
  for (let c = 0; c < Math.max(headers.length, texts.length); c++) {
    const header = (headers[c] ?? '').trim();
    const value = (texts[c] ?? '').slice(0, 500);
    if (header || value) out.push({ header: header || `第 ${c + 1} 列`, value });
  }
  return out;
}

function draftOf(
  row: CellValue[],
  rowNumber: number,
  text: (row: CellValue[], field: ListField) => string,
  cell: (row: CellValue[], field: ListField) => CellValue,
  defaults: ListDefaults,
  amountUnit: string,
  combined: { header: string; unit: string } | null,
): Omit<CaseDraft, 'cells'> {
  const issues: RowIssue[] = [];
  const warn = (field: ListField, message: string): void => void issues.push({ field, severity: 'warning', message });
  const fail = (field: ListField, message: string): void => void issues.push({ field, severity: 'error', message });

  for (const field of LIST_FIELDS) {
    const full = cellText(cell(row, field));
    if (full.length > MAX_TEXT)
      warn(field, `${LIST_FIELD_LABELS[field]}超过 ${MAX_TEXT} 字，只登记前 ${MAX_TEXT} 字（共 ${full.length} 字）`);
  }
  const rawNumber = text(row, 'caseNumber').replace(/\n/g, '');
  const caseNumber = tidyCaseNumber(rawNumber).slice(0, 100);
  if (!caseNumber) fail('caseNumber', '缺少案号');

  const enforcementBody = text(row, 'enforcementBody');
  const unitName = (text(row, 'unitName') || defaults.unitName?.trim() || enforcementBody).replace(/\n/g, ' ').slice(0, 200);
  if (!unitName) fail('unitName', '缺少被评查单位（清单没有单位列时，请指定本清单所属的单位）');

  const typeText = text(row, 'caseType');
  let caseType = parseCaseType(typeText);
  if (!caseType) {
    if (defaults.caseType) {
      if (typeText)
        issues.push({
          field: 'caseType',
          severity: 'warning',
          message: `案件类型“${typeText}”无法识别，按默认类型登记`,
          raw: typeText,
          stored: CASE_TYPE_LABELS[defaults.caseType],
        });
      caseType = defaults.caseType;
    } else fail('caseType', typeText ? `案件类型“${typeText}”无法识别，请指定默认案件类型` : '缺少案件类型，请指定默认案件类型');
  }

  const dateOf = (field: 'filedOn' | 'closedOn'): string | null => {
    const raw = cellText(cell(row, field));
    const parsed = parseDate(cell(row, field));
    if (parsed.ok) {
      if (parsed.note)
        issues.push({ field, severity: 'info', message: `${LIST_FIELD_LABELS[field]}${parsed.note}`, raw, stored: parsed.value ?? '留空' });
      return parsed.value;
    }
    issues.push({ field, severity: 'warning', message: `${LIST_FIELD_LABELS[field]}${parsed.reason}，已留空`, raw, stored: '留空' });
    return null;
  };
  const filedOn = dateOf('filedOn');
  const closedOn = dateOf('closedOn');
  if (filedOn && closedOn && closedOn < filedOn) warn('closedOn', `结案日期（${closedOn}）早于立案日期（${filedOn}）`);

  let decision = text(row, 'decision');
  let penaltyAmount: number | null = null;
  let confiscatedAmount: number | null = null;
  let penaltyText = text(row, 'penaltyAmount');
  const amount = parsePenalty(cell(row, 'penaltyAmount'), amountUnit);
  if (amount.ok) {
    const p = amount.value;
    penaltyAmount = p.fine;
    confiscatedAmount = p.confiscated;
    // "警告" in the amount column is a decision, not a broken amount: its words go to 决定内容 too.
    const movedToDecision = !!p.decisionText && !decision.includes(p.decisionText);
    if (movedToDecision) decision = decision ? `${decision}；${p.decisionText}` : p.decisionText;
    const noAmount = p.fine === null && p.confiscated === null;
    const message =
      p.assumption ??
      (noAmount
        ? p.decisionText && '处罚金额栏写的是决定内容，没有金额'
        : [
            p.confiscated !== null ? '罚款和没收分别登记' : '',
            p.decisionText ? (movedToDecision ? '文字部分记入决定内容' : '文字部分与决定内容相同') : '',
          ]
            .filter(Boolean)
            .join('；'));
    if (message) issues.push({ field: 'penaltyAmount', severity: 'info', message, raw: penaltyText, stored: describePenalty(p) });
  } else
    issues.push({
      field: 'penaltyAmount',
      severity: 'warning',
      message: `处罚金额${amount.reason}，金额留空（原文保留）`,
      raw: penaltyText,
      stored: '留空',
    });
  if (combined && penaltyAmount === null && confiscatedAmount === null && decision) {
    // "50000", "1.2万元", "伍万元整", "10,120（含没收违法所得120）", "警告" in one 处罚金额/决定内容 cell:
    // the amounts go to 罚款 and 没收, the cell as written stays the 决定内容.
    const both = parsePenalty(cell(row, 'decision'), combined.unit);
    if (both.ok && (both.value.fine !== null || both.value.confiscated !== null)) {
      penaltyAmount = both.value.fine;
      confiscatedAmount = both.value.confiscated;
      penaltyText = decision;
      const note = combinedColumnNote(combined.header);
      issues.push({
        field: 'decision',
        severity: 'info',
        message: `“${combined.header}”一栏兼作金额：金额记入${both.value.confiscated !== null ? '罚款和没收' : '罚款'}，原文记为决定内容${both.value.assumption ? `（${both.value.assumption}）` : ''}`,
        raw: decision,
        stored: describePenalty({ ...both.value, decisionText: '' }),
        note,
        ...(both.value.assumption ? { detail: both.value.assumption } : {}),
      });
    }
  }
  if (penaltyAmount === null && confiscatedAmount === null && decision && /罚|没收/.test(decision)) {
    // No amount in its own column: the decision text may name it ("罚款5000元，没收违法所得300元").
    const fromDecision = parsePenalty(decision);
    if (fromDecision.ok && (fromDecision.value.fine !== null || fromDecision.value.confiscated !== null)) {
      penaltyAmount = fromDecision.value.fine;
      confiscatedAmount = fromDecision.value.confiscated;
      issues.push({
        field: 'decision',
        severity: 'info',
        message: '处罚金额栏没有金额，金额按决定内容读出',
        raw: decision,
        stored: describePenalty({ ...fromDecision.value, decisionText: '' }),
      });
    }
  }

  return {
    rowKey: `r${rowNumber}`,
    rowNumber,
    serial: text(row, 'serial'),
    caseNumber,
    caseNumberKey: caseNumber ? caseNumberKey(caseNumber) : '',
    title: text(row, 'title').replace(/\n/g, ' '),
    cause: text(row, 'cause'),
    party: text(row, 'party'),
    unitName,
    enforcementBody,
    caseType,
    filedOn,
    closedOn,
    decision,
    penaltyAmount,
    confiscatedAmount,
    penaltyText,
    handler: text(row, 'handler'),
    externalCode: text(row, 'externalCode').replace(/\s+/g, ''),
    issues,
    status: issues.some((i) => i.severity === 'error') ? 'error' : 'ok',
  };
}

/** A header naming an amount and a decision at once: 处罚金额/决定内容, 罚款金额或处理结果. */
export function isCombinedAmountHeader(header: string): boolean {
  const key = normaliseHeader(header).key;
  return /金额|罚款|罚没/.test(key) && /决定|内容|结果|处理/.test(key.replace(/罚款金额|处罚金额/g, ''));
}

/** The first rows of a sheet as text, for the header-row picker and the mapping preview. */
export function previewRows(table: SheetTable, from: number, count: number): string[][] {
  return table.rows.slice(from, from + count).map((r) => r.map((c) => cellText(c)));
}

/**
 * One cell as the import will store it, for the mapping preview: the 案号 tidied, dates as ISO,
 * amounts in 元 (scaled by a 万元 header), the case type's label. `ok: false` keeps the raw text: the
 * import leaves that field empty and says why in the row's issues.
 */
export function previewValue(field: ListField, raw: string, amountHeader = '', combinedHeader = ''): { text: string; ok: boolean } {
  switch (field) {
    case 'decision': {
      // A combined 金额/决定内容 column: its amount is what the import stores (the words stay the 决定内容).
      if (!combinedHeader || !raw.trim()) return { text: raw, ok: true };
      const parsed = parsePenalty(raw, normaliseHeader(combinedHeader).unit);
      if (!parsed.ok || (parsed.value.fine === null && parsed.value.confiscated === null)) return { text: raw, ok: true };
      return { text: describePenalty({ ...parsed.value, decisionText: '' }), ok: true };
    }
    case 'caseNumber':
      return { text: tidyCaseNumber(raw.replace(/\n/g, '')), ok: true };
    case 'filedOn':
    case 'closedOn': {
      const parsed = parseDate(raw);
      return parsed.ok ? { text: parsed.value ?? '', ok: true } : { text: raw, ok: false };
    }
    case 'penaltyAmount': {
      const parsed = parsePenalty(raw, normaliseHeader(amountHeader).unit);
      if (!parsed.ok) return { text: raw, ok: false };
      const p = parsed.value;
      if (p.fine === null && p.confiscated === null) return { text: p.decisionText ? `（决定内容）${p.decisionText}` : '', ok: true };
      return {
        text: p.confiscated === null ? `${p.fine!.toLocaleString('zh-CN')} 元` : describePenalty({ ...p, decisionText: '' }),
        ok: true,
      };
    }
    case 'caseType': {
      if (!raw.trim()) return { text: '', ok: true };
      const type = parseCaseType(raw);
      return type ? { text: CASE_TYPE_LABELS[type], ok: true } : { text: raw, ok: false };
    }
    default:
      return { text: raw, ok: true };
  }
}

/** Header row and mapping guessed for a sheet (used when no saved mapping fits). */
export function guessLayout(table: SheetTable): { headerRow: number; mapping: ColumnMapping } {
  const texts = table.rows.slice(0, 20).map(headerTexts);
  const headerRow = findHeaderRow(texts);
  return { headerRow, mapping: guessMapping(texts[headerRow] ?? []) };
}

export const REQUIRED_FIELDS: readonly ListField[] = ['caseNumber'];
export { LIST_FIELDS };
