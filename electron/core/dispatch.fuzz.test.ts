import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, channelNames, channels, innerSchema, schemaDef, type ChannelName } from '../contract';
import { createCore, type Core } from './core';
import { dispatch } from './dispatch';
import { KeyFileSecretBox } from './secrets/keyFileSecretBox';

/**
 * Random and malformed payloads to every channel through the real dispatcher and a real core (its
 * stores on a temp data folder; connections that point where nothing listens, so what reaches the
 * network fails fast). Whatever comes in, the process stays up and every answer is `{ok: true}` with
 * a value of the channel's reply schema, or `{ok: false}` with a coded error a person can read —
 * never an unexpected failure (INTERNAL), never a thrown exception, never an unhandled rejection.
 *
 * The payloads are built from each channel's own zod schema, so they get past the outer checks and
 * into the handlers: right shapes with hostile values (paths, control characters, script, huge and
 * negative numbers, ids of things that exist), wrong types at any depth, extra and missing fields.
 */

let core: Core;
const ids = { connection: [] as string[], cluster: [] as string[], capture: [] as number[], session: [] as number[] };

const hostileStrings = [
  '',
  ' ',
  '../../../etc/passwd',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  '\u0000',
  '\u001b]52;c;SGk=\u0007',
  'a'.repeat(5000),
  '$[?(@.__lookupGetter__("__proto__"))]',
  '$..*',
  '(a+)+$',
  '-X',
  '--help',
  '__proto__',
  'constructor',
  '{{x}}',
  '${jndi:ldap://x}',
  '=HYPERLINK("http://x")',
  '127.0.0.1:1',
  'http://127.0.0.1:1/',
  'earliest',
  '0',
  '-1',
  '9223372036854775808',
  '\uD800',
  'é漢字🎉',
];
const hostileNumbers = [
  0,
  -1,
  1,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  0.5,
  1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
];

/** Values a caller might send for a field of this name: sometimes the id of something that exists. */
function hinted(field: string): fc.Arbitrary<unknown> | null {
  if (/^(id|connectionId)$/.test(field) && ids.connection.length)
    return fc.constantFrom(...ids.connection, ...ids.capture);
  if (field === 'clusterId' && ids.cluster.length) return fc.constantFrom(...ids.cluster);
  if (/^(sessionId|captureId)$/.test(field)) return fc.constantFrom(...ids.session, ...ids.capture, 1, 999);
  return null;
}

const junk = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(...hostileNumbers),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant({ __proto__: { polluted: true } }),
  fc.constant([]),
);

/** An arbitrary for a zod schema: mostly the right shape, with hostile leaves and the odd wrong type. */
function arb(schema: z.ZodType, field = '', depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return junk;
  const inner = innerSchema(schema);
  // an optional (default, nullable…) field: sometimes left out
  if (inner)
    return fc.oneof(
      { weight: 4, arbitrary: arb(inner, field, depth) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
  const def = schemaDef(schema);
  const right = (() => {
    switch (def.type) {
      case 'string':
        return (
          hinted(field) ??
          fc.oneof(
            fc.constantFrom(...hostileStrings),
            fc.string({ maxLength: 40 }),
            fc.string({ unit: 'binary', maxLength: 20 }),
          )
        );
      case 'number':
      case 'int':
        return hinted(field) ?? fc.oneof(fc.constantFrom(...hostileNumbers), fc.integer({ min: -5, max: 200 }));
      case 'bigint':
        return fc.bigInt();
      case 'boolean':
        return fc.boolean();
      case 'literal':
        return fc.constantFrom(...(def.values as unknown[]));
      case 'enum':
        return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
      case 'null':
        return fc.constant(null);
      case 'object': {
        const shape = def.shape as Record<string, z.ZodType>;
        const record = fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, arb(v, k, depth + 1)])), {
          requiredKeys: [],
        });
        return fc.oneof(
          { weight: 5, arbitrary: record },
          {
            weight: 1,
            arbitrary: fc
              .tuple(record, fc.dictionary(fc.constantFrom('extra', '__proto__', 'constructor', 'path'), junk))
              .map(([a, b]) => ({ ...a, ...b })),
          },
        );
      }
      case 'union':
        return fc.oneof(...(def.options as z.ZodType[]).map((o) => arb(o, field, depth + 1)));
      case 'array':
        return fc.array(arb(def.element as z.ZodType, field, depth + 1), { maxLength: 4 });
      case 'tuple':
        return fc.tuple(...(def.items as z.ZodType[]).map((it) => arb(it, field, depth + 1)));
      case 'record':
        return fc.dictionary(
          fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ maxLength: 10 })),
          arb(def.valueType as z.ZodType, field, depth + 1),
          { maxKeys: 4 },
        );
      default:
        return junk;
    }
  })();
  return fc.oneof({ weight: 9, arbitrary: right }, { weight: 1, arbitrary: junk });
}

const nowhere = (name: string) => ({
  name,
  bootstrapServers: ['127.0.0.1:1'],
  sasl: { mechanism: 'none' },
  tls: { enabled: false },
  timeouts: { connectionMs: 100, requestMs: 200, authenticationMs: 100 },
});

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-fuzz-'));
  core = createCore({ host: 'cli', dataDir, version: 'fuzz', secrets: new KeyFileSecretBox(dataDir) });
  const save = async (channel: string, input: unknown) => {
    const r = await dispatch(core.handlers, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as { id: string | number };
  };
  ids.connection.push(String((await save('connections.save', nowhere('nowhere'))).id));
  ids.connection.push(String((await save('connections.save', { ...nowhere('read-only nowhere'), readOnly: true })).id));
  ids.cluster.push(
    String(
      (
        await save('connect.saveCluster', {
          connectionId: ids.connection[0],
          name: 'nowhere',
          urls: ['http://127.0.0.1:1'],
          timeoutMs: 500,
        })
      ).id,
    ),
  );
  ids.capture.push(
    Number(
      (
        await save('captures.save', {
          from: 'messages',
          name: 'fuzzed',
          messages: [
            {
              topic: 't',
              partition: 0,
              offset: '1',
              timestamp: '1',
              timestampType: 'CreateTime',
              key: 'k',
              value: '{"a":1}',
              headers: [['h', 'v']],
              size: 8,
            },
          ],
        })
      ).id,
    ),
  );
  ids.session.push(
    await core.sessions.begin({ source: 'consume', connectionId: ids.connection[0]!, connectionName: 'nowhere' }),
  );
});
afterAll(async () => {
  core?.operations.cancelAll();
  await core?.listens.stopAll();
});

/** The property: whatever the payload, an answer of the right form. */
async function answersWell(channel: ChannelName | string, input: unknown): Promise<void> {
  const r = await dispatch(core.handlers, channel, input);
  if (r.ok) {
    if (!(channel in channels)) throw new Error(`${channel} is not a channel, yet it answered`);
    const out = (channels[channel as ChannelName].output as z.ZodType).safeParse(r.value);
    if (!out.success)
      throw new Error(
        `${channel} answered a value outside its reply schema: ${out.error.issues[0]?.path.join('.')} ${out.error.issues[0]?.message} for ${JSON.stringify(input).slice(0, 300)}`,
      );
    return;
  }
  const e = AppError.safeParse(r.error);
  if (!e.success)
    throw new Error(`${channel} answered an error that is not an AppError: ${JSON.stringify(r.error).slice(0, 300)}`);
  if (!r.error.message.trim()) throw new Error(`${channel} answered an error without a sentence`);
  if (r.error.code === 'INTERNAL')
    throw new Error(`${channel} failed unexpectedly on ${JSON.stringify(input).slice(0, 300)}: ${r.error.detail}`);
}

describe('fuzzing every channel through the real dispatcher', () => {
  it('unknown channels and payloads of any type', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom<string>(...channelNames)), junk, answersWell),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(junk, junk, (channel, input) => answersWell(channel as string, input)),
      { numRuns: 100 },
    );
  });

  for (const name of channelNames) {
    // long operations are cancelled right away by the property's own budget: nothing listens on their connections
    it(`${name}: payloads shaped by its schema, with hostile values`, async () => {
      await fc.assert(
        fc.asyncProperty(arb(channels[name].input as z.ZodType), (input) => answersWell(name, input)),
        { numRuns: 40 },
      );
    });
  }
});

it('the process is still up and the core still answers', async () => {
  expect(await dispatch(core.handlers, 'app.info', {})).toMatchObject({ ok: true, value: { name: 'Kafka Desk' } });
  expect(await dispatch(core.handlers, 'connections.list', undefined)).toMatchObject({ ok: true });
});
