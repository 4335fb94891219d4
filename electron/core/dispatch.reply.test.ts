import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_REPLY_BYTES, channelNames } from '../contract';
import { dispatch, replySize } from './dispatch';
import type { Handlers } from './handlers';

// These handlers answer with placeholders or deliberately oversized values, not contract shapes: the reply
// check (dispatch.ts, on in the test suites) is not what is tested here; dispatch.replyShape.test.ts tests it.
beforeAll(() => {
  process.env.KAFKA_DESK_CHECK_REPLIES = '0';
});

const jsonBytes = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? 0 : Buffer.byteLength(s, 'utf8');
};

/** A small deterministic generator (mulberry32), so a failing value can be found again. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('replySize: the JSON size of an answer, measured without building it', () => {
  it('is exact on plain values: escapes, UTF-8, surrogates, omitted fields, toJSON', () => {
    const values: unknown[] = [
      null,
      true,
      false,
      0,
      -0,
      12.5,
      -1e21,
      5e-324,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '',
      'plain',
      'quote " and backslash \\',
      'controls \b\f\n\r\t \u0000 \u0001 \u001f \u007f',
      'é ü 中文 😀 pairs',
      'lone \ud800 high, lone \udc00 low, reversed \udc00\ud800, at the end \ud83d',
      [],
      {},
      [1, 'a', null],
      { a: 1, 'k"ey\n': 'v', nested: { deeper: [{ x: [] }] } },
      [undefined, () => 1, Symbol('s')],
      { gone: undefined, fn: () => 1, kept: 1, alsoGone: Symbol('x') },
      { onlyGone: undefined },
      new Date(0),
      { when: new Date(1_700_000_000_000) },
      { custom: { toJSON: () => ({ as: 'this' }) } },
      new Map([[1, 2]]),
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
    ];
    for (const v of values) expect(replySize(v, MAX_REPLY_BYTES), JSON.stringify(v) ?? String(v)).toBe(jsonBytes(v));
    expect(replySize(undefined, MAX_REPLY_BYTES)).toBe(0);
  });

  it('is exact on many random values (seeded)', () => {
    const rnd = random(42);
    const chars = ['a', 'Z', '"', '\\', '\n', '\u0001', 'é', '中', '😀', '\ud800', '\udfff', ' ', '{', ']'];
    const text = () =>
      Array.from({ length: Math.floor(rnd() * 12) }, () => chars[Math.floor(rnd() * chars.length)]).join('');
    const value = (depth: number): unknown => {
      const k = Math.floor(rnd() * (depth > 3 ? 5 : 8));
      if (k === 0) return null;
      if (k === 1) return rnd() < 0.5;
      if (k === 2) return Math.round((rnd() - 0.5) * 1e6) / (rnd() < 0.5 ? 1 : 1000);
      if (k === 3) return text();
      if (k === 4) return undefined;
      if (k === 5 || k === 6) return Array.from({ length: Math.floor(rnd() * 5) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 5) }, () => [text(), value(depth + 1)]));
    };
    for (let i = 0; i < 2000; i++) {
      const v = value(0);
      expect(replySize(v, MAX_REPLY_BYTES), JSON.stringify(v)).toBe(jsonBytes(v));
    }
  });

  it('stops walking as soon as it passes the limit', () => {
    let reads = 0;
    const row = {
      get value() {
        reads++;
        return 'x'.repeat(100);
      },
    };
    const huge = Array.from({ length: 1_000_000 }, () => row);
    const size = replySize(huge, 10_000);
    expect(size).toBeGreaterThan(10_000);
    // ~110 bytes a row: the walk stops after about 90 rows of the million
    expect(reads).toBeLessThan(200);
  });

  it('does not scan a string that cannot fit, and counts typed arrays and Buffers conservatively', () => {
    expect(replySize('x'.repeat(2_000_000), 1_000_000)).toBeGreaterThan(1_000_000);
    for (const v of [
      Buffer.from([0, 255, 10]),
      new Uint8Array([1, 2, 3]),
      new Float64Array([1.5, -2e300]),
      { b: Buffer.alloc(1000, 255) },
    ]) {
      expect(replySize(v, MAX_REPLY_BYTES)).toBeGreaterThanOrEqual(jsonBytes(v));
    }
  });

  it('has no JSON form for a cycle or absurd nesting; counts a BigInt as its digits', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(replySize(cycle, MAX_REPLY_BYTES)).toBe(Number.POSITIVE_INFINITY);
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(replySize(deep, MAX_REPLY_BYTES)).toBe(Number.POSITIVE_INFINITY);
    // the same object twice is no cycle
    const shared = { s: 'x' };
    expect(replySize([shared, shared], MAX_REPLY_BYTES)).toBe(jsonBytes([shared, shared]));
    expect(replySize({ n: 12345678901234567890n }, MAX_REPLY_BYTES)).toBe('{"n":12345678901234567890}'.length);
  });
});

describe('dispatch refuses an answer over MAX_REPLY_BYTES', () => {
  const answering = (value: () => unknown) =>
    Object.fromEntries(channelNames.map((c) => [c, async () => value()])) as unknown as Handlers;

  it('with PAYLOAD_TOO_LARGE and what to do instead, per channel', async () => {
    // 300 references to one 1 MiB string: 300 MiB of JSON, 1 MiB of memory
    const mib = 'x'.repeat(1024 * 1024);
    const handlers = answering(() => ({ messages: Array.from({ length: 300 }, () => ({ value: mib })) }));
    const r = await dispatch(handlers, 'operations.consume', {
      id: '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f',
      topic: 't',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    if (r.ok) return;
    expect(r.error.message).toBe(
      "The answer of operations.consume is larger than 256 MiB, more than a window can take; read into the window's session, which pages (into: 'session'); or lower max.",
    );
    const h = await dispatch(handlers, 'listen.history', { listenId: 'abcdefgh-1234' });
    expect(h).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('listen.history is larger than 256 MiB') },
    });
  });

  it('passes an answer under the limit unchanged; a host may set its own limit or none', async () => {
    const value = { text: 'y'.repeat(1000) };
    const handlers = answering(() => value);
    expect(await dispatch(handlers, 'app.info', undefined)).toEqual({ ok: true, value });
    expect(await dispatch(handlers, 'app.info', undefined, { maxReplyBytes: 100 })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('app.info is larger than 100 bytes') },
    });
    expect(await dispatch(handlers, 'app.info', undefined, { maxReplyBytes: Number.POSITIVE_INFINITY })).toEqual({
      ok: true,
      value,
    });
  });

  it('turns an answer with no JSON form into INTERNAL', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(
      await dispatch(
        answering(() => cycle),
        'app.info',
        undefined,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'Kafka Desk failed unexpectedly in app.info: its answer has no JSON form.' },
    });
  });
});
