/**
 * Names for the ids a page of the 留痕 mentions — people, files (by 案号), units, campaigns, letters,
 * documents, standards, checklist items — looked up in a few batched queries, so each row can be told
 * as a sentence with names instead of ids.
 */
import { LETTER_KIND_LABELS, type LetterKind } from '../../../shared/letters/document.js';
import { allItems, type StandardDefinition } from '../../../shared/standards/model.js';
import type { AuditNames } from '../../../shared/audit/describe.js';
import type { Db } from '../core/db/database.js';

export interface NamedRow {
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  actor_id?: string | null;
}

const CHUNK = 400;

/** Every string in a JSON value (ids hide in nested objects and arrays). */
function strings(json: string | null, out: Set<string>): void {
  if (!json) return;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return;
  }
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.length >= 8 && v.length <= 100) out.add(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
}

/** Item ids a row scores (`itemId`, `itemIds`): they are short codes, looked up within their standard. */
function itemIds(json: string | null, out: Set<string>): void {
  if (!json || !/itemId|ItemId/.test(json)) return;
  try {
    const v = JSON.parse(json) as { itemId?: unknown; itemIds?: unknown; checklistItemId?: unknown };
    if (typeof v.itemId === 'string') out.add(v.itemId);
    // A mark linked as an item's evidence names the item too.
    if (typeof v.checklistItemId === 'string') out.add(v.checklistItemId);
    if (Array.isArray(v.itemIds)) for (const x of v.itemIds) if (typeof x === 'string') out.add(x);
  } catch {
    // A row written by an older version with text that is not JSON names no items.
  }
}

export class AuditNameBook {
  private readonly definitions = new Map<string, StandardDefinition | null>();

  constructor(private readonly db: Db) {}

  private lookup(
    ids: string[],
    sql: (marks: string) => string,
    into: Map<string, string>,
    name: (r: Record<string, unknown>) => string,
  ): void {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const rows = this.db.prepare(sql(part.map(() => '?').join(','))).all(...part) as Array<Record<string, unknown>>;
      for (const r of rows) if (!into.has(r.id as string)) into.set(r.id as string, name(r));
    }
  }

  private definition(versionId: string): StandardDefinition | null {
    if (!this.definitions.has(versionId)) {
      const row = this.db.prepare('SELECT definition_json FROM standard_versions WHERE id = ?').get(versionId) as
        { definition_json: string } | undefined;
      this.definitions.set(versionId, row ? (JSON.parse(row.definition_json) as StandardDefinition) : null);
    }
    return this.definitions.get(versionId)!;
  }

  /** Names for everything the rows mention, by id; checklist items as `item:<id>`. */
  names(rows: readonly NamedRow[]): AuditNames {
    const ids = new Set<string>();
    const items = new Set<string>();
    for (const r of rows) {
      if (r.entity_id) ids.add(r.entity_id);
      if (r.actor_id) ids.add(r.actor_id);
      strings(r.before_json, ids);
      strings(r.after_json, ids);
      itemIds(r.before_json, items);
      itemIds(r.after_json, items);
    }
    const list = [...ids];
    const out = new Map<string, string>();
    if (!list.length) return {};
    this.lookup(
      list,
      (m) => `SELECT id, display_name FROM users WHERE id IN (${m})`,
      out,
      (r) => r.display_name as string,
    );
    // The person who made a package on another workstation (not an account here): named as the package said.
    this.lookup(
      list,
      (m) =>
        `SELECT json_extract(after_json, '$.authorId') AS id, json_extract(after_json, '$.author') AS display_name FROM audit_log
         WHERE action LIKE 'package.import_%' AND json_extract(after_json, '$.authorId') IN (${m})`,
      out,
      (r) => r.display_name as string,
    );
    this.lookup(
      list,
      (m) => `SELECT id, case_number FROM cases WHERE id IN (${m})`,
      out,
      (r) => r.case_number as string,
    );
    this.lookup(
      list,
      (m) => `SELECT id, name FROM units WHERE id IN (${m})`,
      out,
      (r) => r.name as string,
    );
    this.lookup(
      list,
      (m) => `SELECT id, name FROM campaigns WHERE id IN (${m})`,
      out,
      (r) => r.name as string,
    );
    this.lookup(
      list,
      (m) => `SELECT s.id, c.case_number FROM sheets s JOIN cases c ON c.id = s.case_id WHERE s.id IN (${m})`,
      out,
      (r) => r.case_number as string,
    );
    this.lookup(
      list,
      (m) =>
        `SELECT d.id, COALESCE(NULLIF(d.title, ''), d.file_name) AS title, c.case_number FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.id IN (${m})`,
      out,
      (r) => `${r.case_number as string}的“${r.title as string}”`,
    );
    this.lookup(
      list,
      (m) =>
        `SELECT a.id, COALESCE(NULLIF(d.title, ''), d.file_name) AS title, c.case_number FROM annotations a JOIN documents d ON d.id = a.document_id JOIN cases c ON c.id = d.case_id WHERE a.id IN (${m})`,
      out,
      (r) => `${r.case_number as string}的“${r.title as string}”`,
    );
    this.lookup(
      list,
      (m) =>
        `SELECT l.id, l.kind, l.document_number, u.name AS unit_name FROM letters l LEFT JOIN units u ON u.id = l.unit_id WHERE l.id IN (${m})`,
      out,
      (r) =>
        `${r.unit_name ? `致${r.unit_name as string}的` : ''}${LETTER_KIND_LABELS[r.kind as LetterKind] ?? '文书'}${r.document_number ? `（${r.document_number as string}）` : ''}`,
    );
    this.lookup(
      list,
      (m) => `SELECT v.id, s.name, v.version FROM standard_versions v JOIN standards s ON s.id = v.standard_id WHERE v.id IN (${m})`,
      out,
      (r) => `评查标准“${r.name as string}”（版本：${r.version as string}）`,
    );
    this.lookup(
      list,
      (m) => `SELECT id, name FROM standards WHERE id IN (${m})`,
      out,
      (r) => `评查标准“${r.name as string}”`,
    );
    this.lookup(
      list,
      (m) => `SELECT id, title, document_number FROM signed_documents WHERE id IN (${m})`,
      out,
      (r) => `${r.title as string}${r.document_number ? `（${r.document_number as string}）` : ''}`,
    );
    this.lookup(
      list,
      (m) => `SELECT i.id, i.serial, c.case_number FROM ledger_items i JOIN cases c ON c.id = i.case_id WHERE i.id IN (${m})`,
      out,
      (r) => `${r.case_number as string}的第 ${String(r.serial)} 条`,
    );
    this.lookup(
      list,
      (m) => `SELECT fingerprint AS id, display_name FROM trusted_keys WHERE fingerprint IN (${m})`,
      out,
      (r) => r.display_name as string,
    );
    this.lookup(
      list,
      (m) =>
        `SELECT k.fingerprint AS id, u.display_name FROM signing_keys k JOIN users u ON u.id = k.user_id WHERE k.fingerprint IN (${m})`,
      out,
      (r) => r.display_name as string,
    );
    this.lookup(
      list,
      (m) => `SELECT id, file_name FROM exports WHERE id IN (${m})`,
      out,
      (r) => r.file_name as string,
    );
    this.lookup(
      list,
      (m) => `SELECT id, file_name FROM seal_images WHERE id IN (${m})`,
      out,
      (r) => r.file_name as string,
    );
    this.lookup(
      list,
      (m) => `SELECT id, list_name FROM import_batches WHERE id IN (${m})`,
      out,
      (r) => (r.list_name as string | null) ?? '未附清单',
    );

    if (items.size) {
      // Items are named from the standards the page's sheets and files are scored under.
      const versions = new Set<string>();
      const sheetOrCase = rows.filter((r) => r.entity_id && (r.entity === 'sheet' || r.entity === 'case')).map((r) => r.entity_id!);
      for (let i = 0; i < sheetOrCase.length; i += CHUNK) {
        const part = [...new Set(sheetOrCase.slice(i, i + CHUNK))];
        const marks = part.map(() => '?').join(',');
        const found = this.db
          .prepare(`SELECT DISTINCT standard_version_id AS v FROM sheets WHERE id IN (${marks}) OR case_id IN (${marks})`)
          .pluck()
          .all(...part, ...part) as string[];
        for (const v of found) versions.add(v);
      }
      // A mark's item: from the standard its file's sheets are scored under.
      const marks = rows.filter((r) => r.entity_id && r.entity === 'annotation').map((r) => r.entity_id!);
      for (let i = 0; i < marks.length; i += CHUNK) {
        const part = [...new Set(marks.slice(i, i + CHUNK))];
        const found = this.db
          .prepare(
            `SELECT DISTINCT s.standard_version_id AS v FROM annotations a JOIN documents d ON d.id = a.document_id
             JOIN sheets s ON s.case_id = d.case_id WHERE a.id IN (${part.map(() => '?').join(',')})`,
          )
          .pluck()
          .all(...part) as string[];
        for (const v of found) versions.add(v);
      }
      for (const v of versions) {
        const def = this.definition(v);
        if (!def) continue;
        for (const item of allItems(def))
          if (items.has(item.id) && !out.has(`item:${item.id}`))
            out.set(`item:${item.id}`, `第 ${item.code} 项“${item.text.length > 24 ? `${item.text.slice(0, 24)}…` : item.text}”`);
      }
    }
    return Object.fromEntries(out);
  }
}
