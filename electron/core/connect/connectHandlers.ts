import type {
  ConnectCheck,
  ConnectorDetail,
  ConnectorState,
  ConnectorSummary,
  ConfigField,
  Validation,
} from '../../contract';
import { connectChannels } from '../../contract';
import { assertWritable } from '../admin/readOnly';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import type { Handlers } from '../handlers';
import { withKafka } from '../kafka/gateway';
import { ConnectRest } from './connectRest';
import type { ConnectStore } from './connectStore';

type ConnectChannel = keyof typeof connectChannels;

interface RawStatus {
  name: string;
  type?: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}
interface RawInfo {
  name: string;
  config: Record<string, string>;
  tasks: { connector: string; task: number }[];
  type?: string;
}
interface RawValidation {
  error_count: number;
  configs: {
    definition: {
      name: string;
      type: string;
      required: boolean;
      default_value: string | null;
      documentation: string;
      group: string;
      display_name: string;
    };
    value: { name: string; value: string | null; errors: string[] };
  }[];
}

const STATES: readonly ConnectorState[] = ['RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'UNASSIGNED', 'RESTARTING'];
const state = (s: string | undefined): ConnectorState =>
  STATES.includes(s as ConnectorState) ? (s as ConnectorState) : 'UNKNOWN';
const kind = (t: string | undefined) => (t === 'source' || t === 'sink' ? t : 'unknown');
const enc = encodeURIComponent;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Kafka connection a Connect cluster belongs to: its name and whether it is read-only (no secrets opened). */
export type ConnectOwner = (connectionId: string) => Promise<{ name: string; readOnly: boolean }>;

/** The owner read from the resolved connection (its secrets opened): when the core is given no cheaper way. */
const ownerFrom =
  (resolveConnection: (id: string) => Promise<ResolvedConnection>): ConnectOwner =>
  async (id) => {
    const conn = await resolveConnection(id).catch((e: unknown) =>
      e instanceof CoreError && e.code === 'INVALID_INPUT' ? null : Promise.reject(e),
    );
    return { name: conn?.name ?? 'command line', readOnly: conn?.readOnly ?? false };
  };

/**
 * Whether a Connect cluster answers, its version, and whether it works for the Kafka cluster of its
 * connection: the Connect screen's check, and a step of the connection doctor.
 */
export function createConnectCheck(
  store: Pick<ConnectStore, 'resolve'>,
  resolveConnection: (id: string) => Promise<ResolvedConnection>,
  ownerOf: ConnectOwner = ownerFrom(resolveConnection),
): (clusterId: string) => Promise<ConnectCheck> {
  return async (clusterId) => {
    const c = await store.resolve(clusterId);
    const rest = new ConnectRest(c, await ownerOf(c.connectionId));
    const t0 = Date.now();
    const r = await rest.call('GET', '/');
    if (r.status !== 200) throw rest.httpError(r, 'GET /');
    const root = r.body as { version?: string; commit?: string; kafka_cluster_id?: string };
    const conn = await resolveConnection(c.connectionId).catch(() => null);
    const clusterIdOfConnection = conn
      ? await withKafka(conn, (s) => s.describeCluster(), { retries: 0 }).then(
          (d) => d.clusterId,
          () => null,
        )
      : null;
    return {
      url: r.url.replace(/\/$/, ''),
      version: root.version ?? '?',
      commit: root.commit ?? '',
      kafkaClusterId: root.kafka_cluster_id ?? '',
      connectionClusterId: clusterIdOfConnection,
      matches: clusterIdOfConnection === null ? null : clusterIdOfConnection === root.kafka_cluster_id,
      elapsedMs: Date.now() - t0,
    };
  };
}

/**
 * Kafka Connect through its REST API: clusters per connection (ConnectStore), connectors with their
 * status, detail (config, tasks with traces, topics, offsets), plugins, validation before create /
 * update, actions that wait until the worker reports the new state, and offsets of stopped
 * connectors. Writes are refused on a read-only connection.
 */
export function createConnectHandlers(
  store: Pick<ConnectStore, 'list' | 'save' | 'delete' | 'resolve'>,
  resolveConnection: (id: string) => Promise<ResolvedConnection>,
  ownerOf: ConnectOwner = ownerFrom(resolveConnection),
): Pick<Handlers, ConnectChannel> {
  const check = createConnectCheck(store, resolveConnection, ownerOf);
  const open = async (clusterId: string, write?: string) => {
    const c = await store.resolve(clusterId);
    const owner = await ownerOf(c.connectionId);
    if (write) assertWritable(owner, write);
    return new ConnectRest(c, owner);
  };

  async function detail(rest: ConnectRest, name: string): Promise<ConnectorDetail> {
    const [info, status] = await Promise.all([
      rest.ok<RawInfo>('GET', `/connectors/${enc(name)}`),
      statusOf(rest, name),
    ]);
    const topics = await rest.call('GET', `/connectors/${enc(name)}/topics`);
    const offsets = await rest.call('GET', `/connectors/${enc(name)}/offsets`);
    const topicList =
      topics.status === 200 ? ((topics.body as Record<string, { topics: string[] }>)[name]?.topics ?? []) : [];
    const offsetsOk = offsets.status === 200 && Array.isArray((offsets.body as { offsets?: unknown }).offsets);
    return {
      name,
      type: kind(info.type ?? status.type),
      className: info.config['connector.class'] ?? '',
      config: info.config,
      state: state(status.connector.state),
      workerId: status.connector.worker_id,
      trace: status.connector.trace ?? null,
      tasks: status.tasks
        .map((t) => ({ id: t.id, state: state(t.state), workerId: t.worker_id, trace: t.trace ?? null }))
        .sort((a, b) => a.id - b.id),
      topics: topicList,
      offsets: offsetsOk
        ? {
            offsets: (
              offsets.body as {
                offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[];
              }
            ).offsets,
          }
        : null,
      offsetsUnavailable: offsetsOk
        ? null
        : offsets.status === 404 || offsets.status === 405
          ? 'This worker has no offsets API (Kafka Connect 3.6 or later has it).'
          : (rest.httpError(offsets, 'GET offsets').message ?? 'The offsets could not be read.'),
    };
  }

  /** Status right after a create may not exist yet: ask again briefly. */
  async function statusOf(rest: ConnectRest, name: string): Promise<RawStatus> {
    for (let i = 0; ; i++) {
      const r = await rest.call('GET', `/connectors/${enc(name)}/status`);
      if (r.status === 200) return r.body as RawStatus;
      if (r.status !== 404 || i >= 20) throw rest.httpError(r, `GET /connectors/${name}/status`);
      await sleep(250);
    }
  }

  /**
   * After an action the worker takes a moment: wait (up to ~15 s) until it reports what was asked,
   * and return the detail read in that same round (not a later one, which could differ again).
   */
  async function settle(
    rest: ConnectRest,
    name: string,
    done: (s: RawStatus, d: ConnectorDetail) => boolean,
  ): Promise<ConnectorDetail> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const d = await detail(rest, name).catch(() => null);
      if (
        d &&
        done(
          {
            name,
            connector: { state: d.state, worker_id: d.workerId },
            tasks: d.tasks.map((t) => ({ id: t.id, state: t.state, worker_id: t.workerId })),
          },
          d,
        )
      )
        return d;
      if (Date.now() > deadline) return d ?? detail(rest, name);
      await sleep(300);
    }
  }

  async function validate(rest: ConnectRest, config: Record<string, string>): Promise<Validation> {
    const cls = config['connector.class'];
    if (!cls)
      throw new CoreError('INVALID_INPUT', "The config needs 'connector.class' (the plugin).", undefined, [
        { path: 'config.connector.class', message: 'required' },
      ]);
    const r = await rest.call('PUT', `/connector-plugins/${enc(cls)}/config/validate`, config);
    // an unknown class is a 404 on some versions and a 500 "Failed to find any class that implements Connector" on others
    const said = String((r.body as { message?: unknown } | null)?.message ?? '');
    if (r.status === 404 || /Failed to find any class that implements Connector|not found/i.test(said)) {
      throw new CoreError(
        'NOT_FOUND',
        `This Connect cluster has no plugin '${cls}'; see its plugin list.`,
        said.slice(0, 300),
        [{ path: 'config.connector.class', message: 'unknown plugin' }],
      );
    }
    if (r.status !== 200) throw rest.httpError(r, 'validate');
    const v = r.body as RawValidation;
    const fields: ConfigField[] = v.configs.map(({ definition: d, value }) => ({
      name: d.name,
      value: value.value,
      errors: value.errors,
      required: d.required,
      documentation: d.documentation ?? '',
      displayName: d.display_name ?? d.name,
      group: d.group ?? '',
      type: d.type,
      defaultValue: d.default_value ?? null,
    }));
    return { errorCount: v.error_count, fields };
  }

  async function validOrThrow(rest: ConnectRest, config: Record<string, string>): Promise<void> {
    const v = await validate(rest, config);
    const bad = v.fields.filter((f) => f.errors.length);
    if (v.errorCount > 0) {
      throw new CoreError(
        'INVALID_INPUT',
        `The connector config has ${v.errorCount} error${v.errorCount === 1 ? '' : 's'}: ${bad.map((f) => `${f.name}: ${f.errors[0]}`).join('; ')}. Nothing was saved.`,
        undefined,
        bad.map((f) => ({ path: `config.${f.name}`, message: f.errors.join(' ') })),
      );
    }
  }

  return {
    'connect.listClusters': async ({ connectionId }) => store.list(connectionId),
    'connect.saveCluster': async (input) => {
      await resolveConnection(input.connectionId);
      return store.save(input);
    },
    'connect.deleteCluster': async ({ clusterId }) => ({ deleted: await store.delete(clusterId) }),
    'connect.check': async ({ clusterId }) => check(clusterId),
    'connect.connectors': async ({ clusterId }) => {
      const rest = await open(clusterId);
      const all = await rest.ok<Record<string, { info?: RawInfo; status?: RawStatus }>>(
        'GET',
        '/connectors?expand=status&expand=info',
      );
      return Object.entries(all)
        .map(([name, { info, status }]): ConnectorSummary => ({
          name,
          type: kind(info?.type ?? status?.type),
          className: info?.config['connector.class'] ?? '',
          state: state(status?.connector.state),
          workerId: status?.connector.worker_id ?? '',
          tasksRunning: status?.tasks.filter((t) => t.state === 'RUNNING').length ?? 0,
          tasksTotal: status?.tasks.length ?? 0,
          tasksFailed: status?.tasks.filter((t) => t.state === 'FAILED').length ?? 0,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    'connect.connector': async ({ clusterId, name }) => detail(await open(clusterId), name),
    'connect.plugins': async ({ clusterId }) => {
      const rest = await open(clusterId);
      const list = await rest.ok<{ class: string; type: string; version: string }[]>(
        'GET',
        '/connector-plugins?connectorsOnly=true',
      );
      return list.map((p) => ({ className: p.class, type: p.type, version: p.version ?? '' }));
    },
    'connect.validate': async ({ clusterId, config }) => validate(await open(clusterId), config),
    'connect.create': async ({ clusterId, name, config }) => {
      const rest = await open(clusterId, `create the connector '${name}'`);
      await validOrThrow(rest, { ...config, name });
      const r = await rest.call('POST', '/connectors', { name, config: { ...config, name } });
      if (r.status === 409)
        throw new CoreError(
          'CONFLICT',
          `A connector named '${name}' already exists on this Connect cluster.`,
          undefined,
          [{ path: 'name', message: 'already used' }],
        );
      if (r.status !== 201 && r.status !== 200) throw rest.httpError(r, 'POST /connectors');
      return settle(rest, name, (s) => s.connector.state !== 'UNASSIGNED');
    },
    'connect.update': async ({ clusterId, name, config }) => {
      const rest = await open(clusterId, `change the connector '${name}'`);
      await validOrThrow(rest, { ...config, name });
      await rest.ok('PUT', `/connectors/${enc(name)}/config`, { ...config, name });
      return settle(rest, name, () => true);
    },
    'connect.action': async ({ clusterId, name, action, includeTasks, onlyFailed }) => {
      const rest = await open(clusterId, `${action} the connector '${name}'`);
      if (action === 'restart') {
        const before = await statusOf(rest, name);
        await rest.ok('POST', `/connectors/${enc(name)}/restart?includeTasks=${includeTasks}&onlyFailed=${onlyFailed}`);
        const wasFailed = before.connector.state === 'FAILED' || before.tasks.some((t) => t.state === 'FAILED');
        // the status may still show the old RUNNING for a moment before RESTARTING: wait to see the
        // restart begin (or a couple of seconds), then for it to end
        const posted = Date.now();
        let seen = false;
        return settle(rest, name, (s) => {
          const restarting = s.connector.state === 'RESTARTING' || s.tasks.some((t) => t.state === 'RESTARTING');
          seen ||= restarting;
          return !restarting && (seen || Date.now() - posted > 2000) && (wasFailed || s.connector.state === 'RUNNING');
        });
      }
      await rest.ok('PUT', `/connectors/${enc(name)}/${action}`);
      const want = { pause: 'PAUSED', resume: 'RUNNING', stop: 'STOPPED' }[action];
      return settle(
        rest,
        name,
        (s) =>
          s.connector.state === want &&
          (action === 'stop' ? s.tasks.length === 0 : s.tasks.every((t) => t.state === want || t.state === 'FAILED')),
      );
    },
    'connect.restartTask': async ({ clusterId, name, task }) => {
      const rest = await open(clusterId, `restart task ${task} of '${name}'`);
      await rest.ok('POST', `/connectors/${enc(name)}/tasks/${task}/restart`);
      return settle(rest, name, (s) => s.tasks.find((t) => t.id === task)?.state !== 'RESTARTING');
    },
    'connect.delete': async ({ clusterId, name }) => {
      const rest = await open(clusterId, `delete the connector '${name}'`);
      const r = await rest.call('DELETE', `/connectors/${enc(name)}`);
      if (r.status === 404) return { deleted: false };
      if (r.status >= 300) throw rest.httpError(r, `DELETE /connectors/${name}`);
      return { deleted: true };
    },
    'connect.alterOffsets': async ({ clusterId, name, offsets }) => {
      const rest = await open(clusterId, `change the offsets of '${name}'`);
      await rest.ok('PATCH', `/connectors/${enc(name)}/offsets`, { offsets });
      return detail(rest, name);
    },
    'connect.resetOffsets': async ({ clusterId, name }) => {
      const rest = await open(clusterId, `reset the offsets of '${name}'`);
      await rest.ok('DELETE', `/connectors/${enc(name)}/offsets`);
      // the worker answers before its own offset reader has seen the tombstones: a GET right after
      // can still list the old offsets (seen on a loaded machine), so read until they are gone
      return settle(rest, name, (_, d) => !d.offsets || d.offsets.offsets.length === 0);
    },
  };
}
