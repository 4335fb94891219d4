import { describe, expect, it } from 'vitest';
import { ConnectionInput, connectionTemplates, eventHubsInput } from '../../contract';
import { importConnection, parseProperties } from './connectionImport';

describe('parseProperties (Java .properties syntax)', () => {
  it('reads =, : and space separators, comments, continuations and escapes', () => {
    const text = [
      '# a comment',
      '! another',
      'a=1',
      'b : 2',
      'c 3',
      'd=one \\',
      '   two',
      'e=tab\\there',
      'f\\=g=h',
      'uni=\\u00e9',
      '',
    ].join('\n');
    expect(parseProperties(text)).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', 'one two'],
      ['e', 'tab\there'],
      ['f=g', 'h'],
      ['uni', 'é'],
    ]);
  });
});

describe('importConnection from a Java client .properties file', () => {
  it('maps SASL_SSL + SCRAM with a JAAS line, lists what it cannot map', () => {
    const r = importConnection(
      'java-properties',
      [
        'bootstrap.servers=b1:9096,b2:9096',
        'security.protocol=SASL_SSL',
        'sasl.mechanism=SCRAM-SHA-512',
        'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="app" password="p@ss word=1";',
        'ssl.truststore.type=PEM',
        'ssl.truststore.location=/etc/kafka/ca.pem',
        'client.id=billing',
        'request.timeout.ms=45000',
        'max.request.size=5242880',
        'group.id=not-a-connection-thing',
        'max.poll.records=10',
      ].join('\n'),
      'prod',
    );
    expect(r.connection).toMatchObject({
      name: 'prod',
      bootstrapServers: ['b1:9096', 'b2:9096'],
      clientId: 'billing',
      sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'p@ss word=1' },
      tls: { enabled: true, verify: true },
      timeouts: { requestMs: 45_000 },
      maxMessageBytes: 5 * 1024 * 1024,
    });
    expect(r.files).toEqual([{ slot: 'ca', key: 'ssl.truststore.location', path: '/etc/kafka/ca.pem' }]);
    expect(r.unmapped).toEqual([
      { key: 'group.id', reason: 'a producer / consumer setting, not part of a connection' },
      { key: 'max.poll.records', reason: 'no equivalent in Kafka Desk' },
    ]);
    expect(ConnectionInput.safeParse(r.connection).success).toBe(true);
  });

  it('explains how to convert a JKS truststore instead of dropping it', () => {
    const r = importConnection(
      'java-properties',
      'bootstrap.servers=b:9093\nsecurity.protocol=SSL\nssl.truststore.location=/x/truststore.jks\nssl.truststore.password=changeit\n',
    );
    expect(r.files).toEqual([]);
    expect(r.unmapped.find((u) => u.key === 'ssl.truststore.location')?.reason).toMatch(
      /Java keystore \(JKS\).*keytool -importkeystore/,
    );
    expect(r.unmapped.find((u) => u.key === 'ssl.truststore.password')).toBeDefined();
  });

  it('reads a Java GSSAPI client (Krb5LoginModule with a keytab) and a kcat one; the keytab is a file the user picks', () => {
    const java = importConnection(
      'java-properties',
      'bootstrap.servers=b:9093\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=GSSAPI\nsasl.kerberos.service.name=kafka-prod\nsasl.jaas.config=com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true keyTab="/etc/security/app.keytab" principal="app@CORP.EXAMPLE";\n',
    );
    expect(java.connection.sasl).toMatchObject({
      mechanism: 'gssapi',
      kerberos: { principal: 'app@CORP.EXAMPLE', serviceName: 'kafka-prod', credentials: 'keytab' },
    });
    expect(java.files).toEqual([{ slot: 'keytab', key: 'sasl.jaas.config keyTab', path: '/etc/security/app.keytab' }]);
    expect(java.unmapped).toEqual([]);
    const kcat = importConnection(
      'kcat',
      'metadata.broker.list=b:9093\nsecurity.protocol=sasl_ssl\nsasl.mechanisms=GSSAPI\nsasl.kerberos.principal=app@CORP\nsasl.kerberos.keytab=/k/app.keytab\nsasl.kerberos.kinit.cmd=kinit -k\n',
    );
    expect(kcat.connection.sasl).toMatchObject({
      mechanism: 'gssapi',
      kerberos: { principal: 'app@CORP', credentials: 'keytab' },
    });
    expect(kcat.files).toEqual([{ slot: 'keytab', key: 'sasl.kerberos.keytab', path: '/k/app.keytab' }]);
    expect(kcat.unmapped.map((u) => u.key)).toEqual(['sasl.kerberos.kinit.cmd']);
  });

  it('turns an empty endpoint identification algorithm into "skip hostname verification", with a note', () => {
    const r = importConnection(
      'java-properties',
      'bootstrap.servers=b:9093\nsecurity.protocol=SSL\nssl.endpoint.identification.algorithm=\n',
    );
    expect(r.connection.tls).toMatchObject({ enabled: true, verify: true, verifyHostname: false });
    expect(r.notes[0]).toContain('host name will not be checked');
  });

  it('reads the reconnection settings: retries and the reconnect backoff (over retry.backoff.*), clamped, with notes', () => {
    const r = importConnection(
      'java-properties',
      [
        'bootstrap.servers=b:9092',
        'retries=2147483647',
        'retry.backoff.ms=100',
        'reconnect.backoff.ms=50',
        'retry.backoff.max.ms=1000',
        'reconnect.backoff.max.ms=20000',
      ].join('\n'),
    );
    expect(r.connection.reconnect).toEqual({
      retries: 100,
      initialRetryMs: 50,
      maxRetryMs: 20000,
      multiplier: 2,
      listenRestarts: 10,
    });
    expect(r.notes.join(' ')).toContain('retries=2147483647: Kafka Desk retries a failed request at most 100 times');
    expect(r.unmapped).toEqual([]);
    // what the import gives is a connection the core takes
    expect(ConnectionInput.safeParse(r.connection).success).toBe(true);

    const only = importConnection('java-properties', 'bootstrap.servers=b:9092\nretry.backoff.ms=300\nretries=4\n');
    expect(only.connection.reconnect).toMatchObject({ retries: 4, initialRetryMs: 300, maxRetryMs: 2000 });
  });

  it('refuses reconnection values that are not numbers, and raises a longest wait shorter than the first', () => {
    const r = importConnection(
      'kcat',
      'metadata.broker.list=b:9092\nretries=many\nreconnect.backoff.ms=-5\nretry.backoff.ms=5000\nretry.backoff.max.ms=1000\n',
    );
    expect(r.unmapped).toEqual([
      { key: 'retries', reason: 'not a whole number of retries' },
      { key: 'reconnect.backoff.ms', reason: 'not a wait between 0 and 60,000 ms' },
    ]);
    expect(r.connection.reconnect).toMatchObject({ retries: 2, initialRetryMs: 5000, maxRetryMs: 5000 });
    expect(r.notes.join(' ')).toContain('was shorter than the first (5000 ms): it is raised to the first');
  });

  it('reads inline PEM truststore certificates', () => {
    const pem = '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----';
    const r = importConnection(
      'java-properties',
      `bootstrap.servers=b:9093\nsecurity.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.certificates=${pem}\n`,
    );
    expect(r.connection.tls.ca?.content).toBe('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----');
  });
});

describe('importConnection from a kcat configuration', () => {
  it('maps librdkafka names: metadata.broker.list, sasl.mechanisms, sasl.username/password, ssl.*.location', () => {
    const r = importConnection(
      'kcat',
      'metadata.broker.list=b:9093\nsecurity.protocol=sasl_ssl\nsasl.mechanisms=PLAIN\nsasl.username=$ConnectionString\nsasl.password=Endpoint=sb://ns.servicebus.windows.net/;Key=x\nssl.ca.location=/etc/ssl/ca.pem\nssl.certificate.location=/c.pem\nssl.key.location=/k.pem\nenable.ssl.certificate.verification=false\n',
    );
    expect(r.connection).toMatchObject({
      bootstrapServers: ['b:9093'],
      sasl: {
        mechanism: 'plain',
        username: '$ConnectionString',
        password: 'Endpoint=sb://ns.servicebus.windows.net/;Key=x',
      },
      tls: { enabled: true, verify: false },
    });
    expect(r.files.map((f) => f.slot)).toEqual(['ca', 'clientCert', 'clientKey']);
    expect(r.unmapped).toEqual([]);
  });
});

describe('connection templates', () => {
  it('every template is a valid connection form once its placeholders are filled', () => {
    for (const t of connectionTemplates) {
      expect(ConnectionInput.safeParse(t.input).success, t.id).toBe(true);
    }
  });

  it('Event Hubs: namespace from the connection string, SASL_SSL PLAIN on 9093 as $ConnectionString', () => {
    const cs =
      'Endpoint=sb://orders-ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=abc=';
    expect(eventHubsInput(cs)).toEqual({
      name: 'orders-ns',
      bootstrapServers: ['orders-ns.servicebus.windows.net:9093'],
      sasl: { mechanism: 'plain', username: '$ConnectionString', password: cs },
      tls: { enabled: true, verify: true },
      timeouts: { connectionMs: 10_000, requestMs: 60_000, authenticationMs: 10_000 },
    });
  });
});

describe('importConnection: OAUTHBEARER', () => {
  it('maps the OIDC client-credentials settings (Kafka 3.1+ names and the JAAS options)', () => {
    const r = importConnection(
      'java-properties',
      [
        'bootstrap.servers=b:9093',
        'security.protocol=SASL_SSL',
        'sasl.mechanism=OAUTHBEARER',
        'sasl.oauthbearer.token.endpoint.url=https://login.example.com/oauth2/token',
        'sasl.login.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler',
        'sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="app" clientSecret="s3cret" scope="kafka";',
      ].join('\n'),
    );
    expect(r.connection.sasl).toEqual({
      mechanism: 'oauthbearer',
      username: '',
      password: 's3cret',
      oauth: {
        tokenEndpoint: 'https://login.example.com/oauth2/token',
        clientId: 'app',
        scope: 'kafka',
        allowPlainHttp: false,
      },
    });
    expect(r.unmapped).toEqual([]);
  });
});

describe('importConnection: AWS MSK IAM', () => {
  it('maps the aws-msk-iam-auth client settings, region from the broker host name', () => {
    const r = importConnection(
      'java-properties',
      [
        'bootstrap.servers=b-1.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098',
        'security.protocol=SASL_SSL',
        'sasl.mechanism=AWS_MSK_IAM',
        'sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required awsProfileName="analytics";',
        'sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler',
      ].join('\n'),
    );
    expect(r.connection.sasl).toMatchObject({
      mechanism: 'aws-msk-iam',
      aws: { region: 'eu-west-1', credentials: 'profile', profile: 'analytics' },
    });
    expect(r.connection.tls.enabled).toBe(true);
    expect(r.unmapped).toEqual([]);
  });
});
