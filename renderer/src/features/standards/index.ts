/** What the standards feature offers the other features; they import it from here and nowhere else. */
export { CampaignStandardsPanel, MissingStandardsNotice } from './CampaignStandardsPanel';
