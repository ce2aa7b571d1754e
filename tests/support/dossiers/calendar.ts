/**
 * Dates as ISO strings (YYYY-MM-DD, no time zone) and the 2025 working-day calendar: 行政处罚法 art. 85
 * counts its 二日…七日 as working days, without 法定节假日 (the State Council's 2025 arrangement, with
 * its make-up working Saturdays and Sundays).
 *
 * Kept apart from shared/precheck/calendar.ts on purpose: the fixtures' truth (which deadline a dossier
 * misses) is the oracle the pre-check is measured against, so it must not share the engine's code or data.
 */
const HOLIDAYS_2025 = new Set([
  '2025-01-01',
  ...range('2025-01-28', '2025-02-04'),
  ...range('2025-04-04', '2025-04-06'),
  ...range('2025-05-01', '2025-05-05'),
  ...range('2025-05-31', '2025-06-02'),
  ...range('2025-10-01', '2025-10-08'),
]);
const MAKE_UP_WORKDAYS_2025 = new Set(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const isWeekend = (iso: string): boolean => [0, 6].includes(new Date(`${iso}T00:00:00Z`).getUTCDay());

export function isWorkingDay(iso: string, { holidays = true } = {}): boolean {
  if (!holidays) return !isWeekend(iso);
  if (MAKE_UP_WORKDAYS_2025.has(iso)) return true;
  return !isWeekend(iso) && !HOLIDAYS_2025.has(iso);
}

/** The `n`th working day after `iso` (the starting day itself is not counted). */
export function addWorkingDays(iso: string, n: number, options: { holidays?: boolean } = {}): string {
  let d = iso;
  for (let left = n; left > 0;) {
    d = addDays(d, 1);
    if (isWorkingDay(d, options)) left--;
  }
  return d;
}

/** Working days after `from` up to and including `to`. */
export function workingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}

/** The same day, or the next working day when it falls on a weekend or holiday (offices sign on working days). */
export function onWorkingDay(iso: string): string {
  let d = iso;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/** 2025年3月5日 */
export const cnDate = (iso: string): string => `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
