import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  ConnectCheck,
  ConnectCluster,
  ConnectorDetail,
  ConnectorSummary,
  Validation,
} from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { ensureConnect, type ConnectInfo } from '../infra/connect';
import { createTopic, freshCore, listenerInputs, readCluster, type ClusterInfo } from './support';

let k: ClusterInfo;
let info: ConnectInfo;
let core: Core;
let clusterId: string;
let dataDir: string;
let connectionId: string;
const run = Date.now();
const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
const kcatAll = (topic: string) =>
  execFileSync('kcat', ['-b', k.listeners.plaintext, '-C', '-t', topic, '-o', 'beginning', '-e', '-q']).toString();

beforeAll(async () => {
  k = await readCluster();
  info = await ensureConnect({ log: (s) => console.log(`[connect] ${s}`) });
  ({ core, dataDir } = await freshCore());
  const conn = await call<{ id: string }>('connections.save', {
    ...(await listenerInputs(k)).PLAINTEXT,
    name: 'with connect',
  });
  connectionId = conn.id;
  clusterId = (
    await call<ConnectCluster>('connect.saveCluster', {
      connectionId: conn.id,
      name: 'local connect',
      urls: [info.url],
    })
  ).id;
});

describe('Kafka Connect through its REST API (a real worker)', () => {
  it('the check: reachable, its version, and the same Kafka cluster as the connection', async () => {
    const c = await call<ConnectCheck>('connect.check', { clusterId });
    expect(c).toMatchObject({ version: '4.1.1', matches: true });
    expect(c.kafkaClusterId).toBe(c.connectionClusterId);
    const plugins = await call<{ className: string; type: string }[]>('connect.plugins', { clusterId });
    expect(plugins.map((p) => p.className)).toEqual(expect.arrayContaining([SOURCE, SINK]));
    // the connection doctor checks it too, after the Kafka steps
    const report = await call<{ steps: { kind: string; status: string; summary: string }[] }>('connections.doctor', {
      id: connectionId,
    });
    expect(report.steps.at(-1)).toMatchObject({
      kind: 'connect',
      status: 'ok',
      summary: 'Kafka Connect 4.1.1 answers, for this Kafka cluster.',
    });
  });

  it('a FileStreamSource sends the lines of a file to a topic (as kcat reads them); offsets of the stopped connector are read and reset', async () => {
    const topic = `it-connect-src-${run}`;
    await createTopic(k, topic, 1);
    const file = path.join(info.filesDir, `source-${run}.txt`);
    await writeFile(file, 'alpha\nbeta\ngamma\n');
    const name = `it-source-${run}`;
    const created = await call<ConnectorDetail>('connect.create', {
      clusterId,
      name,
      config: { 'connector.class': SOURCE, file, topic, 'tasks.max': '1' },
    });
    expect(created).toMatchObject({ name, type: 'source', state: 'RUNNING' });
    await until('the lines in the topic', async () => kcatAll(topic) === 'alpha\nbeta\ngamma\n');
    const listed = await call<ConnectorSummary[]>('connect.connectors', { clusterId });
    expect(listed.find((c) => c.name === name)).toMatchObject({
      type: 'source',
      state: 'RUNNING',
      tasksRunning: 1,
      tasksTotal: 1,
    });

    const stopped = await call<ConnectorDetail>('connect.action', { clusterId, name, action: 'stop' });
    expect(stopped).toMatchObject({ state: 'STOPPED', tasks: [] });
    const withOffsets = await until('the offsets flushed', async () => {
      const d = await call<ConnectorDetail>('connect.connector', { clusterId, name });
      return d.offsets?.offsets.length ? d : null;
    });
    expect(withOffsets.offsets!.offsets).toEqual([{ partition: { filename: file }, offset: { position: 17 } }]);
    // altered to just after "alpha\nbeta\n": resumed, it sends gamma again, and only gamma
    const altered = await call<ConnectorDetail>('connect.alterOffsets', {
      clusterId,
      name,
      offsets: [{ partition: { filename: file }, offset: { position: 11 } }],
    });
    expect(altered.offsets!.offsets).toEqual([{ partition: { filename: file }, offset: { position: 11 } }]);
    await call('connect.action', { clusterId, name, action: 'resume' });
    await until('gamma again', async () => kcatAll(topic) === 'alpha\nbeta\ngamma\ngamma\n');
    await call('connect.action', { clusterId, name, action: 'stop' });
    const reset = await call<ConnectorDetail>('connect.resetOffsets', { clusterId, name });
    expect(reset.offsets).toEqual({ offsets: [] });
    // resumed with no offsets, it reads the file again from the start
    expect(await call<ConnectorDetail>('connect.action', { clusterId, name, action: 'resume' })).toMatchObject({
      state: 'RUNNING',
    });
    await until(
      'the file read again',
      async () => kcatAll(topic) === 'alpha\nbeta\ngamma\ngamma\n' + 'alpha\nbeta\ngamma\n',
    );
    expect(await call('connect.delete', { clusterId, name })).toEqual({ deleted: true });
  });

  it('a FileStreamSink writes a topic to a file', async () => {
    const topic = `it-connect-sink-${run}`;
    await createTopic(k, topic, 1);
    execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic], { input: 'one\ntwo\nthree\n' });
    const file = path.join(info.filesDir, `sink-${run}.txt`);
    const name = `it-sink-${run}`;
    await call<ConnectorDetail>('connect.create', {
      clusterId,
      name,
      config: { 'connector.class': SINK, file, topics: topic, 'tasks.max': '1' },
    });
    await until('the file written', async () => (await readFile(file, 'utf8').catch(() => '')) === 'one\ntwo\nthree\n');
    await call('connect.delete', { clusterId, name });
  });

  it('pause, resume, stop, restart and delete change the state as the REST API reports it', async () => {
    const topic = `it-connect-life-${run}`;
    await createTopic(k, topic, 1);
    const file = path.join(info.filesDir, `life-${run}.txt`);
    await writeFile(file, 'x\n');
    const name = `it-life-${run}`;
    await call('connect.create', { clusterId, name, config: { 'connector.class': SOURCE, file, topic } });
    const state = async () =>
      ((await fetch(`${info.url}/connectors/${name}/status`).then((r) => r.json())) as { connector: { state: string } })
        .connector.state;
    expect(await call<ConnectorDetail>('connect.action', { clusterId, name, action: 'pause' })).toMatchObject({
      state: 'PAUSED',
      tasks: [{ state: 'PAUSED' }],
    });
    expect(await state()).toBe('PAUSED');
    expect(await call<ConnectorDetail>('connect.action', { clusterId, name, action: 'resume' })).toMatchObject({
      state: 'RUNNING',
      tasks: [{ state: 'RUNNING' }],
    });
    expect(await state()).toBe('RUNNING');
    expect(
      await call<ConnectorDetail>('connect.action', { clusterId, name, action: 'restart', includeTasks: true }),
    ).toMatchObject({ state: 'RUNNING', tasks: [{ state: 'RUNNING' }] });
    expect(await call<ConnectorDetail>('connect.action', { clusterId, name, action: 'stop' })).toMatchObject({
      state: 'STOPPED',
    });
    expect(await state()).toBe('STOPPED');
    expect(await call('connect.delete', { clusterId, name })).toEqual({ deleted: true });
    expect((await fetch(`${info.url}/connectors/${name}`)).status).toBe(404);
    expect(await dispatch(core.handlers, 'connect.connector', { clusterId, name })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: `Connector ${name} not found` },
    });
  });

  it('update changes the config as the worker then reports it; a task restarted runs again', async () => {
    const topic = `it-connect-update-${run}`;
    await createTopic(k, topic, 1);
    const file = path.join(info.filesDir, `update-${run}.txt`);
    await writeFile(file, 'x\n');
    const name = `it-update-${run}`;
    await call('connect.create', { clusterId, name, config: { 'connector.class': SOURCE, file, topic } });
    const updated = await call<ConnectorDetail>('connect.update', {
      clusterId,
      name,
      config: { 'connector.class': SOURCE, file, topic, 'batch.size': '7' },
    });
    expect(updated.config['batch.size']).toBe('7');
    const onWorker = (await fetch(`${info.url}/connectors/${name}/config`).then((r) => r.json())) as Record<
      string,
      string
    >;
    expect(onWorker['batch.size']).toBe('7');
    await until('the task running', async () => {
      const st = (await fetch(`${info.url}/connectors/${name}/status`).then((r) => r.json())) as {
        tasks: { id: number; state: string }[];
      };
      return st.tasks[0]?.state === 'RUNNING';
    });
    const restarted = await call<ConnectorDetail>('connect.restartTask', { clusterId, name, task: 0 });
    expect(restarted.tasks).toMatchObject([{ id: 0, state: 'RUNNING' }]);
    expect(await call('connect.delete', { clusterId, name })).toEqual({ deleted: true });
  });

  it('an invalid config is refused with the validation message for the field; nothing is created', async () => {
    const name = `it-invalid-${run}`;
    const v = await call<Validation>('connect.validate', { clusterId, config: { 'connector.class': SOURCE, name } });
    expect(v.errorCount).toBeGreaterThan(0);
    const r = await dispatch(core.handlers, 'connect.create', {
      clusterId,
      name,
      config: { 'connector.class': SOURCE, 'tasks.max': 'many' },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const fields = (r as { error: { fields: { path: string; message: string }[] } }).error.fields;
    expect(fields.find((f) => f.path === 'config.tasks.max')?.message).toMatch(
      /Invalid value many for configuration tasks.max/,
    );
    expect((await fetch(`${info.url}/connectors/${name}`)).status).toBe(404);
    expect(
      await dispatch(core.handlers, 'connect.create', {
        clusterId,
        name,
        config: { 'connector.class': 'com.example.NoSuchConnector' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a connector made to fail shows the task trace', async () => {
    const name = `it-failing-${run}`;
    const topic = `it-connect-fail-${run}`;
    await createTopic(k, topic, 1);
    await call('connect.create', {
      clusterId,
      name,
      config: { 'connector.class': SINK, file: path.join(info.filesDir, 'no-such-dir', 'out.txt'), topics: topic },
    });
    const failed = await until('the task failed', async () => {
      const d = await call<ConnectorDetail>('connect.connector', { clusterId, name });
      return d.tasks[0]?.state === 'FAILED' ? d : null;
    });
    expect(failed.tasks[0]!.trace).toMatch(/NoSuchFileException|no-such-dir/);
    const listed = await call<ConnectorSummary[]>('connect.connectors', { clusterId });
    expect(listed.find((c) => c.name === name)).toMatchObject({ tasksFailed: 1 });
    await call('connect.delete', { clusterId, name });
  });

  it('a read-only connection refuses every change; a worker that is not there is named', async () => {
    const ro = await call<{ id: string }>('connections.save', {
      ...(await listenerInputs(k)).PLAINTEXT,
      name: 'ro with connect',
      readOnly: true,
    });
    const roCluster = await call<ConnectCluster>('connect.saveCluster', {
      connectionId: ro.id,
      name: 'c',
      urls: [info.url],
    });
    expect(
      await dispatch(core.handlers, 'connect.create', {
        clusterId: roCluster.id,
        name: 'x',
        config: { 'connector.class': SOURCE },
      }),
    ).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    expect(
      (await call<ConnectorSummary[]>('connect.connectors', { clusterId: roCluster.id })).length,
    ).toBeGreaterThanOrEqual(0);
    const gone = await call<ConnectCluster>('connect.saveCluster', {
      connectionId: ro.id,
      name: 'gone',
      urls: ['http://127.0.0.1:18099'],
    });
    expect(await dispatch(core.handlers, 'connect.connectors', { clusterId: gone.id })).toMatchObject({
      ok: false,
      error: {
        code: 'CONNECTION_REFUSED',
        message: expect.stringContaining('http://127.0.0.1:18099 refused the connection'),
      },
    });
    // deleting the connection takes its Connect clusters with it
    await call('connections.delete', { id: ro.id });
    expect(await call('connect.listClusters', { connectionId: ro.id })).toEqual([]);
  });
});

describe('kafka-desk connect (the command line, same core)', () => {
  const bin = path.resolve('bin/kafka-desk.cjs');
  const cli = (args: string[]) => {
    try {
      return {
        code: 0,
        out: execFileSync(process.execPath, [bin, 'connect', ...args, '--connect-url', info.url], {
          stdio: ['ignore', 'pipe', 'pipe'],
        }).toString(),
      };
    } catch (e) {
      const x = e as { status: number; stdout: Buffer; stderr: Buffer };
      return { code: x.status, out: x.stdout.toString() + x.stderr.toString() };
    }
  };
  it('create from a file, list, pause, status, offsets, delete', async () => {
    const topic = `it-connect-cli-${run}`;
    await createTopic(k, topic, 1);
    const file = path.join(info.filesDir, `cli-${run}.txt`);
    await writeFile(file, 'from the cli\n');
    const name = `it-cli-${run}`;
    const def = path.join(info.filesDir, `cli-${run}.json`);
    await writeFile(def, JSON.stringify({ name, config: { 'connector.class': SOURCE, file, topic, 'tasks.max': 1 } }));
    expect(cli(['create', def]).out).toContain(`${name}  source  RUNNING`);
    await until('the line in the topic', async () => kcatAll(topic) === 'from the cli\n');
    const listed = cli(['list', '--json'])
      .out.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; state: string });
    expect(listed.find((c) => c.name === name)?.state).toBe('RUNNING');
    expect(cli(['pause', name]).out).toContain(`${name}  source  PAUSED`);
    expect(cli(['status', name]).out).toContain('task 0  PAUSED');
    expect(cli(['stop', name]).out).toContain('STOPPED');
    await until('offsets', async () => cli(['offsets', name]).out.includes('"position":13'));
    const bad = cli(['delete', name]);
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.out).toContain('add --yes');
    expect(cli(['delete', name, '--yes']).out).toBe(`Deleted ${name}.\n`);
    const missing = cli(['status', name]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain(`Connector ${name} not found`);
  });
});

describe('a connector config as a preset', () => {
  it("saved once, created on the connection's Connect cluster by kafka-desk presets run", async () => {
    const topic = `it-connect-preset-${run}`;
    await createTopic(k, topic, 1);
    const file = path.join(info.filesDir, `preset-${run}.txt`);
    await writeFile(file, 'from a preset\n');
    await call('presets.save', {
      name: `Source preset ${run}`,
      connectionName: 'with connect',
      operation: {
        kind: 'connector',
        input: { name: `it-preset-{{suffix}}`, config: { 'connector.class': SOURCE, file, topic } },
      },
    });
    const out = execFileSync(process.execPath, [
      path.resolve('bin/kafka-desk.cjs'),
      'presets',
      'run',
      `Source preset ${run}`,
      '--data-dir',
      dataDir,
      '--var',
      `suffix=${run}`,
    ]).toString();
    expect(out).toBe(`Created it-preset-${run} on local connect: RUNNING.\n`);
    await until('the line in the topic', async () => kcatAll(topic) === 'from a preset\n');
    await call('connect.delete', { clusterId, name: `it-preset-${run}` });
  });
});
