/**
 * How far the panel reads the standard the same way, over a campaign: per item and per reviewer,
 * the share of agreeing readings, the mean absolute difference in points, and Krippendorff's alpha
 * (the inter-rater coefficient that tolerates any number of raters and missing ratings).
 */
import { z } from 'zod';
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

/**
 * Every figure of the report is a sum over files, so a file's part can be added and later taken
 * away again: the workstation keeps a campaign's sums and changes them by the parts of the files a
 * change touched, instead of reading every answer of every file for the screen.
 */
export interface ItemSums {
  versionId: string;
  itemId: string;
  veto: boolean;
  /** Files (units) on which at least two reviewers rated the item, and those read alike by all. */
  files: number;
  agree: number;
  /** Σ over files of the mean absolute pairwise difference. */
  diffSum: number;
  /** Σ over units of the within-unit pair sum / (n − 1), for the nominal and the interval metric. */
  obsNominal: number;
  obsInterval: number;
  /** Ratings pooled (Σ n), their Σ points and Σ points², and how often each reading occurs. */
  values: number;
  sumV: number;
  sumV2: number;
  keys: Record<string, number>;
}

export interface RaterSums {
  raterId: string;
  files: number;
  comparisons: number;
  agree: number;
  diffSum: number;
  finalComparisons: number;
  finalAgree: number;
  finalDiffSum: number;
}

export interface AgreementSums {
  /** Files with at least two delivered sheets. */
  files: number;
  items: Record<string, ItemSums>;
  raters: Record<string, RaterSums>;
}

export const emptySums = (): AgreementSums => ({ files: 0, items: {}, raters: {} });

/** The sums as a campaign keeps them between refreshes. */
export const AgreementSumsSchema = z.object({
  files: z.number(),
  items: z.record(
    z.string(),
    z.object({
      versionId: z.string(),
      itemId: z.string(),
      veto: z.boolean(),
      files: z.number(),
      agree: z.number(),
      diffSum: z.number(),
      obsNominal: z.number(),
      obsInterval: z.number(),
      values: z.number(),
      sumV: z.number(),
      sumV2: z.number(),
      keys: z.record(z.string(), z.number()),
    }),
  ),
  raters: z.record(
    z.string(),
    z.object({
      raterId: z.string(),
      files: z.number(),
      comparisons: z.number(),
      agree: z.number(),
      diffSum: z.number(),
      finalComparisons: z.number(),
      finalAgree: z.number(),
      finalDiffSum: z.number(),
    }),
  ),
}) satisfies z.ZodType<AgreementSums>;

const ITEM_FIGURES = ['files', 'agree', 'diffSum', 'obsNominal', 'obsInterval', 'values', 'sumV', 'sumV2'] as const;
const RATER_FIGURES = ['files', 'comparisons', 'agree', 'diffSum', 'finalComparisons', 'finalAgree', 'finalDiffSum'] as const;
const zeroRater = (raterId: string): RaterSums => ({
  raterId,
  ...(Object.fromEntries(RATER_FIGURES.map((k) => [k, 0])) as Omit<RaterSums, 'raterId'>),
});

const itemKey = (versionId: string, itemId: string): string => `${versionId}\u0000${itemId}`;

const nominalPairSum = (values: readonly string[]): number => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let sq = 0;
  for (const c of counts.values()) sq += c * c;
  return values.length * values.length - sq;
};

const intervalPairSum = (values: readonly number[]): number => {
  let sum = 0;
  let sumSq = 0;
  for (const x of values) {
    sum += x;
    sumSq += x * x;
  }
  return 2 * values.length * sumSq - 2 * sum * sum;
};

/** One file's part of the campaign's sums (nothing when fewer than two reviewers delivered). */
export function fileAgreementSums(f: RatedFile): AgreementSums {
  const out = emptySums();
  if (f.ratings.length < 2) return out;
  out.files = 1;
  const items = allItems(f.definition);
  const rater = (id: string): RaterSums => (out.raters[id] ??= zeroRater(id));
  // Against the final answers only where several sheets were settled: a single sheet settled as
  // it stands agrees with itself and would only inflate the figure.
  if (f.final) {
    for (const { raterId, answers } of f.ratings) {
      const r = rater(raterId);
      for (const item of items) {
        if (answerKey(item, answers[item.id]) === answerKey(item, f.final[item.id])) r.finalAgree++;
        r.finalComparisons++;
        r.finalDiffSum += Math.abs(answerPoints(item, answers[item.id]) - answerPoints(item, f.final[item.id]));
      }
    }
  }
  for (const id of new Set(f.ratings.map((r) => r.raterId))) rater(id).files++;
  const n = f.ratings.length;
  for (const item of items) {
    const veto = item.rule.kind === 'veto';
    const keys = f.ratings.map((r) => answerKey(item, r.answers[item.id]));
    const points = f.ratings.map((r) => answerPoints(item, r.answers[item.id]));
    let pairDiffSum = 0;
    for (let i = 0; i < n; i++) {
      const r = rater(f.ratings[i]!.raterId);
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const d = Math.abs(points[i]! - points[j]!);
        if (j > i) pairDiffSum += d;
        if (keys[i] === keys[j]) r.agree++;
        r.comparisons++;
        r.diffSum += d;
      }
    }
    const counts: Record<string, number> = {};
    for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
    out.items[itemKey(f.versionId, item.id)] = {
      versionId: f.versionId,
      itemId: item.id,
      veto,
      files: 1,
      agree: new Set(keys).size === 1 ? 1 : 0,
      diffSum: pairDiffSum / ((n * (n - 1)) / 2),
      obsNominal: nominalPairSum(keys) / (n - 1),
      obsInterval: veto ? 0 : intervalPairSum(points) / (n - 1),
      values: n,
      sumV: veto ? 0 : points.reduce((a, b) => a + b, 0),
      sumV2: veto ? 0 : points.reduce((a, b) => a + b * b, 0),
      keys: counts,
    };
  }
  return out;
}

/** Adds (sign 1) or takes away (sign −1) a part (a difference of parts may hold negative figures). */
export function addSums(into: AgreementSums, part: AgreementSums, sign: 1 | -1): AgreementSums {
  into.files += sign * part.files;
  for (const [key, p] of Object.entries(part.items)) {
    const t = (into.items[key] ??= { ...p, ...Object.fromEntries(ITEM_FIGURES.map((k) => [k, 0])), keys: {} });
    for (const k of ITEM_FIGURES) t[k] += sign * p[k];
    for (const [k, c] of Object.entries(p.keys)) {
      const next = (t.keys[k] ?? 0) + sign * c;
      if (next) t.keys[k] = next;
      else delete t.keys[k];
    }
  }
  for (const [id, p] of Object.entries(part.raters)) {
    const t = (into.raters[id] ??= zeroRater(id));
    for (const k of RATER_FIGURES) t[k] += sign * p[k];
  }
  return into;
}

/** Drops the items and reviewers no file counts any more (their files taken away). */
export function pruneSums(sums: AgreementSums): AgreementSums {
  for (const [key, t] of Object.entries(sums.items)) if (t.files <= 0) delete sums.items[key];
  for (const [id, t] of Object.entries(sums.raters)) if (t.files <= 0) delete sums.raters[id];
  return sums;
}

/** Alpha from pooled sums: 1 − D_o / D_e, null when undefined (as krippendorffAlpha). */
function alphaFromSums(n: number, observed: number, pooledPairSum: number): number | null {
  if (n < 2) return null;
  const dE = pooledPairSum / (n * (n - 1));
  if (dE <= 1e-12) return null;
  return 1 - observed / n / dE;
}

const nominalPooled = (n: number, keys: Record<string, number>): number => n * n - Object.values(keys).reduce((a, c) => a + c * c, 0);
const intervalPooled = (n: number, sumV: number, sumV2: number): number => 2 * n * sumV2 - 2 * sumV * sumV;
const share = (part: number, whole: number): number | null => (whole ? part / whole : null);

/**
 * The report from a campaign's sums; `describe` names an item of a standard version. Items follow
 * their standard's order, standards and reviewers in the order given by `versionOrder` / first seen.
 */
export function reportFromSums(
  sums: AgreementSums,
  describe: (versionId: string, itemId: string) => { code: string; text: string; order: number },
  options: { minFiles?: number } = {},
): AgreementReport {
  const minFiles = options.minFiles ?? AGREEMENT_MIN_FILES;
  const list = Object.values(sums.items).filter((a) => a.files > 0);
  const named = list.map((a) => ({ a, d: describe(a.versionId, a.itemId) }));
  named.sort((x, y) => (x.a.versionId === y.a.versionId ? x.d.order - y.d.order : x.a.versionId < y.a.versionId ? -1 : 1));
  let units = 0;
  let agree = 0;
  let diffSum = 0;
  let nomN = 0;
  let nomObs = 0;
  const nomKeys: Record<string, number> = {};
  let intN = 0;
  let intObs = 0;
  let intSum = 0;
  let intSum2 = 0;
  for (const a of list) {
    units += a.files;
    agree += a.agree;
    diffSum += a.diffSum;
    nomN += a.values;
    nomObs += a.obsNominal;
    for (const [k, c] of Object.entries(a.keys)) nomKeys[k] = (nomKeys[k] ?? 0) + c;
    if (!a.veto) {
      intN += a.values;
      intObs += a.obsInterval;
      intSum += a.sumV;
      intSum2 += a.sumV2;
    }
  }
  const enough = sums.files >= minFiles;
  return {
    files: sums.files,
    minFiles,
    units,
    agreeShare: share(agree, units),
    meanAbsDiff: share(diffSum, units),
    alphaNominal: enough ? alphaFromSums(nomN, nomObs, nominalPooled(nomN, nomKeys)) : null,
    alphaInterval: enough ? alphaFromSums(intN, intObs, intervalPooled(intN, intSum, intSum2)) : null,
    items: named.map(({ a, d }) => ({
      versionId: a.versionId,
      itemId: a.itemId,
      code: d.code,
      text: d.text,
      files: a.files,
      agreeShare: share(a.agree, a.files),
      meanAbsDiff: share(a.diffSum, a.files),
      alpha:
        a.files >= minFiles
          ? a.veto
            ? alphaFromSums(a.values, a.obsNominal, nominalPooled(a.values, a.keys))
            : alphaFromSums(a.values, a.obsInterval, intervalPooled(a.values, a.sumV, a.sumV2))
          : null,
    })),
    raters: Object.values(sums.raters)
      .filter((r) => r.files > 0)
      .map((r) => ({
        raterId: r.raterId,
        files: r.files,
        comparisons: r.comparisons,
        agreeShare: share(r.agree, r.comparisons),
        meanAbsDiff: share(r.diffSum, r.comparisons),
        finalComparisons: r.finalComparisons,
        finalAgreeShare: share(r.finalAgree, r.finalComparisons),
        finalMeanAbsDiff: share(r.finalDiffSum, r.finalComparisons),
      })),
  };
}

/** A describe function over the standard versions the files use. */
export function describeFrom(definitions: ReadonlyMap<string, StandardDefinition>) {
  const index = new Map<string, { code: string; text: string; order: number }>();
  for (const [versionId, def] of definitions)
    allItems(def).forEach((item: ItemNode, order) => index.set(itemKey(versionId, item.id), { code: item.code, text: item.text, order }));
  return (versionId: string, itemId: string) =>
    index.get(itemKey(versionId, itemId)) ?? { code: '', text: '', order: Number.MAX_SAFE_INTEGER };
}

export function agreementReport(files: readonly RatedFile[], options: { minFiles?: number } = {}): AgreementReport {
  const total = emptySums();
  const definitions = new Map<string, StandardDefinition>();
  for (const f of files) {
    definitions.set(f.versionId, f.definition);
    addSums(total, fileAgreementSums(f), 1);
  }
  return reportFromSums(total, describeFrom(definitions), options);
}
