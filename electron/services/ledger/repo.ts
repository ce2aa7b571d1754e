/**
 * The 整改台账 as its screen, its export and its rules read and write it: one row type for the rows
 * from the review (ledger_items) and those entered by hand (ledger_manual_items), their mapping to what
 * the screen shows, the page of the ledger built from fixed fragments, and the statements, prepared
 * once per database and named for what they do.
 */
import { problemWhere, deductionText, ProblemFactSchema, rectificationRequirement } from '../../../shared/letters/facts.js';
import {
  isOverdue,
  LEDGER_SOURCE_LABELS,
  problemNumber,
  type LedgerEvidence,
  type LedgerFilter,
  type LedgerRow,
  type LedgerSort,
  type LedgerSource,
  type LedgerStatus,
} from '../../../shared/ledger/ledger.js';
import { asSentence } from '../../../shared/scoring/settled-reason.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { perDatabase } from '../core/db/per-database.js';

/** A ledger row of either table, in one shape (a row by hand has no file, item or problem JSON). */
export interface LedgerItemRow {
  id: string;
  campaign_id: string;
  case_id: string;
  item_id: string;
  serial: number;
  /** The problem as the final result states it; NULL for a row entered by hand. */
  problem_json: string | null;
  measure: string;
  responsible: string;
  deadline: string | null;
  status: LedgerStatus;
  checker: string;
  check_opinion: string;
  closed_on: string | null;
  withdrawn_at: string | null;
  revision: number;
  unit_id: string;
  unit_name: string;
  /** The file's 案号, or the matter typed for a row by hand. */
  case_number: string;
  case_title: string;
  source: LedgerSource;
  /** The problem typed for a row by hand ('' for a row from the review, whose problem is in its JSON). */
  description: string;
  year: number;
  /** The 整改时限 order's key (no deadline first). */
  deadline_key: string;
}

interface EvidenceRow {
  item_id: string;
  id: string;
  file_name: string;
  size: number;
  uploaded_by: string;
  uploaded_at: string;
}

/** Which table a row lives in, and so where its evidence is. */
export type LedgerTable = 'review' | 'manual';
export const tableOf = (r: Pick<LedgerItemRow, 'problem_json'>): LedgerTable => (r.problem_json === null ? 'manual' : 'review');

const REVIEW_COLUMNS = `li.id, li.campaign_id, li.case_id, li.item_id, li.serial AS serial, li.problem_json, li.measure, li.responsible, li.deadline,
  li.status, li.checker, li.check_opinion, li.closed_on, li.withdrawn_at, li.revision, c.unit_id, u.name AS unit_name, c.case_number,
  c.title AS case_title, 'review' AS source, '' AS description, k.year, coalesce(li.deadline, '') AS deadline_key`;
const REVIEW_FROM = `ledger_items li JOIN cases c ON c.id = li.case_id JOIN units u ON u.id = c.unit_id JOIN campaigns k ON k.id = li.campaign_id`;
const MANUAL_COLUMNS = `m.id, m.campaign_id, '' AS case_id, '' AS item_id, m.serial AS serial, NULL AS problem_json, m.measure, m.responsible, m.deadline,
  m.status, m.checker, m.check_opinion, m.closed_on, NULL AS withdrawn_at, m.revision, m.unit_id, u.name AS unit_name, m.subject AS case_number,
  '' AS case_title, m.source, m.description, k.year, coalesce(m.deadline, '') AS deadline_key`;
const MANUAL_FROM = `ledger_manual_items m JOIN units u ON u.id = m.unit_id JOIN campaigns k ON k.id = m.campaign_id`;

export function toLedgerRow(r: LedgerItemRow, evidence: LedgerEvidence[], today: string): LedgerRow {
  const common = {
    id: r.id,
    number: problemNumber(r.year, r.serial),
    unitId: r.unit_id,
    unitName: r.unit_name,
    caseNumber: r.case_number,
    measure: r.measure,
    responsible: r.responsible,
    deadline: r.deadline,
    status: r.status,
    overdue: isOverdue({ status: r.status, deadline: r.deadline }, today),
    checker: r.checker,
    checkOpinion: r.check_opinion,
    closedOn: r.closed_on,
    evidence,
    revision: r.revision,
  };
  if (r.problem_json === null)
    return {
      ...common,
      caseId: '',
      caseTitle: '',
      pages: '',
      description: r.description,
      category: LEDGER_SOURCE_LABELS[r.source],
      itemCode: '',
      itemText: '',
      deduction: '',
      basis: '',
      requirement: r.measure,
      withdrawn: false,
      source: r.source,
    };
  const p = parseJsonColumn(ProblemFactSchema, r.problem_json, `整改台账第 ${r.serial} 号问题`);
  return {
    ...common,
    caseId: r.case_id,
    caseTitle: r.case_title,
    pages: problemWhere(p),
    description: asSentence(p.comment || p.itemText),
    category: p.category,
    itemCode: p.itemCode,
    itemText: p.itemText,
    deduction: p.veto ? '否决' : deductionText(p).replace(/^扣|分$/g, ''),
    basis: p.basis,
    requirement: asSentence(rectificationRequirement(p)),
    withdrawn: r.withdrawn_at !== null,
    source: 'review',
  };
}

/** The statements of one page of the ledger and of its counts, with their parameters (exported for the query-plan test and the benchmark). */
export function ledgerPageSql(input: {
  campaignId: string;
  filter: LedgerFilter;
  sort: LedgerSort;
  today: string;
  /** The previous page's cursor values; null for the first page. */
  after: Array<string | number> | null;
  /** Rows of the page (one more is read to tell whether another page follows); null for every row. */
  limit: number | null;
}): { page: string; counts: string; params: Record<string, unknown>; countParams: Record<string, unknown>; cursorLength: number } {
  const f = input.filter;
  const params: Record<string, unknown> = { campaignId: input.campaignId };
  // What every choice of the state and 逾期 filters is counted under: campaign, unit, source, text.
  const review: string[] = ['li.campaign_id = @campaignId'];
  const manual: string[] = ['m.campaign_id = @campaignId'];
  if (f.unitId) {
    review.push('c.unit_id = @unitId');
    manual.push('m.unit_id = @unitId');
    params.unitId = f.unitId;
  }
  // The source decides which of the two tables is read at all.
  let reviewArm = !f.source || f.source === 'review';
  let manualArm = f.source !== 'review';
  if (f.source && f.source !== 'review') {
    if (f.source !== 'manual') {
      manual.push('m.source = @source');
      params.source = f.source;
    }
  }
  if (f.text) {
    const serial = /^(?:ZG\d{4}-)?0*(\d{1,7})$/i.exec(f.text);
    const bySerial = serial ? ' OR {t}.serial = @serial' : '';
    if (serial) params.serial = Number(serial[1]);
    // A review row's problem is what the screen shows of its JSON: the reviewer's words and the standard item.
    review.push(
      `(instr(c.case_number, @text) > 0 OR instr(u.name, @text) > 0 OR instr(li.problem_json ->> '$.comment', @text) > 0
        OR instr(li.problem_json ->> '$.itemText', @text) > 0 OR instr(li.responsible, @text) > 0${bySerial.replace('{t}', 'li')})`,
    );
    manual.push(
      `(instr(m.subject, @text) > 0 OR instr(u.name, @text) > 0 OR instr(m.description, @text) > 0 OR instr(m.responsible, @text) > 0${bySerial.replace('{t}', 'm')})`,
    );
    params.text = f.text;
  }
  const countParams = { ...params, today: input.today };
  // The counts join the file and the unit only when a filter needs them, so the plain ledger's counts
  // read one index.
  const joined = !!(f.unitId || f.text);
  // A search reads the campaign's rows and no others. With one campaign in the workspace the planner
  // would as soon read the table whole (the same rows); the campaign's index keeps it so with several.
  const items = f.text && !f.unitId ? 'ledger_items li INDEXED BY ledger_items_campaign_counts' : 'ledger_items li';
  const countArms = [
    reviewArm &&
      `SELECT CASE WHEN li.withdrawn_at IS NOT NULL THEN 'withdrawn' ELSE li.status END AS k,
        (li.withdrawn_at IS NULL AND li.status <> 'closed' AND li.deadline < @today) AS o
      FROM ${joined ? `${items} JOIN cases c ON c.id = li.case_id JOIN units u ON u.id = c.unit_id` : items}
      WHERE ${review.join(' AND ')}`,
    manualArm &&
      `SELECT m.status AS k, (m.status <> 'closed' AND m.deadline < @today) AS o
      FROM ${joined ? 'ledger_manual_items m JOIN units u ON u.id = m.unit_id' : 'ledger_manual_items m'}
      WHERE ${manual.join(' AND ')}`,
  ].filter((a): a is string => !!a);
  const counts = `SELECT k, o, count(*) AS n FROM (${countArms.join(' UNION ALL ')}) GROUP BY k, o`;

  // The page: the state and 逾期 filters too, then the order and the cursor.
  if (f.state === 'withdrawn') {
    review.push('li.withdrawn_at IS NOT NULL');
    manualArm = false;
  } else {
    review.push('li.withdrawn_at IS NULL');
    if (f.state) {
      review.push('li.status = @state');
      manual.push('m.status = @state');
      params.state = f.state;
    }
  }
  if (f.overdue) {
    // In the very terms of the open rows' partial index (migration 24), so the planner can use it.
    review.push("li.status <> 'closed' AND li.deadline < @today AND li.withdrawn_at IS NULL");
    manual.push("m.status <> 'closed' AND m.deadline < @today");
    params.today = input.today;
  }
  const keys = input.sort === 'deadline' ? ['deadline_key', 'serial'] : ['serial'];
  if (input.after) {
    const rKeys = input.sort === 'deadline' ? "(coalesce(li.deadline, ''), li.serial)" : 'li.serial';
    const mKeys = input.sort === 'deadline' ? "(coalesce(m.deadline, ''), m.serial)" : 'm.serial';
    const at = input.sort === 'deadline' ? '(@k0, @k1)' : '@k0';
    review.push(`${rKeys} > ${at}`);
    manual.push(`${mKeys} > ${at}`);
    input.after.forEach((v, i) => (params[`k${i}`] = v));
  }
  if (input.limit !== null) params.limit = input.limit;
  if (!reviewArm && !manualArm) {
    // 已撤回 rows entered by hand: there are none (only the review's results withdraw a row).
    reviewArm = true;
    review.push('li.id IS NULL');
  }
  const pageArms = [
    reviewArm && `SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM.replace('ledger_items li', items)} WHERE ${review.join(' AND ')}`,
    manualArm && `SELECT ${MANUAL_COLUMNS} FROM ${MANUAL_FROM} WHERE ${manual.join(' AND ')}`,
  ].filter((a): a is string => !!a);
  const page = `${pageArms.join(' UNION ALL ')} ORDER BY ${keys.join(', ')}${input.limit !== null ? ' LIMIT @limit' : ''}`;
  return { page, counts, params, countParams, cursorLength: keys.length };
}

/** The columns `ledger:update` may change. */
export interface LedgerFields {
  measure: string;
  responsible: string;
  deadline: string | null;
  status: LedgerStatus;
  checker: string;
  checkOpinion: string;
  closedOn: string | null;
}

/** A problem entered by hand, as stored. */
export interface ManualInsert {
  id: string;
  campaignId: string;
  unitId: string;
  serial: number;
  source: Exclude<LedgerSource, 'review'>;
  subject: string;
  description: string;
  measure: string;
  responsible: string;
  deadline: string;
  createdBy: string;
  at: string;
}

function prepare(db: Db) {
  const update = (table: string) =>
    db.prepare(
      `UPDATE ${table} SET measure = @measure, responsible = @responsible, deadline = @deadline, status = @status, checker = @checker,
         check_opinion = @checkOpinion, closed_on = @closedOn, revision = revision + 1, updated_at = @at WHERE id = @id`,
    );
  return {
    reviewRow: db.prepare(`SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM} WHERE li.id = ?`),
    manualRow: db.prepare(`SELECT ${MANUAL_COLUMNS} FROM ${MANUAL_FROM} WHERE m.id = ?`),
    evidenceOf: db.prepare(
      `SELECT e.ledger_item_id AS item_id, e.id, e.file_name, b.size, coalesce(u.display_name, '') AS uploaded_by, e.uploaded_at
       FROM ledger_evidence e JOIN blobs b ON b.sha256 = e.sha256 LEFT JOIN users u ON u.id = e.uploaded_by
       WHERE e.ledger_item_id IN (SELECT value FROM json_each(@ids))
       UNION ALL
       SELECT e.manual_item_id, e.id, e.file_name, b.size, coalesce(u.display_name, ''), e.uploaded_at
       FROM ledger_manual_evidence e JOIN blobs b ON b.sha256 = e.sha256 LEFT JOIN users u ON u.id = e.uploaded_by
       WHERE e.manual_item_id IN (SELECT value FROM json_each(@ids))
       ORDER BY uploaded_at`,
    ),
    evidenceFile: db.prepare(
      `SELECT e.sha256, e.file_name, b.size FROM ledger_evidence e JOIN blobs b ON b.sha256 = e.sha256 WHERE e.id = @id
       UNION ALL SELECT e.sha256, e.file_name, b.size FROM ledger_manual_evidence e JOIN blobs b ON b.sha256 = e.sha256 WHERE e.id = @id`,
    ),
    nextSerial: db
      .prepare(
        `SELECT max(coalesce((SELECT max(serial) FROM ledger_items WHERE campaign_id = @c), 0),
           coalesce((SELECT max(serial) FROM ledger_manual_items WHERE campaign_id = @c), 0)) + 1`,
      )
      .pluck(),
    unitInCampaign: db.prepare('SELECT 1 FROM units WHERE id = ? AND campaign_id = ?'),
    unitName: db.prepare('SELECT name FROM units WHERE id = ?').pluck(),
    insertManual: db.prepare(
      `INSERT INTO ledger_manual_items (id, campaign_id, unit_id, serial, source, subject, description, measure, responsible, deadline, created_by, created_at, updated_at)
       VALUES (@id, @campaignId, @unitId, @serial, @source, @subject, @description, @measure, @responsible, @deadline, @createdBy, @at, @at)`,
    ),
    problemsOfCampaign: db.prepare('SELECT id, case_id, item_id, problem_json, withdrawn_at FROM ledger_items WHERE campaign_id = ?'),
    insertProblem: db.prepare(
      `INSERT INTO ledger_items (id, campaign_id, case_id, item_id, serial, problem_json, measure, deadline, created_at, updated_at)
       VALUES (@id, @campaignId, @caseId, @itemId, @serial, @problemJson, '', @deadline, @at, @at)`,
    ),
    restateProblem: db.prepare(
      'UPDATE ledger_items SET problem_json = ?, withdrawn_at = NULL, revision = revision + 1, updated_at = ? WHERE id = ?',
    ),
    withdraw: db.prepare('UPDATE ledger_items SET withdrawn_at = @at, revision = revision + 1, updated_at = @at WHERE id = @id'),
    update: { review: update('ledger_items'), manual: update('ledger_manual_items') },
    insertBlob: db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)'),
    insertEvidence: {
      review: db.prepare(
        'INSERT INTO ledger_evidence (id, ledger_item_id, sha256, file_name, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      manual: db.prepare(
        'INSERT INTO ledger_manual_evidence (id, manual_item_id, sha256, file_name, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    },
    touch: {
      review: db.prepare('UPDATE ledger_items SET revision = revision + 1, updated_at = ? WHERE id = ?'),
      manual: db.prepare('UPDATE ledger_manual_items SET revision = revision + 1, updated_at = ? WHERE id = ?'),
    },
    // Only the settled files' problems count, as their stored results hold them (written by the
    // review service with the shared scoring rules).
    unsynced: db
      .prepare(
        `SELECT count(*) FROM case_summaries s, json_each(s.problems_json) p
         WHERE s.campaign_id = ? AND s.state = 'final' AND NOT EXISTS (
           SELECT 1 FROM ledger_items li WHERE li.case_id = s.case_id AND li.item_id = p.value ->> '$.itemId' AND li.withdrawn_at IS NULL)`,
      )
      .pluck(),
    heldProblems: db.prepare('SELECT case_id, item_id FROM ledger_items WHERE campaign_id = ? AND withdrawn_at IS NULL'),
  };
}

export class LedgerRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(private readonly db: Db) {
    this.q = prepare(db);
  }

  /** A row of either table, or null. */
  row(rowId: string): LedgerItemRow | null {
    return ((this.q.reviewRow.get(rowId) ?? this.q.manualRow.get(rowId)) as LedgerItemRow | undefined) ?? null;
  }

  /** A page of the ledger and the counts under its filters, from `ledgerPageSql`'s statements. */
  page(sql: ReturnType<typeof ledgerPageSql>): { rows: LedgerItemRow[]; counts: Array<{ k: string; o: number; n: number }> } {
    // The filters vary per call: the statements are built from fixed fragments, never from input text.
    const rows = this.db.prepare(sql.page).all(sql.params) as LedgerItemRow[];
    const counts = this.db.prepare(sql.counts).all(sql.countParams) as Array<{ k: string; o: number; n: number }>;
    return { rows, counts };
  }

  /** Every row under `ledgerPageSql`'s filters (no limit), for the export. */
  rows(pageSql: string, params: Record<string, unknown>): LedgerItemRow[] {
    return this.db.prepare(pageSql).all(params) as LedgerItemRow[];
  }

  /** The evidence of the given rows, oldest first, by row. */
  evidenceOf(rowIds: readonly string[]): Map<string, LedgerEvidence[]> {
    const out = new Map<string, LedgerEvidence[]>();
    if (!rowIds.length) return out;
    for (const e of this.q.evidenceOf.all({ ids: JSON.stringify(rowIds) }) as EvidenceRow[]) {
      const list = out.get(e.item_id) ?? [];
      list.push({ id: e.id, fileName: e.file_name, size: e.size, uploadedBy: e.uploaded_by, uploadedAt: e.uploaded_at });
      out.set(e.item_id, list);
    }
    return out;
  }

  evidenceFile(evidenceId: string): { sha256: string; file_name: string; size: number } | null {
    return (this.q.evidenceFile.get({ id: evidenceId }) as { sha256: string; file_name: string; size: number } | undefined) ?? null;
  }

  /** The next 问题编号 of the campaign: one sequence for rows from the review and rows entered by hand. */
  nextSerial(campaignId: string): number {
    return this.q.nextSerial.get({ c: campaignId }) as number;
  }

  unitInCampaign(unitId: string, campaignId: string): boolean {
    return this.q.unitInCampaign.get(unitId, campaignId) !== undefined;
  }

  unitName(unitId: string): string | null {
    return (this.q.unitName.get(unitId) as string | undefined) ?? null;
  }

  insertManual(row: ManualInsert): void {
    this.q.insertManual.run(row);
  }

  /** The review's rows of a campaign, as `ledger:sync` compares them with the final results. */
  problemsOfCampaign(
    campaignId: string,
  ): Array<{ id: string; case_id: string; item_id: string; problem_json: string; withdrawn_at: string | null }> {
    return this.q.problemsOfCampaign.all(campaignId) as Array<{
      id: string;
      case_id: string;
      item_id: string;
      problem_json: string;
      withdrawn_at: string | null;
    }>;
  }

  insertProblem(row: {
    id: string;
    campaignId: string;
    caseId: string;
    itemId: string;
    serial: number;
    problemJson: string;
    deadline: string;
    at: string;
  }): void {
    this.q.insertProblem.run(row);
  }

  /** The problem as the final result now states it (back in the ledger if it had been withdrawn). */
  restateProblem(rowId: string, problemJson: string, at: string): void {
    this.q.restateProblem.run(problemJson, at, rowId);
  }

  withdraw(rowId: string, at: string): void {
    this.q.withdraw.run({ id: rowId, at });
  }

  update(table: LedgerTable, rowId: string, fields: LedgerFields, at: string): void {
    this.q.update[table].run({ ...fields, id: rowId, at });
  }

  addEvidence(
    table: LedgerTable,
    e: { id: string; rowId: string; sha256: string; size: number; fileName: string; uploadedBy: string; at: string },
  ): void {
    this.q.insertBlob.run(e.sha256, e.size, e.at);
    this.q.insertEvidence[table].run(e.id, e.rowId, e.sha256, e.fileName, e.uploadedBy, e.at);
    this.q.touch[table].run(e.at, e.rowId);
  }

  /** Problems of the campaign's settled files, as their stored results hold them, that the ledger has no open row for. */
  unsynced(campaignId: string): number {
    return this.q.unsynced.get(campaignId) as number;
  }

  /** The file and item of each open row of the review (for counting against results computed afresh). */
  heldProblems(campaignId: string): Set<string> {
    return new Set(
      (this.q.heldProblems.all(campaignId) as Array<{ case_id: string; item_id: string }>).map((r) => `${r.case_id}\u0000${r.item_id}`),
    );
  }
}

/** The repo of this database (statements prepared once per database). */
export const ledgerRepo = perDatabase((db) => new LedgerRepo(db));
