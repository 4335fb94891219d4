import path from 'node:path';
import { ConsumeInput, Reconnect, type ConnectionInputParsed } from '../contract';
import { createAclHandlers } from './admin/aclHandlers';
import { createAdminHandlers } from './admin/adminHandlers';
import { createConfigHandlers } from './admin/configHandlers';
import { createQuotaHandlers } from './admin/quotaHandlers';
import { createReassignmentHandlers } from './admin/reassignmentHandlers';
import { createTransactionHandlers } from './admin/transactionHandlers';
import { createUserHandlers } from './admin/userHandlers';
import { createAppHandlers } from './app/appHandlers';
import { createCaptureHandlers } from './captures/captureHandlers';
import { replayCapture } from './captures/captureReplay';
import { CaptureStore } from './captures/captureStore';
import { createClusterHandlers } from './cluster/clusterHandlers';
import { MetadataCache } from './cluster/metadataCache';
import { createConnectCheck, createConnectHandlers } from './connect/connectHandlers';
import { ConnectStore, type ResolvedConnectCluster } from './connect/connectStore';
import { createConnectionHandlers } from './connections/connectionHandlers';
import { ConnectionStore } from './connections/connectionStore';
import type { ResolvedConnection } from './connections/storedConnection';
import { CoreError } from './coreError';
import { CoreEvents } from './events';
import type { CoreOptions, Handlers } from './handlers';
import { createListenHandlers } from './operations/listenHandlers';
import { ListenManager } from './operations/listenOperation';
import { consume } from './operations/consumeOperation';
import { createOperationHandlers } from './operations/operationHandlers';
import { OperationRegistry } from './operations/operationRegistry';
import { createPresetHandlers } from './presets/presetHandlers';
import { PresetStore } from './presets/presetStore';
import { registryStep } from './doctor/registryStep';
import type { ResolvedEndpoint } from './http/endpointStore';
import { LocalSchemaStore } from './schemas/localSchemaStore';
import { RegistryStore } from './schemas/registryStore';
import { createSchemaHandlers } from './schemas/schemaHandlers';
import { SchemaService } from './schemas/schemaService';
import { createSessionHandlers } from './sessions/sessionHandlers';
import { MessageSessions } from './sessions/messageSessions';
import { privateDirSync } from './store/privateFiles';
import { TransientRegistry } from './store/transientRegistry';

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
  /**
   * A connection a host names for this run only (the command line's `--bootstrap …`): its secrets
   * opened once, kept in memory, never saved. Returns the id every channel then takes.
   */
  registerTransientConnection(input: ConnectionInputParsed): Promise<string>;
  /** Reconnection settings for this run only (the command line's `--retries …`), over a saved or transient connection's own. */
  overrideReconnect(connectionId: string, settings: Partial<Reconnect>): Promise<void>;
  /** A Kafka Connect cluster for this run only (the command line's `--connect-url …`); `connectionId` may name a saved or transient connection, or none (''). */
  registerTransientConnectCluster(cluster: Omit<ResolvedConnectCluster, 'id'>): string;
  /** A Schema Registry for this run only (the command line's `--schema-registry …`), for a saved or transient connection. */
  registerTransientSchemaRegistry(connectionId: string, registry: Omit<ResolvedEndpoint, 'id' | 'connectionId'>): void;
  readonly schemas: SchemaService;
}

/**
 * The composition root, and the only one: every host (Electron's main process, browser mode's server,
 * the command line) calls this and then `dispatch(core.handlers, channel, input)`. It creates the
 * stores and wires each domain's handlers (`<domain>/…Handlers.ts`); no behaviour lives here.
 */
export function createCore(options: CoreOptions): Core {
  // 0700 before anything is written in it (and tightened when an older version left it 0755)
  privateDirSync(options.dataDir);
  const events = new CoreEvents();
  const connections = new ConnectionStore(options.dataDir, options.secrets);
  const transientConnections = new TransientRegistry<ResolvedConnection>('transient');
  const reconnectOverrides = new Map<string, Reconnect>();
  const resolveById = async (id: string): Promise<ResolvedConnection> => {
    const c = transientConnections.get(id) ?? (await connections.resolve(await connections.getStored(id)));
    const reconnect = reconnectOverrides.get(id);
    return reconnect ? { ...c, reconnect } : c;
  };
  const cache = new MetadataCache(options.dataDir, (id) => transientConnections.get(id) === undefined);
  const presets = new PresetStore(options.dataDir);
  const sessions = new MessageSessions(options.dataDir);
  const listens = new ListenManager(events, options.listenSessions === false ? null : sessions);
  const running = new OperationRegistry(events);
  const connect = new ConnectStore(options.dataDir, options.secrets);
  const transientClusters = new TransientRegistry<ResolvedConnectCluster>('transient-connect');
  const connectClusters = {
    list: (connectionId?: string) => connect.list(connectionId),
    save: connect.save.bind(connect),
    delete: connect.delete.bind(connect),
    resolve: async (id: string) => transientClusters.get(id) ?? connect.resolve(id),
  };
  // a capture keeps the registry schemas its decoded messages name, from the connection's schema cache
  const captures = CaptureStore.inDataDir(options.dataDir, async (connectionId) => {
    const cache = schemas.cache(connectionId);
    await cache.load();
    return (schemaId) => cache.get(schemaId);
  });
  /** A Connect cluster's connection: its name and read-only flag (stored: no secrets opened; none: the command line's --connect-url alone). */
  const ownerOf = async (id: string) => {
    const transient = transientConnections.get(id);
    if (transient) return { name: transient.name, readOnly: transient.readOnly };
    if (id === '') return { name: 'command line', readOnly: false };
    const c = await connections.getStored(id);
    return { name: c.name, readOnly: c.readOnly };
  };

  const registries = new RegistryStore(options.dataDir, options.secrets);
  const localSchemas = new LocalSchemaStore(options.dataDir);
  const transientRegistries = new Map<string, Omit<ResolvedEndpoint, 'id'>>();
  const schemas = new SchemaService({
    dataDir: options.dataDir,
    registries,
    local: localSchemas,
    ownerOf,
    transient: (id) => transientRegistries.get(id),
    isSaved: (id) => transientConnections.get(id) === undefined,
  });

  const handlers: Handlers = {
    ...createAppHandlers(options),
    ...createConnectionHandlers({
      connections,
      connect,
      events,
      resolveById,
      checkConnect: createConnectCheck(connectClusters, resolveById, ownerOf),
      registryStep: (id) => registryStep(schemas, id),
      deleteCompanions: async (id) => {
        schemas.forget(id);
        await registries.deleteForConnection(id);
        await localSchemas.deleteForConnection(id);
      },
    }),
    ...createClusterHandlers(resolveById, cache),
    ...createAdminHandlers(resolveById, cache),
    ...createConfigHandlers(resolveById),
    ...createAclHandlers(resolveById),
    ...createUserHandlers(resolveById),
    ...createQuotaHandlers(resolveById),
    ...createReassignmentHandlers(resolveById),
    ...createTransactionHandlers(resolveById),
    ...createOperationHandlers({ resolveById, running, sessions, schemas, events }),
    ...createListenHandlers(listens, resolveById, schemas),
    ...createSessionHandlers(sessions, listens),
    ...createPresetHandlers(presets),
    ...createConnectHandlers(connectClusters, resolveById, ownerOf),
    ...createSchemaHandlers({
      registries,
      local: localSchemas,
      service: schemas,
      ownerOf,
      // the newest messages, as bytes, with a throwaway group: a look, never a commit
      newest: async (id, topic, max) =>
        (
          await consume(
            await resolveById(id),
            ConsumeInput.parse({
              id,
              topic,
              start: { from: 'latest', minus: Math.ceil(max / 4) },
              max,
              keyFormat: 'bytes',
              valueFormat: 'bytes',
            }),
          )
        ).messages.slice(-max),
    }),
    ...createCaptureHandlers(captures, sessions, {
      listenSession: (listenId) => listens.sessionOf(listenId),
      connectionName: async (id) => (await connections.get(id)).name,
      replay: async (connectionId, id, replayOptions, operationId) => {
        const re = replayOptions.reencode;
        const [key, value] = await Promise.all([
          re?.keySchema ? schemas.chosen(connectionId, re.keySchema) : undefined,
          re?.valueSchema ? schemas.chosen(connectionId, re.valueSchema) : undefined,
        ]);
        return replayCapture(
          await resolveById(connectionId),
          captures,
          id,
          replayOptions,
          running.begin(operationId, 'produce'),
          { key, value },
        );
      },
      sampleFile: path.join(options.resourcesDir ?? path.resolve('resources'), 'sample-capture.ndjson'),
    }),
  };
  return {
    options,
    handlers,
    events,
    connections,
    presets,
    listens,
    connect,
    captures,
    sessions,
    operations: running,
    registerTransientConnection: async (input) => {
      const resolved = await connections.resolveInput(input);
      return transientConnections.add(() => resolved);
    },
    overrideReconnect: async (id, settings) => {
      const base = transientConnections.get(id)?.reconnect ?? (await connections.getStored(id)).reconnect;
      const merged = Reconnect.safeParse({ ...base, ...settings });
      if (!merged.success)
        throw new CoreError(
          'INVALID_INPUT',
          `The reconnection settings do not fit together: ${merged.error.issues.map((i) => i.message).join('; ')}.`,
        );
      reconnectOverrides.set(id, merged.data);
    },
    registerTransientConnectCluster: (cluster) => transientClusters.add((id) => ({ ...cluster, id })),
    registerTransientSchemaRegistry: (connectionId, registry) => {
      transientRegistries.set(connectionId, { ...registry, connectionId });
      schemas.forget(connectionId);
    },
    schemas,
  };
}
