/** What the letters feature offers the other features; they import it from here and nowhere else. */
export type { CampaignFactsBuilder } from './campaign-facts.js';
export {
  blankLine,
  bodyParagraph,
  gongwenDocument,
  gongwenSection,
  gongwenTable,
  headingParagraph,
  rightParagraph,
  run,
  titleParagraph,
} from './gongwen-docx.js';
export type { CellSpec } from './gongwen-docx.js';
export type { DocxVerification } from './gongwen-letter.js';
export type { LettersService } from './letters-service.js';
export type { SealAnchor } from './pdf-rendition/gongwen-pdf.js';
export { PDF_MIME, PdfRenditions, RENDITION_FONT_FILE } from './pdf-rendition/renditions.js';
