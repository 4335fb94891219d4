import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { configNamedIn, kafkaErrorToCore } from './errorMapping';

const require = createRequire(import.meta.url);
type Parse = (data: unknown) => Promise<unknown>;
// kafkajs' own response parsers, as patched (patches/kafkajs+2.2.4.patch)
const createTopicsParse = (require('kafkajs/src/protocol/requests/createTopics/v0/response') as { parse: Parse }).parse;
const alterConfigsParse = (require('kafkajs/src/protocol/requests/alterConfigs/v0/response') as { parse: Parse }).parse;

const conn = {
  bootstrapServers: ['127.0.0.1:19092'],
  sasl: { mechanism: 'none' as const },
  tls: { enabled: false },
} as unknown as Parameters<typeof kafkaErrorToCore>[1];
const INVALID_CONFIG = 40;
const reason = 'Invalid value abc for configuration retention.ms: Not a number of type LONG';

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe("the broker's reason for a refused topic or config", () => {
  it('CreateTopics: the sentence from the response reaches the CoreError, with the config it names', async () => {
    const e = await thrown(
      createTopicsParse({ topicErrors: [{ topic: 'orders', errorCode: INVALID_CONFIG, errorMessage: reason }] }),
    );
    const core = kafkaErrorToCore(e, conn);
    expect(core.code).toBe('KAFKA_ERROR');
    expect(core.message).toBe(`Kafka refused the request: ${reason} (INVALID_CONFIG).`);
    expect(core.fields).toEqual([{ path: 'configs.retention.ms', message: reason }]);
  });

  it('AlterConfigs: the same', async () => {
    const e = await thrown(
      alterConfigsParse({
        throttleTime: 0,
        resources: [
          {
            errorCode: INVALID_CONFIG,
            errorMessage: 'Unknown topic config name: nope.x',
            resourceType: 2,
            resourceName: 'orders',
          },
        ],
      }),
    );
    const core = kafkaErrorToCore(e, conn);
    expect(core.message).toBe('Kafka refused the request: Unknown topic config name: nope.x (INVALID_CONFIG).');
    expect(core.fields).toEqual([{ path: 'configs.nope.x', message: 'Unknown topic config name: nope.x' }]);
  });

  it('without a broker sentence (CreateTopics v0) the error type is still named, with no field', async () => {
    const e = await thrown(createTopicsParse({ topicErrors: [{ topic: 'orders', errorCode: INVALID_CONFIG }] }));
    const core = kafkaErrorToCore(e, conn);
    expect(core.message).toMatch(/\(INVALID_CONFIG\)\.$/);
    expect(core.fields).toBeUndefined();
  });

  it("a broker's sentence is kept to one line", async () => {
    const e = await thrown(
      alterConfigsParse({
        throttleTime: 0,
        resources: [
          { errorCode: INVALID_CONFIG, errorMessage: 'bad\n\u001b[31mvalue', resourceType: 2, resourceName: 'orders' },
        ],
      }),
    );
    expect(kafkaErrorToCore(e, conn).message).toBe('Kafka refused the request: bad [31mvalue (INVALID_CONFIG).');
  });

  it('names the config in the shapes brokers use', () => {
    expect(configNamedIn(reason)).toBe('retention.ms');
    expect(configNamedIn('Unknown topic config name: segment.bytes.x')).toBe('segment.bytes.x');
    expect(configNamedIn('Replication factor must be larger than 0.')).toBeNull();
  });
});

describe("what the cluster's ACLs refuse", () => {
  const createErrorFromCode = (require('kafkajs/src/protocol/error') as { createErrorFromCode(code: number): Error })
    .createErrorFromCode;
  const createRetry = require('kafkajs/src/retry') as (o: object) => unknown;
  const Cluster = require('kafkajs/src/cluster') as {
    prototype: Record<string, (...a: unknown[]) => Promise<unknown>>;
  };
  const GROUP_AUTHORIZATION_FAILED = 30;
  const TOPIC_AUTHORIZATION_FAILED = 29;
  const sasl = {
    ...conn,
    sasl: { mechanism: 'scram-sha-512', username: 'alice' },
  } as unknown as Parameters<typeof kafkaErrorToCore>[1];

  it('is FORBIDDEN, naming the user and the permission, with the broker code', () => {
    const e = kafkaErrorToCore(createErrorFromCode(TOPIC_AUTHORIZATION_FAILED), sasl);
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toBe(
      "The cluster's ACLs do not let this connection's user (alice) use this topic: reading takes DESCRIBE and READ on it, writing DESCRIBE and WRITE, creating CREATE (TOPIC_AUTHORIZATION_FAILED).",
    );
  });

  it('a group coordinator refused for a group the ACLs do not name keeps that reason (patched kafkajs)', async () => {
    // kafkajs' own FindCoordinator loop, on a broker that answers GROUP_AUTHORIZATION_FAILED
    const fake = {
      logger: { debug: () => undefined },
      retrier: createRetry({ retries: 0 }),
      brokerPool: {
        async withBroker(cb: (b: object) => Promise<unknown>) {
          try {
            return await cb({
              nodeId: 1,
              broker: {
                findGroupCoordinator: async () => {
                  throw createErrorFromCode(GROUP_AUTHORIZATION_FAILED);
                },
              },
            });
          } catch {
            return null;
          }
        },
      },
    };
    const e = await thrown(Cluster.prototype.findGroupCoordinatorMetadata!.call(fake, { groupId: 'not-hers' }));
    expect((e as Error).name).toBe('KafkaJSGroupCoordinatorNotFound');
    const core = kafkaErrorToCore(e, sasl);
    expect(core.code).toBe('FORBIDDEN');
    expect(core.message).toContain('(GROUP_AUTHORIZATION_FAILED)');
  });
});
