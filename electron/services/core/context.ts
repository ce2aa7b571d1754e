/** What every service call knows about who is calling. */
import type { Role } from '../../../shared/people/roles.js';

export interface Actor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

export interface CallContext {
  /** Identifies the window/browser context making the call (login state is kept per client). */
  clientId: string;
  /** The logged-in user, or null before login (only 'public' channels run then). */
  actor: Actor | null;
  /** The campaign (and file) the call acts on, resolved by the dispatcher from the channel's declared scope. */
  scope: { campaignId: string | null; caseId: string | null };
  /** The files of a campaign the caller may see (a reviewer: those assigned to them), or 'all'. */
  visibleCaseIds(campaignId: string): Set<string> | 'all';
}

/** A call the back end makes on a person's behalf inside another call (the outer call was checked). */
export function innerContext(clientId: string, actor: Actor): CallContext {
  return { clientId, actor, scope: { campaignId: null, caseId: null }, visibleCaseIds: () => 'all' };
}

/** Narrowing helper for services behind a non-public channel (the dispatcher already checked). */
export function requireActor(ctx: CallContext): Actor {
  if (!ctx.actor) throw new Error('requireActor on a public call: contract access is wrong');
  return ctx.actor;
}

export const nowIso = (): string => new Date().toISOString();

/** Today's date on this PC's calendar, YYYY-MM-DD: what a printed document is dated (nowIso is UTC). */
export function localToday(now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
