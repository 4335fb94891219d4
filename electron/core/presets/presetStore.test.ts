import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PresetInput } from '../../contract';
import { fillVariables, PresetStore, variablesOf } from './presetStore';

const consumePreset = (name: string) =>
  PresetInput.parse({
    name,
    connectionName: 'local',
    operation: {
      kind: 'consume',
      input: { topic: 'orders-{{region}}', start: { from: 'group', groupId: '{{ group }}' }, max: 10 },
    },
  });

describe('presets', () => {
  it('finds {{variables}} and fills them; a missing one is named', () => {
    const op = consumePreset('x').operation;
    expect(variablesOf(op)).toEqual(['region', 'group']);
    expect(fillVariables(op, { region: 'eu', group: 'billing' })).toMatchObject({
      input: { topic: 'orders-eu', start: { groupId: 'billing' } },
    });
    expect(() => fillVariables(op, { region: 'eu' })).toThrow('This preset needs a value for {{group}}.');
  });

  it('saves atomically with a schema version, refuses a duplicate name, exports and imports without ids', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-presets-'));
    const store = new PresetStore(dir);
    const saved = await store.save(consumePreset('EU orders'));
    expect(saved.variables).toEqual(['region', 'group']);
    expect(JSON.parse(await readFile(path.join(dir, 'presets.json'), 'utf8')).schemaVersion).toBe(1);
    await expect(store.save(consumePreset('eu ORDERS'))).rejects.toMatchObject({ code: 'CONFLICT' });
    const { json } = await store.exportJson();
    expect(json).not.toContain(saved.id);
    const other = new PresetStore(await mkdtemp(path.join(tmpdir(), 'kafka-desk-presets-')));
    expect(await other.importJson(json)).toEqual({ imported: ['EU orders'], skipped: [] });
    expect(await other.importJson(json)).toEqual({
      imported: [],
      skipped: [{ name: 'EU orders', reason: 'a preset with this name already exists' }],
    });
    expect((await other.findByName('eu orders')).operation).toEqual(saved.operation);
    await expect(other.importJson('{"presets": [{"name": "bad"}]}')).resolves.toMatchObject({
      imported: [],
      skipped: [{ name: 'bad' }],
    });
  });
});
