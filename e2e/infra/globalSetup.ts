/**
 * Global setup for Vitest (`test.globalSetup`) and Playwright (`globalSetup`):
 * makes sure a local Kafka is running and returns the teardown, which stops
 * the broker only if this run started it (a broker from `npm run kafka:up`
 * is left alone). Set KAFKA_DESK_KEEP_KAFKA=1 to keep a broker started here.
 * The three-broker cluster is not started here: the test files that need it start it themselves
 * (`ensureKafkaCluster()`), so only they pay for its three JVMs.
 *
 * Tests read connection details with `readCluster()` from ./kafka.js
 * (or the JSON file at process.env.KAFKA_DESK_CLUSTER_FILE).
 */
import path from 'node:path';
import { ensureKafka, stopKafka } from './kafka.js';

export default async function globalSetup(..._args: unknown[]): Promise<() => Promise<void>> {
  const log = (s: string) => console.log(`[kafka] ${s}`);
  const { cluster, startedHere } = await ensureKafka({ log });
  process.env.KAFKA_DESK_CLUSTER_FILE = path.join(cluster.dataDir, 'cluster.json');
  return async () => {
    if (startedHere && !process.env.KAFKA_DESK_KEEP_KAFKA) await stopKafka({ log });
  };
}
