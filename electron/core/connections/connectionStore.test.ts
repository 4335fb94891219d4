import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionInputParsed } from '../../contract';
import { ConnectionInput } from '../../contract';
import { CoreError } from '../coreError';
import { KeyFileSecretBox } from '../secrets/keyFileSecretBox';
import { ConnectionStore } from './connectionStore';

let certPem: string;
let keyPem: string;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-pem-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path.join(dir, 'k.pem'),
      '-out',
      path.join(dir, 'c.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=test',
    ],
    { stdio: 'ignore' },
  );
  certPem = await readFile(path.join(dir, 'c.pem'), 'utf8');
  keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
});

async function newStore() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-store-'));
  return { dataDir, store: new ConnectionStore(dataDir, new KeyFileSecretBox(dataDir)) };
}

const input = (over: Record<string, unknown> = {}): ConnectionInputParsed =>
  ConnectionInput.parse({
    name: 'prod',
    bootstrapServers: ['broker:9093'],
    sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'S3cret-pa55word!' },
    tls: {
      enabled: true,
      ca: { name: 'ca.pem', content: certPem },
      clientCert: { name: 'client.pem', content: certPem },
      clientKey: { name: 'client.key', content: keyPem },
    },
    ...over,
  });

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    out.push(...(e.isDirectory() ? await allFiles(p) : [p]));
  }
  return out;
}

describe('ConnectionStore', () => {
  it('saves, lists, gets and deletes; the view shows "set / not set", never a secret', async () => {
    const { store, dataDir } = await newStore();
    const saved = await store.save(input());
    expect(saved).toMatchObject({
      name: 'prod',
      sasl: { username: 'app', passwordSet: true },
      tls: { ca: { name: 'ca.pem' }, clientKey: { name: 'client.key' } },
    });
    expect(JSON.stringify(saved)).not.toContain('S3cret');
    expect(JSON.stringify(saved)).not.toContain('PRIVATE KEY');
    expect(saved.tls.ca?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.list()).toEqual([saved]);
    expect(await store.get(saved.id)).toEqual(saved);
    expect(await store.delete(saved.id)).toBe(true);
    expect(await store.list()).toEqual([]);
    expect(await allFiles(path.join(dataDir, 'connections'))).toEqual([]);
    await expect(store.get(saved.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('writes no password or private key in plain text anywhere in the data folder, and every file is 0600', async () => {
    const { store, dataDir } = await newStore();
    const saved = await store.save(input());
    const keyBody = keyPem
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');
    const files = await allFiles(dataDir);
    expect(files.map((f) => path.relative(dataDir, f)).sort()).toEqual(
      [
        'connections.json',
        'secret.key',
        `connections/${saved.id}/ca.pem`,
        `connections/${saved.id}/client-cert.pem`,
        `connections/${saved.id}/client-key.pem.sealed`,
      ].sort(),
    );
    for (const f of files) {
      const text = (await readFile(f)).toString('latin1').replace(/\s/g, '');
      expect(text.includes('S3cret-pa55word!'), f).toBe(false);
      expect(text.includes(keyBody.slice(0, 40)), f).toBe(false);
      expect((await stat(f)).mode & 0o777, f).toBe(0o600);
    }
    // and the core can still open them for the Kafka client
    const resolved = await store.resolve(await store.getStored(saved.id));
    expect(resolved.sasl.password).toBe('S3cret-pa55word!');
    expect(resolved.tls.key).toBe(keyPem);
    expect(resolved.tls.ca).toBe(certPem);
  });

  it('keeps the stored password when the form leaves it out, clears it on an empty string', async () => {
    const { store } = await newStore();
    const saved = await store.save(input());
    const kept = await store.save({
      ...input({ id: saved.id, name: 'prod-2' }),
      sasl: { mechanism: 'scram-sha-512', username: 'app' },
    });
    expect(kept.sasl.passwordSet).toBe(true);
    expect((await store.resolve(await store.getStored(saved.id))).sasl.password).toBe('S3cret-pa55word!');
    const cleared = await store.save({
      ...input({ id: saved.id }),
      sasl: { mechanism: 'scram-sha-512', username: 'app', password: '' },
    });
    expect(cleared.sasl.passwordSet).toBe(false);
  });

  it('keeps, replaces or removes files as the form says', async () => {
    const { store, dataDir } = await newStore();
    const saved = await store.save(input());
    const keep = await store.save(input({ id: saved.id, tls: { enabled: true } }));
    expect(keep.tls.ca).toEqual(saved.tls.ca);
    const removed = await store.save(
      input({ id: saved.id, tls: { enabled: true, clientCert: null, clientKey: null } }),
    );
    expect(removed.tls.clientCert).toBeNull();
    expect(removed.tls.clientKey).toBeNull();
    expect((await readdir(path.join(dataDir, 'connections', saved.id))).sort()).toEqual(['ca.pem']);
  });

  it('refuses a second connection with the same name', async () => {
    const { store } = await newStore();
    await store.save(input());
    await expect(store.save(input({ name: 'PROD' }))).rejects.toMatchObject({
      code: 'CONFLICT',
      fields: [{ path: 'name' }],
    });
  });

  it('refuses a PEM that is not a certificate or key, and writes nothing', async () => {
    const { store, dataDir } = await newStore();
    const bad = input({
      tls: {
        enabled: true,
        ca: { name: 'ca.pem', content: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n' },
      },
    });
    const err = await store.save(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect(err).toMatchObject({
      code: 'BAD_CERTIFICATE',
      message: "'ca.pem' is not a valid PEM CA certificate.",
      fields: [{ path: 'tls.ca' }],
    });
    expect(await readdir(dataDir)).toEqual([]);
    const encrypted = input({
      tls: {
        enabled: true,
        clientKey: {
          name: 'enc.key',
          content: '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n',
        },
      },
    });
    await expect(store.save(encrypted)).rejects.toMatchObject({
      code: 'BAD_CERTIFICATE',
      message: expect.stringContaining('encrypted private key'),
    });
  });

  it('reads and migrates a schema 1 file (bootstrap as one string, no timeouts)', async () => {
    const { store, dataDir } = await newStore();
    const v1 = {
      schemaVersion: 1,
      connections: [
        {
          id: '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f',
          name: 'old',
          color: 'red',
          bootstrap: 'a:9092, b:9092',
          clientId: 'kafka-desk',
          sasl: { mechanism: 'none', username: '', password: null },
          tls: { enabled: false, ca: null, clientCert: null, clientKey: null },
          createdAt: '2025-01-01T00:00:00.000Z',
          updatedAt: '2025-01-01T00:00:00.000Z',
        },
      ],
    };
    await writeFile(path.join(dataDir, 'connections.json'), JSON.stringify(v1));
    const [c] = await store.list();
    expect(c).toMatchObject({
      name: 'old',
      bootstrapServers: ['a:9092', 'b:9092'],
      tls: { verify: true },
      timeouts: { connectionMs: 10_000 },
    });
    // the next save writes the current schema (4)
    await store.save(input({ name: 'new' }));
    expect(JSON.parse(await readFile(path.join(dataDir, 'connections.json'), 'utf8')).schemaVersion).toBe(4);
  });

  it('leaves a file from a newer Kafka Desk untouched and says so', async () => {
    const { store, dataDir } = await newStore();
    const newer = JSON.stringify({ schemaVersion: 99, connections: [] });
    await writeFile(path.join(dataDir, 'connections.json'), newer);
    await expect(store.list()).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await expect(store.save(input())).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await readFile(path.join(dataDir, 'connections.json'), 'utf8')).toBe(newer);
  });

  it('finds a saved connection by name for the CLI, and lists the names when it cannot', async () => {
    const { store } = await newStore();
    await store.save(input({ name: 'Local SCRAM' }));
    expect((await store.findByName('local scram')).name).toBe('Local SCRAM');
    await expect(store.findByName('nope')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: "There is no saved connection named 'nope'. Saved: 'Local SCRAM'.",
    });
  });

  it('duplicates a connection with its password and files, under a free name', async () => {
    const { store, dataDir } = await newStore();
    const saved = await store.save(input());
    const copy = await store.duplicate(saved.id);
    expect(copy.name).toBe('prod (copy)');
    expect(copy.id).not.toBe(saved.id);
    expect((await store.duplicate(saved.id)).name).toBe('prod (copy 2)');
    const resolved = await store.resolve(await store.getStored(copy.id));
    expect(resolved.sasl.password).toBe('S3cret-pa55word!');
    expect(resolved.tls.key).toBe(keyPem);
    // deleting the original leaves the copy's files in place
    await store.delete(saved.id);
    expect((await readdir(path.join(dataDir, 'connections', copy.id))).sort()).toEqual([
      'ca.pem',
      'client-cert.pem',
      'client-key.pem.sealed',
    ]);
    await expect(store.duplicate(copy.id, 'prod (copy 2)')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('exports JSON without any secret or file content', async () => {
    const { store } = await newStore();
    await store.save(input());
    const { json, count } = await store.exportJson();
    expect(count).toBe(1);
    expect(json).not.toContain('S3cret');
    expect(json).not.toContain('BEGIN');
    const doc = JSON.parse(json) as {
      connections: { name: string; sasl: Record<string, string>; tls: Record<string, unknown> }[];
    };
    expect(doc.connections[0]).toMatchObject({
      name: 'prod',
      sasl: { mechanism: 'scram-sha-512', username: 'app' },
      tls: { ca: 'ca.pem', clientKey: 'client.key' },
    });
    expect(Object.keys(doc.connections[0]!.sasl)).toEqual(['mechanism', 'username']);
  });
});
