import { z } from 'zod';
import { CASE_TYPES } from '../campaigns/case-types.js';

export const UnitSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  name: z.string(),
  shortName: z.string(),
  field: z.string(),
  regionCode: z.string(),
});
export type Unit = z.infer<typeof UnitSchema>;

export const DocumentSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  sha256: z.string(),
  fileName: z.string(),
  title: z.string(),
  size: z.number().int(),
  pageCount: z.number().int(),
  hasText: z.boolean(),
  position: z.number().int(),
  createdAt: z.string(),
});
export type DossierDocument = z.infer<typeof DocumentSchema>;

export const CaseSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  caseType: z.enum(CASE_TYPES),
  cause: z.string(),
  party: z.string(),
  enforcementBody: z.string(),
  filedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  decision: z.string(),
  /** The fine in 元 when the case list gave one. */
  penaltyAmount: z.number().nullable(),
  /** 没收违法所得 / 非法财物 in 元 when the case list gave it. */
  confiscatedAmount: z.number().nullable(),
  /** The case list's 处罚金额 cell as written. */
  penaltyText: z.string(),
  handler: z.string(),
  externalCode: z.string(),
  documentCount: z.number().int(),
  pageCount: z.number().int(),
  createdAt: z.string(),
});
export type Case = z.infer<typeof CaseSchema>;

export const CaseDetailSchema = CaseSchema.extend({
  documents: z.array(DocumentSchema),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

export const ImportSingleSchema = z.object({
  campaignId: z.string().min(1),
  sourceId: z.string().min(1, '请选择要导入的 PDF 文件'),
  caseNumber: z.string().trim().min(1, '请填写案号').max(100, '案号过长'),
  caseTitle: z.string().trim().max(300, '案件名称过长').optional(),
  unitName: z.string().trim().min(1, '请填写被评查单位').max(200, '单位名称过长'),
  caseType: z.enum(CASE_TYPES, { error: '请选择案件类型' }),
});

/** A file the transport has received (uploaded, or picked in a dialog) and the services may import. */
export const StagedSourceSchema = z.object({
  sourceId: z.string(),
  name: z.string(),
  size: z.number().int(),
});
export type StagedSource = z.infer<typeof StagedSourceSchema>;
