import { describe, expect, it } from 'vitest';
import { yearInName } from '../../../shared/campaigns/campaign.js';
import { defaultReviewYear } from '../../../shared/campaigns/year-in-name.js';

describe('a new campaign’s 年度 from its name', () => {
  it('takes the four-digit year the name states', () => {
    expect(yearInName('2025年度清溪县行政执法案卷评查')).toBe(2025);
    expect(yearInName('清溪县 2024 年度行政执法案卷集中评查')).toBe(2024);
    expect(yearInName('２０２３年度行政执法案卷评查')).toBe(2023);
  });

  it('ignores numbers that are not a year', () => {
    expect(yearInName('行政执法案卷集中评查')).toBeNull();
    expect(yearInName('第12345批案卷评查')).toBeNull();
    expect(yearInName('清政办〔1998〕3号要求的评查')).toBeNull();
    expect(yearInName('第3季度评查（共120件）')).toBeNull();
  });
});

describe('the 评查年度 a new campaign starts with', () => {
  it('is the year in the name, else the year before today (a campaign reviews the previous year’s files)', () => {
    const today = new Date(2026, 11, 7);
    expect(defaultReviewYear('', today)).toBe(2025);
    expect(defaultReviewYear('清溪县行政执法案卷评查', today)).toBe(2025);
    expect(defaultReviewYear('清溪县2024年度行政执法案卷评查', today)).toBe(2024);
  });
});
