/**
 * GB/T 9704-2012《党政机关公文格式》 layout constants, in one place. The DOCX templates, the in-app
 * PDF rendition and the tests that measure exported files all read them from here.
 */

export const MM_PER_INCH = 25.4;
export const PT_PER_INCH = 72;
export const TWIP_PER_PT = 20;

export const mmToPt = (mm: number): number => (mm / MM_PER_INCH) * PT_PER_INCH;
/** Word's unit (1/20 pt), rounded the way Word stores page sizes (A4 = 11906 × 16838). */
export const mmToTwip = (mm: number): number => Math.round(mmToPt(mm) * TWIP_PER_PT);
export const ptToTwip = (pt: number): number => Math.round(pt * TWIP_PER_PT);

/** Chinese type sizes (字号) in points. */
export const FONT_SIZE_PT = {
  er: 22, // 二号
  san: 16, // 三号
  si: 14, // 四号
  xiaosi: 12, // 小四
  wu: 10.5, // 五号
} as const;

export const GBT9704 = {
  page: { widthMm: 210, heightMm: 297 },
  /** 天头 37 mm, 订口 (left) 28 mm; the text block is 156 × 225 mm, which leaves 35 mm and 26 mm. */
  margin: { topMm: 37, bottomMm: 35, leftMm: 28, rightMm: 26 },
  textBlock: { widthMm: 156, heightMm: 225 },
  linesPerPage: 22,
  charsPerLine: 28,
  /** 225 mm / 22 lines. */
  linePitchPt: mmToPt(225) / 22,
  /** 156 mm / 28 characters. */
  charPitchPt: mmToPt(156) / 28,
  bodySizePt: FONT_SIZE_PT.san,
  titleSizePt: FONT_SIZE_PT.er,
  pageNumberSizePt: FONT_SIZE_PT.si,
  imprintSizePt: FONT_SIZE_PT.si,
  /** Page number sits 7 mm below the text block's bottom edge. */
  pageNumberBelowTextMm: 7,
  /** 成文日期 right-indented by 4 characters. */
  dateRightIndentChars: 4,
  /** Paragraph first-line indent: 2 characters. */
  firstLineIndentChars: 2,
  /** 信函格式: issuing body's name 30 mm from the top edge; no page number on page 1. */
  letterhead: { bodyNameTopMm: 30 },
} as const;

/** Font names as they appear on government PCs; DOCX names them and the PC substitutes if missing. */
export const GONGWEN_FONTS = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
  latin: 'Times New Roman',
} as const;

export type GongwenFontRole = keyof typeof GONGWEN_FONTS;

/** "— 1 —" page-number text (an em dash either side, one space apart). */
export const pageNumberText = (n: number): string => `— ${n} —`;

/** 发文字号: 华司监〔2025〕3号 — full year in 〔〕, no 第, no leading zeros. */
export function documentNumber(prefix: string, year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError('serial must be a positive integer');
  return `${prefix}〔${year}〕${serial}号`;
}

/** The parts of a 发文字号 written the GB/T 9704 way (清司监〔2026〕3号), or null for any other form. */
export function parseDocumentNumber(text: string): { prefix: string; year: number; serial: number } | null {
  const m = /^([^〔〕[\]\d\s]+)〔(\d{4})〕([1-9]\d{0,5})号$/.exec(text.trim());
  return m ? { prefix: m[1]!, year: Number(m[2]), serial: Number(m[3]) } : null;
}

/** 成文日期 in Arabic numerals without leading zeros: 2025年3月5日. */
export function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** A moment in this computer's local time the bureau's way: 2026年12月7日 08:05. */
export function chineseDateTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// ── letters: 版头, 信函格式, 署名/印章, 版记 ─────────────────────────────────────────

/** Larger Chinese type sizes (字号) in points, for the 发文机关标志. */
export const MARK_SIZE_PT = { chu: 42, xiaochu: 36, yi: 26 } as const;

/** Red of the 版头 (发文机关标志, 分隔线). */
export const GONGWEN_RED = 'FF0000';

export const GBT9704_LETTERS = {
  /** Standard format: the 发文机关标志's top edge is 35 mm below the text block's top edge. */
  standard: {
    bodyMarkBelowTextTopMm: 35,
    bodyMarkSizePt: MARK_SIZE_PT.xiaochu,
    /** 发文字号 two lines below the 发文机关标志, centred. */
    documentNumberGapLines: 2,
    /** The red 分隔线 sits 4 mm below the 发文字号 and is as wide as the text block. */
    redRuleBelowNumberMm: 4,
    redRuleWidthPt: 1.5,
    /** The title starts two lines below the red rule. */
    titleGapLines: 2,
  },
  /** 信函格式 (GB/T 9704 §10.1). */
  letter: {
    bodyNameTopMm: 30,
    bodyNameSizePt: MARK_SIZE_PT.yi,
    /** Red double rule (thick over thin) 4 mm below the name; at the foot (thin over thick) 20 mm above the page's bottom edge. */
    doubleRuleBelowNameMm: 4,
    footRuleAboveBottomMm: 20,
    doubleRuleLengthMm: 170,
    /** 发文字号 flush right under the first double rule, 7/8 of a 3号 character's height below it. */
    numberBelowRuleEm: 7 / 8,
    titleGapLines: 2,
  },
  /** Room for the seal: 署名 and 成文日期 start this many blank lines below the body (or 附件说明). */
  sealBlankLines: 2,
  sealDiameterMm: 42,
  /** 版记: first and last rules thick (0.35 mm), rules in between thin (0.25 mm); text 4号仿宋, one character in from each side. */
  imprint: { thickRuleMm: 0.35, thinRuleMm: 0.25, sideIndentChars: 1 },
  /** Title below the red rule, addressee one blank line below the title. */
  addresseeGapLines: 1,
} as const;

/**
 * Visual width of a line in body characters: CJK and full-width forms take one character, Latin
 * letters and Arabic numerals half of one (they are set in Times New Roman).
 */
export function textWidthChars(text: string): number {
  let w = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    w += code <= 0xff || (code >= 0x2000 && code <= 0x206f) ? 0.5 : 1;
  }
  return w;
}

/**
 * 署名 centred above the 成文日期 (GB/T 9704 §7.3.5.1): the date is right-indented four characters;
 * the 署名's right indent is chosen so both lines share a centre. Both indents are in characters.
 */
export function signatureIndents(signer: string, dateText: string): { signerRightChars: number; dateRightChars: number } {
  const dateRightChars = GBT9704.dateRightIndentChars;
  const centre = dateRightChars + textWidthChars(dateText) / 2;
  const signerRightChars = Math.max(0, centre - textWidthChars(signer) / 2);
  return { signerRightChars, dateRightChars };
}
