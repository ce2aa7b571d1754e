/**
 * The "identity" file people carry between air-gapped workstations: who holds an SM2 public key
 * (name, unit, role), the key, its SM3 fingerprint, its validity, and a signature by the key itself
 * over all of that. The self-signature proves the file was made by whoever holds the private key and
 * was not edited since; it does not prove WHO that is — a person compares the fingerprint with the
 * holder (read aloud, on paper) before an organiser accepts the key.
 */
import { z } from 'zod';
import { ROLES } from '../people/roles.js';

export * from './fingerprint.js';

export const IDENTITY_FORMAT = 'pingcha-identity/1';
export const SIGNATURE_ALGORITHM = 'SM2-SM3';
/** GB/T 32918 / GM/T 0009 default distinguishing identifier (ENTL = 128 bits). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';
/** How long a new key may sign. */
export const KEY_VALIDITY_YEARS = 3;

export const PublicKeyHex = z.string().regex(/^04[0-9a-f]{128}$/, '公钥格式不正确（应为 04 开头的 130 位十六进制）');
export const Sm3Hex = z.string().regex(/^[0-9a-f]{64}$/, 'SM3 摘要格式不正确');
export const SignatureHex = z.string().regex(/^30[0-9a-f]{8,150}$/, '签名格式不正确（应为 DER 编码）');

export const IdentityBodySchema = z.strictObject({
  format: z.literal(IDENTITY_FORMAT),
  algorithm: z.literal(SIGNATURE_ALGORITHM),
  userId: z.literal(SM2_DEFAULT_USER_ID),
  publicKey: PublicKeyHex,
  fingerprint: Sm3Hex,
  holder: z.strictObject({
    name: z.string().min(1).max(50),
    unit: z.string().max(200),
    role: z.enum(ROLES),
    username: z.string().min(1).max(32),
  }),
  validFrom: z.iso.datetime(),
  validTo: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type IdentityBody = z.infer<typeof IdentityBodySchema>;

export const IdentityFileSchema = IdentityBodySchema.extend({ selfSignature: SignatureHex });
export type IdentityFile = z.infer<typeof IdentityFileSchema>;

export const identityBody = (file: IdentityFile): IdentityBody => {
  const { selfSignature: _sig, ...body } = file;
  return body;
};

/** Where a key may sign: within its validity. */
export function validAt(identity: Pick<IdentityBody, 'validFrom' | 'validTo'>, at: string): boolean {
  return identity.validFrom <= at && at <= identity.validTo;
}

export function addYears(iso: string, years: number): string {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString();
}
