/**
 * The nine reference standards (tests/fixtures/reference-standards, copies of
 * ../shared/domain/standards) are shipped converted in resources/standards. The conversion must
 * lose nothing: every item with its text, points, printed values, rule text, veto flag and
 * provenance; every category; every band; every other field somewhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allItems, StandardDefinitionSchema, type StandardDefinition } from '../../shared/standard/model.js';
import { forEachBlock } from '../../shared/standard/model.js';
import { errorsOf, validateDefinition } from '../../shared/standard/validate.js';
import { BUILTIN_DIR, REFERENCE_CONVERSIONS, builtinJson, convertReference, provenanceOf, readSource, type SourceStandard } from '../support/reference-standards.js';

const converted = (output: string): StandardDefinition =>
  StandardDefinitionSchema.parse(JSON.parse(fs.readFileSync(path.join(BUILTIN_DIR, output), 'utf8')));

/** Every string and number in a JSON value. */
function leaves(value: unknown, out: { strings: string[]; numbers: number[] } = { strings: [], numbers: [] }) {
  if (typeof value === 'string') out.strings.push(value);
  else if (typeof value === 'number') out.numbers.push(value);
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => leaves(v, out));
  return out;
}

describe('the nine built-in standards', () => {
  it('are exactly what the conversion produces, and there are nine of them', () => {
    expect(REFERENCE_CONVERSIONS).toHaveLength(9);
    // Beside them are the reference standards built from the statutes (tests/integration/penalty-standards.test.ts).
    expect(fs.readdirSync(BUILTIN_DIR).filter((f) => f.endsWith('.json'))).toEqual(expect.arrayContaining(REFERENCE_CONVERSIONS.map((c) => c.output)));
    for (const c of REFERENCE_CONVERSIONS) expect(fs.readFileSync(path.join(BUILTIN_DIR, c.output), 'utf8'), c.output).toBe(builtinJson(convertReference(c)));
  });

  it('keep the ids of the 行政许可 table that sheets and tests rely on', () => {
    const xk = converted('xingzheng-xuke-anjuan-pingfenbiao.json');
    expect(allItems(xk).map((i) => i.id)).toEqual([
      'xk-1', 'xk-2', 'xk-3', 'xk-4', 'xk-5', 'xk-6', 'xk-7', 'xk-8', 'xk-9', 'xk-10', 'xk-11',
      'xk-12.1', 'xk-12.2', 'xk-12.3', 'xk-12.4', 'xk-12.5', 'xk-12.6', 'xk-12.7', 'xk-12.8',
    ]);
    expect(xk.standardId).toBe('xingzheng-xuke-anjuan-pingfenbiao');
    expect(new Set(REFERENCE_CONVERSIONS.map((c) => converted(c.output).standardId)).size).toBe(9);
  });

  it('have no errors', () => {
    for (const c of REFERENCE_CONVERSIONS) expect(errorsOf(validateDefinition(converted(c.output))), c.output).toEqual([]);
  });

  for (const c of REFERENCE_CONVERSIONS) {
    describe(c.source, () => {
      const src: SourceStandard = readSource(c.source);
      const def = converted(c.output);
      const items = allItems(def);

      it('keeps every item: code, text, points, printed values, rule text, veto and provenance', () => {
        for (const s of src.categories.flatMap((cat) => cat.items)) {
          const item = items.find((i) => i.code === s.code);
          expect(item, s.code).toBeDefined();
          expect(item!.text).toBe(s.text);
          expect(item!.ruleText).toBe(s.deductionRule);
          expect(item!.rule.kind === 'veto', s.code).toBe(s.veto);
          expect(item!.provenance, s.code).toEqual(provenanceOf(s.provenance));
          if (s.points === null) {
            // Unknown in the source: still unknown, or a placeholder whose points the conversion inferred and says so.
            if (item!.points !== null) expect(item!.provenance?.kind === 'placeholder' && /inferred/.test(item!.note ?? ''), s.code).toBe(true);
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
          const asBlock = titles.some((t) => t === cat.name || t.includes(`原表类别：${cat.name}`));
          const asGate = def.gate.title === cat.name || def.gate.items.some((i) => i.category === cat.name);
          expect(asBlock || asGate, cat.name).toBe(true);
        }
      });

      it('keeps the grade bands with their provenance, and the standard’s own fields', () => {
        for (const b of src.scoring.bands) expect(def.bands).toContainEqual({ grade: b.grade, min: b.min, provenance: provenanceOf(b.provenance) });
        expect([def.name, def.source, def.completeness, def.modeText, def.total]).toEqual([src.name, src.source, src.completeness, src.scoring.mode, src.scoring.total]);
        expect([def.printedColumns, def.headerFields, def.footerFields]).toEqual([src.columns, src.header_fields, src.scoring.footer_fields]);
        for (const note of [src.scoring.total_note, src.scoring.general_standard_note, src.vetoNote].filter(Boolean)) expect(def.notes).toContain(note);
      });

      it('has every string and number of the source somewhere', () => {
        const have = leaves(def);
        const { strings, numbers } = leaves(src);
        for (const s of strings) expect(have.strings.some((h) => h.includes(s)), s).toBe(true);
        for (const n of numbers) expect(have.numbers.includes(n) || have.strings.some((h) => h.includes(String(n))), String(n)).toBe(true);
      });

      it('marks what the conversion inferred', () => {
        const own = (def.notes ?? []).filter((n) => n.startsWith('转换说明：'));
        if (c.output !== 'xingzheng-xuke-anjuan-pingfenbiao.json') expect(own.length).toBeGreaterThan(0);
        // Items the conversion added stand for missing text and say so.
        for (const item of items.filter((i) => !src.categories.some((cat) => cat.items.some((s) => s.code === i.code))))
          expect([item.provenance?.kind, item.provenance?.note]).toEqual(['placeholder', expect.stringContaining('inferred')]);
      });
    });
  }
});
