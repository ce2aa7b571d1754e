/** What the campaigns feature offers the other features; they import it from here and nowhere else. */
export { CampaignPageHead } from './CampaignSubnav';
