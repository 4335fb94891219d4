import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLevel } from './schemaCommands';
import {
  importFolder,
  parseReference,
  parseVersion,
  produceSchemaPlan,
  registryFromFlags,
  schemaTypeOf,
  undecodableLine,
} from './schemaOptions';
import { messageLine } from './terminalText';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u001b\u0007]/;

describe('--schema-registry and its auth flags', () => {
  it('takes repeated and comma-separated URLs in order, without a trailing slash', async () => {
    const r = await registryFromFlags(
      { schemaRegistry: ['https://a.example:8081/, https://b.example:8081', 'http://c.example'] },
      {},
    );
    expect(r?.urls).toEqual(['https://a.example:8081', 'https://b.example:8081', 'http://c.example']);
    expect(r).toMatchObject({ username: '', password: '', verify: true, allowPlainHttp: false });
    expect(r && 'bearerToken' in r).toBe(false);
  });

  it('takes the password and token from the environment when no flag gives them, the flag first', async () => {
    const env = { KAFKA_DESK_REGISTRY_PASSWORD: 'from-env', KAFKA_DESK_REGISTRY_TOKEN: 'tok-env' };
    const fromEnv = await registryFromFlags({ schemaRegistry: ['http://r:8081'], registryUser: 'u' }, env);
    expect(fromEnv).toMatchObject({ username: 'u', password: 'from-env', bearerToken: 'tok-env' });
    const fromFlag = await registryFromFlags(
      { schemaRegistry: ['http://r:8081'], registryPassword: 'flag', registryToken: 'tok' },
      env,
    );
    expect(fromFlag).toMatchObject({ password: 'flag', bearerToken: 'tok' });
  });

  it('is null without --schema-registry (a saved connection keeps its own registry)', async () => {
    expect(await registryFromFlags({ schemaRegistry: [] }, { KAFKA_DESK_REGISTRY_PASSWORD: 'x' })).toBeNull();
  });

  it('refuses a registry auth flag without --schema-registry, naming the flag', async () => {
    await expect(registryFromFlags({ registryUser: 'u' }, {})).rejects.toThrow(
      '--registry-user needs --schema-registry URL.',
    );
    await expect(registryFromFlags({ registryInsecure: true }, {})).rejects.toThrow('--registry-insecure needs');
  });

  it('refuses a URL that is not http(s) or carries a user', async () => {
    await expect(registryFromFlags({ schemaRegistry: ['ftp://r'] }, {})).rejects.toThrow(
      '--schema-registry ftp://r: must be an http(s) URL',
    );
    await expect(registryFromFlags({ schemaRegistry: ['https://me:pw@r'] }, {})).rejects.toThrow('without a user');
  });

  it('reads the TLS files, says which one it cannot read, and wants the key with the certificate', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kd-reg-'));
    await writeFile(path.join(dir, 'ca.pem'), 'CA PEM');
    await writeFile(path.join(dir, 'c.pem'), 'CERT');
    await writeFile(path.join(dir, 'k.pem'), 'KEY');
    const r = await registryFromFlags(
      {
        schemaRegistry: ['https://r'],
        registryCa: path.join(dir, 'ca.pem'),
        registryCert: path.join(dir, 'c.pem'),
        registryKey: path.join(dir, 'k.pem'),
        registryInsecure: true,
        registryAllowPlainHttp: true,
      },
      {},
    );
    expect(r).toMatchObject({ ca: 'CA PEM', cert: 'CERT', key: 'KEY', verify: false, allowPlainHttp: true });
    await expect(
      registryFromFlags({ schemaRegistry: ['https://r'], registryCa: path.join(dir, 'no') }, {}),
    ).rejects.toThrow(`Cannot read ${path.join(dir, 'no')}`);
    await expect(
      registryFromFlags({ schemaRegistry: ['https://r'], registryCert: path.join(dir, 'c.pem') }, {}),
    ).rejects.toThrow('--registry-cert needs --registry-key');
  });
});

describe('schema flags', () => {
  it('--version is a number or latest', () => {
    expect(parseVersion('latest')).toBe('latest');
    expect(parseVersion('3')).toBe(3);
    expect(() => parseVersion('0')).toThrow('--version 0: write a version number');
    expect(() => parseVersion('2.5')).toThrow();
    expect(() => parseVersion('-1', '--value-version')).toThrow('--value-version -1');
  });

  it('--reference name=subject:version, the name may hold / and the subject :', () => {
    expect(parseReference('common/money.proto=money-value:2')).toEqual({
      name: 'common/money.proto',
      subject: 'money-value',
      version: 2,
    });
    expect(parseReference('a=ns:sub:1')).toEqual({ name: 'a', subject: 'ns:sub', version: 1 });
    expect(() => parseReference('money-value:2')).toThrow('write it as name=subject:version');
    expect(() => parseReference('x=s:0')).toThrow();
  });

  it('the schema type comes from --type (any case) or the file name; a .json file must say', () => {
    expect(schemaTypeOf('a.avsc', undefined, '--type')).toBe('AVRO');
    expect(schemaTypeOf('dir/a.PROTO', undefined, '--type')).toBe('PROTOBUF');
    expect(schemaTypeOf('a.json', 'json', '--type')).toBe('JSON');
    expect(() => schemaTypeOf('a.json', undefined, '--value-schema-type')).toThrow(
      'Say --value-schema-type AVRO, PROTOBUF or JSON',
    );
    expect(() => schemaTypeOf('a.avsc', 'thrift', '--type')).toThrow('--type thrift: one of AVRO, PROTOBUF, JSON.');
  });

  it('compatibility levels in any case; default only where it can mean "the registry\'s"', () => {
    expect(parseLevel('backward_transitive', false)).toBe('BACKWARD_TRANSITIVE');
    expect(parseLevel('default', true)).toBeNull();
    expect(() => parseLevel('default', false)).toThrow('default is not a compatibility level');
    expect(() => parseLevel('STRICT', true)).toThrow('one of BACKWARD');
  });

  it('an import folder gives its .proto files by their path inside it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kd-imports-'));
    await mkdir(path.join(dir, 'common'));
    await writeFile(path.join(dir, 'common', 'money.proto'), 'syntax = "proto3";');
    await writeFile(path.join(dir, 'README.md'), 'not a proto');
    expect(await importFolder(dir)).toEqual([{ name: 'common/money.proto', content: 'syntax = "proto3";' }]);
    expect(await importFolder(undefined)).toEqual([]);
    await expect(importFolder(path.join(dir, 'none'))).rejects.toThrow('Cannot read the folder');
  });
});

describe('produce --value-subject / --value-schema-id / --value-schema-file', () => {
  it('a subject, latest unless a version is given', () => {
    expect(produceSchemaPlan({ valueSubject: 'orders-value' }, 'value')).toEqual({
      kind: 'choice',
      choice: { kind: 'subject', subject: 'orders-value', version: 'latest' },
    });
    expect(produceSchemaPlan({ keySubject: 'k', keyVersion: '2', keyMessage: 'shop.Key' }, 'key')).toEqual({
      kind: 'choice',
      choice: { kind: 'subject', subject: 'k', version: 2, messageName: 'shop.Key' },
    });
  });

  it('a schema id alone, or a file that carries it in its wire header', () => {
    expect(produceSchemaPlan({ valueSchemaId: '12' }, 'value')).toEqual({
      kind: 'choice',
      choice: { kind: 'id', schemaId: 12 },
    });
    expect(produceSchemaPlan({ valueSchemaFile: 'o.avsc', valueSchemaId: '7' }, 'value')).toEqual({
      kind: 'file',
      file: 'o.avsc',
      schemaType: 'AVRO',
      schemaId: 7,
    });
  });

  it('the key and the value are separate', () => {
    const flags = { keySchemaFile: 'k.proto', valueSubject: 'v' };
    expect(produceSchemaPlan(flags, 'key')).toMatchObject({ kind: 'file', schemaType: 'PROTOBUF' });
    expect(produceSchemaPlan(flags, 'value')).toMatchObject({ kind: 'choice' });
    expect(produceSchemaPlan({}, 'value')).toBeUndefined();
  });

  it('refuses flags that contradict or lack what they qualify', () => {
    expect(() => produceSchemaPlan({ valueSubject: 's', valueSchemaId: '1' }, 'value')).toThrow(
      'Use one of --value-subject, --value-schema-id or --value-schema-file',
    );
    expect(() => produceSchemaPlan({ keyVersion: '1' }, 'key')).toThrow('--key-version needs --key-subject.');
    expect(() => produceSchemaPlan({ valueSchemaType: 'AVRO' }, 'value')).toThrow(
      '--value-schema-type needs --value-schema-file.',
    );
    expect(() => produceSchemaPlan({ valueMessage: 'M' }, 'value')).toThrow('--value-message needs');
    expect(() => produceSchemaPlan({ valueSchemaId: 'x' }, 'value')).toThrow('--value-schema-id x');
    expect(() => produceSchemaPlan({ valueSchemaId: String(2 ** 31) }, 'value')).toThrow();
  });
});

describe('decoded messages in the text output', () => {
  const base = {
    topic: 'orders',
    partition: 0,
    offset: '5',
    timestamp: '0',
    key: 'k1',
    value: { base64: 'AAAAAAxh' },
    headers: [] as [string, string][],
  };

  it('shows the decoded JSON in place of the bytes, and what decoded it', () => {
    const line = messageLine({
      ...base,
      decoded: { value: { format: 'avro', schemaId: 12, subject: 'orders-value', version: 1, json: '{"id":"a"}' } },
    });
    expect(line).toBe('orders[0] @ 5  key=k1  {"id":"a"}  [avro id 12]\n');
    const both = messageLine({
      ...base,
      decoded: {
        key: { format: 'protobuf', messageName: 'shop.Key', schemaId: 3, json: '{"k":1}' },
        value: { format: 'json-schema', localSchema: 'o.json', json: '{}', invalid: 'id: required' },
      },
    });
    expect(both).toBe(
      'orders[0] @ 5  key={"k":1}  {}  [key: protobuf shop.Key id 3; value: json-schema file o.json, INVALID: id: required]\n',
    );
  });

  it('keeps the bytes and gives the reason when a value did not decode', () => {
    const line = messageLine({
      ...base,
      decoded: { value: { schemaId: 99, error: 'schema id 99 is not in the registry' } },
    });
    expect(line).toBe('orders[0] @ 5  key=k1  base64:AAAAAAxh  [not decoded: schema id 99 is not in the registry]\n');
  });

  it('exploit: decoded text and a reason from the registry cannot drive the terminal', () => {
    const line = messageLine({
      ...base,
      decoded: { value: { format: 'avro', schemaId: 1, json: '{"a":"\u202egnp.exe \u009b2J"}', error: undefined } },
    });
    expect(line).not.toMatch(/[\u202e\u009b]/);
    expect(line).toContain('\\u202e');
    const reason = messageLine({ ...base, decoded: { value: { error: 'bad\u001b]52;c;cGF3bmVk\u0007\nfake line' } } });
    expect(reason).not.toMatch(CONTROL);
    expect(reason.split('\n')).toHaveLength(2); // one line and the final newline
  });

  it('the undecodable summary names the format, the action and the first, escaped', () => {
    const flags = { keyFormat: 'auto', valueFormat: 'avro', onUndecodable: 'skip' } as const;
    expect(undecodableLine(undefined, flags)).toBeNull();
    expect(undecodableLine({ count: 0, action: 'skip' }, flags)).toBeNull();
    expect(
      undecodableLine(
        {
          count: 3,
          action: 'skip',
          first: { topic: 'ord\u001b[2Jers', partition: 0, offset: '5', part: 'value', reason: 'no schema id' },
        },
        flags,
      ),
    ).toBe('3 message(s) were not avro: skipped; the first at ord\\x1b[2Jers[0] offset 5 (its value): no schema id.\n');
  });
});
