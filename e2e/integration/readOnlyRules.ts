import type { z } from 'zod';
import { channels, innerSchema, schemaDef, type ChannelName } from '../../electron/contract';

/**
 * Which contract channels and options can change a cluster, each with a request that would — the
 * read-only suite sends every one through a read-only connection against the real broker and Connect
 * worker, expects READ_ONLY and checks nothing changed. The coverage test (e2e/lint) checks the
 * table against the contract itself: a new channel is a type error here until classified, and a new
 * option of a channel that can write fails until it is listed as a read or given a write case.
 */

/** What a case needs: the read-only connection, its Connect cluster, and things on the cluster to leave alone. */
export interface ReadOnlyFixture {
  /** A saved connection with readOnly on (PLAINTEXT listener). */
  id: string;
  /** A Connect cluster saved under it (the real worker). */
  clusterId: string;
  /** A topic with messages, one partition. */
  topic: string;
  /** A group with committed offsets on `topic`, no members. */
  group: string;
  /** A group with a live member elsewhere (a kafkajs consumer of the test). */
  liveGroup: string;
  /** A running connector on the worker. */
  connector: string;
  /** A capture holding messages of `topic`. */
  captureId: number;
  /** An Avro subject with one version in the connection's Schema Registry (the real registry). */
  subject: string;
}

export interface WriteCase {
  /** What a user would call it, for the failure message. */
  what: string;
  input: (f: ReadOnlyFixture) => unknown;
}

export type ReadOnlyRule =
  /** The channel never asks a cluster to change anything, whatever its options (local data, reads, throwaway groups). */
  | { never: true; why: string }
  | {
      /** Writes whatever the options say: one case proves the gate. */
      always?: WriteCase;
      /** Options that make it write (an option covers the options under it), each with a case. */
      writes?: Record<string, WriteCase>;
      /** Every other option of the channel: none of them makes it write. */
      reads: string[];
    };

const local = (why: string): ReadOnlyRule => ({ never: true, why });
const reads = 'reads a cluster and changes nothing';

export const readOnlyRules: Record<ChannelName, ReadOnlyRule> = {
  'app.info': local('about the app'),
  'connections.list': local("Kafka Desk's own saved connections"),
  'connections.get': local("Kafka Desk's own saved connections"),
  'connections.save': local("Kafka Desk's own saved connections"),
  'connections.delete': local("Kafka Desk's own saved connections"),
  'connections.test': local('a metadata request'),
  'connections.doctor': local('DNS, TCP, TLS, SASL and metadata requests'),
  'connections.import': local('parses a file'),
  'connections.duplicate': local("Kafka Desk's own saved connections"),
  'connections.export': local("Kafka Desk's own saved connections"),
  'cluster.describe': local(reads),
  'cluster.overview': local(reads),
  'topics.list': local(reads),
  'topics.describe': local(reads),
  'groups.list': local(reads),
  'groups.describe': local(reads),
  'listen.start': local('reads with a throwaway group that never commits and is deleted after'),
  'listen.pause': local('a running Listen'),
  'listen.resume': local('a running Listen'),
  'listen.stop': local('a running Listen (its throwaway group is deleted)'),
  'listen.history': local('the session in main'),
  'listen.discard': local('the session in main'),
  'operations.parseFile': local('parses a file'),
  'operations.cancel': local('a running operation'),
  'presets.list': local("Kafka Desk's own presets"),
  'presets.save': local("Kafka Desk's own presets"),
  'presets.resolve': local("Kafka Desk's own presets"),
  'presets.delete': local("Kafka Desk's own presets"),
  'presets.export': local("Kafka Desk's own presets"),
  'presets.import': local("Kafka Desk's own presets"),
  'connect.listClusters': local("Kafka Desk's own saved Connect clusters"),
  'connect.saveCluster': local("Kafka Desk's own saved Connect clusters"),
  'connect.deleteCluster': local("Kafka Desk's own saved Connect clusters"),
  'connect.check': local('GET requests'),
  'connect.connectors': local('GET requests'),
  'connect.connector': local('GET requests'),
  'connect.plugins': local('GET requests'),
  'connect.validate': local("the worker's validate call, which changes nothing"),
  'registry.get': local("Kafka Desk's own saved registry settings"),
  'registry.save': local("Kafka Desk's own saved registry settings"),
  'registry.delete': local("Kafka Desk's own saved registry settings"),
  'schemas.subjects': local('GET requests to the registry'),
  'schemas.versions': local('GET requests to the registry'),
  'schemas.get': local('GET requests to the registry'),
  'schemas.byId': local('GET requests to the registry'),
  'schemas.check': local("the registry's compatibility check, which registers nothing"),
  'schemas.topicSubjects': local('GET requests to the registry'),
  'schemas.resolve': local('GET requests to the registry'),
  'localSchemas.list': local("Kafka Desk's own local schema files"),
  'localSchemas.add': local("Kafka Desk's own local schema files"),
  'localSchemas.delete': local("Kafka Desk's own local schema files"),
  'localSchemas.bind': local("Kafka Desk's own local schema files"),
  'schemas.register': {
    always: {
      what: 'register a schema version',
      input: (f) => ({
        id: f.id,
        subject: f.subject,
        draft: {
          schemaType: 'AVRO',
          schema: JSON.stringify({ type: 'record', name: 'Ro', fields: [{ name: 'b', type: 'string', default: '' }] }),
        },
      }),
    },
    reads: [
      'id',
      'subject',
      'draft',
      'draft.schemaType',
      'draft.schema',
      'draft.references',
      'draft.references[].name',
      'draft.references[].subject',
      'draft.references[].version',
    ],
  },
  'schemas.setCompatibility': {
    always: {
      what: "change a subject's compatibility",
      input: (f) => ({ id: f.id, subject: f.subject, level: 'NONE' }),
    },
    reads: ['id', 'subject', 'level'],
  },
  'schemas.delete': {
    always: {
      what: 'delete a subject',
      input: (f) => ({ id: f.id, subject: f.subject }),
    },
    reads: ['id', 'subject', 'version', 'permanent'],
  },
  'captures.list': local("Kafka Desk's own captures"),
  'captures.get': local("Kafka Desk's own captures"),
  'captures.save': local("Kafka Desk's own captures"),
  'captures.rename': local("Kafka Desk's own captures"),
  'captures.tag': local("Kafka Desk's own captures"),
  'captures.annotate': local("Kafka Desk's own captures"),
  'captures.annotateMessage': local("Kafka Desk's own captures"),
  'captures.delete': local("Kafka Desk's own captures"),
  'captures.rows': local("Kafka Desk's own captures"),
  'captures.export': local("Kafka Desk's own captures"),
  'captures.schemas': local("Kafka Desk's own captures"),
  'captures.import': local("Kafka Desk's own captures"),
  'captures.openSample': local("Kafka Desk's own captures"),
  'sessions.rows': local('the session in main'),
  'sessions.discard': local('the session in main'),
  'sessions.describe': local('the session in main'),

  'operations.produce': {
    always: {
      what: 'produce a message',
      input: (f) => ({ id: f.id, topic: f.topic, messages: [{ value: 'written through a read-only connection' }] }),
    },
    reads: [
      'id',
      'operationId',
      'topic',
      'messages',
      'messages[].key',
      'messages[].key.base64',
      'messages[].value',
      'messages[].value.base64',
      'messages[].headers',
      'messages[].headers[][1].base64',
      'messages[].partition',
      'messages[].timestamp',
      'acks',
      'compression',
      'idempotent',
      'maxMessageBytes',
      'continueOnError',
      'template',
      'ratePerSecond',
      'keySchema',
      'keySchema.kind',
      'keySchema.subject',
      'keySchema.version',
      'keySchema.messageName',
      'keySchema.schemaId',
      'keySchema.localSchemaId',
      'valueSchema',
      'valueSchema.kind',
      'valueSchema.subject',
      'valueSchema.version',
      'valueSchema.messageName',
      'valueSchema.schemaId',
      'valueSchema.localSchemaId',
    ],
  },
  'operations.commit': {
    always: {
      what: 'commit an offset',
      input: (f) => ({ id: f.id, groupId: f.group, topic: f.topic, offsets: [{ partition: 0, offset: '0' }] }),
    },
    reads: ['id', 'groupId', 'topic', 'offsets', 'offsets[].partition', 'offsets[].offset'],
  },
  'operations.consume': {
    writes: {
      group: {
        what: 'read as a named group (manual commit): joins it',
        input: (f) => ({ id: f.id, topic: f.topic, group: { groupId: f.group, commit: 'manual' } }),
      },
      'group.commit': {
        what: 'read as a named group with auto-commit',
        input: (f) => ({
          id: f.id,
          topic: f.topic,
          start: { from: 'earliest' },
          group: { groupId: f.group, commit: 'auto' },
        }),
      },
      'group.joinLiveGroup': {
        what: "join a live group (a rebalance of other people's consumers)",
        input: (f) => ({
          id: f.id,
          topic: f.topic,
          group: { groupId: f.liveGroup, commit: 'auto', joinLiveGroup: true },
        }),
      },
    },
    reads: [
      'id',
      'into',
      'operationId',
      'topic',
      'topics',
      'topicPattern',
      'partitions',
      'start',
      'start.from',
      'start.minus',
      'start.offset',
      'start.timestamp',
      'start.groupId',
      'max',
      'stopAtTimestamp',
      'readUncommitted',
      'untilEnd',
      'waitMs',
      'maxRecordsPerPoll',
      'maxMessageBytes',
      'onOversize',
      'filter',
      'filter.text',
      'filter.regex',
      'filter.regexIgnoreCase',
      'filter.header',
      'filter.header.key',
      'filter.header.value',
      'filter.jsonPath',
      'filter.jsonPath.path',
      'filter.jsonPath.equals',
      'keyFormat',
      'valueFormat',
      'onUndecodable',
    ],
  },
  'topics.create': {
    always: {
      what: 'create a topic',
      input: (f) => ({ id: f.id, name: `${f.topic}-new`, partitions: 1, replicationFactor: 1 }),
    },
    reads: ['id', 'name', 'partitions', 'replicationFactor', 'configs', 'configs[].name', 'configs[].value'],
  },
  'topics.delete': {
    always: { what: 'delete a topic', input: (f) => ({ id: f.id, name: f.topic, confirmName: f.topic }) },
    reads: ['id', 'name', 'confirmName'],
  },
  'topics.alterConfigs': {
    always: {
      what: "change a topic's configuration",
      input: (f) => ({ id: f.id, name: f.topic, set: [{ name: 'retention.ms', value: '1000' }] }),
    },
    reads: ['id', 'name', 'set', 'set[].name', 'set[].value', 'reset'],
  },
  'topics.addPartitions': {
    always: { what: 'add partitions', input: (f) => ({ id: f.id, name: f.topic, totalCount: 4 }) },
    reads: ['id', 'name', 'totalCount'],
  },
  'topics.deleteRecords': {
    always: { what: 'delete records', input: (f) => ({ id: f.id, name: f.topic, before: 'all' }) },
    reads: ['id', 'name', 'before', 'before[].partition', 'before[].offset'],
  },
  'configs.describe': local(reads),
  'configs.alter': {
    writes: {
      validateOnly: {
        what: "change a topic's config key by key (not a validation)",
        input: (f) => ({
          id: f.id,
          resource: { type: 'topic', name: f.topic },
          set: { 'retention.ms': '1000' },
          validateOnly: false,
        }),
      },
    },
    // the broker only checks a validation (validateOnly) and applies nothing
    reads: ['id', 'resource', 'resource.type', 'resource.name', 'resource.brokerId', 'set', 'delete'],
  },
  'groups.resetOffsets': {
    writes: {
      dryRun: {
        what: "reset a group's offsets (not a dry run)",
        input: (f) => ({ id: f.id, groupId: f.group, topic: f.topic, strategy: { to: 'earliest' }, dryRun: false }),
      },
    },
    reads: [
      'id',
      'groupId',
      'topic',
      'partitions',
      'strategy',
      'strategy.to',
      'strategy.timestamp',
      'strategy.offset',
      'strategy.by',
    ],
  },
  'groups.delete': {
    always: { what: 'delete a consumer group', input: (f) => ({ id: f.id, groupId: f.group }) },
    reads: ['id', 'groupId'],
  },
  'acls.list': local(reads),
  'acls.create': {
    always: {
      what: 'create an ACL',
      input: (f) => ({
        id: f.id,
        bindings: [{ resourceType: 'TOPIC', resourceName: f.topic, principal: 'User:alice', operation: 'READ' }],
      }),
    },
    reads: [
      'id',
      'bindings',
      'bindings[].principal',
      'bindings[].host',
      'bindings[].resourceType',
      'bindings[].resourceName',
      'bindings[].patternType',
      'bindings[].operation',
      'bindings[].permission',
    ],
  },
  'acls.delete': {
    writes: {
      dryRun: {
        what: 'delete ACLs (not a preview)',
        input: (f) => ({ id: f.id, filters: [{ resourceType: 'TOPIC', resourceName: f.topic }], dryRun: false }),
      },
    },
    reads: [
      'id',
      'filters',
      'filters[].principal',
      'filters[].host',
      'filters[].resourceType',
      'filters[].resourceName',
      'filters[].patternType',
      'filters[].operation',
      'filters[].permission',
    ],
  },
  'users.list': local(reads),
  'users.upsert': {
    always: {
      what: 'create a SCRAM user',
      input: (f) => ({ id: f.id, name: `${f.topic}-user`, mechanism: 'SCRAM-SHA-512', password: 'not-created-1' }),
    },
    reads: ['id', 'name', 'mechanism', 'iterations', 'password', 'mode'],
  },
  'users.delete': {
    // a user nobody has: were the gate to fail, the answer would be NOT_FOUND, and nothing lost
    always: { what: 'delete a SCRAM user', input: (f) => ({ id: f.id, name: `${f.topic}-nobody` }) },
    reads: ['id', 'name', 'mechanism'],
  },
  'quotas.list': local(reads),
  'quotas.alter': {
    writes: {
      validateOnly: {
        what: 'change a client quota (not a preview)',
        input: (f) => ({
          id: f.id,
          entries: [{ entity: { clientId: `${f.topic}-client` }, set: { producer_byte_rate: 1024 } }],
          validateOnly: false,
        }),
      },
    },
    reads: [
      'id',
      'entries',
      'entries[].entity',
      'entries[].entity.user',
      'entries[].entity.clientId',
      'entries[].entity.ip',
      'entries[].set',
      'entries[].set.producer_byte_rate',
      'entries[].set.consumer_byte_rate',
      'entries[].set.request_percentage',
      'entries[].set.controller_mutation_rate',
      'entries[].set.connection_creation_rate',
      'entries[].remove',
    ],
  },
  'partitions.plan': local('a plan worked out from metadata; nothing is sent to change anything'),
  'partitions.reassignments': local(reads),
  'partitions.health': local(reads),
  'partitions.reassign': {
    writes: {
      dryRun: {
        what: 'reassign partitions (not a dry run)',
        input: (f) => ({
          id: f.id,
          plan: { partitions: [{ topic: f.topic, partition: 0, replicas: [1] }] },
          dryRun: false,
        }),
      },
    },
    reads: [
      'id',
      'plan',
      'plan.partitions',
      'plan.partitions[].topic',
      'plan.partitions[].partition',
      'plan.partitions[].replicas',
    ],
  },
  'partitions.cancelReassignment': {
    always: { what: 'cancel a partition reassignment', input: (f) => ({ id: f.id, topic: f.topic }) },
    reads: ['id', 'topic', 'partitions'],
  },
  'partitions.electLeaders': {
    always: { what: 'run a leader election', input: (f) => ({ id: f.id, topics: [{ topic: f.topic }] }) },
    reads: ['id', 'type', 'topics', 'topics[].topic', 'topics[].partitions'],
  },
  'transactions.list': local(reads),
  'transactions.describe': local(reads),
  'transactions.producers': local(reads),
  'captures.replay': {
    always: {
      what: 'replay a capture into a topic',
      input: (f) => ({ id: f.captureId, connectionId: f.id, topic: f.topic }),
    },
    reads: [
      'id',
      'connectionId',
      'operationId',
      'topic',
      'seqs',
      'partitions',
      'timestamps',
      'ratePerSecond',
      'reencode',
      'reencode.keySchema',
      'reencode.keySchema.kind',
      'reencode.keySchema.subject',
      'reencode.keySchema.version',
      'reencode.keySchema.messageName',
      'reencode.keySchema.schemaId',
      'reencode.keySchema.localSchemaId',
      'reencode.valueSchema',
      'reencode.valueSchema.kind',
      'reencode.valueSchema.subject',
      'reencode.valueSchema.version',
      'reencode.valueSchema.messageName',
      'reencode.valueSchema.schemaId',
      'reencode.valueSchema.localSchemaId',
    ],
  },
  'connect.create': {
    always: {
      what: 'create a connector',
      input: (f) => ({
        clusterId: f.clusterId,
        name: `${f.connector}-new`,
        config: {
          'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          file: '/dev/null',
          topic: f.topic,
        },
      }),
    },
    reads: ['clusterId', 'name', 'config'],
  },
  'connect.update': {
    always: {
      what: "change a connector's config",
      input: (f) => ({
        clusterId: f.clusterId,
        name: f.connector,
        config: {
          'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          file: '/etc/hostname',
          topic: f.topic,
        },
      }),
    },
    reads: ['clusterId', 'name', 'config'],
  },
  'connect.action': {
    always: {
      what: 'pause a connector',
      input: (f) => ({ clusterId: f.clusterId, name: f.connector, action: 'pause' }),
    },
    reads: ['clusterId', 'name', 'action', 'includeTasks', 'onlyFailed'],
  },
  'connect.restartTask': {
    always: { what: 'restart a task', input: (f) => ({ clusterId: f.clusterId, name: f.connector, task: 0 }) },
    reads: ['clusterId', 'name', 'task'],
  },
  'connect.delete': {
    always: { what: 'delete a connector', input: (f) => ({ clusterId: f.clusterId, name: f.connector }) },
    reads: ['clusterId', 'name'],
  },
  'connect.alterOffsets': {
    always: {
      what: "change a connector's offsets",
      input: (f) => ({
        clusterId: f.clusterId,
        name: f.connector,
        offsets: [{ partition: { filename: '/etc/hostname' }, offset: { position: 0 } }],
      }),
    },
    reads: ['clusterId', 'name', 'offsets', 'offsets[].partition', 'offsets[].offset'],
  },
  'connect.resetOffsets': {
    always: { what: "reset a connector's offsets", input: (f) => ({ clusterId: f.clusterId, name: f.connector }) },
    reads: ['clusterId', 'name'],
  },
};

/**
 * Every option path of a channel's input, from its zod schema (`a.b`, `list[]`, `map{}`, `tuple[1]`):
 * what a caller can send.
 */
export function optionPaths(schema: z.ZodType, prefix = '', out = new Set<string>()): Set<string> {
  const inner = innerSchema(schema);
  if (inner) return optionPaths(inner, prefix, out);
  const def = schemaDef(schema);
  switch (def.type) {
    case 'lazy':
      return out;
    case 'object':
      for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        const p = prefix ? `${prefix}.${k}` : k;
        out.add(p);
        optionPaths(v, p, out);
      }
      return out;
    case 'union':
      for (const o of def.options as z.ZodType[]) optionPaths(o, prefix, out);
      return out;
    case 'array':
      return optionPaths(def.element as z.ZodType, `${prefix}[]`, out);
    case 'tuple':
      (def.items as z.ZodType[]).forEach((item, i) => optionPaths(item, `${prefix}[${i}]`, out));
      return out;
    case 'record':
      return optionPaths(def.valueType as z.ZodType, `${prefix}{}`, out);
    default:
      return out;
  }
}

export const channelOptions = (name: ChannelName): string[] => [...optionPaths(channels[name].input as z.ZodType)];
