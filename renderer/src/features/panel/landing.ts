/**
 * Where a lead starts after logging in: the 合议 of the first file waiting for his decision (组长确认
 * or 集体评议), so the meeting picks up where it stands instead of on the campaign list. Null when
 * nothing waits (or the look-up fails: the campaign list is then the start, as for everyone).
 */
import { invoke } from '../../api/client';
import { href } from '../../app/router';

/** Enough campaigns to find the current one without reading the whole history at every login. */
const CAMPAIGNS_LOOKED_AT = 5;

export async function leadLanding(user: { role: string }): Promise<string | null> {
  if (user.role !== 'lead') return null;
  try {
    const campaigns = await invoke('campaign:list', {});
    for (const c of campaigns.slice(0, CAMPAIGNS_LOOKED_AT)) {
      // The first file in 案号 order waiting for the lead, found in SQL (a province's board is never read whole).
      const board = await invoke('review:board', {
        campaignId: c.id,
        filter: { state: 'flagged', routes: ['confirm', 'panel'] },
        limit: 1,
      });
      const waiting = board.rows[0];
      if (waiting) return href.reconcile(waiting.caseId);
    }
  } catch {
    // The landing is a convenience: a failed look-up leaves the lead on the campaign list.
  }
  return null;
}
