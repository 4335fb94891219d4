import type { ScramMechanism, ScramUser } from '../../contract';
import { CoreError } from '../coreError';
import type { Handlers } from '../handlers';
import type { KafkaSession } from '../kafka/gateway';
import { sessionRunner, type ResolveConnection } from './adminSession';

type UserChannel = 'users.list' | 'users.upsert' | 'users.delete';

const one = async (s: KafkaSession, name: string): Promise<ScramUser | null> =>
  (await s.describeScramUsers([name])).find((u) => u.name === name) ?? null;

/**
 * A broker takes a credential change through the cluster's metadata (or ZooKeeper) and answers before
 * every broker has applied it; the next request may reach one that has not. Ask again for a few
 * seconds until the change shows, so that what the reply says and the list read right after agree.
 */
async function untilShown(
  s: KafkaSession,
  name: string,
  done: (u: ScramUser | null) => boolean,
  deadlineMs = 10_000,
): Promise<ScramUser | null> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const u = await one(s, name);
    if (done(u) || Date.now() > deadline) return u;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const has = (u: ScramUser | null, mechanism: ScramMechanism) =>
  u?.credentials.find((c) => c.mechanism === mechanism) ?? null;

/** SCRAM users: list, create or change a password, delete a mechanism's credential or the whole user. */
export function createUserHandlers(resolve: ResolveConnection): Pick<Handlers, UserChannel> {
  const run = sessionRunner(resolve);
  return {
    'users.list': ({ id, names }) =>
      run(id, async (s) => ({ users: await s.describeScramUsers(names ?? null), fetchedAt: new Date().toISOString() })),

    'users.upsert': ({ id, name, mechanism, iterations, password, mode }) =>
      run(
        id,
        async (s) => {
          const before = has(await one(s, name), mechanism);
          if (mode === 'create' && before)
            throw new CoreError(
              'CONFLICT',
              `User '${name}' already has a ${mechanism} credential: change its password instead.`,
              undefined,
              [{ path: 'name', message: `already has a ${mechanism} credential` }],
            );
          if (mode === 'change' && !before)
            throw new CoreError(
              'NOT_FOUND',
              `User '${name}' has no ${mechanism} credential to change: create it instead.`,
              undefined,
              [{ path: 'name', message: `has no ${mechanism} credential` }],
            );
          await s.alterScramCredentials({ upsertions: [{ name, mechanism, iterations, password }], deletions: [] });
          const user = await untilShown(s, name, (u) => has(u, mechanism)?.iterations === iterations);
          return {
            name,
            mechanism,
            iterations,
            created: !before,
            user: user ?? { name, credentials: [{ mechanism, iterations }] },
          };
        },
        mode === 'change' ? `change the password of the SCRAM user '${name}'` : `create the SCRAM user '${name}'`,
      ),

    'users.delete': ({ id, name, mechanism }) =>
      run(
        id,
        async (s) => {
          const user = await one(s, name);
          if (!user) throw new CoreError('NOT_FOUND', `User '${name}' has no SCRAM credentials: nothing to delete.`);
          if (mechanism && !has(user, mechanism))
            throw new CoreError(
              'NOT_FOUND',
              `User '${name}' has no ${mechanism} credential (it has ${user.credentials.map((c) => c.mechanism).join(', ')}): nothing deleted.`,
              undefined,
              [{ path: 'mechanism', message: `'${name}' has no ${mechanism} credential` }],
            );
          const deleted = mechanism ? [mechanism] : user.credentials.map((c) => c.mechanism);
          await s.alterScramCredentials({ upsertions: [], deletions: deleted.map((m) => ({ name, mechanism: m })) });
          const after = await untilShown(s, name, (u) => deleted.every((m) => !has(u, m)));
          return { name, deleted, remaining: after?.credentials ?? [] };
        },
        mechanism
          ? `delete the ${mechanism} credential of the SCRAM user '${name}'`
          : `delete the SCRAM user '${name}'`,
      ),
  };
}
