/**
 * 随机抽取: deterministic for a seed, independent of input order, recomputable from the written
 * description with another SM3 implementation (Node's OpenSSL), and uniform — checked with chi-square
 * tests over many fixed seeds (fixed, so the test cannot flake; α = 0.001).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { normaliseSeed, SeedSchema } from '../../../shared/panel/panel.js';
import { canonicalPool, drawFromPool, drawRuleText, poolDigest, type PoolEntry } from '../../../shared/panel/draw.js';
import { SeededStream } from '../../../shared/panel/random.js';

const entry = (unitName: string, caseType: CaseType, n: number): PoolEntry => ({
  caseId: `${unitName}-${caseType}-${n}`,
  unitName,
  caseType,
  caseNumberKey: `${unitName.slice(0, 2)}罚〔2025〕${n}号`,
});

function pool(): PoolEntry[] {
  const out: PoolEntry[] = [];
  for (let i = 1; i <= 9; i++) out.push(entry('某县市场监督管理局', 'penalty_general', i));
  for (let i = 1; i <= 3; i++) out.push(entry('某县市场监督管理局', 'license', i));
  for (let i = 1; i <= 6; i++) out.push(entry('某县公安局', 'penalty_general', i));
  out.push(entry('某县交通运输局', 'inspection', 1));
  return out;
}

/** The algorithm exactly as DRAW_ALGORITHM_TEXT and draw.ts describe it, on Node's own SM3. */
function referenceDraw(entries: PoolEntry[], seed: string, perGroup: number, perUnit = false): string[] {
  const sorted = canonicalPool(entries);
  const drawn: string[] = [];
  const groups = new Map<string, PoolEntry[]>();
  const keyOf = (e: PoolEntry): string => (perUnit ? e.unitName : `${e.unitName}\n${e.caseType}`);
  for (const e of sorted) groups.set(keyOf(e), [...(groups.get(keyOf(e)) ?? []), e]);
  for (const [key, group] of groups) {
    const ids = group.map((e) => e.caseId);
    if (ids.length <= perGroup) {
      drawn.push(...ids);
      continue;
    }
    let block = 0;
    let words: number[] = [];
    const word = (): number => {
      if (!words.length) {
        const digest = createHash('sm3').update(`${seed}\n${key}\n${block++}`, 'utf8').digest();
        words = Array.from({ length: 8 }, (_, i) => digest.readUInt32BE(i * 4));
      }
      return words.shift()!;
    };
    const below = (n: number): number => {
      const limit = 2 ** 32 - (2 ** 32 % n);
      for (;;) {
        const w = word();
        if (w < limit) return w % n;
      }
    };
    for (let i = 0; i < perGroup; i++) {
      const j = i + below(ids.length - i);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    drawn.push(...ids.slice(0, perGroup));
  }
  return drawn;
}

/** Upper 0.1 % points of the chi-square distribution (scipy.stats.chi2.ppf(0.999, df)). */
const CHI2_999: Record<number, number> = { 6: 22.458, 24: 51.179, 34: 65.247 };
const chiSquare = (counts: number[], expected: number): number => counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);

describe('random draw', () => {
  it('draws N per unit whatever the case type (每单位抽取 N 件), recomputable from the description', () => {
    const out = drawFromPool(pool(), { seed: '20250305', perGroup: 4, grouping: 'unit' });
    expect(out.groups.map((g) => [g.unitName, g.caseType, g.poolSize, g.drawn.length])).toEqual([
      ['某县交通运输局', null, 1, 1],
      ['某县公安局', null, 6, 4],
      ['某县市场监督管理局', null, 12, 4],
    ]);
    const ids = out.groups.flatMap((g) => g.drawn);
    expect(new Set(ids).size).toBe(9);
    expect([...ids].sort()).toEqual(referenceDraw(pool(), '20250305', 4, true).sort());
    // Per unit and per type stay what they were: the default grouping draws the same files as before.
    expect(drawFromPool(pool(), { seed: '20250305', perGroup: 3, grouping: 'unitType' })).toEqual(
      drawFromPool(pool(), { seed: '20250305', perGroup: 3 }),
    );
    expect(drawRuleText('unit', 4)).toBe('每个被评查单位随机抽取 4 件，不足 4 件的全部抽取');
    expect(drawRuleText('unitType', 2)).toBe('每个被评查单位每类案件随机抽取 2 件，不足 2 件的全部抽取');
  });

  it('draws N per unit per case type, all of a group when it has fewer', () => {
    const out = drawFromPool(pool(), { seed: '20250305', perGroup: 3 });
    expect(out.groups.map((g) => [g.unitName, g.caseType, g.poolSize, g.drawn.length])).toEqual([
      ['某县交通运输局', 'inspection', 1, 1],
      ['某县公安局', 'penalty_general', 6, 3],
      ['某县市场监督管理局', 'penalty_general', 9, 3],
      ['某县市场监督管理局', 'license', 3, 3],
    ]);
    expect(out.drawnCaseIds).toHaveLength(10);
    expect(new Set(out.drawnCaseIds).size).toBe(10);
  });

  it('is deterministic for a seed and independent of the order the pool arrives in', () => {
    const a = drawFromPool(pool(), { seed: 'A-17', perGroup: 2 });
    const shuffled = new SeededStream('any order').shuffled(pool());
    expect(drawFromPool(shuffled, { seed: 'A-17', perGroup: 2 })).toEqual(a);
    expect(drawFromPool(pool(), { seed: 'A-18', perGroup: 2 }).drawnCaseIds).not.toEqual(a.drawnCaseIds);
    // A witness typing full-width digits gets the same draw as half-width ones.
    expect(normaliseSeed(' ２０２５０３０５ ')).toBe('20250305');
    expect(drawFromPool(pool(), { seed: '２０２５０３０５', perGroup: 2 })).toEqual(
      drawFromPool(pool(), { seed: '20250305', perGroup: 2 }),
    );
    expect(SeedSchema.safeParse('   ').success).toBe(false);
  });

  it('matches an independent implementation of the documented algorithm (Node SM3)', () => {
    for (const seed of ['20250305', '见证人王某-7', 'x']) {
      for (const perGroup of [1, 2, 4]) {
        expect(drawFromPool(pool(), { seed, perGroup }).groups.flatMap((g) => g.drawn)).toEqual(referenceDraw(pool(), seed, perGroup));
      }
    }
    expect(poolDigest(pool())).toBe(
      createHash('sm3')
        .update(
          canonicalPool(pool())
            .map((e) => `${e.unitName}\t${e.caseType}\t${e.caseNumberKey}\n`)
            .join(''),
        )
        .digest('hex'),
    );
  });

  it("one unit's files never change another unit's draw", () => {
    const before = drawFromPool(pool(), { seed: 's', perGroup: 2 });
    const more = [...pool(), entry('某县公安局', 'license', 1), entry('某县应急管理局', 'penalty_general', 1)];
    const after = drawFromPool(more, { seed: 's', perGroup: 2 });
    const market = (o: typeof before) => o.groups.filter((g) => g.unitName === '某县市场监督管理局');
    expect(market(after)).toEqual(market(before));
  });

  it('is uniform: every 3-of-7 subset equally likely over 35,000 seeds (chi-square, 34 df, α = 0.001)', () => {
    const seven = Array.from({ length: 7 }, (_, i) => entry('某县公安局', 'penalty_general', i + 1));
    const subsetIndex = new Map<string, number>();
    const counts = new Array<number>(35).fill(0);
    const firstPick = new Array<number>(7).fill(0);
    const trials = 35_000;
    for (let t = 0; t < trials; t++) {
      const drawn = drawFromPool(seven, { seed: `uniform-${t}`, perGroup: 3 }).groups[0]!.drawn;
      const key = drawn.slice().sort().join('|');
      if (!subsetIndex.has(key)) subsetIndex.set(key, subsetIndex.size);
      counts[subsetIndex.get(key)!]!++;
      firstPick[seven.findIndex((e) => e.caseId === drawn[0])]!++;
    }
    expect(subsetIndex.size).toBe(35);
    const subsets = chiSquare(counts, trials / 35);
    const first = chiSquare(firstPick, trials / 7);
    console.log(
      `draw uniformity: subsets χ²=${subsets.toFixed(2)} (34 df, limit ${CHI2_999[34]}); first pick χ²=${first.toFixed(2)} (6 df, limit ${CHI2_999[6]})`,
    );
    expect(subsets).toBeLessThan(CHI2_999[34]!);
    expect(first).toBeLessThan(CHI2_999[6]!);
  });

  it('draws of different units in one draw are independent (5 × 5 contingency chi-square, 24 df, α = 0.001)', () => {
    const two = [
      ...Array.from({ length: 5 }, (_, i) => entry('甲局', 'license', i + 1)),
      ...Array.from({ length: 5 }, (_, i) => entry('乙局', 'license', i + 1)),
    ];
    const table = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
    const trials = 12_500;
    for (let t = 0; t < trials; t++) {
      const [a, b] = drawFromPool(two, { seed: `pair-${t}`, perGroup: 1 }).groups;
      table[Number(a!.drawn[0]!.split('-').pop()) - 1]![Number(b!.drawn[0]!.split('-').pop()) - 1]!++;
    }
    const stat = chiSquare(table.flat(), trials / 25);
    console.log(`draw independence: χ²=${stat.toFixed(2)} (24 df, limit ${CHI2_999[24]})`);
    expect(stat).toBeLessThan(CHI2_999[24]!);
  });
});
