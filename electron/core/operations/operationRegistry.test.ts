import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../contract';
import { CoreEvents } from '../events';
import { OperationRegistry } from './operationRegistry';

describe('progress of long operations', () => {
  it('at most one event per interval, the latest numbers always sent, the end last; cancel aborts', async () => {
    const events = new CoreEvents();
    const got: EventPayload<'operation.progress'>[] = [];
    events.onAny((name, p) => name === 'operation.progress' && got.push(p as EventPayload<'operation.progress'>));
    const registry = new OperationRegistry(events, 50);
    const op = registry.begin('op-12345678', 'consume');
    for (let i = 1; i <= 5; i++) op.progress(i, { total: 10 });
    expect(got.map((e) => e.done)).toEqual([1]);
    await new Promise((r) => setTimeout(r, 80));
    expect(got.map((e) => e.done)).toEqual([1, 5]);
    expect(registry.cancel('op-12345678')).toBe(true);
    expect(op.signal.aborted).toBe(true);
    op.progress(6);
    op.end('cancelled', 6, { total: 10 });
    await new Promise((r) => setTimeout(r, 80));
    expect(got.at(-1)).toMatchObject({ state: 'cancelled', done: 6, total: 10 });
    expect(got.filter((e) => e.state === 'cancelled')).toHaveLength(1);
    expect(registry.cancel('op-12345678')).toBe(false);
  });
});
