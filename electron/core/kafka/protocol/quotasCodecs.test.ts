import { describe, expect, it } from 'vitest';
import { flexibleRead as read, flexibleWritten as written } from './codecTestKit';
import { QuotaAlteration, type QuotaAlterationInput } from '../../../contract';
import { CoreError } from '../../coreError';
import type { RawBroker, RawCluster } from '../rawCluster';
import { FlexibleWriter, ProtocolDecodeError } from './flexible';
import { alterQuotas, describeQuotas, entityFromWire, entityToWire } from './quotas';
import {
  readAlterQuotasRequest,
  readAlterQuotasResponse,
  readDescribeQuotasRequest,
  readDescribeQuotasResponse,
  writeAlterQuotasRequest,
  writeAlterQuotasResponse,
  writeDescribeQuotasRequest,
  writeDescribeQuotasResponse,
  type AlterQuotasRequest,
  type DescribeQuotasRequest,
  type DescribeQuotasResponse,
} from './quotasCodecs';
import { decodeFlexibleResponse, encodeFlexibleRequest } from './transport';

const describeReq: DescribeQuotasRequest = {
  components: [
    { entityType: 'user', matchType: 0, match: 'alice' },
    { entityType: 'client-id', matchType: 1, match: null },
  ],
  strict: true,
};
const describeRes: DescribeQuotasResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  errorMessage: null,
  entries: [
    {
      entity: [
        { entityType: 'user', entityName: 'alice' },
        { entityType: 'client-id', entityName: null },
      ],
      values: [
        { key: 'producer_byte_rate', value: 1048576 },
        { key: 'request_percentage', value: 12.5 },
      ],
    },
    {
      entity: [{ entityType: 'ip', entityName: '10.0.0.5' }],
      values: [{ key: 'connection_creation_rate', value: 30 }],
    },
  ],
};
const alterReq: AlterQuotasRequest = {
  entries: [
    {
      entity: [{ entityType: 'user', entityName: null }],
      ops: [
        { key: 'consumer_byte_rate', value: 2048, remove: false },
        { key: 'producer_byte_rate', value: 0, remove: true },
      ],
    },
  ],
  validateOnly: true,
};

describe('DescribeClientQuotas and AlterClientQuotas: v0 (classic types) and v1 (flexible)', () => {
  it('a v0 request in the classic types: INT32 array length, INT16 string lengths, -1 for null, no tagged fields', () => {
    const b = encodeFlexibleRequest({
      flexible: false,
      body: (w) =>
        writeDescribeQuotasRequest(w, 0, {
          components: [{ entityType: 'ip', matchType: 1, match: null }],
          strict: false,
        }),
    }).bytes;
    expect([...b]).toEqual([0, 0, 0, 1, 0, 2, 0x69, 0x70, 1, 0xff, 0xff, 0]);
  });

  it('a v1 request: compact lengths, each struct and the request with tagged fields after the header’s', () => {
    const b = encodeFlexibleRequest({
      body: (w) =>
        writeDescribeQuotasRequest(w, 1, {
          components: [{ entityType: 'ip', matchType: 1, match: null }],
          strict: false,
        }),
    }).bytes;
    expect([...b]).toEqual([0, 2, 3, 0x69, 0x70, 1, 0, 0, 0, 0]);
  });

  it.each([0, 1])('v%i requests and responses read back as written, every field', (v) => {
    expect(
      read(
        written((w) => writeDescribeQuotasRequest(w, v, describeReq)),
        (r) => readDescribeQuotasRequest(r, v),
      ),
    ).toEqual(describeReq);
    expect(
      read(
        written((w) => writeDescribeQuotasResponse(w, v, describeRes)),
        (r) => readDescribeQuotasResponse(r, v),
      ),
    ).toEqual(describeRes);
    const nullEntries = { ...describeRes, errorCode: 42, errorMessage: 'Invalid match', entries: null };
    expect(
      read(
        written((w) => writeDescribeQuotasResponse(w, v, nullEntries)),
        (r) => readDescribeQuotasResponse(r, v),
      ),
    ).toEqual(nullEntries);
    expect(
      read(
        written((w) => writeAlterQuotasRequest(w, v, alterReq)),
        (r) => readAlterQuotasRequest(r, v),
      ),
    ).toEqual(alterReq);
    const alterRes = {
      throttleTimeMs: 1,
      entries: [
        { errorCode: 0, errorMessage: null, entity: [{ entityType: 'user', entityName: null }] },
        { errorCode: 42, errorMessage: 'bad', entity: [{ entityType: 'client-id', entityName: 'c' }] },
      ],
    };
    expect(
      read(
        written((w) => writeAlterQuotasResponse(w, v, alterRes)),
        (r) => readAlterQuotasResponse(r, v),
      ),
    ).toEqual(alterRes);
  });

  it('a quota value is a FLOAT64, fractions and large values kept', () => {
    const res = {
      ...describeRes,
      entries: [{ entity: [{ entityType: 'user', entityName: 'a' }], values: [] as { key: string; value: number }[] }],
    };
    res.entries[0]!.values = [
      { key: 'request_percentage', value: 0.1 },
      { key: 'producer_byte_rate', value: 2 ** 53 },
    ];
    expect(
      read(
        written((w) => writeDescribeQuotasResponse(w, 1, res)),
        (r) => readDescribeQuotasResponse(r, 1),
      ),
    ).toEqual(res);
  });

  it('hostile v0 responses fail before allocating: a huge or negative array length, a huge string length', () => {
    const head = [0, 0, 0, 0, 0, 0, 0xff, 0xff]; // throttle, error code, null message
    expect(() => read(Buffer.from([...head, 0x7f, 0xff, 0xff, 0xff]), (r) => readDescribeQuotasResponse(r, 0))).toThrow(
      /an ARRAY of 2147483647 elements in 0 bytes/,
    );
    expect(() => read(Buffer.from([...head, 0xff, 0xff, 0xff, 0xfe]), (r) => readDescribeQuotasResponse(r, 0))).toThrow(
      /an ARRAY of -2 elements/,
    );
    // one entry whose entity has one part whose type claims 30 000 bytes
    expect(() =>
      read(Buffer.from([...head, 0, 0, 0, 1, 0, 0, 0, 1, 0x75, 0x30, ...Buffer.from('ten bytes.')]), (r) =>
        readDescribeQuotasResponse(r, 0),
      ),
    ).toThrow(/a STRING needs 30000 bytes/);
    expect(() => read(Buffer.from([0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff]), (r) => readAlterQuotasResponse(r, 0))).toThrow(
      ProtocolDecodeError,
    );
  });

  it.each([0, 1])('v%i: every truncation of a response fails, and so do bytes left over', (v) => {
    const good = written((w) => writeDescribeQuotasResponse(w, v, describeRes));
    for (let cut = 1; cut < good.length; cut++)
      expect(() => read(good.subarray(0, cut), (r) => readDescribeQuotasResponse(r, v))).toThrow(ProtocolDecodeError);
    expect(() =>
      decodeFlexibleResponse(Buffer.concat([good, Buffer.from([1])]), (r) => readDescribeQuotasResponse(r, v), false),
    ).toThrow(/left over/);
  });

  it('hostile v1 responses: a compact array claiming 2^32 − 2 entries fails before allocating', () => {
    expect(() =>
      decodeFlexibleResponse(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0]), (r) =>
        readDescribeQuotasResponse(r, 1),
      ),
    ).toThrow(/COMPACT_ARRAY of 4294967294 elements/);
  });
});

describe('entities: the contract’s shape on the wire and back', () => {
  it('user, client id, both, defaults and IPs map onto Kafka’s entity types', () => {
    expect(entityToWire({ user: 'alice', clientId: null })).toEqual([
      { entityType: 'user', entityName: 'alice' },
      { entityType: 'client-id', entityName: null },
    ]);
    expect(
      entityFromWire([
        { entityType: 'client-id', entityName: 'c' },
        { entityType: 'user', entityName: null },
      ]),
    ).toEqual({
      user: null,
      clientId: 'c',
    });
    expect(entityFromWire([{ entityType: 'ip', entityName: null }])).toEqual({ ip: null });
    // a newer broker's kind, or a kind twice: not one this app can show
    expect(entityFromWire([{ entityType: 'group', entityName: 'g' }])).toBeNull();
    expect(
      entityFromWire([
        { entityType: 'user', entityName: 'a' },
        { entityType: 'user', entityName: 'b' },
      ]),
    ).toBeNull();
    expect(entityFromWire([])).toBeNull();
  });
});

/** A broker played from bytes, through kafkajs' request shape (encode, decode, parse). */
const SEND = Symbol('private:Broker:sendRequest');
interface KafkajsRequest {
  request: { apiKey: number; apiVersion: number; encode: () => Promise<{ buffer: Buffer }> };
  response: { decode: (b: Buffer) => Promise<unknown>; parse: (d: unknown) => Promise<unknown> };
}
class FakeBroker {
  readonly seen: { apiKey: number; version: number; body: Buffer }[] = [];
  constructor(
    readonly nodeId: number,
    readonly versions: Record<number, { minVersion: number; maxVersion: number }>,
    private readonly answer: (apiKey: number, version: number, body: Buffer) => (w: FlexibleWriter) => void,
  ) {}
  async [SEND](pr: KafkajsRequest): Promise<unknown> {
    const { apiKey, apiVersion } = pr.request;
    const body = (await pr.request.encode()).buffer;
    this.seen.push({ apiKey, version: apiVersion, body });
    const w = new FlexibleWriter();
    if (apiVersion >= 1) w.taggedFields();
    this.answer(apiKey, apiVersion, apiVersion >= 1 ? body.subarray(1) : body)(w);
    return pr.response.parse(await pr.response.decode(w.bytes));
  }
}
const clusterOf = (b: FakeBroker): RawCluster =>
  ({
    brokerPool: { brokers: { [String(b.nodeId)]: b } },
    refreshMetadata: async () => undefined,
    findBroker: async () => b as unknown as RawBroker,
  }) as unknown as RawCluster;
const kafka27 = { 48: { minVersion: 0, maxVersion: 0 }, 49: { minVersion: 0, maxVersion: 0 } };
const kafka41 = { 48: { minVersion: 0, maxVersion: 1 }, 49: { minVersion: 0, maxVersion: 1 } };
const alteration = (a: QuotaAlterationInput) => QuotaAlteration.parse(a);

describe('client quotas over a broker', () => {
  it.each([
    ['Kafka 2.6 / 2.7', kafka27, 0],
    ['Kafka 2.8 and later', kafka41, 1],
  ])('%s: the version its ApiVersions allow; the filter sent as Kafka’s components', async (_, versions, v) => {
    const b = new FakeBroker(1, versions, (_k, version) => (w) => writeDescribeQuotasResponse(w, version, describeRes));
    const entries = await describeQuotas(clusterOf(b), {
      user: { match: 'exact', name: 'alice' },
      clientId: { match: 'default' },
      strict: true,
    });
    expect(b.seen.map((s) => `${s.apiKey}v${s.version}`)).toEqual([`48v${v}`]);
    const sent = b.seen[0]!.body.subarray(v >= 1 ? 1 : 0);
    expect(read(sent, (r) => readDescribeQuotasRequest(r, v))).toEqual(describeReq);
    // sorted: the user-and-client-id entity before the IP
    expect(entries).toEqual([
      { entity: { user: 'alice', clientId: null }, values: { producer_byte_rate: 1048576, request_percentage: 12.5 } },
      { entity: { ip: '10.0.0.5' }, values: { connection_creation_rate: 30 } },
    ]);
  });

  it('a broker before 2.6: a sentence naming the version needed, nothing sent', async () => {
    const b = new FakeBroker(3, { 3: { minVersion: 0, maxVersion: 8 } }, () => () => undefined);
    const e = await describeQuotas(clusterOf(b), { strict: false }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CoreError);
    expect((e as CoreError).message).toMatch(
      /^Broker 3 does not offer DescribeClientQuotas: client quotas needs Kafka 2\.6 or later \(KIP-546\)/,
    );
    const a = await alterQuotas(
      clusterOf(b),
      [alteration({ entity: { user: 'a' }, remove: ['producer_byte_rate'] })],
      false,
    ).catch((x: unknown) => x);
    expect((a as CoreError).message).toMatch(/does not offer AlterClientQuotas/);
    expect(b.seen).toEqual([]);
  });

  it('an alteration sends set keys with their values and removed keys flagged; validateOnly goes through', async () => {
    const b = new FakeBroker(
      1,
      kafka41,
      (_k, v) => (w) =>
        writeAlterQuotasResponse(w, v, {
          throttleTimeMs: 0,
          entries: [{ errorCode: 0, errorMessage: null, entity: [] }],
        }),
    );
    await alterQuotas(
      clusterOf(b),
      [alteration({ entity: { user: null }, set: { consumer_byte_rate: 2048 }, remove: ['producer_byte_rate'] })],
      true,
    );
    expect(read(b.seen[0]!.body.subarray(1), (r) => readAlterQuotasRequest(r, 1))).toEqual(alterReq);
  });

  it('a refused entity: INVALID_INPUT with the broker’s sentence, at the entry it refused', async () => {
    const b = new FakeBroker(
      1,
      kafka27,
      (_k, v) => (w) =>
        writeAlterQuotasResponse(w, v, {
          throttleTimeMs: 0,
          entries: [
            { errorCode: 0, errorMessage: null, entity: [{ entityType: 'user', entityName: 'a' }] },
            {
              errorCode: 42,
              errorMessage: 'Invalid configuration key controller_mutation_rate\u001b[2J',
              entity: [{ entityType: 'client-id', entityName: 'c' }],
            },
          ],
        }),
    );
    const e = (await alterQuotas(
      clusterOf(b),
      [
        alteration({ entity: { user: 'a' }, set: { producer_byte_rate: 1 } }),
        alteration({ entity: { clientId: 'c' }, set: { controller_mutation_rate: 2 } }),
      ],
      false,
    ).catch((x: unknown) => x)) as CoreError;
    expect(e).toBeInstanceOf(CoreError);
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe(
      "Kafka refused the quota change for client-id 'c': Invalid configuration key controller_mutation_rate [2J.",
    );
    expect(e.fields).toEqual([
      { path: 'entries.1', message: 'Invalid configuration key controller_mutation_rate [2J' },
    ]);
    expect(e.message).not.toContain('\u001b');
  });
});
