import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaptureSummary, ConsumeResult, ProduceResult } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { createTopic, freshCore, readCluster, type ClusterInfo } from './support';

const exec = promisify(execFile);
let k: ClusterInfo;
let core: Core;
let dataDir: string;
let id: string;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel as never, input as never);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  k = await readCluster();
  ({ core, dataDir } = await freshCore());
  id = (
    await call<{ id: string }>('connections.save', {
      name: 'replay',
      bootstrapServers: [k.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    })
  ).id;
});

describe('replay a capture into a topic', () => {
  it('sends keys, values (binary too) and headers byte for byte, to the same partitions with the original timestamps; kcat reads them', async () => {
    const from = `it-replay-src-${Date.now()}`;
    const to = `${from}-copy`;
    await createTopic(k, from, 3);
    await createTopic(k, to, 3);
    const binary = Buffer.from([0, 0, 0, 0, 42, 0xff, 0xfe, 0x80]).toString('base64');
    await call<ProduceResult>('operations.produce', {
      id,
      topic: from,
      messages: [
        {
          key: 'a',
          value: 'first',
          headers: [
            ['trace', 'x1'],
            ['trace', 'x2'],
          ],
          partition: 2,
          timestamp: 1_700_000_000_000,
        },
        { key: 'b', value: { base64: binary }, partition: 0, timestamp: 1_700_000_001_000 },
        { key: null, value: null, headers: [['tombstone', 'yes']], partition: 1, timestamp: 1_700_000_002_000 },
      ],
    });
    const read = await call<ConsumeResult>('operations.consume', { id, topic: from });
    const capture = await call<CaptureSummary>('captures.save', {
      from: 'messages',
      source: 'consume',
      name: 'to replay',
      connectionId: id,
      messages: read.messages,
    });
    const r = await call<ProduceResult & { seqs: number[] }>('captures.replay', {
      id: capture.id,
      connectionId: id,
      topic: to,
      partitions: 'same',
      timestamps: 'keep',
    });
    expect(r.delivered).toBe(3);
    expect(r.results.map((x) => x.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(r.seqs).toEqual([1, 2, 3]);
    const copy = await call<ConsumeResult>('operations.consume', { id, topic: to });
    const strip = (m: ConsumeResult['messages'][number]) => ({
      key: m.key,
      value: m.value,
      headers: m.headers,
      partition: m.partition,
      timestamp: m.timestamp,
    });
    expect(copy.messages.map(strip).sort((x, y) => x.partition - y.partition)).toEqual(
      read.messages.map(strip).sort((x, y) => x.partition - y.partition),
    );
    // the independent peer sees the same text messages, partitions and timestamps
    const kcat = execFileSync(
      'kcat',
      ['-b', k.listeners.plaintext, '-C', '-t', to, '-o', 'beginning', '-e', '-q', '-p', '2', '-f', '%k|%s|%T|%h\n'],
      { timeout: 30_000 },
    ).toString();
    expect(kcat).toBe('a|first|1700000000000|trace=x1,trace=x2\n');
  });

  it('kafka-desk captures replay NAME --topic T: the default partitioner and the time of sending', async () => {
    const to = `it-replay-cli-${Date.now()}`;
    await createTopic(k, to, 1);
    const before = Date.now();
    const { stdout } = await exec(
      process.execPath,
      [
        path.resolve('bin/kafka-desk.cjs'),
        'captures',
        'replay',
        'to replay',
        '--topic',
        to,
        '--bootstrap',
        k.listeners.plaintext,
        '--data-dir',
        dataDir,
      ],
      { timeout: 60_000 },
    );
    expect(stdout).toBe(`3 of 3 message(s) of 'to replay' delivered to ${to}.\n`);
    const copy = await call<ConsumeResult>('operations.consume', { id, topic: to });
    expect(copy.messages.map((m) => String(m.key)).sort()).toEqual(['a', 'b', 'null']);
    expect(copy.messages.every((m) => Number(m.timestamp) >= before)).toBe(true);
  });

  it('to a topic that does not exist: the whole replay fails at once with one sentence, no error per message', async () => {
    const capture = await call<CaptureSummary>('captures.save', {
      from: 'messages',
      name: 'thirty-nine',
      connectionId: id,
      messages: Array.from({ length: 39 }, (_, i) => ({
        topic: 'orders',
        partition: 0,
        offset: String(i),
        timestamp: '1700000000000',
        timestampType: 'CreateTime',
        key: `k${i}`,
        value: `v${i}`,
        headers: [],
        size: 4,
      })),
    });
    const missing = `it-replay-missing-${Date.now()}`;
    const r = await dispatch(core.handlers, 'captures.replay', { id: capture.id, connectionId: id, topic: missing });
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'NOT_FOUND',
        message: `Topic '${missing}' does not exist on replay; create it first or pick another topic.`,
      }),
    });
    expect(JSON.stringify(r).match(/does not exist/g)).toHaveLength(1);
  });

  it('as captured into a topic with fewer partitions: fails at once, nothing sent', async () => {
    const to = `it-replay-narrow-${Date.now()}`;
    await createTopic(k, to, 1);
    const capture = (await call<CaptureSummary[]>('captures.list', {})).find((c) => c.name === 'to replay')!;
    const r = await dispatch(core.handlers, 'captures.replay', {
      id: capture.id,
      connectionId: id,
      topic: to,
      partitions: 'same',
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: `Topic '${to}' on replay has 1 partition (0); there is no partition 1, 2 to send to. Nothing was sent.`,
      },
    });
    expect((await call<ConsumeResult>('operations.consume', { id, topic: to })).messages).toEqual([]);
  });

  it('kafka-desk captures replay to a missing topic prints the one sentence and exits 1', async () => {
    const missing = `it-replay-cli-missing-${Date.now()}`;
    const r = await exec(
      process.execPath,
      [
        path.resolve('bin/kafka-desk.cjs'),
        'captures',
        'replay',
        'thirty-nine',
        '--topic',
        missing,
        '--bootstrap',
        k.listeners.plaintext,
        '--data-dir',
        dataDir,
      ],
      { timeout: 60_000 },
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      `kafka-desk: Topic '${missing}' does not exist on ${k.listeners.plaintext}; create it first or pick another topic.`,
    );
    expect(r.stderr).not.toContain('message #');
  });
});
