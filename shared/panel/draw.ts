/**
 * 随机抽取: N files per unit per case type, or N files per unit whatever their type, from a pool, reproducibly. Pure: the same pool and seed
 * always give the same files, on any machine, so a draw can be re-run from its record.
 *
 * Algorithm (printed on the 抽取记录, version DRAW_ALGORITHM):
 * 1. Canonical order of the pool: by unit name, then case type (in the order of CASE_TYPES), then the
 *    normalised case number, each compared by Unicode code points.
 * 2. Groups: consecutive files of the same unit and case type (每单位每类), or of the same unit (每单位).
 * 3. For a group of n files and N to draw: if n ≤ N all are drawn; otherwise a random stream is
 *    derived from the label  seed + "\n" + unit name + "\n" + case type  (每单位: seed + "\n" + unit
 *    name; see random.ts) and a partial
 *    Fisher–Yates shuffle picks N: for i = 0 … N−1, j = i + below(n − i), swap positions i and j; the
 *    first N positions are the drawn files, in the order they were drawn.
 * Each group has its own stream, so one unit's files never change another unit's draw.
 */
import { CASE_TYPES, type CaseType } from '../campaigns/case-types.js';
import { normaliseSeed } from './panel.js';
import { byCodePoint, SeededStream, sm3Hex } from './random.js';

/** The algorithm's stable id, stored with each draw (a later algorithm gets a new id). */
export const DRAW_ALGORITHM = 'pingcha-draw-1 (SM3 + Fisher–Yates)';

/** How the pool is split before drawing: N per unit per case type, or N per unit. */
export const DRAW_GROUPINGS = ['unitType', 'unit'] as const;
export type DrawGrouping = (typeof DRAW_GROUPINGS)[number];

/** The method in one line, as the draw screen and the 抽取记录 name it. */
export const DRAW_METHOD_LABEL = '以种子经 SM3 杂凑确定的随机排列（可复现）';

/** The draw's rule in words: 每个被评查单位每类案件随机抽取 3 件，不足 3 件的全部抽取. */
export function drawRuleText(grouping: DrawGrouping, perGroup: number): string {
  return `每个被评查单位${grouping === 'unit' ? '' : '每类案件'}随机抽取 ${perGroup} 件，不足 ${perGroup} 件的全部抽取`;
}

/**
 * The algorithm in words, for the 抽取记录 and the draw screen: what a 司法局 prints, in Chinese only
 * (the ordering by code points and the Fisher–Yates shuffle above, said without their English names).
 */
export function drawAlgorithmText(grouping: DrawGrouping): string[] {
  const perUnit = grouping === 'unit';
  return [
    `案卷池按“被评查单位名称、案件类型、案号”的固定顺序排列（文字按字符编码逐字比较，与所用电脑无关），${perUnit ? '每个单位的全部案卷为一组（不分案件类型）' : '每个单位的每类案件为一组'}。`,
    `某组案卷数不超过抽取数时全部抽取；否则以“随机种子＋单位名称${perUnit ? '' : '＋案件类型'}”为依据，用国家商用密码杂凑算法（SM3）生成随机数，按公开算法（洗牌法）从该组中逐件抽出规定件数。`,
    '各组随机数相互独立，抽取结果只取决于随机种子和案卷池：任何人用本记录所列的同一种子和案卷池重新计算，都得到完全相同的结果。',
  ];
}

/** Kept for the draws recorded per unit and type (the wording they were printed with). */
export const DRAW_ALGORITHM_TEXT = drawAlgorithmText('unitType');

export interface PoolEntry {
  caseId: string;
  unitName: string;
  caseType: CaseType;
  /** Normalised case number (what makes a file unique within a campaign). */
  caseNumberKey: string;
}

const typeIndex = (t: CaseType): number => CASE_TYPES.indexOf(t);

export function compareEntries(a: PoolEntry, b: PoolEntry): number {
  return (
    byCodePoint(a.unitName, b.unitName) ||
    typeIndex(a.caseType) - typeIndex(b.caseType) ||
    byCodePoint(a.caseNumberKey, b.caseNumberKey) ||
    byCodePoint(a.caseId, b.caseId)
  );
}

export function canonicalPool<T extends PoolEntry>(entries: readonly T[]): T[] {
  return entries.slice().sort(compareEntries);
}

/** SM3 over the canonical pool, one line per file ("unit \t type \t case number"): printed on the record. */
export function poolDigest(entries: readonly PoolEntry[]): string {
  return sm3Hex(
    canonicalPool(entries)
      .map((e) => `${e.unitName}\t${e.caseType}\t${e.caseNumberKey}\n`)
      .join(''),
  );
}

export interface DrawGroup {
  unitName: string;
  /** The group's case type; null when the draw is per unit (all types together). */
  caseType: CaseType | null;
  poolSize: number;
  /** Drawn case ids in the order they were drawn. */
  drawn: string[];
}

export interface DrawOutcome {
  groups: DrawGroup[];
  /** All drawn case ids, in canonical pool order. */
  drawnCaseIds: string[];
}

/** Groups of the canonical pool, in order. */
export function groupPool<T extends PoolEntry>(entries: readonly T[], grouping: DrawGrouping = 'unitType'): T[][] {
  const groups: T[][] = [];
  for (const e of canonicalPool(entries)) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.unitName === e.unitName && (grouping === 'unit' || last[0]!.caseType === e.caseType)) last.push(e);
    else groups.push([e]);
  }
  return groups;
}

export function drawFromPool(
  entries: readonly PoolEntry[],
  params: { seed: string; perGroup: number; grouping?: DrawGrouping },
): DrawOutcome {
  const seed = normaliseSeed(params.seed);
  const grouping = params.grouping ?? 'unitType';
  if (!seed) throw new RangeError('empty seed');
  if (!Number.isInteger(params.perGroup) || params.perGroup < 1) throw new RangeError(`perGroup ${params.perGroup}`);
  const groups: DrawGroup[] = groupPool(entries, grouping).map((group) => {
    const first = group[0]!;
    const caseType = grouping === 'unit' ? null : first.caseType;
    const ids = group.map((e) => e.caseId);
    if (ids.length <= params.perGroup) return { unitName: first.unitName, caseType, poolSize: ids.length, drawn: ids };
    // Per unit the label has no case type: one stream for the unit's whole pile.
    const stream = new SeededStream(caseType ? `${seed}\n${first.unitName}\n${caseType}` : `${seed}\n${first.unitName}`);
    for (let i = 0; i < params.perGroup; i++) {
      const j = i + stream.below(ids.length - i);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    return { unitName: first.unitName, caseType, poolSize: ids.length, drawn: ids.slice(0, params.perGroup) };
  });
  const drawn = new Set(groups.flatMap((g) => g.drawn));
  return {
    groups,
    drawnCaseIds: canonicalPool(entries)
      .filter((e) => drawn.has(e.caseId))
      .map((e) => e.caseId),
  };
}
