/**
 * Signed manifests for other services — work packages, or anything else that must travel
 * between air-gapped workstations and be checked on arrival. Same format as an issued letter's
 * manifest (`pingcha-signed/1`, shared/signing/manifest.ts): a body naming every file by SM3 digest,
 * signed by each signer over the body's SM3 together with their role and time.
 *
 * Sending side: `sign(request, {userId, password})` opens the person's key with their password and
 * returns the SignedManifest; `toBytes` gives the JSON to put in the package. Receiving side:
 * `check(manifestBytesOrObject, files)` checks every signature against this workstation's trust list
 * and every file by SM3, and says in Chinese why a package does not count. It only reads.
 */
import { AppError } from '../../../shared/core/errors.js';
import type { SignatureCheck, VerifyStatus } from '../../../shared/signing/api.js';
import {
  MANIFEST_FORMAT,
  SIGNER_ROLE_LABELS,
  SignedManifestSchema,
  type ManifestBody,
  type ManifestFile,
  type SignedManifest,
} from '../../../shared/signing/manifest.js';
import { nowIso } from '../core/context.js';
import type { KeysService } from './keys.js';
import { checkManifest, describeFiles, signaturesStatus, signManifest, type Signer } from './signer.js';
import { sm3Hex } from './sm2.js';
import type { TrustList } from './trust.js';

/** A file to list: its bytes, or its SM3 and size when the caller hashed it as a stream (large PDFs). */
export type ManifestEntry = { role: string; name: string; mediaType: string } & ({ bytes: Uint8Array } | { sm3: string; size: number });

export interface ManifestRequest {
  /** What the manifest is for, e.g. 'work-package' or 'return-package'. */
  kind: string;
  /** The package's own id (unique per package). */
  id: string;
  /** What a person reads about it (campaign, reviewer …); plain strings. */
  subject: Record<string, string | null>;
  files: ManifestEntry[];
  /** An earlier package this one replaces, if any. */
  supersedes?: string | null;
}

/** A person who signs, by their login password (it opens their sealed key). */
export interface PasswordSigner {
  userId: string;
  password: string;
}

export type ManifestFileStatus = 'ok' | 'altered' | 'missing' | 'unexpected';

export interface ManifestCheck {
  /** True only when every signature verifies with a trusted, unrevoked key and every file matches. */
  ok: boolean;
  status: Exclude<VerifyStatus, 'not_registered'>;
  manifest: SignedManifest | null;
  /** One per signature, in the manifest's order, with the signer's username from the trust list. */
  signatures: Array<SignatureCheck & { username: string | null }>;
  /** One per file named in the manifest, then any given file it does not name. Empty when no files were given. */
  files: Array<{ name: string; role: string | null; status: ManifestFileStatus }>;
  /** Why it does not count, in Chinese, for the person importing it. */
  reasons: string[];
}

/** The bytes (or streamed digest) a receiver has for one file of the package. */
export type ReceivedFile = { name: string } & ({ bytes: Uint8Array } | { sm3: string });

export function manifestBody(request: ManifestRequest, issuedAt: string): ManifestBody {
  const files: ManifestFile[] = request.files.map((f) =>
    'bytes' in f ? describeFiles([f])[0]! : { role: f.role, name: f.name, mediaType: f.mediaType, bytes: f.size, sm3: f.sm3.toLowerCase() },
  );
  const names = new Set(files.map((f) => f.name));
  if (names.size !== files.length) throw new AppError('invalid_input', '签名清单中有重名的文件。');
  return {
    format: MANIFEST_FORMAT,
    kind: request.kind,
    id: request.id,
    issuedAt,
    subject: request.subject,
    files,
    statement: null,
    supersedes: request.supersedes ?? null,
    rendition: null,
  };
}

export class ManifestSigning {
  constructor(
    private readonly keys: KeysService,
    private readonly trust: TrustList,
  ) {}

  /**
   * Signs a manifest with the issuer's key and any co-signers' (each opened by their own password;
   * a wrong password, a missing, expired or revoked key is an AppError naming the person).
   */
  async sign(request: ManifestRequest, issuer: PasswordSigner, cosigners: PasswordSigner[] = [], at = nowIso()): Promise<SignedManifest> {
    const signers: Array<{ signer: Signer; role: 'issuer' | 'cosigner' }> = [
      { signer: await this.keys.unlock(issuer.userId, issuer.password, at), role: 'issuer' },
    ];
    for (const c of cosigners) signers.push({ signer: await this.keys.unlock(c.userId, c.password, at), role: 'cosigner' });
    return this.signWith(request, signers, at);
  }

  /** The same with keys already opened (KeysService.unlock). */
  signWith(request: ManifestRequest, signers: Array<{ signer: Signer; role: 'issuer' | 'cosigner' }>, at = nowIso()): SignedManifest {
    if (!signers.some((s) => s.role === 'issuer')) throw new AppError('invalid_input', '签名清单需要一名签发人。');
    return signManifest(manifestBody(request, at), signers, at);
  }

  /** The manifest as the JSON file that travels in a package. */
  static toBytes(signed: SignedManifest): Buffer {
    return Buffer.from(`${JSON.stringify(signed, null, 2)}\n`, 'utf8');
  }

  /**
   * Checks a received manifest (its JSON bytes or the parsed object) against this workstation's trust
   * list and, when `files` is given, every file against its SM3 (all named files must be present, no
   * others). Never throws for bad input: an unreadable manifest is status 'unreadable'.
   */
  check(manifest: Uint8Array | unknown, files: ReceivedFile[] | null = null): ManifestCheck {
    let signed: SignedManifest;
    try {
      const value = manifest instanceof Uint8Array ? JSON.parse(Buffer.from(manifest).toString('utf8')) : manifest;
      signed = SignedManifestSchema.parse(value);
    } catch {
      return {
        ok: false,
        status: 'unreadable',
        manifest: null,
        signatures: [],
        files: [],
        reasons: ['签名清单无法读取：不是评查工作站的签名清单，或已损坏。'],
      };
    }
    const signatures = checkManifest(signed, this.trust.lookup).map((c) => ({
      ...c,
      username: this.trust.entry(c.fingerprint)?.username ?? null,
    }));
    const reasons = signatures.filter((c) => c.problem).map((c) => `${SIGNER_ROLE_LABELS[c.role]}${c.name}：${c.problem}`);
    const hasIssuer = signatures.some((c) => c.role === 'issuer');
    if (!hasIssuer) reasons.push('签名清单没有签发人的签名。');

    const fileChecks: ManifestCheck['files'] = [];
    if (files) {
      const given = new Map(files.map((f) => [f.name, 'bytes' in f ? sm3Hex(f.bytes) : f.sm3.toLowerCase()]));
      for (const f of signed.manifest.files) {
        const sm3 = given.get(f.name);
        const status: ManifestFileStatus = sm3 === undefined ? 'missing' : sm3 === f.sm3 ? 'ok' : 'altered';
        fileChecks.push({ name: f.name, role: f.role, status });
        if (status === 'missing') reasons.push(`缺少文件“${f.name}”。`);
        if (status === 'altered') reasons.push(`文件“${f.name}”与签名时不一致（已被改动或损坏）。`);
      }
      const listed = new Set(signed.manifest.files.map((f) => f.name));
      for (const name of given.keys())
        if (!listed.has(name)) {
          fileChecks.push({ name, role: null, status: 'unexpected' });
          reasons.push(`文件“${name}”不在签名清单中。`);
        }
    }

    const bySignatures = signaturesStatus(signatures);
    const status: ManifestCheck['status'] =
      bySignatures !== 'valid'
        ? bySignatures
        : !hasIssuer
          ? 'bad_signature'
          : fileChecks.some((f) => f.status !== 'ok')
            ? 'altered'
            : 'valid';
    return { ok: status === 'valid', status, manifest: signed, signatures, files: fileChecks, reasons };
  }
}
