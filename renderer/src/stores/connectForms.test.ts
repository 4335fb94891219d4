import { describe, expect, it } from 'vitest';
import type { ConfigField, ConnectCluster, ConnectorSummary } from '../../../electron/contract';
import {
  clusterForm,
  clusterInput,
  draftFromConnector,
  filterConnectors,
  parseOffsets,
  plainHttpWithAuth,
  stateCounts,
  templateConfig,
  validationConfig,
} from './connectForms';

const saved: ConnectCluster = {
  id: 'cluster-0001',
  connectionId: 'conn',
  name: 'Connect',
  urls: ['https://a:8083', 'https://b:8083'],
  username: 'u',
  passwordSet: true,
  ca: null,
  clientCert: null,
  clientKey: null,
  verify: false,
  timeoutMs: 5000,
  allowPlainHttp: false,
};

describe('Kafka Connect: the cluster dialog, the connector list and the editor as the screens ask for them', () => {
  it('starts a new cluster on this machine, and an existing one from what is saved (no password, files kept)', () => {
    expect(clusterForm('new')).toEqual({
      name: 'Connect',
      urls: 'http://localhost:8083',
      username: '',
      password: '',
      verify: true,
      timeoutMs: 15_000,
      allowPlainHttp: false,
      ca: undefined,
      clientCert: undefined,
      clientKey: undefined,
    });
    expect(clusterForm(saved)).toMatchObject({
      urls: 'https://a:8083\nhttps://b:8083',
      username: 'u',
      password: '',
      verify: false,
      timeoutMs: 5000,
      ca: undefined,
    });
  });

  it('keeps a stored password unless one is typed; sends a file only when it changed', () => {
    const form = { ...clusterForm(saved), urls: 'https://a:8083, https://c:8083\n' };
    expect(clusterInput(form, saved, 'conn')).toEqual({
      id: 'cluster-0001',
      connectionId: 'conn',
      name: 'Connect',
      urls: ['https://a:8083', 'https://c:8083'],
      username: 'u',
      verify: false,
      timeoutMs: 5000,
      allowPlainHttp: false,
    });
    expect(clusterInput({ ...form, password: 'p', ca: null }, saved, 'conn')).toMatchObject({
      password: 'p',
      ca: null,
    });
    // a new cluster always sends its password (empty: none)
    expect(clusterInput(clusterForm('new'), 'new', 'conn')).toMatchObject({ password: '' });
    expect(clusterInput(clusterForm('new'), 'new', 'conn')).not.toHaveProperty('id');
  });

  it('allows plain HTTP only where it is asked about: basic auth to an http:// URL', () => {
    expect(plainHttpWithAuth({ username: 'u', urls: 'https://a HTTP://b' })).toBe(true);
    expect(plainHttpWithAuth({ username: ' ', urls: 'http://b' })).toBe(false);
    expect(plainHttpWithAuth({ username: 'u', urls: 'https://a' })).toBe(false);
    const form = { ...clusterForm('new'), allowPlainHttp: true };
    expect(clusterInput(form, 'new', 'c').allowPlainHttp).toBe(false);
    expect(clusterInput({ ...form, username: 'u' }, 'new', 'c').allowPlainHttp).toBe(true);
  });

  it('filters connectors by state (FAILED finds failed tasks too) and by name or plugin, and counts each state', () => {
    const c = (name: string, state: ConnectorSummary['state'], tasksFailed = 0, className = 'org.X') =>
      ({ name, state, tasksFailed, className }) as ConnectorSummary;
    const list = [c('a', 'RUNNING'), c('b', 'RUNNING', 1), c('c', 'FAILED', 0, 'io.debezium.Pg'), c('d', 'PAUSED')];
    expect(filterConnectors(list, 'ALL', '').map((x) => x.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(filterConnectors(list, 'FAILED', '').map((x) => x.name)).toEqual(['b', 'c']);
    expect(filterConnectors(list, 'RUNNING', 'B').map((x) => x.name)).toEqual(['b']);
    expect(filterConnectors(list, 'ALL', 'debezium').map((x) => x.name)).toEqual(['c']);
    expect(Object.fromEntries(stateCounts(list))).toEqual({ RUNNING: 2, FAILED: 2, PAUSED: 1 });
  });

  it('reads offsets as a non-empty JSON list, or says what is wrong', () => {
    expect(parseOffsets('[{"partition": {"p": 1}, "offset": null}]')).toEqual({
      offsets: [{ partition: { p: 1 }, offset: null }],
    });
    expect(parseOffsets('[')).toMatchObject({ error: expect.stringMatching(/^Not valid JSON: /) });
    expect(parseOffsets('[]')).toMatchObject({ error: expect.stringMatching(/^Give a list of/) });
    expect(parseOffsets('{}')).toMatchObject({ error: expect.stringMatching(/^Give a list of/) });
  });

  it("starts from a plugin's template: its required settings with their defaults, and one task", () => {
    const f = (name: string, required: boolean, defaultValue: string | null) =>
      ({ name, required, defaultValue }) as ConfigField;
    const fields = [
      f('name', true, null),
      f('topics', true, null),
      f('batch.size', true, '100'),
      f('optional', false, 'x'),
      f('kept', true, 'd'),
    ];
    expect(templateConfig({ kept: 'mine' }, 'org.Sink', fields)).toEqual({
      kept: 'mine',
      'connector.class': 'org.Sink',
      topics: '',
      'batch.size': '100',
      'tasks.max': '1',
    });
    expect(templateConfig({ 'connector.class': 'old', 'tasks.max': '4' }, 'org.Sink', [])).toEqual({
      'connector.class': 'org.Sink',
      'tasks.max': '4',
    });
    // the worker did not answer: only the class
    expect(templateConfig({}, 'org.Sink', null)).toEqual({ 'connector.class': 'org.Sink' });
    expect(validationConfig({ a: '1' }, '')).toEqual({ a: '1', name: 'new-connector' });
    expect(validationConfig({ a: '1' }, 'mine')).toEqual({ a: '1', name: 'mine' });
  });

  it('edits or clones a connector from its config without its name, and knows its plugin', () => {
    expect(draftFromConnector({ name: 'x', 'connector.class': 'org.Sink', topics: 't' })).toEqual({
      text: JSON.stringify({ 'connector.class': 'org.Sink', topics: 't' }, null, 2),
      plugin: 'org.Sink',
    });
    expect(draftFromConnector({ name: 'x' }).plugin).toBeNull();
  });
});
