import type { ReviewRoute } from '../../../../shared/panel/divergence';
import { REVIEW_STAGE_LABELS, reviewStage } from '../../../../shared/panel/review-states';
import type { BoardRow, ReviewState } from '../../../../shared/panel/views';
import { fmt } from '../../../../shared/standards/tree';

/** 未评分 / 评分中 / 待复核（王五）/ 待集体评议 / 待组长确认 / 已定分. */
export function reviewStateText(state: ReviewState, route: ReviewRoute | null, assigneeName: string | null): string {
  // The case list's filter uses the same words (REVIEW_STAGE_LABELS), so every state shown can be filtered.
  return `${REVIEW_STAGE_LABELS[reviewStage(state, route)]}${route === 'recheck' && assigneeName ? `（${assigneeName}）` : ''}`;
}

export function ReviewStateBadge({
  state,
  route,
  assigneeName,
  large,
}: {
  state: ReviewState;
  route: ReviewRoute | null;
  assigneeName: string | null;
  large?: boolean;
}) {
  const tone =
    state === 'flagged'
      ? route === 'panel'
        ? 'badge-danger'
        : 'badge-warn'
      : state === 'final'
        ? 'badge-ok'
        : state === 'scoring'
          ? 'badge-primary'
          : '';
  return (
    <span
      className={`badge ${tone} ${large ? 'grade' : ''}`}
      data-testid="review-state"
      title={reviewStateText(state, route, assigneeName)}
    >
      {reviewStateText(state, route, assigneeName)}
    </span>
  );
}

/** The case list's 定分 column: the final score and grade, or where the file stands. */
export function BoardCell({ row }: { row: BoardRow | undefined }) {
  if (!row) return null;
  if (row.final)
    return (
      <span
        className={`badge ${row.final.vetoed || row.final.grade === '不合格' ? 'badge-danger' : 'badge-ok'}`}
        title={`${fmt(row.final.total)} 分 · ${row.final.grade}`}
      >
        {fmt(row.final.total)} 分 · {row.final.grade}
      </span>
    );
  return <ReviewStateBadge state={row.state} route={row.route} assigneeName={row.assigneeName} />;
}
