/**
 * Each person's SM2 key pair. The private key is made here, sealed under the holder's login password
 * (scrypt → AES-256-GCM, see sm2.ts) and stored only sealed; it is opened for one signature at a time
 * with the password typed for that signature. It leaves the workstation only as an encrypted backup.
 * The public key goes out as a self-signed identity file for other workstations' trust lists.
 */
import { z } from 'zod';
import type { ChannelOutput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/core/errors.js';
import type { KeyInfo } from '../../../shared/signing/api.js';
import { IdentityFileSchema, shortFingerprint, validAt, type IdentityFile } from '../../../shared/signing/identity.js';
import { writeAudit } from '../core/audit.js';
import { verifyPassword, type PasswordThrottle } from '../people/index.js';
import type { Staging } from '../core/bytes.js';
import { nowIso, requireActor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { ExportsService } from '../core/downloads.js';
import { safeFileName } from '../core/fs-atomic.js';
import { checkIdentity, makeIdentity } from './identity.js';
import type { Signer } from './signer.js';
import { generateKeyPair, KDF, openPrivateKey, publicKeyOf, sealPrivateKey, signBytes, type SealedKey } from './sm2.js';
import { takeStaged } from './staged.js';
import type { TrustList } from './trust.js';
import { sealedKey, SealedKeySchema, signingRepo, type HolderRow, type KeyRow, type SigningRepo } from './repo.js';
import { parseJsonColumn } from '../core/db/json-column.js';

export const JSON_MIME = 'application/json';
export const BACKUP_FORMAT = 'pingcha-key-backup/1';

const BackupSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  notice: z.string(),
  identity: IdentityFileSchema,
  sealedPrivateKey: SealedKeySchema,
});

const DAY = (iso: string): string => iso.slice(0, 10);

export class KeysService {
  private readonly repo: SigningRepo;

  constructor(
    private readonly db: Db,
    private readonly trust: TrustList,
    private readonly exportsService: ExportsService,
    /** Wrong passwords typed to open a key count toward the same lock-out as wrong logins. */
    private readonly throttle: PasswordThrottle,
  ) {
    this.repo = signingRepo(db);
  }

  private user(userId: string): HolderRow {
    const row = this.repo.holder(userId);
    if (!row) throw new AppError('not_found', '该账户不存在或已停用。');
    return row;
  }

  private activeRow(userId: string): KeyRow | null {
    return this.repo.activeKey(userId);
  }

  private info(row: KeyRow): KeyInfo {
    return {
      fingerprint: row.fingerprint,
      publicKey: row.public_key,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      createdAt: row.created_at,
      status: row.status,
      trust: this.trust.lookup(row.fingerprint)?.status ?? null,
    };
  }

  mine(userId: string): ChannelOutput<'key:mine'> {
    const rows = this.repo.keysOf(userId);
    const active = rows.find((r) => r.status === 'active');
    return { active: active ? this.info(active) : null, retired: rows.filter((r) => r.status === 'retired').map((r) => this.info(r)) };
  }

  private async confirmPassword(user: HolderRow, password: string, source: string): Promise<void> {
    await this.throttle.check(
      user.id,
      source,
      'key',
      () => verifyPassword(password, user.password_hash),
      () => new AppError('invalid_input', '密码不正确。', { path: 'password' }),
    );
  }

  private insertKey(user: HolderRow, identity: IdentityFile, sealed: SealedKey, replace: boolean): void {
    const now = nowIso();
    const current = this.activeRow(user.id);
    if (current && !replace) throw new AppError('conflict', '您已有一把有效的签名密钥。如需更换，请选择“更换密钥”。');
    if (current) {
      this.repo.retireKey(current.fingerprint, now);
      writeAudit(this.db, { actorId: user.id, action: 'key.retire', entity: 'signingKey', entityId: current.fingerprint });
    }
    if (this.repo.keyOwner(identity.fingerprint)) throw new AppError('conflict', '该密钥已在本工作站。');
    this.repo.insertKey({
      fingerprint: identity.fingerprint,
      userId: user.id,
      publicKey: identity.publicKey,
      sealed,
      identity,
      validFrom: identity.validFrom,
      validTo: identity.validTo,
      at: now,
    });
    this.trust.addLocal(identity, user.id);
  }

  /** Makes the caller's key pair; the password must be their login password (it seals the private key). */
  async create(password: string, replace: boolean, ctx: CallContext): Promise<KeyInfo> {
    const actor = requireActor(ctx);
    const user = this.user(actor.id);
    await this.confirmPassword(user, password, ctx.clientId);
    if (this.activeRow(user.id) && !replace) throw new AppError('conflict', '您已有一把有效的签名密钥。如需更换，请选择“更换密钥”。');
    const pair = generateKeyPair();
    const identity = makeIdentity(
      pair,
      { name: user.display_name, unit: user.affiliation, role: user.role, username: user.username },
      nowIso(),
    );
    const sealed = await sealPrivateKey(pair.privateKey, password, identity.fingerprint);
    pair.privateKey = '';
    tx(this.db, () => {
      this.insertKey(user, identity, sealed, replace);
      writeAudit(this.db, {
        actorId: user.id,
        action: 'key.create',
        entity: 'signingKey',
        entityId: identity.fingerprint,
        after: { validTo: identity.validTo, replace },
      });
    });
    return this.info(this.activeRow(user.id)!);
  }

  identity(userId: string): IdentityFile {
    const row = this.activeRow(userId);
    if (!row) throw new AppError('not_found', '您还没有签名密钥，请先生成。');
    return parseJsonColumn(IdentityFileSchema, row.identity_json, `签名密钥 ${row.fingerprint} 的身份文件`);
  }

  /**
   * Opens a person's private key with their password for signing. Refuses a missing, expired or
   * revoked key, and a wrong password (audited).
   */
  async unlock(userId: string, password: string, at = nowIso(), source = 'local'): Promise<Signer> {
    const user = this.user(userId);
    const row = this.activeRow(userId);
    if (!row) throw new AppError('not_found', `${user.display_name}还没有签名密钥，请先在“签名与信任”页生成。`);
    const trust = this.trust.lookup(row.fingerprint);
    if (!trust || trust.status === 'revoked') throw new AppError('locked', `${user.display_name}的签名密钥已被撤销，请生成新密钥。`);
    if (!validAt({ validFrom: row.valid_from, validTo: row.valid_to }, at))
      throw new AppError('locked', `${user.display_name}的签名密钥已于${DAY(row.valid_to)}过期，请生成新密钥。`);
    const sealed = sealedKey(row);
    // A co-signer's password typed at someone else's window is a guess like any login: counted first.
    const reservation = this.throttle.reserve(userId, source, 'cosign', `${user.display_name}的账户`);
    const privateKey = await openPrivateKey(sealed, password, row.fingerprint);
    if (!privateKey || publicKeyOf(privateKey) !== row.public_key) {
      tx(this.db, () =>
        writeAudit(this.db, { actorId: userId, action: 'key.unlock_failed', entity: 'signingKey', entityId: row.fingerprint }),
      );
      const reset = this.repo.passwordResetSince(userId, row.created_at);
      return reservation.failed(
        new AppError(
          'invalid_input',
          reset
            ? `${user.display_name}的密码在生成签名密钥后被组织者重置过，签名密钥仍由原密码加密：请用原密码，或从密钥备份恢复，或生成新密钥。`
            : `${user.display_name}的密码不正确，无法解开签名密钥。`,
          { path: 'password', userId },
        ),
      );
    }
    reservation.succeeded();
    if (sealed.N < KDF.N) {
      // Sealed at a lower scrypt cost than today's: re-sealed now that the password is at hand.
      const stronger = await sealPrivateKey(privateKey, password, row.fingerprint);
      tx(this.db, () => this.repo.resealIfUnchanged(row, stronger));
    }
    const publicKey = row.public_key;
    return {
      fingerprint: row.fingerprint,
      publicKey,
      name: user.display_name,
      unit: user.affiliation,
      sign: (message) => signBytes(message, privateKey, publicKey),
    };
  }

  /**
   * After a person changed their own password: re-seals their active key under the new one, so it
   * keeps opening with the password they log in with. False (audited) when the old password did not
   * open it — e.g. it was sealed before an organiser reset the password; a backup restores it then.
   */
  async reseal(userId: string, oldPassword: string, newPassword: string): Promise<boolean> {
    const row = this.activeRow(userId);
    if (!row) return true;
    const privateKey = await openPrivateKey(sealedKey(row), oldPassword, row.fingerprint);
    const sealed = privateKey ? await sealPrivateKey(privateKey, newPassword, row.fingerprint) : null;
    tx(this.db, () => {
      if (sealed) this.repo.reseal(row.fingerprint, sealed);
      writeAudit(this.db, {
        actorId: userId,
        action: sealed ? 'key.reseal' : 'key.reseal_failed',
        entity: 'signingKey',
        entityId: row.fingerprint,
      });
    });
    return !!sealed;
  }

  /** The encrypted backup: the identity and the sealed private key exactly as stored (never in the clear). */
  backup(userId: string): z.infer<typeof BackupSchema> {
    const row = this.activeRow(userId);
    if (!row) throw new AppError('not_found', '您还没有签名密钥，无法备份。');
    return {
      format: BACKUP_FORMAT,
      notice: '本文件含有用您的登录密码加密（scrypt + AES-256-GCM）的 SM2 签名私钥。请妥善保管；恢复时需要备份时的密码。',
      identity: parseJsonColumn(IdentityFileSchema, row.identity_json, `签名密钥 ${row.fingerprint} 的身份文件`),
      sealedPrivateKey: sealedKey(row),
    };
  }

  /** Restores a backup to the caller's account: opened with the backup's password, re-sealed under the current one. */
  async restore(bytes: Uint8Array, backupPassword: string, password: string, ctx: CallContext): Promise<KeyInfo> {
    const actor = requireActor(ctx);
    const user = this.user(actor.id);
    let parsed: z.infer<typeof BackupSchema>;
    try {
      parsed = BackupSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch {
      throw new AppError('unsupported_file', '不是评查工作站的签名密钥备份文件。');
    }
    const checked = checkIdentity(parsed.identity);
    if (!checked.ok) throw new AppError('damaged_file', checked.reason);
    const identity = checked.identity;
    if (identity.holder.username.toLowerCase() !== user.username.toLowerCase())
      throw new AppError('forbidden', `该备份属于账户“${identity.holder.username}”（${identity.holder.name}），不能恢复到当前账户。`);
    await this.confirmPassword(user, password, ctx.clientId);
    const privateKey = await openPrivateKey(parsed.sealedPrivateKey, backupPassword, identity.fingerprint);
    if (!privateKey || publicKeyOf(privateKey) !== identity.publicKey)
      throw new AppError('invalid_input', '备份密码不正确，或备份文件已损坏。', { path: 'backupPassword' });
    if (identity.validTo < nowIso()) throw new AppError('conflict', '备份中的密钥已过有效期，请生成新密钥。');
    const sealed = await sealPrivateKey(privateKey, password, identity.fingerprint);
    tx(this.db, () => {
      const existing = this.repo.keyOwner(identity.fingerprint);
      if (!existing) this.insertKey(user, identity, sealed, true);
      else {
        // The same key again (e.g. after a password reset made the stored copy unopenable): re-seal it and make it current.
        if (existing.user_id !== user.id) throw new AppError('conflict', '该密钥在本工作站属于另一个账户。');
        const current = this.activeRow(user.id);
        if (current && current.fingerprint !== identity.fingerprint) this.repo.retireKey(current.fingerprint, nowIso());
        this.repo.reactivate(identity.fingerprint, sealed);
        this.trust.addLocal(identity, user.id);
      }
      writeAudit(this.db, { actorId: user.id, action: 'key.restore', entity: 'signingKey', entityId: identity.fingerprint });
    });
    return this.info(this.activeRow(user.id)!);
  }

  handlers(staging: Staging): Pick<Handlers, 'key:mine' | 'key:create' | 'key:exportIdentity' | 'key:exportBackup' | 'key:restore'> {
    const download = async (kind: string, name: string, value: unknown, ctx: CallContext, action: string, fingerprint: string) => {
      const actor = requireActor(ctx);
      const out = await this.exportsService.register(
        kind,
        safeFileName(name),
        Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8'),
        JSON_MIME,
        ctx,
      );
      tx(this.db, () => writeAudit(this.db, { actorId: actor.id, action, entity: 'signingKey', entityId: fingerprint }));
      return out;
    };
    return {
      'key:mine': (_input, ctx) => this.mine(requireActor(ctx).id),
      'key:create': ({ password, replace }, ctx) => this.create(password, replace, ctx),
      'key:exportIdentity': async (_input, ctx) => {
        const actor = requireActor(ctx);
        const identity = this.identity(actor.id);
        const out = await download(
          'keyIdentity',
          `签名身份-${actor.displayName}-${shortFingerprint(identity.fingerprint).replace(/ /g, '')}.json`,
          identity,
          ctx,
          'key.exportIdentity',
          identity.fingerprint,
        );
        return { fileName: out.fileName, url: out.url, bytes: out.bytes };
      },
      'key:exportBackup': async ({ password }, ctx) => {
        const actor = requireActor(ctx);
        // The backup is only the sealed key, but handing it out still takes the holder's password.
        await this.confirmPassword(this.user(actor.id), password, ctx.clientId);
        const backup = this.backup(actor.id);
        const out = await download(
          'keyBackup',
          `签名密钥备份-${actor.displayName}-${shortFingerprint(backup.identity.fingerprint).replace(/ /g, '')}.json`,
          backup,
          ctx,
          'key.exportBackup',
          backup.identity.fingerprint,
        );
        return { fileName: out.fileName, url: out.url, bytes: out.bytes };
      },
      'key:restore': async ({ sourceId, backupPassword, password }, ctx) => {
        const file = await takeStaged(staging, sourceId, requireActor(ctx).id, 64 * 1024, '文件过大，不是签名密钥备份文件。');
        return this.restore(file.bytes, backupPassword, password, ctx);
      },
    };
  }
}
