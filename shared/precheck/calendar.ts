/**
 * Dates as ISO strings (YYYY-MM-DD) and the official working-day calendar: 行政处罚法 art. 85 counts
 * its 二日、三日、五日、七日 as working days, so 法定节假日 do not count and the State Council's make-up
 * working Saturdays and Sundays (调休上班) do. The arrangements are those of the 国务院办公厅 notices on
 * the holidays of 2023, 2024, 2025 and 2026; years outside them fall back to Monday–Friday.
 */
export interface YearCalendar {
  /** 法定节假日 and the rest days joined to them. */
  holidays: Array<[string, string]>;
  /** Saturdays and Sundays that are working days (调休上班). */
  workdays: string[];
}

export const WORKING_DAY_CALENDAR: Record<number, YearCalendar> = {
  2023: {
    holidays: [
      ['2023-01-01', '2023-01-02'],
      ['2023-01-21', '2023-01-27'],
      ['2023-04-05', '2023-04-05'],
      ['2023-04-29', '2023-05-03'],
      ['2023-06-22', '2023-06-24'],
      ['2023-09-29', '2023-10-06'],
      ['2023-12-30', '2023-12-31'],
    ],
    workdays: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'],
  },
  2024: {
    holidays: [
      ['2024-01-01', '2024-01-01'],
      ['2024-02-10', '2024-02-17'],
      ['2024-04-04', '2024-04-06'],
      ['2024-05-01', '2024-05-05'],
      ['2024-06-08', '2024-06-10'],
      ['2024-09-15', '2024-09-17'],
      ['2024-10-01', '2024-10-07'],
    ],
    workdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  2025: {
    holidays: [
      ['2025-01-01', '2025-01-01'],
      ['2025-01-28', '2025-02-04'],
      ['2025-04-04', '2025-04-06'],
      ['2025-05-01', '2025-05-05'],
      ['2025-05-31', '2025-06-02'],
      ['2025-10-01', '2025-10-08'],
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  // 国务院办公厅关于2026年部分节假日安排的通知 (2025年11月4日, 新华社 the same day,
  // e.g. https://politics.gmw.cn/2025-11/04/content_38391083.htm): 元旦 1月1日–3日, 1月4日（周日）上班;
  // 春节 2月15日–23日, 2月14日（周六）、2月28日（周六）上班; 清明 4月4日–6日; 劳动节 5月1日–5日,
  // 5月9日（周六）上班; 端午 6月19日–21日; 中秋 9月25日–27日; 国庆 10月1日–7日, 9月20日（周日）、
  // 10月10日（周六）上班.
  2026: {
    holidays: [
      ['2026-01-01', '2026-01-03'],
      ['2026-02-15', '2026-02-23'],
      ['2026-04-04', '2026-04-06'],
      ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'],
      ['2026-09-25', '2026-09-27'],
      ['2026-10-01', '2026-10-07'],
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const holidaySet = new Set<string>();
const workdaySet = new Set<string>();
for (const year of Object.values(WORKING_DAY_CALENDAR)) {
  for (const [from, to] of year.holidays) for (let d = from; d <= to; d = addDays(d, 1)) holidaySet.add(d);
  for (const d of year.workdays) workdaySet.add(d);
}

export function isWorkingDay(iso: string): boolean {
  if (workdaySet.has(iso)) return true;
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidaySet.has(iso);
}

/** The `n`th working day after `iso` (the starting day itself is not counted, 行政处罚法 art. 85). */
export function addWorkingDays(iso: string, n: number): string {
  let d = iso;
  for (let left = n; left > 0;) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}

/** 2025年3月5日 → 2025-03-05 (null when the numbers are no real date). */
export function isoFromChinese(y: string, m: string, d: string): string | null {
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const t = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso ? null : iso;
}
