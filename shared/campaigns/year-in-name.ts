/** Zod-free, so the campaign list (loaded at start-up) can use it without the schemas. */

/**
 * The year a campaign's name states ("2025年度行政执法案卷集中评查" → 2025), or null. The 通报's title
 * quotes the 年度 field, so a new campaign's year follows its name rather than today's date.
 */
export function yearInName(name: string): number | null {
  // NFKC turns full-width digits (２０２５) into ASCII ones.
  for (const m of name.normalize('NFKC').matchAll(/(?<!\d)(\d{4})(?!\d)/g)) {
    const year = Number(m[1]);
    if (year >= 2000 && year <= 2100) return year;
  }
  return null;
}

/**
 * The 评查年度 a new campaign starts with: the year its name states, else the year before today's —
 * a review looks at the files closed in the previous year (the 2026 campaign reviews 2025's files).
 */
export function defaultReviewYear(name: string, today = new Date()): number {
  return yearInName(name) ?? today.getFullYear() - 1;
}
