import { describe, expect, it } from 'vitest';
import {
  emptyQuotaForm,
  filterFor,
  formatQuota,
  formEntity,
  formFromEntry,
  keysFor,
  kindOf,
  matchesSearch,
  quotaDraft,
} from './quotaForms';
import { changeForm, credentialLabel, emptyUserForm, userDraft } from './userForms';

describe('the SCRAM user form', () => {
  const filled = { ...emptyUserForm(), name: 'alice', password: 's3cret pässword', confirm: 's3cret pässword' };

  it('a new user: SCRAM-SHA-512 and 4096 iterations unless changed', () => {
    expect(userDraft(filled, 'create')).toEqual({
      input: {
        name: 'alice',
        mechanism: 'SCRAM-SHA-512',
        iterations: 4096,
        password: 's3cret pässword',
        mode: 'create',
      },
    });
  });

  it('each problem at its field, and never the password in one', () => {
    const r = userDraft({ ...filled, name: ' alice', iterations: 1000, password: 'typed', confirm: 'typo' }, 'create');
    expect(r).toEqual({
      problems: {
        name: 'no spaces at the start or the end',
        iterations: "at least 4096 (Kafka's minimum)",
        confirm: 'not the same password',
      },
    });
    expect(JSON.stringify(r)).not.toMatch(/typed|typo/);
    expect(userDraft({ ...filled, iterations: 16385 }, 'create')).toEqual({
      problems: { iterations: "at most 16384 (Kafka's maximum)" },
    });
    expect(userDraft({ ...filled, iterations: null, password: '', confirm: '' }, 'change')).toEqual({
      problems: { iterations: 'required', password: 'cannot be empty' },
    });
    expect(userDraft({ ...filled, name: 'a\u202eb' }, 'create')).toEqual({
      problems: { name: 'no control or bidi characters' },
    });
  });

  it('a new password keeps the mechanism and iterations the user has', () => {
    const user = {
      name: 'bob',
      credentials: [
        { mechanism: 'SCRAM-SHA-256' as const, iterations: 4096 },
        { mechanism: 'SCRAM-SHA-512' as const, iterations: 8192 },
      ],
    };
    expect(changeForm(user, 'SCRAM-SHA-512')).toMatchObject({
      name: 'bob',
      mechanism: 'SCRAM-SHA-512',
      iterations: 8192,
    });
    expect(changeForm(user)).toMatchObject({ mechanism: 'SCRAM-SHA-256', iterations: 4096, password: '' });
    expect(credentialLabel(user.credentials[1]!)).toBe('SCRAM-SHA-512 · 8,192');
  });
});

describe('the quota forms', () => {
  it('the kind filter is Kafka’s filter: any name of the kinds, strict', () => {
    expect(filterFor('all')).toEqual({});
    expect(filterFor('userClient')).toEqual({ user: { match: 'any' }, clientId: { match: 'any' }, strict: true });
    expect(filterFor('ip')).toEqual({ ip: { match: 'any' }, strict: true });
  });

  it('kinds, their keys, and the entity a form names (defaults as null)', () => {
    expect(kindOf({ user: 'a', clientId: null })).toBe('userClient');
    expect(kindOf({ ip: null })).toBe('ip');
    expect(keysFor('ip')).toEqual(['connection_creation_rate']);
    expect(keysFor('clientId')).not.toContain('connection_creation_rate');
    expect(formEntity({ ...emptyQuotaForm('userClient'), user: ' alice ', clientDefault: true })).toEqual({
      user: 'alice',
      clientId: null,
    });
  });

  it('an edit sets the keys changed, removes the keys cleared, and leaves the others alone', () => {
    const entry = {
      entity: { user: 'alice' },
      values: { producer_byte_rate: 1048576, consumer_byte_rate: 2048, request_percentage: 12.5 },
    };
    const form = formFromEntry(entry);
    expect(form.values.producer_byte_rate).toBe('1048576');
    form.values.producer_byte_rate = '2,097,152';
    form.values.consumer_byte_rate = '';
    expect(quotaDraft(form, entry.values)).toEqual({
      alteration: { entity: { user: 'alice' }, set: { producer_byte_rate: 2097152 }, remove: ['consumer_byte_rate'] },
      changes: [
        { key: 'consumer_byte_rate', before: 2048, after: null },
        { key: 'producer_byte_rate', before: 1048576, after: 2097152 },
      ],
    });
  });

  it('problems at the form’s fields: a name missing, a value not a number or not whole, nothing changed', () => {
    const form = { ...emptyQuotaForm('user'), values: { ...emptyQuotaForm().values, producer_byte_rate: '1.5' } };
    expect(quotaDraft(form, {})).toEqual({
      problems: {
        user: 'cannot be empty (leave it out, or ask for the default)',
        'values.producer_byte_rate': 'a whole number',
      },
    });
    expect(quotaDraft({ ...form, values: { ...form.values, producer_byte_rate: 'fast' } }, {})).toEqual({
      problems: { 'values.producer_byte_rate': 'a number' },
    });
    expect(quotaDraft({ ...emptyQuotaForm('ip'), ipDefault: true }, {})).toEqual({
      problems: { values: 'nothing to change' },
    });
    const ip = { ...emptyQuotaForm('ip'), ip: 'db.example.com' };
    ip.values.connection_creation_rate = '10';
    expect(quotaDraft(ip, {})).toEqual({
      problems: { ip: 'an IP address such as 10.0.0.5 (Kafka takes addresses, not host names)' },
    });
  });

  it('values as a person reads them; the search looks in the entity’s label', () => {
    expect(formatQuota('producer_byte_rate', 1048576)).toBe('1 MiB/s');
    expect(formatQuota('consumer_byte_rate', 1500000)).toBe('1,500,000 B/s');
    expect(formatQuota('request_percentage', 12.5)).toBe('12.5 %');
    expect(formatQuota('connection_creation_rate', 30)).toBe('30 connections/s');
    expect(formatQuota('connection_creation_rate', 30, true)).toBe('30/s');
    expect(formatQuota('producer_byte_rate', 2048, true)).toBe('2 KiB/s');
    expect(formatQuota('producer_byte_rate', undefined)).toBe('—');
    expect(formatQuota('some_future_key', 3)).toBe('3');
    const e = { entity: { user: null, clientId: 'billing' }, values: {} };
    expect(matchesSearch(e, 'default user')).toBe(true);
    expect(matchesSearch(e, 'BILL')).toBe(true);
    expect(matchesSearch(e, 'alice')).toBe(false);
  });
});
