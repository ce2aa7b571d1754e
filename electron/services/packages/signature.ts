/**
 * Work packages signed and checked with the signing feature (signing/manifests.ts): no crypto of our
 * own here, only what a package means by it.
 *
 * Sending: the author's key (opened with their password, KeysService.unlock) signs a
 * `pingcha-signed/1` manifest that lists every entry of the zip by SM3 and size; the author's identity
 * file travels beside it.
 *
 * Receiving: `ManifestSigning.check` checks the signature and every extracted entry; its verdict is
 * turned into the packages' refusals. A key this workstation does not trust yet is not a dead end
 * when the package carries the signer's identity file: the import shows the fingerprint, a person
 * compares it with the holder (as on the 签名与信任 screen) and confirms, and the key is added to the
 * trust list and accepted in the import's own transaction (audited). Who may confirm: an organiser
 * (the signing rule for any key); and the lead, for one key only — the reviewer's own, on a return
 * package answering an out-package this workstation sent that reviewer, so a lead can take back the
 * work they handed out without an organiser at the table. Revoked keys, wrong fingerprints, altered
 * identity files and signers who are not the package's author are refused.
 */
import { createHash } from 'node:crypto';
import type { Role } from '../../../shared/people/roles.js';
import { AppError } from '../../../shared/core/errors.js';
import { packageRefusal } from '../../../shared/packages/refusals.js';
import type { IdentityFile } from '../../../shared/signing/identity.js';
import type { SignedManifest } from '../../../shared/signing/manifest.js';
import type { ManifestCheck, ManifestEntry } from '../signing/index.js';
import { ManifestSigning } from '../signing/index.js';
import { checkIdentity } from '../signing/index.js';
import type { Signer } from '../signing/index.js';

export interface SignerVerdict {
  name: string;
  unit: string;
  fingerprint: string;
  /** trusted: in this workstation's trust list; confirm: valid, carried in the package, awaiting a person's confirmation. */
  trust: 'trusted' | 'confirm';
}

export interface PackageSignatureVerdict {
  signer: SignerVerdict;
  /** The signer's identity file when a person must confirm the key before the package is applied. */
  toConfirm: { identity: IdentityFile; bytes: Uint8Array } | null;
}

/** Signs the list of a package's entries with an opened key (the author's). */
export function signEntries(
  manifests: ManifestSigning,
  signer: Signer,
  request: { kind: string; id: string; subject: Record<string, string | null> },
  files: ManifestEntry[],
  at: string,
): { manifest: SignedManifest; bytes: Buffer } {
  const manifest = manifests.signWith({ ...request, files }, [{ signer, role: 'issuer' }], at);
  return { manifest, bytes: ManifestSigning.toBytes(manifest) };
}

const firstProblem = (check: ManifestCheck): string | undefined => check.reasons[0]?.replace(/。$/, '').slice(0, 160);

/**
 * Reads the signing feature's verdict on a package's signed manifest and entries, throwing the refusal that
 * applies (most fundamental first: forged signature, altered or missing bytes, then whose key).
 */
export function judgeSignature(
  check: ManifestCheck,
  identityBytes: Uint8Array | null,
  authorUsername: string,
  trustedUsername: (fingerprint: string) => string | null,
): PackageSignatureVerdict & { signed: SignedManifest } {
  if (check.status === 'unreadable' || !check.manifest) throw packageRefusal('bad_manifest', 'signature.json');
  if (check.signatures.some((s) => !s.valid)) throw packageRefusal('bad_signature', firstProblem(check));
  const altered = check.files.find((f) => f.status === 'altered');
  if (altered) throw packageRefusal('digest_mismatch', altered.name.slice(0, 120));
  const unlisted = check.files.find((f) => f.status !== 'ok');
  if (unlisted)
    throw packageRefusal('unlisted_entry', `${unlisted.status === 'missing' ? '缺少' : '多余的'} ${unlisted.name.slice(0, 120)}`);
  const issuers = check.signatures.filter((s) => s.role === 'issuer');
  if (issuers.length !== 1 || check.signatures.length !== 1) throw packageRefusal('unsigned');
  const sig = issuers[0]!;
  const signature = check.manifest.signatures[0]!;
  if (sig.trust === 'revoked') throw packageRefusal('revoked_signer', sig.name);

  let toConfirm: PackageSignatureVerdict['toConfirm'] = null;
  let username: string | null;
  if (sig.trust === 'trusted') {
    if (sig.problem) throw packageRefusal('untrusted_signer', `${sig.name}：${sig.problem.replace(/。$/, '')}`);
    username = sig.username ?? trustedUsername(sig.fingerprint);
  } else {
    // Not in the trust list, or imported but not yet accepted: the package's identity file may stand in.
    const identity = identityBytes ? parseIdentity(identityBytes) : null;
    if (!identity || identity.fingerprint !== sig.fingerprint || identity.publicKey !== signature.publicKey)
      throw packageRefusal('untrusted_signer', sig.name);
    if (!(identity.validFrom <= signature.signedAt && signature.signedAt <= identity.validTo))
      throw packageRefusal('untrusted_signer', `${sig.name}：签名时间不在密钥有效期内`);
    toConfirm = { identity, bytes: identityBytes! };
    username = identity.holder.username;
  }
  if (username === null || username.toLowerCase() !== authorUsername.toLowerCase()) throw packageRefusal('wrong_signer', sig.name);
  return {
    signed: check.manifest,
    signer: { name: sig.name, unit: sig.unit, fingerprint: sig.fingerprint, trust: toConfirm ? 'confirm' : 'trusted' },
    toConfirm,
  };
}

function parseIdentity(bytes: Uint8Array): IdentityFile | null {
  try {
    const checked = checkIdentity(JSON.parse(Buffer.from(bytes).toString('utf8')));
    return checked.ok ? checked.identity : null;
  } catch {
    return null;
  }
}

/**
 * Whether `role` may confirm this signer's key while importing (see the top of this file); throws
 * the reason a person reads when not.
 */
export function mayConfirm(role: Role, rule: { returnFromOwnReviewer: boolean }): void {
  if (role === 'organiser') return;
  if (role === 'lead' && rule.returnFromOwnReviewer) return;
  throw new AppError(
    'forbidden',
    '签名人的密钥尚未受本工作站信任。确认新的签名密钥需要组织者：请组织者登录后导入，或先在“签名与信任”页导入其身份文件并确认。',
    {
      reason: 'untrusted_signer',
    },
  );
}

/** SM3 of a package's audit rows as they travel (their JSON), declared in the signed package manifest. */
export function auditRowsSm3(entries: readonly unknown[]): string {
  return createHash('sm3').update(JSON.stringify(entries), 'utf8').digest('hex');
}
