import { randomUUID } from 'node:crypto';
import type { Campaign, CampaignDetail, CampaignStandard } from '../../../shared/campaigns/campaign.js';
import { CASE_TYPES, type CaseType } from '../../../shared/campaigns/case-types.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { StandardsService } from '../standards/index.js';

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

export class CampaignsService {
  constructor(
    private readonly db: Db,
    private readonly standards: StandardsService,
    private readonly events: EventHub,
  ) {}

  detail(campaignId: string): CampaignDetail {
    const row = this.db.prepare(`${SELECT} WHERE c.id = ?`).get(campaignId) as CampaignRow | undefined;
    if (!row) throw new AppError('not_found', '评查活动不存在。');
    const standards = this.db
      .prepare(
        `SELECT cs.case_type, cs.standard_version_id, s.name, v.version
         FROM campaign_standards cs JOIN standard_versions v ON v.id = cs.standard_version_id
         JOIN standards s ON s.id = v.standard_id WHERE cs.campaign_id = ? ORDER BY cs.case_type`,
      )
      .all(campaignId) as Array<{ case_type: CaseType; standard_version_id: string; name: string; version: string }>;
    return {
      ...toCampaign(row),
      standards: standards.map((s): CampaignStandard => ({
        caseType: s.case_type,
        standardVersionId: s.standard_version_id,
        standardName: s.name,
        version: s.version,
      })),
    };
  }

  /**
   * A campaign's counts as the caller may read them: a reviewer counts only the files assigned to
   * them and those files' units, never how many files the campaign holds beyond their reach.
   */
  private countedFor<T extends { id: string; caseCount: number; unitCount: number }>(campaign: T, visible: Set<string> | 'all'): T {
    if (visible === 'all') return campaign;
    const { n, u } = this.db
      .prepare(
        'SELECT count(*) AS n, count(DISTINCT unit_id) AS u FROM cases WHERE campaign_id = ? AND id IN (SELECT value FROM json_each(?))',
      )
      .get(campaign.id, JSON.stringify([...visible])) as { n: number; u: number };
    return { ...campaign, caseCount: n, unitCount: u };
  }

  /** The frozen standard version a file of this type is scored against. */
  standardVersionFor(campaignId: string, caseType: CaseType): string {
    const row = this.db
      .prepare('SELECT standard_version_id FROM campaign_standards WHERE campaign_id = ? AND case_type = ?')
      .get(campaignId, caseType) as { standard_version_id: string } | undefined;
    if (!row) throw new AppError('conflict', '本评查活动尚未为这类案卷指定评查标准，请先在活动设置中选择标准。');
    return row.standard_version_id;
  }

  handlers(): Pick<Handlers, 'campaign:list' | 'campaign:create' | 'campaign:get'> {
    return {
      'campaign:list': (_input, ctx) =>
        (this.db.prepare(`${SELECT} ORDER BY c.year DESC, c.created_at DESC`).all() as CampaignRow[]).map((r) =>
          this.countedFor(toCampaign(r), ctx.visibleCaseIds(r.id)),
        ),

      'campaign:get': ({ campaignId }, ctx) => this.countedFor(this.detail(campaignId), ctx.visibleCaseIds(campaignId)),

      'campaign:create': (input, ctx) => {
        const actor = requireActor(ctx);
        const id = randomUUID();
        const now = nowIso();
        tx(this.db, () => {
          this.db
            .prepare(
              `INSERT INTO campaigns (id, name, year, issuing_body, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(id, input.name, input.year, input.issuingBody, actor.id, now, now);
          for (const caseType of CASE_TYPES) {
            const version = this.standards.defaultFor(caseType);
            if (version)
              this.db
                .prepare('INSERT INTO campaign_standards (campaign_id, case_type, standard_version_id) VALUES (?, ?, ?)')
                .run(id, caseType, version.id);
          }
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'campaign.create',
            entity: 'campaign',
            entityId: id,
            campaignId: id,
            after: input,
          });
        });
        this.events.emit('data:changed', { entity: 'campaign', id, campaignId: id });
        return this.detail(id);
      },
    };
  }
}
