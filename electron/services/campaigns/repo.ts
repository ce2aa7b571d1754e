/**
 * The campaigns as their screens read them: the row with its counts, its mapping, the standard chosen
 * per case type, and the statements, prepared once per database and named for what they answer.
 */
import type { Campaign, CampaignStandard } from '../../../shared/campaigns/campaign.js';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import type { Db } from '../core/db/database.js';

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

function prepare(db: Db) {
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
}
