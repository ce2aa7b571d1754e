/** What the campaigns feature offers the other features; they import it from here and nowhere else. */
export type { CampaignsService } from './campaigns-service.js';
export { campaignUnitContext, findCampaignUnit } from './units.js';
export type { ImportedUnitResolution, UnitsService } from './units.js';
