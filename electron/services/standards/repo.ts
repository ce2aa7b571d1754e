/**
 * The standards library as stored: each version's row with its standard's name and retirement, the
 * definition read through its schema, the choice of version per case type of a campaign, and the
 * statements, prepared once per database and named for what they answer.
 */
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { StandardDefinitionSchema, type StandardDefinition } from '../../../shared/standards/model.js';
import type { Db } from '../core/db/database.js';
import { perDatabase } from '../core/db/per-database.js';
import { parseJsonColumn } from '../core/db/json-column.js';

export interface VersionRow {
  id: string;
  standard_id: string;
  name: string;
  version: string;
  definition_json: string;
  content_sha256: string;
  builtin: number;
  frozen_at: string | null;
  retired_at: string | null;
  standard_retired_at: string | null;
  based_on_version_id: string | null;
  change_note: string;
  created_at: string;
}

/** A stored version and its definition. */
export interface StoredVersion {
  row: VersionRow;
  definition: StandardDefinition;
}

const SELECT_VERSION = `SELECT v.id, v.standard_id, s.name, v.version, v.definition_json, v.content_sha256, v.builtin, v.frozen_at,
    v.retired_at, s.retired_at AS standard_retired_at, v.based_on_version_id, v.change_note, v.created_at
  FROM standard_versions v JOIN standards s ON s.id = v.standard_id`;

const toStored = (row: VersionRow): StoredVersion => ({
  row,
  definition: parseJsonColumn(StandardDefinitionSchema, row.definition_json, `评查标准“${row.name}”（${row.version}）`),
});

/** A sheet of a campaign's case type, and whether anything on it was scored. */
export interface SheetOfType {
  id: string;
  case_id: string;
  reviewer_id: string;
  standard_version_id: string;
  status: string;
  answered: number;
}

function prepare(db: Db) {
  return {
    version: db.prepare(`${SELECT_VERSION} WHERE v.id = ?`),
    library: db.prepare(`${SELECT_VERSION} ORDER BY s.builtin, s.name, v.created_at, v.version`),
    activeNewestFirst: db.prepare(
      `${SELECT_VERSION} WHERE v.retired_at IS NULL AND s.retired_at IS NULL ORDER BY v.created_at DESC, v.standard_id, v.id`,
    ),
    versionLabelled: db.prepare(
      'SELECT id, content_sha256, builtin, frozen_at FROM standard_versions WHERE standard_id = ? AND version = ?',
    ),
    replaceContent: db.prepare('UPDATE standard_versions SET definition_json = ?, content_sha256 = ?, updated_at = ? WHERE id = ?'),
    activeBuiltins: db.prepare('SELECT id, standard_id, version FROM standard_versions WHERE builtin = 1 AND retired_at IS NULL'),
    setRetired: db.prepare('UPDATE standard_versions SET retired_at = ? WHERE id = ?'),
    freeze: db.prepare('UPDATE standard_versions SET frozen_at = ? WHERE id = ? AND frozen_at IS NULL'),
    labelsOf: db.prepare('SELECT version FROM standard_versions WHERE standard_id = ?').pluck(),
    standardExists: db.prepare('SELECT 1 FROM standards WHERE id = ?'),
    versionWithContent: db.prepare('SELECT id FROM standard_versions WHERE standard_id = ? AND content_sha256 = ?').pluck(),
    upsertStandard: db.prepare(
      'INSERT INTO standards (id, name, builtin, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name',
    ),
    insertVersion: db.prepare(
      `INSERT INTO standard_versions (id, standard_id, version, definition_json, content_sha256, builtin, created_by, created_at,
         based_on_version_id, change_note, updated_at)
       VALUES (@id, @standardId, @version, @json, @sha256, @builtin, @createdBy, @at, @basedOn, @changeNote, @at)`,
    ),
    editDraft: db.prepare(
      `UPDATE standard_versions SET definition_json = @json, content_sha256 = @sha256, version = @version, change_note = @changeNote, updated_at = @at
       WHERE id = @id AND frozen_at IS NULL AND content_sha256 = @expectedSha256`,
    ),
    renameStandard: db.prepare('UPDATE standards SET name = ? WHERE id = ?'),
    sheetsOfType: db.prepare(
      `SELECT s.id, s.case_id, s.reviewer_id, s.standard_version_id, s.status,
         EXISTS (SELECT 1 FROM sheet_answers a WHERE a.sheet_id = s.id) AS answered
       FROM sheets s JOIN cases c ON c.id = s.case_id WHERE c.campaign_id = ? AND c.case_type = ?`,
    ),
    deleteSheet: db.prepare('DELETE FROM sheets WHERE id = ?'),
    clearCampaignStandard: db.prepare('DELETE FROM campaign_standards WHERE campaign_id = ? AND case_type = ?'),
    setCampaignStandard: db.prepare(
      `INSERT INTO campaign_standards (campaign_id, case_type, standard_version_id) VALUES (?, ?, ?)
       ON CONFLICT (campaign_id, case_type) DO UPDATE SET standard_version_id = excluded.standard_version_id`,
    ),
  };
}

export class StandardsRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  /** The version with its definition, or null when there is no such version. */
  version(versionId: string): StoredVersion | null {
    const row = this.q.version.get(versionId) as VersionRow | undefined;
    return row ? toStored(row) : null;
  }

  /** Every version as the library lists it: the library's own before built-ins, by name, oldest first. */
  library(): StoredVersion[] {
    return (this.q.library.all() as VersionRow[]).map(toStored);
  }

  /** Versions neither retired nor of a retired standard, the newest first. */
  activeNewestFirst(): StoredVersion[] {
    return (this.q.activeNewestFirst.all() as VersionRow[]).map(toStored);
  }

  /** The standard's version of this label, with what decides whether a shipped correction may replace it. */
  versionLabelled(standardId: string, version: string): { id: string; contentSha256: string; builtin: boolean; frozen: boolean } | null {
    const row = this.q.versionLabelled.get(standardId, version) as
      { id: string; content_sha256: string; builtin: number; frozen_at: string | null } | undefined;
    return row ? { id: row.id, contentSha256: row.content_sha256, builtin: row.builtin === 1, frozen: row.frozen_at !== null } : null;
  }

  replaceContent(versionId: string, stored: { json: string; sha256: string }, at: string): void {
    this.q.replaceContent.run(stored.json, stored.sha256, at, versionId);
  }

  /** Built-in versions still offered. */
  activeBuiltins(): Array<{ id: string; standardId: string; version: string }> {
    return (this.q.activeBuiltins.all() as Array<{ id: string; standard_id: string; version: string }>).map((r) => ({
      id: r.id,
      standardId: r.standard_id,
      version: r.version,
    }));
  }

  /** Retires the version (`at`), or offers it again (null). */
  setRetired(versionId: string, at: string | null): void {
    this.q.setRetired.run(at, versionId);
  }

  freeze(versionId: string, at: string): void {
    this.q.freeze.run(at, versionId);
  }

  labelsOf(standardId: string): string[] {
    return this.q.labelsOf.all(standardId) as string[];
  }

  standardExists(standardId: string): boolean {
    return this.q.standardExists.get(standardId) !== undefined;
  }

  /** The standard's version with exactly this content hash, if any. */
  versionWithContent(standardId: string, sha256: string): string | undefined {
    return this.q.versionWithContent.get(standardId, sha256) as string | undefined;
  }

  /** Registers the standard, or renames it to the name its new version gives. */
  upsertStandard(standardId: string, name: string, builtin: boolean, at: string): void {
    this.q.upsertStandard.run(standardId, name, builtin ? 1 : 0, at);
  }

  insertVersion(row: {
    id: string;
    standardId: string;
    version: string;
    json: string;
    sha256: string;
    builtin: boolean;
    createdBy: string | null;
    at: string;
    basedOn: string | null;
    changeNote: string;
  }): void {
    this.q.insertVersion.run({ ...row, builtin: row.builtin ? 1 : 0 });
  }

  /** Edits a draft in place unless it was frozen or changed meanwhile; returns whether it was. */
  editDraft(row: {
    id: string;
    json: string;
    sha256: string;
    version: string;
    changeNote: string;
    at: string;
    expectedSha256: string;
  }): boolean {
    return this.q.editDraft.run(row).changes === 1;
  }

  renameStandard(standardId: string, name: string): void {
    this.q.renameStandard.run(name, standardId);
  }

  /** The campaign's sheets of files of this case type. */
  sheetsOfType(campaignId: string, caseType: CaseType): SheetOfType[] {
    return this.q.sheetsOfType.all(campaignId, caseType) as SheetOfType[];
  }

  deleteSheet(sheetId: string): void {
    this.q.deleteSheet.run(sheetId);
  }

  /** Sets the version the campaign scores the case type against (null: none chosen). */
  setCampaignStandard(campaignId: string, caseType: CaseType, versionId: string | null): void {
    if (versionId === null) this.q.clearCampaignStandard.run(campaignId, caseType);
    else this.q.setCampaignStandard.run(campaignId, caseType, versionId);
  }
}

/** The repo of this database, shared by the library and the campaigns' choices (statements prepared once per database). */
export const standardsRepo = perDatabase((db) => new StandardsRepo(db));
