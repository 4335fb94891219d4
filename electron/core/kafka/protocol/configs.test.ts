import { describe, expect, it } from 'vitest';
import { kafkaErrorToCore } from '../errorMapping';
import type { RawBroker, RawCluster } from '../rawCluster';
import { alterConfigsOn, describeConfigsOn } from './configs';
import {
  readAlterRequest,
  readDescribeConfigsRequest,
  writeAlterResponse,
  writeDescribeConfigsResponse,
  type AlterRequest,
  type DescribedEntry,
} from './configsCodec';
import { wireReader, WireWriter } from './versionedWire';

/** A broker played from bytes, at the versions it offers; it keeps what it was asked. */
const SEND = Symbol('private:Broker:sendRequest');
type Versions = Record<number, { minVersion: number; maxVersion: number }>;
interface KafkajsRequest {
  request: { apiKey: number; apiVersion: number; encode: () => Promise<{ buffer: Buffer }> };
  response: { decode: (b: Buffer) => Promise<unknown>; parse: (d: unknown) => Promise<unknown> };
}
const flexibleFrom: Record<number, number> = { 32: 4, 33: 2, 44: 1 };

class FakeBroker {
  readonly calls: { api: string; request?: AlterRequest }[] = [];
  constructor(
    readonly nodeId: number,
    readonly versions: Versions,
    private readonly overrides: DescribedEntry[],
    private readonly refuse: { code: number; message: string } | null = null,
  ) {}

  async [SEND](pr: KafkajsRequest): Promise<unknown> {
    const { apiKey, apiVersion: v } = pr.request;
    const flexible = v >= flexibleFrom[apiKey]!;
    const body = (await pr.request.encode()).buffer;
    const r = wireReader(flexible ? body.subarray(1) : body, flexible);
    const w = new WireWriter(flexible);
    if (flexible) w.tags();
    if (apiKey === 32) {
      const req = readDescribeConfigsRequest(r, v);
      this.calls.push({ api: `DescribeConfigs v${v} '${req.resources[0]!.resourceName}'` });
      writeDescribeConfigsResponse(w, v, {
        throttleTimeMs: 0,
        results: [{ errorCode: 0, errorMessage: null, ...req.resources[0]!, configs: this.overrides }],
      });
    } else {
      const request = readAlterRequest(r, apiKey === 44);
      this.calls.push({ api: `${apiKey === 44 ? 'IncrementalAlterConfigs' : 'AlterConfigs'} v${v}`, request });
      writeAlterResponse(w, {
        throttleTimeMs: 0,
        responses: request.resources.map((x) => ({
          errorCode: this.refuse?.code ?? 0,
          errorMessage: this.refuse?.message ?? null,
          resourceType: x.resourceType,
          resourceName: x.resourceName,
        })),
      });
    }
    r.end();
    return pr.response.parse(await pr.response.decode(w.bytes));
  }
}

const clusterOf = (brokers: FakeBroker[]): RawCluster =>
  ({
    brokerPool: { brokers: Object.fromEntries(brokers.map((b) => [String(b.nodeId), b])) },
    refreshMetadata: async () => undefined,
    findBroker: async ({ nodeId }: { nodeId: string }) =>
      brokers.find((b) => String(b.nodeId) === nodeId) as unknown as RawBroker,
  }) as unknown as RawCluster;

const override = (name: string, value: string | null, source = 1, isSensitive = false): DescribedEntry => ({
  name,
  value,
  readOnly: false,
  source,
  isSensitive,
  synonyms: [],
  configType: null,
  documentation: null,
});
const kafka41: Versions = {
  32: { minVersion: 1, maxVersion: 4 },
  33: { minVersion: 0, maxVersion: 2 },
  44: { minVersion: 0, maxVersion: 1 },
};
// Kafka 2.2: no IncrementalAlterConfigs, DescribeConfigs and AlterConfigs classic only
const kafka22: Versions = { 32: { minVersion: 0, maxVersion: 2 }, 33: { minVersion: 0, maxVersion: 1 } };

describe('IncrementalAlterConfigs, and AlterConfigs where a broker lacks it', () => {
  it('sends only the keys named, SET and DELETE, to the broker the resource is', async () => {
    const b1 = new FakeBroker(1, kafka41, []);
    const b2 = new FakeBroker(2, kafka41, []);
    const out = await alterConfigsOn(
      clusterOf([b1, b2]),
      { type: 'broker', brokerId: 2 },
      { set: { 'log.cleaner.threads': '2' }, delete: ['log.retention.ms'] },
      true,
    );
    expect(out).toEqual({ via: 'IncrementalAlterConfigs', note: null });
    expect(b1.calls).toEqual([]);
    expect(b2.calls).toEqual([
      {
        api: 'IncrementalAlterConfigs v1',
        request: {
          validateOnly: true,
          resources: [
            {
              resourceType: 4,
              resourceName: '2',
              configs: [
                { name: 'log.cleaner.threads', op: 0, value: '2' },
                { name: 'log.retention.ms', op: 1, value: null },
              ],
            },
          ],
        },
      },
    ]);
  });

  it('the cluster default is the BROKER resource named "" (which kafkajs cannot send), on the lowest broker', async () => {
    const b1 = new FakeBroker(1, kafka41, [override('log.retention.ms', '1', 3)]);
    const b3 = new FakeBroker(3, kafka41, []);
    await alterConfigsOn(clusterOf([b3, b1]), { type: 'cluster-default' }, { set: {}, delete: ['x'] }, false);
    expect(b1.calls[0]!.request!.resources[0]).toMatchObject({ resourceType: 4, resourceName: '' });
    const d = await describeConfigsOn(clusterOf([b3, b1]), { type: 'cluster-default' });
    expect(d).toMatchObject({
      version: 4,
      configs: [{ name: 'log.retention.ms', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' }],
    });
  });

  it('before Kafka 2.3: reads the overrides and sends them all back with the change, and says so', async () => {
    const b = new FakeBroker(1, kafka22, [
      override('retention.ms', '3600000'),
      override('cleanup.policy', 'compact'),
      override('segment.bytes', '1048576', 4), // the broker's file, not the topic's own: not sent back
    ]);
    const out = await alterConfigsOn(
      clusterOf([b]),
      { type: 'topic', name: 'orders' },
      { set: { 'max.message.bytes': '2000000' }, delete: ['cleanup.policy'] },
      false,
    );
    expect(out.via).toBe('AlterConfigs');
    expect(out.note).toMatch(
      /before 2\.3.*IncrementalAlterConfigs.*read the values set on topic 'orders'.*replaces them all/,
    );
    expect(b.calls.map((c) => c.api)).toEqual(["DescribeConfigs v2 'orders'", 'AlterConfigs v1']);
    expect(b.calls[1]!.request!.resources[0]!.configs).toEqual([
      { name: 'retention.ms', op: 0, value: '3600000' },
      { name: 'max.message.bytes', op: 0, value: '2000000' },
    ]);
  });

  it('before Kafka 2.3, refuses when AlterConfigs would drop a sensitive value it cannot read back', async () => {
    const b = new FakeBroker(1, kafka22, [override('ssl.keystore.password', null, 2, true), override('a.b', '1', 2)]);
    await expect(
      alterConfigsOn(clusterOf([b]), { type: 'broker', brokerId: 1 }, { set: { 'a.b': '2' }, delete: [] }, false),
    ).rejects.toThrow(/ssl\.keystore\.password would be lost/);
    expect(b.calls.map((c) => c.api)).toEqual(["DescribeConfigs v2 '1'"]);
    // set again in the same change, it is sent
    await alterConfigsOn(
      clusterOf([b]),
      { type: 'broker', brokerId: 1 },
      { set: { 'ssl.keystore.password': 'new' }, delete: [] },
      false,
    );
    expect(b.calls.at(-1)!.request!.resources[0]!.configs.map((c) => c.name)).toEqual(['a.b', 'ssl.keystore.password']);
  });

  it("the broker's refusal keeps its own sentence, and names the config", async () => {
    const message = 'Invalid value abc for configuration retention.ms: Not a number of type LONG';
    const b = new FakeBroker(1, kafka41, [], { code: 40, message });
    const e = await alterConfigsOn(
      clusterOf([b]),
      { type: 'topic', name: 't' },
      { set: { 'retention.ms': 'abc' }, delete: [] },
      false,
    ).catch((x: unknown) => x);
    const core = kafkaErrorToCore(e, {
      bootstrapServers: ['h:1'],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    } as never);
    expect(core).toMatchObject({
      code: 'KAFKA_ERROR',
      message: `Kafka refused the request: ${message} (INVALID_CONFIG).`,
      fields: [{ path: 'configs.retention.ms', message }],
    });
  });

  it('a broker id not in the cluster is named, with the brokers there are', async () => {
    await expect(
      describeConfigsOn(clusterOf([new FakeBroker(1, kafka41, [])]), { type: 'broker', brokerId: 7 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Broker 7 is not in this cluster (its brokers: 1).' });
  });
});
