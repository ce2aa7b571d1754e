/**
 * A standard as spreadsheet tables and back — the form a bureau maintains in Excel. Pure: the
 * back end moves these tables in and out of .xlsx files; everything about what a cell means is here.
 *
 * Three sheets:
 * - 评查项目: one row per item (类别, 编号, 评查内容, 分值, 扣分标准, 扣分方式, 否决项, 可不适用 first),
 *   plus one row per 类别 (行类型 = 类别) carrying the block's own points and flags. A block is named by
 *   the path of titles from the top ("调查取证阶段 › 询问笔录"); rows come parent first, in order, so
 *   the tree is rebuilt exactly. A sheet with item rows only also works: blocks are created from the
 *   类别 column with the sum of their items as points.
 * - 标准信息: key/value rows for the standard as a whole (repeated keys for lists such as 说明).
 * - 等次: grade bands, highest first.
 * Definition → tables → definition gives back the same canonical definition (tested on all nine
 * reference standards and on generated ones).
 */
import { CASE_TYPES, CASE_TYPE_LABELS, CASE_TYPE_SHORT, type CaseType } from '../campaigns/case-types.js';
import {
  type BlockNode,
  type GradeBand,
  type ItemNode,
  type Provenance,
  type StandardDefinition,
  PROVENANCE_KINDS,
  PROVENANCE_LABELS,
  SCORING_MODES,
  SCORING_MODE_LABELS,
  STANDARD_FORMAT,
  VETO_EFFECTS,
  VETO_EFFECT_LABELS,
} from './model.js';
import { formatRule, parseRule } from './rules.js';
import { checkDefinition, type DefinitionIssue } from './validate.js';

export type CellValue = string | number | boolean | null;

export const ITEMS_SHEET = '评查项目';
export const INFO_SHEET = '标准信息';
export const BANDS_SHEET = '等次';

export const ITEM_COLUMNS = [
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
  '依据',
  '扣完为止',
  '折算',
  '来源',
  '来源说明',
  '原表分值',
  '原表扣分',
  '备注',
] as const;
export type ItemColumn = (typeof ITEM_COLUMNS)[number];
/** Without these a sheet cannot say what an item is. */
export const REQUIRED_ITEM_COLUMNS: ItemColumn[] = ['类别', '编号', '评查内容', '分值', '扣分方式'];

export const BAND_COLUMNS = ['等次', '最低分', '来源', '来源说明'] as const;
export type BandColumn = (typeof BAND_COLUMNS)[number];

export const INFO_KEYS = [
  '格式',
  '标准ID',
  '标准名称',
  '版本',
  '适用案件类型',
  '领域',
  '发布机关',
  '地区',
  '来源',
  '完整性',
  '总分',
  '计分方式',
  '计分方式原文',
  '否决项部分名称',
  '否决项部分分值',
  '否决效果',
  '不合格等次',
  '名额限制等次',
  '名额上限比例',
  '说明',
  '表格栏目',
  '表头栏目',
  '表尾栏目',
  '其他（JSON）',
] as const;
export type InfoKey = (typeof INFO_KEYS)[number];

/** A data row as read from a sheet, with the sheet's own row number for messages. */
export interface TableRow<C extends string> {
  row: number;
  cells: Partial<Record<C, CellValue>>;
}

export interface StandardTables {
  items: Array<TableRow<ItemColumn>>;
  info: Array<{ row: number; key: string; value: CellValue }>;
  bands: Array<TableRow<BandColumn>>;
}

export const PATH_SEPARATOR = ' › ';
const YES = '是';
const NO = '否';
const NA_LABELS = { award: '是，给分', exclude: '是，剔除后折算' } as const;
export const ROW_KIND_BLOCK = '类别';
export const ROW_KIND_ITEM = '项目';

// ── definition → tables ─────────────────────────────────────────────────────────────────────────

const orEmpty = (v: string | number | undefined | null): CellValue => (v === undefined || v === null ? null : v);

export function definitionToTables(def: StandardDefinition): StandardTables {
  const items: StandardTables['items'] = [];
  const push = (cells: Partial<Record<ItemColumn, CellValue>>): void => {
    items.push({ row: items.length + 2, cells });
  };
  const provenanceCells = (p: Provenance | undefined) => ({ 来源: p ? PROVENANCE_LABELS[p.kind] : null, 来源说明: orEmpty(p?.note) });
  const itemRow = (item: ItemNode, category: string): void =>
    push({
      类别: category,
      编号: item.code,
      评查内容: item.text,
      分值: item.points === null ? '未知' : item.points,
      扣分标准: item.ruleText,
      扣分方式: formatRule(item.rule),
      否决项: item.rule.kind === 'veto' ? YES : NO,
      可不适用: item.notApplicable ? NA_LABELS[item.notApplicable] : NO,
      行类型: ROW_KIND_ITEM,
      ID: item.id,
      扣分项: item.penalty ? YES : null,
      问题类别: orEmpty(item.category),
      依据: orEmpty(item.basis),
      ...provenanceCells(item.provenance),
      原表分值: orEmpty(item.asPrinted?.points),
      原表扣分: orEmpty(item.asPrinted?.deduction),
      备注: orEmpty(item.note),
    });
  for (const item of def.gate.items) itemRow(item, def.gate.title);
  const walk = (block: BlockNode, parentPath: string): void => {
    const path = parentPath ? `${parentPath}${PATH_SEPARATOR}${block.title}` : block.title;
    push({
      类别: path,
      编号: orEmpty(block.code),
      分值: block.points,
      行类型: ROW_KIND_BLOCK,
      ID: block.id,
      扣完为止: block.floor ? YES : NO,
      折算: block.normalise ? YES : NO,
      ...provenanceCells(block.provenance),
      备注: orEmpty(block.note),
    });
    for (const child of block.children) {
      if (child.kind === 'block') walk(child, path);
      else itemRow(child, path);
    }
  };
  for (const block of def.blocks) walk(block, '');

  const info: StandardTables['info'] = [];
  const put = (key: InfoKey, value: CellValue): void => {
    info.push({ row: info.length + 2, key, value });
  };
  put('格式', def.format);
  put('标准ID', def.standardId);
  put('标准名称', def.name);
  put('版本', def.version);
  put('适用案件类型', def.caseTypes.map((t) => CASE_TYPE_LABELS[t]).join('、'));
  put('领域', orEmpty(def.field));
  put('发布机关', orEmpty(def.issuer));
  put('地区', orEmpty(def.region));
  put('来源', orEmpty(def.source));
  put('完整性', orEmpty(def.completeness));
  put('总分', def.total);
  put('计分方式', SCORING_MODE_LABELS[def.mode]);
  put('计分方式原文', orEmpty(def.modeText));
  put('否决项部分名称', def.gate.title);
  put('否决项部分分值', def.gate.points);
  put('否决效果', VETO_EFFECT_LABELS[def.veto.effect]);
  put('不合格等次', def.failGrade);
  put('名额限制等次', orEmpty(def.topGradeQuota?.grade));
  put('名额上限比例', orEmpty(def.topGradeQuota?.maxShare));
  for (const note of def.notes ?? []) put('说明', note);
  for (const c of def.printedColumns ?? []) put('表格栏目', c);
  for (const c of def.headerFields ?? []) put('表头栏目', c);
  for (const c of def.footerFields ?? []) put('表尾栏目', c);
  put('其他（JSON）', def.extra ? JSON.stringify(def.extra) : null);

  const bands = def.bands.map((b, i) => ({ row: i + 2, cells: { 等次: b.grade, 最低分: b.min, ...provenanceCells(b.provenance) } }));
  return { items, info, bands };
}

// ── tables → definition ─────────────────────────────────────────────────────────────────────────

export type TablesResult =
  | { ok: true; definition: StandardDefinition; warnings: DefinitionIssue[] }
  | { ok: false; errors: DefinitionIssue[]; warnings: DefinitionIssue[] };

const problem = (message: string, level: 'error' | 'warning' = 'error'): DefinitionIssue => ({ level, code: 'schema', message });

function text(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? YES : NO;
  return String(v);
}

function numberOf(v: CellValue | undefined): number | undefined | 'invalid' {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : 'invalid';
  const t = text(v)
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/．/g, '.')
    .replace(/[－—]/g, '-')
    .replace(/分$/, '');
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : 'invalid';
}

function yesNo(v: CellValue | undefined): boolean | undefined | 'invalid' {
  const t = text(v).trim().toLowerCase();
  if (t === '') return undefined;
  if (['是', 'y', 'yes', 'true', '√', '✓', '1'].includes(t)) return true;
  if (['否', 'n', 'no', 'false', '×', '✗', '0'].includes(t)) return false;
  return 'invalid';
}

function provenanceKind(v: string): Provenance['kind'] | undefined {
  return PROVENANCE_KINDS.find((k) => k === v || PROVENANCE_LABELS[k] === v);
}

export function tablesToDefinition(tables: StandardTables): TablesResult {
  const errors: DefinitionIssue[] = [];
  const warnings: DefinitionIssue[] = [];
  const rowOf = new Map<string, string>();

  // ── 标准信息 ──
  const info = new Map<string, Array<{ row: number; value: CellValue }>>();
  for (const entry of tables.info) {
    const key = entry.key.trim();
    if (!key) continue;
    if (!(INFO_KEYS as readonly string[]).includes(key)) {
      warnings.push(problem(`“${INFO_SHEET}”第 ${entry.row} 行：未识别的项目“${key}”，已忽略。`, 'warning'));
      continue;
    }
    info.set(key, [...(info.get(key) ?? []), { row: entry.row, value: entry.value }]);
  }
  const at = (key: InfoKey): string => `“${INFO_SHEET}”${info.get(key)?.[0] ? `第 ${info.get(key)![0]!.row} 行` : ''}（${key}）`;
  const one = (key: InfoKey): string => text(info.get(key)?.[0]?.value).trim();
  const optional = (key: InfoKey): string | undefined => one(key) || undefined;
  const list = (key: InfoKey): string[] | undefined => {
    const values = (info.get(key) ?? []).map((e) => text(e.value)).filter((v) => v !== '');
    return values.length ? values : undefined;
  };
  const infoNumber = (key: InfoKey, fallback?: number): number | undefined => {
    const n = numberOf(info.get(key)?.[0]?.value);
    if (n === 'invalid') {
      errors.push(problem(`${at(key)}：“${one(key)}”不是数字。`));
      return undefined;
    }
    return n ?? fallback;
  };
  const pick = <T extends string>(key: InfoKey, values: readonly T[], labels: Record<T, string>, fallback: T): T | undefined => {
    const v = one(key);
    if (!v) return fallback;
    const found = values.find((c) => c === v || labels[c] === v);
    if (!found) errors.push(problem(`${at(key)}：无法识别“${v}”，可填：${values.map((c) => labels[c]).join('；')}。`));
    return found;
  };

  const caseTypes: CaseType[] = [];
  for (const part of one('适用案件类型')
    .split(/[、,，;；\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const found = CASE_TYPES.find((t) => t === part || CASE_TYPE_LABELS[t] === part || CASE_TYPE_SHORT[t] === part);
    if (found) caseTypes.push(found);
    else errors.push(problem(`${at('适用案件类型')}：无法识别“${part}”，可填：${CASE_TYPES.map((t) => CASE_TYPE_LABELS[t]).join('、')}。`));
  }
  let extra: Record<string, unknown> | undefined;
  if (one('其他（JSON）')) {
    try {
      const parsed: unknown = JSON.parse(one('其他（JSON）'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) extra = parsed as Record<string, unknown>;
      else errors.push(problem(`${at('其他（JSON）')}：内容必须是 JSON 对象（{…}）。`));
    } catch {
      errors.push(problem(`${at('其他（JSON）')}：不是有效的 JSON。`));
    }
  }
  const gateTitle = one('否决项部分名称') || '否决项';
  const standardId = one('标准ID') || slug(one('标准名称'));

  // ── 评查项目 ──
  const gateItems: ItemNode[] = [];
  const topBlocks: BlockNode[] = [];
  const byPath = new Map<string, BlockNode>();
  const undeclared: Array<{ path: string; block: BlockNode; row: number }> = [];
  const usedIds = new Set<string>();
  const freshId = (base: string): string => {
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
    return id;
  };
  const rowItems = tables.items.filter((r) => Object.values(r.cells).some((v) => text(v).trim() !== ''));
  for (const r of rowItems) {
    const id = text(r.cells.ID).trim();
    if (id) usedIds.add(id);
  }

  /** The block a 类别 path names, creating it (and its parents) when the sheet does not list it. */
  const blockAt = (path: string, row: number): BlockNode => {
    const existing = byPath.get(path);
    if (existing) return existing;
    const parts = path.split(PATH_SEPARATOR);
    const title = parts[parts.length - 1]!;
    const block: BlockNode = {
      kind: 'block',
      id: freshId(`${standardId}-b${byPath.size + 1}`),
      title,
      points: 0,
      floor: true,
      normalise: false,
      children: [],
    };
    usedIds.add(block.id);
    attach(block, parts.slice(0, -1).join(PATH_SEPARATOR), row);
    byPath.set(path, block);
    undeclared.push({ path, block, row });
    return block;
  };
  const attach = (block: BlockNode, parentPath: string, row: number): void => {
    if (parentPath) blockAt(parentPath, row).children.push(block);
    else topBlocks.push(block);
  };

  for (const r of rowItems) {
    const c = r.cells;
    const where = `“${ITEMS_SHEET}”第 ${r.row} 行`;
    const rowErrors: string[] = [];
    const kind = text(c.行类型).trim();
    const category = text(c.类别).trim();
    const isBlock = kind === ROW_KIND_BLOCK;
    if (kind && kind !== ROW_KIND_BLOCK && kind !== ROW_KIND_ITEM)
      rowErrors.push(`行类型只能填“${ROW_KIND_BLOCK}”或“${ROW_KIND_ITEM}”，不能填“${kind}”`);
    const flag = (col: ItemColumn): boolean | undefined => {
      const v = yesNo(c[col]);
      if (v === 'invalid') {
        rowErrors.push(`${col}只能填“是”或“否”，不能填“${text(c[col])}”`);
        return undefined;
      }
      return v;
    };
    const num = (col: ItemColumn): number | undefined => {
      const v = numberOf(c[col]);
      if (v === 'invalid') {
        rowErrors.push(`${col}“${text(c[col])}”不是数字`);
        return undefined;
      }
      return v;
    };
    let provenance: Provenance | undefined;
    const pText = text(c.来源).trim();
    const pNote = text(c.来源说明);
    if (pText) {
      const k = provenanceKind(pText);
      if (!k) rowErrors.push(`来源只能填 ${PROVENANCE_KINDS.map((p) => PROVENANCE_LABELS[p]).join('、')}，不能填“${pText}”`);
      else provenance = pNote ? { kind: k, note: pNote } : { kind: k };
    } else if (pNote) rowErrors.push('填写了来源说明，请同时填写来源（原文、推定、占位、残缺或代码）');
    const id = text(c.ID).trim();
    const note = text(c.备注) || undefined;

    if (isBlock) {
      if (!category) rowErrors.push('类别行必须填写类别名称');
      const points = num('分值');
      if (points === undefined && !rowErrors.length) rowErrors.push('类别行必须填写分值');
      const floor = flag('扣完为止');
      const normalise = flag('折算');
      if (rowErrors.length) {
        errors.push(problem(`${where}：${rowErrors.join('；')}。`));
        continue;
      }
      const made = undeclared.findIndex((u) => u.path === category);
      if (made >= 0) {
        // Items above named this 类别 before its own row: the row now gives its points and flags.
        const block = undeclared.splice(made, 1)[0]!.block;
        Object.assign(block, {
          code: text(c.编号).trim() || undefined,
          points: points!,
          floor: floor ?? true,
          normalise: normalise ?? false,
          provenance,
          note,
        });
        if (id) block.id = id;
        rowOf.set(block.id, where);
        continue;
      }
      if (byPath.has(category)) {
        errors.push(problem(`${where}：类别“${category}”已在前面列出，同一类别只能有一行。`));
        continue;
      }
      const parts = category.split(PATH_SEPARATOR);
      const block: BlockNode = {
        kind: 'block',
        id: id || freshId(`${standardId}-b${byPath.size + 1}`),
        code: text(c.编号).trim() || undefined,
        title: parts[parts.length - 1]!,
        points: points!,
        floor: floor ?? true,
        normalise: normalise ?? false,
        children: [],
        provenance,
        note,
      };
      usedIds.add(block.id);
      rowOf.set(block.id, where);
      attach(block, parts.slice(0, -1).join(PATH_SEPARATOR), r.row);
      byPath.set(category, block);
      continue;
    }

    // an item row
    const code = text(c.编号).trim();
    const pointsCell = text(c.分值).trim();
    let points: number | null | undefined;
    if (pointsCell === '未知') points = null;
    else if (pointsCell === '') rowErrors.push('请填写分值（原文缺失时填“未知”）');
    else points = num('分值');
    const veto = flag('否决项');
    let ruleCell = text(c.扣分方式).trim();
    if (!ruleCell && veto) ruleCell = '否决';
    let rule: ItemNode['rule'] | undefined;
    if (!ruleCell) rowErrors.push('请填写扣分方式');
    else {
      const parsed = parseRule(ruleCell);
      if ('error' in parsed) rowErrors.push(parsed.error);
      else rule = parsed.rule;
    }
    if (rule && veto === true && rule.kind !== 'veto') rowErrors.push(`“否决项”为“是”，扣分方式却是“${ruleCell}”，请填“否决”`);
    if (rule && veto === false && rule.kind === 'veto') rowErrors.push('扣分方式为“否决”，“否决项”却填了“否”');
    const naText = text(c.可不适用).trim();
    let notApplicable: ItemNode['notApplicable'];
    if (naText && naText !== NO) {
      if (/剔除|折算|exclude/.test(naText)) notApplicable = 'exclude';
      else if (/^(是|给分|award)/.test(naText)) notApplicable = 'award';
      else rowErrors.push(`可不适用只能填“否”“${NA_LABELS.award}”或“${NA_LABELS.exclude}”，不能填“${naText}”`);
    }
    const penalty = flag('扣分项');
    const printedPoints = num('原表分值');
    const printedDeduction = num('原表扣分');
    if (rowErrors.length) {
      errors.push(problem(`${where}${code ? `（编号“${code}”）` : ''}：${rowErrors.join('；')}。`));
      continue;
    }
    const asPrinted: ItemNode['asPrinted'] = {};
    if (printedPoints !== undefined) asPrinted.points = printedPoints;
    if (printedDeduction !== undefined) asPrinted.deduction = printedDeduction;
    const item: ItemNode = {
      kind: 'item',
      id: id || freshId(`${standardId}-${code || r.row}`),
      code,
      text: text(c.评查内容).trim(),
      points: points!,
      rule: rule!,
      ruleText: text(c.扣分标准),
      notApplicable,
      penalty,
      category: text(c.问题类别).trim() || undefined,
      basis: text(c.依据).trim() || undefined,
      provenance,
      asPrinted: Object.keys(asPrinted).length ? asPrinted : undefined,
      note,
    };
    usedIds.add(item.id);
    rowOf.set(item.id, where);
    if (!category) {
      if (rule?.kind === 'veto') gateItems.push(item);
      else errors.push(problem(`${where}（编号“${code}”）：请填写类别。`));
    } else if (category === gateTitle) gateItems.push(item);
    else blockAt(category, r.row).children.push(item);
  }
  // Blocks the sheet did not list get the sum of what is in them.
  // Children before parents (a parent was made before its child), then told in sheet order.
  for (const u of [...undeclared].reverse())
    u.block.points = u.block.children.reduce(
      (s, ch) => s + (ch.kind === 'block' ? ch.points : ch.penalty || ch.points === null ? 0 : ch.points),
      0,
    );
  for (const u of undeclared) {
    rowOf.set(u.block.id, `“${ITEMS_SHEET}”第 ${u.row} 行`);
    warnings.push(
      problem(`“${ITEMS_SHEET}”第 ${u.row} 行：类别“${u.path}”没有单独的类别行，其分值按所含项目合计为 ${u.block.points} 分。`, 'warning'),
    );
  }

  // ── 等次 ──
  const bands: GradeBand[] = [];
  for (const r of tables.bands) {
    const grade = text(r.cells.等次).trim();
    const min = numberOf(r.cells.最低分);
    if (!grade && min === undefined) continue;
    const where = `“${BANDS_SHEET}”第 ${r.row} 行`;
    if (!grade) errors.push(problem(`${where}：请填写等次名称。`));
    else if (min === undefined || min === 'invalid')
      errors.push(problem(`${where}（${grade}）：最低分${min === 'invalid' ? `“${text(r.cells.最低分)}”不是数字` : '未填写'}。`));
    else {
      const pText = text(r.cells.来源).trim();
      const k = pText ? provenanceKind(pText) : undefined;
      if (pText && !k) errors.push(problem(`${where}（${grade}）：来源“${pText}”无法识别。`));
      const pNote = text(r.cells.来源说明);
      bands.push({ grade, min, ...(k ? { provenance: pNote ? { kind: k, note: pNote } : { kind: k } } : {}) });
    }
  }

  const total = infoNumber('总分');
  const gatePoints = infoNumber('否决项部分分值', 0);
  const maxShare = infoNumber('名额上限比例');
  const mode = pick('计分方式', SCORING_MODES, SCORING_MODE_LABELS, 'additive');
  const effect = pick('否决效果', VETO_EFFECTS, VETO_EFFECT_LABELS, 'zeroAndFail');
  const sumOfBlocks = topBlocks.reduce((s, b) => s + b.points, gatePoints ?? 0);
  const quotaGrade = one('名额限制等次');
  if (errors.length) return { ok: false, errors, warnings };

  const raw = {
    format: one('格式') || STANDARD_FORMAT,
    standardId,
    name: one('标准名称'),
    version: one('版本'),
    caseTypes,
    field: optional('领域'),
    issuer: optional('发布机关'),
    region: optional('地区'),
    source: optional('来源'),
    completeness: optional('完整性'),
    notes: list('说明'),
    total: total ?? sumOfBlocks,
    mode,
    modeText: optional('计分方式原文'),
    gate: { title: gateTitle, points: gatePoints ?? 0, items: gateItems },
    veto: { effect },
    blocks: topBlocks,
    bands,
    failGrade: one('不合格等次') || [...bands].sort((a, b) => a.min - b.min)[0]?.grade || '',
    topGradeQuota: quotaGrade || maxShare !== undefined ? { grade: quotaGrade, maxShare } : undefined,
    printedColumns: list('表格栏目'),
    headerFields: list('表头栏目'),
    footerFields: list('表尾栏目'),
    extra,
  };
  const checked = checkDefinition(raw);
  const locate = (issue: DefinitionIssue): DefinitionIssue => {
    const node = issue.itemId ?? issue.blockId ?? nodeIdAt(raw, issue.field);
    const where = node ? rowOf.get(node) : topLevelWhere(issue.field);
    return where ? { ...issue, message: `${where}：${issue.message}` } : issue;
  };
  if (!checked.ok) return { ok: false, errors: checked.errors.map(locate), warnings: [...warnings, ...checked.warnings.map(locate)] };
  return { ok: true, definition: checked.definition, warnings: [...warnings, ...checked.warnings.map(locate)] };
}

/** The id of the deepest block or item on a schema path, to find the row it came from. */
function nodeIdAt(raw: unknown, field: string | undefined): string | undefined {
  if (!field) return undefined;
  let node: unknown = raw;
  let found: string | undefined;
  for (const key of field.split('.')) {
    if (!node || typeof node !== 'object') break;
    node = (node as Record<string, unknown>)[key];
    const rec = node as { kind?: unknown; id?: unknown } | undefined;
    if (rec && typeof rec === 'object' && (rec.kind === 'block' || rec.kind === 'item') && typeof rec.id === 'string') found = rec.id;
  }
  return found;
}

const INFO_FIELDS: Record<string, InfoKey> = {
  standardId: '标准ID',
  name: '标准名称',
  version: '版本',
  caseTypes: '适用案件类型',
  total: '总分',
  failGrade: '不合格等次',
  topGradeQuota: '名额限制等次',
  format: '格式',
};
function topLevelWhere(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const head = field.split('.')[0]!;
  if (head === 'bands') return `“${BANDS_SHEET}”`;
  const key = INFO_FIELDS[head];
  return key ? `“${INFO_SHEET}”（${key}）` : undefined;
}

/** An id from a name for a standard that came without one: readable where possible, stable for the same name. */
export function slug(name: string): string {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.codePointAt(0)!) >>> 0;
  return `std-${h.toString(36)}`;
}
