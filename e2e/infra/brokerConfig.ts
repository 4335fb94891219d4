/**
 * The broker's configuration: its listeners and ports (all 127.0.0.1), server.properties with the
 * SASL, OAUTHBEARER, GSSAPI and TLS listeners, the log4j2 files, and the JVM's arguments; and the
 * three-broker cluster's nodes, ports and server.properties.
 */
import path from 'node:path';
import type { TlsFiles } from './certificates.js';
import type { ClusterInfo } from './clusterInfo.js';
import type { KerberosInfo } from './kdc.js';
import { dataDir } from './paths.js';

export const BROKER_MAIN_CLASS = 'kafka.Kafka';
export const STORAGE_TOOL_MAIN_CLASS = 'kafka.tools.StorageTool';

export const HOST = '127.0.0.1';
export const PORTS = {
  controller: 19090,
  plaintext: 19092,
  sasl: 19093,
  ssl: 19094,
  mtls: 19095,
  /** SASL_PLAINTEXT with OAUTHBEARER, validated by Kafka's unsecured (unsigned JWT) validator. */
  oauth: 19098,
  /** SASL_PLAINTEXT with GSSAPI (Kerberos), advertised as localhost (the service principal is kafka/localhost); only when the KDC tools are installed. */
  gssapi: 19096,
  /** SASL_SSL with GSSAPI. */
  gssapiSsl: 19097,
  /** PLAINTEXT, but advertised as 127.0.0.1:19100 where nothing listens: the classic advertised.listeners mistake. */
  badAdvertised: 19099,
} as const;

export function serverProperties(
  dir: string,
  tls: TlsFiles,
  users: ClusterInfo['users'],
  kerberos: KerberosInfo | null = null,
): string {
  const l = (name: string, port: number) => `${name}://${HOST}:${port}`;
  const krbListeners = kerberos ? [l('GSSAPI', PORTS.gssapi), l('GSSAPI_SSL', PORTS.gssapiSsl)] : [];
  const krbAdvertised = kerberos
    ? [`GSSAPI://localhost:${PORTS.gssapi}`, `GSSAPI_SSL://localhost:${PORTS.gssapiSsl}`]
    : [];
  const krbJaas = kerberos
    ? `com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true keyTab="${kerberos.broker.keytab}" principal="${kerberos.broker.principal}";`
    : '';
  const krbProps: Array<[string, string | number]> = kerberos
    ? [
        ['sasl.kerberos.service.name', 'kafka'],
        ['listener.name.gssapi.sasl.enabled.mechanisms', 'GSSAPI'],
        ['listener.name.gssapi.gssapi.sasl.jaas.config', krbJaas],
        // the plaintext GSSAPI listener asks clients to log in again every 15 s: long Listen sessions re-authenticate
        ['listener.name.gssapi.gssapi.connections.max.reauth.ms', 15000],
        ['listener.name.gssapi_ssl.sasl.enabled.mechanisms', 'GSSAPI'],
        ['listener.name.gssapi_ssl.gssapi.sasl.jaas.config', krbJaas],
      ]
    : [];
  const props: Props = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ['controller.quorum.voters', `1@${HOST}:${PORTS.controller}`],
    ['controller.listener.names', 'CONTROLLER'],
    [
      'listeners',
      [
        l('CONTROLLER', PORTS.controller),
        l('PLAINTEXT', PORTS.plaintext),
        l('SASL_PLAINTEXT', PORTS.sasl),
        l('SSL', PORTS.ssl),
        l('MTLS', PORTS.mtls),
        l('OAUTH', PORTS.oauth),
        l('BADADV', PORTS.badAdvertised),
        ...krbListeners,
      ].join(','),
    ],
    [
      'advertised.listeners',
      [
        l('PLAINTEXT', PORTS.plaintext),
        l('SASL_PLAINTEXT', PORTS.sasl),
        l('SSL', PORTS.ssl),
        l('MTLS', PORTS.mtls),
        l('OAUTH', PORTS.oauth),
        l('BADADV', PORTS.badAdvertised + 1),
        ...krbAdvertised,
      ].join(','),
    ],
    [
      'listener.security.protocol.map',
      'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,MTLS:SSL,OAUTH:SASL_PLAINTEXT,BADADV:PLAINTEXT' +
        (kerberos ? ',GSSAPI:SASL_PLAINTEXT,GSSAPI_SSL:SASL_SSL' : ''),
    ],
    ['inter.broker.listener.name', 'PLAINTEXT'],

    // SASL
    ['sasl.enabled.mechanisms', 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512'],
    ['listener.name.sasl_plaintext.sasl.enabled.mechanisms', 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512'],
    [
      'listener.name.sasl_plaintext.plain.sasl.jaas.config',
      `org.apache.kafka.common.security.plain.PlainLoginModule required user_${users.plain.username}="${users.plain.password}";`,
    ],
    [
      'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config',
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    ],
    [
      'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config',
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    ],
    // OAUTHBEARER: Kafka's default (unsecured) validator checks an unsigned JWT's structure, subject and
    // expiry; the tests run a client-credentials token endpoint that issues such tokens.
    ['listener.name.oauth.sasl.enabled.mechanisms', 'OAUTHBEARER'],
    [
      'listener.name.oauth.oauthbearer.sasl.jaas.config',
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="kafka";',
    ],

    ...krbProps,

    // TLS (SSL and MTLS listeners share the key store; MTLS requires a client cert)
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', tls.brokerKeystore],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.location', tls.ca],
    ['ssl.client.auth', 'none'],
    ['listener.name.ssl.ssl.client.auth', 'none'],
    ['listener.name.mtls.ssl.client.auth', 'required'],

    // storage & single-node internal topics
    ['log.dirs', path.join(dir, 'data')],
    ...topicDefaults(1, 1),
  ];
  return renderProperties(props);
}

type Props = Array<[string, string | number | boolean]>;

function renderProperties(props: Props): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\');
  return (
    `# generated by e2e/infra/kafka.ts — overwritten on every fresh start\n` +
    props.map(([k, v]) => `${k}=${esc(String(v))}`).join('\n') +
    '\n'
  );
}

/**
 * Topic defaults, internal topics and thread counts shared by the single broker and the cluster:
 * `replicas` for new and internal topics, `internalMinIsr` for the transaction and share state
 * topics. User topics keep min.insync.replicas=1, so a test's replication-factor-1 topic still
 * takes acks=all writes.
 */
function topicDefaults(replicas: number, internalMinIsr: number): Props {
  return [
    ['num.partitions', 1],
    ['default.replication.factor', replicas],
    ['min.insync.replicas', 1],
    // Kafka's own default: a producer that asks (kcat does) may create a topic. Kafka Desk never asks.
    ['auto.create.topics.enable', true],
    ['delete.topic.enable', true],
    ['offsets.topic.replication.factor', replicas],
    ['offsets.topic.num.partitions', 10],
    ['transaction.state.log.replication.factor', replicas],
    ['transaction.state.log.min.isr', internalMinIsr],
    ['transaction.state.log.num.partitions', 10],
    ['share.coordinator.state.topic.replication.factor', replicas],
    ['share.coordinator.state.topic.min.isr', internalMinIsr],
    ['group.initial.rebalance.delay.ms', 0],
    // Kafka 4.1.1's ScramDelta.apply() drops a whole mechanism's users when, replaying many records
    // at once, it meets a RemoveUserScramCredentialRecord while that mechanism's map is still empty
    // (which HashMap order decides). A restart replays the metadata log since the last snapshot in
    // one delta, so deleting any SCRAM user (the users tests do, as `kafka-configs --delete-config`
    // does) and restarting (the Listen and reconnection tests do) can lose the cluster's own SCRAM
    // users. A snapshot every second keeps removal records out of what a restart replays.
    ['metadata.log.max.snapshot.interval.ms', 1000],

    // small machine
    ['num.network.threads', 2],
    ['num.io.threads', 4],
    ['num.recovery.threads.per.data.dir', 1],
    ['log.retention.check.interval.ms', 300000],
  ];
}

/**
 * The three-broker cluster: nodes 1..3, each broker and controller (one quorum of three voters),
 * on racks a, b, a so that rack-aware placement has a choice to make. Its ports (29n90 controller,
 * 29n92 PLAINTEXT, 29n93 SASL_PLAINTEXT for node n) are clear of the single broker's 190xx, the
 * registries' and Connect's 1808x and the KDC's 17088.
 */
export const CLUSTER_NODES = [
  { nodeId: 1, rack: 'rack-a' },
  { nodeId: 2, rack: 'rack-b' },
  { nodeId: 3, rack: 'rack-a' },
] as const;

export function clusterPorts(nodeId: number): { controller: number; plaintext: number; sasl: number } {
  const base = 29000 + nodeId * 100;
  return { controller: base + 90, plaintext: base + 92, sasl: base + 93 };
}

export const CLUSTER_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export const CLUSTER_SUPER_USERS = ['User:admin', 'User:ANONYMOUS'] as const;

/**
 * One node's server.properties. The authorizer is on and denies what no ACL allows; ANONYMOUS (the
 * PLAINTEXT and controller listeners, so inter-broker and quorum traffic too) and `admin` are super
 * users. PLAIN users are in the listener's JAAS entry; SCRAM users are formatted into the storage.
 */
export function clusterServerProperties(
  nodeId: number,
  nodeDir: string,
  plainUsers: ReadonlyArray<{ username: string; password: string }>,
): string {
  const own = clusterPorts(nodeId);
  const rack = CLUSTER_NODES.find((n) => n.nodeId === nodeId)?.rack;
  if (!rack) throw new Error(`no cluster node ${nodeId}`);
  const l = (name: string, port: number) => `${name}://${HOST}:${port}`;
  const mechanisms = CLUSTER_SASL_MECHANISMS.join(',');
  const props: Props = [
    ['process.roles', 'broker,controller'],
    ['node.id', nodeId],
    ['broker.rack', rack],
    [
      'controller.quorum.voters',
      CLUSTER_NODES.map((n) => `${n.nodeId}@${HOST}:${clusterPorts(n.nodeId).controller}`).join(','),
    ],
    ['controller.listener.names', 'CONTROLLER'],
    [
      'listeners',
      [l('CONTROLLER', own.controller), l('PLAINTEXT', own.plaintext), l('SASL_PLAINTEXT', own.sasl)].join(','),
    ],
    ['advertised.listeners', [l('PLAINTEXT', own.plaintext), l('SASL_PLAINTEXT', own.sasl)].join(',')],
    ['listener.security.protocol.map', 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT'],
    ['inter.broker.listener.name', 'PLAINTEXT'],

    // SASL
    ['sasl.enabled.mechanisms', mechanisms],
    ['listener.name.sasl_plaintext.sasl.enabled.mechanisms', mechanisms],
    [
      'listener.name.sasl_plaintext.plain.sasl.jaas.config',
      'org.apache.kafka.common.security.plain.PlainLoginModule required ' +
        plainUsers.map((u) => `user_${u.username}="${u.password}"`).join(' ') +
        ';',
    ],
    [
      'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config',
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    ],
    [
      'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config',
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    ],

    // ACLs
    ['authorizer.class.name', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'],
    ['super.users', CLUSTER_SUPER_USERS.join(';')],
    ['allow.everyone.if.no.acl.found', false],

    ['log.dirs', path.join(nodeDir, 'data')],
    ...topicDefaults(CLUSTER_NODES.length, 2),

    // three JVMs on a small machine: small segments and indexes, a small log cleaner buffer
    // (Kafka's 128 MiB default is allocated on the heap at start), fewer background threads
    ['log.segment.bytes', 16 * 1024 * 1024],
    ['log.index.size.max.bytes', 1024 * 1024],
    ['log.cleaner.dedupe.buffer.size', 16 * 1024 * 1024],
    ['background.threads', 2],
    ['num.replica.fetchers', 1],
  ];
  return renderProperties(props);
}

export function log4j2Properties(logPath: string): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\');
  return `# generated by e2e/infra/kafka.ts
status = warn
name = kafka-desk-dev
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = ${esc(logPath)}
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = INFO
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.reflections.name = org.reflections
logger.reflections.level = ERROR
`;
}

/** For command-line tools (storage format etc.): warnings only, on stderr. */
export function toolsLog4j2Properties(): string {
  return `# generated by e2e/infra/kafka.ts: log4j2 config for Kafka command-line tools
status = warn
name = kafka-desk-tools
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
`;
}

/** The JVM's arguments; `heap` and `logsDir` default to the single broker's (256m..768m, `.dev-kafka/`). */
export function jvmArgs(
  log4jConfig: string,
  opts: { heap?: { min: string; max: string }; logsDir?: string } = {},
): string[] {
  const heap = opts.heap ?? { min: '256m', max: '768m' };
  return [
    `-Xms${heap.min}`,
    `-Xmx${heap.max}`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    // never reach out: no JMX/RMI, local-only name service use, IPv4 loopback
    '-Djava.net.preferIPv4Stack=true',
    '-Djava.rmi.server.hostname=127.0.0.1',
    '-Dcom.sun.management.jmxremote=false',
    '-Dsun.net.inetaddr.negative.ttl=0',
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    '-Dlog4j2.disable.jmx=true',
    `-Dkafka.logs.dir=${opts.logsDir ?? dataDir()}`,
  ];
}
