/**
 * The 留痕 as its screen reads it: the row with its actor's and campaign's names, the filters turned into
 * SQL over the stored, indexed columns, and the queries (a page by keyset, an export, the filter lists).
 */
import type { AuditCursor, AuditFilter } from '../../../shared/audit/channels.js';
import { AppError } from '../../../shared/core/errors.js';
import type { Db } from '../core/db/database.js';

export interface DbRow {
  id: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  before_json: string | null;
  after_json: string | null;
  segment: string;
}

/** A local calendar day's start as the UTC instant the trail stores (`at` is ISO UTC). */
const dayStart = (day: string, plusDays = 0): string => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

function where(filter: AuditFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    parts.push(sql);
    params.push(value);
  };
  if (filter.actorId) add('a.actor_id = ?', filter.actorId);
  if (filter.action) add('a.action = ?', filter.action);
  if (filter.campaignId) add('a.campaign_id = ?', filter.campaignId);
  if (filter.entityId) add('a.entity_id = ?', filter.entityId.trim());
  if (filter.from) add('a.at >= ?', dayStart(filter.from));
  if (filter.to) add('a.at < ?', dayStart(filter.to, 1));
  if (filter.from && filter.to && filter.from > filter.to) throw new AppError('invalid_input', '起始日期不能晚于截止日期。');
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/**
 * The row's campaign: as written, or — for rows an older version wrote without it — the campaign of
 * the sheet or file the row is about (the trail itself is never rewritten). Shown only: the campaign
 * filter stays on the stored column and its index.
 */
const CAMPAIGN = `COALESCE(a.campaign_id,
  CASE a.entity WHEN 'sheet' THEN (SELECT k.campaign_id FROM sheets s JOIN cases k ON k.id = s.case_id WHERE s.id = a.entity_id)
                WHEN 'case' THEN (SELECT k.campaign_id FROM cases k WHERE k.id = a.entity_id) END)`;

const SELECT = `SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.action, a.entity, a.entity_id, ${CAMPAIGN} AS campaign_id,
  c.name AS campaign_name, a.before_json, a.after_json, a.segment
  FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN campaigns c ON c.id = ${CAMPAIGN}`;

function prepare(db: Db) {
  return {
    actors: db.prepare('SELECT id, display_name AS name FROM users ORDER BY display_name'),
    campaigns: db.prepare('SELECT id, name FROM campaigns ORDER BY created_at DESC'),
  };
}

export class AuditRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(private readonly db: Db) {
    this.q = prepare(db);
  }

  /** Up to `limit` rows matching `filter`, newest first, after `before` when given. */
  newestFirst(filter: AuditFilter, limit: number, before?: AuditCursor): DbRow[] {
    // The filters vary per call: the statement is built from fixed fragments, never from input text.
    const w = where(filter);
    const keyset = before ? ' AND (a.at, a.id) < (?, ?)' : '';
    return this.db
      .prepare(`${SELECT} WHERE ${w.sql}${keyset} ORDER BY a.at DESC, a.id DESC LIMIT ?`)
      .all(...w.params, ...(before ? [before.at, before.id] : []), limit) as DbRow[];
  }

  /** Everyone who may appear as an actor, by name. */
  actors(): Array<{ id: string; name: string }> {
    return this.q.actors.all() as Array<{ id: string; name: string }>;
  }

  /** Every campaign, the newest first. */
  campaigns(): Array<{ id: string; name: string }> {
    return this.q.campaigns.all() as Array<{ id: string; name: string }>;
  }
}
