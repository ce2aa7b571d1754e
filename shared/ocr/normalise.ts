/**
 * Clean-up of what the recogniser writes, applied before a page's text is stored, so that copying,
 * quoting, search and the pre-check all see the text a person would have typed. Only what cannot
 * change the meaning is touched, and every change keeps the line's length (each character of the
 * invisible text layer stays over the glyph it was read from):
 * - full-width ASCII digits and letters (５, Ａ) become half-width: 公文 and 案号 write them so;
 * - a 4-digit year between brackets of two kinds (〔2025】, （2025〕) becomes 〔2025〕, the 文号
 *   form (GB/T 9704): the recogniser takes the hollow 〔〕 for 【】 or （） on one side only;
 * - a year in a matched pair of another kind (（2025）, 【2025】) becomes 〔2025〕 where it stands in a
 *   文号 — right after the issuing body's abbreviation and before the serial and 号 (清市监罚（2025）12号):
 *   the recogniser reads the hollow brackets as round ones on both sides, and a search for the 文号
 *   as printed must find it. A court's 案号 ((2025)京0105民初123号) and other brackets stay as printed.
 */

const FULL_WIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const MIXED_YEAR = /([〔（【［[(])(\s?)((?:19|20)\d{2})(\s?)([〕）】］\])])/g;
const PAIRS: Record<string, string> = { '〔': '〕', '（': '）', '【': '】', '［': '］', '[': ']', '(': ')' };
/** A year in brackets between a Han abbreviation and a serial number with 号: a 文号 (清市监罚（2025）12号). */
const DOCUMENT_NUMBER_YEAR = /(\p{Script=Han})[（【［[(](\s?)((?:19|20)\d{2})(\s?)[）】］\])](?=\s?第?\s?\d{1,6}\s?号)/gu;

export function normaliseOcrText(text: string): string {
  return text
    .replace(FULL_WIDTH_ALNUM, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(MIXED_YEAR, (all, open: string, s1: string, year: string, s2: string, close: string) =>
      PAIRS[open] === close ? all : `〔${s1}${year}${s2}〕`,
    )
    .replace(DOCUMENT_NUMBER_YEAR, (_all, han: string, s1: string, year: string, s2: string) => `${han}〔${s1}${year}${s2}〕`);
}
