/** The signing channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import {
  KeyHolderSchema,
  KeyInfoSchema,
  RegisterEntrySchema,
  ReservedNumberSchema,
  SealStatusSchema,
  SigningDownloadSchema,
  TrustEntrySchema,
  VerificationReportSchema,
} from './api.js';
import { Sm3Hex } from './identity.js';
import { channel, Empty, id } from '../contract/channel.js';

export const signingChannels = {
  /** The caller's SM2 signing key (active) and earlier keys (retired, still verifiable). */
  'key:mine': channel({
    input: Empty,
    output: z.object({ active: KeyInfoSchema.nullable(), retired: z.array(KeyInfoSchema) }),
    access: 'user',
    scope: 'none',
    writes: 'none',
  }),
  /** Makes the caller's key pair; the login password seals the private key. `replace` retires the current key. */
  'key:create': channel({
    input: z.strictObject({ password: z.string().min(1, '请填写登录密码'), replace: z.boolean().default(false) }),
    output: KeyInfoSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'none',
    writes: 'workstation',
  }),
  /** The self-signed identity file (public key) for other workstations' trust lists. */
  'key:exportIdentity': channel({
    input: Empty,
    output: SigningDownloadSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'none',
    writes: 'none',
  }),
  /** The encrypted key backup (the private key sealed under the password, never in the clear). */
  'key:exportBackup': channel({
    input: z.strictObject({ password: z.string().min(1, '请填写登录密码') }),
    output: SigningDownloadSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'none',
    writes: 'none',
  }),
  'key:restore': channel({
    input: z.strictObject({
      sourceId: id('备份文件'),
      backupPassword: z.string().min(1, '请填写备份时的密码'),
      password: z.string().min(1, '请填写当前登录密码'),
    }),
    output: KeyInfoSchema,
    access: ['organiser', 'lead', 'reviewer'],
    scope: 'none',
    writes: 'workstation',
  }),
  'trust:list': channel({ input: Empty, output: z.array(TrustEntrySchema), access: 'user', scope: 'none', writes: 'none' }),
  /** Reads an uploaded identity file; the key is listed as 待确认 until an organiser accepts it. */
  'trust:import': channel({
    input: z.strictObject({ sourceId: id('身份文件') }),
    output: TrustEntrySchema,
    access: ['organiser', 'lead'],
    scope: 'none',
    writes: 'workstation',
  }),
  'trust:accept': channel({
    input: z.strictObject({ fingerprint: Sm3Hex }),
    output: TrustEntrySchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
  'trust:revoke': channel({
    input: z.strictObject({ fingerprint: Sm3Hex, reason: z.string().trim().min(2, '请填写撤销原因').max(200, '原因不超过 200 字') }),
    output: TrustEntrySchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
  'seal:status': channel({ input: Empty, output: SealStatusSchema, access: ['organiser', 'lead'], scope: 'none', writes: 'none' }),
  /** Loads the bureau's seal image (transparent PNG) for printed renditions; replaces the previous one. */
  'seal:upload': channel({
    input: z.strictObject({ sourceId: id('印章图像') }),
    output: SealStatusSchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
  'seal:remove': channel({ input: Empty, output: SealStatusSchema, access: ['organiser'], scope: 'none', writes: 'workstation' }),
  /** The register of issued documents. */
  'register:list': channel({ input: Empty, output: z.array(RegisterEntrySchema), access: 'user', scope: 'none', writes: 'none' }),
  /** 文号 already taken by letters not yet signed (已编号，待签发), newest first. */
  'register:reserved': channel({
    input: Empty,
    output: z.array(ReservedNumberSchema),
    access: ['organiser', 'lead', 'observer'],
    scope: 'none',
    writes: 'none',
  }),
  /** An issued output (its frozen bytes) or its signing manifest, for printing or a certified 签章 tool. */
  'register:download': channel({
    input: z.strictObject({
      issuedId: id('签发文书'),
      what: z.enum(['pdf', 'docx', 'manifest', 'handoff'], { error: '请选择要下载的文件' }),
    }),
    output: SigningDownloadSchema,
    access: ['organiser', 'lead', 'observer'],
    scope: 'none',
    writes: 'none',
  }),
  /** Checks an uploaded file (every byte), optionally with the signing manifest it came with. */
  'verify:file': channel({
    input: z.strictObject({ sourceId: id('要核验的文件'), manifestSourceId: id('签名清单').optional() }),
    output: VerificationReportSchema,
    access: 'user',
    scope: 'none',
    writes: 'none',
  }),
  /** Who can sign (co-sign) here now: users with an active key this workstation trusts. */
  'key:holders': channel({ input: Empty, output: z.array(KeyHolderSchema), access: ['organiser', 'lead'], scope: 'none', writes: 'none' }),
  /** Checks scanned or pasted QR text, or a typed short code. */
  'verify:text': channel({
    input: z.strictObject({ text: z.string().trim().min(1, '请粘贴二维码内容或输入核验码').max(4000, '内容过长') }),
    output: VerificationReportSchema,
    access: 'user',
    scope: 'none',
    writes: 'none',
  }),
} as const;
