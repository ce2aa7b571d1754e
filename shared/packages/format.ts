/**
 * Work packages (issue 10): one zip file that carries a reviewer's part of a campaign out to their
 * laptop (`out`), their sheets, marks and audit trail back (`return`), or a whole campaign to another
 * bureau (`campaign`). Air-gapped PCs exchange them on USB sticks, so a package is treated like a
 * replication stream, not a file copy: every entry is listed in `manifest.json` with its size and SM3
 * digest, the manifest is signed (signature.json), and the receiving side checks all of it before it
 * changes anything, then applies the package in one transaction.
 *
 * Layout of the zip:
 *   manifest.json          PackageManifest (below)
 *   signature.json         PackageSignatures: SM2 signatures over the SM3 of manifest.json's bytes
 *   data/campaign.json     CampaignPayload: the campaign's rows the receiver needs
 *   data/work.json         WorkPayload: sheets + answers, annotations, case reviews
 *   data/audit.json        AuditPayload: audit entries (return packages: since the out-package)
 *   files/<sha256>.pdf     the dossier PDFs, named by their SHA-256 (the blob store's address)
 */
import { z } from 'zod';

export const PACKAGE_FORMAT = 'pingcha-package/1';
/** Raised when the layout or meaning of a package changes; a workstation refuses newer ones. */
export const PACKAGE_FORMAT_VERSION = 1;
export const PACKAGE_EXTENSION = '.pcpkg.zip';

export const PACKAGE_KINDS = ['out', 'return', 'campaign'] as const;
export type PackageKind = (typeof PACKAGE_KINDS)[number];
export const PACKAGE_KIND_LABELS: Record<PackageKind, string> = { out: '评查工作包', return: '评查回收包', campaign: '评查活动整体包' };

/** Why a campaign package travels: to be worked on by the receiver, or as a read-only report of results. */
export const CAMPAIGN_PURPOSES = ['transfer', 'report'] as const;
export type CampaignPurpose = (typeof CAMPAIGN_PURPOSES)[number];
export const CAMPAIGN_PURPOSE_LABELS: Record<CampaignPurpose, string> = { transfer: '移交（接收方继续评查）', report: '上报（只读）' };

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Sm3 = z.string().regex(/^[0-9a-f]{64}$/);
const Iso = z.iso.datetime();

/** One zip entry as the manifest promises it. */
export const PackageEntrySchema = z.strictObject({
  path: z.string().min(1).max(300),
  bytes: z.number().int().nonnegative(),
  sm3: Sm3,
});
export type PackageEntry = z.infer<typeof PackageEntrySchema>;

export const PackagePersonSchema = z.strictObject({ id: z.string().min(1).max(100), username: z.string().max(100), displayName: z.string().max(100) });

export const PackageManifestSchema = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  /** Checked before anything else, so a newer layout is refused with its own reason. */
  formatVersion: z.number().int().positive(),
  kind: z.enum(PACKAGE_KINDS),
  packageId: z.uuid(),
  createdAt: Iso,
  /** The app and database schema that wrote it (a newer schema is refused). */
  appVersion: z.string().max(50),
  schemaVersion: z.number().int().nonnegative(),
  /** The workstation that wrote it (random id made on first use). */
  workstationId: z.string().min(1).max(100),
  campaign: z.strictObject({ id: z.string().min(1).max(100), name: z.string().max(300) }),
  /** out: whom it is for; return: whose work it carries; campaign: null. */
  reviewer: PackagePersonSchema.nullable(),
  /** Who made it (the lead for `out`, the reviewer for `return`). */
  author: PackagePersonSchema,
  /** return: the out-package it answers. */
  basedOn: z.uuid().nullable(),
  /** return: 1, 2, 3 … per campaign on the reviewer's laptop; a higher one supersedes a lower one. */
  sequence: z.number().int().nonnegative(),
  purpose: z.enum(CAMPAIGN_PURPOSES).nullable(),
  entries: z.array(PackageEntrySchema).min(1).max(100_000),
});
export type PackageManifest = z.infer<typeof PackageManifestSchema>;

/**
 * The signature slot. Each signature is SM2 (GB/T 32918, default user id) over the UTF-8 bytes of
 * `signedMessage(...)`, which binds the SM3 of the exact manifest.json bytes to the signer's key and
 * time. Signing keys and the trust list are issue 9's (see electron/services/packages/signature.ts).
 */
export const PackageSignatureSchema = z.strictObject({
  fingerprint: Sm3,
  publicKey: z.string().regex(/^04[0-9a-f]{128}$/),
  name: z.string().max(100),
  unit: z.string().max(200),
  signedAt: Iso,
  signature: z.string().regex(/^30[0-9a-f]{8,150}$/),
});
export type PackageSignature = z.infer<typeof PackageSignatureSchema>;

export const PackageSignaturesSchema = z.strictObject({
  manifestSm3: Sm3,
  signatures: z.array(PackageSignatureSchema).max(10),
});
export type PackageSignatures = z.infer<typeof PackageSignaturesSchema>;

/** The exact text a signer signs (keys in code-unit order: the canonical JSON issue 9 uses). */
export function signedMessage(manifestSm3: string, s: Pick<PackageSignature, 'fingerprint' | 'signedAt'>): string {
  return JSON.stringify({ fingerprint: s.fingerprint, format: PACKAGE_FORMAT, manifestSm3, role: 'issuer', signedAt: s.signedAt });
}

// ── payloads: rows by table, with their own column names (what is compared after a round trip) ──

/** A row as it travels: column → text, integer or null. Which columns are read is decided by the receiver. */
export const RowSchema = z.record(z.string().max(64), z.union([z.string().max(50_000_000), z.number(), z.null()]));
export type PackageRow = z.infer<typeof RowSchema>;
const Rows = z.array(RowSchema).max(1_000_000);

export const StandardVersionPayloadSchema = z.strictObject({
  id: z.string().min(1).max(100),
  standardId: z.string().min(1).max(200),
  name: z.string().max(300),
  version: z.string().max(100),
  definitionJson: z.string().max(20_000_000),
  contentSha256: Sha256,
  createdAt: z.string(),
});
export type StandardVersionPayload = z.infer<typeof StandardVersionPayloadSchema>;

export const CampaignPayloadSchema = z.strictObject({
  campaign: RowSchema,
  users: Rows,
  units: Rows,
  cases: Rows,
  documents: Rows,
  pageText: Rows,
  standards: z.array(StandardVersionPayloadSchema).max(1000),
  campaignStandards: Rows,
  panelMembers: Rows,
  assignments: Rows,
  reviewRules: Rows,
});
export type CampaignPayload = z.infer<typeof CampaignPayloadSchema>;

export const WorkPayloadSchema = z.strictObject({
  sheets: Rows,
  answers: Rows,
  annotations: Rows,
  /** campaign packages only: the files' review outcomes and agreed answers. */
  caseReviews: Rows,
  caseReviewAnswers: Rows,
  /** return packages: each sheet's revision as it arrived from the out-package (absent: made on the laptop). */
  baseRevisions: z.record(z.string(), z.number().int().nonnegative()),
  /** Standard versions the sheets use, so the receiver can match its own copy by content. */
  standardRefs: z.array(z.strictObject({ id: z.string(), standardId: z.string(), version: z.string(), contentSha256: Sha256 })).max(1000),
});
export type WorkPayload = z.infer<typeof WorkPayloadSchema>;

export const AuditPayloadSchema = z.strictObject({ entries: Rows });
export type AuditPayload = z.infer<typeof AuditPayloadSchema>;

export const DATA_ENTRIES = { campaign: 'data/campaign.json', work: 'data/work.json', audit: 'data/audit.json' } as const;
export const MANIFEST_ENTRY = 'manifest.json';
export const SIGNATURE_ENTRY = 'signature.json';
export const fileEntry = (sha256: string): string => `files/${sha256}.pdf`;
export const FILE_ENTRY_RE = /^files\/([0-9a-f]{64})\.pdf$/;
