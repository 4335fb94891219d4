import type { Command } from 'commander';
import {
  entityLabel,
  QUOTA_KEY_INFO,
  QUOTA_KEYS,
  type ChannelOutput,
  type QuotaAlterationInput,
  type QuotaEntity,
  type QuotaFilterInput,
  type QuotaKey,
  type QuotaValues,
} from '../contract';
import { CoreError } from '../core/coreError';
import type { AdminCommandContext } from './adminCommands';
import { printRows } from './output';
import { jsonText, showText } from './terminalText';

/** The entity flags, as kafka-configs names them (--user, --client-id, --ip, each with its default). */
interface EntityFlags {
  user?: string;
  userDefault?: boolean;
  clientId?: string;
  clientDefault?: boolean;
  ip?: string;
  ipDefault?: boolean;
}

function addEntityFlags(cmd: Command, what: string): Command {
  return cmd
    .option('--user <name>', `${what} this user`)
    .option('--user-default', `${what} the default user (every user without a quota of its own)`)
    .option('--client-id <id>', `${what} this client id`)
    .option('--client-default', `${what} the default client id`)
    .option('--ip <address>', `${what} this IP address (connection_creation_rate)`)
    .option('--ip-default', `${what} the default IP address`);
}

function both(f: EntityFlags): void {
  const pairs: [unknown, unknown, string][] = [
    [f.user, f.userDefault, '--user and --user-default'],
    [f.clientId, f.clientDefault, '--client-id and --client-default'],
    [f.ip, f.ipDefault, '--ip and --ip-default'],
  ];
  for (const [a, b, what] of pairs)
    if (a !== undefined && b) throw new CoreError('INVALID_INPUT', `Use one of ${what}.`);
}

/** The entity the flags name (for set and remove). */
export function entityOf(f: EntityFlags): QuotaEntity {
  both(f);
  const e: QuotaEntity = {};
  if (f.user !== undefined || f.userDefault) e.user = f.user ?? null;
  if (f.clientId !== undefined || f.clientDefault) e.clientId = f.clientId ?? null;
  if (f.ip !== undefined || f.ipDefault) e.ip = f.ip ?? null;
  if (!Object.keys(e).length)
    throw new CoreError(
      'INVALID_INPUT',
      'Name the entity: --user NAME or --user-default, --client-id ID or --client-default (alone or with a user), or --ip ADDRESS or --ip-default.',
    );
  return e;
}

/** The filter the flags describe for list: a named entity exact, a default as the default, none: any. */
export function filterOf(f: EntityFlags & { strict?: boolean }): QuotaFilterInput {
  both(f);
  const match = (name: string | undefined, dflt: boolean | undefined) =>
    name !== undefined ? { match: 'exact' as const, name } : dflt ? { match: 'default' as const } : undefined;
  const user = match(f.user, f.userDefault);
  const clientId = match(f.clientId, f.clientDefault);
  const ip = match(f.ip, f.ipDefault);
  return {
    ...(user ? { user } : {}),
    ...(clientId ? { clientId } : {}),
    ...(ip ? { ip } : {}),
    strict: Boolean(f.strict),
  };
}

const keyOf = (text: string): QuotaKey => {
  const k = text.trim().replace(/-/g, '_').toLowerCase();
  if ((QUOTA_KEYS as readonly string[]).includes(k)) return k as QuotaKey;
  throw new CoreError('INVALID_INPUT', `${text}: not a quota key; one of ${QUOTA_KEYS.join(', ')}.`);
};

/** `producer_byte_rate=1048576` … → the keys and values to set. */
export function valuesOf(pairs: string[]): Partial<Record<QuotaKey, number>> {
  const out: Partial<Record<QuotaKey, number>> = {};
  for (const p of pairs) {
    const at = p.indexOf('=');
    if (at < 0) throw new CoreError('INVALID_INPUT', `${p}: write KEY=VALUE, e.g. producer_byte_rate=1048576.`);
    const key = keyOf(p.slice(0, at));
    const text = p.slice(at + 1).trim();
    const value = Number(text);
    if (!text || !Number.isFinite(value)) throw new CoreError('INVALID_INPUT', `${p}: the value is not a number.`);
    out[key] = value;
  }
  return out;
}

const valuesText = (v: QuotaValues) =>
  Object.keys(v)
    .sort()
    .map((k) => `${k}=${v[k]}`)
    .join(', ');

const unit = (k: string) => QUOTA_KEY_INFO[k as QuotaKey]?.unit ?? '';

function printChange(ctx: AdminCommandContext, r: ChannelOutput<'quotas.alter'>): void {
  for (const e of r.entries) {
    ctx.out(`${showText(entityLabel(e.entity))}\n`);
    const keys = [...new Set([...Object.keys(e.before), ...Object.keys(e.after)])].sort();
    printRows(
      keys.map((key) => ({ key, before: e.before[key] ?? null, after: e.after[key] ?? null, unit: unit(key) })),
      [
        { key: 'key', title: 'KEY' },
        { key: 'before', title: 'BEFORE', align: 'right' },
        { key: 'after', title: 'AFTER', align: 'right' },
        { key: 'unit', title: 'UNIT' },
      ],
      false,
      ctx.out,
    );
  }
  ctx.out(r.validateOnly ? 'Dry run: the broker accepts this change; nothing was changed.\n' : 'Changed.\n');
}

/** `kafka-desk quotas list | set | remove`: client quotas by user, client id and IP, defaults included. */
export function registerQuotaCommands(program: Command, ctx: AdminCommandContext): void {
  const quotas = program
    .command('quotas')
    .description('list client quotas (users, client ids, IPs, defaults) and set or remove one key at a time');

  addEntityFlags(
    ctx.addConnectionFlags(quotas.command('list', { isDefault: true }).description('list the client quotas')),
    'only',
  )
    .option('--strict', 'only entities of exactly the kinds named (a user filter then leaves out user-and-client-id)')
    .action(async (flags: EntityFlags & { strict?: boolean; json?: boolean }) => {
      const r = await ctx.call<ChannelOutput<'quotas.list'>>(flags, 'quotas.list', { filter: filterOf(flags) });
      if (flags.json) {
        ctx.out(r.entries.map((e) => jsonText(e) + '\n').join(''));
        return;
      }
      if (!r.entries.length) {
        ctx.err('No client quotas match.\n');
        return;
      }
      printRows(
        r.entries.map((e) => ({ entity: entityLabel(e.entity), quotas: valuesText(e.values) })),
        [
          { key: 'entity', title: 'ENTITY' },
          { key: 'quotas', title: 'QUOTAS' },
        ],
        false,
        ctx.out,
      );
    });

  const run = async (
    flags: EntityFlags & { dryRun?: boolean; json?: boolean },
    change: Omit<QuotaAlterationInput, 'entity'>,
  ) => {
    const r = await ctx.call<ChannelOutput<'quotas.alter'>>(flags, 'quotas.alter', {
      entries: [{ entity: entityOf(flags), ...change }],
      validateOnly: Boolean(flags.dryRun),
    });
    if (flags.json) ctx.out(jsonText(r) + '\n');
    else printChange(ctx, r);
  };

  addEntityFlags(
    ctx.addConnectionFlags(
      quotas
        .command('set')
        .argument('<key=value...>', `e.g. producer_byte_rate=1048576 (keys: ${QUOTA_KEYS.join(', ')})`)
        .description('set quota keys of one entity; its other keys stay as they are'),
    ),
    'for',
  )
    .option('--dry-run', 'only ask the broker whether it accepts the change')
    .action(async (pairs: string[], flags: EntityFlags & { dryRun?: boolean; json?: boolean }) =>
      run(flags, { set: valuesOf(pairs) }),
    );

  addEntityFlags(
    ctx.addConnectionFlags(
      quotas
        .command('remove')
        .argument('<key...>', 'e.g. producer_byte_rate')
        .description('remove quota keys of one entity (it is then held to the default, if any)'),
    ),
    'for',
  )
    .option('--dry-run', 'only ask the broker whether it accepts the change')
    .action(async (keys: string[], flags: EntityFlags & { dryRun?: boolean; json?: boolean }) =>
      run(flags, { remove: [...new Set(keys.map(keyOf))] }),
    );
}
