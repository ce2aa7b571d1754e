/**
 * Who may see which file — the one place that decides it. Organisers, leads and observers see every
 * file of a campaign; a reviewer sees only the files assigned to them (case list, case detail,
 * documents, annotations, score sheets, exports). Observers stay read-only through the contract's role
 * lists.
 *
 * `guard` puts the rule in front of every channel whose input names a file — a `caseId` or a
 * `documentId` — so a channel added later is covered without being listed here, for every transport.
 * Lists are the exception: `case:list` is filtered here; a new channel that lists files of a campaign
 * must filter with `visibleCaseIds`.
 */
import type { Channel } from '../../../shared/contract/index.js';
import { SEE_ALL_ROLES } from '../../../shared/panel/panel.js';
import { AppError } from '../../../shared/core/errors.js';
import type { Actor, CallContext } from './context.js';
import type { Db } from './db/database.js';
import type { Handlers } from './dispatcher.js';

export const NOT_ASSIGNED = '该案卷未分配给您，无权查看。';

/** The file a call names, if any. */
function fileNamedBy(input: unknown): { caseId: string } | { documentId: string } | null {
  if (typeof input !== 'object' || input === null) return null;
  const { caseId, documentId } = input as { caseId?: unknown; documentId?: unknown };
  if (typeof caseId === 'string') return { caseId };
  if (typeof documentId === 'string') return { documentId };
  return null;
}

export class AccessService {
  constructor(private readonly db: Db) {}

  seesAll(actor: Actor): boolean {
    return SEE_ALL_ROLES.includes(actor.role);
  }

  isAssigned(userId: string, caseId: string): boolean {
    return (
      !!this.db.prepare('SELECT 1 FROM assignments WHERE case_id = ? AND reviewer_id = ?').get(caseId, userId) ||
      // The person the lead named for 复核 of a flagged file (issue 6) needs the file to re-review it.
      !!this.db.prepare("SELECT 1 FROM case_reviews WHERE case_id = ? AND assignee_id = ? AND route = 'recheck'").get(caseId, userId)
    );
  }

  canSeeCase(actor: Actor, caseId: string): boolean {
    return this.seesAll(actor) || this.isAssigned(actor.id, caseId);
  }

  /** The case ids of a campaign the actor may see, or 'all'. */
  visibleCaseIds(actor: Actor, campaignId: string): Set<string> | 'all' {
    if (this.seesAll(actor)) return 'all';
    return new Set(
      (
        this.db
          .prepare(
            `SELECT case_id FROM assignments WHERE reviewer_id = ? AND campaign_id = ?
             UNION SELECT r.case_id FROM case_reviews r JOIN cases c ON c.id = r.case_id WHERE r.assignee_id = ? AND r.route = 'recheck' AND c.campaign_id = ?`,
          )
          .all(actor.id, campaignId, actor.id, campaignId) as Array<{ case_id: string }>
      ).map((r) => r.case_id),
    );
  }

  /** Throws `not_found` for a file that does not exist and `forbidden` for one the caller may not see. */
  assertCase(actor: Actor, caseId: string): void {
    if (!this.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId)) throw new AppError('not_found', '案卷不存在。');
    if (!this.canSeeCase(actor, caseId)) throw new AppError('forbidden', NOT_ASSIGNED);
  }

  assertDocument(actor: Actor, documentId: string): void {
    const row = this.db.prepare('SELECT case_id FROM documents WHERE id = ?').get(documentId) as { case_id: string } | undefined;
    if (!row) throw new AppError('not_found', '文件不存在。');
    if (!this.canSeeCase(actor, row.case_id)) throw new AppError('forbidden', NOT_ASSIGNED);
  }

  /** The handlers with the file rule in front of every file-naming channel, and the case list filtered. */
  guard(handlers: Handlers): Handlers {
    const guarded = { ...handlers } as Record<Channel, (input: unknown, ctx: CallContext) => unknown>;
    for (const channel of Object.keys(handlers) as Channel[]) {
      const inner = guarded[channel];
      guarded[channel] = (input, ctx) => {
        const file = ctx.actor && !this.seesAll(ctx.actor) ? fileNamedBy(input) : null;
        if (file && 'caseId' in file) this.assertCase(ctx.actor!, file.caseId);
        else if (file) this.assertDocument(ctx.actor!, file.documentId);
        return inner(input, ctx);
      };
    }
    const list = handlers['case:list'];
    (guarded as Handlers)['case:list'] = async (input, ctx) => {
      const cases = await list(input, ctx);
      const visible = this.visibleCaseIds(ctx.actor!, input.campaignId);
      return visible === 'all' ? cases : cases.filter((c) => visible.has(c.id));
    };
    return guarded as Handlers;
  }
}
