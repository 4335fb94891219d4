import { bindingKey, sortBindings, type AclBinding, type AclBindingSpec, type AclFilterSpec } from '../../contract';
import type { Handlers } from '../handlers';
import type { KafkaSession } from '../kafka/gateway';
import { sessionRunner, type ResolveConnection } from './adminSession';

type AclChannel = 'acls.list' | 'acls.create' | 'acls.delete';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The filters for every binding on the resources of `bindings` (one per distinct resource pattern). */
function resourceFilters(bindings: AclBinding[]): AclFilterSpec[] {
  const resources = new Map<string, AclFilterSpec>();
  for (const b of bindings) {
    if (b.resourceType === 'USER' || b.resourceType === 'UNKNOWN' || b.patternType === 'UNKNOWN') continue;
    const f: AclFilterSpec = {
      resourceType: b.resourceType,
      resourceName: b.resourceName,
      patternType: b.patternType,
      operation: 'ANY',
      permission: 'ANY',
    };
    resources.set(`${f.resourceType}\u0000${f.patternType}\u0000${f.resourceName}`, f);
  }
  return [...resources.values()];
}

/** Every binding on the resources of `bindings`. */
async function onResources(s: KafkaSession, bindings: AclBinding[]): Promise<AclBinding[]> {
  const found: AclBinding[] = [];
  for (const f of resourceFilters(bindings)) found.push(...(await s.describeAcls(f)));
  return found;
}

/**
 * A broker takes an ACL change through the cluster's metadata log and answers before every broker
 * has applied it; the next request may reach one that has not. Ask each broker until the change
 * shows on all of them (for a few seconds at most), so that what the reply says and the list read
 * right after agree, wherever that lands. A broker that cannot be asked ends the wait, not the change.
 */
async function untilEveryBroker(
  s: KafkaSession,
  bindings: AclBinding[],
  present: boolean,
  deadlineMs = 10_000,
): Promise<void> {
  if (!bindings.length) return;
  const filters = resourceFilters(bindings);
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const views = await s.describeAclsOnEachBroker(filters).catch(() => null);
    if (!views) return;
    const applied = views.every((seen) => {
      const keys = new Set(seen.map(bindingKey));
      return bindings.every((b) => keys.has(bindingKey(b)) === present);
    });
    if (applied || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The union of what the filters match, each binding once. */
async function matching(s: KafkaSession, filters: AclFilterSpec[]): Promise<AclBinding[]> {
  const found = new Map<string, AclBinding>();
  for (const f of filters) for (const b of await s.describeAcls(f)) found.set(bindingKey(b), b);
  return sortBindings([...found.values()]);
}

/** ACLs: list by a filter, create bindings (those already there are said so), delete after a preview. */
export function createAclHandlers(resolve: ResolveConnection): Pick<Handlers, AclChannel> {
  const run = sessionRunner(resolve);
  return {
    'acls.list': ({ id, filter }) =>
      run(id, async (s) => ({
        bindings: sortBindings(await s.describeAcls(filter)),
        fetchedAt: new Date().toISOString(),
      })),

    'acls.create': ({ id, bindings }) =>
      run(
        id,
        async (s) => {
          const wanted = new Map<string, AclBindingSpec>();
          for (const b of bindings) wanted.set(bindingKey(b), b);
          const there = new Set((await onResources(s, bindings)).map(bindingKey));
          const existing = [...wanted.values()].filter((b) => there.has(bindingKey(b)));
          const created = [...wanted.values()].filter((b) => !there.has(bindingKey(b)));
          if (created.length) {
            await s.createAcls(created);
            await untilEveryBroker(s, created, true);
          }
          return { created: sortBindings(created), existing: sortBindings(existing) };
        },
        `create ${plural(bindings.length, 'ACL')}`,
      ),

    'acls.delete': async ({ id, filters, dryRun }) => {
      if (dryRun) return run(id, async (s) => ({ dryRun: true, bindings: await matching(s, filters) }));
      return run(
        id,
        async (s) => {
          const deleted = new Map<string, AclBinding>();
          for (const b of await s.deleteAcls(filters)) deleted.set(bindingKey(b), b);
          const list = sortBindings([...deleted.values()]);
          await untilEveryBroker(s, list, false);
          return { dryRun: false, bindings: list };
        },
        `delete the ACLs ${filters.length === 1 ? 'the filter matches' : `${filters.length} filters match`}`,
      );
    },
  };
}
