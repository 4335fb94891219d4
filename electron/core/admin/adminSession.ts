import type { ResolvedConnection } from '../connections/storedConnection';
import { withKafka, type KafkaSession } from '../kafka/gateway';
import { assertWritable } from './readOnly';

export type ResolveConnection = (id: string) => Promise<ResolvedConnection>;

/** Runs an admin request on a session of its own; a write (`write` says what it does) is refused first on a read-only connection. */
export type RunOnSession = <T>(
  id: string,
  fn: (s: KafkaSession, c: ResolvedConnection) => Promise<T>,
  write?: string,
) => Promise<T>;

export function sessionRunner(resolve: ResolveConnection): RunOnSession {
  return async (id, fn, write) => {
    const conn = await resolve(id);
    if (write) assertWritable(conn, write);
    return withKafka(conn, (s) => fn(s, conn));
  };
}

export const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
export const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
