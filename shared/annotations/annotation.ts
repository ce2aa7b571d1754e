import { z } from 'zod';
import { ANNOTATION_TYPES } from './annotation-kinds.js';

export * from './annotation-kinds.js';

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
