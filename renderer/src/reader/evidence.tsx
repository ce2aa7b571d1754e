/**
 * The link between the reader and the score sheet (issue 6): which annotation is selected, which
 * checklist item is "current" (a mark drawn now becomes evidence for it), and a way to jump to an
 * annotation. The case workspace provides it; anything inside the workspace (the score sheet, the
 * annotation list) reads it with `useEvidence()`.
 *
 * Without any change to the sheet, focusing or clicking an element carrying `data-item-id` inside
 * the sheet pane makes that item current (see CaseScreen); a sheet may also call `setCurrentItem`.
 */
import { createContext, useContext } from 'react';
import type { Annotation } from '../../../shared/domain/annotation';

export interface CurrentItem {
  id: string;
  label: string;
}

export interface Evidence {
  /** Every annotation of the case (all files), in dossier order. */
  annotations: Annotation[];
  selectedAnnotation: Annotation | null;
  /** The item new marks are linked to (their `checklistItemId`), or null. */
  currentItem: CurrentItem | null;
  setCurrentItem(itemId: string | null): void;
  /** Selects an annotation, switching file if needed, and scrolls it into view. */
  showAnnotation(a: Annotation): void;
  /** Sets or clears an annotation's checklist item (own annotations only). */
  linkAnnotation(annotationId: string, itemId: string | null): void;
  /** Annotations whose `checklistItemId` is this item. */
  annotationsForItem(itemId: string): Annotation[];
  /** "12.5 卷内材料有页号" for an item id (the id itself when the standard is not loaded). */
  itemLabel(itemId: string): string;
}

export const EvidenceContext = createContext<Evidence | null>(null);

export function useEvidence(): Evidence {
  const e = useContext(EvidenceContext);
  if (!e) throw new Error('useEvidence outside the case workspace');
  return e;
}
