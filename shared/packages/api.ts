/** What the package channels return (plain JSON, checked by the dispatcher). */
import { z } from 'zod';
import { ROLES } from '../people/roles.js';
import { SHEET_STATUSES, ScoreSummarySchema } from '../scoring/sheet.js';
import { AnswerSchema } from '../scoring/answer.js';
import { PACKAGE_KINDS } from './format.js';

/** How a campaign came to this workstation by package, if it did. */
export const REPLICA_KINDS = ['reviewer', 'transfer', 'report'] as const;
export type ReplicaKind = (typeof REPLICA_KINDS)[number];
export const REPLICA_KIND_LABELS: Record<ReplicaKind, string> = {
  reviewer: '评查人员工作副本（只读活动，仅可评分和批注）',
  transfer: '由其他机关移交',
  report: '上报结果（只读）',
};

/** Who signed a package, as this workstation sees the key. */
export const SignerCheckSchema = z.object({
  name: z.string(),
  unit: z.string(),
  username: z.string(),
  role: z.enum(ROLES).nullable(),
  /** SM3 of the public key (64 hex digits); the UI groups it for reading aloud. */
  fingerprint: z.string(),
  /**
   * trusted: in this workstation's trust list. confirm: not yet (the package carries the signer's
   * identity file) — a person compares the fingerprint with the holder and confirms it on import.
   * confirmed: this import added it to the trust list on that confirmation.
   */
  trust: z.enum(['trusted', 'confirm', 'confirmed']),
  validTo: z.string().nullable(),
  /** Whether the person importing may confirm the key (organisers; a lead for their own reviewer's return). */
  mayConfirm: z.boolean(),
});

export const PackageImportResultSchema = z.object({
  packageId: z.string(),
  kind: z.enum(PACKAGE_KINDS),
  campaignId: z.string(),
  campaignName: z.string(),
  reviewerName: z.string().nullable(),
  authorName: z.string(),
  createdAt: z.string(),
  /** applied: changed this workstation; already: the same package was imported before, nothing changed; preview: dry run. */
  outcome: z.enum(['applied', 'already', 'preview']),
  counts: z.object({
    cases: z.number().int(),
    documents: z.number().int(),
    sheets: z.number().int(),
    annotations: z.number().int(),
    auditEntries: z.number().int(),
    conflicts: z.number().int(),
  }),
  signer: SignerCheckSchema,
  warnings: z.array(z.string()),
  /** The user the reviewer logs in as (out-packages on a fresh laptop). */
  reviewerUsername: z.string().nullable(),
  /** An out-package creates the reviewer's account here: the importer must give it a password. */
  needsReviewerPassword: z.boolean(),
});
export type PackageImportResult = z.infer<typeof PackageImportResultSchema>;

export const PackageExportSchema = z.object({
  packageId: z.string(),
  fileName: z.string(),
  url: z.string().startsWith('/'),
  bytes: z.number().int(),
  /** Where the workstation keeps its own copy (its data folder's exports), to tell the person. */
  keptAt: z.string(),
  /** The signer's key fingerprint (SM3 of the public key). */
  signerFingerprint: z.string(),
});

export type PackageExport = z.infer<typeof PackageExportSchema>;

/** A package job's outcome (`package:jobResult`): what an export made or what an import did. */
export const PackageJobResultSchema = z.object({ export: PackageExportSchema.nullable(), import: PackageImportResultSchema.nullable() });

export const PackageLogEntrySchema = z.object({
  packageId: z.string(),
  kind: z.enum(PACKAGE_KINDS),
  direction: z.enum(['exported', 'imported']),
  reviewerName: z.string().nullable(),
  sequence: z.number().int(),
  createdAt: z.string(),
  at: z.string(),
  byName: z.string().nullable(),
  bytes: z.number().int(),
  signed: z.boolean(),
  summary: z.string(),
});

export const PackageReviewerSchema = z.object({
  id: z.string(),
  name: z.string(),
  assignedCount: z.number().int(),
  lastOutAt: z.string().nullable(),
  lastReturn: z.object({ sequence: z.number().int(), at: z.string() }).nullable(),
});

export const PackageOverviewSchema = z.object({
  campaignId: z.string(),
  replica: z
    .object({
      kind: z.enum(REPLICA_KINDS),
      readOnly: z.boolean(),
      reviewerId: z.string().nullable(),
      reviewerName: z.string().nullable(),
      originPackageId: z.string(),
      importedAt: z.string(),
      returnsMade: z.number().int(),
    })
    .nullable(),
  reviewers: z.array(PackageReviewerSchema),
  log: z.array(PackageLogEntrySchema),
  openConflicts: z.number().int(),
});
export type PackageOverview = z.infer<typeof PackageOverviewSchema>;

const SideSchema = z.object({
  status: z.enum(SHEET_STATUSES),
  revision: z.number().int(),
  updatedAt: z.string(),
  summary: ScoreSummarySchema,
});

export const PackageConflictSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  caseTitle: z.string(),
  reviewerId: z.string(),
  reviewerName: z.string(),
  packageId: z.string(),
  createdAt: z.string(),
  status: z.enum(['open', 'resolved']),
  resolution: z.enum(['local', 'incoming']).nullable(),
  resolvedByName: z.string().nullable(),
  local: SideSchema,
  incoming: SideSchema,
  /** The items whose answers differ, in the standard's order. */
  items: z.array(
    z.object({ itemId: z.string(), code: z.string(), text: z.string(), local: AnswerSchema.nullable(), incoming: AnswerSchema.nullable() }),
  ),
});
export type PackageConflict = z.infer<typeof PackageConflictSchema>;
