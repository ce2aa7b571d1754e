/** Back-end → UI notifications. Transports subscribe and forward to their windows. */
import type { EventName, EventPayload } from '../../../shared/contract/index.js';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // A broken window must not stop the others from hearing about the change.
      }
    }
  }
}
