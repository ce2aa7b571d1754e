/**
 * The one entry point from any transport: validate the input against the contract, check who is
 * calling and what the call may touch (the channel's declared roles, scope and writes, by the access
 * policy), run the service, check the output, and answer `{ok, value}` or `{ok: false, error}`.
 * Bad input never reaches a service; a service failure never leaks a stack trace to the UI.
 */
import {
  contract,
  isChannel,
  type Access,
  type Channel,
  type ChannelOutput,
  type ParsedInput,
  type Result,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/core/errors.js';
import { describeZodError } from '../../../shared/core/validation.js';
import type { Actor, CallContext } from './context.js';
import type { Logger } from './logger.js';
import type { Policy } from './policy.js';
import { storageFault } from './storage-faults.js';

export type Handler<C extends Channel> = (input: ParsedInput<C>, ctx: CallContext) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

export type Handlers = { [C in Channel]: Handler<C> };

/** Resolves the logged-in user of a client (window / browser context). */
export type SessionLookup = (clientId: string) => Actor | null;

export class Dispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly sessionOf: SessionLookup,
    private readonly policy: Pick<Policy, 'check' | 'visibleCaseIds'>,
    private readonly log: Logger,
    /** Named in a disk-full or no-permission refusal when the failing path is unknown (SQLite). */
    private readonly dataDir = '',
  ) {}

  async dispatch(channel: unknown, rawInput: unknown, clientId: string): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return fail(new AppError('invalid_input', `未知的接口：${String(channel).slice(0, 80)}`));
    }
    const spec = contract[channel];
    const actor = this.sessionOf(clientId);
    const denied = checkAccess(spec.access, actor);
    if (denied) return fail(denied);

    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const failure = describeZodError(parsed.error);
      return fail(new AppError('invalid_input', failure.message, { path: failure.path, issues: failure.issues }));
    }

    try {
      const scope = this.policy.check(spec, actor, parsed.data);
      const ctx: CallContext = {
        clientId,
        actor,
        scope,
        visibleCaseIds: (campaignId) => (actor ? this.policy.visibleCaseIds(actor, campaignId) : new Set()),
      };
      const handler = this.handlers[channel] as (input: unknown, ctx: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        this.log.error(`output of ${channel} does not match the contract`, describeZodError(checked.error));
        return fail(new AppError('internal'));
      }
      return { ok: true, value: checked.data };
    } catch (err) {
      if (err instanceof AppError) return fail(err);
      const fault = storageFault(err, this.dataDir);
      if (fault) {
        this.log.error(`storage fault in ${channel}`, err);
        return fail(fault);
      }
      this.log.error(`unexpected failure in ${channel}`, err);
      return fail(new AppError('internal'));
    }
  }
}

function checkAccess(access: Access, actor: Actor | null): AppError | null {
  if (access === 'public') return null;
  if (!actor) return new AppError('unauthenticated');
  if (access === 'user') return null;
  if (!access.includes(actor.role)) return new AppError('forbidden');
  return null;
}

const fail = (err: AppError): Result<never> => ({ ok: false, error: err.toShape() });
