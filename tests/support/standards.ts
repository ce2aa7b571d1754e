/** The built-in standards as tests read them, and generators of valid random standards for property tests. */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { BlockNode, DeductionRule, ItemNode, StandardDefinition, VetoEffect } from '../../shared/standards/model.js';
import { StandardDefinitionSchema } from '../../shared/standards/model.js';
import type { Answer, Answers } from '../../shared/scoring/scoring.js';
import { BUILTIN_DIR, REFERENCE_CONVERSIONS, convertReference } from '../../electron/scripts/reference-standards.js';

const readBuiltins = (): StandardDefinition[] =>
  fs
    .readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => StandardDefinitionSchema.parse(JSON.parse(fs.readFileSync(path.join(BUILTIN_DIR, f), 'utf8'))));

/**
 * A built-in standard by id, or one of the reconstructions kept as test fixtures only (converted from
 * tests/fixtures/reference-standards): they are the shapes real standards take.
 */
export function builtin(standardId: string): StandardDefinition {
  const shipped = readBuiltins().find((d) => d.standardId === standardId);
  if (shipped) return shipped;
  for (const c of REFERENCE_CONVERSIONS) {
    const def = convertReference(c);
    if (def.standardId === standardId) return def;
  }
  throw new Error(`no built-in standard ${standardId}`);
}

/** Every standard in resources/standards. */
export function allBuiltins(): StandardDefinition[] {
  return readBuiltins();
}

// ── random standards that pass the validator ────────────────────────────────────────────────────

const half = (max: number) => fc.integer({ min: 1, max: max * 2 }).map((n) => n / 2);

/** A rule that fits an item of `points` points. */
function ruleFor(points: number): fc.Arbitrary<DeductionRule> {
  return fc.oneof(
    fc.constant<DeductionRule>({ kind: 'full' }),
    half(points).map((amount): DeductionRule => ({ kind: 'fixed', amount })),
    half(points).map((amount): DeductionRule => ({ kind: 'perOccurrence', amount })),
    fc.tuple(fc.integer({ min: 1, max: points * 2 }), fc.integer({ min: 0, max: points * 2 })).map(([a, b]): DeductionRule => {
      const lo = Math.min(a, b) / 2 || 0.5;
      const hi = Math.max(a, b) / 2;
      return { kind: 'range', min: lo, max: Math.max(lo, hi), step: 0.5 };
    }),
  );
}

let counter = 0;
const nextId = (p: string): string => `${p}${++counter}`;

const itemArb: fc.Arbitrary<ItemNode> = fc
  .integer({ min: 1, max: 10 })
  .chain((points) =>
    fc.tuple(fc.constant(points), ruleFor(points), fc.constantFrom<ItemNode['notApplicable']>(undefined, 'award', 'exclude')),
  )
  .map(([points, rule, notApplicable]) => {
    const id = nextId('i');
    return { kind: 'item', id, code: id, text: `项目${id}`, points, rule, ruleText: '', ...(notApplicable ? { notApplicable } : {}) };
  });

const penaltyArb: fc.Arbitrary<ItemNode> = fc
  .oneof(
    fc.integer({ min: 1, max: 6 }).map((n): DeductionRule => ({ kind: 'perOccurrence', amount: n / 2 })),
    fc.integer({ min: 1, max: 20 }).map((n): DeductionRule => ({ kind: 'range', min: 0.5, max: n / 2 + 0.5, step: 0.5 })),
  )
  .map((rule) => {
    const id = nextId('p');
    return { kind: 'item', id, code: id, text: `扣分项${id}`, points: 0, rule, ruleText: '', penalty: true };
  });

/** A block whose points are exactly what its children add up to (or a normalised block of any size). */
function blockArb(depth: number): fc.Arbitrary<BlockNode> {
  const children: fc.Arbitrary<Array<BlockNode | ItemNode>> =
    depth > 0
      ? fc.array(fc.oneof({ weight: 3, arbitrary: itemArb }, { weight: 1, arbitrary: blockArb(depth - 1) }), { minLength: 1, maxLength: 5 })
      : fc.array(itemArb, { minLength: 1, maxLength: 5 });
  return fc
    .tuple(children, fc.boolean(), fc.option(penaltyArb, { nil: undefined }), fc.boolean(), fc.integer({ min: 5, max: 60 }))
    .map(([kids, floor, penalty, normalise, scaled]) => {
      const sum = kids.reduce((s, k) => s + (k.kind === 'block' ? k.points : (k.points ?? 0)), 0);
      const id = nextId('b');
      return {
        kind: 'block',
        id,
        title: `类别${id}`,
        points: normalise ? scaled : sum,
        floor,
        normalise,
        children: penalty ? [...kids, penalty] : kids,
      };
    });
}

export const definitionArb: fc.Arbitrary<StandardDefinition> = fc
  .tuple(
    fc.array(blockArb(2), { minLength: 1, maxLength: 4 }),
    fc.array(fc.constant(null), { maxLength: 3 }),
    fc.constantFrom<VetoEffect>('zeroAndFail', 'failAndStop', 'zeroGateAndFail'),
    fc.integer({ min: 0, max: 50 }),
  )
  .map(([blocks, gateSlots, effect, gatePointsRaw]) => {
    const gatePoints = effect === 'zeroGateAndFail' ? gatePointsRaw : 0;
    const gateItems: ItemNode[] = gateSlots.map(() => {
      const id = nextId('v');
      return { kind: 'item', id, code: id, text: `否决${id}`, points: 0, rule: { kind: 'veto' }, ruleText: '' };
    });
    const total = blocks.reduce((s, b) => s + b.points, gatePoints);
    return {
      format: 'pingcha-standard/1',
      standardId: 'random',
      name: '随机标准',
      version: '1',
      caseTypes: ['penalty_general'],
      total,
      mode: 'additive',
      gate: { title: '否决项', points: gatePoints, items: gateItems },
      veto: { effect },
      blocks,
      bands: [
        { grade: '优秀', min: Math.round(total * 0.9 * 100) / 100 },
        { grade: '合格', min: Math.round(total * 0.6 * 100) / 100 },
        { grade: '不合格', min: 0 },
      ],
      failGrade: '不合格',
    } satisfies StandardDefinition;
  });

/** Any answer an item could be given through the sheet (the scoring must cope with all of them). */
export function answerArb(item: ItemNode): fc.Arbitrary<Answer> {
  const r = item.rule;
  const options: Array<fc.Arbitrary<Answer>> = [fc.constant<Answer>({ status: 'pass' })];
  if (r.kind === 'veto') options.push(fc.constant<Answer>({ status: 'veto', comment: '否决理由' }));
  else {
    if (item.notApplicable) options.push(fc.constant<Answer>({ status: 'na' }));
    if (r.kind === 'perOccurrence')
      options.push(fc.integer({ min: 1, max: 30 }).map((occurrences): Answer => ({ status: 'deduct', occurrences })));
    else if (r.kind === 'range') options.push(fc.integer({ min: 0, max: 80 }).map((k): Answer => ({ status: 'deduct', deduction: k / 4 })));
    else options.push(fc.constant<Answer>({ status: 'deduct' }));
  }
  return fc.oneof(...options);
}

export function answersArb(items: ItemNode[]): fc.Arbitrary<Answers> {
  return fc.tuple(...items.map((item) => fc.option(answerArb(item), { nil: undefined }))).map((answers) => {
    const out: Answers = {};
    answers.forEach((a, i) => {
      if (a) out[items[i]!.id] = a;
    });
    return out;
  });
}
