/**
 * 被评查单位 as identities: the campaign's region for the name matcher (shared/import/unit-names.ts),
 * the aliases people confirmed, the resolution of a case list's unit names to known units, and the
 * merge of two units of a campaign (cases, declared conflicts, drawn files, letters and ledger rows
 * follow; the merged name is remembered as an alias).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/core/errors.js';
import type { UnitMatch, UnitMergePreview, UnitView } from '../../../shared/import/api.js';
import {
  fullerName,
  matchUnitName,
  normaliseUnitName,
  sameUnit,
  unitAliasKey,
  unitContext,
  unitIdentityKey,
  type NamedUnit,
  type UnitMatchHow,
  type UnitNameContext,
} from '../../../shared/import/unit-names.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor, type Actor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { campaignsRepo, type CampaignsRepo, type NamedUnitRow } from './repo.js';

function requireCampaign(repo: CampaignsRepo, campaignId: string): void {
  if (!repo.campaignExists(campaignId)) throw new AppError('not_found', '评查活动不存在。');
}

/** The name context of a campaign: its region, from the issuing body or the units' own names (and `more`). */
export function campaignUnitContext(db: Db, campaignId: string, more: readonly string[] = []): UnitNameContext {
  const repo = campaignsRepo(db);
  const issuingBody = repo.issuingBody(campaignId);
  if (issuingBody === null) throw new AppError('not_found', '评查活动不存在。');
  return unitContext(issuingBody, repo.unitNames(campaignId).concat(more));
}

/** Aliases confirmed for a region: how the alias is written (normalised) → the unit's name. */
export function rememberedAliases(db: Db, region: string): Map<string, string> {
  return campaignsRepo(db).aliasesOfRegion(region);
}

/** Remembers `alias` as another name of `unitName` in the region (inside the caller's transaction). */
export function rememberAlias(db: Db, region: string, alias: string, unitName: string, actorId: string, campaignId: string): void {
  const key = unitAliasKey(alias);
  if (!key || key === unitAliasKey(unitName)) return;
  campaignsRepo(db).rememberAlias(region, key, alias, unitName, actorId, nowIso());
  writeAudit(db, {
    actorId,
    action: 'unit.alias',
    entity: 'unit_alias',
    entityId: `${region}|${key}`,
    campaignId,
    after: { region, alias, unitName },
  });
}

/**
 * The unit a name stands for in a campaign: its own unit of that identity, by the matcher or by a
 * remembered alias; null when the campaign has none (the caller creates the unit).
 */
export function findCampaignUnit(db: Db, campaignId: string, name: string): { id: string; name: string } | null {
  const repo = campaignsRepo(db);
  const exact = repo.unitNamed(campaignId, name);
  if (exact) return exact;
  const units = repo.namedUnits(campaignId).map((u) => ({
    id: u.id,
    name: u.name,
    shortName: u.short_name,
  }));
  const ctx = campaignUnitContext(db, campaignId, [name]);
  const remembered = rememberedAliases(db, ctx.region).get(unitAliasKey(name));
  const found = (remembered ? matchUnitName(remembered, units, ctx) : null) ?? matchUnitName(name, units, ctx);
  return found ? { id: found.unit.id, name: found.unit.name } : null;
}

export interface ImportedUnitResolution {
  ctx: UnitNameContext;
  /** Imported name → the unit name to register under (only names that change). */
  renamed: Map<string, string>;
  matches: UnitMatch[];
}

export class UnitsService {
  private readonly repo: CampaignsRepo;

  constructor(
    private readonly db: Db,
    private readonly events: EventHub,
  ) {
    this.repo = campaignsRepo(db);
  }

  /**
   * What each unit name of an import stands for: a unit of the campaign, a remembered alias, a unit of
   * another campaign of the same region, or a fuller name of the same unit in the same list. Names in
   * `keep` stay as written (shown as kept).
   */
  resolveImported(campaignId: string, imported: ReadonlyMap<string, number>, keep: readonly string[]): ImportedUnitResolution {
    const names = [...imported.keys()].filter((n) => n.trim());
    const ctx = campaignUnitContext(this.db, campaignId, names);
    const campaignUnits = this.repo.namedUnits(campaignId).map((u): NamedUnit => ({ name: u.name, shortName: u.short_name }));
    const aliases = rememberedAliases(this.db, ctx.region);
    const region = normaliseUnitName(ctx.region);
    // Units of other campaigns are suggested only when their name says the region: a bare 县市场监管局
    // of another county's campaign says nothing about this one.
    const elsewhere = region ? this.repo.unitNamesElsewhere(campaignId).filter((n) => normaliseUnitName(n).startsWith(region)) : [];
    const kept = new Set(keep);
    const renamed = new Map<string, string>();
    const matches: UnitMatch[] = [];
    for (const name of names) {
      if (campaignUnits.some((u) => u.name === name)) continue;
      let target: { unitName: string; how: Exclude<UnitMatchHow, 'same'>; existing: boolean } | null = null;
      const remembered = aliases.get(unitAliasKey(name));
      if (remembered) {
        const own = matchUnitName(remembered, campaignUnits, ctx);
        target = { unitName: own?.unit.name ?? remembered, how: 'remembered', existing: !!own };
      }
      if (!target) {
        const own = matchUnitName(name, campaignUnits, ctx);
        if (own && own.how !== 'same') target = { unitName: own.unit.name, how: own.how, existing: true };
      }
      if (!target) {
        // The fullest name of the same unit among other campaigns' units and this list's names.
        const key = unitIdentityKey(name, ctx);
        let fullest = name;
        for (const other of [...elsewhere, ...names])
          if (key && unitIdentityKey(other, ctx) === key && fullerName(other, fullest)) fullest = other;
        if (fullest !== name) {
          const how = matchUnitName(name, [{ name: fullest }], ctx)?.how;
          if (how && how !== 'same') target = { unitName: fullest, how, existing: false };
        }
      }
      if (!target) continue;
      const isKept = kept.has(name);
      if (!isKept) renamed.set(name, target.unitName);
      matches.push({
        imported: name,
        unitName: target.unitName,
        how: target.how,
        existing: target.existing,
        rows: imported.get(name) ?? 0,
        kept: isKept,
      });
    }
    return { ctx, renamed, matches };
  }

  /** After an import was confirmed: matches become aliases, kept names forget an alias they had (inside a transaction). */
  rememberConfirmed(campaignId: string, resolution: ImportedUnitResolution, actorId: string): void {
    for (const m of resolution.matches) {
      if (m.kept) {
        const key = unitAliasKey(m.imported);
        if (this.repo.forgetAlias(resolution.ctx.region, key))
          writeAudit(this.db, {
            actorId,
            action: 'unit.alias_forget',
            entity: 'unit_alias',
            entityId: `${resolution.ctx.region}|${key}`,
            campaignId,
            before: { alias: m.imported, unitName: m.unitName },
          });
      } else if (m.how === 'region' || m.how === 'alias')
        rememberAlias(this.db, resolution.ctx.region, m.imported, m.unitName, actorId, campaignId);
    }
  }

  private unit(campaignId: string, unitId: string): NamedUnitRow {
    const row = this.repo.namedUnit(campaignId, unitId);
    if (!row) throw new AppError('not_found', '被评查单位不存在。');
    return row;
  }

  mergePreview(campaignId: string, sourceUnitId: string, targetUnitId: string): UnitMergePreview {
    if (sourceUnitId === targetUnitId) throw new AppError('invalid_input', '请选择另一个单位作为合并目标。', { path: 'targetUnitId' });
    const source = this.unit(campaignId, sourceUnitId);
    const target = this.unit(campaignId, targetUnitId);
    const counts = this.repo.mergeCounts(campaignId, source.id);
    const { issuedLetters: issued, checkedLetters: checked, draws } = counts;
    const notes: string[] = [];
    if (checked) notes.push(`“${source.name}”有 ${checked} 份已核对定稿的文书，合并后退回草稿，须以新单位名称重新核对。`);
    if (draws) notes.push('已有的抽取记录保留抽取时的单位名称（可照原样复核）；被抽中的案卷随单位合并。');
    notes.push(
      `合并后“${source.name}”作为“${target.name}”的别名记住，以后导入的清单中写作“${source.name}”的案件直接归入“${target.name}”。`,
    );
    return {
      source: { id: source.id, name: source.name },
      target: { id: target.id, name: target.name },
      cases: counts.cases,
      assignments: counts.assignments,
      declaredConflicts: counts.declaredConflicts,
      drawnCases: counts.drawnCases,
      letters: counts.openLetters,
      ledgerItems: counts.ledgerItems,
      blocked: issued
        ? `“${source.name}”已有 ${issued} 份签发的文书，签发的文书不能改动收文单位，不能合并。请把“${target.name}”合并到“${source.name}”，或以更正文书处理。`
        : null,
      notes,
    };
  }

  merge(campaignId: string, sourceUnitId: string, targetUnitId: string, actorId: string): void {
    tx(this.db, () => {
      const preview = this.mergePreview(campaignId, sourceUnitId, targetUnitId);
      if (preview.blocked) throw new AppError('conflict', preview.blocked);
      const source = this.unit(campaignId, sourceUnitId);
      const ctx = campaignUnitContext(this.db, campaignId);
      // Cases, declared conflicts (a person declared for both keeps the target's reason) and letters not
      // yet issued follow; a checked letter froze the old name in its content, so it goes back to draft.
      this.repo.mergeInto(sourceUnitId, targetUnitId, nowIso());
      rememberAlias(this.db, ctx.region, source.name, preview.target.name, actorId, campaignId);
      if (source.short_name) rememberAlias(this.db, ctx.region, source.short_name, preview.target.name, actorId, campaignId);
      writeAudit(this.db, {
        actorId,
        action: 'unit.merge',
        entity: 'unit',
        entityId: targetUnitId,
        campaignId,
        before: { unitId: sourceUnitId, name: source.name, shortName: source.short_name },
        after: {
          unitId: targetUnitId,
          name: preview.target.name,
          moved: {
            cases: preview.cases,
            declaredConflicts: preview.declaredConflicts,
            drawnCases: preview.drawnCases,
            letters: preview.letters,
            ledgerItems: preview.ledgerItems,
          },
        },
      });
    });
    this.events.emit('data:changed', { entity: 'campaign', id: campaignId, campaignId });
  }

  /** Units of a campaign; `visible` limits the case counts to the files the caller may see . */
  listUnits(campaignId: string, visible: Set<string> | 'all' = 'all'): UnitView[] {
    requireCampaign(this.repo, campaignId);
    const units = this.repo.unitsOfCampaign(campaignId);
    if (visible === 'all') return units;
    const perUnit = new Map<string, number>();
    for (const row of this.repo.casesByUnit(campaignId))
      if (visible.has(row.id)) perUnit.set(row.unitId, (perUnit.get(row.unitId) ?? 0) + 1);
    return units.map((u) => ({ ...u, caseCount: perUnit.get(u.id) ?? 0 }));
  }

  unitView(unitId: string): UnitView {
    const unit = this.repo.unit(unitId);
    if (!unit) throw new AppError('not_found', '被评查单位不存在。');
    return unit;
  }

  private saveUnit(input: Parameters<Handlers['unit:save']>[0], actor: Actor): UnitView {
    requireCampaign(this.repo, input.campaignId);
    const values = { name: input.name, shortName: input.shortName, field: input.field, regionCode: input.regionCode };
    const id = tx(this.db, () => {
      const clash = this.repo.unitNamed(input.campaignId, input.name);
      if (clash && clash.id !== input.unitId && !input.unitId)
        throw new AppError('conflict', `本活动中已有名为“${input.name}”的被评查单位。`);
      if (input.unitId) {
        // Renaming onto another unit of the campaign (by name or identity) is a merge: offered, not refused.
        const ctx = campaignUnitContext(this.db, input.campaignId);
        const others = this.repo.otherUnits(input.campaignId, input.unitId);
        const same =
          (clash && clash.id !== input.unitId ? others.find((o) => o.id === clash.id) : undefined) ??
          others.find((o) => sameUnit(o.name, input.name, ctx));
        if (same)
          throw new AppError(
            'conflict',
            `本活动中已有“${same.name}”，与“${input.name}”是同一单位。如确为同一单位，请把本单位合并到“${same.name}”。`,
            {
              reason: 'unit_exists',
              unitId: same.id,
              unitName: same.name,
            },
          );
        const before = this.repo.unitFields(input.campaignId, input.unitId);
        if (!before) throw new AppError('not_found', '被评查单位不存在。');
        this.repo.updateUnit(input.unitId, values);
        writeAudit(this.db, {
          actorId: actor.id,
          action: 'unit.update',
          entity: 'unit',
          entityId: input.unitId,
          campaignId: input.campaignId,
          before,
          after: values,
        });
        return input.unitId;
      }
      const unitId = randomUUID();
      this.repo.insertUnit({ id: unitId, campaignId: input.campaignId, ...values, at: nowIso() });
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'unit.create',
        entity: 'unit',
        entityId: unitId,
        campaignId: input.campaignId,
        after: values,
      });
      return unitId;
    });
    this.events.emit('data:changed', { entity: 'campaign', id: input.campaignId, campaignId: input.campaignId });
    return this.unitView(id);
  }

  handlers(): Pick<Handlers, 'unit:list' | 'unit:save' | 'unit:mergePreview' | 'unit:merge'> {
    return {
      'unit:list': ({ campaignId }, ctx) => this.listUnits(campaignId, ctx.visibleCaseIds(campaignId)),
      'unit:save': (input, ctx) => this.saveUnit(input, requireActor(ctx)),
      'unit:mergePreview': ({ campaignId, sourceUnitId, targetUnitId }) => this.mergePreview(campaignId, sourceUnitId, targetUnitId),
      'unit:merge': ({ campaignId, sourceUnitId, targetUnitId }, ctx) => {
        this.merge(campaignId, sourceUnitId, targetUnitId, requireActor(ctx).id);
        return this.unitView(targetUnitId);
      },
    };
  }
}
