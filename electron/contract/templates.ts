import type { ConnectionInput } from './connection';

/**
 * Starting points for the connection form: each fills what the service needs and leaves the user's
 * own values (hosts, keys) as placeholders to replace. Pure data, shared by the renderer and the CLI.
 */
export interface ConnectionTemplate {
  id: 'local' | 'confluent-cloud' | 'event-hubs' | 'msk-scram' | 'msk-iam' | 'redpanda';
  title: string;
  description: string;
  /** Fields the user must fill in after choosing the template. */
  asks: string[];
  input: ConnectionInput;
}

const timeouts = { connectionMs: 10_000, requestMs: 30_000, authenticationMs: 10_000 };

export const connectionTemplates: ConnectionTemplate[] = [
  {
    id: 'local',
    title: 'Local Kafka',
    description: 'A broker on this computer, no security (PLAINTEXT on 9092).',
    asks: [],
    input: {
      name: 'local',
      color: 'blue',
      environment: 'development',
      bootstrapServers: ['localhost:9092'],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
      timeouts,
    },
  },
  {
    id: 'confluent-cloud',
    title: 'Confluent Cloud',
    description: 'SASL_SSL with PLAIN: the API key is the user name, the API secret the password.',
    asks: ['bootstrap server (pkc-…:9092)', 'API key', 'API secret'],
    input: {
      name: 'confluent-cloud',
      bootstrapServers: ['pkc-xxxxx.region.provider.confluent.cloud:9092'],
      sasl: { mechanism: 'plain', username: '' },
      tls: { enabled: true, verify: true },
      timeouts: { ...timeouts, requestMs: 45_000 },
    },
  },
  {
    id: 'event-hubs',
    title: 'Azure Event Hubs',
    description:
      "The namespace's Kafka endpoint: SASL_SSL PLAIN on port 9093, user $ConnectionString, the connection string as password.",
    asks: ['namespace', 'connection string'],
    input: {
      name: 'event-hubs',
      bootstrapServers: ['NAMESPACE.servicebus.windows.net:9093'],
      sasl: { mechanism: 'plain', username: '$ConnectionString' },
      tls: { enabled: true, verify: true },
      timeouts: { ...timeouts, requestMs: 60_000 },
    },
  },
  {
    id: 'msk-scram',
    title: 'Amazon MSK (SCRAM)',
    description: 'SASL/SCRAM-SHA-512 over TLS on port 9096, with a secret from AWS Secrets Manager.',
    asks: ['bootstrap brokers (b-1.….kafka.region.amazonaws.com:9096)', 'user name', 'password'],
    input: {
      name: 'msk',
      bootstrapServers: ['b-1.CLUSTER.xxxxxx.c2.kafka.REGION.amazonaws.com:9096'],
      sasl: { mechanism: 'scram-sha-512', username: '' },
      tls: { enabled: true, verify: true },
      timeouts,
    },
  },
  {
    id: 'msk-iam',
    title: 'Amazon MSK (IAM)',
    description:
      'IAM access control over TLS on port 9098, signed with your AWS credentials (default chain, a profile, or an access key).',
    asks: ['bootstrap brokers (b-1.….kafka.region.amazonaws.com:9098)', 'region'],
    input: {
      name: 'msk-iam',
      bootstrapServers: ['b-1.CLUSTER.xxxxxx.c2.kafka.REGION.amazonaws.com:9098'],
      sasl: { mechanism: 'aws-msk-iam', aws: { region: 'us-east-1', credentials: 'default' } },
      tls: { enabled: true, verify: true },
      timeouts,
    },
  },
  {
    id: 'redpanda',
    title: 'Redpanda',
    description:
      'Redpanda speaks the Kafka protocol: PLAINTEXT on 9092 locally, SASL/SCRAM-SHA-256 over TLS on Redpanda Cloud.',
    asks: ['bootstrap server'],
    input: {
      name: 'redpanda',
      color: 'purple',
      bootstrapServers: ['localhost:19092'],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
      timeouts,
    },
  },
];

/** Event Hubs: the namespace comes from the connection string's Endpoint when the user pastes that. */
export function eventHubsInput(connectionString: string, name?: string): ConnectionInput {
  const endpoint = /Endpoint=sb:\/\/([^/;]+)/i.exec(connectionString)?.[1];
  const host = endpoint ?? 'NAMESPACE.servicebus.windows.net';
  return {
    name: name ?? host.split('.')[0] ?? 'event-hubs',
    bootstrapServers: [`${host}:9093`],
    sasl: { mechanism: 'plain', username: '$ConnectionString', password: connectionString },
    tls: { enabled: true, verify: true },
    timeouts: { ...timeouts, requestMs: 60_000 },
  };
}

/** Starting points for a connection's Schema Registry settings, per service. Pure data, like the connection templates. */
export interface RegistryTemplate {
  id: 'local' | 'confluent-cloud' | 'aiven' | 'redpanda' | 'apicurio' | 'karapace';
  title: string;
  description: string;
  /** Fields the user must fill in after choosing it. */
  asks: string[];
  urls: string[];
  /** The authentication the service uses. */
  auth: 'none' | 'basic' | 'bearer';
  /** Basic auth's user name when the service fixes it. */
  username?: string;
}

export const registryTemplates: RegistryTemplate[] = [
  {
    id: 'local',
    title: 'Local registry',
    description: 'A Confluent-compatible registry on this computer, no authentication (port 8081).',
    asks: [],
    urls: ['http://localhost:8081'],
    auth: 'none',
  },
  {
    id: 'confluent-cloud',
    title: 'Confluent Cloud',
    description:
      "The environment's Schema Registry endpoint; a Schema Registry API key as the user name and its secret as the password (not the cluster's key).",
    asks: ['endpoint (https://psrc-….region.provider.confluent.cloud)', 'Schema Registry API key', 'API secret'],
    urls: ['https://psrc-xxxxx.region.provider.confluent.cloud'],
    auth: 'basic',
  },
  {
    id: 'aiven',
    title: 'Aiven (Karapace)',
    description:
      "The service's Schema Registry URI from its overview page (port 13044 or similar), with the service user avnadmin and its password.",
    asks: ['host and port', 'password'],
    urls: ['https://SERVICE-PROJECT.aivencloud.com:13044'],
    auth: 'basic',
    username: 'avnadmin',
  },
  {
    id: 'redpanda',
    title: 'Redpanda',
    description:
      "Redpanda's built-in registry (port 8081); Redpanda Cloud: the cluster's Schema Registry URL and a SASL/SCRAM user.",
    asks: ['host', 'user and password when the cluster requires them'],
    urls: ['http://localhost:8081'],
    auth: 'none',
  },
  {
    id: 'apicurio',
    title: 'Apicurio Registry',
    description: "Apicurio's Confluent-compatible API, under /apis/ccompat/v7 on the registry's URL.",
    asks: ['host'],
    urls: ['http://localhost:8080/apis/ccompat/v7'],
    auth: 'none',
  },
  {
    id: 'karapace',
    title: 'Karapace',
    description: 'Karapace (port 8081), basic auth when its registry_authfile is set.',
    asks: ['host'],
    urls: ['http://localhost:8081'],
    auth: 'none',
  },
];
