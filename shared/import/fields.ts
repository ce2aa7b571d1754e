/**
 * The columns of a 案件清单 and the names units give them. A header cell is normalised (spaces,
 * full-width forms, line breaks, a required-field star, a trailing unit in brackets) and compared with
 * each field's synonyms; the best match per column wins, each field taking at most one column.
 */
import { toHalfWidth } from '../dossiers/case-number.js';

export const LIST_FIELDS = [
  'serial',
  'caseNumber',
  'title',
  'cause',
  'party',
  'unitName',
  'enforcementBody',
  'caseType',
  'filedOn',
  'closedOn',
  'decision',
  'penaltyAmount',
  'handler',
  'externalCode',
] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export const LIST_FIELD_LABELS: Record<ListField, string> = {
  serial: '序号',
  caseNumber: '案号',
  title: '案件名称',
  cause: '案由',
  party: '当事人',
  unitName: '被评查单位',
  enforcementBody: '执法单位',
  caseType: '案件类型',
  filedOn: '立案日期',
  closedOn: '结案日期',
  decision: '决定内容',
  penaltyAmount: '处罚金额',
  handler: '承办人',
  externalCode: '一案一码',
};

/** Exact names after normalisation, best first. The first entry is the canonical label. */
const SYNONYMS: Record<ListField, string[]> = {
  serial: ['序号', '序', '编号', 'NO', 'NO.', '顺序号'],
  caseNumber: [
    '案号',
    '文号',
    '决定书文号',
    '处罚决定书文号',
    '行政处罚决定书文号',
    '决定文号',
    '许可决定书文号',
    '行政许可决定书文号',
    '决定书编号',
    '案件编号',
    '案卷号',
    '案件文号',
    '文书号',
    '处罚文号',
    '立案号',
    '执法文书编号',
  ],
  title: ['案件名称', '案卷名称', '名称', '案件标题', '案卷题名', '题名', '案件名'],
  cause: ['案由', '违法行为', '违法事实', '事由', '主要违法事实', '许可事项', '检查事项', '案件事由'],
  party: [
    '当事人',
    '当事人名称',
    '当事人姓名',
    '当事人姓名或名称',
    '相对人',
    '行政相对人',
    '行政相对人名称',
    '被处罚人',
    '申请人',
    '被检查人',
    '被检查对象',
  ],
  unitName: ['被评查单位', '报送单位', '单位名称', '所属单位', '填报单位', '被评查部门', '部门', '单位', '部门名称'],
  enforcementBody: [
    '执法单位',
    '执法机关',
    '执法部门',
    '办案单位',
    '承办单位',
    '实施机关',
    '执法主体',
    '实施主体',
    '决定机关',
    '作出决定机关',
    '办案机构',
  ],
  caseType: ['案件类型', '类型', '案卷类型', '执法类别', '执法行为类别', '执法类型', '行为类别', '案件类别', '程序类型', '适用程序'],
  filedOn: ['立案日期', '立案时间', '受理日期', '受理时间', '申请日期', '检查日期', '立案日'],
  closedOn: [
    '结案日期',
    '结案时间',
    '办结日期',
    '办结时间',
    '决定日期',
    '作出决定日期',
    '决定时间',
    '处罚决定日期',
    '许可决定日期',
    '归档日期',
  ],
  decision: [
    '决定内容',
    '处罚决定',
    '处罚内容',
    '处理结果',
    '处罚结果',
    '处罚种类',
    '处理决定',
    '决定结果',
    '处罚决定内容',
    '许可决定',
    '强制措施内容',
    '处罚金额/决定内容',
    '处罚金额或决定内容',
  ],
  penaltyAmount: ['处罚金额', '罚款金额', '罚没金额', '罚款数额', '金额', '罚款', '罚没款', '罚没款金额'],
  handler: ['承办人', '承办人员', '办案人员', '办案人', '执法人员', '经办人', '承办执法人员', '主办人'],
  externalCode: ['一案一码', '案件编码', '统一编码', '案件码', '一案一码编号', '案件唯一码', '案件二维码编号'],
};

export const listFieldSynonyms = (field: ListField): readonly string[] => SYNONYMS[field];

export interface HeaderInfo {
  /** The comparable form: no spaces, half-width, no star, no bracketed unit. */
  key: string;
  /** The unit written in brackets, e.g. "万元" in 处罚金额（万元）. */
  unit: string;
}

/** "  *处罚金额\n（万元）" → { key: "处罚金额", unit: "万元" }. */
export function normaliseHeader(raw: string): HeaderInfo {
  let s = toHalfWidth(raw.normalize('NFKC')).replace(/[\u200b-\u200f\ufeff]/g, '');
  s = s.replace(/\s+/g, '').replace(/^[*※★●▲]+|[*※★]+$/g, '');
  let unit = '';
  const bracket = /[(（[【]([^)）\]】]*)[)）\]】]$/.exec(s);
  if (bracket && bracket.index > 0) {
    unit = bracket[1]!;
    s = s.slice(0, bracket.index);
  }
  s = s.replace(/[:：]$/, '').replace(/^\d+[.、]/, '');
  return { key: s.toUpperCase(), unit };
}

/**
 * How well a header names a field: 100 for an exact synonym (earlier synonyms slightly higher),
 * lower when a synonym is only contained in the header ("行政处罚决定书文号及日期"), 0 for no match.
 */
export function headerScore(raw: string, field: ListField): number {
  const { key } = normaliseHeader(raw);
  if (!key) return 0;
  const synonyms = SYNONYMS[field];
  const exact = synonyms.indexOf(key);
  if (exact >= 0) return 100 - exact * 0.1;
  let best = 0;
  for (const syn of synonyms) {
    if (syn.length >= 2 && key.includes(syn)) best = Math.max(best, 40 + Math.min(syn.length, 10) * 3 - (key.length - syn.length));
  }
  return Math.max(0, best);
}

/** Field → column index (0-based), or null when the list has no such column. */
export type ColumnMapping = Partial<Record<ListField, number | null>>;

/** Each field to the column whose header names it best; a column serves one field. */
export function guessMapping(headers: string[]): ColumnMapping {
  const candidates: Array<{ field: ListField; column: number; score: number }> = [];
  headers.forEach((h, column) => {
    for (const field of LIST_FIELDS) {
      const score = headerScore(h ?? '', field);
      if (score > 30) candidates.push({ field, column, score });
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.column - b.column);
  const mapping: ColumnMapping = {};
  const usedColumns = new Set<number>();
  for (const c of candidates) {
    if (mapping[c.field] !== undefined || usedColumns.has(c.column)) continue;
    mapping[c.field] = c.column;
    usedColumns.add(c.column);
  }
  for (const field of LIST_FIELDS) if (mapping[field] === undefined) mapping[field] = null;
  return mapping;
}

/** How many distinct fields a row's cells name: the header row is the row that names the most. */
export function headerRowScore(cells: string[]): number {
  const distinct = new Set(cells.map((c) => c.trim()).filter(Boolean));
  // A merged title row repeats one text across every cell: it is not a header.
  if (distinct.size <= 1) return 0;
  const mapping = guessMapping(cells);
  return LIST_FIELDS.filter((f) => mapping[f] !== null).length;
}

/** Index of the header row among the first rows of a sheet (title rows above it are skipped). */
export function findHeaderRow(rows: string[][], scanRows = 20): number {
  let best = 0;
  let bestScore = 0;
  rows.slice(0, scanRows).forEach((cells, i) => {
    const score = headerRowScore(cells);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/**
 * A mapping saved for a unit names columns by header text, so it still applies when next year's
 * list moves a column. Resolving it against a new header row gives indexes again.
 */
export type SavedMapping = Partial<Record<ListField, string>>;

export function mappingToSaved(mapping: ColumnMapping, headers: string[]): SavedMapping {
  const saved: SavedMapping = {};
  for (const field of LIST_FIELDS) {
    const col = mapping[field];
    if (col !== null && col !== undefined && headers[col] !== undefined) saved[field] = normaliseHeader(headers[col]).key;
  }
  return saved;
}

/** Applies a saved mapping where its header names exist; null when it fits this list poorly. */
export function savedToMapping(saved: SavedMapping, headers: string[]): ColumnMapping | null {
  const keys = headers.map((h) => normaliseHeader(h ?? '').key);
  const mapping: ColumnMapping = {};
  let wanted = 0;
  let found = 0;
  for (const field of LIST_FIELDS) {
    const name = saved[field];
    if (!name) {
      mapping[field] = null;
      continue;
    }
    wanted++;
    const col = keys.indexOf(name);
    mapping[field] = col >= 0 ? col : null;
    if (col >= 0) found++;
  }
  if (!wanted || found < wanted || mapping.caseNumber === null) return null;
  return mapping;
}
