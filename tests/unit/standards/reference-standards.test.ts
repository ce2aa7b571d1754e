/**
 * The nine reconstructed provincial standards (tests/fixtures/reference-standards, copies of
 * ../shared/domain/standards), converted into the project's format by
 * electron/scripts/reference-standards.ts. The near-complete 行政许可案卷评分表 ships (with the four
 * 参考评查标准 built from the statutes) in resources/standards; the partial ones serve the tests only.
 * The conversion loses nothing a person reads: every item with its text, points, printed values,
 * rule text, veto flag and provenance kind; every category; every band; and it writes Chinese only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allItems, StandardDefinitionSchema, type StandardDefinition } from '../../../shared/standards/model.js';
import { forEachBlock } from '../../../shared/standards/model.js';
import { errorsOf, validateDefinition } from '../../../shared/standards/validate.js';
import {
  BUILTIN_DIR,
  ENGLISH_WORD,
  REFERENCE_CONVERSIONS,
  builtinJson,
  builtinStandards,
  chineseText,
  convertReference,
  provenanceOf,
  readSource,
  type SourceStandard,
} from '../../../electron/scripts/reference-standards.js';

/** Every string and number in a JSON value. */
function leaves(value: unknown, out: { strings: string[]; numbers: number[] } = { strings: [], numbers: [] }) {
  if (typeof value === 'string') out.strings.push(value);
  else if (typeof value === 'number') out.numbers.push(value);
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => leaves(v, out));
  return out;
}

/** What people read of a definition: everything but ids, codes, enum values and the raw extra. */
function readTexts(def: StandardDefinition): string[] {
  const { extra: _extra, ...rest } = def;
  const out: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (typeof v === 'string') {
      if (!['format', 'standardId', 'id', 'kind', 'mode', 'effect', 'notApplicable', 'caseTypes'].includes(key)) out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(rest);
  return out;
}

describe('the built-in standards', () => {
  it('are what the script writes (the four 参考评查标准 and the 行政许可案卷评分表) beside the two 行政处罚 reference standards kept as JSON', () => {
    const all = builtinStandards();
    expect(all.map((b) => b.output).sort()).toEqual([
      'cankao-xingzheng-jiancha.json',
      'cankao-xingzheng-qiangzhi-cuoshi.json',
      'cankao-xingzheng-qiangzhi-zhixing.json',
      'cankao-xingzheng-xuke.json',
      'xingzheng-xuke-anjuan-pingfenbiao.json',
    ]);
    expect(
      fs
        .readdirSync(BUILTIN_DIR)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual([...all.map((b) => b.output), 'xzcf-cankao-jianyi.json', 'xzcf-cankao-yiban.json'].sort());
    for (const { output, definition } of all)
      expect(fs.readFileSync(path.join(BUILTIN_DIR, output), 'utf8'), output).toBe(builtinJson(definition));
  });
});

describe('the nine reconstructed standards', () => {
  const converted = (c: (typeof REFERENCE_CONVERSIONS)[number]): StandardDefinition => StandardDefinitionSchema.parse(convertReference(c));

  it('are nine, with distinct ids; only the near-complete 行政许可案卷评分表 ships', () => {
    expect(REFERENCE_CONVERSIONS).toHaveLength(9);
    expect(new Set(REFERENCE_CONVERSIONS.map((c) => converted(c).standardId)).size).toBe(9);
    expect(REFERENCE_CONVERSIONS.filter((c) => c.shipped).map((c) => c.output)).toEqual(['xingzheng-xuke-anjuan-pingfenbiao.json']);
  });

  it('keep the ids of the 行政许可 table that sheets and tests rely on', () => {
    const xk = converted(REFERENCE_CONVERSIONS[0]!);
    expect(allItems(xk).map((i) => i.id)).toEqual([
      'xk-1',
      'xk-2',
      'xk-3',
      'xk-4',
      'xk-5',
      'xk-6',
      'xk-7',
      'xk-8',
      'xk-9',
      'xk-10',
      'xk-11',
      'xk-12.1',
      'xk-12.2',
      'xk-12.3',
      'xk-12.4',
      'xk-12.5',
      'xk-12.6',
      'xk-12.7',
      'xk-12.8',
    ]);
    expect(xk.standardId).toBe('xingzheng-xuke-anjuan-pingfenbiao');
  });

  it('the shipped one has no errors (the validator refuses most of those kept as test fixtures)', () => {
    for (const c of REFERENCE_CONVERSIONS.filter((r) => r.shipped))
      expect(errorsOf(validateDefinition(converted(c))), c.output).toEqual([]);
    expect(REFERENCE_CONVERSIONS.filter((r) => !r.shipped && errorsOf(validateDefinition(converted(r))).length > 0).length).toBeGreaterThan(
      4,
    );
  });

  for (const c of REFERENCE_CONVERSIONS) {
    describe(c.source, () => {
      const src: SourceStandard = readSource(c.source);
      const def = converted(c);
      const items = allItems(def);

      it('keeps every item: code, text, points, printed values, rule text, veto and provenance', () => {
        for (const s of src.categories.flatMap((cat) => cat.items)) {
          const item = items.find((i) => i.code === s.code);
          expect(item, s.code).toBeDefined();
          expect(item!.text).toBe(chineseText(s.text));
          if (!ENGLISH_WORD.test(chineseText(s.deductionRule))) expect(item!.ruleText).toBe(chineseText(s.deductionRule));
          expect(item!.rule.kind === 'veto', s.code).toBe(s.veto);
          expect(item!.provenance?.kind, s.code).toBe(provenanceOf(s.provenance).kind);
          if (s.points === null) {
            // Unknown in the source: still unknown, or a placeholder whose points the conversion inferred and says so.
            if (item!.points !== null) expect(item!.provenance?.kind === 'placeholder' && /推定/.test(item!.note ?? ''), s.code).toBe(true);
          } else if (s.points < 0) {
            expect([item!.points, item!.penalty, item!.asPrinted?.points]).toEqual([0, true, s.points]);
          } else expect(item!.points).toBe(s.points);
          expect(item!.asPrinted?.points).toBe(s.points !== null && s.points < 0 ? s.points : s.pointsAsPrinted);
          expect(item!.asPrinted?.deduction).toBe(s.deductionAsPrinted);
        }
      });

      it('keeps every category as a block, the gate, or the items’ category', () => {
        const titles: string[] = [];
        forEachBlock(def, (b) => titles.push(b.title, ...(b.note ? [b.note] : [])));
        for (const cat of src.categories) {
          const name = chineseText(cat.name);
          const asBlock = titles.some((t) => t === name || t.includes(`原表类别：${name}`));
          const asGate = def.gate.title === name || def.gate.items.some((i) => i.category === name);
          expect(asBlock || asGate, cat.name).toBe(true);
        }
      });

      it('keeps the grade bands with their provenance, and the standard’s own fields', () => {
        for (const b of src.scoring.bands)
          expect(def.bands.find((d) => d.grade === b.grade)).toMatchObject({
            min: b.min,
            provenance: { kind: provenanceOf(b.provenance).kind },
          });
        expect([def.name, def.total]).toEqual([src.name, src.scoring.total]);
        expect(def.source).toMatch(/（(重构，非官方文本|只有计分结构，非官方文本)）$/);
        expect(def.completeness).toBeTruthy();
        expect([def.printedColumns, def.headerFields, def.footerFields]).toEqual([
          src.columns,
          src.header_fields,
          src.scoring.footer_fields,
        ]);
      });

      it('has every Chinese string and every number of the source somewhere', () => {
        const have = leaves(def);
        const { strings, numbers } = leaves({ ...src, source: undefined });
        for (const s of strings.map(chineseText).filter((t) => t && !ENGLISH_WORD.test(t)))
          expect(
            have.strings.some((h) => h.includes(s)),
            s,
          ).toBe(true);
        for (const n of numbers) expect(have.numbers.includes(n) || have.strings.some((h) => h.includes(String(n))), String(n)).toBe(true);
      });

      it('speaks Chinese only: no English word and no web address in anything a person reads', () => {
        expect(readTexts(def).filter((t) => ENGLISH_WORD.test(t) || /https?:|www\./.test(t))).toEqual([]);
      });

      it('marks what the conversion inferred', () => {
        const own = (def.notes ?? []).filter((n) => n.startsWith('转换说明：'));
        if (c.output !== 'xingzheng-xuke-anjuan-pingfenbiao.json') expect(own.length).toBeGreaterThan(0);
        // Items the conversion added stand for missing text and say so.
        for (const item of items.filter((i) => !src.categories.some((cat) => cat.items.some((s) => s.code === i.code))))
          expect([item.provenance?.kind, item.provenance?.note]).toEqual(['placeholder', expect.stringContaining('推定')]);
      });
    });
  }
});
