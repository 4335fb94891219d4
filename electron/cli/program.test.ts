import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './program';

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

describe('kafka-desk (no broker needed)', () => {
  it('--version prints the version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help lists the commands', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}topics\s+list, describe, create and delete topics$/m);
    expect(r.out).toMatch(/^ {2}groups\s+list, describe \(with lag\)/m);
    expect(r.out).toContain('cluster');
  });

  it('topics without a target says which options to give', async () => {
    const r = await run(['topics']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'kafka-desk: Say which cluster: --bootstrap HOST:PORT, or --connection NAME for a saved connection.\n',
    );
  });

  it('a closed port is reported as such, with the cause', async () => {
    const r = await run(['topics', '--bootstrap', '127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^kafka-desk: Nothing accepted the connection at 127\.0\.0\.1:1 \(connection refused\)/);
    expect(r.err).toContain('cause: ');
  });

  it('an unknown saved connection is named', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-cli-'));
    const r = await run(['topics', '--connection', 'nope', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("There is no saved connection named 'nope'. None are saved yet.");
  });

  it('a malformed bootstrap address names the field', async () => {
    const r = await run(['topics', '--bootstrap', 'not-a-host']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('bootstrapServers.0: must be host:port');
  });

  it('an unknown option exits 2 with usage help', async () => {
    const r = await run(['topics', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown option '--bogus'");
  });
});
