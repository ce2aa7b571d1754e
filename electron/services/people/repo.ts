/**
 * The accounts as login, the directory, account management, the recovery command and the password
 * throttle read and write them: the rows, their mapping to what the screens show, and the statements,
 * prepared once per database and named for what they do.
 */
import type { UserDetail } from '../../../shared/panel/panel.js';
import { PastUnitsSchema } from '../../../shared/panel/panel.js';
import type { Role } from '../../../shared/people/roles.js';
import type { UserView } from '../../../shared/people/user.js';
import { nowIso } from '../core/context.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { perDatabase } from '../core/db/per-database.js';

/** The hash an account made from a work package holds until a password is set here (it matches no password). */
export const NO_PASSWORD_FROM_PACKAGE = '!';

/** An account's login columns. */
export interface LoginRow {
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

export const toUserView = (row: Pick<LoginRow, 'id' | 'username' | 'display_name' | 'role' | 'affiliation'>): UserView => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  affiliation: row.affiliation,
});

/** An account's panel columns (unit, role in reviews, lock-out). */
export interface UserRow extends LoginRow {
  legal_professional: number;
  past_units_json: string;
  created_at: string;
  /** The latest lock of any one source (window, browser) of the account. */
  source_locked_until: string | null;
}

/** An account with the latest lock of any of its sources: the directory shows it, 解锁 lifts it. */
const USER_SELECT =
  'SELECT u.*, (SELECT max(t.locked_until) FROM login_throttle t WHERE t.user_id = u.id) AS source_locked_until FROM users u';

export const toUserDetail = (r: UserRow): UserDetail => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  affiliation: r.affiliation,
  legalProfessional: r.legal_professional === 1,
  pastUnits: parseJsonColumn(PastUnitsSchema, r.past_units_json, `账户“${r.username}”的曾任职单位`),
  disabled: r.disabled_at !== null,
  fromPackage: r.password_hash === NO_PASSWORD_FROM_PACKAGE,
  lockedUntil:
    [r.locked_until, r.source_locked_until]
      .filter((t): t is string => !!t && t > nowIso())
      .sort()
      .pop() ?? null,
  failedLogins: r.failed_logins,
  createdAt: r.created_at,
});

/** A new account's columns (its password already hashed). */
export interface NewAccount {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  affiliation: string;
  passwordHash: string;
  legalProfessional: number;
  pastUnitsJson: string;
  at: string;
}

/** One source's (window's, browser's) count of wrong passwords for an account. */
export interface ThrottleRow {
  failures: number;
  guesses: number;
  lockouts: number;
  locked_until: string | null;
}

/** The columns `user:update` may change. */
export interface AccountFields {
  displayName: string;
  role: UserRow['role'];
  affiliation: string;
  pastUnitsJson: string;
  legalProfessional: number;
}

function prepare(db: Db) {
  return {
    byId: db.prepare(`${USER_SELECT} WHERE u.id = ?`),
    directory: db.prepare(`${USER_SELECT} ORDER BY u.disabled_at IS NOT NULL, u.display_name`),
    activeOrganisers: db.prepare("SELECT count(*) FROM users WHERE role = 'organiser' AND disabled_at IS NULL").pluck(),
    update: db.prepare(
      `UPDATE users SET display_name = @displayName, role = @role, affiliation = @affiliation, past_units_json = @pastUnitsJson,
         legal_professional = @legalProfessional, updated_at = @at WHERE id = @id`,
    ),
    setDisabled: db.prepare('UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?'),
    setPasswordHash: db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?'),
    touch: db.prepare('UPDATE users SET updated_at = ? WHERE id = ?'),
    // ── login ──
    userCount: db.prepare('SELECT count(*) FROM users').pluck(),
    sessionUser: db.prepare('SELECT id, username, display_name, role, disabled_at FROM users WHERE id = ?'),
    userView: db.prepare('SELECT id, username, display_name, role, affiliation FROM users WHERE id = ?'),
    loginRow: db.prepare('SELECT * FROM users WHERE username = ?'),
    usernameTaken: db.prepare('SELECT 1 FROM users WHERE username = ?'),
    activeUsers: db.prepare(
      'SELECT id, username, display_name, role, affiliation FROM users WHERE disabled_at IS NULL ORDER BY display_name',
    ),
    insert: db.prepare(
      `INSERT INTO users (id, username, display_name, role, affiliation, password_hash, legal_professional, past_units_json, created_at, updated_at)
       VALUES (@id, @username, @displayName, @role, @affiliation, @passwordHash, @legalProfessional, @pastUnitsJson, @at, @at)`,
    ),
    replaceHash: db.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?'),
    organisers: db.prepare(`SELECT id, username, display_name, disabled_at FROM users WHERE role = 'organiser' ORDER BY username`),
    // ── the password throttle ──
    throttleRow: db.prepare('SELECT failures, guesses, lockouts, locked_until FROM login_throttle WHERE user_id = ? AND source = ?'),
    accountLockedUntil: db.prepare('SELECT locked_until FROM users WHERE id = ?').pluck(),
    openThrottleRow: db.prepare(
      `INSERT INTO login_throttle (user_id, source, failures, guesses, lockouts, locked_until, updated_at) VALUES (?, ?, 0, 0, 0, NULL, ?)
       ON CONFLICT (user_id, source) DO NOTHING`,
    ),
    countAccountFailure: db.prepare('UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?'),
    countSourceFailure: db.prepare('UPDATE login_throttle SET failures = failures + 1, updated_at = ? WHERE user_id = ? AND source = ?'),
    countGuess: db.prepare(
      'UPDATE login_throttle SET failures = failures + 1, guesses = ?, lockouts = ?, locked_until = ?, updated_at = ? WHERE user_id = ? AND source = ?',
    ),
    accountGuesses: db.prepare('SELECT coalesce(sum(min(guesses, ?)), 0) FROM login_throttle WHERE user_id = ?').pluck(),
    lockAccount: db.prepare('UPDATE users SET locked_until = ? WHERE id = ?'),
    dropSource: db.prepare('DELETE FROM login_throttle WHERE user_id = ? AND source = ?'),
    forgetGuesses: db.prepare('UPDATE login_throttle SET guesses = 0 WHERE user_id = ?'),
    dropSources: db.prepare('DELETE FROM login_throttle WHERE user_id = ?'),
    unlockAccount: db.prepare('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?'),
  };
}

export class PeopleRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  row(userId: string): UserRow | null {
    return (this.q.byId.get(userId) as UserRow | undefined) ?? null;
  }

  directory(): UserRow[] {
    return this.q.directory.all() as UserRow[];
  }

  activeOrganisers(): number {
    return this.q.activeOrganisers.get() as number;
  }

  update(userId: string, fields: AccountFields): void {
    this.q.update.run({ ...fields, at: nowIso(), id: userId });
  }

  setDisabled(userId: string, disabledAt: string | null): void {
    this.q.setDisabled.run(disabledAt, nowIso(), userId);
  }

  setPasswordHash(userId: string, hash: string): void {
    this.q.setPasswordHash.run(hash, nowIso(), userId);
  }

  /** Marks the account changed (a lift of its lock-out changes no column of its own). */
  touch(userId: string): void {
    this.q.touch.run(nowIso(), userId);
  }

  // ── login ──────────────────────────────────────────────────────────────────────────────────

  userCount(): number {
    return this.q.userCount.get() as number;
  }

  /** Who a window's session acts as, and whether the account has since been disabled. */
  sessionUser(userId: string): { id: string; username: string; displayName: string; role: Role; disabled: boolean } | null {
    const row = this.q.sessionUser.get(userId) as Pick<LoginRow, 'id' | 'username' | 'display_name' | 'role' | 'disabled_at'> | undefined;
    return row ? { id: row.id, username: row.username, displayName: row.display_name, role: row.role, disabled: !!row.disabled_at } : null;
  }

  userView(userId: string): UserView | null {
    const row = this.q.userView.get(userId) as LoginRow | undefined;
    return row ? toUserView(row) : null;
  }

  /** The account a login name names, with its hash and lock-out. */
  loginRow(username: string): LoginRow | null {
    return (this.q.loginRow.get(username) as LoginRow | undefined) ?? null;
  }

  usernameTaken(username: string): boolean {
    return this.q.usernameTaken.get(username) !== undefined;
  }

  /** The accounts in use, by name. */
  activeUsers(): UserView[] {
    return (this.q.activeUsers.all() as LoginRow[]).map(toUserView);
  }

  insert(account: NewAccount): void {
    this.q.insert.run(account);
  }

  /** Replaces the hash if it is still `old` (a password changed meanwhile keeps its new hash). */
  replaceHash(userId: string, old: string, hash: string): void {
    this.q.replaceHash.run(hash, userId, old);
  }

  /** Every organiser account, disabled or not, by login name. */
  organisers(): Array<Pick<LoginRow, 'id' | 'username' | 'display_name' | 'disabled_at'>> {
    return this.q.organisers.all() as Array<Pick<LoginRow, 'id' | 'username' | 'display_name' | 'disabled_at'>>;
  }

  // ── the password throttle ──────────────────────────────────────────────────────────────────

  throttleRow(userId: string, source: string): ThrottleRow | null {
    return (this.q.throttleRow.get(userId, source) as ThrottleRow | undefined) ?? null;
  }

  /** Until when the account itself is locked (null: not locked, or no such account). */
  accountLockedUntil(userId: string): string | null {
    return (this.q.accountLockedUntil.get(userId) as string | null | undefined) ?? null;
  }

  /** Starts the source's count if it has none, and counts the attempt against the account. */
  countAttempt(userId: string, source: string, at: string): void {
    this.q.openThrottleRow.run(userId, source, at);
    this.q.countAccountFailure.run(userId);
  }

  /** Counts an attempt refused while locked: a failure, not a guess. */
  countLockedAttempt(userId: string, source: string, at: string): void {
    this.q.countSourceFailure.run(at, userId, source);
  }

  /** Counts a guess of the source, with its lock-outs so far and the lock it is under. */
  countGuess(userId: string, source: string, guesses: number, lockouts: number, lockedUntil: string | null, at: string): void {
    this.q.countGuess.run(guesses, lockouts, lockedUntil, at, userId, source);
  }

  /** The account's guesses from all sources, each source counted up to `perSource`. */
  accountGuesses(userId: string, perSource: number): number {
    return this.q.accountGuesses.get(perSource, userId) as number;
  }

  lockAccount(userId: string, until: string): void {
    this.q.lockAccount.run(until, userId);
  }

  /** After a right password: the source starts afresh and so does the account's tally; other sources keep their locks. */
  forgiveSource(userId: string, source: string): void {
    this.q.dropSource.run(userId, source);
    this.q.forgetGuesses.run(userId);
    this.q.unlockAccount.run(userId);
  }

  /** Clears every lock and count of the account. */
  clearLocks(userId: string): void {
    this.q.dropSources.run(userId);
    this.q.unlockAccount.run(userId);
  }
}

/** The repo of this database (statements prepared once per database). */
export const peopleRepo = perDatabase((db) => new PeopleRepo(db));
