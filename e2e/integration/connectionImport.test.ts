import { beforeAll, describe, expect, it } from 'vitest';
import type { Connection, ConnectionImportResult } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { freshCore, listenerInputs, pemUpload, readCluster, type ClusterInfo } from './support';

let k: ClusterInfo;
let core: Core;
beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
});

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}
/** The saved connection, minus what differs between any two saves (id, name, dates, file names). */
const comparable = (c: Connection) => ({
  ...c,
  id: undefined,
  name: undefined,
  createdAt: undefined,
  updatedAt: undefined,
  tls: {
    ...c.tls,
    ca: c.tls.ca?.sha256 ?? null,
    clientCert: c.tls.clientCert?.sha256 ?? null,
    clientKey: c.tls.clientKey?.sha256 ?? null,
  },
});

describe('import gives the same connection as typing it', () => {
  it('a Java .properties file for the SCRAM listener', async () => {
    const typed = await call<Connection>('connections.save', {
      ...(await listenerInputs(k))['SCRAM-SHA-256'],
      name: 'typed',
      color: 'none',
      clientId: 'kafka-desk',
      timeouts: undefined,
    });
    const props = [
      `bootstrap.servers=${k.listeners.sasl}`,
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=SCRAM-SHA-256',
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${k.users.scram256.username}" password="${k.users.scram256.password}";`,
    ].join('\n');
    const imported = await call<ConnectionImportResult>('connections.import', {
      format: 'java-properties',
      text: props,
      name: 'imported',
    });
    expect(imported.unmapped).toEqual([]);
    const saved = await call<Connection>('connections.save', imported.connection);
    expect(comparable(saved)).toEqual(comparable(typed));
    expect(await call('connections.test', { id: saved.id })).toMatchObject({ clusterId: k.clusterId });
  });

  it('a kcat config for the mutual-TLS listener, with the files the user then picks', async () => {
    const typed = await call<Connection>('connections.save', {
      ...(await listenerInputs(k))['mutual TLS'],
      name: 'typed-mtls',
      color: 'none',
      clientId: 'kafka-desk',
      timeouts: undefined,
    });
    const conf = `bootstrap.servers=${k.listeners.mtls}\nsecurity.protocol=ssl\nssl.ca.location=${k.tls.ca}\nssl.certificate.location=${k.tls.clientCert}\nssl.key.location=${k.tls.clientKey}\n`;
    const imported = await call<ConnectionImportResult>('connections.import', {
      format: 'kcat',
      text: conf,
      name: 'imported-mtls',
    });
    expect(imported.unmapped).toEqual([]);
    expect(imported.files).toEqual([
      { slot: 'ca', key: 'ssl.ca.location', path: k.tls.ca },
      { slot: 'clientCert', key: 'ssl.certificate.location', path: k.tls.clientCert },
      { slot: 'clientKey', key: 'ssl.key.location', path: k.tls.clientKey },
    ]);
    // the user picks the named files (upload / dialog)
    for (const f of imported.files) if (f.slot !== 'keytab') imported.connection.tls[f.slot] = await pemUpload(f.path);
    const saved = await call<Connection>('connections.save', imported.connection);
    expect(comparable(saved)).toEqual(comparable(typed));
    expect(await call('connections.test', { id: saved.id })).toMatchObject({ clusterId: k.clusterId });
  });
});
