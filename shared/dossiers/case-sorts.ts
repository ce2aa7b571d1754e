/**
 * The case list's sort orders, apart from the list's schemas: the campaign screen is on the start-up
 * path, which stays free of zod.
 */

/** 案号 in reading order (第2号 before 第10号), or by unit and then 案号. */
export const CASE_SORTS = ['caseNumber', 'unit'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const CASE_SORT_LABELS: Record<CaseSort, string> = { caseNumber: '按案号', unit: '按单位' };
