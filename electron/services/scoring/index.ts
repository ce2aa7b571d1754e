/** What the scoring feature offers the other features; they import it from here and nowhere else. */
export type { CaseOutcome, FinalAnswersBatch, FinalAnswersSource, ResultsService } from './results.js';
export { summarise, toSheet } from './sheets.js';
export type { CaseGate, SheetRow, SheetsService } from './sheets.js';
