import { describe, expect, it } from 'vitest';
import { wireRead as read, wireWritten as written } from './codecTestKit';
import { ProtocolDecodeError } from './flexible';
import {
  CONFIG_OP,
  readAlterRequest,
  readAlterResponse,
  readDescribeConfigsRequest,
  readDescribeConfigsResponse,
  writeAlterConfigsRequest,
  writeAlterResponse,
  writeDescribeConfigsRequest,
  writeDescribeConfigsResponse,
  writeIncrementalAlterConfigsRequest,
  type AlterRequest,
  type AlterResponse,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
  type DescribedEntry,
} from './configsCodec';
import { toDescribedConfig } from './configs';
import { WireWriter } from './versionedWire';

const entry = (over: Partial<DescribedEntry> = {}): DescribedEntry => ({
  name: 'log.retention.ms',
  value: '604800000',
  readOnly: false,
  source: 2,
  isSensitive: false,
  synonyms: [
    { name: 'log.retention.ms', value: '604800000', source: 2 },
    { name: 'log.retention.hours', value: '168', source: 5 },
  ],
  configType: 5,
  documentation: 'How long to keep a log file — in ms, ünïcode included',
  ...over,
});

const describeResponse = (version: number): DescribeConfigsResponse => ({
  throttleTimeMs: 3,
  results: [
    {
      errorCode: 0,
      errorMessage: null,
      resourceType: 4,
      resourceName: '1',
      configs: [
        version >= 3 ? entry() : entry({ configType: null, documentation: null }),
        {
          name: 'listener.name.sasl.plain.sasl.jaas.config',
          value: null,
          readOnly: false,
          source: 2,
          isSensitive: true,
          synonyms: [{ name: 'listener.name.sasl.plain.sasl.jaas.config', value: null, source: 2 }],
          configType: version >= 3 ? 9 : null,
          documentation: null,
        },
      ],
    },
    {
      errorCode: 42,
      errorMessage: 'Unexpected broker id, expected 1',
      resourceType: 4,
      resourceName: '2',
      configs: [],
    },
  ],
});

describe('DescribeConfigs v1–v4', () => {
  for (const version of [1, 2, 3, 4]) {
    const flexible = version >= 4;
    it(`v${version}: the request and the response round-trip, every field`, () => {
      const req: DescribeConfigsRequest = {
        resources: [
          { resourceType: 4, resourceName: '', configNames: null },
          { resourceType: 2, resourceName: 'orders', configNames: ['retention.ms', 'cleanup.policy'] },
        ],
        includeSynonyms: true,
        includeDocumentation: version >= 3,
      };
      const reqBytes = written(flexible, (w) => writeDescribeConfigsRequest(w, version, req));
      expect(read(reqBytes, flexible, (r) => readDescribeConfigsRequest(r, version))).toEqual(req);
      const res = describeResponse(version);
      const resBytes = written(flexible, (w) => writeDescribeConfigsResponse(w, version, res));
      expect(read(resBytes, flexible, (r) => readDescribeConfigsResponse(r, version))).toEqual(res);
    });
  }

  it('v1 and v4 lay the same request out in their own encodings (Kafka: INT16 strings, then compact ones)', () => {
    const req: DescribeConfigsRequest = {
      resources: [{ resourceType: 4, resourceName: '', configNames: null }],
      includeSynonyms: true,
      includeDocumentation: false,
    };
    // [1 resource][type 4][name ''][names null] synonyms
    expect(written(false, (w) => writeDescribeConfigsRequest(w, 1, req)).toString('hex')).toBe(
      '00000001' + '04' + '0000' + 'ffffffff' + '01',
    );
    // [1 resource → 2][type 4][name '' → 1][names null → 0][tags] synonyms documentation [tags]
    expect(written(true, (w) => writeDescribeConfigsRequest(w, 4, req)).toString('hex')).toBe(
      '02' + '04' + '01' + '00' + '00' + '01' + '00' + '00',
    );
  });

  it('a sensitive value never leaves the codec, even if a broker sent one', () => {
    const leaked = toDescribedConfig(
      entry({
        name: 'ssl.keystore.password',
        value: 'hunter2',
        isSensitive: true,
        synonyms: [{ name: 'ssl.keystore.password', value: 'hunter2', source: 4 }],
      }),
    );
    expect(JSON.stringify(leaked)).not.toContain('hunter2');
    expect(leaked).toMatchObject({ value: null, sensitive: true, synonyms: [{ value: null }] });
  });

  it('names sources and types by Kafka’s words; an unknown code is UNKNOWN', () => {
    expect(toDescribedConfig(entry())).toMatchObject({
      source: 'DYNAMIC_BROKER_CONFIG',
      type: 'LONG',
      synonyms: [{ source: 'DYNAMIC_BROKER_CONFIG' }, { source: 'DEFAULT_CONFIG' }],
    });
    expect(toDescribedConfig(entry({ source: 42, configType: 99 }))).toMatchObject({
      source: 'UNKNOWN',
      type: 'UNKNOWN',
    });
    expect(toDescribedConfig(entry({ configType: null })).type).toBeNull();
  });
});

describe('IncrementalAlterConfigs v0–v1 and AlterConfigs v0–v2', () => {
  const req: AlterRequest = {
    resources: [
      {
        resourceType: 2,
        resourceName: 'orders',
        configs: [
          { name: 'retention.ms', op: CONFIG_OP.SET, value: '3600000' },
          { name: 'cleanup.policy', op: CONFIG_OP.DELETE, value: null },
          { name: 'leader.replication.throttled.replicas', op: CONFIG_OP.APPEND, value: '0:1' },
          { name: 'follower.replication.throttled.replicas', op: CONFIG_OP.SUBTRACT, value: '0:2' },
        ],
      },
    ],
    validateOnly: true,
  };
  const res: AlterResponse = {
    throttleTimeMs: 0,
    responses: [
      { errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' },
      { errorCode: 40, errorMessage: 'Invalid value abc for configuration x', resourceType: 4, resourceName: '' },
    ],
  };

  for (const [version, flexible] of [
    [0, false],
    [1, true],
  ] as const) {
    it(`IncrementalAlterConfigs v${version}: every operation round-trips, and the answer`, () => {
      const b = written(flexible, (w) => writeIncrementalAlterConfigsRequest(w, req));
      expect(read(b, flexible, (r) => readAlterRequest(r, true))).toEqual(req);
      const rb = written(flexible, (w) => writeAlterResponse(w, res));
      expect(read(rb, flexible, readAlterResponse)).toEqual(res);
    });
  }

  for (const [version, flexible] of [
    [0, false],
    [1, false],
    [2, true],
  ] as const) {
    it(`AlterConfigs v${version}: the values round-trip (no operation on the wire)`, () => {
      const sets: AlterRequest = {
        resources: [{ ...req.resources[0]!, configs: [{ name: 'retention.ms', op: CONFIG_OP.SET, value: '1' }] }],
        validateOnly: false,
      };
      const b = written(flexible, (w) => writeAlterConfigsRequest(w, sets));
      expect(read(b, flexible, (r) => readAlterRequest(r, false))).toEqual(sets);
      expect(
        read(
          written(flexible, (w) => writeAlterResponse(w, res)),
          flexible,
          readAlterResponse,
        ),
      ).toEqual(res);
    });
  }

  it('AlterConfigs refuses to carry a DELETE (it has no operations: it would set the key instead)', () => {
    expect(() => written(false, (w) => writeAlterConfigsRequest(w, req))).toThrow(/only sets values/);
  });

  it('a classic STRING over 32767 bytes is refused before it is sent', () => {
    expect(() => new WireWriter(false).string('x'.repeat(40_000))).toThrow(RangeError);
  });
});

describe('hostile answers are refused before anything is allocated', () => {
  const hostile: [string, boolean, (w: WireWriter) => void][] = [
    // throttle, then an array claiming 2^31−1 resources in a few bytes
    ['a classic array of 2^31−1 resources', false, (w) => w.int32(0).int32(0x7fffffff)],
    ['a negative classic array length other than −1', false, (w) => w.int32(0).int32(-7)],
    ['a compact array of 2^32−2 resources', true, (w) => w.int32(0).w.uvarint(0xffffffff)],
    [
      'a classic string longer than the answer',
      false,
      (w) => w.int32(0).int32(1).int16(0).int16(-1).int8(4).int16(30000),
    ],
    ['a negative classic string length', false, (w) => w.int32(0).int32(1).int16(0).int16(-3)],
    [
      'a synonym list claiming a million entries',
      true,
      (w) => {
        w.int32(0).w.uvarint(2);
        w.int16(0).nullableString(null).int8(4).string('1').w.uvarint(2);
        w.string('a').nullableString('b').boolean(false).int8(1).boolean(false).w.uvarint(1_000_001);
      },
    ],
  ];
  for (const [what, flexible, build] of hostile) {
    it(what, () => {
      const bytes = written(flexible, build);
      expect(() => read(bytes, flexible, (r) => readDescribeConfigsResponse(r, flexible ? 4 : 1))).toThrow(
        ProtocolDecodeError,
      );
    });
  }

  it('a truncated answer, at every length, fails as a decode error and never reads zeros past the end', () => {
    for (const version of [1, 3, 4]) {
      const flexible = version >= 4;
      const full = written(flexible, (w) => writeDescribeConfigsResponse(w, version, describeResponse(version)));
      for (let n = 0; n < full.length; n++)
        expect(() => read(full.subarray(0, n), flexible, (r) => readDescribeConfigsResponse(r, version))).toThrow(
          ProtocolDecodeError,
        );
    }
  });

  it('bytes left over after the last field are a misread, not ignored', () => {
    const full = written(false, (w) => writeAlterResponse(w, { throttleTimeMs: 0, responses: [] }));
    expect(() => read(Buffer.concat([full, Buffer.from([0])]), false, readAlterResponse)).toThrow(/left over/);
  });
});
