import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionInput, DoctorReport } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { freshCore, listenerInputs, pemUpload, readCluster, type ClusterInfo } from './support';

let k: ClusterInfo;
let core: Core;
let inputs: Record<string, ConnectionInput>;

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  inputs = await listenerInputs(k);
});

async function doctor(connection: ConnectionInput): Promise<DoctorReport> {
  const r = await dispatch(core.handlers, 'connections.doctor', { connection });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as DoctorReport;
}
const kinds = (r: DoctorReport) => r.steps.map((s) => `${s.kind}:${s.status}`);

describe('the connection doctor, against the real broker', () => {
  const expected: Record<string, string[]> = {
    PLAINTEXT: ['dns', 'tcp', 'metadata', 'broker-connect', 'broker-roundtrip'],
    'SASL PLAIN': ['dns', 'tcp', 'sasl', 'metadata', 'broker-connect', 'broker-roundtrip'],
    'SCRAM-SHA-256': ['dns', 'tcp', 'sasl', 'metadata', 'broker-connect', 'broker-roundtrip'],
    'SCRAM-SHA-512': ['dns', 'tcp', 'sasl', 'metadata', 'broker-connect', 'broker-roundtrip'],
    TLS: ['dns', 'tcp', 'tls', 'metadata', 'broker-connect', 'broker-roundtrip'],
    'mutual TLS': ['dns', 'tcp', 'tls', 'metadata', 'broker-connect', 'broker-roundtrip'],
  };
  for (const [listener, steps] of Object.entries(expected)) {
    it(`passes every step on ${listener}`, async () => {
      const r = await doctor(inputs[listener]!);
      expect(kinds(r)).toEqual(steps.map((s) => `${s}:ok`));
      expect(r.ok).toBe(true);
      expect(r.verdict).toMatch(/^All \d+ steps passed/);
      const tls = r.steps.find((s) => s.kind === 'tls');
      if (tls) {
        expect(tls.tls).toMatchObject({ trusted: true, hostnameMatches: true });
        expect(tls.tls!.chain[0]!.subject).toContain('CN=localhost');
        expect(tls.tls!.chain[0]!.subjectAltNames).toContain('IP Address:127.0.0.1');
      }
    });
  }

  it('names the SASL step for a wrong password, the earlier steps ok', async () => {
    const r = await doctor({
      ...inputs['SCRAM-SHA-512']!,
      sasl: { ...inputs['SCRAM-SHA-512']!.sasl, password: 'wrong' },
    });
    expect(kinds(r)).toEqual(['dns:ok', 'tcp:ok', 'sasl:failed', 'metadata:skipped']);
    expect(r.verdict).toMatch(/refused the SASL\/SCRAM-SHA-512 login for user 'scram512'/);
    expect(r.steps[2]!.error?.detail).toContain('invalid credentials');
    // the metadata step was not run because the login failed, not because the network did
    expect(r.steps[3]!.summary).toBe('Skipped: authentication failed (step 3).');
  });

  it('says which step stopped the later ones: a wrong SASL/PLAIN password, then a port where nothing listens', async () => {
    const plain = inputs['SASL PLAIN']!;
    const wrong = await doctor({ ...plain, sasl: { ...plain.sasl, password: 'wrong' } });
    expect(kinds(wrong)).toEqual(['dns:ok', 'tcp:ok', 'sasl:failed', 'metadata:skipped']);
    expect(wrong.steps[3]!.summary).toBe('Skipped: authentication failed (step 3).');
    expect(wrong.steps[3]!.summary).not.toMatch(/reach/);

    const closed = await doctor({ ...plain, bootstrapServers: ['127.0.0.1:1'] });
    expect(kinds(closed)).toEqual(['dns:ok', 'tcp:failed', 'sasl:skipped', 'metadata:skipped']);
    expect(closed.steps[2]!.summary).toBe('Skipped: the TCP connection failed (step 2).');
    expect(closed.steps[3]!.summary).toBe('Skipped: the TCP connection failed (step 2).');

    const both = await doctor({
      ...plain,
      bootstrapServers: ['127.0.0.1:1', k.listeners.sasl],
      sasl: { ...plain.sasl, password: 'wrong' },
    });
    expect(kinds(both)).toEqual([
      'dns:ok',
      'tcp:failed',
      'sasl:skipped',
      'dns:ok',
      'tcp:ok',
      'sasl:failed',
      'metadata:skipped',
    ]);
    expect(both.steps[6]!.summary).toBe('Skipped: the TCP connection failed (step 2); authentication failed (step 6).');
  });

  it('names the TLS step for an untrusted CA, showing the chain', async () => {
    const r = await doctor({ ...inputs.TLS!, tls: { enabled: true, ca: await pemUpload(k.tls.otherCa) } });
    expect(kinds(r)).toEqual(['dns:ok', 'tcp:ok', 'tls:failed', 'metadata:skipped']);
    const tls = r.steps[2]!;
    expect(tls.tls).toMatchObject({ trusted: false });
    expect(tls.tls!.chain.length).toBeGreaterThan(0);
    expect(tls.summary).toContain('is not signed by a CA this connection trusts');
  });

  it('names TCP for a closed port, DNS for an unknown host', async () => {
    const closed = await doctor({ ...inputs.PLAINTEXT!, bootstrapServers: ['127.0.0.1:1'] });
    expect(kinds(closed)).toEqual(['dns:ok', 'tcp:failed', 'metadata:skipped']);
    expect(closed.verdict).toContain('connection refused');
    const unknown = await doctor({ ...inputs.TLS!, bootstrapServers: ['no-such-broker.invalid:9093'] });
    expect(kinds(unknown)).toEqual(['dns:failed', 'tcp:skipped', 'tls:skipped', 'metadata:skipped']);
    expect(unknown.verdict).toBe(
      "The host name 'no-such-broker.invalid' could not be resolved. Check its spelling, or your DNS / VPN.",
    );
  });

  it('names the advertised-listener problem when the bootstrap answers but the advertised address does not', async () => {
    const r = await doctor({ ...inputs.PLAINTEXT!, bootstrapServers: [k.listeners.unreachableAdvertised] });
    expect(kinds(r)).toEqual(['dns:ok', 'tcp:ok', 'metadata:ok', 'broker-connect:failed', 'broker-roundtrip:skipped']);
    expect(r.verdict).toMatch(
      /^Broker 1 advertises 127\.0\.0\.1:19100, which this computer cannot reach: .*advertised\.listeners points at an address clients cannot use/,
    );
  });

  it('names the missing client certificate on the mutual-TLS listener', async () => {
    const r = await doctor({ ...inputs.TLS!, bootstrapServers: [k.listeners.mtls] });
    expect(r.ok).toBe(false);
    expect(r.verdict).toContain('requires a client certificate');
  });
});

describe('the doctor on certificates that are expired or for another host', () => {
  let dir: string;
  const servers: Server[] = [];
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  async function serve(cert: string): Promise<number> {
    const s = createServer(
      { key: await readFile(path.join(dir, 'leaf.key')), cert: await readFile(path.join(dir, cert)) },
      (sock) => sock.end(),
    );
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return (s.address() as { port: number }).port;
  }
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-doctor-'));
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '3',
      '-subj',
      '/CN=doctor-ca',
    );
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=leaf');
    execFileSync(
      'bash',
      [
        '-c',
        'printf "subjectAltName=IP:127.0.0.1\\n" > ip.ext; printf "subjectAltName=DNS:other.example\\n" > other.ext',
      ],
      { cwd: dir },
    );
    // expired: issued by the CA for one day in 2020, through `openssl ca`, which takes explicit dates
    await mkdir(path.join(dir, 'ca', 'newcerts'), { recursive: true });
    await writeFile(path.join(dir, 'ca', 'index.txt'), '');
    await writeFile(path.join(dir, 'ca', 'serial'), '1000\n');
    await writeFile(
      path.join(dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = d',
        '[d]',
        'dir = ./ca',
        'database = $dir/index.txt',
        'new_certs_dir = $dir/newcerts',
        'serial = $dir/serial',
        'default_md = sha256',
        'policy = p',
        '[p]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    openssl(
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-cert',
      'ca.pem',
      '-keyfile',
      'ca.key',
      '-in',
      'leaf.csr',
      '-out',
      'expired.pem',
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20200102000000Z',
      '-extfile',
      'ip.ext',
      '-notext',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'other.pem',
      '-days',
      '3',
      '-extfile',
      'other.ext',
    );
  });
  afterAll(() => servers.forEach((s) => s.close()));

  const conn = async (port: number): Promise<ConnectionInput> => ({
    name: 'cert-check',
    bootstrapServers: [`127.0.0.1:${port}`],
    sasl: { mechanism: 'none' },
    tls: { enabled: true, ca: await pemUpload(path.join(dir, 'ca.pem')) },
    timeouts: { connectionMs: 3000, requestMs: 3000, authenticationMs: 3000 },
  });

  it('an expired certificate fails the TLS step, with its date', async () => {
    const r = await doctor(await conn(await serve('expired.pem')));
    const tls = r.steps.find((s) => s.kind === 'tls')!;
    expect(tls.status).toBe('failed');
    expect(tls.summary).toMatch(/expired on Jan {2}2 00:00:00 2020 GMT/);
  });

  it('a certificate for another host fails the TLS step, naming both', async () => {
    const r = await doctor(await conn(await serve('other.pem')));
    const tls = r.steps.find((s) => s.kind === 'tls')!;
    expect(tls.status).toBe('failed');
    expect(tls.tls).toMatchObject({ trusted: true, hostnameMatches: false });
    expect(tls.summary).toBe(
      "The broker's certificate does not name the host 127.0.0.1 (it names DNS:other.example). Connect with a name it lists, or ask for a certificate that includes this one.",
    );
  });
});
