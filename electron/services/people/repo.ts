/**
 * The accounts as the directory and account management read and write them: the row, its mapping to
 * what the screens show, and the statements, prepared once per database and named for what they do.
 */
import type { UserDetail } from '../../../shared/panel/panel.js';
import { PastUnitsSchema } from '../../../shared/panel/panel.js';
import { nowIso } from '../core/context.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { NO_PASSWORD_FROM_PACKAGE, type UserRow as AuthUserRow } from './auth.js';

/** An account's panel columns (unit, role in reviews, lock-out). */
export interface UserRow extends AuthUserRow {
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
}
