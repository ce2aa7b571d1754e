/**
 * What the bulk import keeps in the database: its batches and their items (one per file and list row,
 * with the row behind each case), the column mappings remembered per unit, and what a plan reads of
 * the campaign's cases and documents. Statements are prepared once per database and named for what
 * they answer; JSON cells are read through their schema (a damaged cell names its record).
 */
import type { CaseSource, ImportItem, ImportSummary } from '../../../shared/import/api.js';
import { ListRowSchema, SavedMappingSchema } from '../../../shared/import/api.js';
import type { SavedMapping } from '../../../shared/import/fields.js';
import type { Case } from '../../../shared/dossiers/dossier.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { toCase, type CaseRow } from '../dossiers/index.js';

interface BatchRow {
  id: string;
  campaign_id: string;
  status: ImportSummary['status'];
  list_name: string;
  started_at: string;
  finished_at: string | null;
}

/** A batch as its summary heads it. */
export interface Batch {
  id: string;
  campaignId: string;
  status: ImportSummary['status'];
  listName: string;
  startedAt: string;
  finishedAt: string | null;
}

interface ItemRow {
  seq: number;
  kind: 'file' | 'row';
  path: string;
  outcome: ImportItem['outcome'];
  code: string;
  message: string;
  case_id: string | null;
  case_number: string;
  size: number | null;
  page_count: number | null;
  has_text: number | null;
  ms: number | null;
}

const toItem = (r: ItemRow): ImportItem => ({
  seq: r.seq,
  kind: r.kind,
  path: r.path,
  outcome: r.outcome,
  code: r.code,
  message: r.message,
  caseId: r.case_id,
  caseNumber: r.case_number,
  size: r.size,
  pageCount: r.page_count,
  hasText: r.has_text === null ? null : r.has_text === 1,
  ms: r.ms,
});

/** An item as the batch records it (the list row's JSON already written, or ''). */
export interface ItemInsert {
  batchId: string;
  seq: number;
  kind: ImportItem['kind'];
  path: string;
  outcome: ImportItem['outcome'];
  code: string;
  message: string;
  caseId: string | null;
  caseNumber: string;
  documentId: string | null;
  sha256: string | null;
  size: number | null;
  pageCount: number | null;
  hasText: number | null;
  ms: number | null;
  rowJson: string;
}

interface CampaignCaseRow extends CaseRow {
  case_number_key: string;
  unit_short: string;
}

/** A case already in the campaign, as a plan matches list rows and files to it. */
export interface CampaignCase {
  case: Case;
  caseNumberKey: string;
  unitShortName: string;
}

function prepare(db: Db) {
  return {
    interruptRunning: db.prepare("UPDATE import_batches SET status = 'interrupted', finished_at = ? WHERE status = 'running'"),
    campaign: db.prepare('SELECT status, name FROM campaigns WHERE id = ?'),
    savedMappings: db.prepare('SELECT unit_key, unit_name, mapping_json FROM list_mappings ORDER BY updated_at DESC'),
    saveMapping: db.prepare(
      `INSERT INTO list_mappings (unit_key, unit_name, mapping_json, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (unit_key) DO UPDATE SET unit_name = excluded.unit_name, mapping_json = excluded.mapping_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ),
    insertBatch: db.prepare(
      "INSERT INTO import_batches (id, campaign_id, status, list_name, options_json, created_by, started_at) VALUES (?, ?, 'running', ?, ?, ?, ?)",
    ),
    failRunning: db.prepare("UPDATE import_batches SET status = 'failed', finished_at = ? WHERE id = ? AND status = 'running'"),
    finishBatch: db.prepare('UPDATE import_batches SET status = ?, finished_at = ? WHERE id = ?'),
    insertItem: db.prepare(
      `INSERT INTO import_items (batch_id, seq, kind, path, outcome, code, message, case_id, case_number, document_id, sha256, size, page_count, has_text, ms, row_json)
       VALUES (@batchId, @seq, @kind, @path, @outcome, @code, @message, @caseId, @caseNumber, @documentId, @sha256, @size, @pageCount, @hasText, @ms, @rowJson)`,
    ),
    batch: db.prepare('SELECT * FROM import_batches WHERE id = ?'),
    items: db.prepare('SELECT * FROM import_items WHERE batch_id = ? ORDER BY seq'),
    latestBatchIds: db.prepare('SELECT id FROM import_batches WHERE campaign_id = ? ORDER BY started_at DESC LIMIT 50').pluck(),
    sameContentInCampaign: db.prepare(
      'SELECT d.file_name, c.case_number FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.campaign_id = ? AND d.sha256 = ? LIMIT 1',
    ),
    nextPosition: db.prepare('SELECT coalesce(max(position), -1) + 1 AS p FROM documents WHERE case_id = ?').pluck(),
    caseColumns: db.prepare('SELECT * FROM cases WHERE id = ?'),
    caseSource: db.prepare(
      `SELECT i.row_json, b.list_name, b.started_at, coalesce(u.display_name, '') AS by_name
       FROM import_items i JOIN import_batches b ON b.id = i.batch_id LEFT JOIN users u ON u.id = b.created_by
       WHERE i.case_id = ? AND i.kind = 'row' AND i.row_json <> '' ORDER BY b.started_at DESC, i.seq DESC LIMIT 1`,
    ),
    campaignCases: db.prepare(
      // The files a case already has: a re-listed case that has them is no missing dossier.
      `SELECT c.*, u.name AS unit_name, u.short_name AS unit_short,
         (SELECT count(*) FROM documents d WHERE d.case_id = c.id) AS document_count, 0 AS page_count
       FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.campaign_id = ?`,
    ),
    contentOfSize: db
      .prepare('SELECT d.sha256 FROM documents d JOIN blobs b ON b.sha256 = d.sha256 WHERE d.case_id = ? AND b.size = ?')
      .pluck(),
  };
}

export class ImportRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(private readonly db: Db) {
    this.q = prepare(db);
  }

  /** Marks every batch still "running" interrupted; returns how many. */
  interruptRunning(at: string): number {
    return this.q.interruptRunning.run(at).changes;
  }

  campaign(campaignId: string): { status: string; name: string } | null {
    return (this.q.campaign.get(campaignId) as { status: string; name: string } | undefined) ?? null;
  }

  /** Every remembered mapping, the latest first. */
  savedMappings(): Array<{ unitKey: string; unitName: string; saved: SavedMapping }> {
    return (this.q.savedMappings.all() as Array<{ unit_key: string; unit_name: string; mapping_json: string }>).map((r) => ({
      unitKey: r.unit_key,
      unitName: r.unit_name,
      saved: parseJsonColumn(SavedMappingSchema, r.mapping_json, `单位“${r.unit_name}”保存的清单列对应关系`),
    }));
  }

  saveMapping(unitKey: string, unitName: string, saved: SavedMapping, by: string, at: string): void {
    this.q.saveMapping.run(unitKey, unitName, JSON.stringify(saved), by, at);
  }

  insertBatch(row: { id: string; campaignId: string; listName: string; options: unknown; createdBy: string; at: string }): void {
    this.q.insertBatch.run(row.id, row.campaignId, row.listName, JSON.stringify(row.options), row.createdBy, row.at);
  }

  /** Marks the batch failed unless it already has an outcome. */
  failRunning(batchId: string, at: string): void {
    this.q.failRunning.run(at, batchId);
  }

  finishBatch(batchId: string, status: ImportSummary['status'], at: string): void {
    this.q.finishBatch.run(status, at, batchId);
  }

  insertItem(row: ItemInsert): void {
    this.q.insertItem.run(row);
  }

  batch(batchId: string): Batch | null {
    const r = this.q.batch.get(batchId) as BatchRow | undefined;
    return r
      ? { id: r.id, campaignId: r.campaign_id, status: r.status, listName: r.list_name, startedAt: r.started_at, finishedAt: r.finished_at }
      : null;
  }

  /** The batch's items in the order they were recorded. */
  items(batchId: string): ImportItem[] {
    return (this.q.items.all(batchId) as ItemRow[]).map(toItem);
  }

  /** The campaign's latest 50 batches, the newest first. */
  latestBatchIds(campaignId: string): string[] {
    return this.q.latestBatchIds.all(campaignId) as string[];
  }

  /** A file of the campaign with these bytes, and its case's 案号. */
  sameContentInCampaign(campaignId: string, sha256: string): { fileName: string; caseNumber: string } | null {
    const row = this.q.sameContentInCampaign.get(campaignId, sha256) as { file_name: string; case_number: string } | undefined;
    return row ? { fileName: row.file_name, caseNumber: row.case_number } : null;
  }

  /** The position after the case's last file. */
  nextPosition(caseId: string): number {
    return this.q.nextPosition.get(caseId) as number;
  }

  /** The case's stored columns by name (what a list row may fill in is read from them). */
  caseColumns(caseId: string): Record<string, unknown> {
    return this.q.caseColumns.get(caseId) as Record<string, unknown>;
  }

  /** Writes `values` into the named columns of the case (names from the import's fixed list, never input). */
  fillCase(caseId: string, values: ReadonlyArray<[column: string, value: unknown]>, at: string): void {
    this.db
      .prepare(`UPDATE cases SET ${values.map(([column]) => `${column} = ?`).join(', ')}, updated_at = ? WHERE id = ?`)
      .run(...values.map(([, value]) => value), at, caseId);
  }

  /** The latest list row that registered or completed the case. */
  caseSource(caseId: string): CaseSource | null {
    const row = this.q.caseSource.get(caseId) as { row_json: string; list_name: string; started_at: string; by_name: string } | undefined;
    if (!row) return null;
    const stored = parseJsonColumn(ListRowSchema, row.row_json, `案卷 ${caseId} 的导入清单行`);
    return {
      listName: row.list_name,
      rowNumber: stored.rowNumber,
      importedAt: row.started_at,
      importedBy: row.by_name,
      cells: stored.cells,
    };
  }

  /** The campaign's cases with their 案号 key, unit's short name and number of files (page count left at zero). */
  campaignCases(campaignId: string): CampaignCase[] {
    return (this.q.campaignCases.all(campaignId) as CampaignCaseRow[]).map((r) => ({
      case: toCase(r),
      caseNumberKey: r.case_number_key,
      unitShortName: r.unit_short,
    }));
  }

  /** The hashes of the case's files of exactly this size. */
  contentOfSize(caseId: string, size: number): string[] {
    return this.q.contentOfSize.all(caseId, size) as string[];
  }
}
