import { randomUUID } from 'node:crypto';
import type { CampaignDetail } from '../../../shared/campaigns/campaign.js';
import { CASE_TYPES, type CaseType } from '../../../shared/campaigns/case-types.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { StandardsService } from '../standards/index.js';
import { campaignsRepo, type CampaignsRepo } from './repo.js';

export class CampaignsService {
  private readonly repo: CampaignsRepo;

  constructor(
    private readonly db: Db,
    private readonly standards: StandardsService,
    private readonly events: EventHub,
  ) {
    this.repo = campaignsRepo(db);
  }

  detail(campaignId: string): CampaignDetail {
    const campaign = this.repo.campaign(campaignId);
    if (!campaign) throw new AppError('not_found', '评查活动不存在。');
    return { ...campaign, standards: this.repo.standards(campaignId) };
  }

  /**
   * A campaign's counts as the caller may read them: a reviewer counts only the files assigned to
   * them and those files' units, never how many files the campaign holds beyond their reach.
   */
  private countedFor<T extends { id: string; caseCount: number; unitCount: number }>(campaign: T, visible: Set<string> | 'all'): T {
    if (visible === 'all') return campaign;
    const { cases, units } = this.repo.visibleCounts(campaign.id, visible);
    return { ...campaign, caseCount: cases, unitCount: units };
  }

  /** The frozen standard version a file of this type is scored against. */
  standardVersionFor(campaignId: string, caseType: CaseType): string {
    const versionId = this.repo.standardVersion(campaignId, caseType);
    if (!versionId) throw new AppError('conflict', '本评查活动尚未为这类案卷指定评查标准，请先在活动设置中选择标准。');
    return versionId;
  }

  handlers(): Pick<Handlers, 'campaign:list' | 'campaign:create' | 'campaign:get'> {
    return {
      'campaign:list': (_input, ctx) => this.repo.newestFirst().map((c) => this.countedFor(c, ctx.visibleCaseIds(c.id))),

      'campaign:get': ({ campaignId }, ctx) => this.countedFor(this.detail(campaignId), ctx.visibleCaseIds(campaignId)),

      'campaign:create': (input, ctx) => {
        const actor = requireActor(ctx);
        const id = randomUUID();
        const now = nowIso();
        tx(this.db, () => {
          this.repo.insert({ id, name: input.name, year: input.year, issuingBody: input.issuingBody, createdBy: actor.id, at: now });
          for (const caseType of CASE_TYPES) {
            const version = this.standards.defaultFor(caseType);
            if (version) this.repo.setStandard(id, caseType, version.id);
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
