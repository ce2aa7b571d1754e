/**
 * A reviewer's own workload in a campaign — the files assigned to them still to score and those
 * delivered — in place of the campaign-wide counts an organiser reads.
 */
import { isDeliveredStatus } from '../../../../shared/scoring/sheet-state';
import type { BoardRow } from '../../../../shared/panel/views';
import { useQuery } from '../../api/hooks';

export function myWorkCounts(rows: readonly BoardRow[]): { pending: number; submitted: number } {
  const mine = rows.filter((r) => r.mine.assigned || r.mine.status !== null);
  const submitted = mine.filter((r) => r.mine.status !== null && isDeliveredStatus(r.mine.status)).length;
  return { pending: mine.length - submitted, submitted };
}

export function MyWorkLine({ rows }: { rows: readonly BoardRow[] | undefined }) {
  if (!rows) return null;
  const { pending, submitted } = myWorkCounts(rows);
  return (
    <span data-testid="my-work">
      我的案卷 <b className="num">{pending + submitted}</b> 件 · 已提交 <b className="num">{submitted}</b> 件
    </span>
  );
}

/** The same line for one campaign of the list (its own query, refreshed as sheets move). */
export function CampaignMyWork({ campaignId }: { campaignId: string }) {
  const board = useQuery(
    'review:board',
    { campaignId },
    { refreshOn: (c) => c.campaignId === campaignId && (c.entity === 'case' || c.entity === 'sheet') },
  );
  return <MyWorkLine rows={board.data} />;
}
