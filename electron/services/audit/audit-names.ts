/**
 * Names for the ids a page of the 留痕 mentions — people, files (by 案号), units, campaigns, letters,
 * documents, standards, checklist items — looked up in a few batched queries, so each row can be told
 * as a sentence with names instead of ids.
 */
import { z } from 'zod';
import { LETTER_KIND_LABELS } from '../../../shared/letters/document.js';
import { allItems, type StandardDefinition } from '../../../shared/standards/model.js';
import type { AuditNames } from '../../../shared/audit/describe.js';
import type { Db } from '../core/db/database.js';
import { auditRepo, type AuditRepo } from './repo.js';

export interface NamedRow {
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  actor_id?: string | null;
}

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

/** Where a row's before or after names checklist items; the trail is free-form, so each is checked as read. */
const ItemRefsSchema = z.object({
  itemId: z.unknown().optional(),
  itemIds: z.unknown().optional(),
  checklistItemId: z.unknown().optional(),
});

/** Item ids a row scores (`itemId`, `itemIds`): they are short codes, looked up within their standard. */
function itemIds(json: string | null, out: Set<string>): void {
  if (!json || !/itemId|ItemId/.test(json)) return;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // A row written by an older version with text that is not JSON names no items.
    return;
  }
  const v = ItemRefsSchema.safeParse(value);
  if (!v.success) return;
  if (typeof v.data.itemId === 'string') out.add(v.data.itemId);
  // A mark linked as an item's evidence names the item too.
  if (typeof v.data.checklistItemId === 'string') out.add(v.data.checklistItemId);
  if (Array.isArray(v.data.itemIds)) for (const x of v.data.itemIds) if (typeof x === 'string') out.add(x);
}

export class AuditNameBook {
  private readonly definitions = new Map<string, StandardDefinition | null>();
  private readonly repo: AuditRepo;

  constructor(db: Db) {
    this.repo = auditRepo(db);
  }

  private definition(versionId: string): StandardDefinition | null {
    if (!this.definitions.has(versionId)) this.definitions.set(versionId, this.repo.definition(versionId));
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
    // The first kind of record that knows an id names it.
    const name = <T extends { id: string }>(found: readonly T[], words: (r: T) => string): void => {
      for (const r of found) if (!out.has(r.id)) out.set(r.id, words(r));
    };
    const found = this.repo.namedRecords(list);
    name(found.users, (r) => r.display_name);
    name(found.packageAuthors, (r) => r.display_name);
    name(found.cases, (r) => r.case_number);
    name(found.units, (r) => r.name);
    name(found.campaigns, (r) => r.name);
    name(found.sheets, (r) => r.case_number);
    name(found.documents, (r) => `${r.case_number}的“${r.title}”`);
    name(found.annotations, (r) => `${r.case_number}的“${r.title}”`);
    name(
      found.letters,
      (r) =>
        `${r.unit_name ? `致${r.unit_name}的` : ''}${LETTER_KIND_LABELS[r.kind] ?? '文书'}${r.document_number ? `（${r.document_number}）` : ''}`,
    );
    name(found.standardVersions, (r) => `评查标准“${r.name}”（版本：${r.version}）`);
    name(found.standards, (r) => `评查标准“${r.name}”`);
    name(found.signedDocuments, (r) => `${r.title}${r.document_number ? `（${r.document_number}）` : ''}`);
    name(found.ledgerItems, (r) => `${r.case_number}的第 ${String(r.serial)} 条`);
    name(found.trustedKeys, (r) => r.display_name);
    name(found.signingKeys, (r) => r.display_name);
    name(found.exports, (r) => r.file_name);
    name(found.sealImages, (r) => r.file_name);
    name(found.importBatches, (r) => r.list_name ?? '未附清单');

    if (items.size) {
      // Items are named from the standards the page's sheets and files are scored under, and a mark's
      // item from the standard its file's sheets are scored under.
      const sheetOrCase = [
        ...new Set(rows.filter((r) => r.entity_id && (r.entity === 'sheet' || r.entity === 'case')).map((r) => r.entity_id!)),
      ];
      const marks = [...new Set(rows.filter((r) => r.entity_id && r.entity === 'annotation').map((r) => r.entity_id!))];
      const versions = new Set([
        ...(sheetOrCase.length ? this.repo.versionsOfSheetsOrCases(sheetOrCase) : []),
        ...(marks.length ? this.repo.versionsOfMarks(marks) : []),
      ]);
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
