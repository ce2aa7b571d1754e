import { describe, expect, it } from 'vitest';
import {
  addDaysIso,
  addMonthsIso,
  chineseDay,
  localDayOf,
  localMinuteOf,
  parseDayInput,
  weekdayMondayFirst,
} from '../../../shared/core/dates.js';

describe('days as people type them', () => {
  it('reads the usual spellings as one ISO day', () => {
    for (const t of ['2026-12-07', '2026/12/7', '2026.12.7', '20261207', '2026年12月7日', ' 2026 年 12 月 7 日 '])
      expect(parseDayInput(t)).toEqual({ kind: 'day', iso: '2026-12-07' });
    expect(parseDayInput('  ')).toEqual({ kind: 'empty' });
  });

  it('refuses an impossible day with the reason instead of rolling it over', () => {
    expect(parseDayInput('2026-02-30')).toEqual({ kind: 'error', message: '2026年2月没有 30 日（这个月只有 28 天）。' });
    expect(parseDayInput('2024-02-29')).toEqual({ kind: 'day', iso: '2024-02-29' });
    expect(parseDayInput('2026-13-01').kind).toBe('error');
    expect(parseDayInput('12/07/2026')).toMatchObject({ kind: 'error', message: expect.stringContaining('请按 年-月-日 填写') });
  });

  it('steps days and months the way the calendar keys do', () => {
    expect(addDaysIso('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysIso('2026-03-01', -1)).toBe('2026-02-28');
    expect(addMonthsIso('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsIso('2026-01-15', -1)).toBe('2025-12-15');
    expect(weekdayMondayFirst('2026-12-07')).toBe(0);
    expect(chineseDay('2026-12-07')).toBe('2026年12月7日');
  });
});

describe('instants shown as days', () => {
  it('writes the day as yyyy-mm-dd whatever the locale would (2026/12/7, 12/7/2026)', () => {
    const noon = new Date(2026, 11, 7, 12, 5).toISOString();
    expect(localDayOf(noon)).toBe('2026-12-07');
    expect(localMinuteOf(noon)).toBe('2026-12-07 12:05');
  });
});
