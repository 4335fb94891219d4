import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../contract';

/** The core's outgoing events; each host forwards them to its windows / sockets. */
export class CoreEvents {
  private readonly emitter = new EventEmitter();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', event, payload);
  }

  /** Listener for every event; returns an unsubscribe function. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
