import type { ConnectCheck } from '../../contract';
import type { ConnectStore } from '../connect/connectStore';
import type { DoctorStep } from '../../contract';
import { connectClusterSteps } from '../doctor/connectClusterSteps';
import { runDoctor } from '../doctor/connectionDoctor';
import type { CoreEvents } from '../events';
import type { Handlers } from '../handlers';
import { withKafka } from '../kafka/gateway';
import { importConnection } from './connectionImport';
import type { ConnectionStore } from './connectionStore';
import type { ResolvedConnection } from './storedConnection';

type ConnectionChannel =
  | 'connections.list'
  | 'connections.get'
  | 'connections.save'
  | 'connections.delete'
  | 'connections.test'
  | 'connections.import'
  | 'connections.duplicate'
  | 'connections.export'
  | 'connections.doctor';

export interface ConnectionDeps {
  connections: ConnectionStore;
  connect: ConnectStore;
  events: CoreEvents;
  /** A saved connection or one the host registered for this run, with its secrets opened. */
  resolveById: (id: string) => Promise<ResolvedConnection>;
  /** The Connect screen's check of one Connect cluster (the doctor runs it for each saved with the connection). */
  checkConnect: (clusterId: string) => Promise<ConnectCheck>;
  /** The doctor's Schema Registry step for a connection (none when it has no registry). */
  registryStep: (connectionId: string) => Promise<DoctorStep | null>;
  /** What else goes when a connection is deleted (its registry settings, local schemas, schema cache). */
  deleteCompanions: (connectionId: string) => Promise<void>;
}

/** Saved connections: list, save, delete, duplicate, import, export; testing and diagnosing saved or unsaved ones. */
export function createConnectionHandlers({
  connections,
  connect,
  events,
  resolveById,
  checkConnect,
  registryStep,
  deleteCompanions,
}: ConnectionDeps): Pick<Handlers, ConnectionChannel> {
  const target = (input: { id: string } | { connection: Parameters<ConnectionStore['resolveInput']>[0] }) =>
    'id' in input ? resolveById(input.id) : connections.resolveInput(input.connection);
  return {
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
        await deleteCompanions(id);
        events.emit('connections.changed', { reason: 'deleted', id });
      }
      return { deleted };
    },
    'connections.test': async (input) => {
      const resolved = await target(input);
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
      const report = await runDoctor(await target(input));
      // a saved connection's Kafka Connect clusters are checked too (after the Kafka steps)
      const clusters = 'id' in input ? await connect.list(input.id) : [];
      report.steps.push(...(await connectClusterSteps(clusters, checkConnect)));
      const registry = 'id' in input ? await registryStep(input.id) : null;
      if (registry) report.steps.push(registry);
      return report;
    },
  };
}
