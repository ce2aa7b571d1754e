/** What the annotations feature offers the other features; they import it from here and nowhere else. */
export { evidencePages } from './evidence-pages.js';
