/**
 * The audit trail: one row per change to review data, written by the service inside the same
 * transaction as the change, so a change without its audit row cannot exist.
 */
import type { Db } from './db/database.js';
import { nowIso } from './context.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  campaignId?: string | null;
  before?: unknown;
  after?: unknown;
}

export function writeAudit(db: Db, entry: AuditEntry): void {
  if (!db.inTransaction) throw new Error('writeAudit must run inside the transaction that makes the change');
  db.prepare(
    `INSERT INTO audit_log (at, actor_id, action, entity, entity_id, campaign_id, before_json, after_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    nowIso(),
    entry.actorId,
    entry.action,
    entry.entity,
    entry.entityId ?? null,
    entry.campaignId ?? null,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
  );
}
