/** What the standards feature offers the other features; they import it from here and nowhere else. */
export { parseDefinition, summaryOf } from './standards-service.js';
export type { StandardsService } from './standards-service.js';
