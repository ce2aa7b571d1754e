/**
 * How the lead's workstation merges a reviewer's returned sheet (pure; the packages service applies
 * the decision). Revisions are the sheet's own counter: the reviewer's laptop continues it from the
 * revision the sheet had in the out-package, and the lead's workstation remembers the revision it
 * last exported or merged (the "synced" revision). A side that moved past the synced revision changed
 * the sheet; when both did, it is a conflict for a person to resolve — never a silent overwrite.
 */
import type { Answers } from '../scoring/scoring.js';

export type SheetMergeDecision = 'insert' | 'apply' | 'unchanged' | 'conflict';

export interface SheetMergeInput {
  local: { id: string; revision: number } | null;
  /** The local sheet's revision when it was last exported or merged for this reviewer; null: never. */
  syncedRevision: number | null;
  incoming: { id: string; revision: number; baseRevision: number | null };
  /** Both sides hold the same status and answers (then nothing needs deciding). */
  sameContent: boolean;
  /** The file is settled on this workstation: its sheets cannot change without a person. */
  localLocked: boolean;
}

export function decideSheetMerge(m: SheetMergeInput): SheetMergeDecision {
  if (!m.local) return 'insert';
  if (m.sameContent) return 'unchanged';
  // Two sheets for the same file and reviewer started independently on both machines.
  if (m.local.id !== m.incoming.id) return 'conflict';
  const reference = m.syncedRevision ?? m.incoming.baseRevision;
  if (reference === null) return 'conflict';
  const incomingChanged = m.incoming.revision !== reference;
  const localChanged = m.local.revision !== reference;
  if (!incomingChanged) return 'unchanged';
  if (!localChanged && !m.localLocked) return 'apply';
  return 'conflict';
}

/** Item ids whose answers differ between two sheets, in `order` (the standard's order) first. */
export function differingItems(a: Answers, b: Answers, order: readonly string[]): string[] {
  const ids = new Set([...Object.keys(a), ...Object.keys(b)]);
  const differs = (id: string): boolean => sortedJson(a[id] ?? null) !== sortedJson(b[id] ?? null);
  const known = order.filter((id) => ids.has(id) && differs(id));
  const rest = [...ids].filter((id) => !order.includes(id) && differs(id)).sort();
  return [...known, ...rest];
}

/** JSON with object keys sorted, so two equal answers written by different code compare equal. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
