/**
 * Which standard version a campaign scores each case type against. The choice is free until the
 * first sheet of that case type exists; from then on changing it would put files of one type under
 * two sets of rules, so it is refused.
 */
import { CASE_TYPE_LABELS, type CaseType } from '../../shared/domain/case-types.js';
import type { CampaignDetail } from '../../shared/domain/campaign.js';
import { AppError } from '../../shared/errors.js';
import { writeAudit } from './audit.js';
import type { CampaignsService } from './campaigns.js';
import { requireActor, type Actor } from './context.js';
import { tx, type Db } from './db/database.js';
import type { Handlers } from './dispatcher.js';
import type { EventHub } from './event-hub.js';
import type { StandardsService } from './standards.js';

export class CampaignStandardsService {
  constructor(
    private readonly db: Db,
    private readonly standards: StandardsService,
    private readonly campaigns: CampaignsService,
    private readonly events: EventHub,
  ) {}

  set(campaignId: string, caseType: CaseType, versionId: string | null, actor: Actor): CampaignDetail {
    const label = CASE_TYPE_LABELS[caseType];
    const changed = tx(this.db, () => {
      const campaign = this.campaigns.detail(campaignId);
      const current = campaign.standards.find((s) => s.caseType === caseType)?.standardVersionId ?? null;
      if (current === versionId) return false;
      if (versionId !== null) {
        const summary = this.standards.summary(versionId);
        if (summary.retired) throw new AppError('conflict', `“${summary.name}”（${summary.version}）已停用，不能再用于评查活动。`);
        if (!summary.caseTypes.includes(caseType))
          throw new AppError('invalid_input', `“${summary.name}”不适用于${label}案卷。请选择适用的标准，或先在评查标准中增加该案件类型。`);
        if (summary.errorCount > 0) throw new AppError('invalid_input', `“${summary.name}”（${summary.version}）还有 ${summary.errorCount} 处错误，请先在评查标准中修正。`);
      }
      const { n } = this.db
        .prepare('SELECT count(*) AS n FROM sheets s JOIN cases c ON c.id = s.case_id WHERE c.campaign_id = ? AND c.case_type = ?')
        .get(campaignId, caseType) as { n: number };
      if (n > 0) throw new AppError('conflict', `本活动已有 ${n} 份${label}案卷的评查表按当前标准评分，不能再更换该类案卷的评查标准。`);
      if (versionId === null) this.db.prepare('DELETE FROM campaign_standards WHERE campaign_id = ? AND case_type = ?').run(campaignId, caseType);
      else
        this.db
          .prepare(
            `INSERT INTO campaign_standards (campaign_id, case_type, standard_version_id) VALUES (?, ?, ?)
             ON CONFLICT (campaign_id, case_type) DO UPDATE SET standard_version_id = excluded.standard_version_id`,
          )
          .run(campaignId, caseType, versionId);
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'campaign.standard.set',
        entity: 'campaign',
        entityId: campaignId,
        campaignId,
        before: { caseType, versionId: current },
        after: { caseType, versionId },
      });
      return true;
    });
    if (changed) this.events.emit('data:changed', { entity: 'campaign', id: campaignId, campaignId });
    return this.campaigns.detail(campaignId);
  }

  handlers(): Pick<Handlers, 'campaign:setStandard'> {
    return {
      'campaign:setStandard': ({ campaignId, caseType, versionId }, ctx) => this.set(campaignId, caseType, versionId, requireActor(ctx)),
    };
  }
}
