/** What the review and reconciliation channels return (plain JSON, checked by the dispatcher). */
import { z } from 'zod';
import { ANNOTATION_TYPES } from '../annotations/annotation.js';
import { SHEET_STATUSES, ScoreSummarySchema, SheetSchema } from '../scoring/sheet.js';
import { StandardDefinitionSchema } from '../standards/model.js';
import { AnswerSchema } from '../scoring/answer.js';
import { DIVERGENCE_RULE_KINDS, REVIEW_ROUTES } from './divergence.js';
import { FINAL_SOURCES, REVIEW_STATES } from './review-states.js';

export * from './review-states.js';

export const ReviewSheetSchema = z.object({
  sheetId: z.string(),
  reviewerId: z.string(),
  reviewerName: z.string(),
  status: z.enum(SHEET_STATUSES),
  answeredCount: z.number().int(),
  itemCount: z.number().int(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  reopenReason: z.string().nullable(),
  /** Null while blind review hides it from the caller. */
  summary: ScoreSummarySchema.nullable(),
});
export type ReviewSheet = z.infer<typeof ReviewSheetSchema>;

export const FinalResultSchema = z.object({
  summary: ScoreSummarySchema,
  source: z.enum(FINAL_SOURCES),
  finalisedAt: z.string(),
  finalisedByName: z.string().nullable(),
  note: z.string(),
});

export const CaseReviewSchema = z.object({
  caseId: z.string(),
  campaignId: z.string(),
  state: z.enum(REVIEW_STATES),
  /** Who decides a flagged file (the lead's choice, else what the rules say); null unless flagged. */
  route: z.enum(REVIEW_ROUTES).nullable(),
  /** True when the lead chose the route instead of the rules. */
  routeChosen: z.boolean(),
  /** The named 复核 person. */
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Why the file was flagged (empty while blind review hides the other sheets). */
  reasons: z.array(z.string()),
  delivered: z.number().int(),
  required: z.number().int(),
  sheets: z.array(ReviewSheetSchema),
  mySheetId: z.string().nullable(),
  final: FinalResultSchema.nullable(),
  seesAll: z.boolean(),
  /** Lead or organiser: may reopen sheets, choose the route, withdraw a final result. */
  canManage: z.boolean(),
  /** May set agreed answers and settle the file now. */
  canReconcile: z.boolean(),
  revision: z.number().int(),
});
export type CaseReview = z.infer<typeof CaseReviewSchema>;

export const BoardRowSchema = z.object({
  caseId: z.string(),
  state: z.enum(REVIEW_STATES),
  route: z.enum(REVIEW_ROUTES).nullable(),
  assigneeName: z.string().nullable(),
  delivered: z.number().int(),
  sheets: z.number().int(),
  final: z.object({ total: z.number(), grade: z.string(), vetoed: z.boolean() }).nullable(),
  /** The caller's own part in the file: assigned to score it, and their sheet's status (null: not started). */
  mine: z.object({ assigned: z.boolean(), status: z.enum(SHEET_STATUSES).nullable() }),
});
export type BoardRow = z.infer<typeof BoardRowSchema>;

/** Rows of the results board read at most at once (a province's 20,000 files are read page by page). */
export const BOARD_PAGE_MAX = 500;

/** What the results board filters on: a review state, the routes of flagged files, the caller's own files. */
export const BoardFilterSchema = z.strictObject({
  state: z.enum(REVIEW_STATES).optional(),
  /** Flagged files sent this way (blind review: only files whose route the caller may see). */
  routes: z.array(z.enum(REVIEW_ROUTES)).min(1).max(REVIEW_ROUTES.length).optional(),
  /** Only the files the caller scores (assigned, or with a sheet of their own). */
  mine: z.boolean().optional(),
});
export type BoardFilter = z.infer<typeof BoardFilterSchema>;

export const BoardPageInputSchema = z.strictObject({
  campaignId: z.string().min(1, '缺少评查活动').max(100),
  filter: BoardFilterSchema.default({}),
  /** The `next` of the previous page; omitted for the first page. */
  after: z.string().max(2000).optional(),
  /** 0 reads the counts alone (a reviewer's workload line). */
  limit: z.number().int().min(0).max(BOARD_PAGE_MAX).default(200),
});

export const BoardPageSchema = z.object({
  /** The files under the filter in 案号 order, a page of them. */
  rows: z.array(BoardRowSchema),
  /** How many files match the filter (all pages). */
  total: z.number().int(),
  /** Where the next page starts; null on the last page. */
  next: z.string().nullable(),
  /**
   * Every file the caller sees, counted by state, by route (only files whose route the caller may
   * see) and the caller's own workload: what stands beside each choice of the filter.
   */
  counts: z.object({
    states: z.record(z.enum(REVIEW_STATES), z.number().int()),
    routes: z.record(z.enum(REVIEW_ROUTES), z.number().int()),
    mine: z.object({ pending: z.number().int(), submitted: z.number().int() }),
  }),
});
export type BoardPage = z.infer<typeof BoardPageSchema>;

export const EvidenceRefSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  documentTitle: z.string(),
  pageIndex: z.number().int(),
  type: z.enum(ANNOTATION_TYPES),
  selectedText: z.string().nullable(),
  comment: z.string().nullable(),
  authorName: z.string(),
});
export type EvidenceRef = z.infer<typeof EvidenceRefSchema>;

export const AgreedItemSchema = z.object({
  answer: AnswerSchema,
  note: z.string(),
  /** panel: decided in the reconciliation; agreed: every sheet said so. */
  origin: z.enum(['panel', 'agreed']),
  decidedByName: z.string().nullable(),
  updatedAt: z.string(),
});
export type AgreedItem = z.infer<typeof AgreedItemSchema>;

export const DivergenceReasonSchema = z.object({
  rule: z.enum(DIVERGENCE_RULE_KINDS),
  route: z.enum(REVIEW_ROUTES),
  message: z.string(),
});

export const ReconcileViewSchema = z.object({
  review: CaseReviewSchema,
  caseNumber: z.string(),
  caseTitle: z.string(),
  unitName: z.string(),
  standardName: z.string(),
  definition: StandardDefinitionSchema,
  sheets: z.array(z.object({ sheet: SheetSchema, answers: z.record(z.string(), AnswerSchema), summary: ScoreSummarySchema })),
  agreed: z.record(z.string(), AgreedItemSchema),
  /** Items where every sheet agrees, with that answer; and the items the panel must decide. */
  proposal: z.object({ answers: z.record(z.string(), AnswerSchema), undecided: z.array(z.string()) }),
  divergence: z.object({ reasons: z.array(DivergenceReasonSchema), spread: z.number(), differingItems: z.array(z.string()) }),
  evidence: z.array(EvidenceRefSchema),
  editable: z.boolean(),
});
export type ReconcileView = z.infer<typeof ReconcileViewSchema>;

const share = z.number().nullable();
export const AgreementViewSchema = z.object({
  files: z.number().int(),
  minFiles: z.number().int(),
  units: z.number().int(),
  agreeShare: share,
  meanAbsDiff: share,
  alphaNominal: share,
  alphaInterval: share,
  items: z.array(
    z.object({
      versionId: z.string(),
      standardName: z.string(),
      itemId: z.string(),
      code: z.string(),
      text: z.string(),
      files: z.number().int(),
      agreeShare: share,
      meanAbsDiff: share,
      alpha: share,
    }),
  ),
  raters: z.array(
    z.object({
      raterId: z.string(),
      raterName: z.string(),
      files: z.number().int(),
      comparisons: z.number().int(),
      agreeShare: share,
      meanAbsDiff: share,
      finalComparisons: z.number().int(),
      finalAgreeShare: share,
      finalMeanAbsDiff: share,
    }),
  ),
});
export type AgreementView = z.infer<typeof AgreementViewSchema>;
