/**
 * The access policy, enforced by the dispatcher from each channel's declaration (shared/contract):
 * - roles: `access` lists who may call;
 * - scope: the campaign (and file) a call acts on is resolved from the one input field its `scope`
 *   names; a missing one is `not_found`;
 * - files: organisers, leads and observers see every file of a campaign; a reviewer reaches only the
 *   files assigned to them (or named for 复核), whatever channel names the file;
 * - read-only copies: a campaign that came in a reviewer's work package only scores and marks there
 *   (no `structure` writes); a reported copy only reads.
 * Lists of a campaign's files filter with `visibleCaseIds`, which every call's context carries.
 */
import { SCOPE_FIELDS, type ChannelSpec, type Scope } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/core/errors.js';
import { SEE_ALL_ROLES } from '../../../shared/panel/panel.js';
import type { Actor } from './context.js';
import type { Db } from './db/database.js';

export const NOT_ASSIGNED = '该案卷未分配给您，无权查看。';
/** The organiser reads every file, but marks only those they review themselves. */
export const NOT_ASSIGNED_TO_MARK = '您未被分配评查此案卷，仅可查阅，不能添加或修改批注。';
export const OBSERVER_READS_ONLY = '观察员仅可查阅，不能添加批注。';

export interface ResolvedScope {
  campaignId: string | null;
  caseId: string | null;
}

const NONE: ResolvedScope = { campaignId: null, caseId: null };

/** How each scope reaches its campaign (and file), and what to say when the row is not there. */
const LOOKUPS: Record<Exclude<Scope, 'none'>, { sql: string; missing: string }> = {
  campaign: { sql: 'SELECT id AS campaign_id, NULL AS case_id FROM campaigns WHERE id = ?', missing: '评查活动不存在。' },
  campaignOrFile: { sql: 'SELECT id AS campaign_id, NULL AS case_id FROM campaigns WHERE id = ?', missing: '评查活动不存在。' },
  case: { sql: 'SELECT campaign_id, id AS case_id FROM cases WHERE id = ?', missing: '案卷不存在。' },
  document: {
    sql: 'SELECT c.campaign_id, d.case_id FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.id = ?',
    missing: '文件不存在。',
  },
  sheet: {
    sql: 'SELECT c.campaign_id, s.case_id FROM sheets s JOIN cases c ON c.id = s.case_id WHERE s.id = ?',
    missing: '评查表不存在。',
  },
  letter: { sql: 'SELECT campaign_id, NULL AS case_id FROM letters WHERE id = ?', missing: '文书不存在。' },
  ledgerRow: {
    sql: `WITH q(id) AS (SELECT ?) SELECT campaign_id, NULL AS case_id FROM ledger_items WHERE id = (SELECT id FROM q)
      UNION ALL SELECT campaign_id, NULL AS case_id FROM ledger_manual_items WHERE id = (SELECT id FROM q)`,
    missing: '台账条目不存在。',
  },
  ledgerEvidence: {
    sql: `WITH q(id) AS (SELECT ?) SELECT l.campaign_id, NULL AS case_id FROM ledger_evidence e JOIN ledger_items l ON l.id = e.ledger_item_id WHERE e.id = (SELECT id FROM q)
      UNION ALL SELECT m.campaign_id, NULL AS case_id FROM ledger_manual_evidence e JOIN ledger_manual_items m ON m.id = e.manual_item_id WHERE e.id = (SELECT id FROM q)`,
    missing: '佐证材料不存在。',
  },
  importBatch: { sql: 'SELECT campaign_id, NULL AS case_id FROM import_batches WHERE id = ?', missing: '导入记录不存在。' },
  packageConflict: { sql: 'SELECT campaign_id, NULL AS case_id FROM package_conflicts WHERE id = ?', missing: '冲突记录不存在。' },
};

export const READ_ONLY_MESSAGES = {
  report: '这是上报的只读评查活动，不能修改。',
  reviewer: '这是从评查工作包导入的只读评查活动：只能评分和批注，活动设置、案卷和分配由评查组长在原工作站管理。',
} as const;

/** Said while a prepared restore waits for the restart: work done now would not be in the restored data. */
export const RESTORE_PENDING_MESSAGE =
  '已准备用备份恢复本工作站的数据：重新启动前所做的修改在恢复后不会保留，所以现在暂停评分和修改。请重新启动工作站；如不再恢复，请组织者在“设置”中点“放弃恢复”。';

export class Policy {
  constructor(
    private readonly db: Db,
    /** Whether a restore waits for the next start (then scoring and structure writes are refused). */
    private readonly restorePending: () => boolean = () => false,
  ) {}

  seesAll(actor: Actor): boolean {
    return SEE_ALL_ROLES.includes(actor.role);
  }

  isAssigned(userId: string, caseId: string): boolean {
    return (
      !!this.db.prepare('SELECT 1 FROM assignments WHERE case_id = ? AND reviewer_id = ?').get(caseId, userId) ||
      // The person the lead named for 复核 of a flagged file needs the file to re-review it.
      !!this.db.prepare("SELECT 1 FROM case_reviews WHERE case_id = ? AND assignee_id = ? AND route = 'recheck'").get(caseId, userId)
    );
  }

  canSeeCase(actor: Actor, caseId: string): boolean {
    return this.seesAll(actor) || this.isAssigned(actor.id, caseId);
  }

  /**
   * Why the actor may not mark a file, or null when they may. Marks are a reviewer's working notes and
   * evidence for their sheet: the organiser sees every file to run the campaign, but on a file not
   * assigned to them they only read. The lead marks during 合议 and 复核 on any file they settle.
   */
  markRefusal(actor: Actor, caseId: string): string | null {
    if (actor.role === 'observer') return OBSERVER_READS_ONLY;
    if (actor.role === 'organiser' && !this.isAssigned(actor.id, caseId)) return NOT_ASSIGNED_TO_MARK;
    return null;
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

  /** The campaign (and file) named by the input field the scope declares; throws `not_found`. */
  resolve(scope: Scope, input: unknown): ResolvedScope {
    const field = SCOPE_FIELDS[scope];
    if (scope === 'none' || field === null) return NONE;
    const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[field] : undefined;
    if (typeof value !== 'string') return NONE;
    const lookup = LOOKUPS[scope];
    const row = this.db.prepare(lookup.sql).get(value) as { campaign_id: string; case_id: string | null } | undefined;
    if (!row) throw new AppError('not_found', lookup.missing);
    const caseId = (input as { caseId?: unknown }).caseId;
    if (scope === 'campaignOrFile' && typeof caseId === 'string') {
      if (!this.db.prepare('SELECT 1 FROM cases WHERE id = ? AND campaign_id = ?').get(caseId, row.campaign_id))
        throw new AppError('not_found', LOOKUPS.case.missing);
      return { campaignId: row.campaign_id, caseId };
    }
    return { campaignId: row.campaign_id, caseId: row.case_id };
  }

  /** What kind of read-only copy a campaign is on this workstation, if it is one. */
  copyKind(campaignId: string): 'reviewer' | 'report' | null {
    const row = this.db.prepare('SELECT kind FROM campaign_replicas WHERE campaign_id = ?').get(campaignId) as { kind: string } | undefined;
    return row?.kind === 'reviewer' || row?.kind === 'report' ? row.kind : null;
  }

  /**
   * Checks a call (after its roles and input) against its declaration and returns what it acts on.
   * Throws `not_found`, `forbidden` (a file not assigned to a reviewer) or `locked` (a read-only copy).
   */
  check(spec: Pick<ChannelSpec, 'scope' | 'writes'>, actor: Actor | null, input: unknown): ResolvedScope {
    const resolved = this.resolve(spec.scope, input);
    this.enforce(spec, actor, resolved);
    return resolved;
  }

  /** The file rule and the read-only rule for a call whose scope is resolved. */
  enforce(spec: Pick<ChannelSpec, 'writes'>, actor: Actor | null, resolved: ResolvedScope): void {
    if ((spec.writes === 'structure' || spec.writes === 'scoring') && this.restorePending())
      throw new AppError('locked', RESTORE_PENDING_MESSAGE, { reason: 'restore_pending' });
    if (actor && resolved.caseId && !this.canSeeCase(actor, resolved.caseId)) throw new AppError('forbidden', NOT_ASSIGNED);
    if (resolved.campaignId && (spec.writes === 'structure' || spec.writes === 'scoring')) {
      const kind = this.copyKind(resolved.campaignId);
      if (kind === 'report' || (kind === 'reviewer' && spec.writes === 'structure'))
        throw new AppError('locked', READ_ONLY_MESSAGES[kind], { reason: 'read_only_copy' });
    }
  }
}
