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
import { conflictReasons, type ConflictReason, type DeclaredConflict, type UnitNames } from '../../../shared/panel/conflicts.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { campaignUnitContext } from '../campaigns/index.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { PastUnitsSchema } from '../../../shared/panel/panel.js';
import { NO_PASSWORD_FROM_PACKAGE } from '../people/index.js';

interface MemberRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  affiliation: string;
  past_units_json: string;
  legal_professional: number;
  disabled_at: string | null;
  /** 1: made from a work package, no password here yet. */
  from_package: number;
}

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
  constructor(
    private readonly db: Db,
    private readonly events: EventHub,
  ) {}

  requireCampaign(campaignId: string): void {
    if (!this.db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(campaignId)) throw new AppError('not_found', '评查活动不存在。');
  }

  units(campaignId: string): UnitNames[] {
    return (
      this.db.prepare('SELECT id, name, short_name FROM units WHERE campaign_id = ? ORDER BY name').all(campaignId) as Array<{
        id: string;
        name: string;
        short_name: string;
      }>
    ).map((u) => ({ id: u.id, name: u.name, shortName: u.short_name }));
  }

  private declared(campaignId: string, userId: string): DeclaredConflict[] {
    return (
      this.db
        .prepare('SELECT unit_id, reason FROM declared_conflicts WHERE campaign_id = ? AND user_id = ?')
        .all(campaignId, userId) as Array<{ unit_id: string; reason: string }>
    ).map((d) => ({ unitId: d.unit_id, reason: d.reason }));
  }

  private memberRows(campaignId: string): MemberRow[] {
    return this.db
      .prepare(
        `SELECT u.id, u.username, u.display_name, u.role, u.affiliation, u.past_units_json, u.legal_professional, u.disabled_at,
           u.password_hash = '${NO_PASSWORD_FROM_PACKAGE}' AS from_package
         FROM panel_members m JOIN users u ON u.id = m.user_id WHERE m.campaign_id = ? ORDER BY u.display_name, u.id`,
      )
      .all(campaignId) as MemberRow[];
  }

  /** The campaign's region, in which affiliations and unit names are read as unit identities. */
  unitContext(campaignId: string): UnitNameContext {
    return campaignUnitContext(this.db, campaignId);
  }

  private conflictsOf(
    row: Pick<MemberRow, 'id' | 'affiliation' | 'past_units_json'>,
    campaignId: string,
    units: UnitNames[],
    ctx: UnitNameContext,
  ): Map<string, ConflictReason[]> {
    const person = {
      affiliation: row.affiliation,
      pastUnits: parseJsonColumn(PastUnitsSchema, row.past_units_json, `账户 ${row.id} 的曾任职单位`),
    };
    const declared = this.declared(campaignId, row.id);
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
    const loads = new Map(
      (
        this.db
          .prepare('SELECT reviewer_id, count(*) AS n FROM assignments WHERE campaign_id = ? GROUP BY reviewer_id')
          .all(campaignId) as Array<{ reviewer_id: string; n: number }>
      ).map((r) => [r.reviewer_id, r.n]),
    );
    return this.memberRows(campaignId).map((r) => ({
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
    return !!this.db.prepare('SELECT 1 FROM panel_members WHERE campaign_id = ? AND user_id = ?').get(campaignId, userId);
  }

  /** Why `userId` must not review files of `unitId` in this campaign (empty: no conflict). Works for non-members too. */
  reasons(campaignId: string, userId: string, unitId: string): ConflictReason[] {
    const row = this.db.prepare('SELECT id, affiliation, past_units_json FROM users WHERE id = ?').get(userId) as
      Pick<MemberRow, 'id' | 'affiliation' | 'past_units_json'> | undefined;
    if (!row) throw new AppError('not_found', '用户不存在。');
    const unit = this.units(campaignId).find((u) => u.id === unitId);
    if (!unit) throw new AppError('not_found', '被评查单位不存在。');
    return this.conflictsOf(row, campaignId, [unit], this.unitContext(campaignId)).get(unitId) ?? [];
  }

  panel(campaignId: string): Panel {
    this.requireCampaign(campaignId);
    const units = this.units(campaignId);
    const caseCounts = new Map(
      (
        this.db.prepare('SELECT unit_id, count(*) AS n FROM cases WHERE campaign_id = ? GROUP BY unit_id').all(campaignId) as Array<{
          unit_id: string;
          n: number;
        }>
      ).map((r) => [r.unit_id, r.n]),
    );
    const members = this.panelMembers(campaignId);
    const declared = (
      this.db
        .prepare(
          `SELECT d.user_id, u.display_name, d.unit_id, n.name AS unit_name, d.reason, d.created_at
           FROM declared_conflicts d JOIN users u ON u.id = d.user_id JOIN units n ON n.id = d.unit_id
           WHERE d.campaign_id = ? ORDER BY u.display_name, n.name`,
        )
        .all(campaignId) as Array<{
        user_id: string;
        display_name: string;
        unit_id: string;
        unit_name: string;
        reason: string;
        created_at: string;
      }>
    ).map((d) => ({
      userId: d.user_id,
      userName: d.display_name,
      unitId: d.unit_id,
      unitName: d.unit_name,
      reason: d.reason,
      createdAt: d.created_at,
    }));
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
          const current = new Set(this.memberRows(campaignId).map((m) => m.id));
          for (const id of wanted) {
            const user = this.db.prepare('SELECT display_name, disabled_at FROM users WHERE id = ?').get(id) as
              { display_name: string; disabled_at: string | null } | undefined;
            if (!user) throw new AppError('not_found', '要加入评查组的用户不存在。');
            if (user.disabled_at && !current.has(id))
              throw new AppError('conflict', `“${user.display_name}”的账户已停用，不能加入评查组。`);
          }
          const removed = [...current].filter((id) => !wanted.includes(id));
          for (const id of removed) {
            const busy = this.db
              .prepare('SELECT count(*) AS n FROM assignments WHERE campaign_id = ? AND reviewer_id = ?')
              .get(campaignId, id) as { n: number };
            if (busy.n > 0) {
              const name = (this.db.prepare('SELECT display_name FROM users WHERE id = ?').get(id) as { display_name: string })
                .display_name;
              throw new AppError('conflict', `“${name}”已分配 ${busy.n} 件案卷，请先取消其分配再移出评查组。`);
            }
            this.db.prepare('DELETE FROM panel_members WHERE campaign_id = ? AND user_id = ?').run(campaignId, id);
          }
          const added = wanted.filter((id) => !current.has(id));
          const now = nowIso();
          for (const id of added)
            this.db
              .prepare('INSERT INTO panel_members (campaign_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?)')
              .run(campaignId, id, actor.id, now);
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
          if (!this.db.prepare('SELECT 1 FROM units WHERE id = ? AND campaign_id = ?').get(unitId, campaignId))
            throw new AppError('not_found', '被评查单位不存在。');
          if (!this.db.prepare('SELECT 1 FROM users WHERE id = ?').get(userId)) throw new AppError('not_found', '用户不存在。');
          const assigned = this.db
            .prepare('SELECT count(*) AS n FROM assignments a JOIN cases c ON c.id = a.case_id WHERE a.reviewer_id = ? AND c.unit_id = ?')
            .get(userId, unitId) as { n: number };
          this.db
            .prepare(
              `INSERT INTO declared_conflicts (campaign_id, user_id, unit_id, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (campaign_id, user_id, unit_id) DO UPDATE SET reason = excluded.reason`,
            )
            .run(campaignId, userId, unitId, reason, actor.id, nowIso());
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'conflict.declare',
            entity: 'user',
            entityId: userId,
            campaignId,
            after: { unitId, reason, alreadyAssigned: assigned.n },
          });
        });
        return this.changed(campaignId);
      },

      'panel:removeConflict': ({ campaignId, userId, unitId }, ctx) => {
        const actor = requireActor(ctx);
        tx(this.db, () => {
          const row = this.db
            .prepare('SELECT reason FROM declared_conflicts WHERE campaign_id = ? AND user_id = ? AND unit_id = ?')
            .get(campaignId, userId, unitId) as { reason: string } | undefined;
          if (!row) throw new AppError('not_found', '没有这条指定回避。');
          this.db
            .prepare('DELETE FROM declared_conflicts WHERE campaign_id = ? AND user_id = ? AND unit_id = ?')
            .run(campaignId, userId, unitId);
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'conflict.remove',
            entity: 'user',
            entityId: userId,
            campaignId,
            before: { unitId, reason: row.reason },
          });
        });
        return this.changed(campaignId);
      },
    };
  }
}
