import { describe, expect, it } from 'vitest';
import {
  emptyFilterForm,
  emptyFreeForm,
  emptyRecipeForm,
  fieldProblem,
  filterInput,
  freeDraft,
  isFiltered,
  recipeDraft,
  resourceText,
} from './aclForms';

const line = (b: { operation: string; resourceType: string; resourceName: string; patternType: string }) =>
  `${b.operation} ${b.resourceType}:${b.patternType}:${b.resourceName}`;

describe('the ACL filter bar', () => {
  it('an empty bar is the filter of everything; a bare name is a user; blanks are left out', () => {
    expect(filterInput(emptyFilterForm())).toEqual({
      filter: { resourceType: 'ANY', patternType: 'ANY', operation: 'ANY', permission: 'ANY' },
    });
    expect(isFiltered(emptyFilterForm())).toBe(false);
    const form = { ...emptyFilterForm(), principal: ' alice ', resourceName: ' orders ', host: '  ' };
    expect(filterInput(form)).toEqual({
      filter: {
        resourceType: 'ANY',
        patternType: 'ANY',
        operation: 'ANY',
        permission: 'ANY',
        principal: 'User:alice',
        resourceName: 'orders',
      },
    });
    expect(isFiltered(form)).toBe(true);
    expect(isFiltered({ ...emptyFilterForm(), principal: '   ' })).toBe(false);
  });

  it('says what is wrong with a filter the core would refuse', () => {
    expect(filterInput({ ...emptyFilterForm(), resourceName: 'a\u0007b' })).toEqual({
      problem: 'resourceName: no control or bidi characters',
    });
  });
});

describe('the create dialog: recipes and the free form, previewed as bindings', () => {
  it('a prefixed idempotent, transactional producer recipe', () => {
    const d = recipeDraft({
      ...emptyRecipeForm(),
      principal: 'orders-app',
      topic: 'orders.',
      topicPrefixed: true,
      idempotent: true,
      transactionalId: 'orders-tx',
    });
    expect(d.errors).toEqual({});
    expect(d.bindings.map(line)).toEqual([
      'WRITE TOPIC:PREFIXED:orders.',
      'DESCRIBE TOPIC:PREFIXED:orders.',
      'CREATE TOPIC:PREFIXED:orders.',
      'IDEMPOTENT_WRITE CLUSTER:LITERAL:kafka-cluster',
      'WRITE TRANSACTIONAL_ID:LITERAL:orders-tx',
      'DESCRIBE TRANSACTIONAL_ID:LITERAL:orders-tx',
    ]);
    expect(d.bindings.every((b) => b.principal === 'User:orders-app' && b.host === '*')).toBe(true);
  });

  it('a consumer recipe names its missing group, and a topic name Kafka would refuse, at their fields', () => {
    const missing = recipeDraft({ ...emptyRecipeForm(), kind: 'consumer', principal: 'a', topic: 'orders' });
    expect(missing.bindings).toEqual([]);
    expect(Object.keys(missing.errors)).toEqual(['group']);
    const bad = recipeDraft({ ...emptyRecipeForm(), kind: 'consumer', principal: 'a', topic: 'my topic', group: 'g' });
    expect(bad.errors.topic).toMatch(/topic names have at most 249 letters/);
    expect(bad.errors.group).toBeUndefined();
    const host = recipeDraft({ ...emptyRecipeForm(), principal: 'a', topic: 't', host: 'app.example.com' });
    expect(host.errors.host).toMatch(/an IP address/);
  });

  it('the free form: one binding per operation; the cluster is always kafka-cluster, literal', () => {
    const d = freeDraft({
      ...emptyFreeForm(),
      principal: 'User:ops',
      resourceType: 'CLUSTER',
      resourceName: 'ignored',
      prefixed: true,
      operations: ['DESCRIBE', 'ALTER'],
      permission: 'DENY',
    });
    expect(d.errors).toEqual({});
    expect(d.bindings.map((b) => `${line(b)} ${b.permission}`)).toEqual([
      'DESCRIBE CLUSTER:LITERAL:kafka-cluster DENY',
      'ALTER CLUSTER:LITERAL:kafka-cluster DENY',
    ]);
  });

  it('the free form refuses an operation the resource does not have, at the operations field; and asks for one', () => {
    const d = freeDraft({
      ...emptyFreeForm(),
      principal: 'a',
      resourceType: 'GROUP',
      resourceName: 'g',
      operations: ['WRITE'],
    });
    expect(d.errors.operations).toMatch(/^WRITE does not apply to a GROUP/);
    const none = freeDraft({ ...emptyFreeForm(), principal: 'a', resourceName: 't' });
    expect(none.errors).toEqual({ operations: 'choose at least one operation' });
    const empty = freeDraft({ ...emptyFreeForm(), operations: ['READ'] });
    expect(Object.keys(empty.errors).sort()).toEqual(['principal', 'resourceName']);
  });

  it("a field shows the draft's own problem, else what the core said about it", () => {
    const d = freeDraft({ ...emptyFreeForm(), principal: 'a', resourceName: 't', operations: ['READ'] });
    const said = {
      code: 'INVALID_INPUT' as const,
      message: 'no',
      fields: [{ path: 'bindings.0.host', message: 'bad host' }],
    };
    expect(fieldProblem(d, said, 'host')).toBe('bad host');
    expect(fieldProblem(d, said, 'principal')).toBeUndefined();
  });

  it('resources read as people say them', () => {
    expect(resourceText({ resourceType: 'TOPIC', resourceName: '*', patternType: 'LITERAL' })).toBe('* (every topic)');
    expect(resourceText({ resourceType: 'GROUP', resourceName: 'billing-', patternType: 'PREFIXED' })).toBe(
      'billing-…',
    );
    expect(resourceText({ resourceType: 'TOPIC', resourceName: 'orders', patternType: 'LITERAL' })).toBe('orders');
  });
});
