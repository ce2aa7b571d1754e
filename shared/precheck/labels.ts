/** How a reviewer handled a pre-check finding, in words (zod-free, for the screens and the overview). */
export const PRECHECK_DECISIONS = ['taken', 'rejected'] as const;
export type PrecheckDecision = (typeof PRECHECK_DECISIONS)[number];
export const PRECHECK_DECISION_LABELS: Record<PrecheckDecision | 'open', string> = { taken: '采纳', rejected: '不采纳', open: '未处理' };
