/** What the annotations feature offers the other features; they import it from here and nowhere else. */
export { AnnotationList } from './AnnotationList';
export { AnnotationPopup } from './AnnotationPopup';
export type { PopupActions } from './AnnotationPopup';
export { ColorSwatches } from './ColorSwatches';
export { useAnnotationStore } from './annotation-store';
