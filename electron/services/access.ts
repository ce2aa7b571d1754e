/**
 * Who may see which file — the one place that decides it. Organisers, leads and observers see every
 * file of a campaign; a reviewer sees only the files assigned to them (case list, case detail,
 * documents, annotations, score sheets). Observers stay read-only through the contract's role lists.
 *
 * The file-scoped channels are listed in CASE_SCOPED; `guard` wraps their handlers so the check runs
 * before the service, for every transport. A new channel that takes a case or document id belongs in
 * that table.
 */
import type { Channel, ParsedInput } from '../../shared/contract.js';
import { SEE_ALL_ROLES } from '../../shared/domain/panel.js';
import { AppError } from '../../shared/errors.js';
import type { Actor } from './context.js';
import type { Db } from './db/database.js';
import type { Handlers } from './dispatcher.js';

type Target = { caseId: string } | { documentId: string };

/** Channels that touch one file, and how to find that file in their input. */
const CASE_SCOPED: { [C in Channel]?: (input: ParsedInput<C>) => Target } = {
  'case:get': (i) => ({ caseId: i.caseId }),
  'document:open': (i) => ({ documentId: i.documentId }),
  'annotation:list': (i) => ({ documentId: i.documentId }),
  'annotation:save': (i) => ({ documentId: i.documentId }),
  'sheet:open': (i) => ({ caseId: i.caseId }),
  'export:caseSheet': (i) => ({ caseId: i.caseId }),
};

export const NOT_ASSIGNED = '该案卷未分配给您，无权查看。';

export class AccessService {
  constructor(private readonly db: Db) {}

  seesAll(actor: Actor): boolean {
    return SEE_ALL_ROLES.includes(actor.role);
  }

  isAssigned(userId: string, caseId: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM assignments WHERE case_id = ? AND reviewer_id = ?').get(caseId, userId);
  }

  canSeeCase(actor: Actor, caseId: string): boolean {
    return this.seesAll(actor) || this.isAssigned(actor.id, caseId);
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

  /** The handlers with the file rule in front of every file-scoped channel and the case list filtered. */
  guard(handlers: Handlers): Handlers {
    const guarded: Handlers = { ...handlers };
    for (const channel of Object.keys(CASE_SCOPED) as Channel[]) {
      const target = CASE_SCOPED[channel] as (input: unknown) => Target;
      const inner = handlers[channel] as (input: unknown, ctx: Parameters<Handlers[Channel]>[1]) => unknown;
      (guarded as Record<string, unknown>)[channel] = (input: unknown, ctx: Parameters<Handlers[Channel]>[1]) => {
        const t = target(input);
        if ('caseId' in t) this.assertCase(ctx.actor!, t.caseId);
        else this.assertDocument(ctx.actor!, t.documentId);
        return inner(input, ctx);
      };
    }
    const list = handlers['case:list'];
    guarded['case:list'] = async (input, ctx) => {
      const cases = await list(input, ctx);
      const actor = ctx.actor!;
      if (this.seesAll(actor)) return cases;
      const mine = new Set(
        (this.db.prepare('SELECT case_id FROM assignments WHERE reviewer_id = ? AND campaign_id = ?').all(actor.id, input.campaignId) as Array<{ case_id: string }>).map(
          (r) => r.case_id,
        ),
      );
      return cases.filter((c) => mine.has(c.id));
    };
    return guarded;
  }
}
