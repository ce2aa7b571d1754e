/** What the dossiers feature offers the other features; they import it from here and nowhere else. */
export { titleFromFileName } from './dossiers-service.js';
export type { DossiersService } from './dossiers-service.js';
export { toCase } from './repo.js';
export type { CaseRow } from './repo.js';
export { addDocument, registerCase, requireOpenCampaign } from './register.js';
export type { NewCase, NewDocument } from './register.js';
