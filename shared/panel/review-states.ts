/** Where a file stands in review and how it was settled (views.ts holds the schemas and re-exports these; kept free of zod for the screens). */

/** Where a file stands: nobody scored it / being scored / needs a decision / settled. */
export const REVIEW_STATES = ['unscored', 'scoring', 'flagged', 'final'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  unscored: '未评',
  scoring: '评分中',
  flagged: '待合议',
  final: '已定分',
};

/** How a file was settled: its sheets agreed (automatically), or the panel decided. */
export const FINAL_SOURCES = ['auto', 'panel'] as const;
export type FinalSource = (typeof FINAL_SOURCES)[number];
export const FINAL_SOURCE_LABELS: Record<FinalSource, string> = { auto: '评分一致，自动定分', panel: '合议定分' };
