/**
 * The case type a dossier shows itself to be: the 封面's heading (“行政处罚案卷”), else the decisive
 * 文书 in it (当场处罚决定书 → 简易程序, 许可决定书 or 受理通知书 → 许可, 查封扣押决定书 → 强制措施,
 * 处罚决定书 → 一般程序), else the 案号's own mark (罚, 许, 强, 检). With the reason in words, so the
 * person importing a late file without a case list sees what was inferred and why, and can change it.
 */
import { CASE_TYPE_LABELS, type CaseType } from '../campaigns/case-types.js';
import { documentMap, pageLines, PRECHECK_DOCUMENT_TYPES, type MappedDocument, type PrecheckDocumentType } from './documents.js';

export interface CaseTypeGuess {
  caseType: CaseType;
  /** “封面题为“行政许可案卷”” / “卷内有行政处罚决定书” / “案号“…罚〔2025〕3号”中的“罚””. */
  because: string;
}

const DECISIVE: ReadonlyArray<[PrecheckDocumentType, CaseType]> = [
  ['simple_decision', 'penalty_simple'],
  ['license_decision', 'license'],
  ['acceptance_notice', 'license'],
  ['seizure_decision', 'coercive_measure'],
  ['decision', 'penalty_general'],
];

/** From the 封面 heading or the decisive 文书 (null when the pages say neither). */
export function caseTypeFromDocuments(pageTexts: readonly string[], map: readonly MappedDocument[]): CaseTypeGuess | null {
  const cover = map.find((d) => d.type === 'cover');
  const heading = cover ? (pageLines(pageTexts[cover.firstPage - 1] ?? '').find((l) => /案卷/.test(l)) ?? '') : '';
  const byHeading: CaseType | null = /简易程序/.test(heading)
    ? 'penalty_simple'
    : /行政许可/.test(heading)
      ? 'license'
      : /行政强制/.test(heading)
        ? 'coercive_measure'
        : /行政检查/.test(heading)
          ? 'inspection'
          : /行政处罚/.test(heading)
            ? 'penalty_general'
            : null;
  if (byHeading) return { caseType: byHeading, because: `封面题为“${heading.trim()}”` };
  for (const [type, caseType] of DECISIVE)
    if (map.some((d) => d.type === type)) return { caseType, because: `卷内有${PRECHECK_DOCUMENT_TYPES[type].label}` };
  return null;
}

const NUMBER_MARKS: ReadonlyArray<[RegExp, CaseType, string]> = [
  [/罚/, 'penalty_general', '罚'],
  [/许|准/, 'license', '许'],
  [/强/, 'coercive_measure', '强'],
  [/检/, 'inspection', '检'],
];

/** The whole guess: the pages first, the 案号 when they say nothing; null when neither is clear. */
export function guessCaseType(pageTexts: readonly string[], caseNumber = ''): CaseTypeGuess | null {
  const fromPages = caseTypeFromDocuments(pageTexts, documentMap([...pageTexts]));
  if (fromPages) return fromPages;
  // The 机关代字 before 〔年〕: “清市监罚〔2025〕12号”.
  const prefix = caseNumber.split(/[〔[（(]/)[0] ?? '';
  const marks = NUMBER_MARKS.filter(([re]) => re.test(prefix));
  if (marks.length !== 1) return null;
  const [, caseType, mark] = marks[0]!;
  return { caseType, because: `案号“${caseNumber}”中有“${mark}”字` };
}

/** “已按案卷内容推断为行政许可（封面题为“行政许可案卷”），如不对请更改。” */
export const guessSentence = (g: CaseTypeGuess): string =>
  `已按案卷内容推断为${CASE_TYPE_LABELS[g.caseType]}（${g.because}），如不对请更改。`;
