/**
 * Getting an organiser back in, from the PC itself (`npm run recover`): whoever can run a command on
 * the workstation with its data folder already holds everything in it, so this asks for no password.
 * It lifts every lock of the account (all sources) and, if asked, sets a new login password. Both are
 * written to the audit trail as done by the recovery command, with the operating-system user.
 */
import os from 'node:os';
import { AppError } from '../../../shared/core/errors.js';
import { PasswordSchema } from '../../../shared/people/user.js';
import { writeAudit } from '../core/audit.js';
import { tx, type Db } from '../core/db/database.js';
import { hashPassword } from './auth.js';
import { peopleRepo, type PeopleRepo } from './repo.js';
import { PasswordThrottle } from './throttle.js';

export interface RecoveredAccount {
  username: string;
  displayName: string;
  unlocked: true;
  passwordReset: boolean;
}

type OrganiserRow = ReturnType<PeopleRepo['organisers']>[number];

/** The organiser named (or the only active one when none is named). */
function organiser(db: Db, username: string | undefined): OrganiserRow {
  const rows = peopleRepo(db).organisers();
  if (username) {
    const row = rows.find((r) => r.username.toLowerCase() === username.toLowerCase());
    if (!row)
      throw new AppError(
        'not_found',
        `没有登录名为“${username}”的组织者。本工作站的组织者：${rows.map((r) => r.username).join('、') || '无'}。`,
      );
    return row;
  }
  const active = rows.filter((r) => !r.disabled_at);
  if (active.length !== 1)
    throw new AppError(
      'invalid_input',
      `本工作站有 ${active.length} 位在用的组织者（${active.map((r) => r.username).join('、')}），请用 --user 指定登录名。`,
    );
  return active[0]!;
}

export async function recoverOrganiser(db: Db, options: { username?: string; newPassword?: string }): Promise<RecoveredAccount> {
  const row = organiser(db, options.username);
  let hash: string | null = null;
  if (options.newPassword !== undefined) {
    const checked = PasswordSchema.safeParse(options.newPassword);
    if (!checked.success) throw new AppError('invalid_input', checked.error.issues[0]?.message ?? '密码不符合要求。');
    hash = await hashPassword(options.newPassword);
  }
  const by = { by: 'npm run recover', osUser: safeOsUser(), host: os.hostname() };
  tx(db, () => {
    new PasswordThrottle(db).clear(row.id);
    // A disabled organiser would still be shut out: recovery brings the account back into use.
    peopleRepo(db).setDisabled(row.id, null);
    writeAudit(db, {
      actorId: null,
      action: 'user.recover_unlock',
      entity: 'user',
      entityId: row.id,
      after: { ...by, wasDisabled: row.disabled_at !== null },
    });
    if (hash) {
      peopleRepo(db).setPasswordHash(row.id, hash);
      writeAudit(db, {
        actorId: null,
        action: 'user.reset_password',
        entity: 'user',
        entityId: row.id,
        after: { ...by, passwordReset: true },
      });
    }
  });
  return { username: row.username, displayName: row.display_name, unlocked: true, passwordReset: hash !== null };
}

function safeOsUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}
