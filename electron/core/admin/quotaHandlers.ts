import {
  applyAlteration,
  entityLabel,
  type QuotaEntity,
  type QuotaEntityKind,
  type QuotaFilterSpec,
  type QuotaValues,
} from '../../contract';
import type { Handlers } from '../handlers';
import type { KafkaSession } from '../kafka/gateway';
import { sessionRunner, type ResolveConnection } from './adminSession';

type QuotaChannel = 'quotas.list' | 'quotas.alter';

const KINDS: QuotaEntityKind[] = ['user', 'clientId', 'ip'];

/** The filter that matches exactly this entity and no other. */
function exactly(e: QuotaEntity): QuotaFilterSpec {
  const f: QuotaFilterSpec = { strict: true };
  for (const k of KINDS) {
    const v = e[k];
    if (v === undefined) continue;
    f[k] = v === null ? { match: 'default' } : { match: 'exact', name: v };
  }
  return f;
}

const valuesOf = async (s: KafkaSession, e: QuotaEntity): Promise<QuotaValues> =>
  (await s.describeClientQuotas(exactly(e)))[0]?.values ?? {};

const same = (a: QuotaValues, b: QuotaValues) => {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
};

/**
 * A broker takes a quota change through the cluster's metadata (or ZooKeeper) and answers before
 * every broker has applied it; the next request may reach one that has not. Ask again for a few
 * seconds until the change shows, so that what the reply says and the list read right after agree.
 */
async function untilShown(s: KafkaSession, e: QuotaEntity, want: QuotaValues, deadlineMs = 10_000) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const now = await valuesOf(s, e);
    if (same(now, want) || Date.now() > deadline) return now;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Client quotas: list by a filter, set and remove keys (a preview with validateOnly). */
export function createQuotaHandlers(resolve: ResolveConnection): Pick<Handlers, QuotaChannel> {
  const run = sessionRunner(resolve);
  return {
    'quotas.list': ({ id, filter }) =>
      run(id, async (s) => ({ entries: await s.describeClientQuotas(filter), fetchedAt: new Date().toISOString() })),

    // a preview changes nothing, so a read-only connection may ask for one
    'quotas.alter': ({ id, entries, validateOnly }) =>
      run(
        id,
        async (s) => {
          const before: QuotaValues[] = [];
          for (const a of entries) before.push(await valuesOf(s, a.entity));
          await s.alterClientQuotas(entries, validateOnly);
          const out = [];
          for (const [i, a] of entries.entries()) {
            const expected = applyAlteration(before[i]!, a);
            out.push({
              entity: a.entity,
              before: before[i]!,
              after: validateOnly ? expected : await untilShown(s, a.entity, expected),
            });
          }
          return { validateOnly, entries: out };
        },
        validateOnly
          ? undefined
          : `change the client quotas of ${entries.length === 1 ? entityLabel(entries[0]!.entity) : `${entries.length} entities`}`,
      ),
  };
}
