import { z } from 'zod';

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

/** A rectangle in PDF user space (points, origin bottom-left of the unrotated page): [x1, y1, x2, y2]. */
export const RectSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type Rect = z.infer<typeof RectSchema>;

/**
 * Where an annotation is, in PDF user-space coordinates, so it is right at every zoom and rotation.
 * rects: highlight/underline (one per line), area, note (the icon box), text (the box);
 * paths: ink, each path a flat list x0,y0,x1,y1,…; fontSize: text boxes.
 */
export const AnnotationPositionSchema = z.object({
  rects: z.array(RectSchema).max(2000).optional(),
  paths: z.array(z.array(z.number()).max(20000)).max(500).optional(),
  width: z.number().positive().max(100).optional(),
  fontSize: z.number().positive().max(200).optional(),
});
export type AnnotationPosition = z.infer<typeof AnnotationPositionSchema>;

const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, '颜色格式不正确');

/** What the renderer sends to create or update an annotation (the id is chosen by the client, a UUID). */
export const AnnotationInputSchema = z.object({
  id: z.uuid(),
  type: z.enum(ANNOTATION_TYPES),
  color: colorSchema,
  pageIndex: z.number().int().nonnegative(),
  position: AnnotationPositionSchema,
  selectedText: z.string().max(20000).optional(),
  comment: z.string().max(20000).optional(),
  checklistItemId: z.string().max(200).nullable().optional(),
});
export type AnnotationInput = z.infer<typeof AnnotationInputSchema>;

export const AnnotationSchema = AnnotationInputSchema.extend({
  documentId: z.string(),
  documentSha256: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  sortKey: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Annotation = z.infer<typeof AnnotationSchema>;
