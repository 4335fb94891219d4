import { describe, expect, it } from 'vitest';
import { ConfigsAlterInput, type DescribedConfig } from '../../../electron/contract';
import {
  alterInput,
  editability,
  nameProblem,
  resourceFromParam,
  resourceParam,
  shownConfigs,
  synonymsLine,
} from './configForms';

const id = '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f';
const cfg = (over: Partial<DescribedConfig>): DescribedConfig => ({
  name: 'log.cleaner.threads',
  value: '1',
  source: 'DEFAULT_CONFIG',
  readOnly: false,
  sensitive: false,
  type: 'INT',
  documentation: null,
  synonyms: [],
  ...over,
});

describe('broker config screen', () => {
  it('the route names a broker by id, or the cluster default; anything else is no resource', () => {
    expect(resourceFromParam('3')).toEqual({ type: 'broker', brokerId: 3 });
    expect(resourceFromParam('default')).toEqual({ type: 'cluster-default' });
    for (const bad of ['-1', '1.5', 'x', '', '99999999999']) expect(resourceFromParam(bad)).toBeNull();
    expect(resourceParam({ type: 'cluster-default' })).toBe('default');
    expect(resourceParam({ type: 'broker', brokerId: 2 })).toBe('2');
  });

  it('shows what is set somewhere, the defaults on demand, filtered by name', () => {
    const list = [
      cfg({ name: 'a.b', source: 'DEFAULT_CONFIG' }),
      cfg({ name: 'log.dirs', source: 'STATIC_BROKER_CONFIG', readOnly: true }),
      cfg({ name: 'log.cleaner.threads', source: 'DYNAMIC_BROKER_CONFIG' }),
    ];
    expect(shownConfigs(list, '', false).map((c) => c.name)).toEqual(['log.dirs', 'log.cleaner.threads']);
    expect(shownConfigs(list, 'LOG.', true).map((c) => c.name)).toEqual(['log.dirs', 'log.cleaner.threads']);
    expect(shownConfigs(list, '', true)).toHaveLength(3);
  });

  it('a read-only config says why it cannot change', () => {
    expect(editability(cfg({ readOnly: true }))).toMatchObject({ editable: false, label: 'read-only' });
    expect(editability(cfg({}))).toMatchObject({ editable: true, label: 'dynamic' });
  });

  it('sends only the one key changed, and the contract takes it', () => {
    const set = alterInput(id, { type: 'broker', brokerId: 1 }, ' log.cleaner.threads ', { value: '2' }, false);
    expect(set).toEqual({
      id,
      resource: { type: 'broker', brokerId: 1 },
      set: { 'log.cleaner.threads': '2' },
      validateOnly: false,
    });
    expect(ConfigsAlterInput.safeParse(set).success).toBe(true);
    const del = alterInput(id, { type: 'cluster-default' }, 'log.cleaner.threads', 'delete', true);
    expect(del).toEqual({
      id,
      resource: { type: 'cluster-default' },
      delete: ['log.cleaner.threads'],
      validateOnly: true,
    });
    expect(ConfigsAlterInput.safeParse(del).success).toBe(true);
  });

  it('checks a new key as the contract would', () => {
    expect(nameProblem('')).toMatch(/needed/);
    expect(nameProblem('a b')).toMatch(/only letters/);
    expect(nameProblem('log.cleaner.threads')).toBeNull();
  });

  it('the values under a config, in order, sensitive ones masked', () => {
    expect(
      synonymsLine(
        cfg({
          synonyms: [
            { name: 'x', value: '16000', source: 'DYNAMIC_BROKER_CONFIG' },
            { name: 'x', value: '15000', source: 'DEFAULT_CONFIG' },
          ],
        }),
      ),
    ).toBe('this broker: 16000 → Kafka default: 15000');
    expect(
      synonymsLine(
        cfg({ sensitive: true, value: null, synonyms: [{ name: 'p', value: null, source: 'STATIC_BROKER_CONFIG' }] }),
      ),
    ).toBe('broker file: (sensitive)');
  });
});
