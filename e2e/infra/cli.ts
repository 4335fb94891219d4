/**
 * Local Kafka for development and tests.
 *
 *   npx tsx e2e/infra/cli.ts up      # start (or reuse) the broker, print listeners, return
 *   npx tsx e2e/infra/cli.ts up --connect   # and a Kafka Connect worker (REST on 127.0.0.1:18083)
 *   npx tsx e2e/infra/cli.ts up --registry  # and the Schema Registries (127.0.0.1:18081 open, :18082 basic auth)
 *   npx tsx e2e/infra/cli.ts down    # stop it
 *   npx tsx e2e/infra/cli.ts status  # exit 0 if running, 1 if not
 *   npx tsx e2e/infra/cli.ts up|down|status --brokers 3   # the three-broker cluster instead
 */
import {
  ensureKafka,
  ensureKafkaCluster,
  readCluster,
  readKafkaCluster,
  stopKafka,
  stopKafkaCluster,
  type ClusterInfo,
  type ThreeBrokerInfo,
} from './kafka.js';
import { isPidAlive } from './processes.js';
import { ensureConnect } from './connect.js';
import { ensureSchemaRegistry } from './schemaRegistry.js';

const log = (s: string) => console.error(`[kafka] ${s}`);

function describe(c: ClusterInfo): string {
  return [
    `Kafka ${c.version}  pid ${c.pid}  cluster id ${c.clusterId}`,
    `  PLAINTEXT       ${c.listeners.plaintext}`,
    `  SASL_PLAINTEXT  ${c.listeners.sasl}   PLAIN ${c.users.plain.username}/${c.users.plain.password}` +
      `  SCRAM-SHA-256 ${c.users.scram256.username}/${c.users.scram256.password}` +
      `  SCRAM-SHA-512 ${c.users.scram512.username}/${c.users.scram512.password}`,
    `  SSL             ${c.listeners.ssl}   CA ${c.tls.ca}`,
    `  SSL (mTLS)      ${c.listeners.mtls}   client cert ${c.tls.clientCert}, key ${c.tls.clientKey}`,
    `  OAUTHBEARER     ${c.listeners.oauth}   SASL_PLAINTEXT, unsigned JWTs (Kafka's unsecured validator)`,
    `  bad advertised  ${c.listeners.unreachableAdvertised}   PLAINTEXT, advertises ${c.listeners.unreachableAdvertised.replace(/\d+$/, (p) => String(Number(p) + 1))} (nothing listens)`,
    c.kerberos
      ? `  GSSAPI          ${c.kerberos.listeners.gssapi} (SASL_PLAINTEXT), ${c.kerberos.listeners.gssapiSsl} (SASL_SSL)   realm ${c.kerberos.realm}, KDC ${c.kerberos.kdc}, krb5.conf ${c.kerberos.krb5Conf}\n` +
        `                  ${c.kerberos.keytabUser.principal} keytab ${c.kerberos.keytabUser.keytab}   ${c.kerberos.passwordUser.principal}/${c.kerberos.passwordUser.password}`
      : `  GSSAPI          (not started: install krb5-kdc and krb5-admin-server)`,
    `  untrusted CA    ${c.tls.otherCa}`,
    `  data            ${c.dataDir}  (log: ${c.dataDir}/kafka.log, details: ${c.dataDir}/cluster.json)`,
  ].join('\n');
}

function describeThree(c: ThreeBrokerInfo): string {
  const { admin, alice } = c.users;
  return [
    `Kafka ${c.version}, three brokers  cluster id ${c.clusterId}  (KRaft quorum of nodes ${c.brokers.map((b) => b.nodeId).join(', ')})`,
    ...c.brokers.map(
      (b) =>
        `  node ${b.nodeId}  ${b.rack}  pid ${b.pid}   PLAINTEXT ${b.listeners.plaintext}   SASL_PLAINTEXT ${b.listeners.sasl}   controller ${b.listeners.controller}`,
    ),
    `  PLAINTEXT       ${c.bootstrap.plaintext.join(',')}   (ANONYMOUS, a super user)`,
    `  SASL_PLAINTEXT  ${c.bootstrap.sasl.join(',')}   ${c.saslMechanisms.join(', ')}`,
    `  users           ${admin.username}/${admin.password} (super user)   ${alice.username}/${alice.password} (no ACLs)`,
    `  authorizer      StandardAuthorizer, super users ${c.superUsers.join(', ')}, nothing allowed without an ACL`,
    `  data            ${c.dataDir}  (logs: node-<id>/kafka.log, details: ${c.dataDir}/cluster.json)`,
  ].join('\n');
}

/** `--brokers 1` (the default) or `--brokers 3`. */
function brokerCount(): 1 | 3 {
  const i = process.argv.indexOf('--brokers');
  if (i < 0) return 1;
  const n = process.argv[i + 1];
  if (n === '1' || n === '3') return Number(n) as 1 | 3;
  throw new Error(`--brokers takes 1 or 3, not ${n ?? 'nothing'}`);
}

async function three(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'up': {
      if (process.argv.includes('--connect') || process.argv.includes('--registry')) {
        throw new Error('--connect and --registry run beside the single broker: start them without --brokers 3');
      }
      const { cluster, startedHere } = await ensureKafkaCluster({ log });
      console.log(describeThree(cluster));
      if (!startedHere) log('(already running; reused)');
      return 0;
    }
    case 'down':
      await stopKafkaCluster({ log });
      return 0;
    case 'status': {
      try {
        const c = await readKafkaCluster();
        const gone = c.brokers.filter((b) => !isPidAlive(b.pid));
        if (gone.length > 0) {
          console.log(
            `The three-broker cluster is not running (node(s) ${gone.map((b) => b.nodeId).join(', ')} gone): run npm run kafka:up -- --brokers 3`,
          );
          return 1;
        }
        console.log(describeThree(c));
        return 0;
      } catch (e) {
        console.log(e instanceof Error ? e.message : String(e));
        return 1;
      }
    }
    default:
      console.error('usage: tsx e2e/infra/cli.ts up|down|status [--brokers 1|3]');
      return 2;
  }
}

async function main(cmd: string | undefined): Promise<number> {
  if (brokerCount() === 3) return three(cmd);
  switch (cmd) {
    case 'up': {
      const { cluster, startedHere } = await ensureKafka({ log });
      console.log(describe(cluster));
      if (!startedHere) log('(already running; reused)');
      if (process.argv.includes('--connect')) {
        const c = await ensureConnect({ log });
        console.log(`  Kafka Connect   ${c.url}   group ${c.groupId}, files in ${c.filesDir}`);
      }
      if (process.argv.includes('--registry')) {
        const r = await ensureSchemaRegistry({ log });
        const { admin, readonly } = r.auth;
        console.log(
          `  Schema Registry  ${r.url}   (basic auth: ${r.auth.url} ` +
            `${admin.username}/${admin.password}, ${readonly.username}/${readonly.password})`,
        );
      }
      return 0;
    }
    case 'down':
      await stopKafka({ log });
      return 0;
    case 'status': {
      try {
        const c = await readCluster();
        let alive = false;
        try {
          process.kill(c.pid, 0);
          alive = true;
        } catch (e) {
          alive = (e as NodeJS.ErrnoException).code === 'EPERM';
        }
        if (!alive) {
          console.log(`Kafka is not running (stale cluster.json, pid ${c.pid} is gone): run npm run kafka:up`);
          return 1;
        }
        console.log(describe(c));
        return 0;
      } catch (e) {
        console.log(e instanceof Error ? e.message : String(e));
        return 1;
      }
    }
    default:
      console.error('usage: tsx e2e/infra/cli.ts up|down|status [--brokers 1|3]');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
