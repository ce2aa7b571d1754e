/**
 * A reviewer's own workload in a campaign — the files assigned to them still to score and those
 * delivered — in place of the campaign-wide counts an organiser reads. The results board counts it
 * in SQL beside its first page, so the line costs the same in a county and in a province.
 */
import type { BoardPage } from '../../../../shared/panel/views';
import { useQuery } from '../../api/hooks';

export function MyWorkLine({ page }: { page: Pick<BoardPage, 'counts'> | undefined }) {
  if (!page) return null;
  const { pending, submitted } = page.counts.mine;
  return (
    <span data-testid="my-work">
      我的案卷 <b className="num">{pending + submitted}</b> 件 · 已提交 <b className="num">{submitted}</b> 件
    </span>
  );
}

/** The board's counts alone (no row): the line reads nothing else. */
export const MY_WORK_QUERY = { limit: 0 } as const;

/** The same line for one campaign of the list (its own query, refreshed as sheets move). */
export function CampaignMyWork({ campaignId }: { campaignId: string }) {
  const board = useQuery(
    'review:board',
    { campaignId, ...MY_WORK_QUERY },
    { refreshOn: (c) => c.campaignId === campaignId && (c.entity === 'case' || c.entity === 'sheet') },
  );
  return <MyWorkLine page={board.data} />;
}
