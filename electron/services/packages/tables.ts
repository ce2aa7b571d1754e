/**
 * The rows a package carries, table by table: which columns travel, their types and the primary key.
 * The receiver reads exactly these columns from a package's rows (anything else in a row is refused),
 * so a package can never name a column or a table of its own choosing; SQLite's STRICT tables,
 * CHECK constraints and foreign keys check the values once more inside the import transaction.
 */
import type { PackageRow } from '../../../shared/packages/format.js';
import { packageRefusal } from '../../../shared/packages/refusals.js';
import type { Db } from '../core/db/database.js';

type ColumnType = 'text' | 'text?' | 'int' | 'int?' | 'real?';

interface TableSpec {
  columns: Record<string, ColumnType>;
  key: string[];
}

const t = (key: string[], columns: Record<string, ColumnType>): TableSpec => ({ key, columns });

export const TABLES = {
  campaigns: t(['id'], {
    id: 'text',
    name: 'text',
    year: 'int',
    issuing_body: 'text',
    status: 'text',
    created_at: 'text',
    updated_at: 'text',
  }),
  users: t(['id'], { id: 'text', username: 'text', display_name: 'text', role: 'text', affiliation: 'text', legal_professional: 'int' }),
  units: t(['id'], {
    id: 'text',
    campaign_id: 'text',
    name: 'text',
    short_name: 'text',
    field: 'text',
    region_code: 'text',
    created_at: 'text',
  }),
  cases: t(['id'], {
    id: 'text',
    campaign_id: 'text',
    unit_id: 'text',
    case_number: 'text',
    case_number_key: 'text',
    title: 'text',
    case_type: 'text',
    cause: 'text',
    party: 'text',
    enforcement_body: 'text',
    penalty_amount: 'real?',
    confiscated_amount: 'real?',
    penalty_text: 'text',
    filed_on: 'text?',
    closed_on: 'text?',
    decision: 'text',
    handler: 'text',
    external_code: 'text',
    created_at: 'text',
    updated_at: 'text',
  }),
  documents: t(['id'], {
    id: 'text',
    case_id: 'text',
    sha256: 'text',
    file_name: 'text',
    title: 'text',
    page_count: 'int',
    has_text: 'int',
    metadata_json: 'text',
    position: 'int',
    created_at: 'text',
  }),
  page_text: t([], { document_id: 'text', page_index: 'int', text: 'text' }),
  // What OCR read on the carried files' scanned pages, so a laptop does not read them again.
  ocr_pages: t(['sha256', 'page_index', 'engine'], {
    sha256: 'text',
    page_index: 'int',
    engine: 'text',
    status: 'text',
    lines_json: 'text',
    mean_confidence: 'real?',
    dpi: 'real?',
    ms: 'int',
    read_at: 'text',
  }),
  campaign_standards: t(['campaign_id', 'case_type'], { campaign_id: 'text', case_type: 'text', standard_version_id: 'text' }),
  panel_members: t(['campaign_id', 'user_id'], { campaign_id: 'text', user_id: 'text', added_at: 'text' }),
  assignments: t(['case_id', 'reviewer_id', 'round'], {
    case_id: 'text',
    reviewer_id: 'text',
    round: 'int',
    campaign_id: 'text',
    source: 'text',
    created_at: 'text',
  }),
  // The draw (双随机) travels with a whole campaign, so the receiving workstation shows the same drawn
  // files, counts only them in its statistics and can re-verify the draw from its pool and seed.
  draws: t(['id'], {
    id: 'text',
    campaign_id: 'text',
    seq: 'int',
    algorithm: 'text',
    seed: 'text',
    seed_source: 'text',
    witness: 'text',
    per_group: 'int',
    case_types_json: 'text',
    exclude_reviewed: 'int',
    pool_json: 'text',
    pool_digest: 'text',
    excluded_json: 'text',
    groups_json: 'text',
    drawn_by: 'text',
    drawn_at: 'text',
    superseded_at: 'text?',
    superseded_reason: 'text?',
    grouping: 'text',
  }),
  drawn_cases: t(['draw_id', 'case_id'], { draw_id: 'text', case_id: 'text' }),
  campaign_review_rules: t(['campaign_id'], { campaign_id: 'text', rules_json: 'text', updated_at: 'text' }),
  sheets: t(['id'], {
    id: 'text',
    case_id: 'text',
    reviewer_id: 'text',
    round: 'int',
    standard_version_id: 'text',
    status: 'text',
    revision: 'int',
    created_at: 'text',
    updated_at: 'text',
    submitted_at: 'text?',
    reopen_reason: 'text?',
    reopened_at: 'text?',
    reopened_by: 'text?',
  }),
  sheet_answers: t(['sheet_id', 'item_id'], { sheet_id: 'text', item_id: 'text', answer_json: 'text', updated_at: 'text' }),
  annotations: t(['id'], {
    id: 'text',
    document_id: 'text',
    document_sha256: 'text',
    author_id: 'text',
    type: 'text',
    color: 'text',
    page_index: 'int',
    position_json: 'text',
    selected_text: 'text?',
    comment: 'text?',
    checklist_item_id: 'text?',
    sort_key: 'text',
    created_at: 'text',
    updated_at: 'text',
    deleted_at: 'text?',
  }),
  case_reviews: t(['case_id'], {
    case_id: 'text',
    status: 'text',
    source: 'text?',
    route: 'text?',
    assignee_id: 'text?',
    standard_version_id: 'text?',
    note: 'text',
    revision: 'int',
    finalised_at: 'text?',
    finalised_by: 'text?',
    updated_at: 'text',
  }),
  case_review_answers: t(['case_id', 'item_id'], {
    case_id: 'text',
    item_id: 'text',
    answer_json: 'text',
    origin: 'text',
    note: 'text',
    decided_by: 'text?',
    updated_at: 'text',
  }),
  // The 整改台账 rows entered by hand and their evidence (campaign packages only).
  ledger_manual_items: t(['id'], {
    id: 'text',
    campaign_id: 'text',
    unit_id: 'text',
    serial: 'int',
    source: 'text',
    subject: 'text',
    description: 'text',
    measure: 'text',
    responsible: 'text',
    deadline: 'text?',
    status: 'text',
    checker: 'text',
    check_opinion: 'text',
    closed_on: 'text?',
    revision: 'int',
    created_at: 'text',
    updated_at: 'text',
  }),
  ledger_manual_evidence: t(['id'], {
    id: 'text',
    manual_item_id: 'text',
    sha256: 'text',
    file_name: 'text',
    uploaded_at: 'text',
  }),
  audit_log: t([], {
    id: 'int',
    at: 'text',
    actor_id: 'text?',
    action: 'text',
    entity: 'text',
    entity_id: 'text?',
    campaign_id: 'text?',
    before_json: 'text?',
    after_json: 'text?',
  }),
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

/**
 * The columns of carried tables that stay on their workstation, each with the reason. A test fails
 * when a migration adds a column to a carried table that is neither carried nor listed here.
 */
export const NOT_CARRIED: { [T in TableName]?: Record<string, string> } = {
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

const columnsOf = (table: TableName): string[] => Object.keys(TABLES[table].columns);

/** Reads rows of a table in the package's form (`where` is ours, never the package's). */
export function selectRows(db: Db, table: TableName, where: string, ...params: unknown[]): Row[] {
  const cols = columnsOf(table)
    .map((c) => `"${c}"`)
    .join(', ');
  return db.prepare(`SELECT ${cols} FROM ${table} ${where}`).all(...params) as Row[];
}

/** Non-null columns added after packages were first made, with the value an older package means. */
const ADDED_LATER: Record<string, string> = { penalty_text: '' };

/** Checks a package's rows for `table`: exactly its columns, each of its type; throws `invalid_content`. */
export function checkRows(table: TableName, rows: PackageRow[]): Row[] {
  const spec = TABLES[table].columns as Record<string, ColumnType>;
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
  const spec = TABLES[table];
  const cols = columnsOf(table);
  const key = spec.key as readonly string[];
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
