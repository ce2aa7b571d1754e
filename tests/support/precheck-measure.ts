/**
 * How well the pre-check agrees with the planted truth of the realistic fixtures, rule by rule: a
 * planted defect counts as found when a finding of its rule cites one of the pages it is on; a
 * finding is right when its rule is among the file's planted defects. Used by the unit test (which
 * asserts a floor) and by `npm run precheck -- --fixtures` (which prints the table).
 */
import type { Finding } from '../../shared/precheck/engine.js';
import { RULE_CODES } from '../../shared/precheck/rules.js';
import type { DossierTruth, PlantedCode } from './dossiers/index.js';

/** The pages a planted defect is on, from the truth's document map. */
export function expectedPages(t: DossierTruth, code: PlantedCode): number[] {
  const of = (...types: string[]): number[] => t.documents.filter((d) => types.includes(d.type)).flatMap((d) => [d.firstPage]);
  switch (code) {
    case 'prior_notice_missing':
    case 'legal_basis_missing':
    case 'legal_basis_mismatch':
    case 'decision_over_time_limit':
      return of('decision', 'simple_decision');
    case 'service_over_time_limit':
    case 'service_receipt_unsigned':
      return of('service_receipt');
    case 'single_officer':
      return t.officersPerRecord.filter((r) => r.officers.length < 2).map((r) => r.firstPage);
    case 'filing_after_investigation':
      return of('inquiry_record');
    case 'page_numbers_missing':
      return t.pages
        .filter((p) => p.stampedNumber === null && !['cover', 'contents', 'archive_note'].includes(p.documentType))
        .map((p) => p.page);
    case 'hearing_not_offered':
    case 'amount_inconsistent':
      return of('decision', 'prior_notice');
    case 'legal_review_missing':
      return of('decision', 'collective_discussion');
    case 'catalogue_mismatch': {
      // The 目录 itself, and a 文书 it leaves out (that finding cites the 文书's page).
      const contents = t.documents.filter((d) => d.type === 'contents');
      const listed = contents.map((d) => t.pages[d.firstPage - 1]!.text.replace(/\s+/g, '')).join('');
      const left = t.documents.filter((d) => !['cover', 'contents', 'archive_note'].includes(d.type) && !listed.includes(d.title));
      return [...contents, ...left].map((d) => d.firstPage);
    }
  }
}

/** Every defect planted in a file, held-out ones included. */
export const plantedIn = (t: DossierTruth): PlantedCode[] => [...t.defects, ...(t.heldOutDefects ?? [])];

export interface Tally {
  found: number;
  planted: number;
  raised: number;
  right: number;
}

export interface Agreement {
  all: Tally;
  byRule: Map<string, Tally>;
}

const empty = (): Tally => ({ found: 0, planted: 0, raised: 0, right: 0 });

export function measureAgreement(results: Array<{ truth: DossierTruth; findings: Pick<Finding, 'rule' | 'pages'>[] }>): Agreement {
  const all = empty();
  const byRule = new Map<string, Tally>(RULE_CODES.map((r) => [r, empty()]));
  const tally = (rule: string): Tally => byRule.get(rule) ?? byRule.set(rule, empty()).get(rule)!;
  for (const { truth, findings } of results) {
    const planted = plantedIn(truth);
    for (const code of planted) {
      const pages = expectedPages(truth, code);
      const hit = findings.some((f) => f.rule === code && f.pages.some((p) => pages.includes(p)));
      for (const t of [all, tally(code)]) {
        t.planted++;
        if (hit) t.found++;
      }
    }
    for (const f of findings) {
      const right = (planted as string[]).includes(f.rule);
      for (const t of [all, tally(f.rule)]) {
        t.raised++;
        if (right) t.right++;
      }
    }
  }
  return { all, byRule };
}

/** Recall and precision as fractions; null where nothing was planted (recall) or raised (precision). */
export const recall = (t: Tally): number | null => (t.planted ? t.found / t.planted : null);
export const precision = (t: Tally): number | null => (t.raised ? t.right / t.raised : null);

const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

/** One line per rule, for a console table. */
export function agreementRows(a: Agreement): Array<Record<string, string | number>> {
  const rows = [...a.byRule].map(([rule, t]) => ({
    规则: rule,
    埋设: t.planted,
    找到: t.found,
    召回率: pct(recall(t)),
    提示: t.raised,
    正确: t.right,
    精确率: pct(precision(t)),
  }));
  rows.push({
    规则: '（合计）',
    埋设: a.all.planted,
    找到: a.all.found,
    召回率: pct(recall(a.all)),
    提示: a.all.raised,
    正确: a.all.right,
    精确率: pct(precision(a.all)),
  });
  return rows;
}

export const agreementLine = (label: string, t: Tally): string =>
  `${label}: recall ${t.found}/${t.planted} = ${pct(recall(t))}, precision ${t.right}/${t.raised} = ${pct(precision(t))}`;
