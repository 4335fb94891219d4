import type { Command } from 'commander';
import {
  SCRAM_ITERATIONS,
  SCRAM_MECHANISMS,
  type ChannelOutput,
  type ScramMechanism,
  type ScramUser,
} from '../contract';
import { CoreError } from '../core/coreError';
import type { AdminCommandContext } from './adminCommands';
import { printRows } from './output';
import { jsonText, showText } from './terminalText';

/** Where the new password comes from: read once, never printed, never in an error. */
export interface UserCommandIo {
  env: NodeJS.ProcessEnv;
  /** One line of standard input when it is not a terminal (no prompt); null when it is one. */
  stdinLine: () => Promise<string | null>;
}

/** `scram-sha-512`, `SCRAM-SHA-512`, `sha512` → SCRAM-SHA-512. */
export function mechanismOf(text: string): ScramMechanism {
  const t = text
    .trim()
    .toUpperCase()
    .replace(/^SCRAM-/, '')
    .replace(/^SHA-?/, 'SHA-');
  const m = SCRAM_MECHANISMS.find((x) => x === `SCRAM-${t}`);
  if (!m)
    throw new CoreError(
      'INVALID_INPUT',
      `--mechanism ${text}: one of ${SCRAM_MECHANISMS.map((x) => x.toLowerCase()).join(', ')}.`,
    );
  return m;
}

function iterationsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()))
    throw new CoreError(
      'INVALID_INPUT',
      `--iterations ${text}: a whole number from ${SCRAM_ITERATIONS.min} to ${SCRAM_ITERATIONS.max}.`,
    );
  return Number(text);
}

/** Reads the first line of a non-terminal stream (at most 4 KiB), for a password piped in. */
export async function firstLine(stream: NodeJS.ReadStream): Promise<string | null> {
  if (stream.isTTY) return null;
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    text += chunk.toString();
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0]!.slice(0, 4096);
}

const NO_PASSWORD =
  'Give the new password with KAFKA_DESK_NEW_PASSWORD, as one line on standard input, or with --new-password (which other local users can see in the process list).';

async function newPassword(io: UserCommandIo, flag: string | undefined): Promise<string> {
  const given = flag ?? io.env.KAFKA_DESK_NEW_PASSWORD ?? (await io.stdinLine());
  if (!given) throw new CoreError('INVALID_INPUT', NO_PASSWORD);
  return given;
}

function printUsers(ctx: AdminCommandContext, users: ScramUser[], json: boolean): void {
  if (json) {
    ctx.out(users.map((u) => jsonText(u) + '\n').join(''));
    return;
  }
  printRows(
    users.flatMap((u) => u.credentials.map((c) => ({ name: u.name, ...c }))),
    [
      { key: 'name', title: 'USER' },
      { key: 'mechanism', title: 'MECHANISM' },
      { key: 'iterations', title: 'ITERATIONS', align: 'right' },
    ],
    false,
    ctx.out,
  );
}

interface PasswordFlags {
  mechanism?: string;
  iterations?: string;
  newPassword?: string;
  json?: boolean;
}

/** `kafka-desk users list | create | set-password | delete`: the cluster's SCRAM users. */
export function registerUserCommands(program: Command, ctx: AdminCommandContext, io: UserCommandIo): void {
  const users = program
    .command('users')
    .description('list SCRAM users, create one, change its password, delete a credential or the user');

  ctx
    .addConnectionFlags(users.command('list', { isDefault: true }).description('list the users with SCRAM credentials'))
    .option('--user <name>', 'only this user (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .action(async (flags: { user: string[]; json?: boolean }) => {
      const r = await ctx.call<ChannelOutput<'users.list'>>(flags, 'users.list', {
        ...(flags.user.length ? { names: flags.user } : {}),
      });
      if (!flags.json && !r.users.length) ctx.err('No SCRAM users.\n');
      else printUsers(ctx, r.users, Boolean(flags.json));
    });

  const withPassword = (cmd: Command) =>
    ctx
      .addConnectionFlags(cmd)
      .option('--iterations <n>', `${SCRAM_ITERATIONS.min} to ${SCRAM_ITERATIONS.max}`)
      .option(
        '--new-password <password>',
        "the user's password (else KAFKA_DESK_NEW_PASSWORD, else one line on standard input)",
      );

  withPassword(
    users
      .command('create')
      .argument('<name>')
      .description('create a SCRAM credential for a user (refused if it has one for the mechanism)'),
  )
    .option('--mechanism <mechanism>', 'scram-sha-256 or scram-sha-512', 'scram-sha-512')
    .action(async (name: string, flags: PasswordFlags) => {
      const mechanism = mechanismOf(flags.mechanism ?? 'scram-sha-512');
      const iterations = iterationsOf(flags.iterations) ?? SCRAM_ITERATIONS.default;
      const password = await newPassword(io, flags.newPassword);
      const r = await ctx.call<ChannelOutput<'users.upsert'>>(flags, 'users.upsert', {
        name,
        mechanism,
        iterations,
        password,
        mode: 'create',
      });
      if (flags.json) ctx.out(jsonText(r) + '\n');
      else ctx.out(`Created the ${r.mechanism} credential of '${showText(r.name)}' (${r.iterations} iterations).\n`);
    });

  withPassword(
    users
      .command('set-password')
      .argument('<name>')
      .description("change a user's password: every mechanism it has, or the one named"),
  )
    .option('--mechanism <mechanism>', 'only this mechanism (default: each the user has)')
    .action(async (name: string, flags: PasswordFlags) => {
      const iterations = iterationsOf(flags.iterations);
      let targets: { mechanism: ScramMechanism; iterations: number }[];
      if (flags.mechanism) {
        targets = [{ mechanism: mechanismOf(flags.mechanism), iterations: iterations ?? SCRAM_ITERATIONS.default }];
      } else {
        const { users: found } = await ctx.call<ChannelOutput<'users.list'>>(flags, 'users.list', { names: [name] });
        const user = found.find((u) => u.name === name);
        if (!user)
          throw new CoreError(
            'NOT_FOUND',
            `User '${name}' has no SCRAM credentials: create one with kafka-desk users create.`,
          );
        targets = user.credentials.map((c) => ({ mechanism: c.mechanism, iterations: iterations ?? c.iterations }));
      }
      const password = await newPassword(io, flags.newPassword);
      const done: ChannelOutput<'users.upsert'>[] = [];
      for (const t of targets)
        done.push(
          await ctx.call<ChannelOutput<'users.upsert'>>(flags, 'users.upsert', {
            name,
            mechanism: t.mechanism,
            iterations: t.iterations,
            password,
            mode: 'change',
          }),
        );
      if (flags.json) ctx.out(done.map((r) => jsonText(r) + '\n').join(''));
      else
        for (const r of done)
          ctx.out(`Changed the ${r.mechanism} password of '${showText(r.name)}' (${r.iterations} iterations).\n`);
    });

  ctx
    .addConnectionFlags(
      users
        .command('delete')
        .argument('<name>')
        .description("delete a user's credential for one mechanism, or the whole user: prints it, deletes with --yes"),
    )
    .option('--mechanism <mechanism>', 'only this mechanism (default: every one: the user is gone)')
    .option('--yes', 'confirm: delete what is printed')
    .action(async (name: string, flags: { mechanism?: string; yes?: boolean; json?: boolean }) => {
      const mechanism = flags.mechanism ? mechanismOf(flags.mechanism) : undefined;
      if (!flags.yes) {
        const { users: found } = await ctx.call<ChannelOutput<'users.list'>>(flags, 'users.list', { names: [name] });
        const user = found.find((u) => u.name === name);
        const shown = user && {
          ...user,
          credentials: user.credentials.filter((c) => !mechanism || c.mechanism === mechanism),
        };
        if (!shown || !shown.credentials.length)
          throw new CoreError(
            'NOT_FOUND',
            `User '${name}' has no ${mechanism ?? 'SCRAM'} credential${mechanism ? '' : 's'}: nothing to delete.`,
          );
        printUsers(ctx, [shown], Boolean(flags.json));
        throw new CoreError(
          'CONFIRMATION_REQUIRED',
          `Nothing was deleted: add --yes to delete ${mechanism ? `the ${mechanism} credential of '${name}'` : `the user '${name}' (every credential it has)`}.`,
        );
      }
      const r = await ctx.call<ChannelOutput<'users.delete'>>(flags, 'users.delete', {
        name,
        ...(mechanism ? { mechanism } : {}),
      });
      if (flags.json) ctx.out(jsonText(r) + '\n');
      else
        ctx.out(
          r.remaining.length
            ? `Deleted the ${r.deleted.join(', ')} credential of '${showText(r.name)}'; it keeps ${r.remaining.map((c) => c.mechanism).join(', ')}.\n`
            : `Deleted the user '${showText(r.name)}' (${r.deleted.join(', ')}).\n`,
        );
    });
}
