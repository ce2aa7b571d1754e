/** What the dossiers feature offers the other features; they import it from here and nowhere else. */
export { indexPageText, titleFromFileName, toCase } from './dossiers-service.js';
export type { CaseRow, DossiersService } from './dossiers-service.js';
export { addDocument, registerCase, requireOpenCampaign } from './register.js';
export type { NewCase, NewDocument } from './register.js';
