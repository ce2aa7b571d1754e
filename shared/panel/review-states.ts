/** Where a file stands in review and how it was settled (views.ts holds the schemas and re-exports these; kept free of zod for the screens). */

/** Where a file stands: nobody scored it / being scored / needs a decision / settled. */
export const REVIEW_STATES = ['unscored', 'scoring', 'flagged', 'final'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  unscored: '未评分',
  scoring: '评分中',
  flagged: '待合议',
  final: '已定分',
};

/**
 * What the case list shows and filters by, one vocabulary for both: the review state, with a file
 * waiting for a decision named by who decides it (组长确认 / 复核 / 集体评议). 待合议 remains for a
 * reader who may not see how the file is routed (blind review).
 */
export const REVIEW_STAGES = ['unscored', 'scoring', 'confirm', 'recheck', 'panel', 'flagged', 'final'] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];
export const REVIEW_STAGE_LABELS: Record<ReviewStage, string> = {
  unscored: '未评分',
  scoring: '评分中',
  confirm: '待组长确认',
  recheck: '待复核',
  panel: '待集体评议',
  flagged: '待合议',
  final: '已定分',
};
/** The stage of a file from its state and (when the reader may see it) its route. */
export const reviewStage = (state: ReviewState, route: 'confirm' | 'recheck' | 'panel' | null): ReviewStage =>
  state === 'flagged' && route ? route : state;

/** How a file was settled: its sheets agreed (automatically), or the panel decided. */
export const FINAL_SOURCES = ['auto', 'panel'] as const;
export type FinalSource = (typeof FINAL_SOURCES)[number];
export const FINAL_SOURCE_LABELS: Record<FinalSource, string> = { auto: '评分一致，自动定分', panel: '合议定分' };
