/** Shapes of the import, unit and job channels (the contract's import block uses these). */
import { z } from 'zod';
import { CASE_TYPES } from '../campaigns/case-types.js';
import { UnitSchema } from '../dossiers/dossier.js';
import { LIST_FIELDS } from './fields.js';
import { FILE_REJECTIONS, ROW_OUTCOMES } from './outcomes.js';

const sourceId = z.string().min(1, '缺少上传文件').max(100);

export const UnitViewSchema = UnitSchema.extend({ caseCount: z.number().int() });
export type UnitView = z.infer<typeof UnitViewSchema>;

export const UnitSaveSchema = z.strictObject({
  campaignId: z.string().min(1, '缺少评查活动').max(100),
  unitId: z.string().max(100).optional(),
  name: z.string().trim().min(1, '请填写单位名称').max(200, '单位名称过长'),
  shortName: z.string().trim().max(50, '简称过长').default(''),
  field: z.string().trim().max(50, '所属系统过长').default(''),
  regionCode: z
    .string()
    .trim()
    .regex(/^(\d{6})?$/, '行政区划代码应为 6 位数字（GB/T 2260），如 430623')
    .default(''),
});

/** Field → column index; null = the list has no such column. */
export const MappingSchema = z.partialRecord(z.enum(LIST_FIELDS), z.number().int().min(0).max(200).nullable());
/** A mapping remembered for a unit: each field by the normalised header text of its column. */
export const SavedMappingSchema = z.partialRecord(z.enum(LIST_FIELDS), z.string());

export const ListLayoutSchema = z.object({
  fileName: z.string(),
  sheets: z.array(z.string()),
  sheetName: z.string(),
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  /** The first rows of the sheet as text (to pick the header row and check the mapping). */
  rows: z.array(z.array(z.string())),
  rowCount: z.number().int(),
  mapping: MappingSchema,
  /** Where the mapping came from: saved for this unit, or guessed from the header names. */
  mappingSource: z.enum(['saved', 'guessed']),
  savedFor: z.string().nullable(),
});
export type ListLayout = z.infer<typeof ListLayoutSchema>;

export const ReadListInputSchema = z.strictObject({
  sourceId,
  sheetName: z.string().max(200).optional(),
  headerRow: z.number().int().min(0).max(200).optional(),
  unitName: z.string().trim().max(200).optional(),
});

const ListChoiceSchema = z.strictObject({
  sourceId,
  sheetName: z.string().max(200),
  headerRow: z.number().int().min(0).max(200),
  mapping: MappingSchema,
});

export const ImportRequestSchema = z.strictObject({
  campaignId: z.string().min(1, '缺少评查活动').max(100),
  /** PDFs, folders' files and zips, as staged uploads. */
  sourceIds: z.array(sourceId).max(50_000, '一次最多导入 50000 个文件'),
  list: ListChoiceSchema.optional(),
  defaults: z
    .strictObject({
      unitName: z.string().trim().max(200, '单位名称过长').optional(),
      caseType: z.enum(CASE_TYPES, { error: '请选择案件类型' }).optional(),
    })
    .default({}),
  /** Unit names of the list the person keeps as new units, though they match a known unit. */
  keepUnitNames: z.array(z.string().max(200)).max(1000).default([]),
});
export type ImportRequest = z.output<typeof ImportRequestSchema>;

export const ImportStartSchema = ImportRequestSchema.extend({
  /** Corrections from the review screen: file key → target key (a row or "case:<id>"), or null to leave the file out. */
  assignments: z.record(z.string().max(200), z.string().max(200).nullable()).default({}),
  /** Register list rows that got no PDF as cases without files (缺卷), so the unit can be asked for them. */
  registerRowsWithoutFiles: z.boolean().default(true),
  /** Remember this list's column mapping for the unit (by name). */
  saveMappingFor: z.string().trim().max(200).optional(),
});
export type ImportStart = z.output<typeof ImportStartSchema>;

const IssueSchema = z.object({
  field: z.string().nullable(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  /** The cell as written and what is stored from it, when the value was not stored as written. */
  raw: z.string().optional(),
  stored: z.string().optional(),
  /** What holds for the whole column (said once above the rows), and what is particular to this row. */
  note: z.string().optional(),
  detail: z.string().optional(),
});

export const PreviewRowSchema = z.object({
  key: z.string(),
  rowNumber: z.number().int().nullable(),
  caseNumber: z.string(),
  title: z.string(),
  unitName: z.string(),
  caseType: z.enum(CASE_TYPES).nullable(),
  party: z.string(),
  filedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  penaltyAmount: z.number().nullable(),
  confiscatedAmount: z.number().nullable(),
  /** new: becomes a case; existing: the 案号 is already in the campaign; error / duplicate: not registered. */
  status: z.enum(['new', 'existing', 'error', 'duplicate']),
  /** Where the target came from: a list row, a case already in the campaign, or a file name. */
  origin: z.enum(['list', 'campaign', 'fileName']),
  issues: z.array(IssueSchema),
  fileKeys: z.array(z.string()),
  /** Files the case already has in the campaign (an existing case re-listed is not a missing dossier). */
  documentsInCampaign: z.number().int().min(0),
});
export type PreviewRow = z.infer<typeof PreviewRowSchema>;

/** A file whose name says one case and whose pages another; 按内容登记 (contentTarget) is the default. */
export const NameMismatchSchema = z.object({
  /** What in the name pointed elsewhere: its 案号, or the party, title or 序号 of another row. */
  by: z.enum(['caseNumber', 'party', 'title', 'serial']),
  fileSays: z.string(),
  /** The 案号 the pages state. */
  contentSays: z.string(),
  contentTarget: z.string(),
  /** The case the name gives (a row, a case of the campaign, or a new case under the name's 案号), or null. */
  nameTarget: z.string().nullable(),
});
export type NameMismatch = z.infer<typeof NameMismatchSchema>;

export const PreviewFileSchema = z.object({
  key: z.string(),
  path: z.string(),
  size: z.number(),
  target: z.string().nullable(),
  how: z.enum(['caseNumber', 'yearSerial', 'title', 'party', 'serial', 'content', 'fileName']).nullable(),
  /** The 案号 read from the file's own first pages, when its name did not settle the case. */
  content: z
    .object({ caseNumber: z.string(), pageIndex: z.number().int(), source: z.enum(['text', 'ocr']) })
    .nullable()
    .optional(),
  /** The 案号 in the file's name when it contradicts the one its pages state (a typo in the name). */
  nameConflict: z.string().nullable().optional(),
  mismatch: NameMismatchSchema.nullable().optional(),
  candidates: z.array(z.string()),
  /** Refused before import (not a PDF, unsafe zip entry …), with the reason. */
  refusal: z.object({ code: z.enum(Object.keys(FILE_REJECTIONS) as [keyof typeof FILE_REJECTIONS]), message: z.string() }).nullable(),
});
export type PreviewFile = z.infer<typeof PreviewFileSchema>;

/** A unit name of the list that stands for a known unit: 县市场监管局 → 清溪县市场监督管理局（别名）. */
export const UnitMatchSchema = z.object({
  /** As the list (or the default unit) writes it. */
  imported: z.string(),
  /** The unit the rows are registered under. */
  unitName: z.string(),
  how: z.enum(['written', 'region', 'alias', 'remembered']),
  /** The campaign has this unit already (otherwise it is known from another campaign or the same list). */
  existing: z.boolean(),
  /** List rows with this name. */
  rows: z.number().int(),
  /** The person chose to keep the name as a new unit (keepUnitNames). */
  kept: z.boolean(),
});
export type UnitMatch = z.infer<typeof UnitMatchSchema>;

export const ImportPreviewSchema = z.object({
  targets: z.array(PreviewRowSchema),
  unitMatches: z.array(UnitMatchSchema),
  files: z.array(PreviewFileSchema),
  skippedRows: z.array(z.object({ rowNumber: z.number().int(), reason: z.string() })),
  blankRows: z.number().int(),
  /** System files (Thumbs.db, __MACOSX …) left out without a word. */
  ignoredFiles: z.number().int(),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const UnitMergeInputSchema = z.strictObject({
  campaignId: z.string().min(1, '缺少评查活动').max(100),
  /** The unit that goes away; its name is remembered as an alias of the target. */
  sourceUnitId: z.string().min(1, '请选择要合并的单位').max(100),
  targetUnitId: z.string().min(1, '请选择合并到的单位').max(100),
});

/** What a merge moves, shown before it is done. */
export const UnitMergePreviewSchema = z.object({
  source: z.object({ id: z.string(), name: z.string() }),
  target: z.object({ id: z.string(), name: z.string() }),
  cases: z.number().int(),
  assignments: z.number().int(),
  declaredConflicts: z.number().int(),
  drawnCases: z.number().int(),
  letters: z.number().int(),
  ledgerItems: z.number().int(),
  /** Why the merge cannot be done (an issued letter names the unit), or null. */
  blocked: z.string().nullable(),
  /** What the person should know (checked letters go back to draft, draw records keep their names …). */
  notes: z.array(z.string()),
});
export type UnitMergePreview = z.infer<typeof UnitMergePreviewSchema>;

export const JOB_STATUSES = ['running', 'done', 'cancelled', 'failed'] as const;

export const JobViewSchema = z.object({
  jobId: z.string(),
  kind: z.string(),
  campaignId: z.string().nullable(),
  resultId: z.string().nullable(),
  status: z.enum(JOB_STATUSES),
  done: z.number(),
  total: z.number(),
  message: z.string(),
  pages: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  etaSeconds: z.number().nullable(),
  elapsedSeconds: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type JobView = z.infer<typeof JobViewSchema>;

export const ITEM_OUTCOMES = ['imported', 'duplicate', 'rejected', 'created', 'merged', 'unchanged'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

export const ImportItemSchema = z.object({
  seq: z.number().int(),
  kind: z.enum(['file', 'row']),
  path: z.string(),
  outcome: z.enum(ITEM_OUTCOMES),
  code: z.string(),
  message: z.string(),
  caseId: z.string().nullable(),
  caseNumber: z.string(),
  size: z.number().nullable(),
  pageCount: z.number().nullable(),
  hasText: z.boolean().nullable(),
  ms: z.number().nullable(),
});
export type ImportItem = z.infer<typeof ImportItemSchema>;

export const ImportSummarySchema = z.object({
  batchId: z.string(),
  campaignId: z.string(),
  status: z.enum(['running', 'done', 'cancelled', 'failed', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  listName: z.string(),
  counts: z.object({
    casesCreated: z.number().int(),
    casesExisting: z.number().int(),
    documents: z.number().int(),
    pages: z.number().int(),
    bytes: z.number(),
    scans: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
  }),
  /** Rejections and duplicates grouped by code, largest first. */
  reasons: z.array(z.object({ code: z.string(), label: z.string(), count: z.number().int() })),
  items: z.array(ImportItemSchema),
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

/** Label of a file rejection or row outcome code. */
export function outcomeLabel(code: string): string {
  return (FILE_REJECTIONS as Record<string, string>)[code] ?? (ROW_OUTCOMES as Record<string, string>)[code] ?? code;
}

/** The list row a case was registered from or completed by (the latest import that named it). */
export const CaseSourceSchema = z.object({
  listName: z.string(),
  rowNumber: z.number().int(),
  importedAt: z.string(),
  importedBy: z.string(),
  /** Column by column, the header and the cell as written. */
  cells: z.array(z.object({ header: z.string(), value: z.string() })),
});
export type CaseSource = z.infer<typeof CaseSourceSchema>;
/** What an import record keeps of the list row behind a case: the row's number and its cells. */
export const ListRowSchema = CaseSourceSchema.pick({ rowNumber: true, cells: true });
