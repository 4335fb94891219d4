import { Kafka, logLevel, type Producer, type Transaction as KafkajsTransaction } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldBackSentence, type ChannelName, type ChannelOutput } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { runCli } from '../../electron/cli/program';
import { createTopic, freshCore, kafkaTool, listenerInputs, readCluster, type ClusterInfo } from './support';

/**
 * Transactions against the real broker, with Kafka's own kafka-transactions (TransactionsCommand,
 * from the broker's jars) as the peer: a kafkajs transactional producer commits one transaction and
 * leaves the next one open on partition 0. Kafka Desk lists it Ongoing with its partition, the
 * partition's leader shows the producer, and the topic's partition names the transaction that holds
 * its last stable offset back; Kafka's tool lists, describes and describes the producers the same
 * way. After the commit the LSO catches up and the hold is gone.
 */
const stamp = Date.now();
const topic = `it-txn-${stamp}`;
const txId = `it-txn-open-${stamp}`;
const TIMEOUT_MS = 600_000;

let k: ClusterInfo;
let core: Core;
let id: string;
let producer: Producer;
let open: KafkajsTransaction | null = null;
let dataDir: string;

async function call<C extends ChannelName>(channel: C, input: Record<string, unknown>): Promise<ChannelOutput<C>> {
  const r = await dispatch(core.handlers, channel, { id, ...input });
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as ChannelOutput<C>;
}

/** Asks again (every half second, a bounded number of times) until the answer is what the test waits for. */
async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, tries = 60): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: not reached; last answer ${JSON.stringify(last)}`);
}

/** kafka-transactions, as the PLAINTEXT listener's (anonymous) user: its table as rows of named cells. */
async function kafkaTransactions(args: string[]): Promise<Record<string, string>[]> {
  const out = await kafkaTool(k, 'org.apache.kafka.tools.TransactionsCommand', [
    '--bootstrap-server',
    k.listeners.plaintext,
    ...args,
  ]);
  const [head, ...rows] = out.split('\n').filter((l) => l.trim() !== '');
  const names = head!.split('\t').map((s) => s.trim());
  return rows.map((line) => Object.fromEntries(line.split('\t').map((cell, i) => [names[i], cell.trim()])));
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli([...args, '-b', k.listeners.plaintext], {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: { KAFKA_DESK_DATA_DIR: dataDir },
  });
  return { code, out, err };
}

beforeAll(async () => {
  k = await readCluster();
  ({ core, dataDir } = await freshCore());
  const saved = await dispatch(core.handlers, 'connections.save', (await listenerInputs(k)).PLAINTEXT);
  if (!saved.ok) throw new Error(saved.error.message);
  id = (saved.value as { id: string }).id;
  await createTopic(k, topic, 2);
  const kafka = new Kafka({ clientId: 'kafka-desk-it', brokers: [k.listeners.plaintext], logLevel: logLevel.NOTHING });
  producer = kafka.producer({
    transactionalId: txId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: TIMEOUT_MS,
  });
  await producer.connect();
  const first = await producer.transaction();
  await first.send({ topic, messages: ['a', 'b', 'c'].map((value) => ({ partition: 0, value })) });
  await first.commit();
  open = await producer.transaction();
  await open.send({ topic, messages: ['d', 'e'].map((value) => ({ partition: 0, value })) });
}, 120_000);

afterAll(async () => {
  await open?.abort().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
});

describe('an open transaction', () => {
  it('is listed Ongoing with its partition, producer, epoch and timeout, as kafka-transactions list shows it', async () => {
    const r = await call('transactions.list', { states: ['Ongoing'] });
    const t = r.transactions.find((x) => x.transactionalId === txId);
    expect(t).toMatchObject({
      state: 'Ongoing',
      timeoutMs: TIMEOUT_MS,
      partitions: [{ topic, partitions: [0] }],
      hung: false,
      problem: null,
    });
    expect(t!.openMs).toBeGreaterThanOrEqual(0);
    expect(r.transactions.every((x) => x.state === 'Ongoing')).toBe(true);
    const peer = (await kafkaTransactions(['list'])).find((row) => row.TransactionalId === txId);
    expect(peer).toMatchObject({
      TransactionState: 'Ongoing',
      ProducerId: t!.producerId,
      Coordinator: String(t!.coordinator),
    });
  });

  it('is described by its coordinator as kafka-transactions describe does; an unknown id is named', async () => {
    const nobody = `it-txn-nobody-${stamp}`;
    const r = await call('transactions.describe', { transactionalIds: [txId, nobody] });
    expect(r.notFound).toEqual([nobody]);
    const t = r.transactions[0]!;
    expect(t.transactionalId).toBe(txId);
    const [peer] = await kafkaTransactions(['describe', '--transactional-id', txId]);
    expect(peer).toMatchObject({
      CoordinatorId: String(t.coordinator),
      ProducerId: t.producerId,
      ProducerEpoch: String(t.producerEpoch),
      TransactionState: 'Ongoing',
      TransactionTimeoutMs: String(TIMEOUT_MS),
      CurrentTransactionStartTimeMs: String(Date.parse(t.startedAt!)),
      TopicPartitions: `${topic}-0`,
    });
  });

  it('holds partition 0’s LSO where it began: the producer and its transactional id named, as describe-producers shows', async () => {
    const r = await call('transactions.producers', { topic });
    expect(r.producersUnavailable).toBeNull();
    expect(r.transactionsUnavailable).toBeNull();
    const [p0, p1] = r.partitions;
    const mine = p0!.producers.find((s) => s.transactionalId === txId)!;
    expect(mine.currentTxnStartOffset).not.toBeNull();
    // three committed messages and their marker came first; the open transaction's two messages after
    expect(BigInt(mine.currentTxnStartOffset!)).toBeGreaterThanOrEqual(4n);
    expect(p0).toMatchObject({
      lastStableOffset: mine.currentTxnStartOffset,
      highWatermark: String(BigInt(mine.currentTxnStartOffset!) + 2n),
      pending: '2',
      error: null,
    });
    expect(p0!.heldBy).toMatchObject({
      kind: 'open',
      producerId: mine.producerId,
      producerEpoch: mine.producerEpoch,
      startOffset: mine.currentTxnStartOffset,
      transactionalId: txId,
      transaction: { state: 'Ongoing', hung: false },
    });
    expect(heldBackSentence(topic, p0!, null)).toContain(
      `read_committed consumers stop at offset ${mine.currentTxnStartOffset} (2 offsets after it not readable yet): transaction '${txId}' (producer ${mine.producerId}, epoch ${mine.producerEpoch}) began there and is Ongoing`,
    );
    expect(p1).toMatchObject({ highWatermark: '0', lastStableOffset: '0', heldBy: null, producers: [] });

    const peer = (await kafkaTransactions(['describe-producers', '--topic', topic, '--partition', '0'])).find(
      (row) => row.ProducerId === mine.producerId,
    );
    expect(peer).toMatchObject({
      ProducerEpoch: String(mine.producerEpoch),
      LatestCoordinatorEpoch: String(mine.coordinatorEpoch),
      LastSequence: String(mine.lastSequence),
      LastTimestamp: String(Date.parse(mine.lastTimestamp!)),
      CurrentTransactionStartOffset: mine.currentTxnStartOffset,
    });
  });

  it('is flagged hung past a threshold, with the sentence saying so', async () => {
    const r = await call('transactions.producers', { topic, partitions: [0], hungAfterMs: 0 });
    expect(r.partitions.map((p) => p.partition)).toEqual([0]);
    expect(r.partitions[0]!.heldBy).toMatchObject({ kind: 'hung', transaction: { hung: true } });
    expect(heldBackSentence(topic, r.partitions[0]!, 0)).toMatch(/is hung — Ongoing for .* than the 0 ms threshold/);
    const listed = await call('transactions.list', { states: ['Ongoing'], hungAfterMs: 0 });
    expect(listed.transactions.find((t) => t.transactionalId === txId)?.hung).toBe(true);
  });

  it('the command line lists, describes and explains it', async () => {
    const list = await cli(['transactions', 'list', '--state', 'ongoing', '--json']);
    expect(list.code).toBe(0);
    const rows = list.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { transactionalId: string; state: string });
    expect(rows.find((t) => t.transactionalId === txId)?.state).toBe('Ongoing');

    const table = await cli(['transactions', 'describe', txId]);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^TRANSACTIONAL ID\s+STATE\s+PRODUCER\s+EPOCH\s+TIMEOUT\s+STARTED\s+OPEN/);
    expect(table.out).toMatch(new RegExp(`^${txId}\\s+Ongoing\\s+\\d+\\s+\\d+\\s+10 min\\s`, 'm'));
    expect(table.out).toContain(`${topic}-0`);

    const producers = await cli(['transactions', 'producers', '--topic', topic]);
    expect(producers.code).toBe(0);
    expect(producers.out.split('\n')[0]).toMatch(/^PARTITION\s+LEADER\s+HIGH WATERMARK\s+LAST STABLE\s+PENDING/);
    expect(producers.out).toContain(`Partition 0: read_committed consumers stop at offset`);
    expect(producers.out).toContain(`transaction '${txId}'`);

    const unknown = await cli(['transactions', 'describe', `it-txn-nobody-${stamp}`]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(`No transaction coordinator knows 'it-txn-nobody-${stamp}'`);
    const badState = await cli(['transactions', 'list', '--state', 'running']);
    expect(badState.code).toBe(1);
    expect(badState.err).toContain('--state running: not a transaction state; one of Empty, Ongoing,');
  });
});

describe('after the commit', () => {
  it('the LSO catches up with the high watermark, the hold is gone and the transaction is CompleteCommit', async () => {
    await open!.commit();
    open = null;
    const r = await until(
      'the LSO of partition 0 caught up',
      () => call('transactions.producers', { topic, partitions: [0] }),
      (x) => x.partitions[0]!.heldBy === null,
    );
    const p0 = r.partitions[0]!;
    expect(p0.lastStableOffset).toBe(p0.highWatermark);
    expect(p0.pending).toBe('0');
    expect(p0.producers.find((s) => s.transactionalId === txId)?.currentTxnStartOffset).toBeNull();
    const ongoing = await call('transactions.list', { states: ['Ongoing'] });
    expect(ongoing.transactions.map((t) => t.transactionalId)).not.toContain(txId);
    const [t] = (await call('transactions.describe', { transactionalIds: [txId] })).transactions;
    expect(t).toMatchObject({ state: 'CompleteCommit', openMs: null, hung: false, partitions: [] });
    const [peer] = await kafkaTransactions(['describe', '--transactional-id', txId]);
    expect(peer!.TransactionState).toBe('CompleteCommit');
  });
});
