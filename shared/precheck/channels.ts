/**
 * The pre-check channels of the API contract (merged in shared/contract/index.ts): a file's findings
 * with the caller's own decision on each (blind review: never another reviewer's), the caller's
 * 采纳/不采纳, running the pre-check over a campaign or one file as a job, and the campaign overview
 * as XLSX. Findings are machine suggestions; nothing here changes a score.
 */
import { z } from 'zod';
import { channel, id, JobStarted } from '../contract/channel.js';
import { DownloadSchema } from '../letters/api.js';
import { PRECHECK_DECISIONS } from './labels.js';

export { PRECHECK_DECISIONS, PRECHECK_DECISION_LABELS, type PrecheckDecision } from './labels.js';

/** A page a finding rests on: the file (document) and its 0-based page, and the 1-based page of the whole 案卷. */
export const PrecheckPageSchema = z.object({
  documentId: z.string(),
  pageIndex: z.number().int().min(0),
  casePage: z.number().int().min(1),
});
export type PrecheckPage = z.infer<typeof PrecheckPageSchema>;

export const PrecheckFindingViewSchema = z.object({
  id: z.string(),
  rule: z.string(),
  title: z.string(),
  message: z.string(),
  severity: z.enum(['veto', 'deduction', 'note']),
  statute: z.string(),
  /** The checklist item it suggests (参考评查标准 id) and the others it touches. */
  itemId: z.string(),
  items: z.array(z.string()),
  pages: z.array(PrecheckPageSchema),
  /** The text each fact was read from, with its page. */
  quotes: z.array(z.object({ page: z.number().int(), text: z.string() })),
  facts: z.record(z.string(), z.union([z.string(), z.number()])),
  /** 1 for a text layer; for OCR text, the recogniser's confidence on the pages it rests on. */
  confidence: z.number().min(0).max(1),
  engine: z.string(),
  /** The caller's own decision, null while open. */
  decision: z.enum(PRECHECK_DECISIONS).nullable(),
  reason: z.string(),
});
export type PrecheckFindingView = z.infer<typeof PrecheckFindingViewSchema>;

export const PrecheckCaseViewSchema = z.object({
  caseId: z.string(),
  /** Null until the pre-check has run on this file. */
  run: z
    .object({
      engine: z.string(),
      ranAt: z.string(),
      pages: z.number().int(),
      /** Scanned pages OCR has not read yet: the findings do not cover them. */
      pagesUnread: z.number().int(),
      /** Findings held back until those pages are read (they would rest on what the unread pages may hold). */
      findingsWithheld: z.number().int(),
      caseNumber: z.string().nullable(),
      caseType: z.string(),
    })
    .nullable(),
  /** The file's text changed since (OCR read more pages) or the rules did: a newer run is due. */
  stale: z.boolean(),
  /** Recognition of the campaign's scans was cancelled (取消): unread pages stay unread until 开始识别. */
  ocrCancelled: z.boolean(),
  /** The caller may still 采纳/不采纳: false once their sheet of the file is submitted. */
  decidable: z.boolean(),
  findings: z.array(PrecheckFindingViewSchema),
});
export type PrecheckCaseView = z.infer<typeof PrecheckCaseViewSchema>;

/** How the panel handled one rule's findings (per unit, or （全部单位）). */
export const PrecheckRuleAgreementSchema = z.object({
  unit: z.string(),
  rule: z.string(),
  title: z.string(),
  files: z.number().int(),
  findings: z.number().int(),
  /** Reviewers' decisions (one per reviewer and finding). */
  taken: z.number().int(),
  rejected: z.number().int(),
  /** Findings nobody has decided on yet. */
  open: z.number().int(),
  /** taken / (taken + rejected): the rule's precision as the panel measured it; null before any decision. */
  takenShare: z.number().min(0).max(1).nullable(),
});
export type PrecheckRuleAgreement = z.infer<typeof PrecheckRuleAgreementSchema>;

/** The campaign's pre-check at a glance (the 智能预审 card; the XLSX states the same figures). */
export const PrecheckSummarySchema = z.object({
  /** Files to check: cases with at least one PDF. */
  files: z.number().int(),
  /** Listed cases without a PDF (缺卷): counted apart, never as checked or unchecked files. */
  missing: z.number().int(),
  /** Files checked over every page. */
  complete: z.number().int(),
  /** Files checked over the pages read so far, and the scanned pages still unread in them. */
  partial: z.number().int(),
  pagesUnread: z.number().int(),
  findings: z.number().int(),
  /** Reviewers' decisions (one per reviewer and finding), and findings nobody has decided yet. */
  taken: z.number().int(),
  rejected: z.number().int(),
  open: z.number().int(),
});
export type PrecheckSummary = z.infer<typeof PrecheckSummarySchema>;

/** One 文书 of the map within one PDF (a 文书 running over two PDFs, or around unread pages, is cut). */
export const DocumentMapEntrySchema = z.object({
  /** A 文书 type of documents.ts, or 'unread' for scanned pages OCR has not read yet. */
  type: z.string(),
  label: z.string(),
  /** As printed on its first page. */
  title: z.string(),
  documentId: z.string(),
  /** 0-based pages within that PDF. */
  fromIndex: z.number().int().min(0),
  toIndex: z.number().int().min(0),
  /** 1-based pages of the whole 案卷. */
  firstPage: z.number().int().min(1),
  lastPage: z.number().int().min(1),
  /** The rest of a 文书 begun before (after unread pages, or in the next PDF). */
  continued: z.boolean(),
  unread: z.boolean(),
  /** Its text comes from OCR. */
  ocr: z.boolean(),
});
export type DocumentMapEntry = z.infer<typeof DocumentMapEntrySchema>;

export const DocumentMapViewSchema = z.object({
  caseId: z.string(),
  pages: z.number().int(),
  /** Scanned pages OCR has not read yet. */
  unreadPages: z.number().int(),
  /** The file has a 卷内目录 of its own. */
  hasCatalogue: z.boolean(),
  /** Its rows as read: the 文书 named and the stamped page numbers it gives. */
  catalogue: z.array(z.object({ title: z.string(), from: z.number().int(), to: z.number().int(), row: PrecheckPageSchema })),
  /** The 目录 against the file: listed but missing, present but unlisted, page numbers that disagree. */
  issues: z.array(z.object({ kind: z.enum(['missing', 'unlisted', 'pages']), message: z.string(), pages: z.array(PrecheckPageSchema) })),
  documents: z.array(DocumentMapEntrySchema),
});
export type DocumentMapView = z.infer<typeof DocumentMapViewSchema>;

export const precheckChannels = {
  /** The campaign's pre-check figures: files checked, findings and how reviewers handled them (counted, never named). */
  'precheck:summary': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: PrecheckSummarySchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
  /**
   * The 文书 map of a file (type, title, page range per PDF) and its 卷内目录 held against it, from the
   * text as read so far. Machine reading, so every reader of the file sees it, blind review included.
   */
  'precheck:documentMap': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: DocumentMapViewSchema,
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
  /** The pre-check findings of a file, with the caller's own decision on each. */
  'precheck:case': channel({
    input: z.strictObject({ caseId: id('案卷') }),
    output: PrecheckCaseViewSchema,
    access: 'user',
    scope: 'case',
    writes: 'none',
  }),
  /**
   * The caller takes (采纳) or rejects (不采纳, with an optional reason) a finding, or reopens it
   * (null). Audited; the deduction itself is the reviewer's own answer on the sheet.
   */
  'precheck:decide': channel({
    input: z.strictObject({
      caseId: id('案卷'),
      findingId: id('预审提示'),
      decision: z.enum(PRECHECK_DECISIONS).nullable(),
      reason: z.string().trim().max(500, '理由不超过 500 字').default(''),
    }),
    output: PrecheckFindingViewSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'case',
    writes: 'scoring',
  }),
  /**
   * Runs the pre-check over the campaign's files (or one file) whose text or rules changed since their
   * last run, as a job. It only derives findings from stored text, so any copy may run it.
   */
  'precheck:run': channel({
    input: z.strictObject({ campaignId: id('评查活动'), caseId: z.string().max(100).optional(), force: z.boolean().default(false) }),
    output: JobStarted,
    access: ['organiser', 'lead'],
    scope: 'campaignOrFile',
    writes: 'none',
  }),
  /** Per rule, how often the panel took its findings (the agreement screen; every reviewer's decisions, counted, never named). */
  'precheck:rules': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: z.array(PrecheckRuleAgreementSchema),
    access: ['organiser', 'lead'],
    scope: 'campaign',
    writes: 'none',
  }),
  /** The campaign's pre-check overview as XLSX: per file its findings (unit, 案号, rule, page, how each was handled). */
  'precheck:export': channel({
    input: z.strictObject({ campaignId: id('评查活动') }),
    output: DownloadSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'campaign',
    writes: 'none',
  }),
} as const;
