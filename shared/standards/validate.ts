/**
 * Checks a standard beyond its schema: what a person must fix before the standard can score files
 * (errors) and what is worth knowing but legitimate in a partial source (warnings). Every message is
 * Chinese and names the row a person edits — the block by its title, the item by its 编号 — so the
 * same list serves the editor, a JSON import and a spreadsheet import (which adds row numbers).
 */
import type { z } from 'zod';
import {
  type BlockNode,
  type ItemNode,
  type StandardDefinition,
  StandardDefinitionSchema,
  allItems,
  childPoints,
  fmt,
  forEachBlock,
  forEachItem,
  isPlaceholder,
} from './model.js';

export type IssueLevel = 'error' | 'warning';

export const ISSUE_CODES = [
  'schema',
  'duplicate_id',
  'duplicate_code',
  'duplicate_title',
  'title_separator',
  'gate_item_not_veto',
  'veto_outside_gate',
  'veto_points',
  'veto_not_applicable',
  'amount_over_points',
  'cap_over_points',
  'range_min_over_max',
  'range_over_points',
  'range_step',
  'penalty_full',
  'penalty_points',
  'unknown_points',
  'placeholder',
  'nothing_to_deduct',
  'foreign_text',
  'block_over',
  'block_under',
  'block_empty',
  'normalise_empty',
  'total_mismatch',
  'no_items',
  'gate_points_unused',
  'block_without_floor',
  'bands_order',
  'band_duplicate',
  'band_over_total',
  'lowest_band_not_zero',
  'fail_grade_missing',
  'quota_grade',
  'case_type_duplicate',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export interface DefinitionIssue {
  level: IssueLevel;
  code: IssueCode;
  /** Chinese, beginning with where the problem is. */
  message: string;
  itemId?: string | undefined;
  blockId?: string | undefined;
  /** Dotted path into the definition (schema problems), e.g. "blocks.0.children.2.points". */
  field?: string | undefined;
}

const EPS = 1e-6;
const near = (a: number, b: number): boolean => Math.abs(a - b) < EPS;

export const itemLabel = (item: Pick<ItemNode, 'code'>): string => `编号“${item.code}”`;
export const blockLabel = (block: Pick<BlockNode, 'title'>): string => `类别“${block.title}”`;

/** The semantic checks (the definition already passed the schema). */
export function validateDefinition(def: StandardDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (level: IssueLevel, code: IssueCode, message: string, where: { itemId?: string; blockId?: string } = {}): void => {
    issues.push({ level, code, message, ...where });
  };

  // ── identity: ids and codes are what answers, evidence and spreadsheet rows point at ──
  const ids = new Map<string, string>();
  const claimId = (id: string, label: string, where: { itemId?: string; blockId?: string }): void => {
    const first = ids.get(id);
    if (first) add('error', 'duplicate_id', `${label}：ID“${id}”与${first}重复，ID 必须唯一。`, where);
    else ids.set(id, label);
  };
  forEachBlock(def, (block) => claimId(block.id, blockLabel(block), { blockId: block.id }));
  const codes = new Map<string, number>();
  forEachItem(def, (item) => {
    claimId(item.id, itemLabel(item), { itemId: item.id });
    codes.set(item.code, (codes.get(item.code) ?? 0) + 1);
  });
  for (const [code, count] of codes)
    if (count > 1) {
      const firstDup = allItems(def).filter((i) => i.code === code)[1]!;
      add('error', 'duplicate_code', `编号“${code}”出现了 ${count} 次，同一标准内编号必须唯一。`, { itemId: firstDup.id });
    }
  // Titles name a block in a spreadsheet's 类别 column, so siblings must differ (the gate is a sibling of the top level).
  const checkTitles = (titles: Array<{ title: string; id?: string }>, parent: string): void => {
    const seen = new Set<string>();
    for (const t of titles) {
      if (seen.has(t.title))
        add('error', 'duplicate_title', `${parent}下有两个名为“${t.title}”的类别，请改用不同的名称。`, t.id ? { blockId: t.id } : {});
      seen.add(t.title);
    }
  };
  checkTitles([{ title: def.gate.title }, ...def.blocks.map((b) => ({ title: b.title, id: b.id }))], '标准的第一层');
  // "›" joins titles into a path in a spreadsheet's 类别 column.
  if (def.gate.title.includes('›')) add('error', 'title_separator', `否决项部分“${def.gate.title}”：名称中不能含有“›”。`);
  forEachBlock(def, (block) => {
    if (block.title.includes('›'))
      add('error', 'title_separator', `${blockLabel(block)}：名称中不能含有“›”（表格中用它分隔上下级类别）。`, { blockId: block.id });
  });
  forEachBlock(def, (block) =>
    checkTitles(
      block.children.filter((c): c is BlockNode => c.kind === 'block').map((b) => ({ title: b.title, id: b.id })),
      blockLabel(block),
    ),
  );

  // ── items ──
  forEachItem(def, (item, path, inGate) => {
    const at = `${itemLabel(item)}${path.length ? `（${blockLabel(path[path.length - 1]!)}）` : '（否决项）'}`;
    const where = { itemId: item.id };
    const r = item.rule;
    if (inGate && r.kind !== 'veto') add('error', 'gate_item_not_veto', `${at}：放在“${def.gate.title}”中的项目必须是否决项。`, where);
    if (!inGate && r.kind === 'veto')
      add('error', 'veto_outside_gate', `${at}：否决项必须放在“${def.gate.title}”部分，不能放在评分类别中。`, where);
    if (r.kind === 'veto') {
      if (item.points !== null && item.points !== 0)
        add('error', 'veto_points', `${at}：否决项不单独计分，分值应为 0（现为 ${fmt(item.points)}）。`, where);
      if (item.notApplicable) add('error', 'veto_not_applicable', `${at}：否决项不能设置“可不适用”。`, where);
    }
    if (item.penalty) {
      if (r.kind === 'full')
        add('error', 'penalty_full', `${at}：扣分项没有自己的分值，不能“扣全分”，请改为扣 N 分、每处扣 N 分或视情况扣分。`, where);
      if (item.points !== null && item.points !== 0)
        add(
          'error',
          'penalty_points',
          `${at}：扣分项不单独计分，分值应为 0；扣分上限请写在扣分方式中（如“每处扣1分，最多扣${fmt(item.points)}分”）。`,
          where,
        );
    }
    // An item nobody can deduct against lets the worst defects through as 符合 (a missing 事先告知书
    // scored 优秀): every item of a standard must be scoreable before it can be used.
    if (isPlaceholder(item)) {
      add(
        'error',
        'placeholder',
        `${at}：这是原文未取得部分的占位${item.points ? `（${fmt(item.points)} 分）` : ''}，无法据此评分。请写明评查内容、分值和扣分方式后再使用。`,
        where,
      );
    } else if (item.points === null && r.kind !== 'veto') {
      add('error', 'unknown_points', `${at}：没有分值，无法扣分。请填写该项分值。`, where);
    } else if (r.kind !== 'veto' && !item.penalty && item.points === 0) {
      add('error', 'nothing_to_deduct', `${at}：分值为 0 分，无法扣分。请填写分值，或将其设为扣分项。`, where);
    }
    // The item's points bound every deduction, except for penalty items, which have none of their own.
    const bound = item.penalty || item.points === null ? null : item.points;
    if (r.kind === 'fixed' && bound !== null && r.amount > bound + EPS)
      add('error', 'amount_over_points', `${at}：扣分 ${fmt(r.amount)} 分超过了该项分值 ${fmt(bound)} 分。`, where);
    if (r.kind === 'perOccurrence') {
      if (bound !== null && r.cap !== undefined && r.cap > bound + EPS)
        add('error', 'cap_over_points', `${at}：最多扣 ${fmt(r.cap)} 分超过了该项分值 ${fmt(bound)} 分。`, where);
      const limit = r.cap ?? bound;
      if (limit !== null && r.amount > limit + EPS)
        add('error', 'amount_over_points', `${at}：每处扣 ${fmt(r.amount)} 分超过了最多可扣的 ${fmt(limit)} 分。`, where);
    }
    if (r.kind === 'range') {
      if (r.min > r.max + EPS)
        add('error', 'range_min_over_max', `${at}：扣分区间的最小值 ${fmt(r.min)} 大于最大值 ${fmt(r.max)}。`, where);
      else if (bound !== null && r.max > bound + EPS)
        add('error', 'range_over_points', `${at}：扣分区间最多扣 ${fmt(r.max)} 分，超过了该项分值 ${fmt(bound)} 分。`, where);
      else {
        const steps = (r.max - r.min) / r.step;
        if (Math.abs(steps - Math.round(steps)) > EPS)
          add('error', 'range_step', `${at}：步长 ${fmt(r.step)} 分不能整除 ${fmt(r.min)}–${fmt(r.max)} 分的区间。`, where);
        else if (steps > 200) add('error', 'range_step', `${at}：步长 ${fmt(r.step)} 分太小，区间内可选的扣分值超过 200 个。`, where);
      }
    }
  });

  // ── what a person reads is Chinese: no leftovers of a conversion (English notes, web links) ──
  const checkText = (value: string | undefined, label: string, where: { itemId?: string; blockId?: string } = {}): void => {
    const found = foreignText(value);
    if (found) add('error', 'foreign_text', `${label}含有${found}，请改为中文说明。`, where);
  };
  checkText(def.name, '标准名称');
  checkText(def.version, '版本');
  for (const [value, label] of [
    [def.field, '领域'],
    [def.issuer, '发布机关'],
    [def.region, '地区'],
    [def.source, '来源'],
    [def.completeness, '完整性'],
    [def.modeText, '计分方式原文'],
  ] as const)
    checkText(value, label);
  (def.notes ?? []).forEach((n, i) => checkText(n, `说明第 ${i + 1} 条`));
  for (const [list, label] of [
    [def.printedColumns, '表格栏目'],
    [def.headerFields, '表头栏目'],
    [def.footerFields, '表尾栏目'],
  ] as const)
    (list ?? []).forEach((n) => checkText(n, label));
  checkText(def.gate.title, '否决项部分名称');
  forEachBlock(def, (block) => {
    const where = { blockId: block.id };
    checkText(block.title, `${blockLabel(block)}的名称`, where);
    checkText(block.note, `${blockLabel(block)}的备注`, where);
    checkText(block.provenance?.note, `${blockLabel(block)}的来源说明`, where);
  });
  forEachItem(def, (item) => {
    const where = { itemId: item.id };
    const at = itemLabel(item);
    checkText(item.text, `${at}的评查内容`, where);
    checkText(item.ruleText, `${at}的扣分标准`, where);
    checkText(item.basis, `${at}的依据`, where);
    checkText(item.category, `${at}的问题类别`, where);
    checkText(item.note, `${at}的备注`, where);
    checkText(item.provenance?.note, `${at}的来源说明`, where);
  });
  for (const band of def.bands) {
    checkText(band.grade, `等次“${band.grade}”的名称`);
    checkText(band.provenance?.note, `等次“${band.grade}”的来源说明`);
  }

  // ── blocks: children add up to the block, blocks and gate add up to the total ──
  forEachBlock(def, (block) => {
    const where = { blockId: block.id };
    const at = blockLabel(block);
    if (block.children.length === 0) {
      add('warning', 'block_empty', `${at}：没有任何项目。`, where);
      return;
    }
    const { sum, unknown } = childPoints(block);
    if (block.normalise) {
      if (sum <= EPS && unknown === 0) add('error', 'normalise_empty', `${at}：按比例折算的类别中各项分值合计为 0，无法折算。`, where);
      return;
    }
    if (sum > block.points + EPS)
      add('error', 'block_over', `${at}：各项分值合计 ${fmt(sum)} 分，超过了类别分值 ${fmt(block.points)} 分。`, where);
    else if (sum < block.points - EPS) {
      if (unknown > 0)
        add(
          'warning',
          'block_under',
          `${at}：已知分值合计 ${fmt(sum)} 分，少于类别分值 ${fmt(block.points)} 分（另有 ${unknown} 项分值未知）。`,
          where,
        );
      else add('error', 'block_under', `${at}：各项分值合计 ${fmt(sum)} 分，少于类别分值 ${fmt(block.points)} 分。`, where);
    }
  });
  const topSum = def.blocks.reduce((s, b) => s + b.points, def.gate.points);
  if (!near(topSum, def.total)) {
    const parts = def.gate.points ? `“${def.gate.title}” ${fmt(def.gate.points)} 分与各类别` : '各类别';
    add('error', 'total_mismatch', `总分：${parts}分值合计 ${fmt(topSum)} 分，与总分 ${fmt(def.total)} 分不一致。`);
  }
  if (allItems(def).length === 0) add('error', 'no_items', '标准中没有任何评查项目。');
  if (def.gate.points > 0 && def.veto.effect !== 'zeroGateAndFail')
    add(
      'warning',
      'gate_points_unused',
      `否决效果：“${def.gate.title}”带有 ${fmt(def.gate.points)} 分，但否决时并非只扣这部分分数；两部分计分通常选择“否决部分得 0 分”。`,
    );
  if (def.mode === 'deductWithinBlocks')
    for (const block of def.blocks)
      if (!block.floor)
        add('warning', 'block_without_floor', `${blockLabel(block)}：计分方式为分块扣减，但该类别未设置“扣完为止”，可能出现负分。`, {
          blockId: block.id,
        });

  // ── grades ──
  const bands = def.bands;
  for (let i = 1; i < bands.length; i++) {
    const hi = bands[i - 1]!;
    const lo = bands[i]!;
    if (near(lo.min, hi.min)) add('error', 'band_duplicate', `等次：“${hi.grade}”与“${lo.grade}”的分数线相同（${fmt(lo.min)} 分）。`);
    else if (lo.min > hi.min)
      add(
        'error',
        'bands_order',
        `等次：应按分数线从高到低排列，“${lo.grade}”（${fmt(lo.min)} 分）排在了“${hi.grade}”（${fmt(hi.min)} 分）之后。`,
      );
  }
  const grades = new Set<string>();
  for (const band of bands) {
    if (grades.has(band.grade)) add('error', 'band_duplicate', `等次：“${band.grade}”出现了两次。`);
    grades.add(band.grade);
    if (band.min > def.total + EPS)
      add('error', 'band_over_total', `等次“${band.grade}”：分数线 ${fmt(band.min)} 分高于总分 ${fmt(def.total)} 分。`);
  }
  const lowest = bands.reduce((a, b) => (b.min < a.min ? b : a), bands[0]!);
  if (lowest.min > EPS)
    add('error', 'lowest_band_not_zero', `等次“${lowest.grade}”：最低等次的分数线应为 0 分（现为 ${fmt(lowest.min)} 分）。`);
  if (!grades.has(def.failGrade)) add('error', 'fail_grade_missing', `不合格等次：“${def.failGrade}”不在等次列表中。`);
  if (def.topGradeQuota) {
    const top = bands.reduce((a, b) => (b.min > a.min ? b : a), bands[0]!);
    if (def.topGradeQuota.grade !== top.grade)
      add('error', 'quota_grade', `名额限制：只能限制最高等次“${top.grade}”的名额，不能限制“${def.topGradeQuota.grade}”。`);
  }
  if (new Set(def.caseTypes).size !== def.caseTypes.length) add('error', 'case_type_duplicate', '适用案件类型：有重复的案件类型。');
  return issues;
}

/** Words a conversion leaves behind when it could not retrieve or only guessed the source. */
const LEFTOVER_MARKERS = /not\s+retrieved|inferred|unknown|truncated|partial|placeholder/i;
const CJK = /[\u3400-\u9fff]/;
const clip = (text: string): string => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

/**
 * Why a user-visible text is not fit to show, in Chinese, or null: a web link (the app is offline
 * and a link says nothing on paper), a conversion's English marker, or text with Latin letters and
 * no Chinese at all. Names of things written in Latin letters inside Chinese text (GB/T 9704, PDF)
 * are fine.
 */
export function foreignText(value: string | undefined): string | null {
  if (!value) return null;
  const link = /(?:https?:\/\/|www\.)\S*/i.exec(value);
  if (link) return `网址“${clip(link[0])}”`;
  const marker = LEFTOVER_MARKERS.exec(value);
  if (marker) return `英文“${marker[0]}”`;
  if (/[A-Za-z]{2}/.test(value) && !CJK.test(value)) return `英文“${clip(value.trim())}”`;
  return null;
}

export const errorsOf = (issues: DefinitionIssue[]): DefinitionIssue[] => issues.filter((i) => i.level === 'error');
export const warningsOf = (issues: DefinitionIssue[]): DefinitionIssue[] => issues.filter((i) => i.level === 'warning');

// ── schema problems, described by where they are in the tree ─────────────────────────────────────

const DEFINITION_FIELD_LABELS: Record<string, string> = {
  format: '格式标记',
  standardId: '标准ID',
  name: '标准名称',
  version: '版本',
  caseTypes: '适用案件类型',
  total: '总分',
  mode: '计分方式',
  veto: '否决效果',
  effect: '否决效果',
  bands: '等次',
  grade: '等次名称',
  min: '最少扣分',
  max: '最多扣分',
  step: '步长',
  failGrade: '不合格等次',
  topGradeQuota: '名额限制',
  maxShare: '限额比例',
  gate: '否决项部分',
  blocks: '评分类别',
  children: '下级',
  items: '项目',
  id: 'ID',
  code: '编号',
  text: '评查内容',
  title: '类别名称',
  points: '分值',
  floor: '扣完为止',
  normalise: '折算',
  rule: '扣分方式',
  kind: '类型',
  amount: '扣分值',
  cap: '最多扣分',
  ruleText: '扣分标准',
  notApplicable: '可不适用',
  penalty: '扣分项',
  provenance: '来源',
  asPrinted: '原表数值',
  note: '备注',
  basis: '依据',
};

function describeSchemaPath(raw: unknown, path: ReadonlyArray<PropertyKey>): string {
  const parts: string[] = [];
  let node: unknown = raw;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const child: unknown = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
    if (typeof key === 'number') {
      const parent = path[i - 1];
      const rec = child && typeof child === 'object' ? (child as Record<string, unknown>) : {};
      if (parent === 'bands') parts.push(typeof rec.grade === 'string' ? `等次“${rec.grade}”` : `第 ${key + 1} 个等次`);
      else if (rec.kind === 'block' || (parent === 'blocks' && rec.kind !== 'item'))
        parts.push(typeof rec.title === 'string' && rec.title ? blockLabel({ title: rec.title }) : `第 ${key + 1} 个类别`);
      else if (rec.kind === 'item' || parent === 'items')
        parts.push(typeof rec.code === 'string' && rec.code ? itemLabel({ code: rec.code }) : `第 ${key + 1} 个项目`);
      else parts.push(`第 ${key + 1} 项`);
    } else if (key !== 'children' && !(key === 'items' && path[i - 1] === 'gate')) {
      parts.push(DEFINITION_FIELD_LABELS[String(key)] ?? String(key));
    } else if (key === 'items') parts.push('否决项');
    node = child;
  }
  // "否决项部分 › 否决项" says the same twice.
  return parts.filter((p, i) => !(p === '否决项' && parts[i - 1] === '否决项部分')).join(' › ');
}

/** Schema failures as issues, each naming the block/item/field it is about. */
export function schemaIssues(raw: unknown, error: z.ZodError): DefinitionIssue[] {
  return error.issues.map((issue) => {
    const where = describeSchemaPath(raw, issue.path);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `无法识别的字段：${issue.keys.join('、')}`;
    return {
      level: 'error' as const,
      code: 'schema' as const,
      message: where ? `${where}：${message}` : message,
      field: issue.path.map(String).join('.'),
    };
  });
}

export type DefinitionCheck =
  | { ok: true; definition: StandardDefinition; warnings: DefinitionIssue[] }
  | { ok: false; errors: DefinitionIssue[]; warnings: DefinitionIssue[] };

/** Schema, then semantics: what an import or a save runs on untrusted input. */
export function checkDefinition(raw: unknown): DefinitionCheck {
  const parsed = StandardDefinitionSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: schemaIssues(raw, parsed.error), warnings: [] };
  const definition = canonicalDefinition(parsed.data);
  const issues = validateDefinition(definition);
  const errors = errorsOf(issues);
  return errors.length ? { ok: false, errors, warnings: warningsOf(issues) } : { ok: true, definition, warnings: warningsOf(issues) };
}

/**
 * The one stored form of a definition: keys in schema order, no empty optional text, no `false`
 * flags, no empty optional lists. Two definitions that mean the same are then byte-identical, so a
 * round trip through a spreadsheet can be compared exactly and an unchanged save is recognised.
 */
export function canonicalDefinition(def: StandardDefinition): StandardDefinition {
  return StandardDefinitionSchema.parse(prune(def));
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (key === 'penalty' && v === false) continue;
    if (OPTIONAL_TEXT.has(key) && v === '') continue;
    if (OPTIONAL_LISTS.has(key) && Array.isArray(v) && v.length === 0) continue;
    if ((key === 'extra' || key === 'asPrinted') && v && typeof v === 'object' && Object.keys(v).length === 0) continue;
    out[key] = key === 'extra' ? v : prune(v);
  }
  return out;
}

const OPTIONAL_TEXT = new Set(['field', 'issuer', 'region', 'source', 'completeness', 'modeText', 'category', 'basis', 'note', 'code']);
const OPTIONAL_LISTS = new Set(['notes', 'printedColumns', 'headerFields', 'footerFields']);
