/**
 * The test Schema Registries themselves (e2e/infra/schemaRegistry.ts): the open one speaks
 * Confluent's REST API, the one with basic auth refuses anonymous callers and read-only writers, and
 * both are recorded where the tests read them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { UserCredentials } from '../infra/clusterInfo';
import { ensureSchemaRegistry, registryInfo, type RegistryInfo } from '../infra/schemaRegistry';
import { readCluster } from './support';

let info: RegistryInfo;
const run = Date.now();
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

const basic = (u: UserCredentials) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

async function call(url: string, init: { method?: string; body?: unknown; user?: UserCredentials } = {}) {
  const r = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': CONTENT_TYPE }),
      ...(init.user ? { authorization: basic(init.user) } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text };
}

const orderSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'infra.test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
  ],
};

beforeAll(async () => {
  info = await ensureSchemaRegistry({ log: (s) => console.log(`[registry] ${s}`) });
});

describe('the open Schema Registry', () => {
  it('registers an Avro schema and serves it back by id and as the latest version', async () => {
    const subject = `infra-${run}-value`;
    const reg = await call(`${info.url}/subjects/${subject}/versions`, {
      method: 'POST',
      body: { schema: JSON.stringify(orderSchema) },
    });
    expect(reg.status, reg.text).toBe(200);
    const { id } = JSON.parse(reg.text) as { id: number };
    expect(id).toBeGreaterThan(0);

    const byId = await call(`${info.url}/schemas/ids/${id}`);
    expect(byId.status).toBe(200);
    expect(JSON.parse((JSON.parse(byId.text) as { schema: string }).schema)).toEqual(orderSchema);

    const latest = await call(`${info.url}/subjects/${subject}/versions/latest`);
    expect(JSON.parse(latest.text)).toMatchObject({ subject, id, version: 1 });
    expect(JSON.parse((await call(`${info.url}/subjects`)).text)).toContain(subject);
  });

  it('is reused while it runs: a second ensure returns the same processes', async () => {
    expect((await ensureSchemaRegistry()).pids).toEqual(info.pids);
  });
});

describe('the Schema Registry with basic auth', () => {
  it('answers 401 without credentials or with a wrong password', async () => {
    const anonymous = await call(`${info.auth.url}/subjects`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate') ?? '').toMatch(/^Basic/i);
    const wrong = await call(`${info.auth.url}/subjects`, { user: { username: 'admin', password: 'not-it' } });
    expect(wrong.status).toBe(401);
  });

  it('lets the admin register and the read-only user read, but not write (403)', async () => {
    const subject = `infra-auth-${run}-value`;
    const reg = await call(`${info.auth.url}/subjects/${subject}/versions`, {
      method: 'POST',
      body: { schema: JSON.stringify(orderSchema) },
      user: info.auth.admin,
    });
    expect(reg.status, reg.text).toBe(200);

    const read = await call(`${info.auth.url}/subjects/${subject}/versions/latest`, { user: info.auth.readonly });
    expect(read.status).toBe(200);
    expect(JSON.parse(read.text)).toMatchObject({ subject, version: 1 });

    const write = await call(`${info.auth.url}/subjects/${subject}-other/versions`, {
      method: 'POST',
      body: { schema: JSON.stringify(orderSchema) },
      user: info.auth.readonly,
    });
    expect(write.status).toBe(403);
    const listed = await call(`${info.auth.url}/subjects`, { user: info.auth.readonly });
    expect(JSON.parse(listed.text)).not.toContain(`${subject}-other`);
  });
});

describe('where the tests find the registries', () => {
  it('cluster.json and registry.json record both URLs, both users and the pids', async () => {
    const cluster = await readCluster();
    expect(cluster.registry).toEqual(info);
    expect(await registryInfo()).toEqual(info);
    expect(info.url).toBe('http://127.0.0.1:18081');
    expect(info.auth.url).toBe('http://127.0.0.1:18082');
    expect(info.auth.admin.username).toBe('admin');
    expect(info.auth.readonly.username).toBe('readonly');
    expect(info.auth.admin.password).not.toBe(info.auth.readonly.password);
  });
});
