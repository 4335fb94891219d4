import { describe, expect, it } from 'vitest';
import { registryTemplates, type SchemaRegistry, type SubjectSummary } from '../../../electron/contract';
import {
  applyRegistryTemplate,
  compatibilityLabel,
  deleteSteps,
  draftTemplate,
  emptyReferenceRow,
  fieldMessage,
  filterSubjects,
  plainHttpWithSecret,
  prettySchema,
  referenceFormErrors,
  referenceRows,
  referenceSubjectOptions,
  referenceSubjects,
  registryForm,
  registryInput,
  resolveReferences,
} from './schemaForms';

const saved: SchemaRegistry = {
  connectionId: 'conn',
  urls: ['https://a:8081', 'https://b:8081'],
  username: 'KEY',
  passwordSet: true,
  bearerTokenSet: true,
  ca: null,
  clientCert: null,
  clientKey: null,
  verify: false,
  timeoutMs: 5000,
  allowPlainHttp: false,
};

const subject = (s: string, extra: Partial<SubjectSummary> = {}): SubjectSummary => ({
  subject: s,
  latestVersion: 1,
  schemaId: 1,
  schemaType: 'AVRO',
  compatibility: null,
  deleted: false,
  ...extra,
});

describe('the Schema Registry dialog: the fields as saved, and what is sent', () => {
  it('starts a new registry on localhost:8081 with nothing secret, and an existing one with its URLs one per line', () => {
    expect(registryForm(null)).toMatchObject({
      urls: 'http://localhost:8081',
      username: '',
      password: '',
      verify: true,
    });
    expect(registryForm(saved)).toMatchObject({
      urls: 'https://a:8081\nhttps://b:8081',
      username: 'KEY',
      verify: false,
      timeoutMs: 5000,
    });
  });

  it('keeps the stored password and token when nothing is typed, and sends what is typed', () => {
    const form = registryForm(saved);
    const kept = registryInput(form, saved, 'conn');
    expect(kept).not.toHaveProperty('password');
    expect(kept).not.toHaveProperty('bearerToken');
    expect(kept).not.toHaveProperty('ca');
    expect(kept.urls).toEqual(['https://a:8081', 'https://b:8081']);
    const typed = registryInput({ ...form, password: 'secret', bearerToken: 'tok' }, saved, 'conn');
    expect(typed).toMatchObject({ password: 'secret', bearerToken: 'tok' });
  });

  it('clears the stored password when the user is cleared, and the token when asked', () => {
    const input = registryInput({ ...registryForm(saved), username: ' ', clearBearerToken: true }, saved, 'conn');
    expect(input).toMatchObject({ username: '', password: '', bearerToken: '' });
  });

  it('asks about plain HTTP only when a secret would go to an http:// URL, and sends the consent only then', () => {
    const open = { ...registryForm(null), urls: 'http://127.0.0.1:18081', allowPlainHttp: true };
    expect(plainHttpWithSecret(open, null)).toBe(false);
    expect(registryInput(open, null, 'conn').allowPlainHttp).toBe(false);
    const auth = { ...open, username: 'admin', password: 'pw' };
    expect(plainHttpWithSecret(auth, null)).toBe(true);
    expect(registryInput(auth, null, 'conn').allowPlainHttp).toBe(true);
    expect(plainHttpWithSecret({ ...open, bearerToken: 't' }, null)).toBe(true);
    // a token removed no longer counts
    const http = { ...saved, urls: ['http://x:8081'], username: '', passwordSet: false };
    expect(plainHttpWithSecret({ ...registryForm(http), clearBearerToken: true }, http)).toBe(false);
  });

  it("finds the core's message for a field and for its items", () => {
    const fields = [
      { path: 'urls.1', message: 'not an http(s) URL' },
      { path: 'password', message: 'enter the password again' },
    ];
    expect(fieldMessage(fields, 'urls')).toBe('not an http(s) URL');
    expect(fieldMessage(fields, 'password')).toBe('enter the password again');
    expect(fieldMessage(fields, 'username')).toBeUndefined();
    expect(fieldMessage(undefined, 'urls')).toBeUndefined();
  });

  const tpl = (id: string) => {
    const t = registryTemplates.find((x) => x.id === id);
    if (!t) throw new Error(`no template ${id}`);
    return t;
  };

  it('fills a template over the default and over another template, and keeps what the user typed', () => {
    const form = { ...registryForm(null), password: 'typed secret', timeoutMs: 9000 };
    expect(applyRegistryTemplate(form, tpl('confluent-cloud'))).toEqual({ urls: false, username: false });
    expect(form).toMatchObject({
      urls: 'https://psrc-xxxxx.region.provider.confluent.cloud',
      username: '',
      password: 'typed secret',
      timeoutMs: 9000,
    });
    expect(applyRegistryTemplate(form, tpl('aiven'))).toEqual({ urls: false, username: false });
    expect(form).toMatchObject({ urls: 'https://SERVICE-PROJECT.aivencloud.com:13044', username: 'avnadmin' });

    const typed = { ...registryForm(null), urls: ' https://sr.example.com ', username: 'alice' };
    expect(applyRegistryTemplate(typed, tpl('aiven'))).toEqual({ urls: true, username: true });
    expect(typed).toMatchObject({ urls: ' https://sr.example.com ', username: 'alice' });
    // a template without a fixed user never clears one (a saved password goes with it)
    const saving = registryForm(saved);
    expect(applyRegistryTemplate(saving, tpl('local'))).toEqual({ urls: true, username: false });
    expect(saving).toMatchObject({ urls: 'https://a:8081\nhttps://b:8081', username: 'KEY' });
  });
});

describe('the Subjects screen', () => {
  it("shows the registry's default for a subject without its own level", () => {
    expect(compatibilityLabel('FULL', 'BACKWARD')).toBe('FULL');
    expect(compatibilityLabel(null, 'BACKWARD')).toBe('default (BACKWARD)');
    expect(compatibilityLabel(null, null)).toBe('default (unknown)');
  });

  it('searches by name, case-insensitively, and hides soft-deleted subjects unless asked', () => {
    const list = [subject('Orders-value'), subject('orders-key', { deleted: true }), subject('payments-value')];
    expect(filterSubjects(list, 'ORDERS', false).map((s) => s.subject)).toEqual(['Orders-value']);
    expect(filterSubjects(list, 'orders', true).map((s) => s.subject)).toEqual(['Orders-value', 'orders-key']);
    expect(filterSubjects(list, '  ', false)).toHaveLength(2);
  });

  it('indents Avro and JSON Schema, leaves a .proto and text that is not JSON as they are', () => {
    expect(prettySchema('AVRO', '{"type":"string"}')).toBe('{\n  "type": "string"\n}');
    expect(prettySchema('PROTOBUF', 'syntax = "proto3";')).toBe('syntax = "proto3";');
    expect(prettySchema('JSON', '{not json')).toBe('{not json');
  });

  it('drafts a first version named after the subject, valid for its type', () => {
    const avro = JSON.parse(draftTemplate('AVRO', 'orders-value')) as { name: string; type: string };
    expect(avro).toMatchObject({ type: 'record', name: 'Orders' });
    expect(JSON.parse(draftTemplate('AVRO', '9-lives.x-key'))).toMatchObject({ name: '_9_lives_x' });
    expect(draftTemplate('PROTOBUF', 'orders-value')).toContain('message Orders {');
    expect(JSON.parse(draftTemplate('JSON', 'orders-value'))).toMatchObject({ title: 'Orders', type: 'object' });
  });

  it('deletes permanently only after a soft delete (the registry refuses otherwise)', () => {
    expect(deleteSteps(false, false)).toEqual([false]);
    expect(deleteSteps(true, false)).toEqual([false, true]);
    expect(deleteSteps(true, true)).toEqual([true]);
  });
});

describe("a draft's references: the rows typed, checked, and resolved to what the registry takes", () => {
  const row = (name: string, subject: string, version = 'latest') => ({ name, subject, version });

  it("starts from a version's references (a draft from it keeps them), and a new row asks for the latest", () => {
    expect(referenceRows([{ name: 'shop.Money', subject: 'money', version: 3 }])).toEqual([
      row('shop.Money', 'money', '3'),
    ]);
    expect(emptyReferenceRow()).toEqual(row('', '', 'latest'));
  });

  it('tells an empty or repeated name, a missing subject and a version that is no number, each on its row', () => {
    const errors = referenceFormErrors([
      row(' ', 'money'),
      row('shop.Money', '', '0'),
      row('shop.Money', 'other', 'v2'),
      row('other.proto', 'bad\u0007subject', '-1'),
      row('b.proto', 'b', ' LATEST '),
      row('c.proto', 'c', ' 12 '),
    ]);
    expect(errors[0]).toEqual({ name: 'Enter the name the schema uses for it.' });
    expect(errors[1]).toEqual({
      subject: 'Choose the subject that holds it.',
      version: 'A version number (1, 2, …) or latest.',
    });
    expect(errors[2]).toEqual({
      name: 'Named in an earlier row too: each name refers to one schema.',
      version: 'A version number (1, 2, …) or latest.',
    });
    expect(errors[3]).toEqual({
      subject: 'A subject name has no control characters.',
      version: 'A version number (1, 2, …) or latest.',
    });
    expect(errors[4]).toEqual({});
    expect(errors[5]).toEqual({});
  });

  it('reads the versions only of subjects the form accepts, each once', () => {
    expect(
      referenceSubjects([row('a', ' money '), row('b', 'money', '2'), row('c', ''), row('d', 'x', 'nope')]),
    ).toEqual(['money']);
  });

  it("resolves 'latest' to the subject's latest version number and trims what was typed", () => {
    const versions = new Map([
      ['money', [1, 2, 4]],
      ['address', [1]],
    ]);
    expect(resolveReferences([row(' shop.Money ', 'money'), row('shop.Address', ' address ', '1')], versions)).toEqual({
      ok: true,
      references: [
        { name: 'shop.Money', subject: 'money', version: 4 },
        { name: 'shop.Address', subject: 'address', version: 1 },
      ],
    });
    expect(resolveReferences([], new Map())).toEqual({ ok: true, references: [] });
  });

  it('refuses a subject the registry does not serve and a version it does not hold, next to the row; the form errors stay', () => {
    const versions = new Map<string, number[] | null>([
      ['money', [1, 2]],
      ['gone', null],
      ['empty', []],
    ]);
    const r = resolveReferences(
      [row('a', 'money', '3'), row('b', 'gone'), row('c', 'empty', '1'), row('', 'unread'), row('e', 'money', '2')],
      versions,
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        { version: "'money' has no version 3 (it has 1, 2)." },
        { subject: "The registry has no subject 'gone'." },
        { subject: "The registry has no subject 'empty'." },
        { name: 'Enter the name the schema uses for it.', subject: "The registry has no subject 'unread'." },
        {},
      ],
    });
  });

  it("offers the registry's live subjects holding the text typed, not the draft's own", () => {
    const list = [
      subject('money-value'),
      subject('Money-key'),
      subject('old-money', { deleted: true }),
      subject('invoice'),
    ];
    expect(referenceSubjectOptions(list, 'MONEY', 'invoice')).toEqual(['money-value', 'Money-key']);
    expect(referenceSubjectOptions(list, '', 'invoice')).toEqual(['money-value', 'Money-key']);
    expect(referenceSubjectOptions(list, '', 'x', 1)).toEqual(['money-value']);
  });
});
