/**
 * Signing and checking signed manifests — the reusable part: letters use it, and the work
 * packages can too (build a ManifestBody with their entries' SM3 digests, `signManifest` with the
 * lead's Signer from KeysService.unlock, and `checkManifest` on the receiving workstation).
 */
import { canonicalJson } from '../../../shared/signing/canonical.js';
import type { SignatureCheck } from '../../../shared/signing/api.js';
import { validAt } from '../../../shared/signing/identity.js';
import {
  signedPart,
  type ManifestBody,
  type ManifestFile,
  type SignedManifest,
  type SignerRole,
} from '../../../shared/signing/manifest.js';
import type { Statement } from '../../../shared/signing/statement.js';
import { utf8 } from './identity.js';
import { fingerprintOf, sm3Hex, verifyBytes } from './sm2.js';
import type { TrustRecord } from './trust.js';

/** An unlocked key: it signs, and says whose it is. Obtained from KeysService.unlock with a password. */
export interface Signer {
  fingerprint: string;
  publicKey: string;
  name: string;
  unit: string;
  sign(message: Uint8Array): string;
}

/** The trust list as a verifier sees it. */
export type TrustLookup = (fingerprint: string) => TrustRecord | null;

export const manifestSm3 = (body: ManifestBody): string => sm3Hex(canonicalJson(body));

/** SM3 digests and sizes of a document's files, in the manifest's form. */
export function describeFiles(files: Array<{ role: string; name: string; mediaType: string; bytes: Uint8Array }>): ManifestFile[] {
  return files.map((f) => ({ role: f.role, name: f.name, mediaType: f.mediaType, bytes: f.bytes.length, sm3: sm3Hex(f.bytes) }));
}

export function signManifest(body: ManifestBody, signers: Array<{ signer: Signer; role: SignerRole }>, signedAt: string): SignedManifest {
  const digest = manifestSm3(body);
  return {
    manifest: body,
    signatures: signers.map(({ signer, role }) => {
      const part = signedPart(digest, { role, fingerprint: signer.fingerprint, signedAt });
      return {
        role,
        fingerprint: signer.fingerprint,
        publicKey: signer.publicKey,
        name: signer.name,
        unit: signer.unit,
        signedAt,
        signature: signer.sign(utf8(canonicalJson(part))),
      };
    }),
  };
}

export function signStatement(statement: Statement, signer: Signer): string {
  return signer.sign(utf8(canonicalJson(statement)));
}

const DAY = (iso: string): string =>
  new Date(iso).toLocaleDateString('zh-CN', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Shanghai' });

/** Whether a mathematically valid signature counts on this workstation, and why not. */
function trustProblem(
  record: TrustRecord | null,
  publicKey: string,
  at: string | null,
): { trust: SignatureCheck['trust']; problem: string | null } {
  if (!record) return { trust: null, problem: '签名人的公钥不在本工作站的信任列表中（请先导入其身份文件并由组织者确认）。' };
  if (record.publicKey !== publicKey) return { trust: record.status, problem: '签名所用公钥与信任列表中的不一致。' };
  if (record.status === 'revoked')
    return {
      trust: 'revoked',
      problem: `签名密钥已于${DAY(record.revokedAt ?? record.validTo)}被撤销${record.revokeReason ? `（${record.revokeReason}）` : ''}。`,
    };
  if (record.status === 'pending') return { trust: 'pending', problem: '签名人的身份文件已导入，但尚未经组织者确认信任。' };
  if (at && !validAt(record, at))
    return { trust: 'trusted', problem: `签名时间不在该密钥的有效期内（${DAY(record.validFrom)}至${DAY(record.validTo)}）。` };
  return { trust: 'trusted', problem: null };
}

function check(
  message: string,
  sig: { role: SignerRole; fingerprint: string; publicKey: string; signature: string; signedAt: string; name: string; unit: string },
  trust: TrustLookup,
  /** Whether `signedAt` is a signed time (checked against the key's validity) or only a date printed on paper. */
  timed = true,
): SignatureCheck {
  const keyMatches = fingerprintOf(sig.publicKey) === sig.fingerprint;
  const valid = keyMatches && verifyBytes(utf8(message), sig.signature, sig.publicKey);
  const record = trust(sig.fingerprint);
  const name = record?.name ?? sig.name;
  const unit = record?.unit ?? sig.unit;
  if (!valid)
    return {
      role: sig.role,
      name,
      unit,
      fingerprint: sig.fingerprint,
      signedAt: sig.signedAt,
      valid: false,
      trust: record?.status ?? null,
      problem: 'SM2 签名验证失败：签名与内容不符。',
    };
  const { trust: status, problem } = trustProblem(record, sig.publicKey, timed ? sig.signedAt : null);
  return { role: sig.role, name, unit, fingerprint: sig.fingerprint, signedAt: sig.signedAt, valid: true, trust: status, problem };
}

/** The overall status from the signature checks (every one must count). */
export function signaturesStatus(checks: SignatureCheck[]): 'valid' | 'bad_signature' | 'revoked' | 'untrusted' {
  if (checks.some((c) => !c.valid && c.trust !== null)) return 'bad_signature';
  if (checks.some((c) => c.trust === 'revoked')) return 'revoked';
  if (checks.some((c) => c.problem)) return 'untrusted';
  return 'valid';
}

/** Checks every signature of a manifest against the trust list (all must count for the document to be valid). */
export function checkManifest(signed: SignedManifest, trust: TrustLookup): SignatureCheck[] {
  const digest = manifestSm3(signed.manifest);
  return signed.signatures.map((s) => check(canonicalJson(signedPart(digest, s)), s, trust));
}

/**
 * Checks the printed statement's signature (the issuer's key is found in the trust list by
 * fingerprint). `issuedAt` is the signed issue time when the register knows it; from paper alone only
 * the 成文日期 is known, so the key's validity window is not checked then.
 */
export function checkStatement(statement: Statement, signature: string, issuedAt: string | null, trust: TrustLookup): SignatureCheck {
  const record = trust(statement.signer);
  if (!record)
    return {
      role: 'issuer',
      name: '（未知签名人）',
      unit: '',
      fingerprint: statement.signer,
      signedAt: issuedAt ?? statement.date,
      valid: false,
      trust: null,
      problem: '签名人的公钥不在本工作站的信任列表中，无法验证签名（请先导入其身份文件并由组织者确认）。',
    };
  return check(
    canonicalJson(statement),
    {
      role: 'issuer',
      fingerprint: statement.signer,
      publicKey: record.publicKey,
      signature,
      signedAt: issuedAt ?? statement.date,
      name: record.name,
      unit: record.unit,
    },
    trust,
    issuedAt !== null,
  );
}
