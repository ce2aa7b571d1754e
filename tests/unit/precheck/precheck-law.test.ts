/**
 * The pre-check cites the law of the file and lands on the score sheet: every rule, for every case type
 * it applies to, cites the law that type follows (行政处罚法, 行政许可法, 行政强制法; 档案法 for filing a
 * 案卷) and suggests items that exist in every shipped standard of that type. 当场处罚 by one officer is
 * quiet only where a law allows it (道路交通安全法 art. 107), never in the 一般程序 (行政处罚法 art. 42).
 */
import { describe, expect, it } from 'vitest';
import { CASE_TYPES, type CaseType } from '../../../shared/campaigns/case-types.js';
import { runPrecheck, type Finding } from '../../../shared/precheck/engine.js';
import {
  DEFAULT_STANDARD,
  LAW_OF_TYPE,
  PRECHECK_RULES,
  RULE_CODES,
  SHIPPED_STANDARDS,
  itemsOf,
  type RuleCode,
} from '../../../shared/precheck/rules.js';
import { allItems } from '../../../shared/standards/tree.js';
import { addWorkingDays, dossierFixture, type DossierTruth } from '../../support/dossiers/index.js';
import { allBuiltins } from '../../support/standards.js';

/** Rules about filing the 案卷 itself, which 档案法 governs whatever the file is about. */
const FILING_RULES: ReadonlySet<RuleCode> = new Set(['page_numbers_missing', 'catalogue_mismatch']);
const LAWS = [...new Set(Object.values(LAW_OF_TYPE))];
const statuteOf = (code: RuleCode, type: CaseType): string => PRECHECK_RULES[code].statuteByType?.[type] ?? PRECHECK_RULES[code].statute;
const cnDate = (iso: string): string => `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;

/** The law a statute may cite on a file of this type: its own, or 档案法 for a filing rule. */
function expectLawOfType(code: RuleCode, type: CaseType, statute: string): void {
  const own = LAW_OF_TYPE[type];
  const others = LAWS.filter((l) => l !== own);
  const where = `${code} × ${type}: ${statute}`;
  if (own)
    expect(statute.includes(`《${own}》`) || (FILING_RULES.has(code) && statute.includes('《中华人民共和国档案法》')), where).toBe(true);
  else expect(FILING_RULES.has(code) && statute.startsWith('《中华人民共和国档案法》'), where).toBe(true);
  for (const law of others) expect(statute, where).not.toContain(`《${law}》`);
  expect(statute, where).toMatch(/第[一二三四五六七八九十百]+条/);
}

describe('every rule cites the law of the file it is run on', () => {
  it('each rule × each case type it applies to names an article of the law that type follows', () => {
    let pairs = 0;
    for (const code of RULE_CODES) {
      const r = PRECHECK_RULES[code];
      expect(r.title).toMatch(/[\u4e00-\u9fa5]/);
      for (const type of r.caseTypes) {
        expectLawOfType(code, type, statuteOf(code, type));
        pairs++;
      }
      // A statute written for a type the rule does not run on would never be shown: a sign of a slip.
      for (const type of Object.keys(r.statuteByType ?? {})) expect(r.caseTypes, `${code} ${type}`).toContain(type);
    }
    // The filing rules run on every kind of file, the others at least on penalties.
    expect(pairs).toBeGreaterThanOrEqual(RULE_CODES.length + 2 * CASE_TYPES.length);
    expect(PRECHECK_RULES.party_inconsistent.caseTypes).toEqual(expect.arrayContaining(['license', 'coercive_measure']));
    expect(PRECHECK_RULES.service_receipt_unsigned.caseTypes).toEqual(expect.arrayContaining(['license', 'coercive_measure']));
  });

  it('a 许可 or 强制 file of the realistic fixtures gets findings citing 行政许可法 or 行政强制法, never 行政处罚法', async () => {
    const cases: Array<{ type: CaseType; law: string; rules: RuleCode[] }> = [
      { type: 'license', law: '行政许可法', rules: ['service_receipt_unsigned', 'party_inconsistent'] },
      { type: 'coercive_measure', law: '行政强制法', rules: ['service_receipt_unsigned', 'party_inconsistent', 'single_officer'] },
    ];
    for (const c of cases) {
      const { truth } = await dossierFixture({ caseType: c.type, defects: ['service_receipt_unsigned', 'single_officer'] });
      // The receipt names another party than the rest of the file.
      const receipt = truth.documents.find((d) => d.type === 'service_receipt')!.firstPage - 1;
      const texts = truth.pages.map((p, i) =>
        i === receipt ? p.text.replace(`受送达人\n${truth.facts.party.name}`, '受送达人\n江州某某贸易有限公司') : p.text,
      );
      const r = runPrecheck(texts);
      expect(r.caseType).toBe(c.type);
      for (const rule of c.rules) {
        const found = r.findings.filter((f) => f.rule === rule);
        expect(found.length, `${c.type} ${rule}`).toBeGreaterThan(0);
        for (const f of found) {
          expect(f.statute, `${c.type} ${rule}`).toContain(c.law);
          expect(f.statute, `${c.type} ${rule}`).not.toContain('行政处罚法');
        }
      }
      // Every finding on these files, whatever its rule.
      for (const f of r.findings) expectLawOfType(f.rule, c.type, f.statute);
    }
  }, 60_000);
});

describe('every finding lands on an item of the standard the file is scored on', () => {
  const standards = allBuiltins();

  it('the rule data covers exactly the shipped standards, and each type defaults to one of its own', () => {
    expect([...SHIPPED_STANDARDS].sort()).toEqual(standards.map((s) => s.standardId).sort());
    for (const [type, id] of Object.entries(DEFAULT_STANDARD))
      expect(standards.find((s) => s.standardId === id)!.caseTypes, `${type} → ${id}`).toContain(type);
  });

  it('for every shipped standard, every rule that runs on its case types maps to items it has', () => {
    let checked = 0;
    for (const s of standards) {
      const ids = new Set(allItems(s).map((i) => i.id));
      for (const code of RULE_CODES) {
        const r = PRECHECK_RULES[code];
        const applies = s.caseTypes.some((t) => r.caseTypes.includes(t));
        const items = r.items[s.standardId as (typeof SHIPPED_STANDARDS)[number]] ?? [];
        if (applies) expect(items.length, `${s.standardId} has no item for ${code}`).toBeGreaterThan(0);
        for (const item of items) expect(ids.has(item), `${code} → ${s.standardId} ${item}`).toBe(true);
        // The engine, told the file is scored on this standard, suggests one of its items.
        for (const t of s.caseTypes.filter((x) => r.caseTypes.includes(x))) {
          expect(ids.has(itemsOf(r, s.standardId, t)[0] ?? ''), `${code} × ${t} on ${s.standardId}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('a 许可 file scored on the 行政许可案卷评分表 gets that table’s items, on the reference standard its own', async () => {
    const { truth } = await dossierFixture({ caseType: 'license', defects: ['service_receipt_unsigned'] });
    const texts = truth.pages.map((p) => p.text);
    const itemOf = (standardId?: string): string | undefined =>
      runPrecheck(texts, { standardId }).findings.find((f) => f.rule === 'service_receipt_unsigned')?.item;
    expect(itemOf('xingzheng-xuke-anjuan-pingfenbiao')).toBe('xk-11');
    expect(itemOf('cankao-xingzheng-xuke')).toBe('ckxk-4.4');
    // A bureau's own standard (not shipped): the reference standard of the type.
    expect(itemOf('江州省许可评查标准')).toBe('ckxk-4.4');
    expect(itemOf()).toBe('ckxk-4.4');
  }, 60_000);
});

describe('行政许可法 arts. 44 and 82: a 许可证件 served within 十日 (working days)', () => {
  /** The license file's receipt dated `days` working days after the decision. */
  function servedAfter(truth: DossierTruth, days: number): string[] {
    const receipt = truth.documents.find((d) => d.type === 'service_receipt')!;
    const served = addWorkingDays(truth.facts.dates.decision, days);
    return truth.pages.map((p) =>
      p.page >= receipt.firstPage && p.page <= receipt.lastPage
        ? p.text.replaceAll(cnDate(truth.facts.dates.service), cnDate(served))
        : p.text,
    );
  }

  it('is quiet on the tenth working day and flags the eleventh, citing 行政许可法', async () => {
    const { truth } = await dossierFixture({ caseType: 'license' });
    const late = (days: number): Finding[] =>
      runPrecheck(servedAfter(truth, days)).findings.filter((f) => f.rule === 'service_over_time_limit');
    expect(late(10)).toEqual([]);
    // Ten working days at the edge run over weekends, so counting the 处罚法's seven would have fired.
    expect(late(8)).toEqual([]);
    const over = late(11);
    expect(over).toHaveLength(1);
    expect(over[0]!.statute).toBe('《中华人民共和国行政许可法》第四十四条、第八十二条');
    expect(over[0]!.message).toMatch(/准予行政许可决定.*11个工作日.*十日（工作日）/);
    expect(over[0]!.pages).toContain(truth.documents.find((d) => d.type === 'service_receipt')!.firstPage);
  }, 60_000);
});

describe('简易程序 (行政处罚法 arts. 42, 51, 52): one officer only where a law allows it', () => {
  /** The fixture's 当场处罚 under 道路运输条例 made a traffic police one under 道路交通安全法. */
  function trafficPolice(truth: DossierTruth, fine = 200): string[] {
    return truth.pages.map((p) =>
      p.text
        .replaceAll('清溪县交通运输局', '清溪县公安局交通警察大队')
        .replaceAll('道路运输证', '机动车行驶证')
        .replaceAll('《中华人民共和国道路运输条例》第三十四条', '《中华人民共和国道路交通安全法》第十一条第一款')
        .replaceAll('《中华人民共和国道路运输条例》第六十八条', '《中华人民共和国道路交通安全法》第九十五条第一款、第九十条')
        .replaceAll('200元', `${fine}元`),
    );
  }
  const officerFindings = (texts: string[]): Finding[] => runPrecheck(texts).findings.filter((f) => f.rule === 'single_officer');

  it('flags a 当场处罚 by one officer under a law that does not allow it, on every record, citing art. 42', async () => {
    const { truth } = await dossierFixture({ caseType: 'penalty_simple', defects: ['single_officer'] });
    expect(truth.caseType).toBe('penalty_simple');
    const found = officerFindings(truth.pages.map((p) => p.text));
    const single = truth.officersPerRecord.filter((r) => r.officers.length === 1).map((r) => r.firstPage);
    expect(single.length).toBeGreaterThanOrEqual(2);
    expect(found.flatMap((f) => f.pages).sort((a, b) => a - b)).toEqual(single);
    for (const f of found) {
      expect(f.statute).toBe('《中华人民共和国行政处罚法》第四十二条');
      expect(f.item).toBe('cfjy-0.2');
    }
  }, 60_000);

  it('is quiet on a traffic police 当场处罚 of 200 yuan by one officer (道路交通安全法 art. 107), and flags 300 yuan', async () => {
    const { truth } = await dossierFixture({ caseType: 'penalty_simple', defects: ['single_officer'] });
    const lawful = trafficPolice(truth);
    const r = runPrecheck(lawful);
    expect(r.caseType).toBe('penalty_simple');
    expect(r.facts.basis.find((b) => b.role === 'penalty')?.law).toBe('中华人民共和国道路交通安全法');
    expect(r.facts.amounts.find((a) => a.kind === 'fine' && a.documentType === 'simple_decision')?.amount).toBe(200);
    expect(r.findings.filter((f) => f.rule === 'single_officer')).toEqual([]);
    expect(r.findings).toEqual([]);
    // Beyond art. 107's 二百元 one officer is one too few again.
    const over = officerFindings(trafficPolice(truth, 300));
    expect(over.length).toBeGreaterThan(0);
    expect(over[0]!.message).toContain('限于警告或者200元以下罚款');
    // The same traffic file by two officers: quiet as any lawful file.
    const { truth: two } = await dossierFixture({ caseType: 'penalty_simple' });
    expect(runPrecheck(trafficPolice(two)).findings).toEqual([]);
  }, 60_000);

  it('still flags one officer in a 一般程序 file under 道路交通安全法 (art. 107 covers only the on-the-spot decision)', async () => {
    const { truth } = await dossierFixture({ caseType: 'penalty_general', defects: ['single_officer'] });
    const decision = truth.documents.find((d) => d.type === 'decision')!;
    const texts = truth.pages.map((p) =>
      p.page >= decision.firstPage && p.page <= decision.lastPage
        ? p.text.replace(/依据《[^》]+》[^，。；《]*?的规定/, '依据《中华人民共和国道路交通安全法》第九十条的规定')
        : p.text,
    );
    const r = runPrecheck(texts);
    expect(r.caseType).toBe('penalty_general');
    expect(r.facts.basis.find((b) => b.role === 'penalty' && b.documentType === 'decision')?.law).toBe('中华人民共和国道路交通安全法');
    const found = r.findings.filter((f) => f.rule === 'single_officer');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.statute).toBe('《中华人民共和国行政处罚法》第四十二条');
    expect(found[0]!.item).toBe('cfyb-0.2');
  }, 60_000);
});
