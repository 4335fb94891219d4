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
