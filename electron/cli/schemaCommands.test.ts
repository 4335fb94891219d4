import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './program';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u001b\u0007\u202e]/;

/**
 * The schema commands against a small stand-in registry (the real one is in
 * e2e/integration/cliSchemas.test.ts): what a hostile registry answers reaches the terminal escaped.
 */
const EVIL = 'orders\u001b]52;c;cGF3bmVk\u0007\u202e-value';
let server: Server;
let url: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify(body));
    };
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p === '/subjects') return send(200, [EVIL]);
    if (/^\/subjects\/[^/]+\/versions\/latest$/.test(p))
      return send(200, {
        subject: EVIL,
        version: 4,
        id: 12,
        schema: JSON.stringify({ type: 'record', name: 'O\u001b[2J', fields: [] }),
      });
    if (p === '/config') return send(200, { compatibilityLevel: 'BACKWARD' });
    if (p.startsWith('/config/')) return send(404, { error_code: 40408, message: 'no subject level' });
    return send(404, { error_code: 40401, message: 'Subject not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: { KAFKA_DESK_DATA_DIR: await mkdtemp(path.join(tmpdir(), 'kafka-desk-cli-')) },
  });
  return { code, out, err };
}

describe('kafka-desk schemas (a stand-in registry)', () => {
  it('needs a registry, and says how to name one', async () => {
    const r = await run(['schemas', 'list']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'kafka-desk: Say which Schema Registry: --schema-registry URL, or --connection NAME for a saved connection with one.\n',
    );
  });

  it("a connection with no registry gets the core's sentence", async () => {
    const r = await run(['schemas', 'list', '--bootstrap', '127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('This connection has no Schema Registry');
  });

  it('exploit: a subject name and a schema from the registry are shown escaped in the table and the schema', async () => {
    const list = await run(['schemas', 'list', '--schema-registry', url]);
    expect(list.err).toBe('');
    expect(list.code).toBe(0);
    expect(list.out).not.toMatch(CONTROL);
    expect(list.out).toContain('orders\\x1b]52;c;cGF3bmVk\\x07\\u202e-value');
    expect(list.out).toMatch(/^SUBJECT\s+VERSION\s+ID\s+TYPE\s+COMPATIBILITY$/m);
    expect(list.out).toMatch(/\s4\s+12\s+AVRO\s+\(BACKWARD\)$/m);
    const get = await run(['schemas', 'get', 'orders-value', '--schema-registry', url]);
    expect(get.code).toBe(0);
    expect(get.out).not.toMatch(CONTROL);
    expect(get.out).toContain('"name": "O\\u001b[2J"');
  });

  it("--json prints the channel's answer, the same value after JSON.parse", async () => {
    const r = await run(['schemas', 'list', '--schema-registry', url, '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { subjects: { subject: string }[]; defaultCompatibility: string };
    expect(v.subjects[0]?.subject).toBe(EVIL);
    expect(v.defaultCompatibility).toBe('BACKWARD');
    expect(r.out).not.toMatch(CONTROL);
  });

  it("--version after a command is the command's, not the program's", async () => {
    seen.length = 0;
    const r = await run(['schemas', 'get', 'orders-value', '--version', '2', '--schema-registry', url]);
    expect(r.out).not.toMatch(/^\d+\.\d+\.\d+/);
    expect(seen).toContain('GET /subjects/orders-value/versions/2');
    expect(r.code).toBe(1);
  });

  it('delete asks for --yes and sends nothing without it', async () => {
    seen.length = 0;
    const r = await run(['schemas', 'delete', 'orders-value', '--schema-registry', url]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("required option '--yes' not specified");
    expect(seen).toEqual([]);
  });

  it('refuses a subject name with control characters before any request', async () => {
    seen.length = 0;
    const r = await run(['schemas', 'versions', 'a\u001b[2Jb', '--schema-registry', url]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('must not contain control characters');
    expect(r.err).not.toContain('\u001b');
    expect(seen).toEqual([]);
  });
});
