/**
 * Which case a PDF belongs to, from its path (folder and file names) alone. Units name files and
 * folders after the 案号 (in any bracket style), sometimes only 〔2025〕12号, after the case name or
 * the party, or after the row's 序号. Tiers are tried strongest first; within a tier the match must
 * be unique (a unit named in the path breaks ties), otherwise the file is left for a person to assign.
 */
import { caseNumberKey, caseNumberParts, caseNumbersIn } from '../dossiers/case-number.js';

export interface MatchTarget {
  /** A list row ("r12") or a case already in the campaign ("case:<id>"). */
  key: string;
  caseNumberKey: string;
  title: string;
  party: string;
  serial: string;
  unitName: string;
  unitShortName?: string;
}

export interface MatchFile {
  key: string;
  /** Relative path as the unit delivered it: "市场监管局/某罚〔2025〕12号/03-询问笔录.pdf". */
  path: string;
}

export type MatchHow = 'caseNumber' | 'yearSerial' | 'title' | 'party' | 'serial' | 'content';

export const MATCH_HOW_LABELS: Record<MatchHow, string> = {
  caseNumber: '案号一致',
  yearSerial: '年度和序号一致',
  title: '案件名称一致',
  party: '当事人一致',
  serial: '清单序号一致',
  content: '案卷内容中的案号一致',
};

export type MatchResult =
  { status: 'matched'; target: string; how: MatchHow } | { status: 'ambiguous'; candidates: string[] } | { status: 'unmatched' };

/** Path text compared with keys: each folder/file name normalised like a 案号, extension dropped. */
export function pathKey(path: string): string {
  return path
    .split(/[\\/]+/)
    .map((seg) => caseNumberKey(seg.replace(/\.pdf$/i, '')))
    .join('/');
}

const loose = (s: string): string => caseNumberKey(s).replace(/[,，、;；:：.。'"“”‘’]/g, '');

export function matchFiles(targets: MatchTarget[], files: MatchFile[]): Map<string, MatchResult> {
  const byYearSerial = new Map<string, MatchTarget[]>();
  const irregular: MatchTarget[] = [];
  for (const t of targets) {
    if (!t.caseNumberKey) continue;
    const parts = caseNumberParts(t.caseNumberKey);
    if (parts) {
      const k = `${parts.year}/${parts.serial}`;
      byYearSerial.set(k, [...(byYearSerial.get(k) ?? []), t]);
    } else if (t.caseNumberKey.length >= 4) irregular.push(t);
  }
  const titled = targets.filter((t) => loose(t.title).length >= 4).map((t) => ({ t, k: loose(t.title) }));
  const partied = targets.filter((t) => loose(t.party).length >= 2).map((t) => ({ t, k: loose(t.party) }));
  const bySerial = new Map<string, MatchTarget[]>();
  for (const t of targets) {
    const s = t.serial.replace(/^0+(?=\d)/, '');
    if (/^\d{1,5}$/.test(s)) bySerial.set(s, [...(bySerial.get(s) ?? []), t]);
  }

  const results = new Map<string, MatchResult>();
  for (const file of files) {
    const key = pathKey(file.path);
    const looseKey = loose(file.path.replace(/\.pdf$/i, ''));
    const segments = key.split('/');
    const decide = (cands: MatchTarget[], how: MatchHow): MatchResult | null => {
      const unique = [...new Map(cands.map((c) => [c.key, c])).values()];
      if (!unique.length) return null;
      if (unique.length === 1) return { status: 'matched', target: unique[0]!.key, how };
      const byUnit = unique.filter((c) => [c.unitName, c.unitShortName ?? ''].some((u) => u.length >= 2 && looseKey.includes(loose(u))));
      if (byUnit.length === 1) return { status: 'matched', target: byUnit[0]!.key, how };
      return { status: 'ambiguous', candidates: unique.map((c) => c.key) };
    };

    // 1. The whole 案号 appears in the path; the longest one wins ("某罚〔2025〕1号" inside "某罚〔2025〕12号" cannot happen: 号 ends it).
    const found = caseNumbersIn(file.path);
    const yearSerials = found.map((k) => caseNumberParts(k)!).map((p) => `${p.year}/${p.serial}`);
    const pool = [...new Set(yearSerials)].flatMap((k) => byYearSerial.get(k) ?? []).concat(irregular);
    const full = pool.filter((t) => key.includes(t.caseNumberKey));
    const longest = Math.max(0, ...full.map((t) => t.caseNumberKey.length));
    let result = decide(
      full.filter((t) => t.caseNumberKey.length === longest),
      'caseNumber',
    );
    // 2. Only year and serial ("〔2025〕12号.pdf" in a unit's folder).
    result ??= decide(
      [...new Set(yearSerials)].flatMap((k) => byYearSerial.get(k) ?? []),
      'yearSerial',
    );
    // 3. The case name, then the party, appears in the path.
    result ??= decide(
      titled.filter(({ k }) => looseKey.includes(k)).map(({ t }) => t),
      'title',
    );
    result ??= decide(
      partied.filter(({ k }) => (k.length >= 4 ? looseKey.includes(k) : segments.some((s) => loose(s) === k))).map(({ t }) => t),
      'party',
    );
    // 4. A folder or file named exactly after the row's 序号 ("07/…", "07.pdf").
    result ??= decide(
      segments.flatMap((s) => bySerial.get(s.replace(/^0+(?=\d)/, '')) ?? []),
      'serial',
    );
    results.set(file.key, result ?? { status: 'unmatched' });
  }
  return results;
}

/** The 案号 a file's own pages state (its cover, 立案审批表 or 决定书) and where it was read. */
export interface ContentCaseNumber {
  caseNumber: string;
  /** 0-based page it was read from. */
  pageIndex: number;
  /** From the page's text layer, or read by OCR from a scan. */
  source: 'text' | 'ocr';
}

/** Year and serial agree, and one prefix ends the other (text before a 案号 may run into it). */
function sameCaseNumber(a: string, b: string): boolean {
  const pa = caseNumberParts(a);
  const pb = caseNumberParts(b);
  if (!pa || !pb) return caseNumberKey(a) === caseNumberKey(b);
  return pa.year === pb.year && pa.serial === pb.serial && (pa.prefix.endsWith(pb.prefix) || pb.prefix.endsWith(pa.prefix));
}

/** The one target whose 案号 the file's pages state (`found` in page order), or null. */
export function matchContent(targets: MatchTarget[], found: readonly string[]): { target: string; caseNumber: string } | null {
  for (const number of found) {
    const hits = [...new Set(targets.filter((t) => t.caseNumberKey && sameCaseNumber(number, t.caseNumberKey)).map((t) => t.key))];
    if (hits.length === 1) return { target: hits[0]!, caseNumber: number };
  }
  return null;
}

/**
 * The 案号 in a file's name when it contradicts the one its pages state (a typo in the name, last
 * year's number), or null when the name carries none or the same one.
 */
export function nameContradiction(path: string, contentNumber: string): string | null {
  const inName = caseNumbersIn(path.replace(/\.pdf$/i, ''));
  if (!inName.length || inName.some((n) => sameCaseNumber(n, contentNumber))) return null;
  return inName[inName.length - 1]!;
}

/** What a file's name said against what its pages say, in the words of the import review. */
export function mismatchText(
  m: { by: 'caseNumber' | 'party' | 'title' | 'serial'; fileSays: string; contentSays: string },
  content?: { pageIndex: number; source: 'text' | 'ocr' } | null,
): string {
  const named = {
    caseNumber: `案号 ${m.fileSays}`,
    party: `当事人“${m.fileSays}”`,
    title: `案件名称“${m.fileSays}”`,
    serial: `序号 ${m.fileSays}`,
  }[m.by];
  const where = content ? `（第 ${content.pageIndex + 1} 页${content.source === 'ocr' ? '，文字识别' : ''}）` : '';
  return `文件名写${named}，案卷内容为案号 ${m.contentSays}${where}`;
}
