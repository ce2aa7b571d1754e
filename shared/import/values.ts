/**
 * Cell values of a 案件清单 as units write them: dates as Excel serials or text in several forms,
 * amounts with thousands separators, 万元 or Chinese numerals, case types in their own words.
 * Each parser answers a value or a Chinese reason why it could not.
 */
import { toHalfWidth } from '../dossiers/case-number.js';
import type { CaseType } from '../campaigns/case-types.js';

/** What a spreadsheet cell holds once the reader has unwrapped it. Dates are ISO `YYYY-MM-DD`. */
export type CellValue = string | number | boolean | { date: string } | null;

/** `note` says what was assumed to read the value (a date serial written as text …). */
export type Parsed<T> = { ok: true; value: T; note?: string } | { ok: false; reason: string };

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

const CN_DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  O: 0,
  o: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  壹: 1,
  贰: 2,
  叁: 3,
  肆: 4,
  伍: 5,
  陆: 6,
  柒: 7,
  捌: 8,
  玖: 9,
  两: 2,
};

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
  const s = toHalfWidth(raw.normalize('NFKC'))
    .replace(/\s+/g, ' ')
    .replace(/\s*([-/.年月日])\s*/g, '$1')
    .trim();
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
    if (iso) return { ok: true, value: iso, note: '按 Excel 日期序号读出' };
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

/** One amount as written: 5000, "5,000.00元", "0.5万元", "1.2万", "￥3，500", "伍仟元整"; scaled by a 万元 header when bare. */
function amountOf(token: string, scale: number): number | null {
  const m = /^[¥￥]?(?:人民币)?(\d[\d,，]*(?:\.\d+)?)(万)?(元|圆)?整?$/.exec(token);
  if (m) {
    const n = Number(m[1]!.replace(/[,，]/g, ''));
    if (!Number.isFinite(n)) return null;
    return round2(n * (m[2] ? 1e4 : m[3] ? 1 : scale));
  }
  return parseChineseAmount(token.replace(/^[¥￥]/, ''));
}

/** An amount inside a longer text: digits (with 万 and 元) or a 大写 amount. */
const AMOUNT_IN_TEXT =
  '(?:人民币)?(\\d[\\d,，]*(?:\\.\\d+)?万?元?|[零〇壹贰叁肆伍陆柒捌玖拾佰仟萬万亿億一二三四五六七八九十百千两]+[元圆](?:[零壹贰叁肆伍陆柒捌玖一二三四五六七八九][角分])*整?)';
const CONFISCATION = '没收(?:违法所得|非法财物|违法财物|违禁物品|财物)?(?:折价|价值|共计|计)?[:：]?';
/** Decisions without an amount (行政处罚法 art. 9): a warning, an order to correct, a revocation … */
const DECISION_WORDS =
  /警告|通报批评|责令|吊销|暂扣|降低资质|限制|停产停业|关闭|拘留|不予(?:行政)?处罚|免予处罚|没收|撤销|取缔|驳回|准予|不予许可|查封|扣押|冻结|代履行|强制执行|执行罚/;

/**
 * An amount in 元: 12000, "12,000.00", "1.2万元", "￥12,000", "罚款5000元", "壹万贰仟元".
 * `headerUnit` is the unit written in the column's header (处罚金额（万元）): it scales bare numbers.
 * Only the 罚款 of a cell that names more (see parsePenalty for both amounts).
 */
export function parseAmount(value: CellValue, headerUnit = ''): Parsed<number | null> {
  const parsed = parsePenalty(value, headerUnit);
  if (!parsed.ok) return parsed;
  if (parsed.value.fine === null && parsed.value.confiscated === null && parsed.value.decisionText)
    return { ok: false, reason: `“${parsed.value.decisionText}”无法识别为金额（可用 12,000、1.2万元、壹万贰仟元 等写法）` };
  return { ok: true, value: parsed.value.fine };
}

export interface PenaltyAmounts {
  /** 罚款, in 元. */
  fine: number | null;
  /** 没收违法所得 / 非法财物, in 元. */
  confiscated: number | null;
  /** The cell's words when it names a decision (警告, 责令改正, 没收 …) rather than only an amount. */
  decisionText: string;
  /** Said when reading the cell took an assumption (a total that includes the confiscation). */
  assumption: string | null;
}

const yuan = (n: number): string => `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;

/** How a penalty cell will be stored, as a person reads it: "罚款 10,000 元，没收违法所得 120 元". */
export function describePenalty(p: PenaltyAmounts): string {
  const parts: string[] = [];
  if (p.fine !== null) parts.push(`罚款 ${yuan(p.fine)}`);
  if (p.confiscated !== null) parts.push(`没收违法所得 ${yuan(p.confiscated)}`);
  if (!parts.length) return p.decisionText ? `无金额，记为决定内容「${p.decisionText}」` : '留空';
  return parts.join('，');
}

/**
 * The 处罚金额 cell as counties fill it: one amount (the 罚款) in any of the forms of `amountOf`;
 * "罚款5000元，没收违法所得120元" (both kept); "10,120（含没收违法所得120）" (a total that includes the
 * confiscation: 罚款 10,000, 没收 120); "警告" / "责令改正" (no amount: a decision, not an error); blanks.
 */
export function parsePenalty(value: CellValue, headerUnit = ''): Parsed<PenaltyAmounts> {
  const scale = /万/.test(headerUnit) ? 1e4 : 1;
  const none: PenaltyAmounts = { fine: null, confiscated: null, decisionText: '', assumption: null };
  if (value === null || value === undefined) return { ok: true, value: none };
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0
      ? { ok: true, value: { ...none, fine: round2(value * scale) } }
      : { ok: false, reason: `“${value}”不是有效金额` };
  if (typeof value !== 'string') return { ok: false, reason: '不是有效金额' };
  const raw = cellText(value);
  if (isBlankText(raw) || /^(无罚款|未罚款)$/.test(raw)) return { ok: true, value: none };
  const full = toHalfWidth(raw.normalize('NFKC')).replace(/\s+/g, '');
  const bare = full.replace(/^(罚款|罚没款|罚金|处罚金额|金额)[:：]?/, '');
  const single = amountOf(bare, scale);
  if (single !== null) return { ok: true, value: { ...none, fine: single } };

  const unreadable = {
    ok: false as const,
    reason: `“${raw}”无法识别为金额（可用 12,000、1.2万元、壹万贰仟元、罚款5000元，没收违法所得120元 等写法）`,
  };
  // A total with the confiscation inside it: "10,120（含没收违法所得120）", "10120元(其中没收违法所得120元)".
  const within = new RegExp(
    `^(?:罚没款|罚没|合计)?${AMOUNT_IN_TEXT}[(（\\[](?:含|其中|包括|包含)[:：]?${CONFISCATION}${AMOUNT_IN_TEXT}[)）\\]]$`,
  ).exec(full);
  if (within) {
    const total = amountOf(within[1]!, scale);
    const confiscated = amountOf(within[2]!, scale);
    if (total === null || confiscated === null || confiscated > total) return unreadable;
    const fine = round2(total - confiscated);
    return {
      ok: true,
      value: {
        ...none,
        fine,
        confiscated,
        assumption: `合计 ${yuan(total)}中含没收违法所得 ${yuan(confiscated)}，罚款按其余的 ${yuan(fine)}计`,
      },
    };
  }
  // Both named: "罚款5000元，没收违法所得120元" (either order, any joining words).
  const fineMatch = new RegExp(`罚款${AMOUNT_IN_TEXT}`).exec(full);
  const confiscatedMatch = new RegExp(`${CONFISCATION}${AMOUNT_IN_TEXT}`).exec(full);
  if (fineMatch || confiscatedMatch) {
    const fine = fineMatch ? amountOf(fineMatch[1]!, scale) : null;
    const confiscated = confiscatedMatch ? amountOf(confiscatedMatch[1]!, scale) : null;
    if ((fineMatch && fine === null) || (confiscatedMatch && confiscated === null)) return unreadable;
    const rest = full.replace(fineMatch?.[0] ?? '', '').replace(confiscatedMatch?.[0] ?? '', '');
    return { ok: true, value: { ...none, fine, confiscated, decisionText: DECISION_WORDS.test(rest) ? raw : '' } };
  }
  // A decision with no amount at all.
  if (!/\d/.test(full) && DECISION_WORDS.test(full)) return { ok: true, value: { ...none, decisionText: raw } };
  return unreadable;
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
