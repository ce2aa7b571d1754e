/** What the signing feature offers the other features; they import it from here and nowhere else. */
export { IssuePanel } from './IssuePanel';
