import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';

/**
 * The one gate for every write (produce, commit, topic and group admin, Connect actions). Enforced in
 * the core, so a read-only connection stays read-only whatever the UI or a script sends.
 */
export function assertWritable(conn: Pick<ResolvedConnection, 'name' | 'readOnly'>, action: string): void {
  if (conn.readOnly) {
    throw new CoreError(
      'READ_ONLY',
      `'${conn.name}' is a read-only connection, so Kafka Desk did not ${action}. Turn read-only off in the connection's settings if you mean to change this cluster.`,
    );
  }
}
