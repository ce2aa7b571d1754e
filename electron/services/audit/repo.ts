/**
 * The 留痕 as its screen reads it: the row with its actor's and campaign's names, the filters turned into
 * SQL over the stored, indexed columns, and the queries (a page by keyset, an export, the filter lists,
 * and the records a page's ids name — people, files, units, letters, standards…).
 */
import type { AuditCursor, AuditFilter } from '../../../shared/audit/channels.js';
import { AppError } from '../../../shared/core/errors.js';
import type { LetterKind } from '../../../shared/letters/document.js';
import { StandardDefinitionSchema, type StandardDefinition } from '../../../shared/standards/model.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { perDatabase } from '../core/db/per-database.js';

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

/** Ids as one JSON array parameter: a page names any number of records with statements prepared once. */
const IN_IDS = '(SELECT value FROM json_each(@ids))';

/**
 * The records the ids of a page may name, one statement per kind of record, in the order a name is
 * taken (the first kind that knows an id names it).
 */
const NAMING = {
  users: `SELECT id, display_name FROM users WHERE id IN ${IN_IDS}`,
  // The person who made a package on another workstation (not an account here): named as the package said.
  packageAuthors: `SELECT json_extract(after_json, '$.authorId') AS id, json_extract(after_json, '$.author') AS display_name FROM audit_log
     WHERE action LIKE 'package.import_%' AND json_extract(after_json, '$.authorId') IN ${IN_IDS}`,
  cases: `SELECT id, case_number FROM cases WHERE id IN ${IN_IDS}`,
  units: `SELECT id, name FROM units WHERE id IN ${IN_IDS}`,
  campaigns: `SELECT id, name FROM campaigns WHERE id IN ${IN_IDS}`,
  sheets: `SELECT s.id, c.case_number FROM sheets s JOIN cases c ON c.id = s.case_id WHERE s.id IN ${IN_IDS}`,
  documents: `SELECT d.id, COALESCE(NULLIF(d.title, ''), d.file_name) AS title, c.case_number FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.id IN ${IN_IDS}`,
  annotations: `SELECT a.id, COALESCE(NULLIF(d.title, ''), d.file_name) AS title, c.case_number FROM annotations a JOIN documents d ON d.id = a.document_id JOIN cases c ON c.id = d.case_id WHERE a.id IN ${IN_IDS}`,
  letters: `SELECT l.id, l.kind, l.document_number, u.name AS unit_name FROM letters l LEFT JOIN units u ON u.id = l.unit_id WHERE l.id IN ${IN_IDS}`,
  standardVersions: `SELECT v.id, s.name, v.version FROM standard_versions v JOIN standards s ON s.id = v.standard_id WHERE v.id IN ${IN_IDS}`,
  standards: `SELECT id, name FROM standards WHERE id IN ${IN_IDS}`,
  signedDocuments: `SELECT id, title, document_number FROM signed_documents WHERE id IN ${IN_IDS}`,
  ledgerItems: `SELECT i.id, i.serial, c.case_number FROM ledger_items i JOIN cases c ON c.id = i.case_id WHERE i.id IN ${IN_IDS}`,
  trustedKeys: `SELECT fingerprint AS id, display_name FROM trusted_keys WHERE fingerprint IN ${IN_IDS}`,
  signingKeys: `SELECT k.fingerprint AS id, u.display_name FROM signing_keys k JOIN users u ON u.id = k.user_id WHERE k.fingerprint IN ${IN_IDS}`,
  exports: `SELECT id, file_name FROM exports WHERE id IN ${IN_IDS}`,
  sealImages: `SELECT id, file_name FROM seal_images WHERE id IN ${IN_IDS}`,
  importBatches: `SELECT id, list_name FROM import_batches WHERE id IN ${IN_IDS}`,
} as const;

/** The rows of each kind of record a page's ids name (see NAMING for their columns). */
export interface NamedRecords {
  users: Array<{ id: string; display_name: string }>;
  packageAuthors: Array<{ id: string; display_name: string }>;
  cases: Array<{ id: string; case_number: string }>;
  units: Array<{ id: string; name: string }>;
  campaigns: Array<{ id: string; name: string }>;
  sheets: Array<{ id: string; case_number: string }>;
  documents: Array<{ id: string; title: string; case_number: string }>;
  annotations: Array<{ id: string; title: string; case_number: string }>;
  letters: Array<{ id: string; kind: LetterKind; document_number: string | null; unit_name: string | null }>;
  standardVersions: Array<{ id: string; name: string; version: string }>;
  standards: Array<{ id: string; name: string }>;
  signedDocuments: Array<{ id: string; title: string; document_number: string | null }>;
  ledgerItems: Array<{ id: string; serial: number; case_number: string }>;
  trustedKeys: Array<{ id: string; display_name: string }>;
  signingKeys: Array<{ id: string; display_name: string }>;
  exports: Array<{ id: string; file_name: string }>;
  sealImages: Array<{ id: string; file_name: string }>;
  importBatches: Array<{ id: string; list_name: string | null }>;
}

function prepare(db: Db) {
  return {
    actors: db.prepare('SELECT id, display_name AS name FROM users ORDER BY display_name'),
    campaigns: db.prepare('SELECT id, name FROM campaigns ORDER BY created_at DESC'),
    naming: Object.fromEntries(Object.entries(NAMING).map(([kind, sql]) => [kind, db.prepare(sql)])) as Record<
      keyof typeof NAMING,
      ReturnType<Db['prepare']>
    >,
    versionsOfSheetsOrCases: db
      .prepare(`SELECT DISTINCT standard_version_id AS v FROM sheets WHERE id IN ${IN_IDS} OR case_id IN ${IN_IDS}`)
      .pluck(),
    versionsOfMarks: db
      .prepare(
        `SELECT DISTINCT s.standard_version_id AS v FROM annotations a JOIN documents d ON d.id = a.document_id
         JOIN sheets s ON s.case_id = d.case_id WHERE a.id IN ${IN_IDS}`,
      )
      .pluck(),
    definition: db.prepare(
      'SELECT v.definition_json, s.name, v.version FROM standard_versions v JOIN standards s ON s.id = v.standard_id WHERE v.id = ?',
    ),
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

  /** The records of each kind that `ids` name. */
  namedRecords(ids: readonly string[]): NamedRecords {
    const param = { ids: JSON.stringify(ids) };
    const rows = <K extends keyof NamedRecords>(kind: K): NamedRecords[K] => this.q.naming[kind].all(param) as NamedRecords[K];
    return {
      users: rows('users'),
      packageAuthors: rows('packageAuthors'),
      cases: rows('cases'),
      units: rows('units'),
      campaigns: rows('campaigns'),
      sheets: rows('sheets'),
      documents: rows('documents'),
      annotations: rows('annotations'),
      letters: rows('letters'),
      standardVersions: rows('standardVersions'),
      standards: rows('standards'),
      signedDocuments: rows('signedDocuments'),
      ledgerItems: rows('ledgerItems'),
      trustedKeys: rows('trustedKeys'),
      signingKeys: rows('signingKeys'),
      exports: rows('exports'),
      sealImages: rows('sealImages'),
      importBatches: rows('importBatches'),
    };
  }

  /** The standard versions the sheets, or the sheets of the files, are scored under. */
  versionsOfSheetsOrCases(ids: readonly string[]): string[] {
    return this.q.versionsOfSheetsOrCases.all({ ids: JSON.stringify(ids) }) as string[];
  }

  /** The standard versions the files the marks lie in are scored under. */
  versionsOfMarks(annotationIds: readonly string[]): string[] {
    return this.q.versionsOfMarks.all({ ids: JSON.stringify(annotationIds) }) as string[];
  }

  /** A standard version's definition, or null when there is no such version. */
  definition(versionId: string): StandardDefinition | null {
    const row = this.q.definition.get(versionId) as { definition_json: string; name: string; version: string } | undefined;
    return row ? parseJsonColumn(StandardDefinitionSchema, row.definition_json, `评查标准“${row.name}”（${row.version}）`) : null;
  }
}

/** The repo of this database (statements prepared once per database). */
export const auditRepo = perDatabase((db) => new AuditRepo(db));
