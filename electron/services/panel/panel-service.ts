/**
 * A campaign's panel (评查组): who is on it, and who must not review which unit (回避) — from each
 * member's current and former units and from conflicts the organiser declares. Assignment and the
 * meeting view ask this service; nothing else decides a conflict.
 */
import type { Panel, PanelMember } from '../../../shared/panel/panel.js';
import { REVIEWING_ROLES } from '../../../shared/panel/panel.js';
import type { Role } from '../../../shared/people/roles.js';
import { AppError } from '../../../shared/core/errors.js';
import type { UnitNameContext } from '../../../shared/import/unit-names.js';
import { conflictReasons, type ConflictReason, type UnitNames } from '../../../shared/panel/conflicts.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { campaignUnitContext } from '../campaigns/index.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { PastUnitsSchema } from '../../../shared/panel/panel.js';
import { panelRepo, type ConflictPerson, type PanelRepo } from './repo.js';

export interface MemberInfo {
  id: string;
  name: string;
  role: Role;
  legal: boolean;
  reviews: boolean;
  disabled: boolean;
  /** unit id → reasons (only units with a conflict). */
  conflicts: Map<string, ConflictReason[]>;
}

export class PanelService {
  private readonly repo: PanelRepo;

  constructor(
    private readonly db: Db,
    private readonly events: EventHub,
  ) {
    this.repo = panelRepo(db);
  }

  requireCampaign(campaignId: string): void {
    if (!this.repo.campaignExists(campaignId)) throw new AppError('not_found', '评查活动不存在。');
  }

  units(campaignId: string): UnitNames[] {
    return this.repo.units(campaignId);
  }

  /** The campaign's region, in which affiliations and unit names are read as unit identities. */
  unitContext(campaignId: string): UnitNameContext {
    return campaignUnitContext(this.db, campaignId);
  }

  private conflictsOf(row: ConflictPerson, campaignId: string, units: UnitNames[], ctx: UnitNameContext): Map<string, ConflictReason[]> {
    const person = {
      affiliation: row.affiliation,
      pastUnits: parseJsonColumn(PastUnitsSchema, row.past_units_json, `账户 ${row.id} 的曾任职单位`),
    };
    const declared = this.repo.declaredOf(campaignId, row.id);
    const out = new Map<string, ConflictReason[]>();
    for (const unit of units) {
      const reasons = conflictReasons(person, unit, declared, ctx);
      if (reasons.length) out.set(unit.id, reasons);
    }
    return out;
  }

  /** Panel members as the UI reads them, with their conflicts against this campaign's units. */
  private panelMembers(campaignId: string): PanelMember[] {
    const units = this.units(campaignId);
    const ctx = this.unitContext(campaignId);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const loads = this.repo.loads(campaignId);
    return this.repo.members(campaignId).map((r) => ({
      userId: r.id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      affiliation: r.affiliation,
      pastUnits: parseJsonColumn(PastUnitsSchema, r.past_units_json, `账户“${r.username}”的曾任职单位`),
      legalProfessional: r.legal_professional === 1,
      reviews: REVIEWING_ROLES.includes(r.role) && !r.disabled_at,
      disabled: r.disabled_at !== null,
      fromPackage: r.from_package === 1,
      conflicts: [...this.conflictsOf(r, campaignId, units, ctx)].map(([unitId, reasons]) => ({
        unitId,
        unitName: unitName.get(unitId) ?? '',
        reasons,
      })),
      assigned: loads.get(r.id) ?? 0,
    }));
  }

  /** Panel members for the services: conflicts by unit id. */
  members(campaignId: string): MemberInfo[] {
    return this.panelMembers(campaignId).map((m) => ({
      id: m.userId,
      name: m.displayName,
      role: m.role,
      legal: m.legalProfessional,
      reviews: m.reviews,
      disabled: m.disabled,
      conflicts: new Map(m.conflicts.map((c) => [c.unitId, c.reasons])),
    }));
  }

  isMember(campaignId: string, userId: string): boolean {
    return this.repo.isMember(campaignId, userId);
  }

  /** Why `userId` must not review files of `unitId` in this campaign (empty: no conflict). Works for non-members too. */
  reasons(campaignId: string, userId: string, unitId: string): ConflictReason[] {
    const row = this.repo.conflictPerson(userId);
    if (!row) throw new AppError('not_found', '用户不存在。');
    const unit = this.units(campaignId).find((u) => u.id === unitId);
    if (!unit) throw new AppError('not_found', '被评查单位不存在。');
    return this.conflictsOf(row, campaignId, [unit], this.unitContext(campaignId)).get(unitId) ?? [];
  }

  panel(campaignId: string): Panel {
    this.requireCampaign(campaignId);
    const units = this.units(campaignId);
    const caseCounts = this.repo.caseCountsByUnit(campaignId);
    const members = this.panelMembers(campaignId);
    const declared = this.repo.declaredList(campaignId);
    return {
      campaignId,
      members,
      units: units.map((u) => ({ id: u.id, name: u.name, caseCount: caseCounts.get(u.id) ?? 0 })),
      declared,
    };
  }

  private changed(campaignId: string): Panel {
    this.events.emit('data:changed', { entity: 'campaign', id: campaignId, campaignId });
    return this.panel(campaignId);
  }

  handlers(): Pick<Handlers, 'panel:get' | 'panel:setMembers' | 'panel:declareConflict' | 'panel:removeConflict'> {
    return {
      'panel:get': ({ campaignId }) => this.panel(campaignId),

      'panel:setMembers': ({ campaignId, userIds }, ctx) => {
        const actor = requireActor(ctx);
        this.requireCampaign(campaignId);
        const wanted = [...new Set(userIds)];
        tx(this.db, () => {
          const current = new Set(this.repo.members(campaignId).map((m) => m.id));
          for (const id of wanted) {
            const user = this.repo.person(id);
            if (!user) throw new AppError('not_found', '要加入评查组的用户不存在。');
            if (user.disabledAt && !current.has(id)) throw new AppError('conflict', `“${user.displayName}”的账户已停用，不能加入评查组。`);
          }
          const removed = [...current].filter((id) => !wanted.includes(id));
          for (const id of removed) {
            const busy = this.repo.assignedTo(campaignId, id);
            if (busy > 0) {
              const name = this.repo.person(id)!.displayName;
              throw new AppError('conflict', `“${name}”已分配 ${busy} 件案卷，请先取消其分配再移出评查组。`);
            }
            this.repo.removeMember(campaignId, id);
          }
          const added = wanted.filter((id) => !current.has(id));
          const now = nowIso();
          for (const id of added) this.repo.addMember(campaignId, id, actor.id, now);
          if (added.length || removed.length)
            writeAudit(this.db, {
              actorId: actor.id,
              action: 'panel.members',
              entity: 'campaign',
              entityId: campaignId,
              campaignId,
              before: [...current],
              after: wanted,
            });
        });
        return this.changed(campaignId);
      },

      'panel:declareConflict': ({ campaignId, userId, unitId, reason }, ctx) => {
        const actor = requireActor(ctx);
        this.requireCampaign(campaignId);
        tx(this.db, () => {
          if (!this.repo.unitInCampaign(unitId, campaignId)) throw new AppError('not_found', '被评查单位不存在。');
          if (!this.repo.person(userId)) throw new AppError('not_found', '用户不存在。');
          const assigned = this.repo.assignedInUnit(userId, unitId);
          this.repo.declare(campaignId, userId, unitId, reason, actor.id, nowIso());
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'conflict.declare',
            entity: 'user',
            entityId: userId,
            campaignId,
            after: { unitId, reason, alreadyAssigned: assigned },
          });
        });
        return this.changed(campaignId);
      },

      'panel:removeConflict': ({ campaignId, userId, unitId }, ctx) => {
        const actor = requireActor(ctx);
        tx(this.db, () => {
          const reason = this.repo.declaredReason(campaignId, userId, unitId);
          if (reason === null) throw new AppError('not_found', '没有这条指定回避。');
          this.repo.removeDeclared(campaignId, userId, unitId);
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'conflict.remove',
            entity: 'user',
            entityId: userId,
            campaignId,
            before: { unitId, reason },
          });
        });
        return this.changed(campaignId);
      },
    };
  }
}
