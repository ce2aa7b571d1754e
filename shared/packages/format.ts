/**
 * Work packages: one zip file that carries a reviewer's part of a campaign out to their
 * laptop (`out`), their sheets, marks and audit trail back (`return`), or a whole campaign to another
 * bureau (`campaign`). Air-gapped PCs exchange them on USB sticks, so a package is treated like a
 * replication stream, not a file copy: every entry is listed with its size and SM3 digest in a
 * manifest signed with the author's SM2 key (`pingcha-signed/1`, signing/manifests.ts),
 * and the receiving side checks all of it before it changes anything, then applies the package in
 * one transaction.
 *
 * Layout of the zip:
 *   signature.json         the SignedManifest: every other entry by SM3 and size, signed by the author
 *   manifest.json          PackageManifest (below): what the package is, for whom, from where
 *   signer-identity.json   the author's identity file, so a receiver that does not know the
 *                          key yet can show its fingerprint and have a person confirm it
 *   data/campaign.json     CampaignPayload: the campaign's rows the receiver needs
 *   data/work.json         WorkPayload: sheets + answers, annotations, case reviews
 *   data/audit.json        AuditPayload: audit entries (return packages: since the out-package)
 *   files/<sha256>.pdf     the dossier PDFs, named by their SHA-256 (the blob store's address)
 *   evidence/<sha256>      campaign packages: the 整改台账's evidence files entered by hand (any type)
 */
import { z } from 'zod';
import { CAMPAIGN_PURPOSES, PACKAGE_KINDS, type PackageKind } from './package-kinds.js';

export * from './package-kinds.js';

export const PACKAGE_FORMAT = 'pingcha-package/1';
/** Raised when the layout or meaning of a package changes; a workstation refuses newer ones. */
export const PACKAGE_FORMAT_VERSION = 1;
export const PACKAGE_EXTENSION = '.pcpkg.zip';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Iso = z.iso.datetime();

export const PackagePersonSchema = z.strictObject({
  id: z.string().min(1).max(100),
  username: z.string().max(100),
  displayName: z.string().max(100),
});

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
  /**
   * The audit rows the package carries (data/audit.json): how many and the SM3 of their JSON. The
   * manifest is signed, so the receiver accepts exactly the rows the author signed for, no more, no fewer.
   */
  audit: z.strictObject({ count: z.number().int().nonnegative(), sm3: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});
export type PackageManifest = z.infer<typeof PackageManifestSchema>;

/** What the signed manifest calls a package (its `kind`), and each entry (its file `role`). */
export const SIGNED_KINDS: Record<PackageKind, string> = { out: 'work-package', return: 'return-package', campaign: 'campaign-package' };
export const ENTRY_ROLES = {
  manifest: 'package-manifest',
  identity: 'signer-identity',
  data: 'package-data',
  file: 'dossier-pdf',
  evidence: 'ledger-evidence',
} as const;

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
  /** OCR results of the carried files (absent from packages made before OCR). */
  ocrPages: Rows.optional(),
  standards: z.array(StandardVersionPayloadSchema).max(1000),
  campaignStandards: Rows,
  panelMembers: Rows,
  assignments: Rows,
  reviewRules: Rows,
  /**
   * campaign packages: the 整改台账 rows entered by hand (法治督察, complaints …) and their evidence —
   * the ledger is what a province supervises when it aggregates its counties (absent from older packages).
   */
  ledgerManualItems: Rows.optional(),
  ledgerManualEvidence: Rows.optional(),
  /** The campaign's draws and the files each drew (whole-campaign packages; absent from older ones). */
  draws: Rows.optional(),
  drawnCases: Rows.optional(),
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
export const IDENTITY_ENTRY = 'signer-identity.json';
export const fileEntry = (sha256: string): string => `files/${sha256}.pdf`;
export const FILE_ENTRY_RE = /^files\/([0-9a-f]{64})\.pdf$/;
export const evidenceEntry = (sha256: string): string => `evidence/${sha256}`;
export const EVIDENCE_ENTRY_RE = /^evidence\/([0-9a-f]{64})$/;
