/**
 * 案号 as units type them vary: [2025], 【2025】, (2025) or 〔2025〕; full-width digits; stray spaces;
 * 第…号 or not. The key below is what two spellings of the same 案号 have in common; the display form
 * keeps what the unit wrote.
 */

const BRACKETS_OPEN = /[[【（(〔［{｛〖]/g;
const BRACKETS_CLOSE = /[\]】）)〕］}｝〗]/g;
/** Zero-width characters and BOMs that survive copy-paste from Word and web forms. */
const INVISIBLE = /[\u200b-\u200f\u2060\ufeff]/g;
const DASHES = /[‐‑‒–—―－]/g;

export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export function caseNumberKey(raw: string): string {
  return toHalfWidth(raw.normalize('NFKC'))
    .replace(INVISIBLE, '')
    .replace(DASHES, '-')
    .replace(/號/g, '号')
    .replace(BRACKETS_OPEN, '〔')
    .replace(BRACKETS_CLOSE, '〕')
    .replace(/\s+/g, '')
    .replace(/第(\d+)号/g, '$1号')
    .replace(/〔(\d{4})〕0+(\d)/g, '〔$1〕$2')
    .toUpperCase();
}

/** The conventional display form: 〔2025〕 brackets, no spaces. */
export function tidyCaseNumber(raw: string): string {
  return raw
    .replace(INVISIBLE, '')
    .trim()
    .replace(/\s+/g, '')
    .replace(/[[【［]\s*(\d{4})\s*[\]】］]/g, '〔$1〕')
    .replace(/[（(]\s*(\d{4})\s*[)）]/g, '〔$1〕');
}

export interface CaseNumberParts {
  /** What comes before the year, e.g. "某市监处罚" (may be empty). */
  prefix: string;
  year: number;
  serial: number;
}

const PARTS_RE = /^(.*?)〔(\d{4})〕(\d{1,7})号?/;

/** Prefix, year and serial of a 案号 written the usual way (X〔2025〕12号); null for other shapes. */
export function caseNumberParts(raw: string): CaseNumberParts | null {
  const m = PARTS_RE.exec(caseNumberKey(raw));
  if (!m) return null;
  return { prefix: m[1]!, year: Number(m[2]), serial: Number(m[3]) };
}

const IN_TEXT_RE = /([\p{Script=Han}A-Z0-9-]{0,24})〔(\d{4})〕(\d{1,7})号/gu;

/**
 * Every 案号-shaped piece of a longer text (a file or folder name), as keys: "01-某罚[2025]12号询问笔录"
 * → ["某罚〔2025〕12号"]. Used to match files to cases and to name cases after their files.
 */
export function caseNumbersIn(text: string): string[] {
  const key = caseNumberKey(text);
  const found: string[] = [];
  for (const m of key.matchAll(IN_TEXT_RE)) {
    const prefix = m[1]!.replace(/^[\d-]+/, '');
    found.push(`${prefix}〔${m[2]}〕${Number(m[3])}号`);
  }
  return found;
}

/**
 * The key the case list sorts 案号 by: every run of digits padded to one width, so “第2号” comes
 * before “第10号” and 〔2025〕9号 before 〔2025〕10号, as a person reads them (text order would not).
 */
export function caseNumberSortKey(raw: string): string {
  return toHalfWidth(raw.normalize('NFKC'))
    .replace(INVISIBLE, '')
    .replace(/\s+/g, '')
    .replace(/\d+/g, (d) => d.replace(/^0+(?=\d)/, '').padStart(12, '0'));
}
