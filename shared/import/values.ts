/**
 * Cell values of a 案件清单 as units write them: dates as Excel serials or text in several forms,
 * amounts with thousands separators, 万元 or Chinese numerals, case types in their own words.
 * Each parser answers a value or a Chinese reason why it could not.
 */
import { toHalfWidth } from '../domain/case-number.js';
import type { CaseType } from '../domain/case-types.js';

/** What a spreadsheet cell holds once the reader has unwrapped it. Dates are ISO `YYYY-MM-DD`. */
export type CellValue = string | number | boolean | { date: string } | null;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Cell text as a person reads it: trimmed, inner runs of spaces kept single, line breaks kept. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return value.date;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
  if (typeof value === 'boolean') return value ? '是' : '否';
  return value
    .replace(/[\u200b-\u200f\ufeff]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u3000\u00a0]+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .trim();
}

/** Placeholders units put in empty cells. */
export const isBlankText = (s: string): boolean => /^(|[-—–/\\／、.。·*]+|无|暂无|空|NULL|N\/A|\/)$/i.test(s.trim());

const pad = (n: number): string => String(n).padStart(2, '0');

export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1950 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Excel's day serial (1900 system, with its fictitious 1900-02-29) to an ISO date. */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 80000) return null;
  const whole = Math.floor(serial);
  const ms = Date.UTC(1899, 11, 30) + whole * 86_400_000;
  const d = new Date(ms);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, O: 0, o: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5, 陆: 6, 柒: 7, 捌: 8, 玖: 9, 两: 2 };

/** 二〇二五 → 2025 (digit by digit, as years are written). */
function cnDigitString(s: string): number | null {
  let out = '';
  for (const ch of s) {
    const d = CN_DIGITS[ch];
    if (d === undefined) return null;
    out += d;
  }
  return out ? Number(out) : null;
}

/** 十二 → 12, 三十一 → 31 (the small numbers of months and days). */
function cnSmallNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^([一二三四五六七八九两]?)(十|拾)?([一二三四五六七八九]?)$/.exec(s);
  if (!m || (!m[1] && !m[2] && !m[3])) return cnDigitString(s);
  if (!m[2]) return m[1] ? CN_DIGITS[m[1]]! : null;
  return (m[1] ? CN_DIGITS[m[1]]! : 1) * 10 + (m[3] ? CN_DIGITS[m[3]]! : 0);
}

/**
 * A date cell: an Excel date or serial, or text such as 2025-03-05, 2025/3/5, 2025.3.5, 2025年3月5日,
 * 20250305, ２０２５年３月５日, 二〇二五年三月五日, with or without a time after it.
 */
export function parseDate(value: CellValue): Parsed<string | null> {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (typeof value === 'object') return { ok: true, value: value.date };
  if (typeof value === 'number') {
    const iso = excelSerialToIso(value);
    if (iso && value >= 20000) return { ok: true, value: iso };
    const asText = String(value);
    if (/^\d{8}$/.test(asText)) return parseDate(asText);
    return { ok: false, reason: `“${value}”不是有效日期` };
  }
  if (typeof value === 'boolean') return { ok: false, reason: '不是有效日期' };
  const raw = cellText(value);
  if (isBlankText(raw)) return { ok: true, value: null };
  const s = toHalfWidth(raw.normalize('NFKC')).replace(/\s+/g, ' ').replace(/\s*([-/.年月日])\s*/g, '$1').trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}(?:[:时]\d{1,2}){0,2}(?:\.\d+)?分?)?$/.exec(s);
  if (m) {
    const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? { ok: true, value: iso } : { ok: false, reason: `“${raw}”不是存在的日期` };
  }
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? { ok: true, value: iso } : { ok: false, reason: `“${raw}”不是存在的日期` };
  }
  m = /^([〇零O一二三四五六七八九]{4})年([一二三四五六七八九十两]{1,3})月([一二三四五六七八九十]{1,3})日$/.exec(s);
  if (m) {
    const y = cnDigitString(m[1]!);
    const mo = cnSmallNumber(m[2]!);
    const d = cnSmallNumber(m[3]!);
    const iso = y && mo && d ? isoDate(y, mo, d) : null;
    return iso ? { ok: true, value: iso } : { ok: false, reason: `“${raw}”不是存在的日期` };
  }
  // A serial that arrived as text (a CSV exported from a sheet whose column was not formatted as date).
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    const iso = excelSerialToIso(Number(s));
    if (iso) return { ok: true, value: iso };
  }
  return { ok: false, reason: `“${raw}”无法识别为日期（可用 2025-03-05、2025.3.5、2025年3月5日 等写法）` };
}

const CN_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const CN_BIG: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** 壹万贰仟伍佰元 → 12500 (the 大写 amounts of decision documents); null when it is not such a number. */
export function parseChineseAmount(s: string): number | null {
  const text = s.replace(/^人民币/, '').replace(/[元圆]整?$|整$/, '');
  const [intPart = '', fraction = ''] = text.split(/[元圆]/);
  let total = 0;
  let section = 0;
  let digit = 0;
  let seen = false;
  for (const ch of intPart) {
    if (ch in CN_DIGITS) {
      digit = CN_DIGITS[ch]!;
      seen = true;
    } else if (ch in CN_UNITS) {
      section += (digit || 1) * CN_UNITS[ch]!;
      digit = 0;
      seen = true;
    } else if (ch in CN_BIG) {
      total += (section + digit) * CN_BIG[ch]!;
      section = 0;
      digit = 0;
      seen = true;
    } else return null;
  }
  total += section + digit;
  const jiao = /([零壹贰叁肆伍陆柒捌玖一二三四五六七八九])角/.exec(fraction);
  const fen = /([零壹贰叁肆伍陆柒捌玖一二三四五六七八九])分/.exec(fraction);
  if (jiao) total += CN_DIGITS[jiao[1]!]! / 10;
  if (fen) total += CN_DIGITS[fen[1]!]! / 100;
  return seen || jiao || fen ? Math.round(total * 100) / 100 : null;
}

/**
 * An amount in 元: 12000, "12,000.00", "1.2万元", "￥12,000", "罚款5000元", "壹万贰仟元".
 * `headerUnit` is the unit written in the column's header (处罚金额（万元）): it scales bare numbers.
 */
export function parseAmount(value: CellValue, headerUnit = ''): Parsed<number | null> {
  const scale = /万/.test(headerUnit) ? 1e4 : 1;
  if (value === null || value === undefined) return { ok: true, value: null };
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? { ok: true, value: round2(value * scale) } : { ok: false, reason: `“${value}”不是有效金额` };
  if (typeof value !== 'string') return { ok: false, reason: '不是有效金额' };
  const raw = cellText(value);
  if (isBlankText(raw) || /^(无罚款|不予处罚|未罚款)$/.test(raw)) return { ok: true, value: null };
  const full = toHalfWidth(raw.normalize('NFKC')).replace(/\s+/g, '');
  const s = full.replace(/^(罚款|罚没款|罚金|处罚金额|金额)[:：]?/, '');
  const m = /^[¥￥]?(?:人民币)?([\d,，]+(?:\.\d+)?)(万)?(?:元|圆)?(?:整)?$/.exec(s);
  if (m) {
    const digits = m[1]!.replace(/[,，]/g, '');
    const n = Number(digits);
    if (!Number.isFinite(n)) return { ok: false, reason: `“${raw}”不是有效金额` };
    return { ok: true, value: round2(n * (m[2] ? 1e4 : m[0].includes('元') ? 1 : scale)) };
  }
  const cn = parseChineseAmount(s);
  if (cn !== null) return { ok: true, value: cn };
  // "罚款5000元，没收违法所得300元": the fine is the amount; the whole text stays the decision.
  const fine = /罚款(?:人民币)?([\d,，]+(?:\.\d+)?)(万)?元/.exec(full);
  if (fine) return { ok: true, value: round2(Number(fine[1]!.replace(/[,，]/g, '')) * (fine[2] ? 1e4 : 1)) };
  return { ok: false, reason: `“${raw}”无法识别为金额（可用 12,000、1.2万元、壹万贰仟元 等写法）` };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The label units use for a case type, to the stored code; null when the text names no known type. */
export function parseCaseType(text: string): CaseType | null {
  const s = toHalfWidth(text.normalize('NFKC')).replace(/\s+/g, '');
  if (!s) return null;
  if (/简易|当场/.test(s)) return 'penalty_simple';
  if (/强制执行|代履行|执行罚/.test(s)) return 'coercive_enforcement';
  if (/强制措施|查封|扣押|冻结|强制/.test(s)) return 'coercive_measure';
  if (/处罚|罚款|普通程序|一般程序/.test(s)) return 'penalty_general';
  if (/许可|审批|准予/.test(s)) return 'license';
  if (/检查|巡查|抽查/.test(s)) return 'inspection';
  if (/^其他|^其它|确认|征收|给付|裁决|奖励/.test(s)) return 'other';
  return null;
}
