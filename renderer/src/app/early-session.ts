/**
 * Who is logged in, asked as the page starts (main.tsx imports this before the app's chunk arrives),
 * so the answer is there when the session provider first renders instead of one round trip later.
 * Kept free of heavy imports: it is part of the small entry chunk.
 */
import type { ChannelOutput } from '../../../shared/contract/index';
import { invoke } from '../api/client';
import { EarlyAnswer } from '../api/early-answer';

type SessionStatus = ChannelOutput<'auth:status'>;

const early = new EarlyAnswer<SessionStatus>(invoke('auth:status', {}));

/** The status asked at start-up (handed out once), or a fresh question after that. */
export function sessionStatus(): Promise<SessionStatus> {
  return early.take() ?? invoke('auth:status', {});
}

/**
 * The status asked at start-up, if its answer is in and nobody has taken it (a peek, so a render may
 * call it): the app then starts on the right screen. Whoever uses it calls forgetEarlySession.
 */
export function answeredSessionStatus(): SessionStatus | undefined {
  return early.peek();
}

/** From now on, the session is asked afresh (a login or logout has happened since start-up). */
export function forgetEarlySession(): void {
  early.forget();
}
