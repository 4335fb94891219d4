import type { Connection, FileInfo, SaslView } from '../../contract';
import { mapSasl, type OwnBlock } from './sasl';
import type { StoredConnection, StoredFile, StoredKerberos, StoredSasl } from './storedConnection';

/** A saved connection as the renderer sees it: whether each secret is set, never the secret or a file's place. */
export function toView(c: StoredConnection): Connection {
  const info = (f: StoredFile | null): FileInfo | null => (f ? { name: f.name, size: f.size, sha256: f.sha256 } : null);
  return {
    id: c.id,
    maxMessageBytes: c.maxMessageBytes,
    name: c.name,
    color: c.color,
    environment: c.environment,
    readOnly: c.readOnly,
    bootstrapServers: c.bootstrapServers,
    clientId: c.clientId,
    sasl: mapSasl<StoredSasl, SaslView>(
      c.sasl,
      { username: c.sasl.username, passwordSet: c.sasl.password !== null },
      { oauth: (o) => o, aws: (a) => a, kerberos: (k) => k && kerberosView(k) },
    ),
    tls: {
      enabled: c.tls.enabled,
      verify: c.tls.verify,
      verifyHostname: c.tls.verifyHostname,
      ca: info(c.tls.ca),
      clientCert: info(c.tls.clientCert),
      clientKey: info(c.tls.clientKey),
      pkcs12: info(c.tls.pkcs12),
      pkcs12PasswordSet: c.tls.pkcs12Password !== null,
    },
    timeouts: c.timeouts,
    reconnect: c.reconnect,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A stored Kerberos setup as the renderer sees it: the keytab's principals and the krb5.conf's realms, never the files' places. */
function kerberosView(k: StoredKerberos): NonNullable<OwnBlock<SaslView, 'kerberos'>> {
  return {
    principal: k.principal,
    serviceName: k.serviceName,
    credentials: k.credentials,
    keytab: k.keytab
      ? { name: k.keytab.name, size: k.keytab.size, sha256: k.keytab.sha256, principals: k.keytab.principals }
      : null,
    krb5Conf: k.krb5Conf
      ? {
          name: k.krb5Conf.name,
          size: k.krb5Conf.size,
          sha256: k.krb5Conf.sha256,
          defaultRealm: k.krb5Conf.defaultRealm,
          realms: k.krb5Conf.realms,
          includes: k.krb5Conf.includes.map((l) => ({ line: l.line, text: l.text })),
          loadsCode: k.krb5Conf.loadsCode.map((l) => ({ line: l.line, text: l.text })),
        }
      : null,
    ticketCache: k.ticketCache,
  };
}

/** A saved connection as shareable JSON holds it: no passwords, no keys, no file contents (only their names). */
export function toExported(c: StoredConnection) {
  return {
    name: c.name,
    color: c.color,
    environment: c.environment,
    readOnly: c.readOnly,
    bootstrapServers: c.bootstrapServers,
    clientId: c.clientId,
    sasl: {
      mechanism: c.sasl.mechanism,
      username: c.sasl.username,
      ...(c.sasl.kerberos
        ? {
            kerberos: {
              principal: c.sasl.kerberos.principal,
              serviceName: c.sasl.kerberos.serviceName,
              credentials: c.sasl.kerberos.credentials,
              keytab: c.sasl.kerberos.keytab?.name ?? null,
              krb5Conf: c.sasl.kerberos.krb5Conf?.name ?? null,
            },
          }
        : {}),
    },
    tls: {
      enabled: c.tls.enabled,
      verify: c.tls.verify,
      ca: c.tls.ca?.name ?? null,
      clientCert: c.tls.clientCert?.name ?? null,
      clientKey: c.tls.clientKey?.name ?? null,
    },
    timeouts: c.timeouts,
    reconnect: c.reconnect,
    maxMessageBytes: c.maxMessageBytes,
  };
}
