/**
 * 回避: whether a person may review a unit's files. Three sources, any one is enough:
 * - the unit they work in now (their account's affiliation),
 * - a unit they worked in before,
 * - a conflict the organiser declared for this campaign (with a reason).
 * Names match after normalisation when they are equal or one contains the other ("某县公安局" and
 * "某县公安局交警大队"), or the affiliation equals the unit's short name. A false match only removes a
 * reviewer from a file, which the preview shows with its reason; a missed one would break 回避.
 */

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

/** NFKC, no spaces of any width, Chinese brackets for Latin ones. */
export function unitNameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
}

/** Shortest name that may match by containment: two characters ("公安") are too little to mean a unit. */
const MIN_CONTAINED = 3;

export function sameOrganisation(affiliation: string, unit: UnitNames): boolean {
  const a = unitNameKey(affiliation);
  if (!a) return false;
  const u = unitNameKey(unit.name);
  if (a === u) return true;
  const short = unit.shortName ? unitNameKey(unit.shortName) : '';
  if (short && a === short) return true;
  return a.length >= MIN_CONTAINED && u.length >= MIN_CONTAINED && (a.includes(u) || u.includes(a));
}

export const CONFLICT_KIND_LABELS: Record<ConflictKind, string> = {
  current: '现所在单位',
  past: '曾任职单位',
  declared: '指定回避',
};

export function conflictReasons(person: PersonAffiliations, unit: UnitNames, declared: readonly DeclaredConflict[]): ConflictReason[] {
  const out: ConflictReason[] = [];
  if (sameOrganisation(person.affiliation, unit)) out.push({ kind: 'current', text: `${CONFLICT_KIND_LABELS.current}：${person.affiliation.trim()}` });
  for (const past of person.pastUnits) {
    if (sameOrganisation(past, unit)) out.push({ kind: 'past', text: `${CONFLICT_KIND_LABELS.past}：${past.trim()}` });
  }
  for (const d of declared) {
    if (d.unitId === unit.id) out.push({ kind: 'declared', text: `${CONFLICT_KIND_LABELS.declared}：${d.reason.trim() || '组织者指定'}` });
  }
  return out;
}
