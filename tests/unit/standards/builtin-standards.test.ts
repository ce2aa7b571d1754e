/**
 * What the workstation ships in resources/standards is read by people and scored by reviewers: every
 * text they see is Chinese with no web address, every item can be scored, and a new campaign finds
 * a default standard for each case type it reviews.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { allItems, forEachBlock, StandardDefinitionSchema, type StandardDefinition } from '../../../shared/standards/model.js';
import { errorsOf, validateDefinition, warningsOf } from '../../../shared/standards/validate.js';
import { openWithCampaign } from '../../support/backend.js';
import { RESOURCES_DIR } from '../../support/temp.js';

const DIR = path.join(RESOURCES_DIR, 'standards');
const shipped: Array<{ file: string; def: StandardDefinition }> = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, def: StandardDefinitionSchema.parse(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))) }));

/** Every text of a standard a person reads (ids, codes and enum values are not read). */
function visibleTexts(def: StandardDefinition): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  const add = (where: string, text: string | undefined): void => {
    if (text) out.push({ where, text });
  };
  add('name', def.name);
  add('version', def.version);
  for (const key of ['field', 'issuer', 'region', 'source', 'completeness', 'modeText'] as const) add(key, def[key]);
  for (const n of def.notes ?? []) add('notes', n);
  for (const list of [def.printedColumns, def.headerFields, def.footerFields]) for (const c of list ?? []) add('columns', c);
  add('gate.title', def.gate.title);
  for (const b of def.bands) {
    add('band', b.grade);
    add('band provenance', b.provenance?.note);
  }
  forEachBlock(def, (b) => {
    add(`block ${b.id} title`, b.title);
    add(`block ${b.id} note`, b.note);
    add(`block ${b.id} provenance`, b.provenance?.note);
  });
  for (const i of allItems(def)) {
    add(`item ${i.id} text`, i.text);
    add(`item ${i.id} ruleText`, i.ruleText);
    add(`item ${i.id} note`, i.note);
    add(`item ${i.id} category`, i.category);
    add(`item ${i.id} basis`, i.basis);
    add(`item ${i.id} provenance`, i.provenance?.note);
  }
  return out;
}

describe('the standards shipped in resources/standards', () => {
  it('are there', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(5);
  });

  for (const { file, def } of shipped) {
    describe(file, () => {
      it('shows people Chinese only: no English word, no web address', () => {
        const english = visibleTexts(def).filter((t) => /[A-Za-z]{3,}/.test(t.text) || /https?:|www\./i.test(t.text));
        expect(english).toEqual([]);
      });

      it('has only items a reviewer can score, and no errors or warnings', () => {
        const unscoreable = allItems(def).filter(
          (i) =>
            i.provenance?.kind === 'placeholder' ||
            (i.rule.kind !== 'veto' && !i.penalty && !(typeof i.points === 'number' && i.points > 0)),
        );
        expect(unscoreable.map((i) => i.id)).toEqual([]);
        const issues = validateDefinition(def);
        expect([...errorsOf(issues), ...warningsOf(issues)].map((i) => i.message)).toEqual([]);
      });

      it('numbers its veto items the one way every shipped standard does: F1, F2 … in the 否决项 gate', () => {
        // A bureau prints one 评查表 layout for every case type: the 否决项 read F1, F2 … whichever standard.
        const vetoes = allItems(def).filter((i) => i.rule.kind === 'veto');
        expect(vetoes.map((i) => i.id)).toEqual(def.gate.items.map((i) => i.id));
        expect(def.gate.items.map((i) => i.code)).toEqual(def.gate.items.map((_, n) => `F${n + 1}`));
        if (def.gate.items.length) expect(def.gate.title).toBe('否决项');
      });
    });
  }

  it('keep the item ids that sheets already answer when only the veto codes changed', () => {
    // Answers are stored by item id: renumbering the printed codes must not orphan them.
    const penalty = shipped.find(({ def }) => def.standardId === 'xzcf-cankao-yiban')!.def;
    expect(penalty.gate.items.slice(0, 3).map((i) => [i.id, i.code])).toEqual([
      ['cfyb-0.1', 'F1'],
      ['cfyb-0.2', 'F2'],
      ['cfyb-0.3', 'F3'],
    ]);
    const simple = shipped.find(({ def }) => def.standardId === 'xzcf-cankao-jianyi')!.def;
    expect(simple.gate.items.at(-1)).toMatchObject({ id: 'cfjy-0.8', code: 'F8' });
  });

  it('the 参考评查标准 say so, and cite the article every item rests on', () => {
    const references = shipped.filter(({ def }) => def.name.includes('参考标准'));
    expect(references.map(({ def }) => def.caseTypes[0]).sort()).toEqual(
      expect.arrayContaining(['coercive_enforcement', 'coercive_measure', 'inspection', 'license']),
    );
    for (const { file, def } of references) {
      expect(def.source, file).toMatch(/^参考标准：依据《中华人民共和国.+》编制/);
      const withoutBasis = allItems(def).filter((i) => !/^《中华人民共和国.+》第.+条/.test(i.basis ?? ''));
      expect(
        withoutBasis.map((i) => i.id),
        file,
      ).toEqual([]);
    }
  });
});

describe('a new campaign', () => {
  let opened: Awaited<ReturnType<typeof openWithCampaign>>;
  beforeAll(async () => {
    opened = await openWithCampaign();
  });
  afterAll(() => opened.t.close());

  const REQUIRED: CaseType[] = ['penalty_general', 'penalty_simple', 'license', 'coercive_measure', 'coercive_enforcement', 'inspection'];

  it('scores every case type against a built-in 参考评查标准 by default', async () => {
    const campaign = await opened.admin.call('campaign:get', { campaignId: opened.campaignId });
    const byType = new Map(campaign.standards.map((s) => [s.caseType, s.standardName]));
    for (const caseType of REQUIRED) expect(byType.get(caseType) ?? '（没有默认标准）', caseType).toMatch(/案卷评查参考标准/);
    expect(byType.get('coercive_measure')).toBe('行政强制措施案卷评查参考标准');
    expect(byType.get('coercive_enforcement')).toBe('行政强制执行案卷评查参考标准');
    expect(byType.get('inspection')).toBe('行政检查案卷评查参考标准');
    expect(byType.get('license')).toBe('行政许可案卷评查参考标准');
  });
});
