/**
 * The handlers of every channel, registered by feature. A channel registered twice, or one of the
 * contract without a handler, is a programming error that stops the back end at start (no object
 * spread where a later key silently wins).
 */
import { CHANNELS, type Channel } from '../../../shared/contract/index.js';
import type { Handlers } from './dispatcher.js';

export function registerHandlers(parts: ReadonlyArray<Partial<Handlers>>): Handlers {
  const all: Partial<Record<Channel, unknown>> = {};
  for (const part of parts) {
    for (const channel of Object.keys(part) as Channel[]) {
      if (channel in all) throw new Error(`two handlers for ${channel}`);
      all[channel] = part[channel];
    }
  }
  const missing = CHANNELS.filter((c) => !(c in all));
  if (missing.length) throw new Error(`no handler for ${missing.join(', ')}`);
  return all as Handlers;
}
