/** What the scoring feature offers the other features; they import it from here and nowhere else. */
export type { CaseOutcome, ExpectedReviewers, FinalAnswersBatch, FinalAnswersSource, ResultsService } from './results.js';
export { toSheet } from './repo.js';
export type { SheetRow } from './repo.js';
export { summarise } from './sheets.js';
export type { CaseGate, SheetsService } from './sheets.js';
