import path from 'node:path';
import type { ConnectCheck, ChannelInputParsed, ChannelName, ChannelOutput, HostKind } from '../contract';
import { MetadataCache } from './cluster/metadataCache';
import { createCaptureHandlers } from './captures/captureHandlers';
import { replayCapture } from './captures/captureReplay';
import { CaptureStore } from './captures/captureStore';
import { importConnection } from './connections/connectionImport';
import { ConnectionStore } from './connections/connectionStore';
import { CoreEvents } from './events';
import { createAdminHandlers } from './admin/adminHandlers';
import { CoreError } from './coreError';
import { runDoctor } from './doctor/connectionDoctor';
import { withKafka } from './kafka/gateway';
import { commitOffsets } from './operations/commitOperation';
import { dispatch } from './dispatch';
import { createConnectHandlers } from './connect/connectHandlers';
import { ConnectStore } from './connect/connectStore';
import { APP_FILE_MESSAGE_LIMIT, parseMessageFile } from './operations/messageFile';
import { OperationRegistry } from './operations/operationRegistry';
import { ListenManager } from './operations/listenOperation';
import { fillVariables, PresetStore } from './presets/presetStore';
import { consume } from './operations/consumeOperation';
import { produce } from './operations/produceOperation';
import { MessageSessions } from './sessions/messageSessions';
import { privateDirSync } from './store/privateFiles';
import type { SecretBox } from './secrets/secretBox';

export interface CoreOptions {
  host: HostKind;
  dataDir: string;
  version: string;
  secrets: SecretBox;
  /** The app's resources folder (the sample capture); default: `resources/` of the working directory. */
  resourcesDir?: string;
  /** Where `secrets` seals, as app.info tells the window; default: what `secrets.kind` says, in general words. */
  secretStorage?: ChannelOutput<'app.info'>['secretStorage'];
}

export type Handler<C extends ChannelName> = (input: ChannelInputParsed<C>) => Promise<ChannelOutput<C>>;
export type Handlers = { [C in ChannelName]: Handler<C> };

export interface Core {
  readonly options: CoreOptions;
  readonly handlers: Handlers;
  readonly events: CoreEvents;
  readonly connections: ConnectionStore;
  readonly presets: PresetStore;
  readonly listens: ListenManager;
  readonly connect: ConnectStore;
  readonly captures: CaptureStore;
  /** What the window's Consume and Listen runs read (closed on quit: its file is removed). */
  readonly sessions: MessageSessions;
  /** Running Produce batches and Consumes (cancel them all on quit). */
  readonly operations: OperationRegistry;
}

/** One function per contract channel. Inputs arrive already validated by `dispatch`. */
export function createCore(options: CoreOptions): Core {
  // 0700 before anything is written in it (and tightened when an older version left it 0755)
  privateDirSync(options.dataDir);
  const events = new CoreEvents();
  const connections = new ConnectionStore(options.dataDir, options.secrets);
  const resolveById = async (id: string) => connections.resolve(await connections.getStored(id));
  const cache = new MetadataCache(options.dataDir);
  const presets = new PresetStore(options.dataDir);
  const sessions = new MessageSessions(options.dataDir);
  const listens = new ListenManager(events, sessions);
  const running = new OperationRegistry(events);
  const connect = new ConnectStore(options.dataDir, options.secrets);
  const captures = CaptureStore.inDataDir(options.dataDir);
  /** The saved connection each Listen reads from, so a capture saved from it names the connection. */
  const listenConnections = new Map<string, string>();

  const handlers: Handlers = {
    'app.info': async () => ({
      name: 'Kafka Desk',
      version: options.version,
      host: options.host,
      dataDir: options.dataDir,
      platform: process.platform,
      secretStorage:
        options.secretStorage ??
        (options.secrets.kind === 'safeStorage' ? { kind: 'keychain', detail: 'the system keychain' } : { kind: 'key-file', detail: 'a key file in the data folder (secret.key, 0600)' }),
    }),
    'connections.list': () => connections.list(),
    'connections.get': ({ id }) => connections.get(id),
    'connections.save': async (input) => {
      const saved = await connections.save(input);
      events.emit('connections.changed', { reason: 'saved', id: saved.id, connection: saved });
      return saved;
    },
    'connections.delete': async ({ id }) => {
      const deleted = await connections.delete(id);
      if (deleted) {
        await connect.deleteForConnection(id);
        events.emit('connections.changed', { reason: 'deleted', id });
      }
      return { deleted };
    },
    'connections.test': async (input) => {
      const resolved = 'id' in input ? await resolveById(input.id) : await connections.resolveInput(input.connection);
      const started = performance.now();
      const d = await withKafka(resolved, (s) => s.describeCluster(), { retries: 0 });
      return {
        clusterId: d.clusterId,
        brokerCount: d.brokers.length,
        controllerId: d.controllerId,
        elapsedMs: Math.round(performance.now() - started),
      };
    },
    'connections.import': async ({ format, text, name }) => importConnection(format, text, name),
    'connections.duplicate': async ({ id, name }) => {
      const copy = await connections.duplicate(id, name);
      events.emit('connections.changed', { reason: 'saved', id: copy.id, connection: copy });
      return copy;
    },
    'connections.export': ({ ids }) => connections.exportJson(ids),
    'connections.doctor': async (input) => {
      const report = await runDoctor('id' in input ? await resolveById(input.id) : await connections.resolveInput(input.connection));
      // a saved connection's Kafka Connect clusters are checked too (after the Kafka steps)
      const clusters = 'id' in input ? await connect.list(input.id) : [];
      for (const c of clusters) {
        const t0 = performance.now();
        const r = await dispatch(handlers, 'connect.check', { clusterId: c.id });
        const base = { kind: 'connect' as const, title: `Kafka Connect '${c.name}'`, target: c.urls.join(', '), elapsedMs: Math.round(performance.now() - t0) };
        if (!r.ok) report.steps.push({ ...base, status: 'failed', summary: r.error.message, error: r.error });
        else {
          const v = r.value as ConnectCheck;
          report.steps.push(
            v.matches === false
              ? { ...base, status: 'warning', summary: `Kafka Connect ${v.version} answers, but it works for another Kafka cluster (${v.kafkaClusterId}; this connection is ${v.connectionClusterId}).` }
              : { ...base, status: 'ok', summary: `Kafka Connect ${v.version} answers${v.matches ? ', for this Kafka cluster' : ''}.` },
          );
        }
      }
      return report;
    },
    ...createAdminHandlers(resolveById, cache),
    ...createConnectHandlers(connect, resolveById, async (id) => {
      const c = await connections.getStored(id);
      return { name: c.name, readOnly: c.readOnly };
    }),
    ...createCaptureHandlers(captures, sessions, {
      listenSession: (listenId) => listens.sessionOf(listenId),
      connectionName: async (id) => (await connections.get(id)).name,
      replay: async (connectionId, id, options, operationId) => replayCapture(await resolveById(connectionId), captures, id, options, running.begin(operationId, 'produce')),
      sampleFile: path.join(options.resourcesDir ?? path.resolve('resources'), 'sample-capture.ndjson'),
    }),
    'presets.list': () => presets.list(),
    'presets.save': (input) => presets.save(input),
    'presets.resolve': async ({ id, values }) => {
      const preset = (await presets.list()).find((p) => p.id === id);
      if (!preset) throw new CoreError('NOT_FOUND', 'That preset no longer exists.');
      return { preset, operation: fillVariables(preset.operation, values) };
    },
    'presets.delete': async ({ id }) => ({ deleted: await presets.delete(id) }),
    'presets.export': ({ ids }) => presets.exportJson(ids),
    'presets.import': ({ json, connectionName }) => presets.importJson(json, connectionName),
    'operations.produce': async (input) => produce(await resolveById(input.id), input, running.begin(input.operationId, 'produce')),
    'operations.consume': async (input) => {
      const conn = await resolveById(input.id);
      if (input.into === 'reply') return consume(conn, input, running.begin(input.operationId, 'consume'));
      // kept in main, page by page for the window: a million messages never cross the boundary at once
      const sessionId = await sessions.begin({ source: 'consume', connectionId: input.id, connectionName: conn.name });
      const result = await consume(conn, input, running.begin(input.operationId, 'consume'), (batch) => sessions.add(sessionId, batch));
      await sessions.settled(sessionId);
      return { ...result, session: { id: sessionId, count: sessions.count(sessionId) } };
    },
    'sessions.rows': async ({ sessionId, ...query }) => sessions.rows(sessionId, query),
    'sessions.discard': async ({ sessionId }) => ({ discarded: await sessions.discard(sessionId) }),
    'sessions.describe': async ({ sessionId, listenId }) => {
      const session = sessions.describe(sessionId);
      const d = session && { source: session.source, connectionId: session.connectionId, topics: session.topics, count: session.count };
      // a Listen is told only with its own session (an id from elsewhere names nothing)
      const listen = listenId === undefined ? null : listens.status(listenId);
      return { instance: sessions.instance, session: d, listen: listen && listen.sessionId === sessionId ? listen : null };
    },
    'operations.parseFile': async ({ name, format, text }) => {
      // stops at the first message past the limit, naming its line / row / item (PAYLOAD_TOO_LARGE)
      const messages = parseMessageFile(text, format, name, { limit: APP_FILE_MESSAGE_LIMIT });
      if (!messages.length) throw new CoreError('INVALID_INPUT', `${name} holds no messages.`);
      return { messages };
    },
    'operations.cancel': async ({ operationId }) => ({ cancelled: running.cancel(operationId) }),
    'listen.start': async (input) => {
      const status = await listens.start(await resolveById(input.id), input, input.id);
      listenConnections.set(status.listenId, input.id);
      return status;
    },
    'listen.pause': async ({ listenId }) => listens.pause(listenId),
    'listen.resume': async ({ listenId }) => listens.resume(listenId),
    'listen.stop': ({ listenId }) => listens.stop(listenId),
    'listen.history': async ({ listenId, offset, limit }) => listens.history(listenId, offset, limit),
    'listen.discard': async ({ listenId }) => ({ discarded: await listens.discard(listenId) }),
    'operations.commit': async (input) => commitOffsets(await resolveById(input.id), input),
    'cluster.describe': async ({ id }) => withKafka(await resolveById(id), (s) => s.describeCluster()),
    'topics.list': async ({ id, includeInternal, withCounts }) => {
      const r = await cache.topics(id, async () => withKafka(await resolveById(id), (s) => s.listTopics(true, withCounts)));
      return { ...r, topics: r.topics.filter((t) => includeInternal || !t.internal) };
    },
  };
  return { options, handlers, events, connections, presets, listens, connect, captures, sessions, operations: running };
}
