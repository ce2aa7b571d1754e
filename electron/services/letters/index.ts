/** What the letters feature offers the other features; they import it from here and nowhere else. */
import type * as GongwenDocx from './gongwen-docx.js';

export type { CampaignFactsBuilder } from './campaign-facts.js';
/**
 * The 公文 Word builders carry docx (megabytes once loaded): a feature that writes a Word file loads
 * them with its own document module, so the back end starts without them.
 */
export const loadGongwenDocx = (): Promise<typeof GongwenDocx> => import('./gongwen-docx.js');
export type { CellSpec } from './gongwen-docx.js';
export type { DocxVerification } from './gongwen-letter.js';
export type { LettersService } from './letters-service.js';
export type { SealAnchor } from './pdf-rendition/gongwen-pdf.js';
export { PDF_MIME, PdfRenditions, RENDITION_FONT_FILE } from './pdf-rendition/renditions.js';
