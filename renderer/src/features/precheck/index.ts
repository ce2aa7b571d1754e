/** What the pre-check feature offers the other features: the case screen's 预审 tab, the campaign's section, the rules' 采纳率 on the agreement screen. */
export { PrecheckPanel, type PrecheckPanelProps } from './PrecheckPanel';
export { PrecheckCampaignPanel } from './PrecheckCampaignPanel';
export { PrecheckRuleTable } from './PrecheckRuleTable';
export { findingMarks, markComment, PRECHECK_MARK_COLOR, type PdfPages } from './marks';
