/**
 * The trust list: whose SM2 public keys this workstation accepts. Its own users' keys enter trusted
 * when they are made here; another workstation's keys enter as "待确认" from an identity file and
 * count only after an organiser has compared the fingerprint with the holder and accepted them. An
 * organiser can revoke any key; a revoked key stays revoked (a trigger refuses the change back).
 */
import type { ChannelOutput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/core/errors.js';
import type { TrustEntry, TrustStatus, KeyOrigin } from '../../../shared/signing/api.js';
import { formatFingerprint, type IdentityFile } from '../../../shared/signing/identity.js';
import { ROLE_LABELS } from '../../../shared/people/roles.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { Staging } from '../core/bytes.js';
import { checkIdentity } from './identity.js';
import { takeStaged } from './staged.js';
import { trustStatements } from './repo.js';

export interface TrustRecord {
  fingerprint: string;
  publicKey: string;
  name: string;
  unit: string;
  status: TrustStatus;
  validFrom: string;
  validTo: string;
  revokedAt: string | null;
  revokeReason: string | null;
}

interface TrustRow {
  fingerprint: string;
  public_key: string;
  display_name: string;
  unit: string;
  role: TrustEntry['role'];
  username: string;
  valid_from: string;
  valid_to: string;
  origin: KeyOrigin;
  status: TrustStatus;
  added_at: string;
  added_by_name: string | null;
  accepted_at: string | null;
  accepted_by_name: string | null;
  revoked_at: string | null;
  revoked_by_name: string | null;
  revoke_reason: string | null;
}

const toEntry = (r: TrustRow): TrustEntry => ({
  fingerprint: r.fingerprint,
  publicKey: r.public_key,
  name: r.display_name,
  unit: r.unit,
  role: r.role,
  username: r.username,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  origin: r.origin,
  status: r.status,
  addedAt: r.added_at,
  addedBy: r.added_by_name,
  acceptedAt: r.accepted_at,
  acceptedBy: r.accepted_by_name,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by_name,
  revokeReason: r.revoke_reason,
});

/** Identity files are a few hundred bytes; anything large is not one. */
const MAX_IDENTITY_BYTES = 64 * 1024;

export class TrustList {
  private readonly q: ReturnType<typeof trustStatements>;

  constructor(private readonly db: Db) {
    this.q = trustStatements(db);
  }

  list(): TrustEntry[] {
    return (this.q.list.all() as TrustRow[]).map(toEntry);
  }

  entry(fingerprint: string): TrustEntry | null {
    const row = this.q.entry.get(fingerprint) as TrustRow | undefined;
    return row ? toEntry(row) : null;
  }

  /** What verification needs (works on a read-only database: the command-line verifier uses it). */
  lookup = (fingerprint: string): TrustRecord | null => {
    const e = this.entry(fingerprint);
    return e
      ? {
          fingerprint: e.fingerprint,
          publicKey: e.publicKey,
          name: e.name,
          unit: e.unit,
          status: e.status,
          validFrom: e.validFrom,
          validTo: e.validTo,
          revokedAt: e.revokedAt,
          revokeReason: e.revokeReason,
        }
      : null;
  };

  private insert(identity: IdentityFile, origin: KeyOrigin, status: TrustStatus, actorId: string): void {
    const now = nowIso();
    this.q.insert.run(
      identity.fingerprint,
      identity.publicKey,
      identity.holder.name,
      identity.holder.unit,
      identity.holder.role,
      identity.holder.username,
      identity.validFrom,
      identity.validTo,
      JSON.stringify(identity),
      origin,
      status,
      actorId,
      now,
      status === 'trusted' ? actorId : null,
      status === 'trusted' ? now : null,
    );
  }

  /** A key made on this workstation by a logged-in user: trusted at once (inside the key's transaction). */
  addLocal(identity: IdentityFile, actorId: string): void {
    if (!this.db.inTransaction) throw new Error('addLocal runs inside the key-creation transaction');
    const existing = this.lookup(identity.fingerprint);
    if (existing?.status === 'revoked') throw new AppError('locked', '该密钥已被撤销，不能再次使用。');
    if (!existing) this.insert(identity, 'local', 'trusted', actorId);
    writeAudit(this.db, {
      actorId,
      action: 'trust.addLocal',
      entity: 'trustedKey',
      entityId: identity.fingerprint,
      after: { name: identity.holder.name, status: existing?.status ?? 'trusted' },
    });
  }

  /** Reads an identity file, checks it, and lists the key as 待确认. */
  import(bytes: Uint8Array, ctx: CallContext): TrustEntry {
    const actor = requireActor(ctx);
    if (bytes.length > MAX_IDENTITY_BYTES) throw new AppError('unsupported_file', '文件过大，不是签名身份文件。');
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
      throw new AppError('unsupported_file', '不是签名身份文件（应为评查工作站导出的 .json 身份文件）。');
    }
    const checked = checkIdentity(value);
    if (!checked.ok) throw new AppError('damaged_file', checked.reason);
    const identity = checked.identity;
    return tx(this.db, () => {
      const existing = this.entry(identity.fingerprint);
      if (existing)
        throw new AppError(
          'conflict',
          `该密钥（${existing.name}，指纹 ${formatFingerprint(identity.fingerprint).slice(0, 19)}…）已在信任列表中，状态为“${{ pending: '待确认', trusted: '已信任', revoked: '已撤销' }[existing.status]}”。`,
        );
      if (this.q.publicKeyKnown.get(identity.publicKey)) throw new AppError('conflict', '该公钥已在信任列表中。');
      this.insert(identity, 'imported', 'pending', actor.id);
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'trust.import',
        entity: 'trustedKey',
        entityId: identity.fingerprint,
        after: {
          name: identity.holder.name,
          unit: identity.holder.unit,
          role: ROLE_LABELS[identity.holder.role],
          validTo: identity.validTo,
        },
      });
      return this.entry(identity.fingerprint)!;
    });
  }

  accept(fingerprint: string, ctx: CallContext): TrustEntry {
    const actor = requireActor(ctx);
    return tx(this.db, () => {
      const e = this.entry(fingerprint);
      if (!e) throw new AppError('not_found', '信任列表中没有这个密钥。');
      if (e.status === 'revoked')
        throw new AppError('locked', '该密钥已被撤销，不能再设为信任。如确属本人，请让其生成新密钥并重新导出身份文件。');
      if (e.status === 'trusted') throw new AppError('conflict', '该密钥已是“已信任”。');
      if (e.validTo < nowIso()) throw new AppError('conflict', '该密钥已过有效期，不能设为信任。');
      this.q.accept.run(actor.id, nowIso(), fingerprint);
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'trust.accept',
        entity: 'trustedKey',
        entityId: fingerprint,
        before: { status: e.status },
        after: { status: 'trusted', name: e.name },
      });
      return this.entry(fingerprint)!;
    });
  }

  revoke(fingerprint: string, reason: string, ctx: CallContext): TrustEntry {
    const actor = requireActor(ctx);
    return tx(this.db, () => {
      const e = this.entry(fingerprint);
      if (!e) throw new AppError('not_found', '信任列表中没有这个密钥。');
      if (e.status === 'revoked') throw new AppError('conflict', '该密钥已被撤销。');
      this.q.revoke.run(actor.id, nowIso(), reason, fingerprint);
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'trust.revoke',
        entity: 'trustedKey',
        entityId: fingerprint,
        before: { status: e.status },
        after: { status: 'revoked', name: e.name, reason },
      });
      return this.entry(fingerprint)!;
    });
  }

  handlers(staging: Staging): Pick<Handlers, 'trust:list' | 'trust:import' | 'trust:accept' | 'trust:revoke'> {
    return {
      'trust:list': (): ChannelOutput<'trust:list'> => this.list(),
      'trust:import': async ({ sourceId }, ctx) => {
        const file = await takeStaged(staging, sourceId, requireActor(ctx).id, MAX_IDENTITY_BYTES, '文件过大，不是签名身份文件。');
        return this.import(file.bytes, ctx);
      },
      'trust:accept': ({ fingerprint }, ctx) => this.accept(fingerprint, ctx),
      'trust:revoke': ({ fingerprint, reason }, ctx) => this.revoke(fingerprint, reason, ctx),
    };
  }
}
