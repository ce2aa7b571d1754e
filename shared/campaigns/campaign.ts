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

/**
 * The year a campaign's name states ("2025年度行政执法案卷集中评查" → 2025), or null. The 通报's title
 * quotes the 年度 field, so a new campaign's year follows its name rather than today's date.
 */
export function yearInName(name: string): number | null {
  // NFKC turns full-width digits (２０２５) into ASCII ones.
  for (const m of name.normalize('NFKC').matchAll(/(?<!\d)(\d{4})(?!\d)/g)) {
    const year = Number(m[1]);
    if (year >= 2000 && year <= 2100) return year;
  }
  return null;
}
