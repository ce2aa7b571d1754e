/** What the panel feature offers the other features; they import it from here and nowhere else. */
export type { DrawsService } from './draws.js';
export type { PanelService } from './panel-service.js';
export type { ReviewService } from './review.js';
