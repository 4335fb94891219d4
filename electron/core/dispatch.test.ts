import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from './dispatch';
import type { Handlers } from './handlers';
import { MAX_REQUEST_BYTES, channelNames, type ChannelName } from '../contract';

// These handlers answer with placeholders or deliberately oversized values, not contract shapes: the reply
// check (dispatch.ts, on in the test suites) is not what is tested here; dispatch.replyShape.test.ts tests it.
beforeAll(() => {
  process.env.KAFKA_DESK_CHECK_REPLIES = '0';
});

/** Handlers that record calls: a malformed request must never reach one. */
function recordingHandlers() {
  const calls: { channel: ChannelName; input: unknown }[] = [];
  const handlers = Object.fromEntries(
    channelNames.map((c) => [
      c,
      async (input: unknown) => {
        calls.push({ channel: c, input });
        return null;
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

const id = '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f';
const goodConnection = {
  name: 'local',
  bootstrapServers: ['127.0.0.1:9092'],
  sasl: { mechanism: 'none' },
  tls: { enabled: false },
};

/** For every channel: malformed inputs, and the field each one must name. */
const malformed: Record<ChannelName, [string, unknown, string][]> = {
  'app.info': [
    ['an extra field', { admin: true }, '(input)'],
    ['a string instead of an object', 'info', '(input)'],
  ],
  'connections.list': [
    ['an extra field', { all: 1 }, '(input)'],
    ['an array', [], '(input)'],
  ],
  'connections.get': [
    ['no id', {}, 'id'],
    ['an id that leaves the data folder', { id: '../../etc' }, 'id'],
    ['a numeric id', { id: 42 }, 'id'],
    ['an extra field', { id, path: '/etc/passwd' }, '(input)'],
  ],
  'connections.save': [
    ['no name', { ...goodConnection, name: '' }, 'name'],
    [
      'a bootstrap server that is not host:port',
      { ...goodConnection, bootstrapServers: ['not-a-host'] },
      'bootstrapServers.0',
    ],
    ['a port out of range', { ...goodConnection, bootstrapServers: ['broker:70000'] }, 'bootstrapServers.0'],
    ['no bootstrap servers', { ...goodConnection, bootstrapServers: [] }, 'bootstrapServers'],
    ['an unknown SASL mechanism', { ...goodConnection, sasl: { mechanism: 'kerberos5' } }, 'sasl.mechanism'],
    [
      'a Kerberos principal with a space',
      { ...goodConnection, sasl: { mechanism: 'gssapi', kerberos: { principal: 'app user@CORP' } } },
      'sasl.kerberos.principal',
    ],
    [
      'a keytab that is not base64',
      {
        ...goodConnection,
        sasl: {
          mechanism: 'gssapi',
          kerberos: { principal: 'app@CORP', keytab: { name: 'k', base64: 'not base64!' } },
        },
      },
      'sasl.kerberos.keytab.base64',
    ],
    [
      'a service name with a slash',
      {
        ...goodConnection,
        sasl: { mechanism: 'gssapi', kerberos: { principal: 'app@CORP', serviceName: 'kafka/host' } },
      },
      'sasl.kerberos.serviceName',
    ],
    ['an id that leaves the data folder', { ...goodConnection, id: '../../../tmp/x' }, 'id'],
    ['an extra field', { ...goodConnection, dataDir: '/tmp' }, '(input)'],
    [
      'a CA that is not PEM',
      { ...goodConnection, tls: { enabled: true, ca: { name: 'ca.pem', content: 'hello' } } },
      'tls.ca.content',
    ],
    [
      'a wrong-typed timeout',
      { ...goodConnection, timeouts: { connectionMs: 'soon', requestMs: 1000, authenticationMs: 1000 } },
      'timeouts.connectionMs',
    ],
    ['TLS as a string', { ...goodConnection, tls: { enabled: 'yes' } }, 'tls.enabled'],
  ],
  'connections.delete': [
    ['no id', {}, 'id'],
    ['a path as id', { id: '/etc/passwd' }, 'id'],
  ],
  'connections.test': [
    ['neither id nor connection', {}, '(input)'],
    [
      'a malformed connection',
      { connection: { ...goodConnection, bootstrapServers: ['nope'] } },
      'connection.bootstrapServers.0',
    ],
    ['an id that leaves the data folder', { id: '..' }, 'id'],
  ],
  'cluster.describe': [
    ['no id', {}, 'id'],
    ['an extra field', { id, topic: 'x' }, '(input)'],
  ],
  'topics.list': [
    ['no id', {}, 'id'],
    ['includeInternal as a string', { id, includeInternal: 'yes' }, 'includeInternal'],
  ],
  'connections.doctor': [
    ['neither id nor connection', { name: 'x' }, '(input)'],
    ['an id that leaves the data folder', { id: '../x' }, 'id'],
  ],
  'cluster.overview': [['no id', {}, 'id']],
  'operations.produce': [
    ['no messages', { id, topic: 't', messages: [] }, 'messages'],
    [
      'a value that is neither text nor base64',
      { id, topic: 't', messages: [{ value: { base64: '%%%' } }] },
      'messages.0.value',
    ],
    ['an unknown compression', { id, topic: 't', messages: [{ value: 'x' }], compression: 'brotli' }, 'compression'],
    ['a negative partition', { id, topic: 't', messages: [{ value: 'x', partition: -1 }] }, 'messages.0.partition'],
  ],
  'listen.start': [['no topic', { id }, 'topic']],
  'listen.pause': [['an id with a slash', { listenId: '../x' }, 'listenId']],
  'listen.resume': [['no id', {}, 'listenId']],
  'listen.stop': [['a number as id', { listenId: 5 }, 'listenId']],
  'presets.list': [['an extra field', { all: 1 }, '(input)']],
  'presets.save': [
    ['no name', { name: '', connectionName: 'c', operation: { kind: 'consume', input: { topic: 't' } } }, 'name'],
    [
      'an unknown operation',
      { name: 'p', connectionName: 'c', operation: { kind: 'listen', input: {} } },
      'operation.kind',
    ],
  ],
  'presets.resolve': [['values as a list', { id: '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f', values: ['a'] }, 'values']],
  'presets.delete': [['an id that leaves the data folder', { id: '../x' }, 'id']],
  'presets.export': [['ids as a string', { ids: 'all' }, 'ids']],
  'presets.import': [['json as an object', { json: {} }, 'json']],
  'operations.commit': [
    [
      'an offset that is not a number',
      { id, groupId: 'g', topic: 't', offsets: [{ partition: 0, offset: 'next' }] },
      'offsets.0.offset',
    ],
    ['no offsets', { id, groupId: 'g', topic: 't', offsets: [] }, 'offsets'],
  ],
  'operations.consume': [
    ['an unknown start', { id, topic: 't', start: { from: 'yesterday' } }, 'start'],
    ['max of zero', { id, topic: 't', max: 0 }, 'max'],
    ['both a topic and a pattern', { id, topic: 't', topicPattern: 't.*' }, 'topic'],
    ['no topic at all', { id }, 'topic'],
    ['an unknown oversize action', { id, topic: 't', onOversize: 'ignore' }, 'onOversize'],
    [
      'a group commit mode that does not exist',
      { id, topic: 't', group: { groupId: 'g', commit: 'sometimes' } },
      'group.commit',
    ],
  ],
  'operations.parseFile': [
    ['an unknown format', { name: 'a.xml', format: 'xml', text: '' }, 'format'],
    ['no name', { format: 'csv', text: 'a' }, 'name'],
  ],
  'listen.history': [
    ['a negative offset', { listenId: 'abcdefgh-1234', offset: -1 }, 'offset'],
    ['a limit over 200,000', { listenId: 'abcdefgh-1234', limit: 500_000 }, 'limit'],
  ],
  'listen.discard': [['no listen id', {}, 'listenId']],
  'sessions.rows': [
    ['no session id', { offset: 0 }, 'sessionId'],
    ['a page of a million rows', { sessionId: 1, limit: 1_000_000 }, 'limit'],
    ['an unknown sort', { sessionId: 1, sort: { field: 'size' } }, 'sort.field'],
  ],
  'sessions.discard': [['a session id that is text', { sessionId: 'x' }, 'sessionId']],
  'sessions.describe': [
    ['a session id that is text', { sessionId: 'x' }, 'sessionId'],
    ['a listen id with a slash', { sessionId: 1, listenId: '../../etc/passwd' }, 'listenId'],
  ],
  'connect.listClusters': [['no connection id', {}, 'connectionId']],
  'registry.get': [['a connection id that leaves the data folder', { connectionId: '../../etc' }, 'connectionId']],
  'registry.save': [
    ['a URL that is not http(s)', { connectionId: id, urls: ['file:///etc/passwd'] }, 'urls.0'],
    ['a user inside the URL', { connectionId: id, urls: ['https://key:secret@sr.example.com'] }, 'urls.0'],
    ['no URL', { connectionId: id, urls: [] }, 'urls'],
    ['a timeout of a millisecond', { connectionId: id, urls: ['https://sr:8081'], timeoutMs: 1 }, 'timeoutMs'],
  ],
  'registry.delete': [['no connection id', {}, 'connectionId']],
  'schemas.subjects': [['an extra field', { id, all: true }, '(input)']],
  'schemas.versions': [['a subject with a control character', { id, subject: 'orders\u0000-value' }, 'subject']],
  'schemas.get': [
    ['version 0', { id, subject: 's', version: 0 }, 'version'],
    ['a version that is a word', { id, subject: 's', version: 'first' }, 'version'],
  ],
  'schemas.byId': [['a negative schema id', { id, schemaId: -1 }, 'schemaId']],
  'schemas.register': [
    ['an unknown schema type', { id, subject: 's', draft: { schemaType: 'XML', schema: '<a/>' } }, 'draft.schemaType'],
    ['an empty schema', { id, subject: 's', draft: { schema: '' } }, 'draft.schema'],
    [
      'a reference without a version',
      { id, subject: 's', draft: { schema: '{}', references: [{ name: 'a', subject: 'b' }] } },
      'draft.references.0.version',
    ],
  ],
  'schemas.check': [['no draft', { id, subject: 's' }, 'draft']],
  'schemas.setCompatibility': [['an unknown level', { id, subject: 's', level: 'SIDEWAYS' }, 'level']],
  'schemas.delete': [['a version that is not a number', { id, subject: 's', version: '1; drop' }, 'version']],
  'schemas.topicSubjects': [['a topic name too long', { id, topic: 'x'.repeat(250) }, 'topic']],
  'schemas.resolve': [
    ['an unknown choice', { id, choice: { kind: 'url', url: 'http://x' } }, 'choice.kind'],
    [
      'a local schema id with a slash',
      { id, choice: { kind: 'local', localSchemaId: '../../x' } },
      'choice.localSchemaId',
    ],
  ],
  'localSchemas.list': [['no connection id', {}, 'connectionId']],
  'localSchemas.add': [
    [
      'an import path that climbs out',
      {
        connectionId: id,
        schemaType: 'PROTOBUF',
        file: { name: 'a.proto', content: 'syntax = "proto3";' },
        imports: [{ name: '../../../etc/cron.d/x', content: '' }],
      },
      'imports.0.name',
    ],
    [
      'an absolute file name',
      { connectionId: id, schemaType: 'AVRO', file: { name: '/etc/passwd', content: '{}' } },
      'file.name',
    ],
  ],
  'localSchemas.delete': [
    ['a schema id with a slash', { connectionId: id, localSchemaId: 'a/b/c/d/e/f' }, 'localSchemaId'],
  ],
  'localSchemas.bind': [
    [
      'a negative registry id',
      { connectionId: id, localSchemaId: 'abcdefgh-1', target: { kind: 'schemaId', schemaId: -5 } },
      'target.schemaId',
    ],
  ],
  'connect.saveCluster': [
    ['a URL that is not http(s)', { connectionId: id, name: 'c', urls: ['ftp://x:8083'] }, 'urls.0'],
    ['a user inside the URL', { connectionId: id, name: 'c', urls: ['http://admin:secret@x:8083'] }, 'urls.0'],
    ['no URL', { connectionId: id, name: 'c', urls: [] }, 'urls'],
  ],
  'connect.deleteCluster': [['a cluster id with a slash', { clusterId: '../../x' }, 'clusterId']],
  'connect.check': [['no cluster id', {}, 'clusterId']],
  'connect.connectors': [['an extra field', { clusterId: 'abcdefgh-1', all: true }, '(input)']],
  'connect.connector': [['a name with a slash', { clusterId: 'abcdefgh-1', name: 'a/b' }, 'name']],
  'connect.plugins': [['no cluster id', {}, 'clusterId']],
  'connect.validate': [
    [
      'a config value that is not a string',
      { clusterId: 'abcdefgh-1', config: { 'tasks.max': 1 } },
      'config.tasks.max',
    ],
  ],
  'connect.create': [['no name', { clusterId: 'abcdefgh-1', config: {} }, 'name']],
  'connect.update': [['no config', { clusterId: 'abcdefgh-1', name: 'x' }, 'config']],
  'connect.action': [['an unknown action', { clusterId: 'abcdefgh-1', name: 'x', action: 'explode' }, 'action']],
  'connect.restartTask': [['a negative task', { clusterId: 'abcdefgh-1', name: 'x', task: -1 }, 'task']],
  'connect.delete': [['no name', { clusterId: 'abcdefgh-1' }, 'name']],
  'connect.alterOffsets': [['no offsets', { clusterId: 'abcdefgh-1', name: 'x', offsets: [] }, 'offsets']],
  'connect.resetOffsets': [['no name', { clusterId: 'abcdefgh-1' }, 'name']],
  'operations.cancel': [
    ['no operation id', {}, 'operationId'],
    ['an operation id with a slash', { operationId: '../etc/passwd' }, 'operationId'],
  ],
  'connections.import': [
    ['an unknown format', { format: 'yaml', text: '' }, 'format'],
    ['an oversized file', { format: 'kcat', text: 'x'.repeat(300 * 1024) }, 'text'],
  ],
  'connections.duplicate': [['an id that leaves the data folder', { id: '../../x' }, 'id']],
  'connections.export': [['ids as a string', { ids: 'all' }, 'ids']],
  'topics.describe': [
    ['no topic name', { id }, 'name'],
    ['a topic name with a slash', { id, name: '../etc' }, 'name'],
  ],
  'topics.create': [
    ['zero partitions', { id, name: 't', partitions: 0, replicationFactor: 1 }, 'partitions'],
    ['a name with spaces', { id, name: 'my topic', partitions: 1, replicationFactor: 1 }, 'name'],
    ['a replication factor as text', { id, name: 't', partitions: 1, replicationFactor: 'three' }, 'replicationFactor'],
    [
      'a config without a value',
      { id, name: 't', partitions: 1, replicationFactor: 1, configs: [{ name: 'retention.ms' }] },
      'configs.0.value',
    ],
  ],
  'topics.delete': [['no confirmation', { id, name: 't' }, 'confirmName']],
  'topics.alterConfigs': [['set as an object', { id, name: 't', set: { 'retention.ms': '1' } }, 'set']],
  'topics.addPartitions': [['a count of one', { id, name: 't', totalCount: 1 }, 'totalCount']],
  'topics.deleteRecords': [
    ['a negative offset', { id, name: 't', before: [{ partition: 0, offset: '-5' }] }, 'before'],
    ['no partitions', { id, name: 't', before: [] }, 'before'],
  ],
  'configs.describe': [
    ['no resource', { id }, 'resource'],
    ['an unknown resource type', { id, resource: { type: 'broker-logger', brokerId: 1 } }, 'resource.type'],
    ['a negative broker id', { id, resource: { type: 'broker', brokerId: -1 } }, 'resource.brokerId'],
    ['a broker id as text', { id, resource: { type: 'broker', brokerId: '1' } }, 'resource.brokerId'],
    ['a topic name with a slash', { id, resource: { type: 'topic', name: '../etc' } }, 'resource.name'],
    ['a cluster default with a name', { id, resource: { type: 'cluster-default', name: 'x' } }, 'resource'],
  ],
  'configs.alter': [
    ['nothing to change', { id, resource: { type: 'cluster-default' } }, 'set'],
    ['set as a list', { id, resource: { type: 'cluster-default' }, set: [{ name: 'a', value: '1' }] }, 'set'],
    [
      'a config name with a newline',
      { id, resource: { type: 'broker', brokerId: 1 }, set: { 'log.retention.ms\nx': '1' } },
      'set',
    ],
    ['a prototype key', { id, resource: { type: 'topic', name: 't' }, delete: ['__proto__'] }, 'delete.0'],
    [
      'a prototype key to set (as JSON.parse makes it: an own key)',
      { id, resource: { type: 'topic', name: 't' }, set: JSON.parse('{"__proto__":"x"}') as unknown },
      'set',
    ],
    ['a value that is not text', { id, resource: { type: 'topic', name: 't' }, set: { 'retention.ms': 1 } }, 'set'],
    [
      'a key both set and deleted',
      { id, resource: { type: 'topic', name: 't' }, set: { 'retention.ms': '1' }, delete: ['retention.ms'] },
      'delete',
    ],
    [
      'a 65 KiB value',
      { id, resource: { type: 'topic', name: 't' }, set: { 'retention.ms': 'x'.repeat(65 * 1024) } },
      'set',
    ],
    [
      'validateOnly as text',
      { id, resource: { type: 'topic', name: 't' }, delete: ['a'], validateOnly: 'yes' },
      'validateOnly',
    ],
  ],
  'groups.list': [['an extra field', { id, all: true }, '(input)']],
  'groups.describe': [['no group id', { id }, 'groupId']],
  'groups.resetOffsets': [
    ['an unknown strategy', { id, groupId: 'g', topic: 't', strategy: { to: 'yesterday' } }, 'strategy'],
    ['a shift without an amount', { id, groupId: 'g', topic: 't', strategy: { to: 'shift' } }, 'strategy'],
    [
      'an offset that is not a number',
      { id, groupId: 'g', topic: 't', strategy: { to: 'offset', offset: 'ten' } },
      'strategy',
    ],
  ],
  'groups.delete': [['an empty group id', { id, groupId: '' }, 'groupId']],
  'acls.list': [
    ['an unknown resource type', { id, filter: { resourceType: 'DATABASE' } }, 'filter.resourceType'],
    ['a principal without its type', { id, filter: { principal: 'alice' } }, 'filter.principal'],
    ['an extra filter field', { id, filter: { topic: 't' } }, 'filter'],
  ],
  'acls.create': [
    ['no bindings', { id, bindings: [] }, 'bindings'],
    [
      'an operation that does not apply to a group',
      { id, bindings: [{ resourceType: 'GROUP', resourceName: 'g', principal: 'User:a', operation: 'WRITE' }] },
      'bindings.0.operation',
    ],
    [
      'a cluster binding not named kafka-cluster',
      { id, bindings: [{ resourceType: 'CLUSTER', resourceName: 'prod', principal: 'User:a', operation: 'ALTER' }] },
      'bindings.0.resourceName',
    ],
    [
      'a host name instead of an address',
      {
        id,
        bindings: [
          { resourceType: 'TOPIC', resourceName: 't', principal: 'User:a', operation: 'READ', host: 'app.example.com' },
        ],
      },
      'bindings.0.host',
    ],
    [
      'a terminal escape in a resource name',
      {
        id,
        bindings: [{ resourceType: 'GROUP', resourceName: 'g\u001b[2J', principal: 'User:a', operation: 'READ' }],
      },
      'bindings.0.resourceName',
    ],
    [
      'a prefixed wildcard',
      {
        id,
        bindings: [
          { resourceType: 'TOPIC', resourceName: '*', patternType: 'PREFIXED', principal: 'User:a', operation: 'READ' },
        ],
      },
      'bindings.0.patternType',
    ],
    [
      'an ANY operation (a filter word, not a permission)',
      { id, bindings: [{ resourceType: 'TOPIC', resourceName: 't', principal: 'User:a', operation: 'ANY' }] },
      'bindings.0.operation',
    ],
    [
      'too many bindings',
      {
        id,
        bindings: Array.from({ length: 201 }, (_, i) => ({
          resourceType: 'TOPIC',
          resourceName: `t${i}`,
          principal: 'User:a',
          operation: 'READ',
        })),
      },
      'bindings',
    ],
  ],
  'acls.delete': [
    ['no filters', { id, filters: [] }, 'filters'],
    ['dryRun as text', { id, filters: [{}], dryRun: 'no' }, 'dryRun'],
    ['an unknown pattern type', { id, filters: [{ patternType: 'REGEX' }] }, 'filters.0.patternType'],
  ],
  'partitions.plan': [
    ['neither topics nor moves', { id }, 'topics'],
    ['both topics and moves', { id, topics: ['t'], moves: [{ topic: 't', partition: 0, replicas: [1, 2] }] }, 'moves'],
    ['a replication factor of 0', { id, topics: ['t'], replicationFactor: 0 }, 'replicationFactor'],
    [
      'a replication factor with moves given',
      { id, moves: [{ topic: 't', partition: 0, replicas: [1, 2] }], replicationFactor: 2 },
      'replicationFactor',
    ],
    ['a negative broker id', { id, topics: ['t'], brokers: [-1] }, 'brokers.0'],
    [
      'a broker both to use and to leave',
      { id, topics: ['t'], brokers: [1, 2], excludeBrokers: [2] },
      'excludeBrokers',
    ],
    ['a topic name that is a path', { id, topics: ['../etc'] }, 'topics.0'],
  ],
  'partitions.reassign': [
    ['no plan', { id }, 'plan'],
    [
      'no replicas (replication factor 0)',
      { id, plan: { partitions: [{ topic: 't', partition: 0, replicas: [] }] } },
      'plan.partitions.0.replicas',
    ],
    [
      'a broker twice in a partition',
      { id, plan: { partitions: [{ topic: 't', partition: 0, replicas: [1, 1] }] } },
      'plan.partitions.0.replicas.1',
    ],
    [
      'a partition twice',
      {
        id,
        plan: {
          partitions: [
            { topic: 't', partition: 0, replicas: [1, 2] },
            { topic: 't', partition: 0, replicas: [1, 2] },
          ],
        },
      },
      'plan.partitions.1.partition',
    ],
    [
      'a broker id that is not a whole number',
      { id, plan: { partitions: [{ topic: 't', partition: 0, replicas: [1.5] }] } },
      'plan.partitions.0.replicas.0',
    ],
    [
      'a negative partition',
      { id, plan: { partitions: [{ topic: 't', partition: -1, replicas: [1] }] } },
      'plan.partitions.0.partition',
    ],
    [
      'a topic with a terminal escape',
      { id, plan: { partitions: [{ topic: 't\u001b[2J', partition: 0, replicas: [1] }] } },
      'plan.partitions.0.topic',
    ],
    [
      'a line with log dirs',
      { id, plan: { partitions: [{ ...{ topic: 't', partition: 0, replicas: [1, 2] }, log_dirs: ['/data'] }] } },
      'plan.partitions.0',
    ],
    ['no partitions', { id, plan: { partitions: [] } }, 'plan.partitions'],
    [
      'dryRun as text',
      { id, plan: { partitions: [{ topic: 't', partition: 0, replicas: [1, 2] }] }, dryRun: 'no' },
      'dryRun',
    ],
  ],
  'partitions.reassignments': [['topics as a string', { id, topics: 't' }, 'topics']],
  'partitions.cancelReassignment': [
    ['partitions without their topic', { id, partitions: [0] }, 'topic'],
    ['a negative partition', { id, topic: 't', partitions: [-1] }, 'partitions.0'],
  ],
  'partitions.electLeaders': [
    ['an unknown election type', { id, type: 'random' }, 'type'],
    ['an empty topic list (null is every partition)', { id, topics: [] }, 'topics'],
    ['a partition as text', { id, topics: [{ topic: 't', partitions: ['0'] }] }, 'topics.0.partitions.0'],
  ],
  'partitions.health': [['an extra field', { id, all: true }, '(input)']],
  'users.list': [
    ['a name with a terminal escape', { id, names: ['alice\u001b[2J'] }, 'names.0'],
    ['names as text', { id, names: 'alice' }, 'names'],
  ],
  'users.upsert': [
    ['no password', { id, name: 'alice', mechanism: 'SCRAM-SHA-512' }, 'password'],
    ['an empty password', { id, name: 'alice', mechanism: 'SCRAM-SHA-512', password: '' }, 'password'],
    ['an unknown mechanism', { id, name: 'alice', mechanism: 'PLAIN', password: 'pw-1' }, 'mechanism'],
    [
      'fewer iterations than Kafka takes',
      { id, name: 'alice', mechanism: 'SCRAM-SHA-256', password: 'pw-1', iterations: 4095 },
      'iterations',
    ],
    [
      'more iterations than Kafka takes',
      { id, name: 'alice', mechanism: 'SCRAM-SHA-256', password: 'pw-1', iterations: 16385 },
      'iterations',
    ],
    ['an empty name', { id, name: '', mechanism: 'SCRAM-SHA-256', password: 'pw-1' }, 'name'],
    ['an unknown mode', { id, name: 'a', mechanism: 'SCRAM-SHA-256', password: 'pw-1', mode: 'replace' }, 'mode'],
  ],
  'users.delete': [
    ['no name', { id }, 'name'],
    ['a mechanism in lower case', { id, name: 'alice', mechanism: 'scram-sha-512' }, 'mechanism'],
  ],
  'quotas.list': [
    ['an unknown match', { id, filter: { user: { match: 'prefix', name: 'a' } } }, 'filter.user'],
    ['an exact match without a name', { id, filter: { clientId: { match: 'exact' } } }, 'filter.clientId'],
    ['an unknown entity kind', { id, filter: { group: { match: 'any' } } }, 'filter'],
  ],
  'quotas.alter': [
    ['no entries', { id, entries: [] }, 'entries'],
    ['an entity of nothing', { id, entries: [{ entity: {}, set: { producer_byte_rate: 1 } }] }, 'entries.0.entity'],
    [
      'an IP with a user',
      { id, entries: [{ entity: { ip: '10.0.0.1', user: 'a' }, set: { connection_creation_rate: 5 } }] },
      'entries.0.entity.ip',
    ],
    [
      'a host name for the ip entity',
      { id, entries: [{ entity: { ip: 'db.example.com' }, set: { connection_creation_rate: 5 } }] },
      'entries.0.entity.ip',
    ],
    [
      'a byte rate that is not whole',
      { id, entries: [{ entity: { user: 'a' }, set: { producer_byte_rate: 1.5 } }] },
      'entries.0.set.producer_byte_rate',
    ],
    [
      'a negative rate',
      { id, entries: [{ entity: { user: 'a' }, set: { request_percentage: -1 } }] },
      'entries.0.set.request_percentage',
    ],
    [
      'a connection rate on a user',
      { id, entries: [{ entity: { user: 'a' }, set: { connection_creation_rate: 5 } }] },
      'entries.0.set.connection_creation_rate',
    ],
    [
      'a key both set and removed',
      { id, entries: [{ entity: { user: 'a' }, set: { producer_byte_rate: 5 }, remove: ['producer_byte_rate'] }] },
      'entries.0.remove.0',
    ],
    ['nothing to change', { id, entries: [{ entity: { clientId: null } }] }, 'entries.0'],
    ['an unknown key', { id, entries: [{ entity: { user: 'a' }, remove: ['fetch_rate'] }] }, 'entries.0.remove.0'],
    [
      'the same entity twice',
      {
        id,
        entries: [
          { entity: { user: 'a' }, set: { producer_byte_rate: 5 } },
          { entity: { user: 'a' }, remove: ['consumer_byte_rate'] },
        ],
      },
      'entries.1.entity',
    ],
    [
      'validateOnly as text',
      { id, entries: [{ entity: { user: 'a' }, remove: ['producer_byte_rate'] }], validateOnly: 'yes' },
      'validateOnly',
    ],
  ],
  'transactions.list': [
    ['an unknown state', { id, states: ['Running'] }, 'states.0'],
    ['a producer id that is not a number', { id, producerIds: ['12a'] }, 'producerIds.0'],
    ['a producer id past 64 bits', { id, producerIds: ['9223372036854775808'] }, 'producerIds.0'],
    ['a negative duration', { id, minOpenMs: -1 }, 'minOpenMs'],
    ['a threshold that is not whole', { id, hungAfterMs: 1.5 }, 'hungAfterMs'],
  ],
  'transactions.describe': [
    ['no ids', { id, transactionalIds: [] }, 'transactionalIds'],
    ['an empty id', { id, transactionalIds: [''] }, 'transactionalIds.0'],
    ['an id with a terminal escape', { id, transactionalIds: ['tx\u001b[2J'] }, 'transactionalIds.0'],
  ],
  'transactions.producers': [
    ['no topic', { id }, 'topic'],
    ['a topic name Kafka refuses', { id, topic: 'a/b' }, 'topic'],
    ['a negative partition', { id, topic: 't', partitions: [-1] }, 'partitions.0'],
    ['an empty partition list', { id, topic: 't', partitions: [] }, 'partitions'],
  ],
  'captures.list': [['an extra field', { all: true }, '(input)']],
  'captures.replay': [
    ['no connection', { id: 1, topic: 't' }, 'connectionId'],
    [
      'an unknown partition mode',
      { id: 1, topic: 't', connectionId: 'b6a1c0de-0000-4000-8000-000000000001', partitions: 'random' },
      'partitions',
    ],
    [
      'a negative rate',
      { id: 1, topic: 't', connectionId: 'b6a1c0de-0000-4000-8000-000000000001', ratePerSecond: -1 },
      'ratePerSecond',
    ],
  ],
  'captures.openSample': [['a file to open instead', { path: '/etc/passwd' }, '(input)']],
  'captures.get': [
    ['no id', {}, 'id'],
    ['an id as a path', { id: '../captures.sqlite' }, 'id'],
    ['a negative id', { id: -1 }, 'id'],
  ],
  'captures.save': [
    ['no source', { name: 'c' }, 'from'],
    ['an unknown source', { from: 'disk', name: 'c' }, 'from'],
    ['an empty name', { from: 'listen', name: '  ', listenId: 'abcdefgh-1234' }, 'name'],
    ['a name with a newline', { from: 'listen', name: 'a\nb', listenId: 'abcdefgh-1234' }, 'name'],
    ['no messages', { from: 'messages', name: 'c', messages: [] }, 'messages'],
    [
      'a message with a malformed key',
      {
        from: 'messages',
        name: 'c',
        messages: [
          {
            topic: 't',
            partition: 0,
            offset: '1',
            timestamp: '1',
            timestampType: 'CreateTime',
            key: { base64: '***' },
            value: null,
            headers: [],
            size: 0,
          },
        ],
      },
      'messages.0.key',
    ],
    ['a listen id with a slash', { from: 'listen', name: 'c', listenId: '../../etc/x' }, 'listenId'],
    ['a selection of nothing', { from: 'capture', name: 'c', captureId: 1, seqs: [] }, 'seqs'],
    ['a tag with a comma', { from: 'capture', name: 'c', captureId: 1, seqs: [1], tags: ['a,b'] }, 'tags.0'],
  ],
  'captures.rename': [['no new name', { id: 1 }, 'name']],
  'captures.tag': [['tags as a string', { id: 1, tags: 'a' }, 'tags']],
  'captures.annotate': [['a note as a number', { id: 1, note: 5 }, 'note']],
  'captures.annotateMessage': [
    ['seq zero', { id: 1, seq: 0, note: 'x' }, 'seq'],
    ['no note (null removes one)', { id: 1, seq: 1 }, 'note'],
  ],
  'captures.delete': [['an id as text', { id: '1' }, 'id']],
  'captures.rows': [
    ['a limit over 10,000', { id: 1, limit: 50_000 }, 'limit'],
    ['an unknown sort field', { id: 1, sort: { field: 'value' } }, 'sort.field'],
    ['an offset range that is not a number', { id: 1, search: { offsetFrom: 'ten' } }, 'search.offsetFrom'],
    ['a header filter without a key', { id: 1, search: { header: { value: 'x' } } }, 'search.header.key'],
    ['an unknown filter', { id: 1, search: { sql: '1=1' } }, 'search'],
  ],
  'captures.export': [
    ['an unknown format', { id: 1, format: 'xml' }, 'format'],
    [
      'a file path (the window gets text, never writes paths)',
      { id: 1, format: 'ndjson', out: '/etc/passwd' },
      '(input)',
    ],
  ],
  'captures.schemas': [['an id as a path', { id: '../captures.sqlite' }, 'id']],
  'captures.import': [
    [
      'a schemas file as an object instead of its text',
      { name: 'c', fileName: 'a.ndjson', text: '', schemas: {} },
      'schemas',
    ],
    ['a file path instead of the text', { name: 'c', fileName: 'a.ndjson', path: '/etc/passwd' }, '(input)'],
    ['no file name', { name: 'c', text: '' }, 'fileName'],
  ],
};

describe('the contract rejects malformed payloads with a clear error, before any handler runs', () => {
  it('covers every channel', () => {
    expect(Object.keys(malformed).sort()).toEqual([...channelNames].sort());
  });

  for (const channel of channelNames) {
    for (const [what, input, field] of malformed[channel]) {
      it(`${channel}: ${what}`, async () => {
        const { handlers, calls } = recordingHandlers();
        const r = await dispatch(handlers, channel, input);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.error.code).toBe('INVALID_INPUT');
        expect(r.error.message).toMatch(new RegExp(`^Invalid request for ${channel.replace('.', '\\.')}: `));
        const paths = (r.error.fields ?? []).map((f) => f.path);
        if (field === '(input)') expect(paths.length).toBeGreaterThan(0);
        else
          expect(paths.some((p) => p === field || p.startsWith(field + '.') || field.startsWith(p + '.'))).toBe(true);
        expect(calls).toEqual([]);
      });
    }
  }

  it('an unknown channel is refused as such', async () => {
    const { handlers, calls } = recordingHandlers();
    const r = await dispatch(handlers, 'fs.readFile', { path: '/etc/passwd' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const proto = await dispatch(handlers, '__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(calls).toEqual([]);
  });

  it('an oversized payload is refused before it is parsed', async () => {
    const { handlers, calls } = recordingHandlers();
    const r = await dispatch(handlers, 'connections.save', {
      ...goodConnection,
      name: 'x'.repeat(MAX_REQUEST_BYTES + 1),
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(calls).toEqual([]);
  });

  it('a valid payload reaches its handler with defaults filled in', async () => {
    const { handlers, calls } = recordingHandlers();
    const r = await dispatch(handlers, 'connections.save', goodConnection);
    expect(r.ok).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.input).toMatchObject({
      color: 'none',
      clientId: 'kafka-desk',
      sasl: { mechanism: 'none', username: '' },
      tls: { enabled: false, verify: true },
      timeouts: { connectionMs: 10_000, requestMs: 30_000, authenticationMs: 10_000 },
    });
    const t = await dispatch(handlers, 'topics.list', { id });
    expect(t.ok).toBe(true);
    expect(calls[1]!.input).toEqual({ id, includeInternal: true, withCounts: false, withSizes: false });
  });
});
