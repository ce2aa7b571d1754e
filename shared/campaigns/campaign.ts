import { z } from 'zod';
import { CASE_TYPES } from './case-types.js';

export const CampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  year: z.number().int(),
  issuingBody: z.string(),
  status: z.enum(['active', 'archived']),
  createdAt: z.string(),
  caseCount: z.number().int(),
  unitCount: z.number().int(),
});
export type Campaign = z.infer<typeof CampaignSchema>;

export const CampaignStandardSchema = z.object({
  caseType: z.enum(CASE_TYPES),
  standardVersionId: z.string(),
  standardName: z.string(),
  version: z.string(),
});
export type CampaignStandard = z.infer<typeof CampaignStandardSchema>;

export const CampaignDetailSchema = CampaignSchema.extend({
  standards: z.array(CampaignStandardSchema),
});
export type CampaignDetail = z.infer<typeof CampaignDetailSchema>;

export const CampaignCreateSchema = z.object({
  name: z.string().trim().min(1, '请填写评查活动名称').max(200, '名称过长'),
  year: z.number().int().min(2000, '年度不正确').max(2100, '年度不正确'),
  issuingBody: z.string().trim().min(1, '请填写评查机关').max(200, '评查机关名称过长'),
});

export { yearInName } from './year-in-name.js';
