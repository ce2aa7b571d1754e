/**
 * Who is logged in, asked as the page starts (main.tsx imports this before the app's chunk arrives),
 * so the answer is there when the session provider first renders instead of one round trip later.
 * Kept free of heavy imports: it is part of the small entry chunk.
 */
import { invoke } from '../api/client';

let early: ReturnType<typeof askStatus> | null = askStatus();
// Taken by the session provider; until then a failure must not surface as an unhandled rejection.
early.catch(() => undefined);

function askStatus() {
  return invoke('auth:status', {});
}

/** The status asked at start-up (handed out once), or a fresh question after that. */
export function sessionStatus(): ReturnType<typeof askStatus> {
  const p = early ?? askStatus();
  early = null;
  return p;
}
