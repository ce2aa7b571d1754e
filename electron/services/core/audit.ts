/**
 * The audit trail (留痕): one row per change to review data, written by the service inside the same
 * transaction as the change, so a change without its audit row cannot exist.
 *
 * Tamper evidence: each row carries the SM3 hash of its canonical content and of the row before it in
 * its segment, so changing or removing a row breaks the chain at that row; SQLite triggers refuse
 * UPDATE and DELETE outright. Rows made on this PC form the segment ''; rows copied in from another
 * workstation's work package form one segment per origin workstation, chained here in the order they
 * arrived (their own PC's chain is not carried). Removing the newest rows of a segment leaves a shorter
 * valid chain: the check proves the rows present were not altered or cut out, not that none followed.
 */
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db/database.js';
import { nowIso } from './context.js';
import { localDateTime } from '../../../shared/audit/labels.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  campaignId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** The segment of rows written on this workstation. */
export const LOCAL_SEGMENT = '';
/** The `prev_hash` of a segment's first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The stored content of one audit row, as hashed. */
export interface AuditRowContent {
  at: string;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  campaign_id: string | null;
  before_json: string | null;
  after_json: string | null;
  origin_key: string | null;
  segment: string;
}

/** SM3 over the previous hash and the row's fields in a fixed order (JSON array: unambiguous). */
export function auditRowHash(prevHash: string, row: AuditRowContent): string {
  const canonical = JSON.stringify([
    row.at,
    row.actor_id,
    row.action,
    row.entity,
    row.entity_id,
    row.campaign_id,
    row.before_json,
    row.after_json,
    row.origin_key,
    row.segment,
  ]);
  return createHash('sm3').update(`${prevHash}\n${canonical}`, 'utf8').digest('hex');
}

/**
 * Databases older than the chain run earlier migrations that audit before the hash columns exist; the
 * chaining migration then hashes those rows too. Only a positive answer is remembered, with the
 * statements prepared once per database (a busy trail writes many rows).
 */
interface ChainStatements {
  last: Statement;
  insert: Statement;
}
const chained = new WeakMap<Db, ChainStatements>();
function chainOf(db: Db): ChainStatements | null {
  const known = chained.get(db);
  if (known) return known;
  const yes = (db.prepare(`SELECT count(*) AS n FROM pragma_table_info('audit_log') WHERE name = 'hash'`).get() as { n: number }).n > 0;
  if (!yes) return null;
  const statements = {
    last: db.prepare('SELECT hash FROM audit_log WHERE segment = ? ORDER BY id DESC LIMIT 1'),
    insert: db.prepare(
      `INSERT INTO audit_log (at, actor_id, action, entity, entity_id, campaign_id, before_json, after_json, origin_key, segment, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
  chained.set(db, statements);
  return statements;
}

/** Appends one row to its segment's chain; the caller holds the transaction. Returns the rowid. */
export function appendAuditRow(db: Db, content: AuditRowContent): number {
  if (!db.inTransaction) throw new Error('audit rows are appended inside the transaction that makes the change');
  const base = [
    content.at,
    content.actor_id,
    content.action,
    content.entity,
    content.entity_id,
    content.campaign_id,
    content.before_json,
    content.after_json,
    content.origin_key,
  ];
  const chain = chainOf(db);
  if (!chain) {
    return Number(
      db
        .prepare(
          `INSERT INTO audit_log (at, actor_id, action, entity, entity_id, campaign_id, before_json, after_json, origin_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...base).lastInsertRowid,
    );
  }
  const prev = (chain.last.get(content.segment) as { hash: string | null } | undefined)?.hash ?? GENESIS_HASH;
  return Number(chain.insert.run(...base, content.segment, prev, auditRowHash(prev, content)).lastInsertRowid);
}

export function writeAudit(db: Db, entry: AuditEntry): void {
  if (!db.inTransaction) throw new Error('writeAudit must run inside the transaction that makes the change');
  appendAuditRow(db, {
    at: nowIso(),
    actor_id: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId ?? null,
    campaign_id: entry.campaignId ?? null,
    before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    origin_key: null,
    segment: LOCAL_SEGMENT,
  });
}

/** Why a link of the chain is broken. */
export type AuditBreakKind = 'content_changed' | 'link_broken' | 'unhashed';

export interface AuditBreak {
  id: number;
  at: string;
  segment: string;
  kind: AuditBreakKind;
  /** What is wrong, in Chinese, for the screen and the command line. */
  message: string;
}

export interface AuditCheck {
  intact: boolean;
  rows: number;
  segments: number;
  /** Both append-only triggers are in place. */
  protectedByTriggers: boolean;
  firstBreak: AuditBreak | null;
}

export const AUDIT_TRIGGERS = ['audit_log_no_update', 'audit_log_no_delete'] as const;

function segmentLabel(segment: string): string {
  return segment === LOCAL_SEGMENT ? '本机留痕' : `来自工作站 ${segment} 的留痕`;
}

type StoredRow = AuditRowContent & { id: number; prev_hash: string | null; hash: string | null };
const CHECK_BATCH = 5_000;

/** Follows the chain one batch of rows at a time; `step` returns false once every row was read or a link broke. */
function chainWalker(db: Db) {
  const triggers = (
    db
      .prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'trigger' AND name IN (${AUDIT_TRIGGERS.map(() => '?').join(',')})`)
      .get(...AUDIT_TRIGGERS) as { n: number }
  ).n;
  const batch = db.prepare(
    'SELECT id, at, actor_id, action, entity, entity_id, campaign_id, before_json, after_json, origin_key, segment, prev_hash, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT ?',
  );
  const last = new Map<string, string>();
  let rows = 0;
  let afterId = 0;
  let firstBreak: AuditBreak | null = null;
  const judge = (r: StoredRow): AuditBreak | null => {
    const where = `第 ${r.id} 条留痕（${localDateTime(r.at)}，${segmentLabel(r.segment)}）`;
    const at = { id: r.id, at: r.at, segment: r.segment };
    if (!r.hash || !r.prev_hash)
      return { ...at, kind: 'unhashed', message: `${where}没有完整性摘要：该记录是绕过本软件直接写入数据库的。` };
    if (r.prev_hash !== (last.get(r.segment) ?? GENESIS_HASH))
      return { ...at, kind: 'link_broken', message: `${where}与前一条记录衔接不上：其前面的记录被删除、插入或改动过。` };
    if (auditRowHash(r.prev_hash, r) !== r.hash)
      return { ...at, kind: 'content_changed', message: `${where}的内容与其摘要不符：该记录在写入后被改动过。` };
    return null;
  };
  return {
    step(): boolean {
      const page = batch.all(afterId, CHECK_BATCH) as StoredRow[];
      for (const r of page) {
        rows += 1;
        firstBreak = judge(r);
        if (firstBreak) return false;
        last.set(r.segment, r.hash!);
        afterId = r.id;
      }
      return page.length === CHECK_BATCH;
    },
    result(): AuditCheck {
      const segments = last.size + (firstBreak && !last.has(firstBreak.segment) ? 1 : 0);
      return { intact: !firstBreak, rows, segments, protectedByTriggers: triggers === AUDIT_TRIGGERS.length, firstBreak };
    },
  };
}

/** Walks every row in id order, one segment chain at a time, and stops at the first broken link. */
export function checkAuditChain(db: Db): AuditCheck {
  const walker = chainWalker(db);
  while (walker.step());
  return walker.result();
}

/**
 * The same check for the app: it yields between batches so a million-row trail (about 20 s) does not
 * hold up every other window's calls meanwhile.
 */
export async function checkAuditChainYielding(db: Db): Promise<AuditCheck> {
  const walker = chainWalker(db);
  while (walker.step()) await new Promise<void>((resolve) => setImmediate(resolve));
  return walker.result();
}
