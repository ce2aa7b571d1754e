/**
 * 案号 as units type them vary: [2025], 【2025】, (2025) or 〔2025〕; full-width digits; stray spaces;
 * 第…号 or not. The key below is what two spellings of the same 案号 have in common; the display form
 * keeps what the unit wrote.
 */

const BRACKETS_OPEN = /[[【（(〔［{｛]/g;
const BRACKETS_CLOSE = /[\]】）)〕］}｝]/g;

export function toHalfWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

export function caseNumberKey(raw: string): string {
  return toHalfWidth(raw.normalize('NFKC'))
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
    .trim()
    .replace(/\s+/g, '')
    .replace(/[[【［]\s*(\d{4})\s*[\]】］]/g, '〔$1〕')
    .replace(/[（(]\s*(\d{4})\s*[)）]/g, '〔$1〕');
}
