/**
 * The signature slot of work packages, behind a narrow seam so issue 9's signing service plugs in
 * with a few lines. What is signed: the SM3 digest of the exact bytes of manifest.json (which lists
 * every entry's SM3), bound to the signer's key fingerprint and time (`signedMessage` in
 * shared/packages/format.ts, the same shape as issue 9's `signedPart`).
 *
 * TO WIRE ISSUE 9 (in backend.ts, once `createSigning` is on main):
 *   packageSigning: {
 *     signerFor: (userId, password) => password ? signing.keys.unlock(userId, password) : Promise.resolve(null),
 *     trust: signing.trust.lookup,
 *   }
 * Issue 9's `Signer` and `TrustRecord` are supersets of `PackageSigner` and `PackageTrustRecord`, and
 * `verifySm2` below is its `verifyBytes` (same sm-crypto call, same default user id): replace it with
 * an import from signing/sm2.ts then. Until then the default is DIGESTS_ONLY: packages carry the SM3
 * manifest and an empty signature list, and the receiving side checks every digest but cannot check
 * who made the package (the import says so in its warnings).
 */
import { createHash } from 'node:crypto';
import smCrypto from 'sm-crypto';
import { signedMessage, type PackageSignature, type PackageSignatures } from '../../../shared/packages/format.js';
import { packageRefusal } from '../../../shared/packages/refusals.js';

/** An unlocked signing key (issue 9's `Signer`). */
export interface PackageSigner {
  fingerprint: string;
  publicKey: string;
  name: string;
  unit: string;
  sign(message: Uint8Array): string;
}

/** What the trust list says of a key (issue 9's `TrustRecord` has these fields and more). */
export interface PackageTrustRecord {
  publicKey: string;
  name: string;
  status: 'pending' | 'trusted' | 'revoked';
  /** The holder's login name where the trust list knows it: then it must be the package's author. */
  username?: string;
}

export type PackageTrustLookup = (fingerprint: string) => PackageTrustRecord | null;

export interface PackageSigning {
  /** The calling user's key, unlocked with their password; null: this workstation does not sign. */
  signerFor(userId: string, password: string | undefined): Promise<PackageSigner | null>;
  /** The trust list; null: none on this workstation (digests are still checked, signers are not). */
  trust: PackageTrustLookup | null;
}

export const DIGESTS_ONLY: PackageSigning = { signerFor: async () => null, trust: null };

export const SM2_USER_ID = '1234567812345678';

export const sm3Hex = (data: Uint8Array | string): string => createHash('sm3').update(data).digest('hex');

const sm2 = smCrypto.sm2;

/** SM2 verification with the GB/T 32918 default user id (issue 9's `verifyBytes`). */
export function verifySm2(message: Uint8Array, signature: string, publicKey: string): boolean {
  if (!/^04[0-9a-f]{128}$/.test(publicKey) || !/^30[0-9a-f]+$/.test(signature)) return false;
  try {
    return sm2.doVerifySignature(Array.from(message), signature, publicKey, { hash: true, der: true, userId: SM2_USER_ID });
  } catch {
    return false;
  }
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export function signManifestBytes(manifestBytes: Uint8Array, signer: PackageSigner | null, signedAt: string): PackageSignatures {
  const manifestSm3 = sm3Hex(manifestBytes);
  if (!signer) return { manifestSm3, signatures: [] };
  const signature: PackageSignature = {
    fingerprint: signer.fingerprint,
    publicKey: signer.publicKey,
    name: signer.name,
    unit: signer.unit,
    signedAt,
    signature: signer.sign(utf8(signedMessage(manifestSm3, { fingerprint: signer.fingerprint, signedAt }))),
  };
  return { manifestSm3, signatures: [signature] };
}

export interface SignerVerdict {
  name: string;
  fingerprint: string;
  trust: 'trusted' | 'unchecked';
}

/**
 * Checks the signatures over the manifest bytes, throwing the refusal that applies. With a trust list
 * at least one signature is required and every signer must be trusted; without one, signatures that
 * are present must still be mathematically valid.
 */
export function verifyManifestSignatures(manifestBytes: Uint8Array, sigs: PackageSignatures, trust: PackageTrustLookup | null, authorUsername: string): SignerVerdict[] {
  const manifestSm3 = sm3Hex(manifestBytes);
  if (sigs.manifestSm3 !== manifestSm3) throw packageRefusal('digest_mismatch', 'manifest.json');
  if (trust && !sigs.signatures.length) throw packageRefusal('unsigned');
  return sigs.signatures.map((s) => {
    const keyMatches = sm3Hex(Buffer.from(s.publicKey, 'hex')) === s.fingerprint;
    if (!keyMatches || !verifySm2(utf8(signedMessage(manifestSm3, s)), s.signature, s.publicKey)) throw packageRefusal('bad_signature', s.name);
    if (!trust) return { name: s.name, fingerprint: s.fingerprint, trust: 'unchecked' as const };
    const record = trust(s.fingerprint);
    if (!record || record.publicKey !== s.publicKey || record.status === 'pending') throw packageRefusal('untrusted_signer', s.name);
    if (record.status === 'revoked') throw packageRefusal('revoked_signer', record.name);
    if (record.username !== undefined && record.username.toLowerCase() !== authorUsername.toLowerCase()) throw packageRefusal('wrong_signer', record.name);
    return { name: record.name, fingerprint: s.fingerprint, trust: 'trusted' as const };
  });
}
