/**
 * 整改台账: one row per problem of a file's final result, tracked by the bureau to closure (销号).
 * 逾期 is not stored: a row past its deadline and not closed IS overdue, so it can never be forgotten.
 */
import { z } from 'zod';

export const LEDGER_STATUSES = ['pending', 'in_progress', 'awaiting_check', 'closed'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];
export const LEDGER_STATUS_LABELS: Record<LedgerStatus, string> = {
  pending: '待整改',
  in_progress: '整改中',
  awaiting_check: '已整改待核',
  closed: '已销号',
};

/** Where a ledger row comes from: the review's final results, or a problem entered by hand. */
export const LEDGER_SOURCES = ['review', 'special', 'inspection', 'complaint', 'other'] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];
export const MANUAL_SOURCES = ['special', 'inspection', 'complaint', 'other'] as const;
export const LEDGER_SOURCE_LABELS: Record<LedgerSource, string> = {
  review: '案卷评查',
  special: '专项整治',
  inspection: '法治督察',
  complaint: '投诉举报',
  other: '其他',
};

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 年-月-日');

/** Overdue: not closed, and today is past the deadline. */
export function isOverdue(row: { status: LedgerStatus; deadline: string | null }, today: string): boolean {
  return row.status !== 'closed' && !!row.deadline && row.deadline < today.slice(0, 10);
}

/**
 * 整改状态 as the screen and the exported ledger write it: the state, and 逾期 beside it when the
 * deadline has passed — two facts, so a unit 整改中 past its deadline still reads 整改中.
 */
export function ledgerStatusText(row: { status: LedgerStatus; overdue: boolean }, separator = ''): string {
  return row.overdue ? `${LEDGER_STATUS_LABELS[row.status]}${separator}（逾期）` : LEDGER_STATUS_LABELS[row.status];
}

/** 问题编号: campaign year and a campaign-wide serial, e.g. ZG2025-007. */
export const problemNumber = (year: number, serial: number): string => `ZG${year}-${String(serial).padStart(3, '0')}`;

export const LedgerEvidenceSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  size: z.number().int(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
export type LedgerEvidence = z.infer<typeof LedgerEvidenceSchema>;

export const LedgerRowSchema = z.object({
  id: z.string(),
  number: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  caseTitle: z.string(),
  pages: z.string(),
  description: z.string(),
  category: z.string(),
  itemCode: z.string(),
  itemText: z.string(),
  deduction: z.string(),
  /** 依据: the law and article the standard item rests on ('' when it names none, and for rows entered by hand). */
  basis: z.string(),
  /** 整改要求: for a review problem the very words the 意见书 uses (rectificationRequirement); by hand, what was typed. */
  requirement: z.string(),
  /** 整改措施: what the unit does about it (filled in as the rectification goes on). */
  measure: z.string(),
  responsible: z.string(),
  deadline: z.string().nullable(),
  status: z.enum(LEDGER_STATUSES),
  /** Past its deadline and not closed (derived, never stored); the state above stays what it is. */
  overdue: z.boolean(),
  checker: z.string(),
  checkOpinion: z.string(),
  closedOn: z.string().nullable(),
  evidence: z.array(LedgerEvidenceSchema),
  revision: z.number().int(),
  /** The problem is no longer in the file's final result (the result changed after the row was made). */
  withdrawn: z.boolean(),
  source: z.enum(LEDGER_SOURCES),
});
export type LedgerRow = z.infer<typeof LedgerRowSchema>;

export const LedgerPatchSchema = z.strictObject({
  measure: z.string().trim().max(1000, '整改措施过长').optional(),
  responsible: z.string().trim().max(50, '责任人过长').optional(),
  deadline: IsoDate.nullable().optional(),
  status: z.enum(LEDGER_STATUSES, { error: '请选择整改状态' }).optional(),
  checker: z.string().trim().max(50, '核查人过长').optional(),
  checkOpinion: z.string().trim().max(1000, '核查意见过长').optional(),
  closedOn: IsoDate.nullable().optional(),
});
export type LedgerPatch = z.infer<typeof LedgerPatchSchema>;

/** A problem entered by hand: the same fields a score-derived row carries, typed by the bureau. */
export const LedgerEntrySchema = z.strictObject({
  unitId: z.string().min(1, '请选择被评查单位'),
  source: z.enum(MANUAL_SOURCES, { error: '请选择问题来源' }),
  subject: z.string().trim().max(200, '案号/事项过长'),
  description: z.string().trim().min(2, '请填写问题').max(1000, '问题描述过长'),
  measure: z.string().trim().min(2, '请填写整改要求').max(1000, '整改要求过长'),
  responsible: z.string().trim().max(50, '责任人过长'),
  deadline: IsoDate,
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/** A deadline before today is almost always a typing slip: the person confirms it first. */
export const deadlinePast = (deadline: string | null | undefined, today: string): boolean => !!deadline && deadline < today.slice(0, 10);

/** Why a row cannot take this shape, in Chinese, or null. */
export function ledgerRowProblem(row: Pick<LedgerRow, 'status' | 'checker' | 'checkOpinion' | 'closedOn' | 'deadline'>): string | null {
  if (row.status === 'closed') {
    if (!row.checker.trim()) return '销号前请填写核查人。';
    if (!row.checkOpinion.trim()) return '销号前请填写核查意见。';
    if (!row.closedOn) return '销号前请填写销号日期。';
  } else if (row.closedOn) return '只有已销号的问题才有销号日期。';
  return null;
}

/** 按状态筛选: a stored status, or 已撤回 (a problem no longer in its file's final result). */
export const LEDGER_STATE_FILTERS = [...LEDGER_STATUSES, 'withdrawn'] as const;
export type LedgerStateFilter = (typeof LEDGER_STATE_FILTERS)[number];
export const LEDGER_STATE_FILTER_LABELS: Record<LedgerStateFilter, string> = {
  pending: '待整改',
  in_progress: '整改中',
  awaiting_check: '已整改待核',
  closed: '已销号',
  withdrawn: '已撤回',
};

/** 按来源筛选: one source, or every problem entered by hand. */
export const LEDGER_SOURCE_FILTERS = [...LEDGER_SOURCES, 'manual'] as const;
export type LedgerSourceFilter = (typeof LEDGER_SOURCE_FILTERS)[number];
export const LEDGER_SOURCE_FILTER_LABELS: Record<LedgerSourceFilter, string> = { ...LEDGER_SOURCE_LABELS, manual: '手工添加（全部）' };

export const LEDGER_SORTS = ['serial', 'deadline'] as const;
export type LedgerSort = (typeof LEDGER_SORTS)[number];
export const LEDGER_SORT_LABELS: Record<LedgerSort, string> = { serial: '按问题编号', deadline: '按整改时限' };

export const LEDGER_PAGE_MAX = 500;

/**
 * What the ledger is narrowed to. Without a state, rows still tracked (已撤回 left out, as the
 * exported ledger leaves them out); 逾期 combines with any state (整改中 and 逾期).
 */
export const LedgerFilterSchema = z.strictObject({
  unitId: z.string().min(1).max(100).optional(),
  state: z.enum(LEDGER_STATE_FILTERS).optional(),
  overdue: z.boolean().optional(),
  source: z.enum(LEDGER_SOURCE_FILTERS).optional(),
  /** Part of the 问题编号, 案号/事项, problem, unit or 责任人. */
  text: z.string().trim().max(100, '搜索内容过长').optional(),
});
export type LedgerFilter = z.infer<typeof LedgerFilterSchema>;

export const LedgerPageInputSchema = z.strictObject({
  campaignId: z.string().min(1, '缺少评查活动').max(100),
  filter: LedgerFilterSchema.default({}),
  sort: z.enum(LEDGER_SORTS).default('serial'),
  /** The `next` of the previous page; omitted for the first page. */
  after: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(LEDGER_PAGE_MAX).default(100),
});
export type LedgerPageInput = z.input<typeof LedgerPageInputSchema>;
export type LedgerPageQuery = z.output<typeof LedgerPageInputSchema>;

/**
 * Rows under the filter beside each choice: each state under the other filters (逾期 included when
 * chosen), and 逾期 under the other filters (the state included when chosen).
 */
export const LedgerCountsSchema = z.object({
  /** Every row still tracked (not 已撤回). */
  all: z.number().int(),
  pending: z.number().int(),
  in_progress: z.number().int(),
  awaiting_check: z.number().int(),
  closed: z.number().int(),
  withdrawn: z.number().int(),
  overdue: z.number().int(),
});
export type LedgerCounts = z.infer<typeof LedgerCountsSchema>;

export const LedgerPageSchema = z.object({
  rows: z.array(LedgerRowSchema),
  /** How many rows match the filter (all pages). */
  total: z.number().int(),
  counts: LedgerCountsSchema,
  /** Where the next page starts; null on the last page. */
  next: z.string().nullable(),
  today: z.string(),
  /** Problems of the final results not yet in the ledger (whole campaign). */
  unsynced: z.number().int(),
});
export type LedgerPage = z.infer<typeof LedgerPageSchema>;

/** 问题编号 typed in the search box (ZG2025-012, or just 12): the serial it names, or null. */
export function serialOf(text: string): number | null {
  const m = /^(?:ZG\d{4}-)?0*(\d{1,7})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}
