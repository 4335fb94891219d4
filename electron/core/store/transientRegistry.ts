import { randomUUID } from 'node:crypto';

/**
 * What a host names for one run and never saves — the command line's `--bootstrap …` connection or
 * `--connect-url …` cluster: registered with the core under an id of its own (shaped like a saved
 * one's, so every channel takes it), resolved like a saved one, forgotten with the process.
 */
export class TransientRegistry<T> {
  private readonly items = new Map<string, T>();

  constructor(private readonly prefix: string) {}

  /** Keeps `make(id)` under a new id and returns the id. */
  add(make: (id: string) => T): string {
    const id = `${this.prefix}-${randomUUID()}`;
    this.items.set(id, make(id));
    return id;
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }
}
