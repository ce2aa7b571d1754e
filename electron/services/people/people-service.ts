/**
 * Managing accounts after they exist: edit, disable, reset a forgotten password, lift a lock-out, change
 * one's own password. Every change is audited with who did it; the organiser cannot lock themselves
 * or the workstation out (the last active organiser stays an active organiser).
 */
import type { UserDetail } from '../../../shared/panel/panel.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import { hashPassword, NO_PASSWORD_FROM_PACKAGE, verifyPassword } from './auth.js';
import { peopleRepo, toUserDetail, type PeopleRepo, type UserRow } from './repo.js';
import type { ByteTickets } from '../core/bytes.js';
import type { PasswordThrottle } from './throttle.js';
import { nowIso, requireActor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';

/** What the audit trail keeps of an account (never the hash). */
const auditView = (d: UserDetail) => ({
  displayName: d.displayName,
  role: d.role,
  affiliation: d.affiliation,
  pastUnits: d.pastUnits,
  legalProfessional: d.legalProfessional,
  disabled: d.disabled,
});

export class PeopleService {
  private readonly repo: PeopleRepo;

  constructor(
    private readonly db: Db,
    private readonly tickets: ByteTickets,
    private readonly events: EventHub,
    /** A person's signing key is sealed under their login password: a new password re-seals it, so it keeps opening. */
    private readonly keys: { reseal(userId: string, oldPassword: string, newPassword: string): Promise<unknown> },
    private readonly throttle: PasswordThrottle,
  ) {
    this.repo = peopleRepo(db);
  }

  row(userId: string): UserRow {
    const row = this.repo.row(userId);
    if (!row) throw new AppError('not_found', '用户不存在。');
    return row;
  }

  detail(userId: string): UserDetail {
    return toUserDetail(this.row(userId));
  }

  private activeOrganisers(): number {
    return this.repo.activeOrganisers();
  }

  /** Runs a change to one account in a transaction with its audit row, then tells the windows. */
  private change(
    actorId: string,
    userId: string,
    action: string,
    apply: (before: UserRow) => void,
    audit?: (before: UserDetail, after: UserDetail) => unknown,
  ): UserDetail {
    const after = tx(this.db, () => {
      const before = this.row(userId);
      apply(before);
      const now = this.detail(userId);
      const was = toUserDetail(before);
      writeAudit(this.db, {
        actorId,
        action,
        entity: 'user',
        entityId: userId,
        ...(audit ? { after: audit(was, now) } : { before: auditView(was), after: auditView(now) }),
      });
      return now;
    });
    this.events.emit('data:changed', { entity: 'user', id: userId });
    return after;
  }

  handlers(): Pick<
    Handlers,
    'user:directory' | 'user:update' | 'user:setDisabled' | 'user:resetPassword' | 'user:unlock' | 'user:changePassword'
  > {
    return {
      'user:directory': () => this.repo.directory().map(toUserDetail),

      'user:update': (input, ctx) => {
        const actor = requireActor(ctx);
        return this.change(actor.id, input.userId, 'user.update', (before) => {
          if (input.role && input.role !== before.role) {
            if (before.id === actor.id) throw new AppError('conflict', '不能修改自己的角色，请由另一位组织者操作。');
            if (before.role === 'organiser' && !before.disabled_at && this.activeOrganisers() <= 1)
              throw new AppError('conflict', '这是本工作站唯一的组织者，不能改为其他角色。');
          }
          this.repo.update(before.id, {
            displayName: input.displayName ?? before.display_name,
            role: input.role ?? before.role,
            affiliation: input.affiliation ?? before.affiliation,
            pastUnitsJson: input.pastUnits ? JSON.stringify(input.pastUnits) : before.past_units_json,
            legalProfessional: input.legalProfessional === undefined ? before.legal_professional : input.legalProfessional ? 1 : 0,
          });
        });
      },

      'user:setDisabled': (input, ctx) => {
        const actor = requireActor(ctx);
        const out = this.change(actor.id, input.userId, input.disabled ? 'user.disable' : 'user.enable', (before) => {
          if (input.disabled && before.id === actor.id) throw new AppError('conflict', '不能停用自己正在使用的账户。');
          if (input.disabled && before.role === 'organiser' && !before.disabled_at && this.activeOrganisers() <= 1)
            throw new AppError('conflict', '这是本工作站唯一的组织者，不能停用。');
          // An account from another workstation's package has no password here: enabling it alone would
          // leave an account nobody can log in to, so the organiser sets a password first.
          if (!input.disabled && before.password_hash === NO_PASSWORD_FROM_PACKAGE)
            throw new AppError('conflict', `“${before.display_name}”的账户来自其他工作站，本机还没有它的密码：请先设置密码，再启用。`, {
              reason: 'no_password_here',
            });
          this.repo.setDisabled(before.id, input.disabled ? (before.disabled_at ?? nowIso()) : null);
        });
        // A disabled account's windows lose their login on their next call (Sessions checks); its byte links now.
        if (input.disabled) this.tickets.revokeUser(input.userId);
        return out;
      },

      'user:resetPassword': async (input, ctx) => {
        const actor = requireActor(ctx);
        if (input.userId === actor.id) throw new AppError('conflict', '修改自己的密码请使用“修改密码”，需要输入当前密码。');
        const hash = await hashPassword(input.password);
        return this.change(
          actor.id,
          input.userId,
          'user.reset_password',
          (before) => {
            this.repo.setPasswordHash(before.id, hash);
            this.throttle.clear(before.id);
          },
          () => ({ passwordReset: true }),
        );
      },

      'user:unlock': (input, ctx) => {
        const actor = requireActor(ctx);
        return this.change(
          actor.id,
          input.userId,
          'user.unlock',
          (before) => {
            this.repo.touch(before.id);
            this.throttle.clear(before.id);
          },
          (before) => ({ lockedUntil: before.lockedUntil, failedLogins: before.failedLogins, unlocked: true }),
        );
      },

      'user:changePassword': async (input, ctx) => {
        const actor = requireActor(ctx);
        const row = this.row(actor.id);
        await this.throttle.check(
          actor.id,
          ctx.clientId,
          'change_password',
          () => verifyPassword(input.currentPassword, row.password_hash),
          () => new AppError('invalid_input', '当前密码不正确。', { path: 'currentPassword' }),
        );
        if (input.currentPassword === input.newPassword)
          throw new AppError('invalid_input', '新密码不能与当前密码相同。', { path: 'newPassword' });
        const hash = await hashPassword(input.newPassword);
        tx(this.db, () => {
          this.repo.setPasswordHash(actor.id, hash);
          writeAudit(this.db, { actorId: actor.id, action: 'user.change_password', entity: 'user', entityId: actor.id });
        });
        await this.keys.reseal(actor.id, input.currentPassword, input.newPassword);
        return { ok: true as const };
      },
    };
  }
}
