/**
 * What letters, the ledger and the statistics quote, as plain data built by the back end from the
 * ResultsService's outcomes — and the pure arithmetic on it: unit averages and ranking, grade
 * counts and rates, problem counts by category and by standard item.
 */
import { z } from 'zod';
import { fmt } from '../standards/model.js';
import { gradeFor } from '../scoring/scoring.js';
import type { GradeBand } from '../standards/model.js';
import { CASE_TYPES, type CaseType } from '../campaigns/case-types.js';

export const ProblemFactSchema = z.object({
  itemId: z.string(),
  itemCode: z.string(),
  itemText: z.string(),
  /** The item's category if the standard gives one, else the title of its top block (否决项 for the gate). */
  category: z.string(),
  deduction: z.number(),
  veto: z.boolean(),
  /** 依据 the standard gives for the item (law and article), '' when it gives none. */
  basis: z.string().default(''),
  /** The reviewers' words for the problem (评查意见), may be empty. */
  comment: z.string(),
  /** 位置 in words as typed by the reviewer. */
  location: z.string(),
  /** Pages of the case's dossier (1-based, its documents in order) holding the linked evidence. */
  pages: z.array(z.number().int().positive()),
  /**
   * A 否决 finding of an unsettled file that not every reviewer made (their sheets disagree): stated as
   * the reviewer found it, and as awaiting the panel's decision (合议).
   */
  disputed: z.boolean().optional(),
});
export type ProblemFact = z.infer<typeof ProblemFactSchema>;

export const FileFactSchema = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  caseTitle: z.string(),
  caseTypeLabel: z.string(),
  caseType: z.enum(CASE_TYPES).optional(),
  party: z.string(),
  /** Final (reconciled) or provisional (a single sheet, not yet agreed). */
  final: z.boolean(),
  total: z.number(),
  max: z.number(),
  grade: z.string(),
  vetoed: z.boolean(),
  standardName: z.string(),
  problems: z.array(ProblemFactSchema),
  /**
   * A provisional file whose delivered sheets disagree on a veto or grade: the disagreement in words
   * (shared/scoring/provisional.ts); its grade is 待合议 and its total is in no average or sum.
   */
  disagreement: z.string().nullable().optional(),
});
export type FileFact = z.infer<typeof FileFactSchema>;

export interface UnitFact {
  unitId: string;
  unitName: string;
  /** The unit's files under review: drawn by the campaign's current draw (every file of the unit when nothing was drawn). */
  reviewedCount: number;
  /** Scored files only (unscored files are not quoted). */
  files: FileFact[];
  /** Where the files under review were drawn: how many of the unit's files the draw drew from (its 抽取记录's pool). */
  submittedCount?: number;
  /** Where files were drawn: the unit's files registered without a PDF, left out of the draw. */
  withoutDocumentCount?: number;
  /** The case types of the files under review, scored or not (the laws a letter cites follow them). */
  caseTypes?: CaseType[];
}

export interface CampaignFact {
  campaignId: string;
  name: string;
  year: number;
  issuingBody: string;
  standardNames: string[];
  /** Grade bands used for unit grades (of the standard most files were scored with). */
  bands: GradeBand[];
  failGrade: string;
  units: UnitFact[];
}

const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;

/** The category a problem is counted under: the standard's own category, else its top block's title. */
export function problemCategory(p: { category?: string | undefined; blockTitles: string[] }): string {
  return p.category?.trim() || p.blockTitles[0] || '其他';
}

/** Grades from best to worst as the bands list them, with any other grade seen appended. */
export function gradeOrder(bands: GradeBand[], failGrade: string, seen: string[] = []): string[] {
  const order = [...bands].sort((a, b) => b.min - a.min).map((b) => b.grade);
  if (!order.includes(failGrade)) order.push(failGrade);
  for (const g of seen) if (!order.includes(g)) order.push(g);
  return order;
}

export interface UnitRanking {
  unitId: string;
  unitName: string;
  fileCount: number;
  average: number;
  sum: number;
  grade: string;
  problemCount: number;
  /** Competition ranking (1, 2, 2, 4): units equal in average AND sum share a place. */
  rank: number;
  /** Files of the unit whose result is provisional: the ranking says "（含暂定）" for them. */
  provisionalCount: number;
  /** Files whose reviewers disagree (待合议): counted in fileCount, not in the average or sum. */
  disputedCount: number;
  /** Drawn files of the unit with no result yet: the ranking says "（部分未定分）". */
  unscoredCount: number;
  /** 优良率: the share of its scored files graded 优秀 or 良好 (待合议 files have no grade and are left out), 0–1. */
  goodRate: number;
}

/** The grades 优良率 counts. */
export const GOOD_GRADES: readonly string[] = ['优秀', '良好'];

/** 优良率 of some files: 优秀 and 良好 among those with a grade (a 待合议 file has none yet), null when none has. */
export function goodRate(files: ReadonlyArray<Pick<FileFact, 'grade' | 'disagreement'>>): number | null {
  const graded = files.filter(hasScore);
  return graded.length ? graded.filter((f) => GOOD_GRADES.includes(f.grade)).length / graded.length : null;
}

/** A file's score counts in averages and sums unless its reviewers disagree (no score until 合议). */
export const hasScore = (f: Pick<FileFact, 'disagreement'>): boolean => !f.disagreement;

/** "清溪县交通运输局（含暂定）": a unit ranked on results that may still change. */
/** A unit's name in a ranking, marked where its average rests on provisional results or leaves drawn files out. */
export const rankedUnitName = (r: Pick<UnitRanking, 'unitName' | 'provisionalCount' | 'unscoredCount'>): string =>
  `${r.unitName}${r.provisionalCount > 0 ? '（含暂定）' : ''}${r.unscoredCount ? '（部分未定分）' : ''}`;

/**
 * Units ranked by average score, ties broken by the sum of their scores; units with no scored file are
 * left out. A file whose reviewers disagree has no score yet: it is counted among the unit's files
 * (and flags the unit as 含暂定) but not in its average or sum.
 */
export function rankUnits(campaign: Pick<CampaignFact, 'units' | 'bands'>): UnitRanking[] {
  const rows = campaign.units
    .filter((u) => u.files.some(hasScore))
    .map((u) => {
      const scored = u.files.filter(hasScore);
      const sum = round2(scored.reduce((a, f) => a + f.total, 0));
      const average = round2(sum / scored.length);
      return {
        unitId: u.unitId,
        unitName: u.unitName,
        fileCount: u.files.length,
        average,
        sum,
        grade: gradeFor({ bands: campaign.bands }, average),
        problemCount: u.files.reduce((a, f) => a + f.problems.length, 0),
        rank: 0,
        provisionalCount: u.files.filter((f) => !f.final).length,
        disputedCount: u.files.length - scored.length,
        // Drawn files of the unit without a result: its average speaks for part of its draw only.
        unscoredCount: Math.max(0, u.reviewedCount - u.files.length),
        goodRate: goodRate(u.files) ?? 0,
      };
    })
    .sort((a, b) => b.average - a.average || b.sum - a.sum || a.unitName.localeCompare(b.unitName, 'zh-CN'));
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    r.rank = prev && prev.average === r.average && prev.sum === r.sum ? prev.rank : i + 1;
  });
  return rows;
}

export interface GradeCount {
  grade: string;
  count: number;
  /** Share of all scored files, 0–1. */
  rate: number;
}

export function gradeDistribution(files: FileFact[], order: string[]): GradeCount[] {
  const counts = new Map<string, number>(order.map((g) => [g, 0]));
  for (const f of files) counts.set(f.grade, (counts.get(f.grade) ?? 0) + 1);
  return [...counts].map(([grade, count]) => ({ grade, count, rate: files.length ? count / files.length : 0 }));
}

/** 百分比 with one decimal: 0.4 → "40.0%". */
export const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

/** "优秀2件、合格1件、不合格1件" (grades with no file are left out). */
export function gradeSummaryText(dist: GradeCount[], withRates = false): string {
  const parts = dist.filter((d) => d.count > 0).map((d) => `${d.grade}${d.count}件${withRates ? `，占${percent(d.rate)}` : ''}`);
  return parts.length ? parts.join(withRates ? '；' : '、') : '无已评案卷';
}

export interface CategoryCount {
  category: string;
  count: number;
  /** Files with at least one problem in the category. */
  fileCount: number;
  deduction: number;
  /** 否决 findings among them: a veto deducts nothing, so 扣分合计 alone would read "0". */
  vetoCount: number;
}

export function problemsByCategory(files: FileFact[]): CategoryCount[] {
  const map = new Map<string, { count: number; files: Set<string>; deduction: number; vetoCount: number }>();
  for (const f of files)
    for (const p of f.problems) {
      const e = map.get(p.category) ?? { count: 0, files: new Set<string>(), deduction: 0, vetoCount: 0 };
      e.count += 1;
      if (p.veto) e.vetoCount += 1;
      e.files.add(f.caseId);
      e.deduction += p.deduction;
      map.set(p.category, e);
    }
  return [...map]
    .map(([category, e]) => ({ category, count: e.count, fileCount: e.files.size, deduction: round2(e.deduction), vetoCount: e.vetoCount }))
    .sort((a, b) => b.count - a.count || b.deduction - a.deduction || a.category.localeCompare(b.category, 'zh-CN'));
}

export interface ItemCount {
  /** The standard's short name when the campaign's files were scored on more than one standard, else ''. */
  standard: string;
  itemCode: string;
  itemText: string;
  category: string;
  count: number;
  deduction: number;
  /** 否决 findings on the item. */
  vetoCount: number;
}

/** 扣分合计 as statistics print it: "否决" for veto findings, never a deduction of "0". */
export const deductionTotalText = (c: Pick<CategoryCount, 'deduction' | 'vetoCount' | 'count'>): string =>
  c.vetoCount === 0 ? fmt(c.deduction) : c.vetoCount === c.count ? '否决' : `否决${c.vetoCount}项，扣${fmt(c.deduction)}分`;

/**
 * Problems counted per standard item. Item 3 of the 行政许可 standard is not item 3 of the 行政处罚
 * one: where the files were scored on several standards each item is counted apart and carries its
 * standard's short name.
 */
export function problemsByItem(files: FileFact[]): ItemCount[] {
  const standards = [...new Set(files.map((f) => f.standardName))];
  const map = new Map<string, ItemCount>();
  for (const f of files)
    for (const p of f.problems) {
      // The standard's own name, as the bureau issued it: statistics quote it, never a name made up here.
      const standard = standards.length > 1 ? f.standardName : '';
      const key = `${standard}\u0000${p.category}\u0000${p.itemCode}\u0000${p.itemText}`;
      const e = map.get(key) ?? {
        standard,
        itemCode: p.itemCode,
        itemText: p.itemText,
        category: p.category,
        count: 0,
        deduction: 0,
        vetoCount: 0,
      };
      e.count += 1;
      if (p.veto) e.vetoCount += 1;
      e.deduction = round2(e.deduction + p.deduction);
      map.set(key, e);
    }
  return [...map.values()].sort(
    (a, b) => b.count - a.count || b.deduction - a.deduction || a.itemCode.localeCompare(b.itemCode, 'zh-CN', { numeric: true }),
  );
}

/**
 * Short names of standards for lists that name several ("行政处罚评查标准（一般程序）" for
 * "行政处罚案卷评查参考标准（一般程序）"); a name that would not stay distinct is kept whole.
 */
export function standardShortNames(names: readonly string[]): Map<string, string> {
  const shorten = (n: string): string => n.replace(/案卷/g, '').replace(/参考/g, '').trim() || n;
  const out = new Map<string, string>();
  for (const n of names) {
    const s = shorten(n);
    out.set(n, names.some((o) => o !== n && shorten(o) === s) ? n : s);
  }
  return out;
}

/**
 * 整改要求 for one problem: the same words in the 意见书, the 整改通知书 and the 整改台账. `files` is how
 * many files the letter lists the problem for (one ledger row is one file).
 */
export function rectificationRequirement(p: Pick<ProblemFact, 'veto'>, files = 1): string {
  if (p.veto) return '依法组织复查，确有错误的予以纠正';
  return files > 1 ? '逐案补正或作出书面说明' : '予以补正或作出书面说明';
}

export const allFiles = (campaign: Pick<CampaignFact, 'units'>): FileFact[] => campaign.units.flatMap((u) => u.files);

/** "扣1.5分" / "否决" — how a problem's weight is printed. */
export const deductionText = (p: Pick<ProblemFact, 'veto' | 'deduction'>): string => (p.veto ? '否决' : `扣${fmt(p.deduction)}分`);

/** "第7页、第9页" — dossier page numbers as a letter prints them. */
export const pagesText = (pages: ReadonlyArray<number | string>): string =>
  pages.map((n) => (typeof n === 'number' ? `第${n}页` : n)).join('、');

/**
 * The pages a location names when it names nothing else ("第3、5页", "第3页、第5页" — what a taken
 * pre-check finding fills in), else null: such a location is merged with the evidence pages, so a
 * page is cited once.
 */
export function locationPages(location: string): number[] | null {
  const t = location.replace(/\s+/g, '');
  if (!t || !/^(第\d+(?:[、，,]\d+)*页[、，,]?)+$/.test(t)) return null;
  return [...t.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** Evidence pages and a location that only names pages, as one sorted list of distinct pages; the location stays when it says more. */
function mergedPlace(p: { pages: ReadonlyArray<number | string>; location: string }): { pages: Array<number | string>; location: string } {
  const named = locationPages(p.location);
  if (!named || p.pages.some((x) => typeof x !== 'number')) return { pages: [...p.pages], location: p.location };
  return { pages: [...new Set([...(p.pages as number[]), ...named])].sort((a, b) => a - b), location: '' };
}

/** Where a problem is, for the ledger's 页码: the evidence pages, else the reviewer's location text (rows stored before pages were numbers hold words). */
export const problemWhere = (p: { pages: ReadonlyArray<number | string>; location: string }): string => {
  const m = mergedPlace(p);
  return [pagesText(m.pages), m.location].filter(Boolean).join('、');
};

/**
 * Where a problem is, as a letter cites it: the case by its registered 案号 (never the PDF's file
 * name, which the submitting unit may have mistyped) and the dossier's page — "（2025）清市监罚字第12号案卷第7页".
 */
export function problemReference(caseNumber: string, p: Pick<ProblemFact, 'pages' | 'location'>): string {
  const m = mergedPlace(p);
  const pages = m.pages.length ? `案卷第${m.pages.join('、')}页` : '';
  return `${caseNumber}${pages}${m.location ? `（${m.location}）` : ''}`;
}

/** A drawn file of a unit whose result is not settled: still scored by one reviewer only, or not scored at all. */
export interface PendingFile {
  caseId: string;
  caseNumber: string;
  unitId: string;
  state: 'provisional' | 'unscored';
}

/** A deduction in a result without the reviewer's reason (评查意见): never printed in a letter. */
export interface UnreasonedDeduction {
  caseId: string;
  caseNumber: string;
  unitId: string;
  itemCode: string;
  itemText: string;
  /** Who deducted without a reason (the reviewers of the file when it cannot be told). */
  reviewers: string[];
}

/** "（2025）清市监罚字第12号（未定分）" — how a pending file is listed for the person issuing. */
export const pendingLabel = (f: Pick<PendingFile, 'caseNumber' | 'state'>): string =>
  `${f.caseNumber}（${f.state === 'unscored' ? '未评分' : '未定分'}）`;

/** "（2025）清市监罚字第12号 第3项“…”（评查人：张三）". */
export const unreasonedLabel = (d: UnreasonedDeduction): string =>
  `${d.caseNumber} 第${d.itemCode}项“${d.itemText}”（评查人：${d.reviewers.join('、') || '不明'}）`;

/** A unit's files under review: its drawn files (or all it submitted when nothing was drawn), and any file scored besides. */
export const unitReviewedCount = (unit: Pick<UnitFact, 'reviewedCount' | 'files'>): number =>
  Math.max(unit.reviewedCount, unit.files.length);

/** The files under review and the units they come from (the draw, not whoever has a score yet). */
export function reviewScope(campaign: Pick<CampaignFact, 'units'>): { unitCount: number; fileCount: number } {
  const units = campaign.units.filter((u) => unitReviewedCount(u) > 0);
  return { unitCount: units.length, fileCount: units.reduce((n, u) => n + unitReviewedCount(u), 0) };
}

/** The campaign as far as it is settled: only final (reconciled) results count in a 通报's figures. */
export const settledOnly = <C extends Pick<CampaignFact, 'units'>>(campaign: C): C => ({
  ...campaign,
  units: campaign.units.map((u) => ({ ...u, files: u.files.filter((f) => f.final) })),
});

/** Whether a unit's scored files show any problem to rectify (a 整改通知书 is pointless without one). */
export const hasProblems = (unit: Pick<UnitFact, 'files'>): boolean => unit.files.some((f) => f.problems.length > 0);

/** Why a unit gets no 整改通知书, in the words the letters screen and the batch export show. */
export const noRectificationReason = (unitName: string): string => `${unitName} 抽查案卷均未发现问题，不生成整改通知书。`;

/** The law each case type is reviewed against; 行政检查 and 其他 rest on the supervision rules alone. */
const LAW_OF_CASE_TYPE: Partial<Record<CaseType, string>> = {
  penalty_general: '《中华人民共和国行政处罚法》',
  penalty_simple: '《中华人民共和国行政处罚法》',
  license: '《中华人民共和国行政许可法》',
  coercive_measure: '《中华人民共和国行政强制法》',
  coercive_enforcement: '《中华人民共和国行政强制法》',
};

/** "根据…" of a letter: the laws of the case types actually reviewed, then the supervision rules. */
export function lawsCited(caseTypes: readonly CaseType[]): string {
  const ordered = [...caseTypes].sort((a, b) => CASE_TYPES.indexOf(a) - CASE_TYPES.indexOf(b));
  const laws = [...new Set(ordered.map((c) => LAW_OF_CASE_TYPE[c]).filter((l): l is string => !!l))];
  return `${laws.join('')}${laws.length ? '和' : ''}行政执法监督有关规定`;
}

/**
 * What a unit's letter says was reviewed: the draw when files were drawn ("从你单位报送的4件案卷中
 * 随机抽取2件"), else the files the unit submitted for review.
 */
export function reviewScopeText(unit: Pick<UnitFact, 'reviewedCount' | 'files' | 'submittedCount' | 'withoutDocumentCount'>): string {
  const reviewed = unitReviewedCount(unit);
  const missing = unit.withoutDocumentCount ? `（另有${unit.withoutDocumentCount}件案卷登记后未提交案卷文件，未纳入抽取范围）` : '';
  if (unit.submittedCount !== undefined && unit.submittedCount > reviewed)
    return `从你单位报送的${unit.submittedCount}件案卷中随机抽取${reviewed}件${missing}`;
  if (missing) return `对你单位报送的${reviewed}件行政执法案卷${missing}`;
  return `对你单位报送的${reviewed}件行政执法案卷`;
}
