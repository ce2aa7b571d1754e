/** What the panel feature offers the other features; they import it from here and nowhere else. */
export { CaseMarkCells, CaseMarkHeads, useCaseMarks } from './case-marks';
export { leadLanding } from './landing';
