import { createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flexibleRead as read, flexibleWritten as written } from './codecTestKit';
import { CoreError } from '../../coreError';
import { kafkaErrorToCore } from '../errorMapping';
import type { RawBroker, RawCluster } from '../rawCluster';
import { FlexibleReader, FlexibleWriter, ProtocolDecodeError } from './flexible';
import { alterScramCredentials, describeScramUsers, saltedPassword } from './scram';
import {
  readAlterScramRequest,
  readAlterScramResponse,
  readDescribeScramRequest,
  readDescribeScramResponse,
  writeAlterScramRequest,
  writeAlterScramResponse,
  writeDescribeScramRequest,
  writeDescribeScramResponse,
  type AlterScramRequest,
  type AlterScramResponse,
  type DescribeScramResponse,
} from './scramCodecs';
import { decodeFlexibleResponse, encodeFlexibleRequest } from './transport';

describe('DescribeUserScramCredentials v0', () => {
  it('requests: null for every user, or the names, each struct with its tagged fields', () => {
    expect([...encodeFlexibleRequest({ body: (w) => writeDescribeScramRequest(w, null) }).bytes]).toEqual([0, 0, 0]);
    expect([...encodeFlexibleRequest({ body: (w) => writeDescribeScramRequest(w, ['al']) }).bytes]).toEqual([
      0x00, 0x02, 0x03, 0x61, 0x6c, 0x00, 0x00,
    ]);
    for (const users of [null, [], ['alice', 'bob', 'ünïcode']])
      expect(
        read(
          written((w) => writeDescribeScramRequest(w, users)),
          readDescribeScramRequest,
        ),
      ).toEqual(users);
  });

  it('responses read back as written, every field', () => {
    const res: DescribeScramResponse = {
      throttleTimeMs: 3,
      errorCode: 0,
      errorMessage: null,
      results: [
        {
          user: 'alice',
          errorCode: 0,
          errorMessage: null,
          credentials: [
            { mechanism: 1, iterations: 4096 },
            { mechanism: 2, iterations: 16384 },
          ],
        },
        {
          user: 'ghost',
          errorCode: 91,
          errorMessage: 'Attempt to describe a user credential that does not exist',
          credentials: [],
        },
      ],
    };
    expect(
      read(
        written((w) => writeDescribeScramResponse(w, res)),
        readDescribeScramResponse,
      ),
    ).toEqual(res);
  });

  it('hostile responses fail before allocating: a huge result count, a huge credential count, a truncation', () => {
    // throttle, error code, null message, then a compact array claiming 2^31 results in 1 byte
    const huge = Buffer.from([0, 0, 0, 0, 0, 0, 0x00, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00]);
    expect(() => read(huge, readDescribeScramResponse)).toThrow(ProtocolDecodeError);
    expect(() => read(huge, readDescribeScramResponse)).toThrow(/COMPACT_ARRAY of 2147483646 elements/);
    const good = written((w) =>
      writeDescribeScramResponse(w, {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        results: [{ user: 'a', errorCode: 0, errorMessage: null, credentials: [{ mechanism: 2, iterations: 4096 }] }],
      }),
    );
    // the credential count (after throttle, error, null message, 1 result, user 'a', error 0, null message) claims 100 000
    expect(good[13]).toBe(2);
    const manyCredentials = Buffer.concat([
      good.subarray(0, 13),
      written((w) => w.uvarint(100_001)),
      good.subarray(14),
    ]);
    expect(() => read(manyCredentials, readDescribeScramResponse)).toThrow(/COMPACT_ARRAY of 100000 elements/);
    for (let cut = 1; cut < good.length; cut++)
      expect(() => read(good.subarray(0, cut), readDescribeScramResponse)).toThrow(ProtocolDecodeError);
    expect(() => read(Buffer.concat([good, Buffer.from([0])]), readDescribeScramResponse)).toThrow(/left over/);
  });
});

describe('AlterUserScramCredentials v0', () => {
  const req: AlterScramRequest = {
    deletions: [{ name: 'old', mechanism: 1 }],
    upsertions: [
      { name: 'alice', mechanism: 2, iterations: 8192, salt: Buffer.from('salt'), saltedPassword: Buffer.alloc(64, 7) },
    ],
  };

  it('requests and responses read back as written', () => {
    expect(
      read(
        written((w) => writeAlterScramRequest(w, req)),
        readAlterScramRequest,
      ),
    ).toEqual(req);
    const res: AlterScramResponse = {
      throttleTimeMs: 0,
      results: [
        { user: 'alice', errorCode: 0, errorMessage: null },
        { user: 'old', errorCode: 91, errorMessage: 'no such credential' },
      ],
    };
    expect(
      read(
        written((w) => writeAlterScramResponse(w, res)),
        readAlterScramResponse,
      ),
    ).toEqual(res);
  });

  it('a deletion on the wire: name, mechanism byte, tagged fields', () => {
    const b = written((w) => writeAlterScramRequest(w, { deletions: [{ name: 'u', mechanism: 2 }], upsertions: [] }));
    expect([...b]).toEqual([0x02, 0x02, 0x75, 0x02, 0x00, 0x01, 0x00]);
  });

  it('a hostile response with a huge result count fails before allocating', () => {
    expect(() =>
      decodeFlexibleResponse(Buffer.from([0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0]), readAlterScramResponse),
    ).toThrow(ProtocolDecodeError);
  });
});

describe('the salted password (RFC 5802 Hi), as Kafka computes it', () => {
  it('is PBKDF2 with the mechanism’s HMAC and its output length', async () => {
    const salt = Buffer.from('c2FsdHNhbHQ=', 'base64');
    const sha256 = await saltedPassword('pencil', salt, 4096, 'SCRAM-SHA-256');
    const sha512 = await saltedPassword('pencil', salt, 4096, 'SCRAM-SHA-512');
    expect(sha256).toHaveLength(32);
    expect(sha512).toHaveLength(64);
    expect(sha256).toEqual(pbkdf2Sync('pencil', salt, 4096, 32, 'sha256'));
    // Hi by hand for 2 iterations: U1 = HMAC(p, salt || INT(1)), U2 = HMAC(p, U1), Hi = U1 xor U2
    const u1 = createHmac('sha512', 'pencil')
      .update(Buffer.concat([salt, Buffer.from([0, 0, 0, 1])]))
      .digest();
    const u2 = createHmac('sha512', 'pencil').update(u1).digest();
    const hi = Buffer.from(u1.map((b, i) => b ^ u2[i]!));
    expect(await saltedPassword('pencil', salt, 2, 'SCRAM-SHA-512')).toEqual(hi);
  });

  it('RFC 7677’s SCRAM-SHA-256 test vector: the ServerSignature its salted password gives', async () => {
    // RFC 7677 §3: user, password pencil, salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const salted = await saltedPassword('pencil', salt, 4096, 'SCRAM-SHA-256');
    const authMessage =
      'n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const serverKey = createHmac('sha256', salted).update('Server Key').digest();
    const serverSignature = createHmac('sha256', serverKey).update(authMessage).digest('base64');
    expect(serverSignature).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });
});

/** A broker played from bytes, through kafkajs' request shape (encode, decode, parse). */
const SEND = Symbol('private:Broker:sendRequest');
interface KafkajsRequest {
  request: { apiKey: number; apiVersion: number; encode: () => Promise<{ buffer: Buffer }> };
  response: { decode: (b: Buffer) => Promise<unknown>; parse: (d: unknown) => Promise<unknown> };
}
class FakeBroker {
  readonly seen: { apiKey: number; body: Buffer }[] = [];
  constructor(
    readonly nodeId: number,
    readonly versions: Record<number, { minVersion: number; maxVersion: number }>,
    private readonly answer: (apiKey: number, body: Buffer) => (w: FlexibleWriter) => void,
  ) {}
  async [SEND](pr: KafkajsRequest): Promise<unknown> {
    const body = (await pr.request.encode()).buffer;
    this.seen.push({ apiKey: pr.request.apiKey, body });
    const w = new FlexibleWriter().taggedFields();
    this.answer(pr.request.apiKey, body.subarray(1))(w);
    return pr.response.parse(await pr.response.decode(w.bytes));
  }
}
const clusterOf = (b: FakeBroker): RawCluster =>
  ({
    brokerPool: { brokers: { [String(b.nodeId)]: b } },
    refreshMetadata: async () => undefined,
    findBroker: async () => b as unknown as RawBroker,
    findControllerBroker: async () => b as unknown as RawBroker,
  }) as unknown as RawCluster;
const scramApis = { 50: { minVersion: 0, maxVersion: 0 }, 51: { minVersion: 0, maxVersion: 0 } };

describe('SCRAM users over a broker', () => {
  it('an older broker without the APIs: a sentence naming the Kafka version needed, nothing sent', async () => {
    const b = new FakeBroker(1, { 3: { minVersion: 0, maxVersion: 9 } }, () => () => undefined);
    const e = await describeScramUsers(clusterOf(b), null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CoreError);
    expect((e as CoreError).message).toMatch(
      /^Broker 1 does not offer DescribeUserScramCredentials: managing SCRAM users needs Kafka 2\.7 or later \(KIP-554; on a KRaft cluster, 3\.5 or later\)/,
    );
    const alter = await alterScramCredentials(clusterOf(b), {
      upsertions: [{ name: 'a', mechanism: 'SCRAM-SHA-256', iterations: 4096, password: 'pw' }],
      deletions: [],
    }).catch((x: unknown) => x);
    expect((alter as CoreError).message).toMatch(/does not offer AlterUserScramCredentials/);
    expect(b.seen).toEqual([]);
  });

  it('lists users sorted, their mechanisms sorted, leaving out unknown mechanisms and users without credentials', async () => {
    const b = new FakeBroker(
      1,
      scramApis,
      () => (w) =>
        writeDescribeScramResponse(w, {
          throttleTimeMs: 0,
          errorCode: 0,
          errorMessage: null,
          results: [
            { user: 'zed', errorCode: 0, errorMessage: null, credentials: [{ mechanism: 2, iterations: 4096 }] },
            {
              user: 'alice',
              errorCode: 0,
              errorMessage: null,
              credentials: [
                { mechanism: 2, iterations: 8192 },
                { mechanism: 9, iterations: 1 },
                { mechanism: 1, iterations: 4096 },
              ],
            },
            { user: 'ghost', errorCode: 91, errorMessage: 'no credential', credentials: [] },
          ],
        }),
    );
    expect(await describeScramUsers(clusterOf(b), null)).toEqual([
      {
        name: 'alice',
        credentials: [
          { mechanism: 'SCRAM-SHA-256', iterations: 4096 },
          { mechanism: 'SCRAM-SHA-512', iterations: 8192 },
        ],
      },
      { name: 'zed', credentials: [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }] },
    ]);
  });

  it('an upsertion carries a random salt and the salted password, never the password', async () => {
    const b = new FakeBroker(
      1,
      scramApis,
      () => (w) =>
        writeAlterScramResponse(w, {
          throttleTimeMs: 0,
          results: [{ user: 'alice', errorCode: 0, errorMessage: null }],
        }),
    );
    const password = 'correct horse battery staple';
    const change = {
      upsertions: [{ name: 'alice', mechanism: 'SCRAM-SHA-512' as const, iterations: 4096, password }],
      deletions: [],
    };
    await alterScramCredentials(clusterOf(b), change);
    await alterScramCredentials(clusterOf(b), change);
    const [first, second] = b.seen.map((s) => {
      const r = new FlexibleReader(s.body);
      r.skipTaggedFields();
      return readAlterScramRequest(r);
    });
    const u = first!.upsertions[0]!;
    expect(u).toMatchObject({ name: 'alice', mechanism: 2, iterations: 4096 });
    expect(u.saltedPassword).toEqual(pbkdf2Sync(password, u.salt, 4096, 64, 'sha512'));
    expect(u.salt.length).toBeGreaterThanOrEqual(16);
    expect(second!.upsertions[0]!.salt.equals(u.salt)).toBe(false);
    for (const s of b.seen) {
      expect(s.body.includes(Buffer.from(password))).toBe(false);
      expect(s.body.includes(Buffer.from('horse'))).toBe(false);
    }
  });

  it.each([
    [91, 'NOT_FOUND', /^User 'alice' has no SCRAM credential for that mechanism, so there was nothing to delete\.$/],
    [93, 'INVALID_INPUT', /^Kafka refused the credential for 'alice': Iterations 1 must be at least 4096\.$/],
    [33, 'KAFKA_ERROR', /^The broker does not know that SCRAM mechanism for 'alice'/],
    [31, 'FORBIDDEN', /ACLs do not let/],
  ])('a per-user error %i becomes %s with a sentence', async (code, expected, sentence) => {
    const b = new FakeBroker(
      1,
      scramApis,
      () => (w) =>
        writeAlterScramResponse(w, {
          throttleTimeMs: 0,
          results: [{ user: 'alice', errorCode: code, errorMessage: 'Iterations 1 must be at least 4096' }],
        }),
    );
    const e = await alterScramCredentials(clusterOf(b), {
      upsertions: [],
      deletions: [{ name: 'alice', mechanism: 'SCRAM-SHA-256' }],
    }).catch((x: unknown) => x);
    const conn = {
      bootstrapServers: ['b:9092'],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    } as unknown as Parameters<typeof kafkaErrorToCore>[1];
    const core = kafkaErrorToCore(e, conn);
    expect(core.code).toBe(expected);
    expect(core.message).toMatch(sentence);
  });

  it('NOT_CONTROLLER: asked again of the controller the metadata names next', async () => {
    let n = 0;
    const b = new FakeBroker(
      1,
      scramApis,
      () => (w) =>
        writeAlterScramResponse(w, {
          throttleTimeMs: 0,
          results: [{ user: 'alice', errorCode: n++ === 0 ? 41 : 0, errorMessage: null }],
        }),
    );
    await alterScramCredentials(clusterOf(b), {
      upsertions: [],
      deletions: [{ name: 'alice', mechanism: 'SCRAM-SHA-256' }],
    });
    expect(b.seen).toHaveLength(2);
  });
});
