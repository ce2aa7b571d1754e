/** Printed documents are dated on the PC's own calendar, not in UTC (Beijing is 8 hours ahead). */
import { afterEach, describe, expect, it } from 'vitest';
import { localToday } from '../../../electron/services/core/context.js';

const saved = process.env.TZ;
afterEach(() => {
  process.env.TZ = saved;
});

describe('localToday', () => {
  it('gives the Beijing date in the early morning, when the UTC date is still yesterday', () => {
    process.env.TZ = 'Asia/Shanghai';
    const sevenAm = new Date('2025-03-04T23:10:00Z'); // 2025-03-05 07:10 in Beijing
    expect(sevenAm.toISOString().slice(0, 10)).toBe('2025-03-04');
    expect(localToday(sevenAm)).toBe('2025-03-05');
  });
});
