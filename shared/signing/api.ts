/** What the keys, trust, register and verification channels answer (plain JSON for the UI). */
import { z } from 'zod';
import { ROLES } from '../people/roles.js';
import { LETTER_KINDS } from '../letters/document.js';
import { SIGNER_ROLES } from './manifest.js';

export const TRUST_STATUSES = ['pending', 'trusted', 'revoked'] as const;
export type TrustStatus = (typeof TRUST_STATUSES)[number];
export const TRUST_STATUS_LABELS: Record<TrustStatus, string> = { pending: '待确认', trusted: '已信任', revoked: '已撤销' };

export const KEY_ORIGINS = ['local', 'imported'] as const;
export type KeyOrigin = (typeof KEY_ORIGINS)[number];
export const KEY_ORIGIN_LABELS: Record<KeyOrigin, string> = { local: '本机生成', imported: '导入身份文件' };

export const KeyInfoSchema = z.object({
  fingerprint: z.string(),
  publicKey: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  createdAt: z.string(),
  status: z.enum(['active', 'retired']),
  trust: z.enum(TRUST_STATUSES).nullable(),
});
export type KeyInfo = z.infer<typeof KeyInfoSchema>;

export const TrustEntrySchema = z.object({
  fingerprint: z.string(),
  publicKey: z.string(),
  name: z.string(),
  unit: z.string(),
  role: z.enum(ROLES),
  username: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  origin: z.enum(KEY_ORIGINS),
  status: z.enum(TRUST_STATUSES),
  addedAt: z.string(),
  addedBy: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  acceptedBy: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
});
export type TrustEntry = z.infer<typeof TrustEntrySchema>;

/** What identifies an issued document to a person. */
export const DocumentSummarySchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  documentNumber: z.string().nullable(),
  unitName: z.string().nullable(),
  issuedAt: z.string(),
  shortCode: z.string().nullable(),
});
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;

export const RegisterEntrySchema = DocumentSummarySchema.extend({
  signers: z.array(z.object({ role: z.enum(SIGNER_ROLES), name: z.string(), fingerprint: z.string() })),
  files: z.array(z.object({ role: z.string(), name: z.string(), bytes: z.number().int(), sm3: z.string() })),
  supersedes: z.string().nullable(),
  supersededBy: z.string().nullable(),
});
export type RegisterEntry = z.infer<typeof RegisterEntrySchema>;

/**
 * The outcome of a check. `valid`: the signatures verify with trusted keys and (for a file) every byte
 * matches what was issued. Every other status says why not.
 */
export const VERIFY_STATUSES = ['valid', 'altered', 'not_registered', 'untrusted', 'revoked', 'bad_signature', 'unreadable'] as const;
export type VerifyStatus = (typeof VERIFY_STATUSES)[number];
export const VERIFY_STATUS_LABELS: Record<VerifyStatus, string> = {
  valid: '核验通过',
  altered: '文件已被改动',
  not_registered: '不在签发登记簿中',
  untrusted: '签名人未获信任',
  revoked: '签名密钥已撤销',
  bad_signature: '签名无效',
  unreadable: '无法识别',
};

export const SignatureCheckSchema = z.object({
  role: z.enum(SIGNER_ROLES),
  name: z.string(),
  unit: z.string(),
  fingerprint: z.string(),
  signedAt: z.string(),
  /** The SM2 signature is mathematically valid for this key. */
  valid: z.boolean(),
  /** This workstation's trust in the key (null: not in the trust list). */
  trust: z.enum(TRUST_STATUSES).nullable(),
  /** Why this signature does not count, in Chinese (null when it counts). */
  problem: z.string().nullable(),
});
export type SignatureCheck = z.infer<typeof SignatureCheckSchema>;

export const VerificationReportSchema = z.object({
  status: z.enum(VERIFY_STATUSES),
  /** One sentence for the person: "由某某县司法局王组长于2025年3月5日签发，文件未被改动，签名有效。" */
  headline: z.string(),
  /** Why it is not valid, or what the check could not cover. */
  reasons: z.array(z.string()),
  /** What was checked: a file's bytes, only the printed statement (QR), or a register entry (short code). */
  scope: z.enum(['file', 'statement', 'register']),
  document: DocumentSummarySchema.extend({
    date: z.string().nullable(),
    supersededBy: z.string().nullable(),
    inRegister: z.boolean(),
  }).nullable(),
  file: z
    .object({
      name: z.string(),
      bytes: z.number().int(),
      sm3: z.string(),
      /** Which issued output it matches ('pdf', 'docx' …), null when none. */
      matches: z.string().nullable(),
      expected: z.array(z.object({ role: z.string(), sm3: z.string(), bytes: z.number().int() })),
    })
    .nullable(),
  signatures: z.array(SignatureCheckSchema),
});
export type VerificationReport = z.infer<typeof VerificationReportSchema>;

/** What an issued output is, in words (unknown roles show as they are). */
export const FILE_ROLE_LABELS: Record<string, string> = { content: '内容数据（JSON）', docx: 'DOCX', pdf: 'PDF 打印版' };
export const fileRoleLabel = (role: string): string => FILE_ROLE_LABELS[role] ?? role;

export const SealStatusSchema = z.object({
  present: z.boolean(),
  fileName: z.string().nullable(),
  widthPx: z.number().int().nullable(),
  heightPx: z.number().int().nullable(),
  uploadedAt: z.string().nullable(),
  uploadedBy: z.string().nullable(),
  /** data: URL of the PNG for the preview (small; the CSP allows data: images). */
  preview: z.string().nullable(),
  useCount: z.number().int(),
});
export type SealStatus = z.infer<typeof SealStatusSchema>;

/** A file handed to the UI as a one-use download URL. */
export const SigningDownloadSchema = z.object({ fileName: z.string(), url: z.string().startsWith('/'), bytes: z.number().int() });

/** A unit's letter of one kind as issuing sees it: the open (draft or checked) letter and what was issued. */
export const LetterIssueStateSchema = z.object({
  open: z
    .object({
      id: z.string(),
      status: z.enum(['draft', 'checked']),
      documentNumber: z.string().nullable(),
      /** 成文日期 of the checked content. */
      date: z.string().nullable(),
      checkedAt: z.string().nullable(),
      checkedBy: z.string().nullable(),
    })
    .nullable(),
  /** Issued letters, newest first; a correction supersedes the one before it. */
  issued: z.array(RegisterEntrySchema.extend({ letterId: z.string(), issuedBy: z.string().nullable() })),
});
export type LetterIssueState = z.infer<typeof LetterIssueStateSchema>;

/**
 * A 文号 taken by a letter not yet signed (numbered at export or 核对定稿): the register lists it apart
 * from issued documents so nobody hands the same number out twice; signing turns it into an issued entry.
 */
export const ReservedNumberSchema = z.object({
  letterId: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  kind: z.enum(LETTER_KINDS),
  documentNumber: z.string(),
  unitName: z.string().nullable(),
  status: z.enum(['draft', 'checked']),
  /** 成文日期 of the checked content; a draft has none yet. */
  date: z.string().nullable(),
  /** When the letter last changed (numbered, checked or reopened). */
  updatedAt: z.string(),
});
export type ReservedNumber = z.infer<typeof ReservedNumberSchema>;

/** People who can sign on this workstation now (an active key this workstation trusts). */
export const KeyHolderSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  unit: z.string(),
  fingerprint: z.string(),
});
