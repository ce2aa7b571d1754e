/** What the pre-check feature offers the other features: the case screen's 预审 tab, the campaign's section. */
export { PrecheckPanel, type PrecheckPanelProps } from './PrecheckPanel';
export { PrecheckCampaignPanel } from './PrecheckCampaignPanel';
