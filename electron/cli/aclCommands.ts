import { Option, type Command } from 'commander';
import {
  ACL_OPERATIONS,
  AclRecipe,
  CLUSTER_RESOURCE_NAME,
  expandRecipe,
  principalOf,
  type AclBinding,
  type AclBindingInput,
  type AclFilterInput,
  type AclOperation,
  type AclResourceType,
  type ChannelOutput,
} from '../contract';
import { CoreError } from '../core/coreError';
import type { AdminCommandContext } from './adminCommands';
import { CliError } from './cliError';
import { printRows } from './output';
import { jsonText, showText } from './terminalText';

/** The resource flags, as kafka-acls names them. */
interface ResourceFlags {
  topic?: string;
  group?: string;
  transactionalId?: string;
  delegationToken?: string;
  cluster?: boolean;
  resourcePatternType?: 'literal' | 'prefixed' | 'match' | 'any';
}

interface EntryFlags {
  principal?: string;
  host?: string;
  operation: string[];
  permission?: 'allow' | 'deny' | 'any';
}

type Flags = ResourceFlags & EntryFlags & { json?: boolean };

const collect = (v: string, prev: string[]) => [...prev, v];
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** `Read`, `read`, `IdempotentWrite`, `idempotent-write` → Kafka's READ, IDEMPOTENT_WRITE. */
export function operationOf(text: string, allowAny: boolean): AclOperation | 'ANY' {
  const name = text
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toUpperCase();
  if (allowAny && name === 'ANY') return 'ANY';
  if ((ACL_OPERATIONS as readonly string[]).includes(name)) return name as AclOperation;
  throw new CoreError(
    'INVALID_INPUT',
    `--operation ${text}: not an ACL operation; one of ${ACL_OPERATIONS.map((o) => o.toLowerCase().replace(/_/g, '-')).join(', ')}.`,
  );
}

/** The resources the flags name (any number of them), each with its type. */
function resourcesOf(f: ResourceFlags): { resourceType: AclResourceType; resourceName: string }[] {
  return [
    ...(f.topic !== undefined ? [{ resourceType: 'TOPIC' as const, resourceName: f.topic }] : []),
    ...(f.group !== undefined ? [{ resourceType: 'GROUP' as const, resourceName: f.group }] : []),
    ...(f.transactionalId !== undefined
      ? [{ resourceType: 'TRANSACTIONAL_ID' as const, resourceName: f.transactionalId }]
      : []),
    ...(f.delegationToken !== undefined
      ? [{ resourceType: 'DELEGATION_TOKEN' as const, resourceName: f.delegationToken }]
      : []),
    ...(f.cluster ? [{ resourceType: 'CLUSTER' as const, resourceName: CLUSTER_RESOURCE_NAME }] : []),
  ];
}

/**
 * The filters the flags describe for list and delete: one per resource named (or one for every
 * resource), each operation given (or any). Like kafka-acls, a named resource is matched LITERAL
 * unless --resource-pattern-type says otherwise.
 */
function filtersOf(f: Flags): AclFilterInput[] {
  const resources = resourcesOf(f);
  const operations = f.operation.length ? f.operation.map((o) => operationOf(o, true)) : ['ANY' as const];
  const entry = {
    ...(f.principal ? { principal: principalOf(f.principal) } : {}),
    ...(f.host ? { host: f.host } : {}),
    permission: (f.permission ?? 'any').toUpperCase() as 'ALLOW' | 'DENY' | 'ANY',
  };
  const pattern = (f.resourcePatternType?.toUpperCase() ?? null) as AclFilterInput['patternType'] | null;
  const onResources = resources.length
    ? resources.map((r) => ({ ...r, patternType: pattern ?? 'LITERAL' }))
    : [{ resourceType: 'ANY' as const, patternType: pattern ?? 'ANY' }];
  return onResources.flatMap((r) => operations.map((operation) => ({ ...r, operation, ...entry })));
}

function printBindings(ctx: AdminCommandContext, bindings: (AclBinding & { status?: string })[], json: boolean) {
  printRows(
    bindings,
    [
      { key: 'resourceType', title: 'RESOURCE' },
      { key: 'resourceName', title: 'NAME' },
      { key: 'patternType', title: 'PATTERN' },
      { key: 'principal', title: 'PRINCIPAL' },
      { key: 'host', title: 'HOST' },
      { key: 'operation', title: 'OPERATION' },
      { key: 'permission', title: 'PERMISSION' },
      ...(bindings.some((b) => b.status) ? [{ key: 'status' as const, title: 'STATUS' }] : []),
    ],
    json,
    ctx.out,
  );
}

function addResourceFlags(cmd: Command, patterns: string[]): Command {
  return cmd
    .option(
      '--topic <name>',
      'a topic (with --resource-pattern-type prefixed: every topic starting with it; * every topic)',
    )
    .option('--group <id>', 'a consumer group')
    .option('--transactional-id <id>', 'a transactional id')
    .option('--delegation-token <id>', 'a delegation token')
    .option('--cluster', `the cluster itself (${CLUSTER_RESOURCE_NAME})`)
    .addOption(
      new Option('--resource-pattern-type <type>', 'how the names above apply (default literal)').choices(patterns),
    );
}

function addEntryFlags(cmd: Command, permissions: string[]): Command {
  return cmd
    .option('--principal <Type:name>', 'e.g. User:alice (a bare name is a User)')
    .option('--host <address>', 'the client address (default: every host, *)')
    .option('--operation <operation>', 'read, write, create, describe, … (repeatable)', collect, [] as string[])
    .addOption(new Option('--permission <permission>', 'allow or deny').choices(permissions));
}

/** `kafka-desk acls list | create | delete`: the cluster's ACLs, recipes for producers and consumers, deletion after a preview. */
export function registerAclCommands(program: Command, ctx: AdminCommandContext): void {
  const acls = program
    .command('acls')
    .description('list, create (free form or from a producer / consumer recipe) and delete ACLs');

  const list = acls.command('list', { isDefault: true }).description('list the ACL bindings a filter matches');
  addEntryFlags(addResourceFlags(ctx.addConnectionFlags(list), ['literal', 'prefixed', 'match', 'any']), [
    'allow',
    'deny',
    'any',
  ]).action(async (flags: Flags) => {
    const filters = filtersOf(flags);
    const found = new Map<string, AclBinding>();
    try {
      for (const filter of filters) {
        const r = await ctx.call<ChannelOutput<'acls.list'>>(flags, 'acls.list', { filter });
        for (const b of r.bindings) found.set(JSON.stringify(b), b);
      }
    } catch (e) {
      // no authorizer: no ACLs to list, said plainly (as the window's empty state does)
      if (e instanceof CliError && e.error.code === 'AUTHORIZER_DISABLED') {
        ctx.err(`${showText(e.error.message)}\n`);
        return;
      }
      throw e;
    }
    const bindings = [...found.values()];
    printBindings(ctx, bindings, Boolean(flags.json));
    if (!flags.json && bindings.length === 0) ctx.err('No ACLs match.\n');
  });

  const create = acls
    .command('create')
    .description(
      'create ACLs: --recipe producer|consumer, or free form (each --operation on each resource named); prints what it creates',
    )
    .addOption(
      new Option('--recipe <recipe>', 'producer or consumer, as kafka-acls --producer / --consumer').choices([
        'producer',
        'consumer',
      ]),
    )
    .option('--idempotent', 'producer recipe: IDEMPOTENT_WRITE on the cluster (brokers before 2.8 need it)')
    .option('--dry-run', 'only print the bindings');
  addEntryFlags(addResourceFlags(ctx.addConnectionFlags(create), ['literal', 'prefixed']), ['allow', 'deny']).action(
    async (flags: Flags & { recipe?: 'producer' | 'consumer'; idempotent?: boolean; dryRun?: boolean }) => {
      if (!flags.principal) throw new CoreError('INVALID_INPUT', 'Name whom the ACLs are for: --principal User:name.');
      const principal = principalOf(flags.principal);
      const host = flags.host ?? '*';
      const permission = (flags.permission ?? 'allow').toUpperCase() as 'ALLOW' | 'DENY';
      const patternType = (flags.resourcePatternType ?? 'literal').toUpperCase() as 'LITERAL' | 'PREFIXED';
      let bindings: AclBindingInput[];
      if (flags.recipe) {
        if (flags.operation.length)
          throw new CoreError('INVALID_INPUT', 'A recipe names its own operations: leave out --operation.');
        const parsed = AclRecipe.safeParse(
          flags.recipe === 'producer'
            ? {
                kind: 'producer',
                principal,
                host,
                permission,
                topic: flags.topic,
                topicPattern: patternType,
                idempotent: Boolean(flags.idempotent),
                ...(flags.transactionalId !== undefined
                  ? { transactionalId: flags.transactionalId, transactionalIdPattern: patternType }
                  : {}),
              }
            : {
                kind: 'consumer',
                principal,
                host,
                permission,
                topic: flags.topic,
                topicPattern: patternType,
                group: flags.group,
                groupPattern: patternType,
              },
        );
        if (!parsed.success) {
          const what = flags.recipe === 'producer' ? '--topic' : '--topic and --group';
          throw new CoreError(
            'INVALID_INPUT',
            `The ${flags.recipe} recipe needs ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          );
        }
        bindings = expandRecipe(parsed.data);
      } else {
        const resources = resourcesOf(flags);
        if (!resources.length || !flags.operation.length)
          throw new CoreError(
            'INVALID_INPUT',
            'Name a resource (--topic, --group, --transactional-id, --delegation-token or --cluster) and at least one --operation, or use --recipe producer|consumer.',
          );
        const operations = flags.operation.map((o) => operationOf(o, false) as AclOperation);
        bindings = resources.flatMap((r) =>
          operations.map((operation) => ({
            ...r,
            patternType: r.resourceType === 'CLUSTER' ? ('LITERAL' as const) : patternType,
            principal,
            host,
            operation,
            permission,
          })),
        );
      }
      if (flags.dryRun) {
        const shown = bindings.map(
          (b) => ({ patternType: 'LITERAL', host: '*', permission: 'ALLOW', ...b }) as AclBinding,
        );
        if (flags.json) ctx.out(jsonText({ dryRun: true, bindings: shown }) + '\n');
        else {
          printBindings(ctx, shown, false);
          ctx.out(`Dry run: nothing created (${plural(shown.length, 'ACL')}).\n`);
        }
        return;
      }
      const r = await ctx.call<ChannelOutput<'acls.create'>>(flags, 'acls.create', { bindings });
      if (flags.json) {
        ctx.out(jsonText(r) + '\n');
        return;
      }
      printBindings(
        ctx,
        [
          ...r.created.map((b) => ({ ...b, status: 'created' })),
          ...r.existing.map((b) => ({ ...b, status: 'existed' })),
        ],
        false,
      );
      ctx.out(
        `Created ${plural(r.created.length, 'ACL')}${r.existing.length ? `; ${r.existing.length} existed already` : ''}.\n`,
      );
    },
  );

  const del = acls
    .command('delete')
    .description('delete the ACLs a filter matches: prints them first, deletes only with --yes')
    .option('--yes', 'confirm: delete the ACLs printed')
    .option('--dry-run', 'only print what the filter matches');
  addEntryFlags(addResourceFlags(ctx.addConnectionFlags(del), ['literal', 'prefixed', 'match', 'any']), [
    'allow',
    'deny',
    'any',
  ]).action(async (flags: Flags & { yes?: boolean; dryRun?: boolean }) => {
    if (flags.yes && flags.dryRun) throw new CoreError('INVALID_INPUT', 'Use either --dry-run or --yes.');
    if (!resourcesOf(flags).length && !flags.principal)
      throw new CoreError(
        'INVALID_INPUT',
        'Name what to delete: a resource (--topic, --group, …) or a --principal. An empty filter would match every ACL of the cluster.',
      );
    const filters = filtersOf(flags);
    if (!flags.yes) {
      const preview = await ctx.call<ChannelOutput<'acls.delete'>>(flags, 'acls.delete', { filters, dryRun: true });
      if (flags.json) ctx.out(jsonText(preview) + '\n');
      else printBindings(ctx, preview.bindings, false);
      if (flags.dryRun) {
        if (!flags.json)
          ctx.out(`Dry run: nothing deleted (the filter matches ${plural(preview.bindings.length, 'ACL')}).\n`);
        return;
      }
      if (!preview.bindings.length) {
        if (!flags.json) ctx.err('No ACLs match: nothing to delete.\n');
        return;
      }
      throw new CoreError(
        'CONFIRMATION_REQUIRED',
        `Nothing was deleted: add --yes to delete ${preview.bindings.length === 1 ? 'this ACL' : `these ${preview.bindings.length} ACLs`}.`,
      );
    }
    const r = await ctx.call<ChannelOutput<'acls.delete'>>(flags, 'acls.delete', { filters, dryRun: false });
    if (flags.json) {
      ctx.out(jsonText(r) + '\n');
      return;
    }
    printBindings(ctx, r.bindings, false);
    ctx.out(`Deleted ${plural(r.bindings.length, 'ACL')}.\n`);
  });
}
