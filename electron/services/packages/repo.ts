/**
 * What work packages read and write row by row: the package log (what went out and came in), the
 * replicas a package made here, the sheets' synced revisions, the conflicts a return package left for
 * a person to decide, and the few rows of other records a package must look up or create (accounts
 * it names, standard versions it brings, the campaign a carried id already belongs to). Statements are
 * prepared once per database and named for what they answer; a conflict's kept sheet and every answer
 * are read through their schema. Copying whole carried tables is schema-driven and lives in tables.ts.
 */
import { z } from 'zod';
import type { PackageKind, StandardVersionPayload } from '../../../shared/packages/format.js';
import { AnswerSchema } from '../../../shared/scoring/answer.js';
import type { Answers } from '../../../shared/scoring/scoring.js';
import type { Actor } from '../core/context.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { perDatabase } from '../core/db/per-database.js';
import type { Row } from './tables.js';

/** A campaign this workstation holds as a copy made from a package. */
export interface ReplicaRow {
  campaign_id: string;
  kind: 'reviewer' | 'transfer' | 'report';
  reviewer_id: string | null;
  origin_package_id: string;
  origin_workstation_id: string;
  origin_created_at: string;
  imported_at: string;
}

/** One line of the package log, as `package_log` keeps it. */
export interface PackageLogEntry {
  packageId: string;
  direction: 'exported' | 'imported';
  kind: PackageKind;
  campaignId: string;
  reviewerId: string | null;
  sequence: number;
  basedOn: string | null;
  createdAt: string;
  workstationId: string;
  manifestSm3: string;
  bytes: number;
  signerFingerprint: string | null;
  summaryJson: string;
  actorId: string;
  at: string;
}

interface PackageLogLineRow {
  package_id: string;
  kind: PackageKind;
  direction: 'exported' | 'imported';
  reviewer_name: string | null;
  sequence: number;
  created_at: string;
  at: string;
  by_name: string | null;
  bytes: number;
  signer_fingerprint: string | null;
  summary_json: string;
}

/** A line of the log as the overview shows it, with the people named and what the package held. */
export type PackageLogLine = Omit<PackageLogLineRow, 'summary_json'> & { summary: Record<string, number> };

/** What a logged package held or changed: counts by kind (cases, documents, sheets …). */
const SummarySchema = z.record(z.string(), z.number());

/** A reviewer of the campaign with their files and the packages exchanged with them. */
export interface ReviewerPackages {
  id: string;
  name: string;
  assigned: number;
  last_out: string | null;
  last_seq: number | null;
  last_at: string | null;
}

export interface ConflictRow {
  id: string;
  campaign_id: string;
  case_id: string;
  reviewer_id: string;
  sheet_id: string;
  package_id: string;
  incoming_json: string;
  status: 'open' | 'resolved';
  resolution: 'local' | 'incoming' | null;
  created_at: string;
}

/** A conflict as its list shows it: the file and the people named. */
export type ConflictListRow = ConflictRow & { case_number: string; title: string; reviewer_name: string; resolved_by_name: string | null };

/** A sheet that came back in a package and differs from this workstation's, kept with its conflict. */
const IncomingSheetSchema = z.object({
  /** Its row, the standard version already mapped to ours. */
  sheet: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  answers: z.record(z.string(), AnswerSchema),
  /** When each answer was last changed (kept as the reviewer's laptop recorded it). */
  answeredAt: z.record(z.string(), z.string()),
});
export type IncomingSheet = z.infer<typeof IncomingSheetSchema>;

export const incomingSheet = (row: { id: string; incoming_json: string }): IncomingSheet =>
  parseJsonColumn(IncomingSheetSchema, row.incoming_json, `工作包冲突 ${row.id} 中收到的评查表`);

/** A sheet's answers, each read through its schema (rows of this database or of a checked package). */
export const parseAnswers = (rows: ReadonlyArray<{ readonly [column: string]: unknown }>): Answers =>
  Object.fromEntries(
    rows.map((r) => [
      r.item_id as string,
      parseJsonColumn(AnswerSchema, r.answer_json as string, () => `评查表第 ${String(r.item_id)} 项的评定`),
    ]),
  );

const WorkstationIdSchema = z.string().min(1);

/** The records a carried id may already name here, each with the statement giving its campaign. */
export type CarriedRecord = 'unit' | 'case' | 'document' | 'sheet' | 'draw' | 'annotation' | 'ledgerItem' | 'ledgerEvidence';

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

function prepare(db: Db) {
  return {
    // settings
    workstationId: db.prepare("SELECT value_json FROM settings WHERE key = 'workstation_id'").pluck(),
    setWorkstationId: db.prepare("INSERT OR IGNORE INTO settings (key, value_json) VALUES ('workstation_id', ?)"),
    // package log
    directionsOf: db.prepare('SELECT direction FROM package_log WHERE package_id = ?').pluck(),
    insertLog: db.prepare(
      `INSERT INTO package_log (package_id, direction, kind, campaign_id, reviewer_id, sequence, based_on, created_at, workstation_id, manifest_sm3, file_sha256, bytes, signer_fingerprint, summary_json, actor_id, at)
       VALUES (@packageId, @direction, @kind, @campaignId, @reviewerId, @sequence, @basedOn, @createdAt, @workstationId, @manifestSm3, '', @bytes, @signerFingerprint, @summaryJson, @actorId, @at)`,
    ),
    setExportedFileSha: db.prepare("UPDATE package_log SET file_sha256 = ? WHERE package_id = ? AND direction = 'exported'"),
    outSentTo: db.prepare(
      "SELECT 1 FROM package_log WHERE campaign_id = ? AND reviewer_id = ? AND kind = 'out' AND direction = 'exported'",
    ),
    exportedOut: db.prepare(
      "SELECT campaign_id, reviewer_id FROM package_log WHERE package_id = ? AND direction = 'exported' AND kind = 'out'",
    ),
    lastReturnImported: db
      .prepare(
        "SELECT max(sequence) FROM package_log WHERE campaign_id = ? AND reviewer_id = ? AND kind = 'return' AND direction = 'imported'",
      )
      .pluck(),
    returnsExported: db
      .prepare("SELECT count(*) FROM package_log WHERE campaign_id = ? AND kind = 'return' AND direction = 'exported'")
      .pluck(),
    logOf: db.prepare(
      `SELECT l.*, r.display_name AS reviewer_name, a.display_name AS by_name FROM package_log l
       LEFT JOIN users r ON r.id = l.reviewer_id LEFT JOIN users a ON a.id = l.actor_id
       WHERE l.campaign_id = ? ORDER BY l.at DESC, l.package_id LIMIT 200`,
    ),
    reviewersOf: db.prepare(
      `SELECT u.id, u.display_name AS name, count(DISTINCT a.case_id) AS assigned,
         (SELECT max(created_at) FROM package_log l WHERE l.campaign_id = a.campaign_id AND l.reviewer_id = u.id AND l.kind = 'out' AND l.direction = 'exported') AS last_out,
         (SELECT max(sequence) FROM package_log l WHERE l.campaign_id = a.campaign_id AND l.reviewer_id = u.id AND l.kind = 'return' AND l.direction = 'imported') AS last_seq,
         (SELECT max(at) FROM package_log l WHERE l.campaign_id = a.campaign_id AND l.reviewer_id = u.id AND l.kind = 'return' AND l.direction = 'imported') AS last_at
       FROM assignments a JOIN users u ON u.id = a.reviewer_id WHERE a.campaign_id = ? GROUP BY u.id ORDER BY u.display_name`,
    ),
    // replicas
    replica: db.prepare('SELECT * FROM campaign_replicas WHERE campaign_id = ?'),
    recordReplica: db.prepare(
      `INSERT INTO campaign_replicas (campaign_id, kind, reviewer_id, origin_package_id, origin_workstation_id, origin_created_at, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id) DO UPDATE SET kind = excluded.kind, origin_package_id = excluded.origin_package_id, origin_created_at = excluded.origin_created_at, imported_at = excluded.imported_at`,
    ),
    // sheets' synced revisions
    markSynced: db.prepare(
      `INSERT INTO package_sheet_sync (sheet_id, revision, package_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (sheet_id) DO UPDATE SET revision = excluded.revision, package_id = excluded.package_id, updated_at = excluded.updated_at`,
    ),
    markSyncedIfNew: db.prepare(
      'INSERT INTO package_sheet_sync (sheet_id, revision, package_id, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (sheet_id) DO NOTHING',
    ),
    syncedRevision: db.prepare('SELECT revision FROM package_sheet_sync WHERE sheet_id = ?').pluck(),
    // conflicts
    conflict: db.prepare('SELECT * FROM package_conflicts WHERE id = ?'),
    conflictsOf: db.prepare(
      `SELECT p.*, c.case_number, c.title, u.display_name AS reviewer_name, r.display_name AS resolved_by_name FROM package_conflicts p
       JOIN cases c ON c.id = p.case_id JOIN users u ON u.id = p.reviewer_id LEFT JOIN users r ON r.id = p.resolved_by
       WHERE p.campaign_id = ? ORDER BY p.status = 'resolved', p.created_at DESC`,
    ),
    openConflictCount: db.prepare("SELECT count(*) FROM package_conflicts WHERE campaign_id = ? AND status = 'open'").pluck(),
    openConflictId: db.prepare("SELECT id FROM package_conflicts WHERE case_id = ? AND reviewer_id = ? AND status = 'open'").pluck(),
    refreshConflict: db.prepare('UPDATE package_conflicts SET incoming_json = ?, package_id = ?, sheet_id = ? WHERE id = ?'),
    insertConflict: db.prepare(
      `INSERT INTO package_conflicts (id, campaign_id, case_id, reviewer_id, sheet_id, package_id, incoming_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    resolveConflict: db.prepare(
      "UPDATE package_conflicts SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
    ),
    // accounts
    person: db.prepare('SELECT id, username, display_name, role FROM users WHERE id = ?'),
    usernameTaken: db.prepare('SELECT 1 FROM users WHERE username = ?'),
    isUsername: db.prepare('SELECT 1 FROM users WHERE id = ? AND lower(username) = lower(?)'),
    insertUserFromPackage: db.prepare(
      `INSERT INTO users (id, username, display_name, role, affiliation, legal_professional, password_hash, disabled_at, created_at, updated_at)
       VALUES (@id, @username, @display_name, @role, @affiliation, @legal_professional, @hash, @disabled, @now, @now)`,
    ),
    // An account of this workstation's own (not made from a package): imported history is never theirs.
    isNativeUser: db.prepare(
      "SELECT 1 FROM users u WHERE u.id = ? AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'user.from_package' AND a.entity = 'user' AND a.entity_id = u.id AND a.origin_key IS NULL)",
    ),
    // standards
    standardVersion: db.prepare(
      `SELECT v.id, v.standard_id, s.name, v.version, v.definition_json, v.content_sha256, v.created_at
       FROM standard_versions v JOIN standards s ON s.id = v.standard_id WHERE v.id = ?`,
    ),
    versionContentSha: db.prepare('SELECT content_sha256 FROM standard_versions WHERE id = ?').pluck(),
    versionOfSameContent: db
      .prepare('SELECT id FROM standard_versions WHERE standard_id = ? AND content_sha256 = ? ORDER BY version = ? DESC LIMIT 1')
      .pluck(),
    versionExists: db.prepare('SELECT id FROM standard_versions WHERE id = ?').pluck(),
    versionWithContent: db
      .prepare('SELECT id FROM standard_versions WHERE content_sha256 = ? ORDER BY standard_id = ? DESC LIMIT 1')
      .pluck(),
    insertStandard: db.prepare('INSERT INTO standards (id, name, builtin, created_at) VALUES (?, ?, 0, ?) ON CONFLICT (id) DO NOTHING'),
    versionNameTaken: db.prepare('SELECT 1 FROM standard_versions WHERE standard_id = ? AND version = ?'),
    insertVersion: db.prepare(
      `INSERT INTO standard_versions (id, standard_id, version, definition_json, content_sha256, builtin, frozen_at, created_at, change_note, updated_at)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?, '由工作包导入', ?)`,
    ),
    // campaign structure
    campaignName: db.prepare('SELECT name FROM campaigns WHERE id = ?').pluck(),
    caseIdsOf: db.prepare('SELECT id FROM cases WHERE campaign_id = ? ORDER BY id').pluck(),
    unitIdsOf: db.prepare('SELECT id FROM units WHERE campaign_id = ?').pluck(),
    campaignOfCase: db.prepare('SELECT campaign_id FROM cases WHERE id = ?').pluck(),
    assignedCaseIds: db
      .prepare('SELECT DISTINCT case_id FROM assignments WHERE campaign_id = ? AND reviewer_id = ? ORDER BY case_id')
      .pluck(),
    assignmentsOf: db.prepare('SELECT case_id, round FROM assignments WHERE campaign_id = ? AND reviewer_id = ?'),
    removeAssignment: db.prepare('DELETE FROM assignments WHERE case_id = ? AND reviewer_id = ? AND round = ?'),
    documentExists: db.prepare('SELECT 1 FROM documents WHERE id = ?'),
    caseOfDocumentIn: db
      .prepare('SELECT d.case_id FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.id = ? AND c.campaign_id = ?')
      .pluck(),
    keepBlob: db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)'),
    blobSize: db.prepare('SELECT size FROM blobs WHERE sha256 = ?').pluck(),
    // scoring rows
    sheetExists: db.prepare('SELECT 1 FROM sheets WHERE id = ?'),
    sheetOf: db.prepare('SELECT id, revision, status FROM sheets WHERE case_id = ? AND reviewer_id = ? AND round = ?'),
    answersOf: db.prepare('SELECT item_id, answer_json FROM sheet_answers WHERE sheet_id = ?'),
    deleteSheet: db.prepare('DELETE FROM sheets WHERE id = ?'),
    deleteAnswers: db.prepare('DELETE FROM sheet_answers WHERE sheet_id = ?'),
    deleteCaseReviewAnswers: db.prepare('DELETE FROM case_review_answers WHERE case_id = ?'),
    liveAnnotationsOf: db.prepare('SELECT id, author_id AS authorId FROM annotations WHERE document_id = ? AND deleted_at IS NULL'),
    annotationOwner: db.prepare('SELECT author_id, updated_at FROM annotations WHERE id = ?'),
    // 整改台账
    evidenceIdsOf: db.prepare('SELECT id FROM ledger_manual_evidence WHERE manual_item_id = ?').pluck(),
    deleteEvidence: db.prepare('DELETE FROM ledger_manual_evidence WHERE id = ?'),
    // audit rows copied from another workstation
    auditHeld: db.prepare('SELECT 1 FROM audit_log WHERE origin_key = ?'),
    // The campaign of a record a carried id already names here.
    campaignOf: {
      unit: db.prepare('SELECT campaign_id FROM units WHERE id = ?').pluck(),
      case: db.prepare('SELECT campaign_id FROM cases WHERE id = ?').pluck(),
      document: db.prepare('SELECT k.campaign_id FROM documents d JOIN cases k ON k.id = d.case_id WHERE d.id = ?').pluck(),
      sheet: db.prepare('SELECT k.campaign_id FROM sheets s JOIN cases k ON k.id = s.case_id WHERE s.id = ?').pluck(),
      draw: db.prepare('SELECT campaign_id FROM draws WHERE id = ?').pluck(),
      annotation: db
        .prepare(
          'SELECT k.campaign_id FROM annotations a JOIN documents d ON d.id = a.document_id JOIN cases k ON k.id = d.case_id WHERE a.id = ?',
        )
        .pluck(),
      ledgerItem: db.prepare('SELECT campaign_id FROM ledger_manual_items WHERE id = ?').pluck(),
      ledgerEvidence: db
        .prepare('SELECT m.campaign_id FROM ledger_manual_evidence e JOIN ledger_manual_items m ON m.id = e.manual_item_id WHERE e.id = ?')
        .pluck(),
    } satisfies Record<CarriedRecord, unknown>,
  };
}

export class PackagesRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(private readonly db: Db) {
    this.q = prepare(db);
  }

  // ── this workstation ──────────────────────────────────────────────────────────────────────

  /** This workstation's random id, or null before the first package. */
  workstationId(): string | null {
    const json = this.q.workstationId.get() as string | undefined;
    return json === undefined ? null : parseJsonColumn(WorkstationIdSchema, json, '设置“本工作站编号”');
  }

  /** Keeps `id` as this workstation's id unless one is already kept. */
  offerWorkstationId(id: string): void {
    this.q.setWorkstationId.run(JSON.stringify(id));
  }

  // ── the package log ───────────────────────────────────────────────────────────────────────

  /** Whether this package was exported or imported here already ('exported', 'imported'). */
  directionsOf(packageId: string): string[] {
    return this.q.directionsOf.all(packageId) as string[];
  }

  log(entry: PackageLogEntry): void {
    this.q.insertLog.run(entry);
  }

  /** The exported zip's SHA-256, known once the file is registered for download. */
  setExportedFileSha(packageId: string, sha256: string): void {
    this.q.setExportedFileSha.run(sha256, packageId);
  }

  /** Whether an out-package of this campaign went to this reviewer from here. */
  outSentTo(campaignId: string, reviewerId: string): boolean {
    return !!this.q.outSentTo.get(campaignId, reviewerId);
  }

  /** The out-package `packageId` as this workstation exported it. */
  exportedOut(packageId: string): { campaign_id: string; reviewer_id: string } | null {
    return (this.q.exportedOut.get(packageId) as { campaign_id: string; reviewer_id: string } | undefined) ?? null;
  }

  /** The sequence of the reviewer's latest return package imported here, if any. */
  lastReturnImported(campaignId: string, reviewerId: string): number | null {
    return this.q.lastReturnImported.get(campaignId, reviewerId) as number | null;
  }

  /** How many return packages this (reviewer's) workstation made of the campaign. */
  returnsExported(campaignId: string): number {
    return this.q.returnsExported.get(campaignId) as number;
  }

  /** The latest 200 lines of the campaign's log, newest first. */
  logOf(campaignId: string): PackageLogLine[] {
    return (this.q.logOf.all(campaignId) as PackageLogLineRow[]).map(({ summary_json, ...line }) => ({
      ...line,
      summary: parseJsonColumn(SummarySchema, summary_json, `工作包 ${line.package_id} 的导入记录`),
    }));
  }

  reviewersOf(campaignId: string): ReviewerPackages[] {
    return this.q.reviewersOf.all(campaignId) as ReviewerPackages[];
  }

  // ── replicas ──────────────────────────────────────────────────────────────────────────────

  replica(campaignId: string): ReplicaRow | null {
    return (this.q.replica.get(campaignId) as ReplicaRow | undefined) ?? null;
  }

  recordReplica(r: Omit<ReplicaRow, 'imported_at'>, importedAt: string): void {
    this.q.recordReplica.run(
      r.campaign_id,
      r.kind,
      r.reviewer_id,
      r.origin_package_id,
      r.origin_workstation_id,
      r.origin_created_at,
      importedAt,
    );
  }

  // ── synced revisions ──────────────────────────────────────────────────────────────────────

  markSynced(sheetId: string, revision: number, packageId: string, at: string): void {
    this.q.markSynced.run(sheetId, revision, packageId, at);
  }

  /** As markSynced, keeping a revision already recorded. */
  markSyncedIfNew(sheetId: string, revision: number, packageId: string, at: string): void {
    this.q.markSyncedIfNew.run(sheetId, revision, packageId, at);
  }

  syncedRevision(sheetId: string): number | null {
    return (this.q.syncedRevision.get(sheetId) as number | undefined) ?? null;
  }

  /** The synced revisions of these sheets, by sheet (any number of ids, in chunks SQLite accepts). */
  syncedRevisions(sheetIds: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i < sheetIds.length; i += 500) {
      const chunk = sheetIds.slice(i, i + 500);
      const rows = this.db
        .prepare(`SELECT sheet_id, revision FROM package_sheet_sync WHERE sheet_id IN (${placeholders(chunk.length)})`)
        .all(...chunk) as Array<{ sheet_id: string; revision: number }>;
      for (const r of rows) out[r.sheet_id] = r.revision;
    }
    return out;
  }

  // ── conflicts ─────────────────────────────────────────────────────────────────────────────

  conflict(conflictId: string): ConflictRow | null {
    return (this.q.conflict.get(conflictId) as ConflictRow | undefined) ?? null;
  }

  /** The campaign's conflicts, open ones first, newest first. */
  conflictsOf(campaignId: string): ConflictListRow[] {
    return this.q.conflictsOf.all(campaignId) as ConflictListRow[];
  }

  openConflictCount(campaignId: string): number {
    return this.q.openConflictCount.get(campaignId) as number;
  }

  /** The reviewer's open conflict on the file (one at a time: a later package refreshes it). */
  openConflictId(caseId: string, reviewerId: string): string | null {
    return (this.q.openConflictId.get(caseId, reviewerId) as string | undefined) ?? null;
  }

  refreshConflict(conflictId: string, incoming: IncomingSheet, packageId: string, sheetId: string): void {
    this.q.refreshConflict.run(JSON.stringify(incoming), packageId, sheetId, conflictId);
  }

  insertConflict(c: {
    id: string;
    campaignId: string;
    caseId: string;
    reviewerId: string;
    sheetId: string;
    packageId: string;
    incoming: IncomingSheet;
    at: string;
  }): void {
    this.q.insertConflict.run(c.id, c.campaignId, c.caseId, c.reviewerId, c.sheetId, c.packageId, JSON.stringify(c.incoming), c.at);
  }

  resolveConflict(conflictId: string, choice: 'local' | 'incoming', by: string, at: string): void {
    this.q.resolveConflict.run(choice, by, at, conflictId);
  }

  // ── accounts ──────────────────────────────────────────────────────────────────────────────

  person(userId: string): (Pick<Actor, 'id' | 'username' | 'role'> & { displayName: string }) | null {
    const u = this.q.person.get(userId) as { id: string; username: string; display_name: string; role: Actor['role'] } | undefined;
    return u ? { id: u.id, username: u.username, displayName: u.display_name, role: u.role } : null;
  }

  usernameTaken(username: unknown): boolean {
    return !!this.q.usernameTaken.get(username);
  }

  /** Whether account `userId` has this user name (letter case aside). */
  isUsername(userId: string, username: string): boolean {
    return !!this.q.isUsername.get(userId, username);
  }

  /** An account a package names, made here with a password hash (or none) and disabled unless it logs in. */
  insertUserFromPackage(u: Row, hash: string, disabledAt: string | null, now: string): void {
    this.q.insertUserFromPackage.run({ ...u, hash, disabled: disabledAt, now });
  }

  isNativeUser(userId: unknown): boolean {
    return !!this.q.isNativeUser.get(userId);
  }

  // ── standards ─────────────────────────────────────────────────────────────────────────────

  /** A standard version as a package carries it. */
  standardVersion(versionId: string): StandardVersionPayload {
    const v = this.q.standardVersion.get(versionId) as Record<
      'id' | 'standard_id' | 'name' | 'version' | 'definition_json' | 'content_sha256' | 'created_at',
      string
    >;
    return {
      id: v.id,
      standardId: v.standard_id,
      name: v.name,
      version: v.version,
      definitionJson: v.definition_json,
      contentSha256: v.content_sha256,
      createdAt: v.created_at,
    };
  }

  /** The content digest of our version `versionId`, if we have it. */
  versionContentSha(versionId: string): string | null {
    return (this.q.versionContentSha.get(versionId) as string | undefined) ?? null;
  }

  /** Our version of the standard with this content, the one of the same name first. */
  versionOfSameContent(standardId: string, contentSha256: string, version: string): string | null {
    return (this.q.versionOfSameContent.get(standardId, contentSha256, version) as string | undefined) ?? null;
  }

  /** Our version `id`, else one with the same content (of the same standard first). */
  versionByIdOrContent(id: string, contentSha256: string, standardId: string): string | null {
    return ((this.q.versionExists.get(id) ?? this.q.versionWithContent.get(contentSha256, standardId)) as string | undefined) ?? null;
  }

  insertStandard(standardId: string, name: string, at: string): void {
    this.q.insertStandard.run(standardId, name, at);
  }

  versionNameTaken(standardId: string, version: string): boolean {
    return !!this.q.versionNameTaken.get(standardId, version);
  }

  insertVersion(v: {
    id: string;
    standardId: string;
    version: string;
    definitionJson: string;
    contentSha256: string;
    createdAt: string;
    at: string;
  }): void {
    this.q.insertVersion.run(v.id, v.standardId, v.version, v.definitionJson, v.contentSha256, v.at, v.createdAt, v.at);
  }

  // ── campaign structure ────────────────────────────────────────────────────────────────────

  campaignName(campaignId: string): string | null {
    return (this.q.campaignName.get(campaignId) as string | undefined) ?? null;
  }

  caseIdsOf(campaignId: string): string[] {
    return this.q.caseIdsOf.all(campaignId) as string[];
  }

  unitIdsOf(campaignId: string): string[] {
    return this.q.unitIdsOf.all(campaignId) as string[];
  }

  campaignOfCase(caseId: string): string | null {
    return (this.q.campaignOfCase.get(caseId) as string | undefined) ?? null;
  }

  /** The files assigned to the reviewer in the campaign (any round), by id. */
  assignedCaseIds(campaignId: string, reviewerId: string): string[] {
    return this.q.assignedCaseIds.all(campaignId, reviewerId) as string[];
  }

  assignmentsOf(campaignId: string, reviewerId: string): Array<{ case_id: string; round: number }> {
    return this.q.assignmentsOf.all(campaignId, reviewerId) as Array<{ case_id: string; round: number }>;
  }

  removeAssignment(caseId: string, reviewerId: string, round: number): void {
    this.q.removeAssignment.run(caseId, reviewerId, round);
  }

  documentExists(documentId: unknown): boolean {
    return !!this.q.documentExists.get(documentId);
  }

  /** The file a document belongs to, if it is in the campaign. */
  caseOfDocumentIn(documentId: unknown, campaignId: string): string | null {
    return (this.q.caseOfDocumentIn.get(documentId, campaignId) as string | undefined) ?? null;
  }

  /** The campaign of the record a carried id already names here, if any. */
  campaignOf(record: CarriedRecord, id: unknown): string | null {
    return (this.q.campaignOf[record].get(id) as string | undefined) ?? null;
  }

  /** Records a stored file's size (the bytes are already in the store). */
  keepBlob(sha256: string, size: number, at: string): void {
    this.q.keepBlob.run(sha256, size, at);
  }

  blobSize(sha256: string): number | null {
    return (this.q.blobSize.get(sha256) as number | undefined) ?? null;
  }

  // ── scoring rows ──────────────────────────────────────────────────────────────────────────

  sheetExists(sheetId: unknown): boolean {
    return !!this.q.sheetExists.get(sheetId);
  }

  /** Our sheet of the reviewer on the file in that round. */
  sheetOf(caseId: unknown, reviewerId: unknown, round: unknown): { id: string; revision: number; status: string } | null {
    return (this.q.sheetOf.get(caseId, reviewerId, round) as { id: string; revision: number; status: string } | undefined) ?? null;
  }

  answersOf(sheetId: string): Answers {
    return parseAnswers(this.q.answersOf.all(sheetId) as Array<{ item_id: string; answer_json: string }>);
  }

  deleteSheet(sheetId: string): void {
    this.q.deleteSheet.run(sheetId);
  }

  deleteAnswers(sheetId: unknown): void {
    this.q.deleteAnswers.run(sheetId);
  }

  deleteCaseReviewAnswers(caseId: unknown): void {
    this.q.deleteCaseReviewAnswers.run(caseId);
  }

  /** The document's marks not deleted, with their authors (blind review chooses among them). */
  liveAnnotationsOf(documentId: unknown): Array<{ id: string; authorId: string }> {
    return this.q.liveAnnotationsOf.all(documentId) as Array<{ id: string; authorId: string }>;
  }

  annotationOwner(annotationId: unknown): { author_id: string; updated_at: string } | null {
    return (this.q.annotationOwner.get(annotationId) as { author_id: string; updated_at: string } | undefined) ?? null;
  }

  // ── 整改台账 ───────────────────────────────────────────────────────────────────────────────

  evidenceIdsOf(manualItemId: unknown): string[] {
    return this.q.evidenceIdsOf.all(manualItemId) as string[];
  }

  deleteEvidence(evidenceId: string): void {
    this.q.deleteEvidence.run(evidenceId);
  }

  // ── audit ─────────────────────────────────────────────────────────────────────────────────

  /** Whether an audit row copied from another workstation is already held. */
  auditHeld(originKey: string): boolean {
    return !!this.q.auditHeld.get(originKey);
  }
}

/** The repo of this database (statements prepared once per database). */
export const packagesRepo = perDatabase((db) => new PackagesRepo(db));
