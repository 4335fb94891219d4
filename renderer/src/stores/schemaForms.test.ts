import { describe, expect, it } from 'vitest';
import { registryTemplates, type SchemaRegistry, type SubjectSummary } from '../../../electron/contract';
import {
  applyRegistryTemplate,
  compatibilityLabel,
  deleteSteps,
  draftTemplate,
  fieldMessage,
  filterSubjects,
  plainHttpWithSecret,
  prettySchema,
  registryForm,
  registryInput,
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
