/** The kinds of work package and why a campaign package travels (format.ts holds the schemas and re-exports these; kept free of zod for the screens). */

export const PACKAGE_KINDS = ['out', 'return', 'campaign'] as const;
export type PackageKind = (typeof PACKAGE_KINDS)[number];
export const PACKAGE_KIND_LABELS: Record<PackageKind, string> = { out: '评查工作包', return: '评查回收包', campaign: '评查活动整体包' };

/** Why a campaign package travels: to be worked on by the receiver, or as a read-only report of results. */
export const CAMPAIGN_PURPOSES = ['transfer', 'report'] as const;
export type CampaignPurpose = (typeof CAMPAIGN_PURPOSES)[number];
export const CAMPAIGN_PURPOSE_LABELS: Record<CampaignPurpose, string> = { transfer: '移交（接收方继续评查）', report: '上报（只读）' };
