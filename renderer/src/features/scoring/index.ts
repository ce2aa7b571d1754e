/** What the scoring feature offers the other features; they import it from here and nowhere else. */
export { WithdrawDialog } from './ReviewPanel';
export { BoardCell, ReviewStateBadge } from './ReviewStateBadge';
export type { ScoreSheetHandle } from './ScoreSheet';
export { CampaignMyWork, MY_WORK_QUERY, MyWorkLine } from './MyWork';
export { SidePanel } from './SidePanel';
export type { SideTab } from './SidePanel';
export { evidenceLabel } from './evidence';
export { RECONCILE_KEY_HELP, SHEET_KEY_HELP, isTyping } from './keys';
