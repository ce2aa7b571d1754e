/**
 * Which standard version a campaign scores each case type against. The choice is free until a
 * reviewer has answered an item on a file of that case type (or delivered a sheet); from then on
 * changing it would put files of one type under two sets of rules, so it is refused. Sheets started
 * but still empty hold nothing scored against the old rules: they are removed with the change, and
 * their reviewers start again on the new standard.
 */
import { CASE_TYPE_LABELS, type CaseType } from '../../../shared/campaigns/case-types.js';
import type { CampaignDetail } from '../../../shared/campaigns/campaign.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import type { CampaignsService } from '../campaigns/index.js';
import { requireActor, type Actor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { standardsRepo, type StandardsRepo } from './repo.js';
import type { StandardsService } from './standards-service.js';

export class CampaignStandardsService {
  private readonly repo: StandardsRepo;

  constructor(
    private readonly db: Db,
    private readonly standards: StandardsService,
    private readonly campaigns: CampaignsService,
    private readonly events: EventHub,
  ) {
    this.repo = standardsRepo(db);
  }

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
        if (summary.errorCount > 0)
          throw new AppError(
            'invalid_input',
            `“${summary.name}”（${summary.version}）还有 ${summary.errorCount} 处错误，请先在评查标准中修正。`,
          );
      }
      const sheets = this.repo.sheetsOfType(campaignId, caseType);
      const scored = sheets.filter((sh) => sh.answered || sh.status !== 'draft');
      if (scored.length > 0)
        throw new AppError('conflict', `本活动已有 ${scored.length} 份${label}案卷的评查表按当前标准评分，不能再更换该类案卷的评查标准。`);
      for (const empty of sheets) {
        this.repo.deleteSheet(empty.id);
        writeAudit(this.db, {
          actorId: actor.id,
          action: 'sheet.remove_empty',
          entity: 'sheet',
          entityId: empty.id,
          campaignId,
          before: { caseId: empty.case_id, reviewerId: empty.reviewer_id, versionId: empty.standard_version_id },
          after: { reason: '更换评查标准，尚未评定任何项目的评查表随之删除' },
        });
      }
      this.repo.setCampaignStandard(campaignId, caseType, versionId);
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
