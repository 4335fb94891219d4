import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../core/coreError';
import { entityOf, filterOf, valuesOf } from './quotaCommands';
import { firstLine, mechanismOf } from './userCommands';

describe('users: the flags', () => {
  it('a mechanism in any usual spelling', () => {
    for (const t of ['scram-sha-512', 'SCRAM-SHA-512', 'sha512', 'SHA-512'])
      expect(mechanismOf(t)).toBe('SCRAM-SHA-512');
    expect(mechanismOf('scram-sha-256')).toBe('SCRAM-SHA-256');
    expect(() => mechanismOf('plain')).toThrow(/--mechanism plain: one of scram-sha-256, scram-sha-512\./);
  });

  it('a piped password: the first line, without its line end; a terminal gives none', async () => {
    const piped = (text: string) => Object.assign(Readable.from([Buffer.from(text)]), { isTTY: false });
    expect(await firstLine(piped('s3cret\r\nnext line\n') as unknown as NodeJS.ReadStream)).toBe('s3cret');
    expect(await firstLine(piped('no newline') as unknown as NodeJS.ReadStream)).toBe('no newline');
    expect(await firstLine(piped('') as unknown as NodeJS.ReadStream)).toBe('');
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    expect(await firstLine(tty as unknown as NodeJS.ReadStream)).toBeNull();
  });
});

describe('quotas: the flags', () => {
  it('KEY=VALUE pairs: Kafka’s keys (dashes taken for underscores), numbers only', () => {
    expect(valuesOf(['producer_byte_rate=1048576', 'request-percentage=12.5'])).toEqual({
      producer_byte_rate: 1048576,
      request_percentage: 12.5,
    });
    expect(() => valuesOf(['producer_byte_rate'])).toThrow(/write KEY=VALUE/);
    expect(() => valuesOf(['producer_byte_rate='])).toThrow(/the value is not a number/);
    expect(() => valuesOf(['producer_byte_rate=fast'])).toThrow(/the value is not a number/);
    expect(() => valuesOf(['fetch_rate=1'])).toThrow(CoreError);
  });

  it('the entity: names, defaults, a user with a client id; a name and its default together refused', () => {
    expect(entityOf({ user: 'alice', clientDefault: true })).toEqual({ user: 'alice', clientId: null });
    expect(entityOf({ ipDefault: true })).toEqual({ ip: null });
    expect(() => entityOf({})).toThrow(/Name the entity/);
    expect(() => entityOf({ user: 'a', userDefault: true })).toThrow(/Use one of --user and --user-default\./);
  });

  it('the list filter: a name exact, a default as the default, nothing: every entity', () => {
    expect(filterOf({})).toEqual({ strict: false });
    expect(filterOf({ user: 'alice', strict: true })).toEqual({
      user: { match: 'exact', name: 'alice' },
      strict: true,
    });
    expect(filterOf({ clientDefault: true })).toEqual({ clientId: { match: 'default' }, strict: false });
  });
});
