/**
 * The campaigns as their screens read them: the row with its counts, its mapping, the standard chosen
 * per case type; their 被评查单位 with the aliases people confirmed and what a merge of two units
 * moves; and the statements, prepared once per database and named for what they answer.
 */
import type { Campaign, CampaignStandard } from '../../../shared/campaigns/campaign.js';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import type { UnitView } from '../../../shared/import/api.js';
import type { Db } from '../core/db/database.js';
import { perDatabase } from '../core/db/per-database.js';

interface CampaignRow {
  id: string;
  name: string;
  year: number;
  issuing_body: string;
  status: 'active' | 'archived';
  created_at: string;
  case_count: number;
  unit_count: number;
}

const SELECT = `SELECT c.id, c.name, c.year, c.issuing_body, c.status, c.created_at,
    (SELECT count(*) FROM cases WHERE campaign_id = c.id) AS case_count,
    (SELECT count(*) FROM units WHERE campaign_id = c.id) AS unit_count
  FROM campaigns c`;

const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  name: r.name,
  year: r.year,
  issuingBody: r.issuing_body,
  status: r.status,
  createdAt: r.created_at,
  caseCount: r.case_count,
  unitCount: r.unit_count,
});

interface UnitRow {
  id: string;
  campaign_id: string;
  name: string;
  short_name: string;
  field: string;
  region_code: string;
  case_count: number;
}

const toUnit = (r: UnitRow): UnitView => ({
  id: r.id,
  campaignId: r.campaign_id,
  name: r.name,
  shortName: r.short_name,
  field: r.field,
  regionCode: r.region_code,
  caseCount: r.case_count,
});

/** What the name matcher needs of a unit. */
export interface NamedUnitRow {
  id: string;
  name: string;
  short_name: string;
}

/** A unit's own fields as stored (what the trail keeps of it before an edit). */
export interface UnitFieldsRow {
  name: string;
  short_name: string;
  field: string;
  region_code: string;
}

/** What a merge of the unit into another moves or meets. */
export interface UnitMergeCounts {
  issuedLetters: number;
  checkedLetters: number;
  /** The campaign's draws (kept as drawn, under the unit names of the time). */
  draws: number;
  cases: number;
  assignments: number;
  declaredConflicts: number;
  drawnCases: number;
  openLetters: number;
  ledgerItems: number;
}

const UNIT_SELECT = `SELECT u.*, (SELECT count(*) FROM cases c WHERE c.unit_id = u.id) AS case_count FROM units u`;

function prepare(db: Db) {
  const count = (sql: string) => db.prepare(sql).pluck();
  return {
    byId: db.prepare(`${SELECT} WHERE c.id = ?`),
    newestFirst: db.prepare(`${SELECT} ORDER BY c.year DESC, c.created_at DESC`),
    standards: db.prepare(
      `SELECT cs.case_type, cs.standard_version_id, s.name, v.version
       FROM campaign_standards cs JOIN standard_versions v ON v.id = cs.standard_version_id
       JOIN standards s ON s.id = v.standard_id WHERE cs.campaign_id = ? ORDER BY cs.case_type`,
    ),
    visibleCounts: db.prepare(
      'SELECT count(*) AS n, count(DISTINCT unit_id) AS u FROM cases WHERE campaign_id = ? AND id IN (SELECT value FROM json_each(?))',
    ),
    standardVersion: db.prepare('SELECT standard_version_id FROM campaign_standards WHERE campaign_id = ? AND case_type = ?').pluck(),
    insert: db.prepare(
      `INSERT INTO campaigns (id, name, year, issuing_body, created_by, created_at, updated_at)
       VALUES (@id, @name, @year, @issuingBody, @createdBy, @at, @at)`,
    ),
    setStandard: db.prepare('INSERT INTO campaign_standards (campaign_id, case_type, standard_version_id) VALUES (?, ?, ?)'),
    // ── units ──
    campaignExists: db.prepare('SELECT 1 FROM campaigns WHERE id = ?'),
    issuingBody: db.prepare('SELECT issuing_body FROM campaigns WHERE id = ?').pluck(),
    unitNames: db.prepare('SELECT name FROM units WHERE campaign_id = ?').pluck(),
    unitNamesElsewhere: db.prepare('SELECT DISTINCT name FROM units WHERE campaign_id <> ?').pluck(),
    aliasesOfRegion: db.prepare('SELECT alias_key, unit_name FROM unit_aliases WHERE region = ?'),
    rememberAlias: db.prepare(
      `INSERT INTO unit_aliases (region, alias_key, alias, unit_name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (region, alias_key) DO UPDATE SET alias = excluded.alias, unit_name = excluded.unit_name, created_by = excluded.created_by, created_at = excluded.created_at`,
    ),
    forgetAlias: db.prepare('DELETE FROM unit_aliases WHERE region = ? AND alias_key = ?'),
    unitNamed: db.prepare('SELECT id, name FROM units WHERE campaign_id = ? AND name = ?'),
    namedUnits: db.prepare('SELECT id, name, short_name FROM units WHERE campaign_id = ?'),
    namedUnit: db.prepare('SELECT id, name, short_name FROM units WHERE id = ? AND campaign_id = ?'),
    otherUnits: db.prepare('SELECT id, name FROM units WHERE campaign_id = ? AND id <> ?'),
    unitFields: db.prepare('SELECT name, short_name, field, region_code FROM units WHERE id = ? AND campaign_id = ?'),
    unitsOfCampaign: db.prepare(`${UNIT_SELECT} WHERE u.campaign_id = ? ORDER BY u.name`),
    unitById: db.prepare(`${UNIT_SELECT} WHERE u.id = ?`),
    casesByUnit: db.prepare('SELECT id, unit_id FROM cases WHERE campaign_id = ?'),
    insertUnit: db.prepare(
      'INSERT INTO units (id, campaign_id, name, short_name, field, region_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    updateUnit: db.prepare('UPDATE units SET name = ?, short_name = ?, field = ?, region_code = ? WHERE id = ?'),
    issuedLetters: count(`SELECT count(*) FROM letters WHERE unit_id = ? AND status = 'issued'`),
    checkedLetters: count(`SELECT count(*) FROM letters WHERE unit_id = ? AND status = 'checked'`),
    draws: count('SELECT count(*) FROM draws WHERE campaign_id = ?'),
    casesOfUnit: count('SELECT count(*) FROM cases WHERE unit_id = ?'),
    assignmentsOfUnit: count('SELECT count(*) FROM assignments a JOIN cases c ON c.id = a.case_id WHERE c.unit_id = ?'),
    declaredConflictsOfUnit: count('SELECT count(*) FROM declared_conflicts WHERE unit_id = ?'),
    drawnCasesOfUnit: count(
      'SELECT count(*) FROM drawn_cases dc JOIN draws d ON d.id = dc.draw_id JOIN cases c ON c.id = dc.case_id WHERE d.superseded_at IS NULL AND c.unit_id = ?',
    ),
    openLettersOfUnit: count(`SELECT count(*) FROM letters WHERE unit_id = ? AND status IN ('draft', 'checked')`),
    ledgerItemsOfUnit: count('SELECT count(*) FROM ledger_items li JOIN cases c ON c.id = li.case_id WHERE c.unit_id = ?'),
    moveCases: db.prepare('UPDATE cases SET unit_id = ?, updated_at = ? WHERE unit_id = ?'),
    // A person declared for both keeps the target's reason.
    copyDeclaredConflicts: db.prepare(
      `INSERT INTO declared_conflicts (campaign_id, user_id, unit_id, reason, created_by, created_at)
       SELECT campaign_id, user_id, ?, reason, created_by, created_at FROM declared_conflicts WHERE unit_id = ?
       ON CONFLICT (campaign_id, user_id, unit_id) DO NOTHING`,
    ),
    dropDeclaredConflicts: db.prepare('DELETE FROM declared_conflicts WHERE unit_id = ?'),
    // A checked letter froze the old name in its content: it goes back to draft.
    moveOpenLetters: db.prepare(
      `UPDATE letters SET unit_id = ?, status = 'draft', checked_by = NULL, checked_at = NULL, checked_content_json = NULL, updated_at = ?
       WHERE unit_id = ? AND status IN ('draft', 'checked')`,
    ),
    deleteUnit: db.prepare('DELETE FROM units WHERE id = ?'),
  };
}

export class CampaignsRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  campaign(campaignId: string): Campaign | null {
    const row = this.q.byId.get(campaignId) as CampaignRow | undefined;
    return row ? toCampaign(row) : null;
  }

  /** Every campaign, the latest year first. */
  newestFirst(): Campaign[] {
    return (this.q.newestFirst.all() as CampaignRow[]).map(toCampaign);
  }

  standards(campaignId: string): CampaignStandard[] {
    return (
      this.q.standards.all(campaignId) as Array<{ case_type: CaseType; standard_version_id: string; name: string; version: string }>
    ).map((s) => ({ caseType: s.case_type, standardVersionId: s.standard_version_id, standardName: s.name, version: s.version }));
  }

  /** How many of `caseIds` the campaign holds, and of how many units. */
  visibleCounts(campaignId: string, caseIds: Iterable<string>): { cases: number; units: number } {
    const { n, u } = this.q.visibleCounts.get(campaignId, JSON.stringify([...caseIds])) as { n: number; u: number };
    return { cases: n, units: u };
  }

  standardVersion(campaignId: string, caseType: CaseType): string | null {
    return (this.q.standardVersion.get(campaignId, caseType) as string | undefined) ?? null;
  }

  insert(row: { id: string; name: string; year: number; issuingBody: string; createdBy: string; at: string }): void {
    this.q.insert.run(row);
  }

  setStandard(campaignId: string, caseType: CaseType, versionId: string): void {
    this.q.setStandard.run(campaignId, caseType, versionId);
  }

  // ── units ──────────────────────────────────────────────────────────────────────────────────

  campaignExists(campaignId: string): boolean {
    return this.q.campaignExists.get(campaignId) !== undefined;
  }

  /** The campaign's issuing body, or null when there is no such campaign. */
  issuingBody(campaignId: string): string | null {
    return (this.q.issuingBody.get(campaignId) as string | undefined) ?? null;
  }

  unitNames(campaignId: string): string[] {
    return this.q.unitNames.all(campaignId) as string[];
  }

  /** The names of every other campaign's units, each once. */
  unitNamesElsewhere(campaignId: string): string[] {
    return this.q.unitNamesElsewhere.all(campaignId) as string[];
  }

  /** Aliases confirmed for a region: how the alias is written (normalised) → the unit's name. */
  aliasesOfRegion(region: string): Map<string, string> {
    const rows = this.q.aliasesOfRegion.all(region) as Array<{ alias_key: string; unit_name: string }>;
    return new Map(rows.map((r) => [r.alias_key, r.unit_name]));
  }

  /** Remembers (or replaces) the alias under its normalised key. */
  rememberAlias(region: string, aliasKey: string, alias: string, unitName: string, actorId: string, at: string): void {
    this.q.rememberAlias.run(region, aliasKey, alias, unitName, actorId, at);
  }

  /** Forgets the alias; whether there was one. */
  forgetAlias(region: string, aliasKey: string): boolean {
    return this.q.forgetAlias.run(region, aliasKey).changes > 0;
  }

  /** The campaign's unit of exactly this name. */
  unitNamed(campaignId: string, name: string): { id: string; name: string } | null {
    return (this.q.unitNamed.get(campaignId, name) as { id: string; name: string } | undefined) ?? null;
  }

  /** The campaign's units as the name matcher reads them. */
  namedUnits(campaignId: string): NamedUnitRow[] {
    return this.q.namedUnits.all(campaignId) as NamedUnitRow[];
  }

  namedUnit(campaignId: string, unitId: string): NamedUnitRow | null {
    return (this.q.namedUnit.get(unitId, campaignId) as NamedUnitRow | undefined) ?? null;
  }

  /** The campaign's units other than `unitId`. */
  otherUnits(campaignId: string, unitId: string): Array<{ id: string; name: string }> {
    return this.q.otherUnits.all(campaignId, unitId) as Array<{ id: string; name: string }>;
  }

  unitFields(campaignId: string, unitId: string): UnitFieldsRow | null {
    return (this.q.unitFields.get(unitId, campaignId) as UnitFieldsRow | undefined) ?? null;
  }

  /** The campaign's units by name, each with all its cases counted. */
  unitsOfCampaign(campaignId: string): UnitView[] {
    return (this.q.unitsOfCampaign.all(campaignId) as UnitRow[]).map(toUnit);
  }

  unit(unitId: string): UnitView | null {
    const row = this.q.unitById.get(unitId) as UnitRow | undefined;
    return row ? toUnit(row) : null;
  }

  /** Each case of the campaign with its unit. */
  casesByUnit(campaignId: string): Array<{ id: string; unitId: string }> {
    return (this.q.casesByUnit.all(campaignId) as Array<{ id: string; unit_id: string }>).map((r) => ({ id: r.id, unitId: r.unit_id }));
  }

  insertUnit(row: {
    id: string;
    campaignId: string;
    name: string;
    shortName: string;
    field: string;
    regionCode: string;
    at: string;
  }): void {
    this.q.insertUnit.run(row.id, row.campaignId, row.name, row.shortName, row.field, row.regionCode, row.at);
  }

  updateUnit(unitId: string, values: { name: string; shortName: string; field: string; regionCode: string }): void {
    this.q.updateUnit.run(values.name, values.shortName, values.field, values.regionCode, unitId);
  }

  mergeCounts(campaignId: string, unitId: string): UnitMergeCounts {
    const n = (statement: { get(...params: unknown[]): unknown }, param: string): number => statement.get(param) as number;
    return {
      issuedLetters: n(this.q.issuedLetters, unitId),
      checkedLetters: n(this.q.checkedLetters, unitId),
      draws: n(this.q.draws, campaignId),
      cases: n(this.q.casesOfUnit, unitId),
      assignments: n(this.q.assignmentsOfUnit, unitId),
      declaredConflicts: n(this.q.declaredConflictsOfUnit, unitId),
      drawnCases: n(this.q.drawnCasesOfUnit, unitId),
      openLetters: n(this.q.openLettersOfUnit, unitId),
      ledgerItems: n(this.q.ledgerItemsOfUnit, unitId),
    };
  }

  /**
   * Moves the source unit's cases, declared conflicts and letters not yet issued to the target (a
   * checked letter back to draft), then deletes the source unit.
   */
  mergeInto(sourceUnitId: string, targetUnitId: string, at: string): void {
    this.q.moveCases.run(targetUnitId, at, sourceUnitId);
    this.q.copyDeclaredConflicts.run(targetUnitId, sourceUnitId);
    this.q.dropDeclaredConflicts.run(sourceUnitId);
    this.q.moveOpenLetters.run(targetUnitId, at, sourceUnitId);
    this.q.deleteUnit.run(sourceUnitId);
  }
}

/** The repo of this database, for the unit lookups every import path shares (statements prepared once per database). */
export const campaignsRepo = perDatabase((db) => new CampaignsRepo(db));
