/** Annotation types, labels and the palette (annotation.ts holds the schemas and re-exports these; kept free of zod for the reader). */

export const ANNOTATION_TYPES = ['highlight', 'underline', 'area', 'note', 'ink', 'text'] as const;
export type AnnotationType = (typeof ANNOTATION_TYPES)[number];
export const ANNOTATION_TYPE_LABELS: Record<AnnotationType, string> = {
  highlight: '高亮',
  underline: '下划线',
  area: '框选',
  note: '便签',
  ink: '手绘',
  text: '文字框',
};

/** The 8-colour palette (Zotero's, which reviewers find distinguishable on a projector). */
export const ANNOTATION_COLORS = [
  { value: '#ffd400', label: '黄' },
  { value: '#ff6666', label: '红' },
  { value: '#5fb236', label: '绿' },
  { value: '#2ea8e5', label: '蓝' },
  { value: '#a28ae5', label: '紫' },
  { value: '#e56eee', label: '品红' },
  { value: '#f19837', label: '橙' },
  { value: '#aaaaaa', label: '灰' },
] as const;
export const DEFAULT_ANNOTATION_COLOR = '#ffd400';
