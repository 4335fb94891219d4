import { describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../../electron/contract';
import {
  configChange,
  configsHint,
  createTopicInput,
  emptyTopicForm,
  fieldError,
  parseConfigs,
  recordsBefore,
  shownConfigs,
} from './topicForms';

describe('topics: the create dialog and the admin actions as the screen asks for them', () => {
  it('reads configs one name=value per line, skipping blank and # lines', () => {
    expect(parseConfigs('cleanup.policy = compact\n\n# a comment\nretention.ms=86400000\nflag\n a=b=c ')).toEqual([
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'retention.ms', value: '86400000' },
      { name: 'flag', value: '' },
      { name: 'a', value: 'b=c' },
    ]);
  });

  it('creates with the name trimmed and the configs read', () => {
    expect(emptyTopicForm()).toEqual({ name: '', partitions: 3, replicationFactor: 1, configs: '' });
    expect(
      createTopicInput('c1', {
        name: ' orders.v1 ',
        partitions: 6,
        replicationFactor: 3,
        configs: 'retention.ms=1000',
      }),
    ).toEqual({
      id: 'c1',
      name: 'orders.v1',
      partitions: 6,
      replicationFactor: 3,
      configs: [{ name: 'retention.ms', value: '1000' }],
    });
  });

  it('writes millisecond configs as durations under the field, or how to write one', () => {
    expect(configsHint('')).toMatch(/^one name=value per line/);
    expect(configsHint('retention.ms=86400000\ncleanup.policy=compact')).toBe('retention.ms = 1 day');
  });

  it("finds the core's message for a field or anything under it", () => {
    const e = {
      code: 'INVALID_INPUT' as const,
      message: 'no',
      fields: [
        { path: 'configs.retention.ms', message: 'too small' },
        { path: 'name', message: 'taken' },
      ],
    };
    expect(fieldError(e, 'configs')).toBe('too small');
    expect(fieldError(e, 'name')).toBe('taken');
    expect(fieldError(e, 'partitions')).toBeUndefined();
    expect(fieldError(e, 'config')).toBeUndefined();
    expect(fieldError(null, 'name')).toBeUndefined();
  });

  it('shows the configs set, or all, whose name holds the filter', () => {
    const c = (name: string, isDefault: boolean) => ({ name, isDefault }) as ConfigEntry;
    const all = [c('retention.ms', false), c('cleanup.policy', true), c('retention.bytes', true)];
    expect(shownConfigs(all, '', false).map((x) => x.name)).toEqual(['retention.ms']);
    expect(shownConfigs(all, ' RETENTION ', true).map((x) => x.name)).toEqual(['retention.ms', 'retention.bytes']);
  });

  it('changes one config or resets it; deletes all records or up to an offset', () => {
    expect(configChange('retention.ms', '1000', false)).toEqual({ set: [{ name: 'retention.ms', value: '1000' }] });
    expect(configChange('retention.ms', '1000', true)).toEqual({ reset: ['retention.ms'] });
    expect(recordsBefore('all', 2, '10')).toBe('all');
    expect(recordsBefore('partition', 2, ' 10 ')).toEqual([{ partition: 2, offset: '10' }]);
  });
});
