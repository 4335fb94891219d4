import { describe, expect, it } from 'vitest';
import {
  AclBindingInput,
  AclFilter,
  AclRecipe,
  bindingKey,
  exactFilter,
  expandRecipe,
  principalOf,
  sortBindings,
  type AclBinding,
  type AclRecipeInput,
} from './acls';

const line = (b: { operation: string; resourceType: string; resourceName: string; patternType: string }) =>
  `${b.operation} ${b.resourceType}:${b.patternType}:${b.resourceName}`;
const expand = (r: AclRecipeInput) => expandRecipe(AclRecipe.parse(r));

describe('ACL recipes, as kafka-acls --producer / --consumer expand them', () => {
  it('a producer for a topic: WRITE, DESCRIBE and CREATE on it, for every host, allowed', () => {
    const bindings = expand({ kind: 'producer', principal: 'User:orders-app', topic: 'orders' });
    expect(bindings.map(line)).toEqual([
      'WRITE TOPIC:LITERAL:orders',
      'DESCRIBE TOPIC:LITERAL:orders',
      'CREATE TOPIC:LITERAL:orders',
    ]);
    expect(new Set(bindings.map((b) => `${b.principal} ${b.host} ${b.permission}`))).toEqual(
      new Set(['User:orders-app * ALLOW']),
    );
  });

  it('idempotent adds IDEMPOTENT_WRITE on the cluster; a transactional id adds WRITE and DESCRIBE on it', () => {
    const bindings = expand({
      kind: 'producer',
      principal: 'User:p',
      topic: 'orders.',
      topicPattern: 'PREFIXED',
      idempotent: true,
      transactionalId: 'orders-tx-',
      transactionalIdPattern: 'PREFIXED',
    });
    expect(bindings.map(line)).toEqual([
      'WRITE TOPIC:PREFIXED:orders.',
      'DESCRIBE TOPIC:PREFIXED:orders.',
      'CREATE TOPIC:PREFIXED:orders.',
      'IDEMPOTENT_WRITE CLUSTER:LITERAL:kafka-cluster',
      'WRITE TRANSACTIONAL_ID:PREFIXED:orders-tx-',
      'DESCRIBE TRANSACTIONAL_ID:PREFIXED:orders-tx-',
    ]);
  });

  it('a consumer of a topic in a group: READ and DESCRIBE on the topic, READ on the group', () => {
    const bindings = expand({
      kind: 'consumer',
      principal: 'User:billing',
      host: '10.0.0.7',
      topic: 'orders',
      group: 'billing-',
      groupPattern: 'PREFIXED',
    });
    expect(bindings.map(line)).toEqual([
      'READ TOPIC:LITERAL:orders',
      'DESCRIBE TOPIC:LITERAL:orders',
      'READ GROUP:PREFIXED:billing-',
    ]);
    expect(bindings.every((b) => b.host === '10.0.0.7')).toBe(true);
  });

  it("every binding a recipe makes is one the create channel accepts (the cluster's own name included)", () => {
    for (const b of expand({
      kind: 'producer',
      principal: 'User:p',
      topic: 't',
      idempotent: true,
      transactionalId: 'x',
    }))
      expect(AclBindingInput.safeParse(b).success, line(b)).toBe(true);
  });

  it('a recipe with a bare user name is refused: principalOf makes it User:name', () => {
    expect(AclRecipe.safeParse({ kind: 'consumer', principal: 'alice', topic: 't', group: 'g' }).success).toBe(false);
    expect(principalOf('alice')).toBe('User:alice');
    expect(principalOf(' User:alice ')).toBe('User:alice');
    expect(principalOf('Group:ops')).toBe('Group:ops');
    expect(principalOf('')).toBe('');
  });
});

describe('bindings: exact filters and order', () => {
  const b = (over: Partial<AclBinding>): AclBinding => ({
    resourceType: 'TOPIC',
    resourceName: 'orders',
    patternType: 'LITERAL',
    principal: 'User:a',
    host: '*',
    operation: 'READ',
    permission: 'ALLOW',
    ...over,
  });

  it("an exact filter names every field of the binding; a newer broker's USER resource has none", () => {
    expect(exactFilter(b({}))).toEqual({
      resourceType: 'TOPIC',
      resourceName: 'orders',
      patternType: 'LITERAL',
      principal: 'User:a',
      host: '*',
      operation: 'READ',
      permission: 'ALLOW',
    });
    expect(exactFilter(b({ resourceType: 'USER' }))).toBeNull();
    expect(exactFilter(b({ operation: 'CREATE_TOKENS' }))).toBeNull();
  });

  it('sorts by resource, then principal and operation; keys tell bindings apart by every field', () => {
    const list = [b({ resourceName: 'z' }), b({ resourceType: 'GROUP' }), b({ operation: 'DESCRIBE' }), b({})];
    expect(sortBindings(list).map((x) => `${x.resourceType} ${x.resourceName} ${x.operation}`)).toEqual([
      'GROUP orders READ',
      'TOPIC orders DESCRIBE',
      'TOPIC orders READ',
      'TOPIC z READ',
    ]);
    expect(new Set(list.map(bindingKey)).size).toBe(4);
    expect(bindingKey(b({ permission: 'DENY' }))).not.toBe(bindingKey(b({})));
  });
});

describe('hostile names: what reaches a terminal or a table is refused before any broker sees it', () => {
  const base = { resourceType: 'GROUP', resourceName: 'g', principal: 'User:a', operation: 'READ' } as const;
  it.each([
    ['an ANSI escape in a group name', { resourceName: 'g\u001b]8;;https://evil\u0007x' }, 'resourceName'],
    ['a right-to-left override in a principal', { principal: 'User:\u202egnp.exe' }, 'principal'],
    ['a newline in a host', { host: '10.0.0.1\n' }, 'host'],
    ['a principal of 2000 characters', { principal: `User:${'a'.repeat(2000)}` }, 'principal'],
  ])('%s', (_what, over, field) => {
    const r = AclBindingInput.safeParse({ ...base, ...over });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('a filter refuses them too', () => {
    expect(AclFilter.safeParse({ resourceName: 'x\u0000y' }).success).toBe(false);
    expect(AclFilter.safeParse({ host: '\u2066*' }).success).toBe(false);
  });
});
