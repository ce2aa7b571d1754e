/**
 * The signed manifest: the generic record of an issued document (a letter; work packages
 * reuse it). Its body names every output file by SM3 digest; each signer (the issuer, co-signers)
 * signs the SM3 digest of the canonical body together with their role and time. A verifier needs
 * only the manifest, the files and the signers' public keys.
 */
import { z } from 'zod';
import { PublicKeyHex, SignatureHex, Sm3Hex } from './identity.js';
import { StatementSchema } from './statement.js';

export const MANIFEST_FORMAT = 'pingcha-signed/1';

export const SIGNER_ROLES = ['issuer', 'cosigner'] as const;
export type SignerRole = (typeof SIGNER_ROLES)[number];
export const SIGNER_ROLE_LABELS: Record<SignerRole, string> = { issuer: '签发人', cosigner: '会签人' };

export const ManifestFileSchema = z.strictObject({
  /** What the file is to the document: 'content' (canonical JSON), 'docx', 'pdf', or a package entry. */
  role: z.string().min(1).max(40),
  name: z.string().min(1).max(300),
  mediaType: z.string().max(120),
  bytes: z.number().int().nonnegative(),
  sm3: Sm3Hex,
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

export const ManifestBodySchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  /** 'letter' here; other issues add theirs. */
  kind: z.string().min(1).max(40),
  id: z.string().min(1).max(100),
  issuedAt: z.iso.datetime(),
  /** What a person reads about the document (title, 文号, unit …); plain strings. */
  subject: z.record(z.string(), z.string().nullable()),
  files: z.array(ManifestFileSchema).min(1),
  /** The printed statement (QR) and the issuer's signature over it, when the document carries one. */
  statement: z.strictObject({ body: StatementSchema, signature: SignatureHex }).nullable(),
  /** Earlier document this one corrects (both stay in the register). */
  supersedes: z.string().nullable(),
  /** For a printed rendition: its page count and where GB/T 9704 puts the seal (for a certified 签章 tool). */
  rendition: z
    .strictObject({
      pages: z.number().int().positive(),
      seal: z.strictObject({ page: z.number().int().positive(), xMm: z.number(), yMm: z.number(), diameterMm: z.number() }),
    })
    .nullable(),
});
export type ManifestBody = z.infer<typeof ManifestBodySchema>;

export const ManifestSignatureSchema = z.strictObject({
  role: z.enum(SIGNER_ROLES),
  fingerprint: Sm3Hex,
  publicKey: PublicKeyHex,
  name: z.string(),
  unit: z.string(),
  signedAt: z.iso.datetime(),
  signature: SignatureHex,
});
export type ManifestSignature = z.infer<typeof ManifestSignatureSchema>;

export const SignedManifestSchema = z.strictObject({
  manifest: ManifestBodySchema,
  signatures: z.array(ManifestSignatureSchema).min(1),
});
export type SignedManifest = z.infer<typeof SignedManifestSchema>;

/**
 * What one signer signs: the body's digest bound to the signer's role, key and time, so a signature
 * cannot be moved to another role or re-dated.
 */
export function signedPart(bodySm3: string, s: Pick<ManifestSignature, 'role' | 'fingerprint' | 'signedAt'>) {
  return { format: MANIFEST_FORMAT, manifestSm3: bodySm3, role: s.role, fingerprint: s.fingerprint, signedAt: s.signedAt };
}
