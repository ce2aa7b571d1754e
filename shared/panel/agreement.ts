/**
 * How far the panel reads the standard the same way, over a campaign: per item and per reviewer,
 * the share of agreeing readings, the mean absolute difference in points, and Krippendorff's alpha
 * (the inter-rater coefficient that tolerates any number of raters and missing ratings).
 */
import { allItems, type ItemNode, type StandardDefinition } from '../standards/model.js';
import type { Answers } from '../scoring/scoring.js';
import { answerKey, answerPoints } from './divergence.js';

export type AlphaMetric = 'nominal' | 'interval';

/**
 * Files read by two or more reviewers needed before alpha is shown: with fewer, one odd file swings
 * the coefficient anywhere between −1 and 1, and a lead would act on noise.
 */
export const AGREEMENT_MIN_FILES = 5;

/**
 * Krippendorff's alpha = 1 − D_o / D_e over units (here: one file × one item), each holding the
 * values its raters gave. Units with fewer than two values are not pairable and are left out.
 * Returns null when it is undefined: fewer than two pairable values, or no variation at all
 * (every value the same, so nothing can be disagreed about).
 *
 * Computed in linear time from sums: within a set of values, the sum over ordered pairs i≠j of
 * δ(v_i, v_j) is n² − Σ n_c² for the nominal metric (n_c = count of value c) and
 * 2·n·Σv² − 2·(Σv)² for the interval metric (δ = squared difference).
 */
export function krippendorffAlpha(units: ReadonlyArray<ReadonlyArray<number | string>>, metric: AlphaMetric): number | null {
  const pairable = units.filter((u) => u.length >= 2);
  const pairSum = (values: ReadonlyArray<number | string>): number => {
    const n = values.length;
    if (metric === 'nominal') {
      const counts = new Map<string, number>();
      for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      let sq = 0;
      for (const c of counts.values()) sq += c * c;
      return n * n - sq;
    }
    let sum = 0;
    let sumSq = 0;
    for (const v of values) {
      const x = Number(v);
      sum += x;
      sumSq += x * x;
    }
    return 2 * n * sumSq - 2 * sum * sum;
  };
  const pooled = pairable.flat();
  const n = pooled.length;
  if (n < 2) return null;
  let observed = 0;
  for (const u of pairable) observed += pairSum(u) / (u.length - 1);
  const dO = observed / n;
  const dE = pairSum(pooled) / (n * (n - 1));
  if (dE <= 1e-12) return null;
  return 1 - dO / dE;
}

/** One file of the campaign: its standard, the delivered sheets and, once settled, the agreed answers. */
export interface RatedFile {
  fileId: string;
  /** Stable identity of the standard version (items are compared within a version). */
  versionId: string;
  definition: StandardDefinition;
  ratings: ReadonlyArray<{ raterId: string; answers: Answers }>;
  final: Answers | null;
}

export interface ItemAgreement {
  versionId: string;
  itemId: string;
  code: string;
  text: string;
  /** Files on which at least two reviewers rated the item. */
  files: number;
  /** Share of those files where every reviewer read the item the same way. */
  agreeShare: number | null;
  /** Mean over files of the mean absolute pairwise difference in points taken. */
  meanAbsDiff: number | null;
  /** Interval alpha on the points taken (nominal for veto items); null when undefined. */
  alpha: number | null;
}

export interface RaterAgreement {
  raterId: string;
  /** Files this reviewer rated together with someone else. */
  files: number;
  /** Item comparisons with another reviewer on the same file. */
  comparisons: number;
  /** Share of those comparisons that agreed. */
  agreeShare: number | null;
  meanAbsDiff: number | null;
  /** Items compared with the final (agreed) answers of settled files. */
  finalComparisons: number;
  finalAgreeShare: number | null;
  finalMeanAbsDiff: number | null;
}

export interface AgreementReport {
  /** Files with at least two delivered sheets. */
  files: number;
  /** Files with two or more sheets needed before any alpha is given (campaign-wide and per item). */
  minFiles: number;
  /** Item × file units with at least two ratings. */
  units: number;
  agreeShare: number | null;
  meanAbsDiff: number | null;
  /** Alpha over all units: on the reading of each item (nominal) and on the points taken (interval). */
  alphaNominal: number | null;
  alphaInterval: number | null;
  items: ItemAgreement[];
  raters: RaterAgreement[];
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

interface RaterAcc {
  files: Set<string>;
  agree: number;
  diffs: number[];
  finalAgree: number;
  finalDiffs: number[];
}

export function agreementReport(files: readonly RatedFile[], options: { minFiles?: number } = {}): AgreementReport {
  const minFiles = options.minFiles ?? AGREEMENT_MIN_FILES;
  const multi = files.filter((f) => f.ratings.length >= 2);
  const itemAcc = new Map<
    string,
    { item: ItemNode; versionId: string; agree: number; files: number; diffs: number[]; units: Array<Array<number | string>> }
  >();
  const raters = new Map<string, RaterAcc>();
  const rater = (id: string): RaterAcc => {
    let r = raters.get(id);
    if (!r) raters.set(id, (r = { files: new Set(), agree: 0, diffs: [], finalAgree: 0, finalDiffs: [] }));
    return r;
  };
  const allNominal: string[][] = [];
  const allInterval: number[][] = [];
  let unitAgree = 0;
  const unitDiffs: number[] = [];

  for (const f of files) {
    const items = allItems(f.definition);
    if (f.ratings.length < 2) continue;
    // Against the final answers only where several sheets were settled: a single sheet settled as
    // it stands agrees with itself and would only inflate the figure.
    if (f.final) {
      for (const { raterId, answers } of f.ratings) {
        const r = rater(raterId);
        for (const item of items) {
          const same = answerKey(item, answers[item.id]) === answerKey(item, f.final[item.id]);
          if (same) r.finalAgree++;
          r.finalDiffs.push(Math.abs(answerPoints(item, answers[item.id]) - answerPoints(item, f.final[item.id])));
        }
      }
    }
    for (const { raterId } of f.ratings) rater(raterId).files.add(f.fileId);
    for (const item of items) {
      const key = `${f.versionId}\u0000${item.id}`;
      let acc = itemAcc.get(key);
      if (!acc) itemAcc.set(key, (acc = { item, versionId: f.versionId, agree: 0, files: 0, diffs: [], units: [] }));
      const keys = f.ratings.map((r) => answerKey(item, r.answers[item.id]));
      const points = f.ratings.map((r) => answerPoints(item, r.answers[item.id]));
      const agreeAll = new Set(keys).size === 1;
      const pairDiffs: number[] = [];
      for (let i = 0; i < f.ratings.length; i++) {
        for (let j = 0; j < f.ratings.length; j++) {
          if (i === j) continue;
          const d = Math.abs(points[i]! - points[j]!);
          if (j > i) pairDiffs.push(d);
          const r = rater(f.ratings[i]!.raterId);
          if (keys[i] === keys[j]) r.agree++;
          r.diffs.push(d);
        }
      }
      acc.files++;
      if (agreeAll) acc.agree++;
      acc.diffs.push(mean(pairDiffs)!);
      acc.units.push(item.rule.kind === 'veto' ? keys : points);
      allNominal.push(keys);
      if (item.rule.kind !== 'veto') allInterval.push(points);
      if (agreeAll) unitAgree++;
      unitDiffs.push(mean(pairDiffs)!);
    }
  }

  const items: ItemAgreement[] = [...itemAcc.values()].map((a) => ({
    versionId: a.versionId,
    itemId: a.item.id,
    code: a.item.code,
    text: a.item.text,
    files: a.files,
    agreeShare: a.files ? a.agree / a.files : null,
    meanAbsDiff: mean(a.diffs),
    alpha: a.files >= minFiles ? krippendorffAlpha(a.units, a.item.rule.kind === 'veto' ? 'nominal' : 'interval') : null,
  }));
  const enough = multi.length >= minFiles;

  return {
    files: multi.length,
    minFiles,
    units: allNominal.length,
    agreeShare: allNominal.length ? unitAgree / allNominal.length : null,
    meanAbsDiff: mean(unitDiffs),
    alphaNominal: enough ? krippendorffAlpha(allNominal, 'nominal') : null,
    alphaInterval: enough ? krippendorffAlpha(allInterval, 'interval') : null,
    items,
    raters: [...raters.entries()].map(([raterId, r]) => ({
      raterId,
      files: r.files.size,
      comparisons: r.diffs.length,
      agreeShare: r.diffs.length ? r.agree / r.diffs.length : null,
      meanAbsDiff: mean(r.diffs),
      finalComparisons: r.finalDiffs.length,
      finalAgreeShare: r.finalDiffs.length ? r.finalAgree / r.finalDiffs.length : null,
      finalMeanAbsDiff: mean(r.finalDiffs),
    })),
  };
}
