/**
 * 回避: whether a person may review a unit's files. Three sources, any one is enough:
 * - the unit they work in now (their account's affiliation),
 * - a unit they worked in before,
 * - a conflict the organiser declared for this campaign (with a reason).
 * Names are compared as unit identities in the campaign's region (shared/import/unit-names.ts), never
 * as strings: 清溪县市场监督管理局 is the list's 县市场监管局, and a sub-unit (某县公安局交警大队) belongs
 * to its bureau. A false match only removes a reviewer from a file, which the preview shows with its
 * reason; a missed one would break 回避.
 */
import { belongsToUnit, normaliseUnitName, type UnitNameContext } from '../import/unit-names.js';

export type ConflictKind = 'current' | 'past' | 'declared';

export interface ConflictReason {
  kind: ConflictKind;
  /** Chinese, for the preview and the meeting view: "现所在单位：某县公安局". */
  text: string;
}

export interface PersonAffiliations {
  affiliation: string;
  pastUnits: readonly string[];
}

export interface UnitNames {
  id: string;
  name: string;
  shortName?: string;
}

export interface DeclaredConflict {
  unitId: string;
  reason: string;
}

/** How a unit name is written, spacing, width and bracket style aside. */
export const unitNameKey = normaliseUnitName;

export function sameOrganisation(affiliation: string, unit: UnitNames, ctx: UnitNameContext): boolean {
  return belongsToUnit(affiliation, unit.name, ctx) || (!!unit.shortName && belongsToUnit(affiliation, unit.shortName, ctx));
}

export const CONFLICT_KIND_LABELS: Record<ConflictKind, string> = {
  current: '现所在单位',
  past: '曾任职单位',
  declared: '指定回避',
};

export function conflictReasons(
  person: PersonAffiliations,
  unit: UnitNames,
  declared: readonly DeclaredConflict[],
  ctx: UnitNameContext,
): ConflictReason[] {
  const out: ConflictReason[] = [];
  if (sameOrganisation(person.affiliation, unit, ctx))
    out.push({ kind: 'current', text: `${CONFLICT_KIND_LABELS.current}：${person.affiliation.trim()}` });
  for (const past of person.pastUnits) {
    if (sameOrganisation(past, unit, ctx)) out.push({ kind: 'past', text: `${CONFLICT_KIND_LABELS.past}：${past.trim()}` });
  }
  for (const d of declared) {
    if (d.unitId === unit.id) out.push({ kind: 'declared', text: `${CONFLICT_KIND_LABELS.declared}：${d.reason.trim() || '组织者指定'}` });
  }
  return out;
}
