/** Making and checking identity files (shared/signing/identity.ts describes the format). */
import { canonicalJson } from '../../../shared/signing/canonical.js';
import {
  IDENTITY_FORMAT,
  IdentityFileSchema,
  KEY_VALIDITY_YEARS,
  SIGNATURE_ALGORITHM,
  SM2_DEFAULT_USER_ID,
  addYears,
  identityBody,
  type IdentityBody,
  type IdentityFile,
} from '../../../shared/signing/identity.js';
import type { Role } from '../../../shared/people/roles.js';
import { fingerprintOf, isValidPublicKey, signBytes, verifyBytes, type KeyPair } from './sm2.js';

export const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

export interface Holder {
  name: string;
  unit: string;
  role: Role;
  username: string;
}

export function makeIdentity(pair: KeyPair, holder: Holder, now: string): IdentityFile {
  const body: IdentityBody = {
    format: IDENTITY_FORMAT,
    algorithm: SIGNATURE_ALGORITHM,
    userId: SM2_DEFAULT_USER_ID,
    publicKey: pair.publicKey,
    fingerprint: fingerprintOf(pair.publicKey),
    holder,
    validFrom: now,
    validTo: addYears(now, KEY_VALIDITY_YEARS),
    createdAt: now,
  };
  return { ...body, selfSignature: signBytes(utf8(canonicalJson(body)), pair.privateKey, pair.publicKey) };
}

export type IdentityCheck = { ok: true; identity: IdentityFile } | { ok: false; reason: string };

/** Parses an identity file and checks its fingerprint and self-signature; says what is wrong in Chinese. */
export function checkIdentity(value: unknown): IdentityCheck {
  const parsed = IdentityFileSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: '不是评查工作站的签名身份文件，或文件内容不完整。' };
  const identity = parsed.data;
  if (!isValidPublicKey(identity.publicKey)) return { ok: false, reason: '身份文件中的公钥不是有效的 SM2 公钥。' };
  if (fingerprintOf(identity.publicKey) !== identity.fingerprint)
    return { ok: false, reason: '身份文件中的指纹与公钥不符，文件可能被改动。' };
  if (!(identity.validFrom < identity.validTo)) return { ok: false, reason: '身份文件的有效期不正确。' };
  if (!verifyBytes(utf8(canonicalJson(identityBody(identity))), identity.selfSignature, identity.publicKey))
    return { ok: false, reason: '身份文件的自签名无效：文件在生成后被改动过。' };
  return { ok: true, identity };
}
