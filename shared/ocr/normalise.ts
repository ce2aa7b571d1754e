/**
 * Clean-up of what the recogniser writes, applied before a page's text is stored, so that copying,
 * quoting, search and the pre-check all see the text a person would have typed. Only what cannot
 * change the meaning is touched, and every change keeps the line's length (each character of the
 * invisible text layer stays over the glyph it was read from):
 * - full-width ASCII digits and letters (５, Ａ) become half-width: 公文 and 案号 write them so;
 * - a 4-digit year between brackets of two kinds (〔2025】, （2025〕) becomes 〔2025〕, the 文号
 *   form (GB/T 9704): the recogniser takes the hollow 〔〕 for 【】 or （） on one side only. A year in a
 *   matched pair of another kind (（2025）) is left as printed: court numbers use it.
 */

const FULL_WIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const MIXED_YEAR = /([〔（【［[(])(\s?)((?:19|20)\d{2})(\s?)([〕）】］\])])/g;
const PAIRS: Record<string, string> = { '〔': '〕', '（': '）', '【': '】', '［': '］', '[': ']', '(': ')' };

export function normaliseOcrText(text: string): string {
  return text
    .replace(FULL_WIDTH_ALNUM, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(MIXED_YEAR, (all, open: string, s1: string, year: string, s2: string, close: string) =>
      PAIRS[open] === close ? all : `〔${s1}${year}${s2}〕`,
    );
}
