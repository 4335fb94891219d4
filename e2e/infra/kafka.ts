/**
 * Local Apache Kafka 4.1.1 (KRaft, single combined broker+controller) for
 * integration / UI tests and for developers (`npm run kafka:up` / `kafka:down`).
 *
 * - Jars come from Maven Central (resolved with `mvn`) into a cache outside the
 *   repo: ${KAFKA_DESK_CACHE:-~/.cache/kafka-desk}/kafka-4.1.1/libs/.
 * - Everything per run lives in <repo>/.dev-kafka/ (git-ignored): data/, certs/,
 *   server.properties, log4j2.properties, kafka.log, kafka.pid, cluster.json.
 * - Listeners (all 127.0.0.1): PLAINTEXT 19092, SASL_PLAINTEXT 19093, OAUTHBEARER 19098
 *   (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), SSL 19094, MTLS 19095 (client cert
 *   required), controller 19090.
 *
 * This module is what the tests, the CLI and the global setup import; the parts live beside it:
 * jars.ts (release and Maven jars), certificates.ts (TLS material), brokerConfig.ts (ports,
 * server.properties, log4j2, JVM), clusterInfo.ts (cluster.json), readiness.ts (probes),
 * brokerProcess.ts (start, restart, stop), lock.ts, paths.ts, processes.ts; the KDC in kdc.ts,
 * the Kafka Connect worker in connect.ts and the Schema Registries in schemaRegistry.ts. The
 * three-broker cluster (`ensureKafkaCluster`, `.dev-kafka/three/`) is in kafkaCluster.ts.
 */
import { stopKafka as stopBroker, type EnsureKafkaOptions } from './brokerProcess.js';
import { stopSchemaRegistry } from './schemaRegistry.js';

export { KAFKA_VERSION, LOG4J2_VERSION, mavenPom, resolveMavenJars } from './jars.js';
export { CLUSTER_NODES, PORTS, clusterPorts, jvmArgs, log4j2Properties } from './brokerConfig.js';
export {
  readCluster,
  readKafkaCluster,
  type ClusterInfo,
  type ClusterNodeInfo,
  type ThreeBrokerInfo,
  type UserCredentials,
} from './clusterInfo.js';
export { ensureKafka, restartKafka, type EnsureKafkaOptions } from './brokerProcess.js';
export { ensureKafkaCluster, stopKafkaCluster, type EnsureKafkaClusterOptions } from './kafkaCluster.js';
export { ensureSchemaRegistry, registryInfo, stopSchemaRegistry, type RegistryInfo } from './schemaRegistry.js';
export { withLock } from './lock.js';
export { clusterDir, dataDir, javaBin, repoRoot } from './paths.js';
export { isPidAlive, killAndWait } from './processes.js';

/** Stops the broker and what runs beside it (the Schema Registries here; Connect and the KDC in brokerProcess.ts). */
export async function stopKafka(opts: EnsureKafkaOptions = {}): Promise<void> {
  await stopSchemaRegistry(opts);
  await stopBroker(opts);
}
