/**
 * Calendar days as the workstation writes them (yyyy-mm-dd) and as people type them: 2026-12-07,
 * 2026/12/7, 2026.12.7, 20261207 or 2026年12月7日. An impossible day (2月30日) is refused with a
 * sentence that says why, rather than rolled over into March as Date would.
 */

export type DayInput = { kind: 'empty' } | { kind: 'day'; iso: string } | { kind: 'error'; message: string };

const pad = (n: number): string => String(n).padStart(2, '0');

export const isoDay = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;

export const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** "2026年12月7日" — how a day is read in the UI and in documents. */
export function chineseDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

export function parseDayInput(text: string): DayInput {
  const t = text.trim().replace(/\s+/g, '');
  if (!t) return { kind: 'empty' };
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return { kind: 'error', message: `“${text.trim()}”不是日期，请按 年-月-日 填写，如 2026-12-07。` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2199) return { kind: 'error', message: `年份 ${y} 不在 1900—2199 之间，请检查。` };
  if (mo < 1 || mo > 12) return { kind: 'error', message: `没有 ${mo} 月，月份应为 1—12。` };
  const last = daysInMonth(y, mo);
  if (d < 1 || d > last) return { kind: 'error', message: `${y}年${mo}月没有 ${d} 日（这个月只有 ${last} 天）。` };
  return { kind: 'day', iso: isoDay(y, mo, d) };
}

/** The day `n` days (or months) after an ISO day; a month step keeps the day within the month (1月31日 + 1 月 = 2月28日). */
export function addDaysIso(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return isoDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function addMonthsIso(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return isoDay(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Monday-first weekday (0 = 星期一 … 6 = 星期日), as Chinese calendars lay out weeks. */
export function weekdayMondayFirst(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** An instant (ISO, UTC) as this PC's calendar day, 2026-12-07 — the one way the UI writes a day. */
export function localDayOf(instant: string): string {
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? instant : isoDay(d.getFullYear(), d.getMonth() + 1, d.getDate());
}

/** An instant as this PC's day and minute, 2026-12-07 16:05. */
export function localMinuteOf(instant: string): string {
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? instant : `${localDayOf(instant)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
