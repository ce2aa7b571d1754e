/**
 * Local accounts and per-window login state. Passwords are hashed with scrypt (Node's crypto);
 * repeated failures lock the account for a while. A session belongs to a client (one Electron window
 * or one browser context), so two people can be logged in on two windows of the same workstation.
 */
import type { ByteTickets } from '../core/bytes.js';
import { randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { UserView } from '../../../shared/people/user.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import type { Actor } from '../core/context.js';
import { nowIso } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import { peopleRepo, toUserView } from './repo.js';
import type { PasswordThrottle } from './throttle.js';

/** N = 2^17 (128 MiB, about half a second here): a stolen database costs a guesser that much per try. */
export const SCRYPT = { N: 1 << 17, r: 8, p: 1, keylen: 32 } as const;
export { LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from './throttle.js';

/** Enough memory for the cost asked (Node refuses above maxmem); stored hashes above 2^20 are refused. */
export const scryptMaxmem = (N: number, r: number): number => 128 * N * r + 32 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(
      password.normalize('NFKC'),
      salt,
      keylen,
      { ...options, maxmem: scryptMaxmem(options.N ?? SCRYPT.N, options.r ?? SCRYPT.r) },
      (err, key) => (err ? reject(err) : resolve(key)),
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
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!(params.N <= 1 << 20 && params.r <= 16 && params.p <= 4)) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, params);
  return timingSafeEqual(actual, expected);
}

/** A hash made with a lower cost than today's: re-hashed at the next successful login. */
export const weakerThanNow = (stored: string): boolean => Number(stored.split('$')[1]) < SCRYPT.N;

export { NO_PASSWORD_FROM_PACKAGE } from './repo.js';

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
    const user = peopleRepo(this.db).sessionUser(userId);
    if (!user || user.disabled) {
      this.byClient.delete(clientId);
      return null;
    }
    return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
  }
}

export function authHandlers(
  db: Db,
  sessions: Sessions,
  tickets: Pick<ByteTickets, 'revokeClient'>,
  throttle: PasswordThrottle,
): Pick<Handlers, 'auth:status' | 'auth:setup' | 'auth:login' | 'auth:logout' | 'user:list' | 'user:create'> {
  const repo = peopleRepo(db);
  const userCount = (): number => repo.userCount();

  return {
    'auth:status': (_input, ctx) => {
      const actor = ctx.actor;
      return { needsSetup: userCount() === 0, user: actor ? repo.userView(actor.id) : null };
    },

    'auth:setup': async (input, ctx) => {
      if (userCount() > 0) throw new AppError('conflict', '本工作站已设置过管理员账户，请直接登录。');
      const hash = await hashPassword(input.password);
      const id = randomUUID();
      const now = nowIso();
      const view = tx(db, () => {
        // Re-check inside the transaction: two windows could race through the first-run screen.
        if (userCount() > 0) throw new AppError('conflict', '本工作站已设置过管理员账户，请直接登录。');
        repo.insert({
          id,
          username: input.username,
          displayName: input.displayName,
          role: 'organiser',
          affiliation: input.affiliation,
          passwordHash: hash,
          legalProfessional: 0,
          pastUnitsJson: '[]',
          at: now,
        });
        const user: UserView = {
          id,
          username: input.username,
          displayName: input.displayName,
          role: 'organiser',
          affiliation: input.affiliation,
        };
        writeAudit(db, { actorId: id, action: 'user.setup', entity: 'user', entityId: id, after: user });
        return user;
      });
      sessions.bind(ctx.clientId, id);
      return view;
    },

    'auth:login': async (input, ctx) => {
      const row = repo.loginRow(input.username);
      const wrong = new AppError('invalid_input', '登录名或密码不正确。');
      if (!row) {
        await hashPassword(input.password); // same cost either way: do not reveal which names exist
        throw wrong;
      }
      if (row.disabled_at) throw new AppError('locked', '该账户已停用，请联系组织者。');
      // Counted before the hash runs: thirty guesses sent at once are thirty, and the sixth is refused.
      await throttle.check(
        row.id,
        ctx.clientId,
        'login',
        () => verifyPassword(input.password, row.password_hash),
        (left) => new AppError('invalid_input', `登录名或密码不正确（还可尝试 ${left} 次）。`),
      );
      const rehash = weakerThanNow(row.password_hash) ? await hashPassword(input.password) : null;
      tx(db, () => {
        if (rehash) repo.replaceHash(row.id, row.password_hash, rehash);
        writeAudit(db, {
          actorId: row.id,
          action: 'user.login',
          entity: 'user',
          entityId: row.id,
          ...(rehash ? { after: { passwordRehashed: true } } : {}),
        });
      });
      sessions.bind(ctx.clientId, row.id);
      return toUserView(row);
    },

    'auth:logout': (_input, ctx) => {
      // On a shared meeting-room PC the trail shows who handed the window to whom.
      if (ctx.actor)
        tx(db, () => writeAudit(db, { actorId: ctx.actor!.id, action: 'user.logout', entity: 'user', entityId: ctx.actor!.id }));
      sessions.unbind(ctx.clientId);
      tickets.revokeClient(ctx.clientId);
      return { ok: true as const };
    },

    'user:list': () => repo.activeUsers(),

    'user:create': async (input, ctx) => {
      const actor = ctx.actor!;
      const hash = await hashPassword(input.password);
      const id = randomUUID();
      const now = nowIso();
      return tx(db, () => {
        if (repo.usernameTaken(input.username)) throw new AppError('conflict', `登录名“${input.username}”已被使用，请换一个。`);
        repo.insert({
          id,
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          affiliation: input.affiliation,
          passwordHash: hash,
          legalProfessional: input.legalProfessional ? 1 : 0,
          pastUnitsJson: JSON.stringify(input.pastUnits),
          at: now,
        });
        const user: UserView = {
          id,
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          affiliation: input.affiliation,
        };
        writeAudit(db, {
          actorId: actor.id,
          action: 'user.create',
          entity: 'user',
          entityId: id,
          after: { ...user, legalProfessional: input.legalProfessional, pastUnits: input.pastUnits },
        });
        return user;
      });
    },
  };
}
