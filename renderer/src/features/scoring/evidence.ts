import { ANNOTATION_TYPE_LABELS } from '../../../../shared/annotations/annotation-kinds';
import type { Annotation } from '../../../../shared/annotations/annotation';

/** How a linked mark is named on a chip: its page and what it marks. */
export function evidenceLabel(a: Pick<Annotation, 'pageIndex' | 'selectedText' | 'comment' | 'type'>): string {
  const what = a.selectedText?.trim() || a.comment?.trim() || ANNOTATION_TYPE_LABELS[a.type];
  return `第 ${a.pageIndex + 1} 页 · ${what.length > 12 ? `${what.slice(0, 12)}…` : what}`;
}

/** "第3、5页" for a set of marks, in page order. */
export function pageList(pages: number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  return sorted.length ? `第${sorted.map((p) => p + 1).join('、')}页` : '';
}
