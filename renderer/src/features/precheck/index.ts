/** What the pre-check feature offers the other features (the case screen's 预审 tab). */
export { PrecheckPanel, type PrecheckPanelProps } from './PrecheckPanel';
