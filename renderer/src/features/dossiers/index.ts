/** What the dossiers feature offers the other features; they import it from here and nowhere else. */
export { documentOptions, pdfjsLib } from './pdf/pdfjs';
