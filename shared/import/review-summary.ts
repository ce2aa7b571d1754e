/**
 * What the import's review step counts before anything is stored: files matched to a case, files
 * still without one, listed cases without a file (缺卷), files already imported byte for byte, files
 * refused and list rows in error. Pure, so the screen and the tests count the same way.
 */
import type { ImportPreview, PreviewFile, PreviewRow } from './api.js';

export interface ReviewSummary {
  /** Files per case they go to (a file already in its case stays shown there, marked as skipped). */
  byTarget: Map<string, PreviewFile[]>;
  /** Cases that get at least one new file. */
  matched: PreviewRow[];
  /** Listed cases that get no file and have none in the campaign yet. */
  empty: PreviewRow[];
  mismatched: PreviewFile[];
  unmatched: PreviewFile[];
  /** Unmatched files the person has not assigned yet. */
  stillOpen: number;
  refused: PreviewFile[];
  identical: PreviewFile[];
  badRows: PreviewRow[];
}

/** A file already in its case byte for byte. */
export const isIdenticalFile = (f: PreviewFile): boolean => f.refusal?.code === 'duplicate_file' && !!f.target;

/** `assignments`: the person's choices of case per file key (null: 不导入); a file not in it keeps its match. */
export function reviewSummary(preview: ImportPreview, assignments: Readonly<Record<string, string | null>>): ReviewSummary {
  const targetOf = (f: PreviewFile): string | null => (assignments[f.key] !== undefined ? assignments[f.key]! : f.target);
  const assignable = preview.targets.filter((t) => t.status === 'new' || t.status === 'existing');
  const byTarget = new Map<string, PreviewFile[]>();
  for (const f of preview.files) {
    const t = isIdenticalFile(f) ? f.target : f.refusal ? null : targetOf(f);
    if (t) byTarget.set(t, [...(byTarget.get(t) ?? []), f]);
  }
  const unmatched = preview.files.filter((f) => !f.refusal && !f.target);
  return {
    byTarget,
    // A file already imported is counted once, as skipped, not as a match too.
    matched: assignable.filter((t) => byTarget.get(t.key)?.some((f) => !isIdenticalFile(f))),
    // A case offered only for a file's name (按文件名登记) is no list row waiting for its file, and a
    // case that already has its files in the campaign is no missing dossier.
    empty: assignable.filter((t) => !byTarget.has(t.key) && t.origin !== 'fileName' && t.documentsInCampaign === 0),
    mismatched: preview.files.filter((f) => !f.refusal && f.mismatch),
    unmatched,
    stillOpen: unmatched.filter((f) => !targetOf(f)).length,
    refused: preview.files.filter((f) => f.refusal && !isIdenticalFile(f)),
    identical: preview.files.filter(isIdenticalFile),
    badRows: preview.targets.filter((t) => t.status === 'error' || t.status === 'duplicate'),
  };
}
