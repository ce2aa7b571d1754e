/**
 * Local accounts and per-window login state. Passwords are hashed with scrypt (Node's crypto);
 * repeated failures lock the account for a while. A session belongs to a client (one Electron window
 * or one browser context), so two people can be logged in on two windows of the same workstation.
 */
import type { ByteTickets } from '../core/bytes.js';
import { randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { UserView } from '../../../shared/people/user.js';
import type { Role } from '../../../shared/people/roles.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import type { Actor } from '../core/context.js';
import { nowIso } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';

const SCRYPT = { N: 1 << 15, r: 8, p: 1, keylen: 32 } as const;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, keylen, { ...options, maxmem: 128 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  affiliation: string;
  password_hash: string;
  failed_logins: number;
  locked_until: string | null;
  disabled_at: string | null;
}

export const toUserView = (row: Pick<UserRow, 'id' | 'username' | 'display_name' | 'role' | 'affiliation'>): UserView => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  affiliation: row.affiliation,
});

/** clientId → user id. In memory on purpose: a restart logs everyone out. */
export class Sessions {
  private readonly byClient = new Map<string, string>();
  constructor(private readonly db: Db) {}

  bind(clientId: string, userId: string): void {
    this.byClient.set(clientId, userId);
  }
  unbind(clientId: string): void {
    this.byClient.delete(clientId);
  }
  /** A window opened by a logged-in window (e.g. the projector view) acts as the same person. */
  share(fromClientId: string, toClientId: string): void {
    const userId = this.byClient.get(fromClientId);
    if (userId) this.byClient.set(toClientId, userId);
  }
  actorOf(clientId: string): Actor | null {
    const userId = this.byClient.get(clientId);
    if (!userId) return null;
    const row = this.db
      .prepare('SELECT id, username, display_name, role, disabled_at FROM users WHERE id = ?')
      .get(userId) as (Pick<UserRow, 'id' | 'username' | 'display_name' | 'role' | 'disabled_at'>) | undefined;
    if (!row || row.disabled_at) {
      this.byClient.delete(clientId);
      return null;
    }
    return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
  }
}

export function authHandlers(
  db: Db,
  sessions: Sessions,
  tickets: Pick<ByteTickets, 'revokeClient'>,
): Pick<Handlers, 'auth:status' | 'auth:setup' | 'auth:login' | 'auth:logout' | 'user:list' | 'user:create'> {
  const userCount = (): number => (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;

  return {
    'auth:status': (_input, ctx) => {
      const actor = ctx.actor;
      const row = actor
        ? (db.prepare('SELECT id, username, display_name, role, affiliation FROM users WHERE id = ?').get(actor.id) as UserRow)
        : null;
      return { needsSetup: userCount() === 0, user: row ? toUserView(row) : null };
    },

    'auth:setup': async (input, ctx) => {
      if (userCount() > 0) throw new AppError('conflict', '本工作站已设置过管理员账户，请直接登录。');
      const hash = await hashPassword(input.password);
      const id = randomUUID();
      const now = nowIso();
      const view = tx(db, () => {
        // Re-check inside the transaction: two windows could race through the first-run screen.
        if (userCount() > 0) throw new AppError('conflict', '本工作站已设置过管理员账户，请直接登录。');
        db.prepare(
          `INSERT INTO users (id, username, display_name, role, affiliation, password_hash, created_at, updated_at)
           VALUES (?, ?, ?, 'organiser', ?, ?, ?, ?)`,
        ).run(id, input.username, input.displayName, input.affiliation, hash, now, now);
        const user: UserView = { id, username: input.username, displayName: input.displayName, role: 'organiser', affiliation: input.affiliation };
        writeAudit(db, { actorId: id, action: 'user.setup', entity: 'user', entityId: id, after: user });
        return user;
      });
      sessions.bind(ctx.clientId, id);
      return view;
    },

    'auth:login': async (input, ctx) => {
      const row = db.prepare('SELECT * FROM users WHERE username = ?').get(input.username) as UserRow | undefined;
      const wrong = new AppError('invalid_input', '登录名或密码不正确。');
      if (!row) {
        await hashPassword(input.password); // same cost either way: do not reveal which names exist
        throw wrong;
      }
      if (row.disabled_at) throw new AppError('locked', '该账户已停用，请联系组织者。');
      if (row.locked_until && row.locked_until > nowIso()) {
        const until = new Date(row.locked_until).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });
        throw new AppError('locked', `连续输错密码次数过多，账户已锁定至 ${until}，请稍后再试。`);
      }
      const ok = await verifyPassword(input.password, row.password_hash);
      if (!ok) {
        const failed = row.failed_logins + 1;
        const lock = failed >= MAX_FAILED_LOGINS ? new Date(Date.now() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
        tx(db, () => {
          db.prepare('UPDATE users SET failed_logins = ?, locked_until = ?, updated_at = ? WHERE id = ?').run(
            lock ? 0 : failed,
            lock,
            nowIso(),
            row.id,
          );
          writeAudit(db, { actorId: null, action: lock ? 'user.locked' : 'user.login_failed', entity: 'user', entityId: row.id });
        });
        if (lock) throw new AppError('locked', `连续 ${MAX_FAILED_LOGINS} 次密码错误，账户已锁定 ${LOCKOUT_MINUTES} 分钟。`);
        throw new AppError('invalid_input', `登录名或密码不正确（还可尝试 ${MAX_FAILED_LOGINS - failed} 次）。`);
      }
      tx(db, () => {
        db.prepare('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(row.id);
        writeAudit(db, { actorId: row.id, action: 'user.login', entity: 'user', entityId: row.id });
      });
      sessions.bind(ctx.clientId, row.id);
      return toUserView(row);
    },

    'auth:logout': (_input, ctx) => {
      // On a shared meeting-room PC the trail shows who handed the window to whom.
      if (ctx.actor) tx(db, () => writeAudit(db, { actorId: ctx.actor!.id, action: 'user.logout', entity: 'user', entityId: ctx.actor!.id }));
      sessions.unbind(ctx.clientId);
      tickets.revokeClient(ctx.clientId);
      return { ok: true as const };
    },

    'user:list': () =>
      (db.prepare('SELECT id, username, display_name, role, affiliation FROM users WHERE disabled_at IS NULL ORDER BY display_name').all() as UserRow[]).map(
        toUserView,
      ),

    'user:create': async (input, ctx) => {
      const actor = ctx.actor!;
      const hash = await hashPassword(input.password);
      const id = randomUUID();
      const now = nowIso();
      return tx(db, () => {
        if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(input.username))
          throw new AppError('conflict', `登录名“${input.username}”已被使用，请换一个。`);
        db.prepare(
          `INSERT INTO users (id, username, display_name, role, affiliation, password_hash, legal_professional, past_units_json, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(id, input.username, input.displayName, input.role, input.affiliation, hash, input.legalProfessional ? 1 : 0, JSON.stringify(input.pastUnits), now, now);
        const user: UserView = { id, username: input.username, displayName: input.displayName, role: input.role, affiliation: input.affiliation };
        writeAudit(db, { actorId: actor.id, action: 'user.create', entity: 'user', entityId: id, after: { ...user, legalProfessional: input.legalProfessional, pastUnits: input.pastUnits } });
        return user;
      });
    },
  };
}
