/**
 * Wrong passwords, counted per account AND per source (one Electron window, one browser): login,
 * co-signing and opening a signing key all spend the same budget. An attempt is reserved — counted
 * as a failure in one transaction with the lock check — before the slow scrypt hash runs, so thirty
 * guesses sent at once are thirty failures, not one. A success gives the reservation back.
 *
 * Five wrong passwords lock that source for 15 minutes, each further lock of the same source twice as
 * long (at most a day). Other sources are not locked by it, so a stranger at one window cannot keep
 * the organiser out of another; only many wrong passwords from many sources lock the account itself.
 * The recovery command (`npm run recover`) and an organiser's 解锁 clear every lock of an account.
 */
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import { nowIso } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import { peopleRepo, type PeopleRepo } from './repo.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
/** Wrong passwords from all sources together after which the account itself is locked. */
export const ACCOUNT_GUESS_LIMIT = 25;
const MAX_LOCK_MS = 24 * 3_600_000;

/** What the attempt is for: named in the audit trail. */
export type AttemptKind = 'login' | 'cosign' | 'key' | 'change_password';

export interface Reservation {
  /** Wrong guesses this source has left before its next lock. */
  left: number;
  /** The password was right: the reserved failure is given back and the source's count cleared. */
  succeeded(): void;
  /** The password was wrong: the failure stays counted (and is audited); throws the error to show. */
  failed(wrong: AppError): never;
}

const lockMs = (n: number): number => Math.min(MAX_LOCK_MS, LOCKOUT_MINUTES * 60_000 * 2 ** Math.max(0, n - 1));

const untilText = (iso: string): string =>
  new Date(iso).toLocaleString('zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export class PasswordThrottle {
  private readonly repo: PeopleRepo;

  constructor(private readonly db: Db) {
    this.repo = peopleRepo(db);
  }

  /**
   * Counts one attempt before its password is checked. Throws 'locked' (the refused attempt still
   * counted) while the source or the account is locked.
   */
  reserve(userId: string, source: string, kind: AttemptKind, subject = '账户'): Reservation {
    const now = nowIso();
    const outcome = tx(this.db, () => {
      const accountLockedUntil = this.repo.accountLockedUntil(userId);
      const row = this.repo.throttleRow(userId, source) ?? { failures: 0, guesses: 0, lockouts: 0, locked_until: null };
      this.repo.countAttempt(userId, source, now);
      const lockedUntil = [row.locked_until, accountLockedUntil]
        .filter((t): t is string => !!t && t > now)
        .sort()
        .pop();
      if (lockedUntil) {
        this.repo.countLockedAttempt(userId, source, now);
        return { locked: lockedUntil, left: 0, lockHere: false, accountLock: false, lockouts: row.lockouts } as const;
      }
      const guesses = row.guesses + 1;
      const lockHere = guesses % MAX_FAILED_LOGINS === 0;
      const lockouts = row.lockouts + (lockHere ? 1 : 0);
      const sourceLock = lockHere ? new Date(Date.now() + lockMs(lockouts)).toISOString() : row.locked_until;
      this.repo.countGuess(userId, source, guesses, lockouts, sourceLock, now);
      // Guesses from many sources add up: past the account's limit the account itself is locked.
      // One source adds at most one lock's worth, so a single window never locks the account.
      const total = this.repo.accountGuesses(userId, MAX_FAILED_LOGINS);
      const accountLock = row.guesses < MAX_FAILED_LOGINS && total % ACCOUNT_GUESS_LIMIT === 0;
      if (accountLock) this.repo.lockAccount(userId, new Date(Date.now() + lockMs(total / ACCOUNT_GUESS_LIMIT)).toISOString());
      return { locked: null, left: MAX_FAILED_LOGINS - (guesses % MAX_FAILED_LOGINS), lockHere, accountLock, lockouts } as const;
    });
    if (outcome.locked) {
      throw new AppError(
        'locked',
        `${subject}连续输错密码次数过多，已锁定至 ${untilText(outcome.locked)}，请稍后再试；组织者可在“人员”页解锁。`,
        { lockedUntil: outcome.locked },
      );
    }
    let settled = false;
    return {
      left: outcome.lockHere ? 0 : outcome.left,
      succeeded: () => {
        if (settled) return;
        settled = true;
        // This source starts afresh, and so does the account's tally; other sources keep their locks.
        tx(this.db, () => this.repo.forgiveSource(userId, source));
      },
      failed: (wrong) => {
        settled = true;
        const action =
          outcome.lockHere || outcome.accountLock ? 'user.locked' : kind === 'login' ? 'user.login_failed' : `user.${kind}_failed`;
        tx(this.db, () =>
          writeAudit(this.db, {
            actorId: null,
            action,
            entity: 'user',
            entityId: userId,
            after: { source, kind, lockouts: outcome.lockouts },
          }),
        );
        if (outcome.lockHere || outcome.accountLock) {
          const until = outcome.accountLock ? this.repo.accountLockedUntil(userId)! : this.repo.throttleRow(userId, source)!.locked_until!;
          throw new AppError('locked', `${subject}连续 ${MAX_FAILED_LOGINS} 次密码错误，已锁定至 ${untilText(until)}。`, {
            ...wrong.details,
            lockedUntil: until,
          });
        }
        throw wrong;
      },
    };
  }

  /** Reserves, checks and settles in one go: the password check must be the only slow part. */
  async check(
    userId: string,
    source: string,
    kind: AttemptKind,
    verify: () => Promise<boolean>,
    wrong: (left: number) => AppError,
    subject?: string,
  ): Promise<void> {
    const reservation = this.reserve(userId, source, kind, subject);
    let ok = false;
    try {
      ok = await verify();
    } catch (err) {
      reservation.failed(err instanceof AppError ? err : new AppError('internal'));
    }
    if (!ok) reservation.failed(wrong(reservation.left));
    reservation.succeeded();
  }

  /** Clears every lock and count of an account (an organiser's 解锁, a password reset, the recovery command). */
  clear(userId: string): void {
    this.repo.clearLocks(userId);
  }
}
