/**
 * Cases (案卷) and their documents as the case list, the reader and the imports read and write them:
 * the rows, their mapping, the case list's page built from fixed fragments, the page-text search, and
 * the statements, prepared once per database and named for what they answer.
 */
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import type { Case, DossierDocument } from '../../../shared/dossiers/dossier.js';
import type { CaseFilter, CaseSort } from '../../../shared/dossiers/case-page.js';
import type { ReviewState } from '../../../shared/panel/review-states.js';
import type { ReviewRoute } from '../../../shared/panel/divergence.js';
import type { Db } from '../core/db/database.js';
import { KeptUntilChange } from '../core/db/kept-until-change.js';
import type { Statement } from 'better-sqlite3';
import { perDatabase } from '../core/db/per-database.js';

export interface CaseRow {
  id: string;
  campaign_id: string;
  unit_id: string;
  unit_name: string;
  case_number: string;
  title: string;
  case_type: CaseType;
  cause: string;
  party: string;
  enforcement_body: string;
  filed_on: string | null;
  closed_on: string | null;
  decision: string;
  penalty_amount: number | null;
  confiscated_amount: number | null;
  penalty_text: string;
  handler: string;
  external_code: string;
  document_count: number;
  page_count: number;
  created_at: string;
}

/** A row of the case list's page, with the sort key its cursor carries. */
export type CasePageRow = CaseRow & { case_number_sort: string };

interface DocumentRow {
  id: string;
  case_id: string;
  sha256: string;
  file_name: string;
  title: string;
  size: number;
  page_count: number;
  has_text: number;
  position: number;
  created_at: string;
}

/** A page whose stored text matched a search, with the file and case it belongs to. */
export interface HitRow {
  document_id: string;
  page_index: number;
  text: string;
  title: string;
  case_id: string;
  case_number: string;
  unit_name: string;
}

export const CASE_SELECT = `SELECT c.*, u.name AS unit_name,
    (SELECT count(*) FROM documents d WHERE d.case_id = c.id) AS document_count,
    (SELECT coalesce(sum(d.page_count), 0) FROM documents d WHERE d.case_id = c.id) AS page_count
  FROM cases c JOIN units u ON u.id = c.unit_id`;

export const toCase = (r: CaseRow): Case => ({
  id: r.id,
  campaignId: r.campaign_id,
  unitId: r.unit_id,
  unitName: r.unit_name,
  caseNumber: r.case_number,
  title: r.title,
  caseType: r.case_type,
  cause: r.cause,
  party: r.party,
  enforcementBody: r.enforcement_body,
  filedOn: r.filed_on,
  closedOn: r.closed_on,
  decision: r.decision,
  penaltyAmount: r.penalty_amount ?? null,
  confiscatedAmount: r.confiscated_amount ?? null,
  penaltyText: r.penalty_text ?? '',
  handler: r.handler,
  externalCode: r.external_code,
  documentCount: r.document_count,
  pageCount: r.page_count,
  createdAt: r.created_at,
});

const DOC_SELECT = `SELECT d.id, d.case_id, d.sha256, d.file_name, d.title, b.size, d.page_count, d.has_text, d.position, d.created_at
  FROM documents d JOIN blobs b ON b.sha256 = d.sha256`;

export const toDocument = (r: DocumentRow): DossierDocument => ({
  id: r.id,
  caseId: r.case_id,
  sha256: r.sha256,
  fileName: r.file_name,
  title: r.title,
  size: r.size,
  pageCount: r.page_count,
  hasText: r.has_text === 1,
  position: r.position,
  createdAt: r.created_at,
});

/** The files in a stored review state, read from the state index (a few hundred of 20,000 files). */
const STATE_SQL = 'c.id IN (SELECT s.case_id FROM case_summaries s WHERE s.campaign_id = @campaignId AND s.state = @state)';
/** The same, waiting for whom @route names (null: nobody yet). */
const STATE_ROUTE_SQL =
  'c.id IN (SELECT s.case_id FROM case_summaries s WHERE s.campaign_id = @campaignId AND s.state = @state AND s.route IS @route)';

/** Who decides a file waiting for a decision (the stage the list shows); nothing for other states. */
const ROUTE = "CASE WHEN cs.state = 'flagged' THEN cs.route END";

/** The statements of one page of the case list (exported for the query-plan test and the benchmark). */
export function casePageSql(input: {
  filter: CaseFilter;
  sort: CaseSort;
  after?: string | undefined;
  visibleIds?: string[] | null;
  /** Only these files (a stage that SQL alone cannot tell: who decides a file waiting for a decision). */
  onlyIds?: string[] | null;
  /** The state filter also matches who decides the file (@route), for a reader who may see that. */
  byRoute?: boolean;
}): {
  where: string;
  page: string;
  count: string;
  /**
   * How many matching files stand in each stored review state and, waiting for a decision, by who
   * decides them (the stage counts); a null state
   * counts the files whose result is not stored yet, so the groups add up to the matching files
   * when `statesCountAll` says so.
   */
  stateCounts: string;
  statesCountAll: boolean;
  /** The matching files waiting for a decision (their stage depends on who decides them). */
  flagged: string;
  cursorLength: number;
} {
  const f = input.filter;
  const where: string[] = ['c.campaign_id = @campaignId'];
  // The page walks the list in its order and stops after one page: a reviewer's files are probed
  // file by file there, while the counts read that reviewer's assignments from their index.
  const pageWhere: string[] = [];
  const countWhere: string[] = [];
  if (f.unitId) where.push('c.unit_id = @unitId');
  if (f.caseType) where.push('c.case_type = @caseType');
  if (f.drawn)
    where.push(
      'EXISTS (SELECT 1 FROM drawn_cases dc JOIN draws dr ON dr.id = dc.draw_id WHERE dc.case_id = c.id AND dr.campaign_id = c.campaign_id AND dr.superseded_at IS NULL)',
    );
  if (f.reviewerId) {
    pageWhere.push('EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.reviewer_id = @reviewerId)');
    countWhere.push('c.id IN (SELECT a.case_id FROM assignments a WHERE a.campaign_id = @campaignId AND a.reviewer_id = @reviewerId)');
  }
  // The units whose name matches are found first (a few of 200), so the files are read on their own.
  if (f.text)
    where.push(
      `(instr(c.case_number, @text) > 0 OR instr(c.title, @text) > 0 OR instr(c.party, @text) > 0
        OR c.unit_id IN (SELECT m.id FROM units m WHERE m.campaign_id = @campaignId AND instr(m.name, @text) > 0))`,
    );
  if (f.state) where.push(input.byRoute ? STATE_ROUTE_SQL : STATE_SQL);
  if (input.onlyIds) where.push('c.id IN (SELECT value FROM json_each(@only))');
  const byUnit = input.sort === 'unit';
  const keys = byUnit ? ['u.name', 'c.case_number_sort', 'c.id'] : ['c.case_number_sort', 'c.id'];
  if (input.visibleIds) {
    // A reviewer's own files, thousands in a province: the page walks the list in its order and
    // keeps theirs (`+` keeps SQLite from starting at the set and sorting all of it); a few files
    // are read directly. The counts read the set whatever its size.
    const walk = input.visibleIds.length >= 1000;
    pageWhere.push(`${walk ? '+' : ''}c.id IN (SELECT value FROM json_each(@visible))`);
    countWhere.push('c.id IN (SELECT value FROM json_each(@visible))');
  }
  const filtered = [...where, ...pageWhere].join(' AND ');
  const counted = [...where, ...countWhere].join(' AND ');
  // By unit the units are walked in name order and each unit's files through its own sorted index
  // (no sort of the whole campaign); the cursor's unit name bounds where that walk starts.
  const cursor = input.after
    ? ` AND ${byUnit ? 'u.name >= @k0 AND ' : ''}(${keys.join(', ')}) > (${keys.map((_, i) => `@k${i}`).join(', ')})`
    : '';
  const from = byUnit
    ? 'FROM units u CROSS JOIN cases c ON c.unit_id = u.id WHERE u.campaign_id = @campaignId AND'
    : 'FROM cases c JOIN units u ON u.id = c.unit_id WHERE';
  // Counts read the files alone (no filter needs a unit's row).
  const countFrom = 'FROM cases c';
  // Nothing but the campaign (and perhaps a state) to match: the stored states' own index answers.
  const campaignOnly = !f.unitId && !f.caseType && !f.drawn && !f.reviewerId && !f.text && !input.visibleIds && !input.onlyIds;
  return {
    where: filtered,
    // The files' documents are counted for the page's rows only, after the page is cut: a list read
    // from a set of files (a reviewer's own) is sorted whole first, and counting for every file of
    // the set was most of its time.
    page: `SELECT p.*,
        (SELECT count(*) FROM documents d WHERE d.case_id = p.id) AS document_count,
        (SELECT coalesce(sum(d.page_count), 0) FROM documents d WHERE d.case_id = p.id) AS page_count
      FROM (SELECT c.*, u.name AS unit_name ${from} ${filtered}${cursor} ORDER BY ${keys.join(', ')} LIMIT @limit) p
      ORDER BY ${(byUnit ? ['p.unit_name', 'p.case_number_sort', 'p.id'] : ['p.case_number_sort', 'p.id']).join(', ')}`,
    count: `SELECT count(*) AS n ${countFrom} WHERE ${counted}`,
    stateCounts: campaignOnly
      ? `SELECT cs.state, ${ROUTE} AS route, count(*) AS n FROM case_summaries cs WHERE cs.campaign_id = @campaignId${f.state ? ' AND cs.state = @state' : ''}${f.state && input.byRoute ? ' AND cs.route IS @route' : ''} GROUP BY cs.state, route`
      : `SELECT cs.state, ${ROUTE} AS route, count(*) AS n ${countFrom} LEFT JOIN case_summaries cs ON cs.case_id = c.id WHERE ${counted} GROUP BY cs.state, route`,
    statesCountAll: !campaignOnly,
    flagged: `SELECT c.id ${countFrom} WHERE ${counted} AND c.id IN (SELECT s.case_id FROM case_summaries s WHERE s.campaign_id = @campaignId AND s.state = 'flagged')`,
    cursorLength: keys.length,
  };
}

/** The row `cases` stores for a new case, keyed and sorted by its 案号. */
export interface CaseInsert {
  id: string;
  campaignId: string;
  unitId: string;
  caseNumber: string;
  caseNumberKey: string;
  caseNumberSort: string;
  title: string;
  caseType: CaseType;
  cause: string;
  party: string;
  enforcementBody: string;
  filedOn: string | null;
  closedOn: string | null;
  decision: string;
  penaltyAmount: number | null;
  confiscatedAmount: number | null;
  penaltyText: string;
  handler: string;
  externalCode: string;
  createdBy: string;
  at: string;
}

/** The row `documents` stores for a new file of a case. */
export interface DocumentInsert {
  id: string;
  caseId: string;
  sha256: string;
  fileName: string;
  title: string;
  pageCount: number;
  hasText: number;
  metadataJson: string;
  position: number;
  at: string;
}

function prepare(db: Db) {
  return {
    caseById: db.prepare(`${CASE_SELECT} WHERE c.id = ?`),
    casesOfCampaign: db.prepare(`${CASE_SELECT} WHERE c.campaign_id = ? ORDER BY u.name, c.case_number`),
    caseIdsOfCampaign: db
      .prepare('SELECT c.id FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.campaign_id = ? ORDER BY u.name, c.case_number')
      .pluck(),
    documentById: db.prepare(`${DOC_SELECT} WHERE d.id = ?`),
    documentsOfCase: db.prepare(`${DOC_SELECT} WHERE d.case_id = ? ORDER BY d.position, d.created_at`),
    campaignExists: db.prepare('SELECT 1 FROM campaigns WHERE id = ?'),
    campaignStatus: db.prepare('SELECT status FROM campaigns WHERE id = ?').pluck(),
    currentDraw: db.prepare('SELECT id FROM draws WHERE campaign_id = ? AND superseded_at IS NULL').pluck(),
    drawnAmong: db.prepare('SELECT case_id FROM drawn_cases WHERE draw_id = ? AND case_id IN (SELECT value FROM json_each(?))').pluck(),
    reviewersOf: db.prepare(
      'SELECT a.case_id, a.reviewer_id, u.display_name FROM assignments a JOIN users u ON u.id = a.reviewer_id WHERE a.case_id IN (SELECT value FROM json_each(?)) ORDER BY u.display_name',
    ),
    hasContent: db.prepare('SELECT 1 FROM documents WHERE case_id = ? AND sha256 = ?'),
    unitNamed: db.prepare('SELECT id FROM units WHERE campaign_id = ? AND name = ?').pluck(),
    insertUnit: db.prepare('INSERT INTO units (id, campaign_id, name, created_at) VALUES (?, ?, ?, ?)'),
    caseOfKey: db.prepare(
      'SELECT c.id, c.unit_id, c.case_type, u.name AS unit_name FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.campaign_id = ? AND c.case_number_key = ?',
    ),
    insertCase: db.prepare(
      `INSERT INTO cases (id, campaign_id, unit_id, case_number, case_number_key, case_number_sort, title, case_type, cause, party, enforcement_body,
         filed_on, closed_on, decision, penalty_amount, confiscated_amount, penalty_text, handler, external_code, created_by, created_at, updated_at)
       VALUES (@id, @campaignId, @unitId, @caseNumber, @caseNumberKey, @caseNumberSort, @title, @caseType, @cause, @party, @enforcementBody,
         @filedOn, @closedOn, @decision, @penaltyAmount, @confiscatedAmount, @penaltyText, @handler, @externalCode, @createdBy, @at, @at)`,
    ),
    insertBlob: db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)'),
    nextPosition: db.prepare('SELECT coalesce(max(position), -1) + 1 AS p FROM documents WHERE case_id = ?').pluck(),
    insertDocument: db.prepare(
      `INSERT INTO documents (id, case_id, sha256, file_name, title, page_count, has_text, metadata_json, position, created_at)
       VALUES (@id, @caseId, @sha256, @fileName, @title, @pageCount, @hasText, @metadataJson, @position, @at)`,
    ),
    indexPage: db.prepare('INSERT INTO page_texts (text, document_id, page_index) VALUES (?, ?, ?)'),
    renameDocument: db.prepare('UPDATE documents SET title = ? WHERE id = ?'),
  };
}

export class DossiersRepo {
  private readonly q: ReturnType<typeof prepare>;

  /** The list's counts, kept until the next write: every page and every return to the list asks them. */
  private readonly kept: KeptUntilChange;

  constructor(private readonly db: Db) {
    this.q = prepare(db);
    this.kept = new KeptUntilChange(db);
  }

  case(caseId: string): Case | null {
    const row = this.q.caseById.get(caseId) as CaseRow | undefined;
    return row ? toCase(row) : null;
  }

  /** The campaign's cases by unit, then 案号 as read. */
  casesOfCampaign(campaignId: string): Case[] {
    return (this.q.casesOfCampaign.all(campaignId) as CaseRow[]).map(toCase);
  }

  caseIdsOfCampaign(campaignId: string): string[] {
    return this.q.caseIdsOfCampaign.all(campaignId) as string[];
  }

  document(documentId: string): DossierDocument | null {
    const row = this.q.documentById.get(documentId) as DocumentRow | undefined;
    return row ? toDocument(row) : null;
  }

  /** The case's files in their list order. */
  documentsOfCase(caseId: string): DossierDocument[] {
    return (this.q.documentsOfCase.all(caseId) as DocumentRow[]).map(toDocument);
  }

  campaignExists(campaignId: string): boolean {
    return this.q.campaignExists.get(campaignId) !== undefined;
  }

  /** The campaign's status, or null when there is no such campaign. */
  campaignStatus(campaignId: string): string | null {
    return (this.q.campaignStatus.get(campaignId) as string | undefined) ?? null;
  }

  /** One page of the case list, from `casePageSql`'s statement. */
  casePageRows(sql: string, params: Record<string, unknown>): CasePageRow[] {
    // The filters vary per call: the statements are built from fixed fragments, never from input text.
    return this.statement(sql).all(params) as CasePageRow[];
  }

  /** How many files match `casePageSql`'s filters. */
  caseCount(sql: string, params: Record<string, unknown>): number {
    return this.sinceLastChange(`count ${sql} ${JSON.stringify(params)}`, () => (this.statement(sql).get(params) as { n: number }).n);
  }

  /** How many files stand in each stored review state under `casePageSql`'s filters (null: not stored yet). */
  stateCounts(sql: string, params: Record<string, unknown>): Array<{ state: ReviewState | null; route: ReviewRoute | null; n: number }> {
    return this.sinceLastChange(
      `states ${sql} ${JSON.stringify(params)}`,
      () => this.statement(sql).all(params) as Array<{ state: ReviewState | null; route: ReviewRoute | null; n: number }>,
    );
  }

  /** The files waiting for a decision under `casePageSql`'s filters. */
  flaggedIds(sql: string, params: Record<string, unknown>): string[] {
    return this.sinceLastChange(`flagged ${sql} ${JSON.stringify(params)}`, () => this.statement(sql).pluck().all(params) as string[]);
  }

  /** A figure computed from the database, kept until anything at all is written. */
  sinceLastChange<T>(question: string, compute: () => T): T {
    return this.kept.get(question, compute);
  }

  /**
   * The list's statements by their text: they vary with the filters (a few dozen shapes), and
   * preparing one again on every page was a good part of a page's time.
   */
  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= 200) this.statements.clear();
      this.statements.set(sql, (stmt = this.db.prepare(sql)));
    }
    return stmt;
  }
  private readonly statements = new Map<string, Statement>();

  /** The campaign's current draw, or null before the first draw. */
  currentDraw(campaignId: string): string | null {
    return (this.q.currentDraw.get(campaignId) as string | undefined) ?? null;
  }

  /** Which of `caseIds` the draw picked. */
  drawnAmong(drawId: string, caseIds: readonly string[]): Set<string> {
    return new Set(this.q.drawnAmong.all(drawId, JSON.stringify(caseIds)) as string[]);
  }

  /** Each of `caseIds` with its reviewers, by name. */
  reviewersOf(caseIds: readonly string[]): Map<string, Array<{ id: string; name: string }>> {
    const rows = this.q.reviewersOf.all(JSON.stringify(caseIds)) as Array<{ case_id: string; reviewer_id: string; display_name: string }>;
    const reviewers = new Map<string, Array<{ id: string; name: string }>>();
    for (const r of rows) {
      const entry = reviewers.get(r.case_id) ?? [];
      entry.push({ id: r.reviewer_id, name: r.display_name });
      reviewers.set(r.case_id, entry);
    }
    return reviewers;
  }

  /** Whether the case already holds a file of these bytes. */
  hasContent(caseId: string, sha256: string): boolean {
    return this.q.hasContent.get(caseId, sha256) !== undefined;
  }

  /** The campaign's unit of exactly this name. */
  unitNamed(campaignId: string, name: string): { id: string } | null {
    const id = this.q.unitNamed.get(campaignId, name) as string | undefined;
    return id === undefined ? null : { id };
  }

  insertUnit(id: string, campaignId: string, name: string, at: string): void {
    this.q.insertUnit.run(id, campaignId, name, at);
  }

  /** The campaign's case of this 案号 key, with its unit and type. */
  caseOfKey(campaignId: string, key: string): { id: string; unitId: string; caseType: string; unitName: string } | null {
    const row = this.q.caseOfKey.get(campaignId, key) as { id: string; unit_id: string; case_type: string; unit_name: string } | undefined;
    return row ? { id: row.id, unitId: row.unit_id, caseType: row.case_type, unitName: row.unit_name } : null;
  }

  insertCase(row: CaseInsert): void {
    this.q.insertCase.run(row);
  }

  /** Records the bytes' size once; the blob store holds the bytes themselves. */
  insertBlob(sha256: string, size: number, at: string): void {
    this.q.insertBlob.run(sha256, size, at);
  }

  /** The position after the case's last file. */
  nextPosition(caseId: string): number {
    return this.q.nextPosition.get(caseId) as number;
  }

  insertDocument(row: DocumentInsert): void {
    this.q.insertDocument.run(row);
  }

  /** Stores each page's text for search (pages without text are skipped). */
  indexPages(documentId: string, pageTexts: readonly string[]): void {
    pageTexts.forEach((text, pageIndex) => {
      if (text.trim()) this.q.indexPage.run(text, documentId, pageIndex);
    });
  }

  renameDocument(documentId: string, title: string): void {
    this.q.renameDocument.run(title, documentId);
  }

  /**
   * Pages of the campaign whose stored text matches, in case-list order: by the trigram index for
   * three characters or more, else by LIKE (`pattern` is the phrase or the escaped pattern to match).
   */
  searchPages(input: {
    indexed: boolean;
    pattern: string;
    campaignId: string;
    caseId?: string | undefined;
    visibleIds: string[] | null;
    limit: number;
  }): HitRow[] {
    return this.statement(searchPagesSql({ indexed: input.indexed, caseId: !!input.caseId, visible: !!input.visibleIds })).all({
      q: input.pattern,
      campaignId: input.campaignId,
      ...(input.caseId ? { caseId: input.caseId } : {}),
      ...(input.visibleIds ? { visible: JSON.stringify(input.visibleIds) } : {}),
      limit: input.limit,
    }) as HitRow[];
  }
}

/**
 * The page search's statement, from fixed fragments only (eight shapes, kept with the list's
 * statements): the trigram index finds the matching pages' rows for three characters or more; LIKE
 * reads only the pages of the campaign's (or the case's) files, found by file in the page table's index.
 */
export function searchPagesSql(shape: { indexed: boolean; caseId: boolean; visible: boolean }): string {
  const where = shape.indexed ? 'p.id IN (SELECT rowid FROM page_text WHERE page_text MATCH @q)' : "p.text LIKE @q ESCAPE '\\'";
  return `SELECT p.document_id, p.page_index, p.text, d.title, d.case_id, c.case_number, u.name AS unit_name
    FROM page_texts p
    JOIN documents d ON d.id = p.document_id
    JOIN cases c ON c.id = d.case_id
    JOIN units u ON u.id = c.unit_id
    WHERE ${where} AND c.campaign_id = @campaignId ${shape.caseId ? 'AND c.id = @caseId' : ''}
      ${shape.visible ? 'AND c.id IN (SELECT value FROM json_each(@visible))' : ''}
    ORDER BY u.name, c.case_number, d.position, d.created_at, p.page_index
    LIMIT @limit`;
}

/** The repo of this database, for the functions every import path shares (statements prepared once per database). */
export const dossiersRepo = perDatabase((db) => new DossiersRepo(db));
