import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaCache, type CachedSchema } from './schemaCache';

const schema = (schemaId: number): CachedSchema => ({
  schemaId,
  schemaType: 'AVRO',
  schema: '"string"',
  references: [],
  referenced: {},
  usedBy: [{ subject: 'orders-value', version: 1 }],
});

async function cacheFile() {
  return path.join(await mkdtemp(path.join(tmpdir(), 'kd-schema-cache-')), 'c.json');
}

describe('the schema cache is bound to the registry its ids came from', () => {
  it('kept for the same registry (a URL in common, a trailing slash aside), across restarts', async () => {
    const file = await cacheFile();
    const a = new SchemaCache(file);
    await a.useWith(['http://sr-1:8081']);
    await a.put([schema(7)]);
    const b = new SchemaCache(file);
    await b.useWith(['http://sr-2:8081', 'http://sr-1:8081/']);
    expect(b.get(7)?.usedBy[0]?.subject).toBe('orders-value');
  });

  it('dropped, in memory and in the file, when the connection now points at another registry', async () => {
    const file = await cacheFile();
    const a = new SchemaCache(file);
    await a.useWith(['http://old:8081']);
    await a.put([schema(7)]);
    const b = new SchemaCache(file);
    await b.useWith(['http://new:8081']);
    expect(b.get(7)).toBeUndefined();
    const doc = JSON.parse(await readFile(file, 'utf8')) as { registry: string[]; schemas: unknown[] };
    expect(doc).toMatchObject({ registry: ['http://new:8081'], schemas: [] });
    // and stays usable: what the new registry gives is kept
    await b.put([schema(3)]);
    const c = new SchemaCache(file);
    await c.useWith(['http://new:8081']);
    expect(c.get(3)).toBeDefined();
  });

  it('a file from before its origin was recorded is kept, then recorded', async () => {
    const file = await cacheFile();
    await writeFile(file, JSON.stringify({ schemaVersion: 1, schemas: [schema(5)] }));
    const c = new SchemaCache(file);
    await c.useWith(['http://sr:8081']);
    expect(c.get(5)).toBeDefined();
    await c.put([schema(6)]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ registry: ['http://sr:8081'] });
  });
});
