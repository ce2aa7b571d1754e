/**
 * The rows a package carries, table by table. The tables and the key a row is merged on are named
 * here; the columns that travel and their types are read from the live schema (every column the
 * migrations give a carried table, less those NOT_CARRIED lists with a reason), so a column added
 * later travels without anyone remembering to add it here. The receiver reads exactly these columns
 * from a package's rows (anything else in a row is refused), so a package can never name a column or
 * a table of its own choosing; SQLite's STRICT tables, CHECK constraints and foreign keys check the
 * values once more inside the import transaction.
 */
import type { PackageRow } from '../../../shared/packages/format.js';
import { packageRefusal } from '../../../shared/packages/refusals.js';
import type { Db } from '../core/db/database.js';
import { perDatabase } from '../core/db/per-database.js';

type ColumnType = 'text' | 'text?' | 'int' | 'int?' | 'real' | 'real?';

/** The carried tables, each with the columns a row is recognised by when it is already here. */
export const CARRIED_KEYS = {
  campaigns: ['id'],
  users: ['id'],
  units: ['id'],
  cases: ['id'],
  documents: ['id'],
  // The text layer of the carried files (its search index is rebuilt from it by the receiver's triggers).
  page_texts: [],
  // What OCR read on the carried files' scanned pages, so a laptop does not read them again.
  ocr_pages: ['sha256', 'page_index', 'engine'],
  campaign_standards: ['campaign_id', 'case_type'],
  panel_members: ['campaign_id', 'user_id'],
  assignments: ['case_id', 'reviewer_id', 'round'],
  // The draw (双随机) travels with a whole campaign, so the receiving workstation shows the same drawn
  // files, counts only them in its statistics and can re-verify the draw from its pool and seed.
  draws: ['id'],
  drawn_cases: ['draw_id', 'case_id'],
  campaign_review_rules: ['campaign_id'],
  sheets: ['id'],
  sheet_answers: ['sheet_id', 'item_id'],
  annotations: ['id'],
  case_reviews: ['case_id'],
  case_review_answers: ['case_id', 'item_id'],
  // The 整改台账 rows entered by hand and their evidence (campaign packages only).
  ledger_manual_items: ['id'],
  ledger_manual_evidence: ['id'],
  // Copied row by row into the receiver's own chain (audit.ts), never merged on a key.
  audit_log: [],
} as const satisfies Record<string, readonly string[]>;

export type TableName = keyof typeof CARRIED_KEYS;

export const CARRIED_TABLES = Object.keys(CARRIED_KEYS) as TableName[];

/**
 * The columns of carried tables that stay on their workstation, each with the reason. A test fails
 * when a migration adds a column to a carried table that is neither carried nor listed here.
 */
export const NOT_CARRIED: { [T in TableName]?: Record<string, string> } = {
  page_texts: { id: 'the row number of the receiving workstation’s own search index' },
  campaigns: { created_by: 'an account of the sending workstation; the audit trail says who created the campaign' },
  users: {
    password_hash: 'a login password never leaves its PC',
    failed_logins: "this PC's login state",
    locked_until: "this PC's login state",
    disabled_at: "this PC's account state",
    created_at: "this PC's account record",
    updated_at: "this PC's account record",
    past_units_json: "conflicts of interest are decided on the lead's workstation, which keeps them",
  },
  cases: {
    created_by: 'an account of the sending workstation; the audit trail says who registered the file',
    case_number_sort: 'derived from case_number by the receiving workstation (fillCaseSortKeys)',
  },
  panel_members: { added_by: 'an account of the sending workstation' },
  assignments: {
    run_id: 'assignment runs (previews, seeds) stay on the lead’s workstation',
    created_by: 'an account of the sending workstation',
  },
  campaign_review_rules: { updated_by: 'an account of the sending workstation' },
  ledger_manual_items: { created_by: 'an account of the sending workstation; the audit trail says who entered the row' },
  ledger_manual_evidence: { uploaded_by: 'an account of the sending workstation; the audit trail says who added the evidence' },
  audit_log: {
    origin_key: 'set by the receiving workstation to recognise rows it already holds',
    segment: 'the receiving workstation files copied rows under the sending workstation’s own chain segment',
    prev_hash: 'the receiver chains the copied rows itself, in the order they arrive',
    hash: 'the receiver chains the copied rows itself, in the order they arrive',
  },
};
/**
 * Tables no package carries, each with the reason (a test checks every table of the schema is
 * either carried or listed here).
 */
export const NOT_CARRIED_TABLES: Record<string, string> = {
  precheck_runs: 'the receiving workstation runs the pre-check itself over the carried text layer and OCR pages, with its own rule set',
  precheck_findings:
    'derived from the carried page text by the receiving workstation’s own engine; carrying them could bring findings of another rule version',
  precheck_decisions:
    'a reviewer’s 采纳 becomes their own deduction on the sheet, which travels in sheet_answers with the audit trail; the decision record stays where it was made',
};
export type Row = Record<string, string | number | null>;

const SQLITE_TYPES: Record<string, 'text' | 'int' | 'real'> = { TEXT: 'text', INTEGER: 'int', REAL: 'real' };

function readColumns(db: Db, table: TableName): Record<string, ColumnType> {
  const kept = NOT_CARRIED[table] ?? {};
  const info = db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; type: string; notnull: number; pk: number }>;
  if (!info.length) throw new Error(`工作包携带的数据表 ${table} 不存在`);
  const columns: Record<string, ColumnType> = {};
  for (const c of info) {
    if (c.name in kept) continue;
    const base = SQLITE_TYPES[c.type.toUpperCase()];
    if (!base) throw new Error(`工作包无法携带 ${table}.${c.name}：数据库未声明它的类型`);
    columns[c.name] = c.notnull || c.pk ? base : (`${base}?` as ColumnType);
  }
  return columns;
}

/** Every carried table's travelling columns and their types, as this database's schema has them. */
const carried = perDatabase((db) => new Map(CARRIED_TABLES.map((table) => [table, readColumns(db, table)])));

/** The columns of `table` a package carries, with their types. */
export const carriedColumns = (db: Db, table: TableName): Readonly<Record<string, ColumnType>> => carried(db).get(table)!;

const columnsOf = (db: Db, table: TableName): string[] => Object.keys(carriedColumns(db, table));

/** Reads rows of a table in the package's form (`where` is ours, never the package's). */
export function selectRows(db: Db, table: TableName, where: string, ...params: unknown[]): Row[] {
  const cols = columnsOf(db, table)
    .map((c) => `"${c}"`)
    .join(', ');
  return db.prepare(`SELECT ${cols} FROM ${table} ${where}`).all(...params) as Row[];
}

/** Non-null columns added after packages were first made, with the value an older package means. */
const ADDED_LATER: Record<string, string> = { penalty_text: '' };

/** Checks a package's rows for `table`: exactly its columns, each of its type; throws `invalid_content`. */
export function checkRows(db: Db, table: TableName, rows: PackageRow[]): Row[] {
  const spec = carriedColumns(db, table);
  const names = Object.keys(spec);
  for (const row of rows) {
    // A column added by a later version may be absent from an older workstation's package.
    for (const name of names)
      if (!(name in row)) {
        if (spec[name]!.endsWith('?')) row[name] = null;
        else if (name in ADDED_LATER) row[name] = ADDED_LATER[name]!;
      }
    const keys = Object.keys(row);
    if (keys.length !== names.length || keys.some((k) => !(k in spec))) throw packageRefusal('invalid_content', `${table} 的字段不符`);
    for (const [name, type] of Object.entries(spec)) {
      const v = row[name];
      const ok =
        type === 'text'
          ? typeof v === 'string'
          : type === 'text?'
            ? v === null || typeof v === 'string'
            : type === 'int'
              ? Number.isInteger(v)
              : type === 'int?'
                ? v === null || Number.isInteger(v)
                : type === 'real'
                  ? typeof v === 'number' && Number.isFinite(v)
                  : v === null || (typeof v === 'number' && Number.isFinite(v));
      if (!ok) throw packageRefusal('invalid_content', `${table}.${name}`);
    }
  }
  return rows as Row[];
}

/**
 * Inserts rows: `ignore` keeps a row already present (same key); `upsert` overwrites its columns
 * (never REPLACE, which would delete the row and cascade to what hangs on it).
 */
export function insertRows(db: Db, table: TableName, rows: Row[], mode: 'ignore' | 'upsert' | 'plain'): number {
  if (!rows.length) return 0;
  const cols = columnsOf(db, table);
  const key = CARRIED_KEYS[table] as readonly string[];
  const values = cols.map((c) => `@${c}`).join(', ');
  const quoted = cols.map((c) => `"${c}"`).join(', ');
  let conflict = '';
  if (mode === 'ignore') conflict = key.length ? `ON CONFLICT (${key.join(', ')}) DO NOTHING` : '';
  if (mode === 'upsert') {
    const rest = cols.filter((c) => !key.includes(c));
    conflict = `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${rest.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`;
  }
  const statement = db.prepare(`INSERT INTO ${table} (${quoted}) VALUES (${values}) ${conflict}`);
  let changed = 0;
  for (const row of rows) changed += statement.run(row).changes;
  return changed;
}
