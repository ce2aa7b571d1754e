/** A score sheet's statuses and their labels (sheet.ts holds the schemas and re-exports these; kept free of zod for the screens). */

/** The life of a sheet is the state machine in ./sheet-state.ts. */
export const SHEET_STATUSES = ['draft', 'submitted', 'reopened', 'final'] as const;
export type SheetStatus = (typeof SHEET_STATUSES)[number];
export const SHEET_STATUS_LABELS: Record<SheetStatus, string> = {
  draft: '评查中',
  submitted: '已提交',
  reopened: '已退回修改',
  final: '已定分',
};
