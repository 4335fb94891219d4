import type { Command } from 'commander';
import {
  resourceLabel,
  type ConfigResource,
  type ConfigsAlterResult,
  type ConfigsDescription,
  type DescribedConfig,
} from '../contract';
import { CoreError } from '../core/coreError';
import type { AdminCommandContext } from './adminCommands';
import { printRows } from './output';
import { jsonText, showText } from './terminalText';

/** The resource flags: exactly one of them. */
interface ResourceFlags {
  topic?: string;
  broker?: string;
  clusterDefault?: boolean;
}

export function resourceOf(f: ResourceFlags): ConfigResource {
  const given = [f.topic !== undefined, f.broker !== undefined, f.clusterDefault === true].filter(Boolean).length;
  if (given !== 1)
    throw new CoreError(
      'INVALID_INPUT',
      'Name one resource: --topic <name>, --broker <id> or --cluster-default (the default every broker takes).',
    );
  if (f.topic !== undefined) return { type: 'topic', name: f.topic };
  if (f.broker !== undefined) {
    if (!/^\d{1,10}$/.test(f.broker))
      throw new CoreError('INVALID_INPUT', `--broker ${f.broker}: a broker's node id, such as 1.`);
    return { type: 'broker', brokerId: Number(f.broker) };
  }
  return { type: 'cluster-default' };
}

/** `key=value` pairs (a value may hold `=`). */
export function settingsOf(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i < 1)
      throw new CoreError(
        'INVALID_INPUT',
        `${p}: write it as key=value, e.g. log.cleaner.threads=2 or retention.ms=86400000`,
      );
    const key = p.slice(0, i);
    if (Object.prototype.hasOwnProperty.call(out, key))
      throw new CoreError('INVALID_INPUT', `${key} is given twice: set each key once.`);
    out[key] = p.slice(i + 1);
  }
  return out;
}

/** Kafka's source names, short, as a column reads them. */
const SOURCE_TEXT: Record<DescribedConfig['source'], string> = {
  DYNAMIC_TOPIC_CONFIG: 'topic',
  DYNAMIC_BROKER_CONFIG: 'broker (dynamic)',
  DYNAMIC_DEFAULT_BROKER_CONFIG: 'cluster default',
  STATIC_BROKER_CONFIG: 'broker file',
  DEFAULT_CONFIG: 'default',
  DYNAMIC_BROKER_LOGGER_CONFIG: 'broker logger',
  CLIENT_METRICS_CONFIG: 'client metrics',
  GROUP_CONFIG: 'group',
  UNKNOWN: 'unknown',
};

function printConfigs(ctx: AdminCommandContext, configs: DescribedConfig[], all: boolean): void {
  const shown = all ? configs : configs.filter((c) => c.source !== 'DEFAULT_CONFIG');
  printRows(
    shown.map((c) => ({
      name: c.name,
      value: c.sensitive ? '(sensitive)' : c.value,
      source: SOURCE_TEXT[c.source],
      editable: c.readOnly ? 'no' : 'yes',
    })),
    [
      { key: 'name', title: 'CONFIG' },
      { key: 'value', title: 'VALUE' },
      { key: 'source', title: 'SOURCE' },
      { key: 'editable', title: 'EDITABLE' },
    ],
    false,
    ctx.out,
  );
  if (!all && shown.length < configs.length)
    ctx.err(`${configs.length - shown.length} configs at Kafka's default not shown (--all shows them).\n`);
}

function addResourceFlags(cmd: Command): Command {
  return cmd
    .option('--topic <name>', "a topic's configs")
    .option('--broker <id>', "one broker's configs (its node id)")
    .option('--cluster-default', 'the cluster-wide default every broker takes (dynamic configs only)');
}

type AlterFlags = ResourceFlags & { dryRun?: boolean; json?: boolean };

/** `kafka-desk configs describe | set | delete`, for a topic, a broker or the cluster-wide default. */
export function registerConfigCommands(program: Command, ctx: AdminCommandContext): void {
  const configs = program
    .command('configs')
    .description("a topic's, a broker's or the cluster default's configs: describe, set or delete keys one by one");

  ctx
    .addConnectionFlags(
      addResourceFlags(
        configs
          .command('describe', { isDefault: true })
          .description('configs with where each value comes from and whether it can change (sensitive ones masked)'),
      ),
    )
    .option('--all', "also the configs at Kafka's default")
    .option('--docs', "Kafka's description of each config (with --json)")
    .action(async (flags: ResourceFlags & { all?: boolean; docs?: boolean; json?: boolean }) => {
      const resource = resourceOf(flags);
      const d = await ctx.call<ConfigsDescription>(flags, 'configs.describe', {
        resource,
        documentation: Boolean(flags.docs),
      });
      if (flags.json) ctx.out(jsonText(d) + '\n');
      else printConfigs(ctx, d.configs, Boolean(flags.all));
    });

  const report = (flags: AlterFlags, r: ConfigsAlterResult) => {
    if (r.note) ctx.err(`${showText(r.note)}\n`);
    if (flags.json) {
      ctx.out(jsonText(r) + '\n');
      return;
    }
    const what = [
      ...(r.set.length ? [`set ${r.set.map(showText).join(', ')}`] : []),
      ...(r.deleted.length ? [`deleted ${r.deleted.map(showText).join(', ')}`] : []),
    ].join('; ');
    ctx.out(
      r.validateOnly
        ? `The broker accepts this change to ${showText(resourceLabel(r.resource))} (${what}); nothing was changed (--dry-run).\n`
        : `Changed ${showText(resourceLabel(r.resource))}: ${what}.\n`,
    );
  };

  ctx
    .addConnectionFlags(
      addResourceFlags(
        configs
          .command('set')
          .argument('<key=value...>')
          .description('set keys to values; every other key stays as it is (IncrementalAlterConfigs)'),
      ),
    )
    .option('--dry-run', 'the broker only checks the change (validateOnly)')
    .action(async (pairs: string[], flags: AlterFlags) => {
      const r = await ctx.call<ConfigsAlterResult>(flags, 'configs.alter', {
        resource: resourceOf(flags),
        set: settingsOf(pairs),
        validateOnly: Boolean(flags.dryRun),
      });
      report(flags, r);
    });

  ctx
    .addConnectionFlags(
      addResourceFlags(
        configs
          .command('delete')
          .argument('<key...>')
          .description('remove keys from the resource, so the value under it applies again'),
      ),
    )
    .option('--dry-run', 'the broker only checks the change (validateOnly)')
    .action(async (keys: string[], flags: AlterFlags) => {
      const r = await ctx.call<ConfigsAlterResult>(flags, 'configs.alter', {
        resource: resourceOf(flags),
        delete: keys,
        validateOnly: Boolean(flags.dryRun),
      });
      report(flags, r);
    });
}
