import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { alterConfigsOn } from '../../electron/core/kafka/protocol/configs';
import {
  ALTER_CONFIGS,
  alterConfigsCall,
  CONFIG_OP,
  DESCRIBE_CONFIGS,
  describeConfigsCall,
  INCREMENTAL_ALTER_CONFIGS,
  incrementalAlterConfigsCall,
} from '../../electron/core/kafka/protocol/configsCodec';
import { negotiate } from '../../electron/core/kafka/protocol/transport';
import { sendVersioned } from '../../electron/core/kafka/protocol/versionedWire';
import { onRawCluster, type RawCluster } from '../../electron/core/kafka/rawCluster';
import { createTopic, kafkaTool, readCluster, type ClusterInfo } from './support';

/**
 * The config codecs against the real broker, version by version (./configs.test.ts has the features
 * through the core): DescribeConfigs, IncrementalAlterConfigs and AlterConfigs at every version both
 * sides speak, and the AlterConfigs path a broker before Kafka 2.3 takes, with kafka-configs as the peer.
 */
const stamp = Date.now();
const topic = `it-configs-wire-${stamp}`;
const fallback = `it-configs-fallback-${stamp}`;
let k: ClusterInfo;

const kafkaConfigs = (entity: string[], extra: string[] = ['--describe']) =>
  kafkaTool(k, 'kafka.admin.ConfigCommand', ['--bootstrap-server', k.listeners.plaintext, ...entity, ...extra]);
const topicEntity = (t: string) => ['--entity-type', 'topics', '--entity-name', t];
const raw = <T>(fn: (cluster: RawCluster) => Promise<T>) =>
  onRawCluster(new Kafka({ brokers: [k.listeners.plaintext], logLevel: logLevel.NOTHING }), fn);

/** Asks again, every half second, until the answer is what the test waits for. */
async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, tries = 40): Promise<T> {
  let last = await probe();
  for (let i = 0; i < tries && !ok(last); i++) {
    await new Promise((r) => setTimeout(r, 500));
    last = await probe();
  }
  return last;
}

beforeAll(async () => {
  k = await readCluster();
  for (const t of [topic, fallback]) await createTopic(k, t, 1);
});

describe('the hand-written codecs at every version the broker offers', () => {
  it('DescribeConfigs v1–v4 read the same configs; v3+ add type and documentation', async () => {
    const answers = await raw(async (cluster) => {
      await cluster.refreshMetadata();
      const broker = await cluster.findBroker({ nodeId: '1' });
      expect(negotiate(broker, DESCRIBE_CONFIGS.apiKey, DESCRIBE_CONFIGS)).toBe(4);
      const out = [];
      for (const v of [1, 2, 3, 4])
        out.push(
          await sendVersioned(
            broker,
            describeConfigsCall(v, {
              resources: [{ resourceType: 4, resourceName: '1', configNames: ['log.dirs', 'log.retention.hours'] }],
              includeSynonyms: true,
              includeDocumentation: true,
            }),
          ),
        );
      return out;
    });
    for (const [i, a] of answers.entries()) {
      const r = a.results[0]!;
      expect(r.errorCode).toBe(0);
      expect(r.configs.map((c) => c.name).sort()).toEqual(['log.dirs', 'log.retention.hours']);
      const dirs = r.configs.find((c) => c.name === 'log.dirs')!;
      expect(dirs).toMatchObject({ readOnly: true, source: 4 });
      if (i + 1 >= 3) expect(dirs.documentation).toMatch(/director/i);
      else expect(dirs.configType).toBeNull();
    }
  });

  it('IncrementalAlterConfigs v0–v1 and AlterConfigs v0–v2, validated by the broker', async () => {
    const results = await raw(async (cluster) => {
      await cluster.refreshMetadata();
      const broker = await cluster.findBroker({ nodeId: '1' });
      const configs = [{ name: 'retention.ms', op: CONFIG_OP.SET, value: '1234' }];
      const req = { resources: [{ resourceType: 2, resourceName: topic, configs }], validateOnly: true };
      const bad = {
        resources: [{ resourceType: 2, resourceName: topic, configs: [{ ...configs[0]!, value: 'x' }] }],
        validateOnly: true,
      };
      const out: number[] = [];
      for (let v = INCREMENTAL_ALTER_CONFIGS.min; v <= INCREMENTAL_ALTER_CONFIGS.max; v++) {
        out.push((await sendVersioned(broker, incrementalAlterConfigsCall(v, req))).responses[0]!.errorCode);
        out.push((await sendVersioned(broker, incrementalAlterConfigsCall(v, bad))).responses[0]!.errorCode);
      }
      const theirs = broker.versions?.[ALTER_CONFIGS.apiKey];
      for (let v = Math.max(theirs?.minVersion ?? 0, ALTER_CONFIGS.min); v <= ALTER_CONFIGS.max; v++)
        out.push((await sendVersioned(broker, alterConfigsCall(v, req))).responses[0]!.errorCode);
      return out;
    });
    // 0: accepted; 40: INVALID_CONFIG
    expect(results).toEqual([0, 40, 0, 40, 0, 0, 0]);
    expect(await kafkaConfigs(topicEntity(topic))).not.toContain('retention.ms=1234');
  });
});

describe('a broker without IncrementalAlterConfigs (Kafka 2.1, 2.2)', () => {
  it('before Kafka 2.3 (no IncrementalAlterConfigs): current values read and sent back in one AlterConfigs, said in a note', async () => {
    await kafkaConfigs(topicEntity(fallback), ['--alter', '--add-config', 'retention.ms=3600000']);
    const outcome = await raw(async (cluster) => {
      await cluster.refreshMetadata();
      const b = await cluster.findBroker({ nodeId: '1' });
      // this cluster connection's broker as a Kafka 2.2 one sees it: the API is not offered
      const versions = { ...b.versions };
      delete versions[INCREMENTAL_ALTER_CONFIGS.apiKey];
      b.versions = versions;
      return alterConfigsOn(
        cluster,
        { type: 'topic', name: fallback },
        { set: { 'max.message.bytes': '2000000' }, delete: [] },
        false,
      );
    });
    expect(outcome.via).toBe('AlterConfigs');
    expect(outcome.note).toMatch(/before 2\.3/);
    const peer = await until(
      () => kafkaConfigs(topicEntity(fallback)),
      (s) => s.includes('max.message.bytes=2000000'),
    );
    expect(peer).toContain('retention.ms=3600000');
    expect(peer).toContain('max.message.bytes=2000000');
  });
});
