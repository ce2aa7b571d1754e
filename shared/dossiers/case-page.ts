/**
 * One page of a campaign's case list: filtered, sorted, and read page by page with a keyset cursor
 * (the last row's sort values), so a province's 20,000 files never travel at once and a page reads
 * only its own rows whatever the campaign's size.
 */
import { z } from 'zod';
import { CASE_TYPES } from '../campaigns/case-types.js';
import { REVIEW_STAGES, REVIEW_STATES } from '../panel/review-states.js';
import { BoardRowSchema } from '../panel/views.js';
import { ScoreSummarySchema } from '../scoring/sheet.js';
import { CaseSchema } from './dossier.js';
import { CASE_SORTS } from './case-sorts.js';

export { CASE_SORTS, CASE_SORT_LABELS, type CaseSort } from './case-sorts.js';

export const CASE_PAGE_MAX = 500;

export const CaseFilterSchema = z.strictObject({
  unitId: z.string().min(1).max(100).optional(),
  caseType: z.enum(CASE_TYPES).optional(),
  state: z.enum(REVIEW_STATES).optional(),
  /** Where the file stands as its row says it (待复核, 待集体评议…): the case list's filter. */
  stage: z.enum(REVIEW_STAGES).optional(),
  /** Only the files of the campaign's current draw (the list's default once it drew). */
  drawn: z.boolean().optional(),
  /** Files assigned to this reviewer. */
  reviewerId: z.string().min(1).max(100).optional(),
  /** Part of the 案号, case name, party or unit name. */
  text: z.string().trim().max(100, '搜索内容过长').optional(),
});
export type CaseFilter = z.infer<typeof CaseFilterSchema>;

export const CasePageInputSchema = z.strictObject({
  campaignId: z.string().min(1, '缺少评查活动').max(100),
  filter: CaseFilterSchema.default({}),
  sort: z.enum(CASE_SORTS).default('caseNumber'),
  /** The `next` of the previous page; omitted for the first page. */
  after: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(CASE_PAGE_MAX).default(100),
});
export type CasePageInput = z.input<typeof CasePageInputSchema>;
/** The input as the dispatcher hands it on (defaults filled in). */
export type CasePageQuery = z.output<typeof CasePageInputSchema>;

export const CaseListRowSchema = CaseSchema.extend({
  myScore: ScoreSummarySchema.nullable(),
  /** The file's review state and final result as the results board shows it. */
  board: BoardRowSchema,
  /** Drawn or not and who reviews it; null for reviewers (blind review names nobody else). */
  panel: z.object({ drawn: z.boolean(), reviewers: z.array(z.object({ id: z.string(), name: z.string() })) }).nullable(),
});
export type CaseListRow = z.infer<typeof CaseListRowSchema>;

export const CasePageSchema = z.object({
  rows: z.array(CaseListRowSchema),
  /** How many files match the filter (all pages). */
  total: z.number().int(),
  /** Where the next page starts; null on the last page. */
  next: z.string().nullable(),
  /** Whether the campaign drew the files to review (null for reviewers). */
  drawn: z.boolean().nullable(),
  /**
   * How many files stand at each stage under the other filters (the stage filter left out), beside
   * each choice of the filter; on the first page only (null on the pages after it).
   */
  stageCounts: z.record(z.enum(REVIEW_STAGES), z.number().int()).nullable(),
  /**
   * How many files' stored review results are still being brought up to date (after an upgrade, a
   * large package merged); the stage counts and the state filter read the figures stored before.
   * Null when every file is current.
   */
  pending: z.number().int().nullable(),
});
export type CasePage = z.infer<typeof CasePageSchema>;
