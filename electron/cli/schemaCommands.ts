import path from 'node:path';
import type { Command } from 'commander';
import {
  CompatibilityLevel,
  type ChannelName,
  type LocalSchema,
  type LocalSchemaBinding,
  type SchemaReference,
  type SchemaVersion,
  type SubjectSummary,
} from '../contract';
import { CoreError } from '../core/coreError';
import type { AdminCommandContext } from './adminCommands';
import type { CliTarget } from './callCore';
import { callCore } from './callCore';
import { CliError } from './cliError';
import { printRows } from './output';
import { importFolder, parseReference, parseVersion, readSchemaFile, schemaTypeOf } from './schemaOptions';
import { jsonText, showLines, showText } from './terminalText';

/** The schema commands need a registry, not a broker: `--schema-registry URL` alone is enough. */
export interface SchemaCommandContext extends Omit<AdminCommandContext, 'target'> {
  target: (flags: object, options?: { registryOnly?: boolean }) => Promise<CliTarget>;
}

interface Flags {
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

type SubjectList = { subjects: SubjectSummary[]; defaultCompatibility: CompatibilityLevel | null; mode: string | null };

/** `schemas list | get | versions | register | check | delete | compatibility`, each one channel of the core. */
export function registerSchemaCommands(program: Command, ctx: SchemaCommandContext): void {
  const call = async <T>(flags: object, channel: ChannelName, input: Record<string, unknown>): Promise<T> => {
    const f = flags as { connection?: string; bootstrap?: string; schemaRegistry?: string[] };
    if (!f.connection && !f.bootstrap && !f.schemaRegistry?.length)
      throw new CoreError(
        'INVALID_INPUT',
        'Say which Schema Registry: --schema-registry URL, or --connection NAME for a saved connection with one.',
      );
    const { core, id } = await ctx.target(flags, { registryOnly: true });
    return callCore<T>(core, channel, { ...input, id });
  };
  const printJson = (v: unknown) => ctx.out(jsonText(v) + '\n');
  const schemas = program
    .command('schemas')
    .description("a Schema Registry's subjects: list, get, versions, register, check, delete, compatibility");
  const command = (name: string, description: string) =>
    ctx.addConnectionFlags(schemas.command(name).description(description));

  command('list', 'the subjects with their latest version, schema id, type and compatibility')
    .option('--deleted', 'also soft-deleted subjects')
    .action(async (flags: Flags & { deleted?: boolean }) => {
      const r = await call<SubjectList>(flags, 'schemas.subjects', { includeDeleted: Boolean(flags.deleted) });
      if (flags.json) return printJson(r);
      printRows(
        r.subjects.map((s) => ({
          ...s,
          compatibility: s.compatibility ?? `(${r.defaultCompatibility ?? 'default'})`,
          deleted: s.deleted ? 'deleted' : '',
        })),
        [
          { key: 'subject', title: 'SUBJECT' },
          { key: 'latestVersion', title: 'VERSION', align: 'right' },
          { key: 'schemaId', title: 'ID', align: 'right' },
          { key: 'schemaType', title: 'TYPE' },
          { key: 'compatibility', title: 'COMPATIBILITY' },
          ...(flags.deleted ? [{ key: 'deleted' as const, title: 'STATE' }] : []),
        ],
        false,
        ctx.out,
      );
      ctx.out(
        `\n${r.subjects.length} subject(s); default compatibility ${r.defaultCompatibility ?? '(not said)'}${r.mode ? `; mode ${showText(r.mode)}` : ''}.\n`,
      );
    });

  command('get', "a subject's schema (latest, or --version V)")
    .argument('<subject>')
    .option('--version <version>', 'a version number, or latest', 'latest')
    .action(async (subject: string, flags: Flags & { version: string }) => {
      const v = await call<SchemaVersion>(flags, 'schemas.get', { subject, version: parseVersion(flags.version) });
      if (flags.json) return printJson(v);
      ctx.out(
        `subject     ${showText(v.subject)}\nversion     ${v.version}\nschema id   ${v.schemaId}\ntype        ${v.schemaType}\n`,
      );
      for (const r of v.references) ctx.out(`reference   ${showText(r.name)} → ${showText(r.subject)} v${r.version}\n`);
      ctx.out(`\n${showLines(pretty(v.schema))}\n`);
    });

  command('versions', "a subject's versions")
    .argument('<subject>')
    .action(async (subject: string, flags: Flags) => {
      const r = await call<{ subject: string; versions: number[] }>(flags, 'schemas.versions', { subject });
      if (flags.json) return printJson(r);
      ctx.out(`${showText(r.subject)}: version(s) ${r.versions.join(', ') || '(none)'}\n`);
    });

  const draftFlags = (cmd: Command) =>
    cmd
      .requiredOption('-f, --file <file>', 'the schema (.avsc, .proto, a JSON Schema)')
      .option('--type <type>', 'AVRO, PROTOBUF or JSON (default: by the file name, .avsc or .proto)')
      .option(
        '--reference <name=subject:version>',
        'a schema it refers to (repeatable): a Protobuf import path, an Avro type name, a JSON Schema $ref',
        collect,
        [] as string[],
      );
  type DraftFlags = Flags & { file: string; type?: string; reference: string[] };
  const draft = async (flags: DraftFlags) => ({
    schemaType: schemaTypeOf(flags.file, flags.type, '--type'),
    schema: await readSchemaFile(flags.file),
    references: flags.reference.map(parseReference) satisfies SchemaReference[],
  });

  draftFlags(command('register', 'register a schema as the next version of a subject'))
    .argument('<subject>')
    .action(async (subject: string, flags: DraftFlags) => {
      const r = await call<{ schemaId: number; version: number | null }>(flags, 'schemas.register', {
        subject,
        draft: await draft(flags),
      });
      if (flags.json) return printJson(r);
      ctx.out(
        r.version === null
          ? `Registered under ${showText(subject)}: schema id ${r.schemaId} (the registry did not say which version).\n`
          : `Registered ${showText(subject)} version ${r.version}: schema id ${r.schemaId}.\n`,
      );
    });

  draftFlags(command('check', 'whether a schema is compatible with a subject (exit code 1 when not)'))
    .argument('<subject>')
    .option('--version <version>', 'check against this version (default latest)', 'latest')
    .action(async (subject: string, flags: DraftFlags & { version: string }) => {
      const r = await call<{ compatible: boolean; messages: string[]; subjectExists: boolean }>(
        flags,
        'schemas.check',
        {
          subject,
          draft: await draft(flags),
          version: parseVersion(flags.version),
        },
      );
      if (flags.json) printJson(r);
      else {
        ctx.out(
          `${r.compatible ? 'Compatible' : 'NOT compatible'} with ${showText(subject)} ${flags.version === 'latest' ? '(latest)' : `version ${flags.version}`}${r.subjectExists ? '' : ' (the subject does not exist yet)'}.\n`,
        );
        for (const m of r.messages) ctx.out(`  ${showText(m)}\n`);
      }
      if (!r.compatible)
        throw new CliError({
          code: 'SCHEMA_INVALID',
          message: `The schema is not compatible with ${subject}.`,
        });
    });

  command('delete', 'delete a subject, or one version (soft; --permanent after a soft delete)')
    .argument('<subject>')
    .option('--version <n>', 'only this version')
    .option('--permanent', 'delete for good (the registry needs a soft delete first)')
    .requiredOption('--yes', 'confirm: the subject (or the version) is deleted')
    .action(async (subject: string, flags: Flags & { version?: string; permanent?: boolean }) => {
      const version = flags.version === undefined ? undefined : parseVersion(flags.version);
      if (version === 'latest') throw new CoreError('INVALID_INPUT', '--version: name the version number to delete.');
      const r = await call<{ deleted: number[] }>(flags, 'schemas.delete', {
        subject,
        ...(version !== undefined ? { version } : {}),
        permanent: Boolean(flags.permanent),
      });
      if (flags.json) return printJson(r);
      ctx.out(
        `Deleted ${showText(subject)} version(s) ${r.deleted.join(', ') || '(none)'}${flags.permanent ? ' for good' : ' (soft: --permanent removes them for good)'}.\n`,
      );
    });

  command(
    'compatibility',
    "read or set a subject's compatibility level (LEVEL `default`: use the registry's), or --global LEVEL",
  )
    .argument('[subject]')
    .argument('[level]', CompatibilityLevel.options.join(', ') + ', or default')
    .option('--global [level]', "the registry's default level (read it, or set it to LEVEL)")
    .action(
      async (subject: string | undefined, level: string | undefined, flags: Flags & { global?: string | true }) => {
        if (flags.global !== undefined) {
          if (subject !== undefined)
            throw new CoreError('INVALID_INPUT', '--global is the registry default: name no subject.');
          if (flags.global !== true) {
            const r = await call<{ level: CompatibilityLevel | null }>(flags, 'schemas.setCompatibility', {
              level: parseLevel(flags.global, false),
            });
            if (flags.json) return printJson(r);
            return ctx.out(`The registry's default compatibility is now ${r.level ?? '(not said)'}.\n`);
          }
        }
        if (level !== undefined && subject !== undefined) {
          const r = await call<{ level: CompatibilityLevel | null }>(flags, 'schemas.setCompatibility', {
            subject,
            level: parseLevel(level, true),
          });
          if (flags.json) return printJson(r);
          return ctx.out(
            r.level
              ? `${showText(subject)} is now ${r.level}.\n`
              : `${showText(subject)} now uses the registry's default compatibility.\n`,
          );
        }
        const list = await call<SubjectList>(flags, 'schemas.subjects', { includeDeleted: false });
        if (subject === undefined) {
          if (flags.json) return printJson({ level: list.defaultCompatibility });
          return ctx.out(`The registry's default compatibility: ${list.defaultCompatibility ?? '(not said)'}.\n`);
        }
        const s = list.subjects.find((x) => x.subject === subject);
        if (!s) throw new CoreError('SCHEMA_UNAVAILABLE', `The Schema Registry has no subject ${subject}.`);
        if (flags.json) return printJson({ subject, level: s.compatibility, default: list.defaultCompatibility });
        ctx.out(
          s.compatibility
            ? `${showText(subject)}: ${s.compatibility}.\n`
            : `${showText(subject)}: the registry's default, ${list.defaultCompatibility ?? '(not said)'}.\n`,
        );
      },
    );

  // local schema files: kept with a saved connection (copied into the data folder), for payloads without a schema id
  const local = async <T>(flags: object, channel: ChannelName, input: Record<string, unknown>): Promise<T> => {
    const f = flags as { connection?: string };
    if (!f.connection)
      throw new CoreError(
        'INVALID_INPUT',
        'Local schema files are kept with a saved connection: say which with --connection NAME.',
      );
    const { core, id } = await ctx.target(flags, { registryOnly: true });
    return callCore<T>(core, channel, { ...input, connectionId: id });
  };
  const part = (v: string) => {
    if (v !== 'key' && v !== 'value') throw new CoreError('INVALID_INPUT', `--part must be key or value, not ${v}.`);
    return v;
  };
  command('attach', "attach a local schema file (.avsc, .proto, JSON Schema) to a topic's key or value")
    .argument('<topic>')
    .requiredOption('-f, --file <file>', 'the schema file (copied into the data folder)')
    .option('--part <part>', 'key or value', 'value')
    .option('--type <type>', 'AVRO, PROTOBUF or JSON (default: from the extension)')
    .option('--message <name>', 'Protobuf: the message type (default: the file’s first)')
    .option('--import-dir <dir>', 'Protobuf: the folder its imports are found in')
    .action(
      async (
        topic: string,
        flags: Flags & { file: string; part: string; type?: string; message?: string; importDir?: string },
      ) => {
        const which = part(flags.part);
        const schemaType = schemaTypeOf(flags.file, flags.type, '--type');
        const added = await local<LocalSchema>(flags, 'localSchemas.add', {
          schemaType,
          file: { name: path.basename(flags.file), content: await readSchemaFile(flags.file) },
          imports: schemaType === 'PROTOBUF' ? await importFolder(flags.importDir) : [],
        });
        const bindings = await local<{ bindings: unknown[] }>(flags, 'localSchemas.bind', {
          localSchemaId: added.id,
          ...(flags.message ? { messageName: flags.message } : {}),
          target: { kind: 'topic', topic, part: which },
        });
        if (flags.json) return printJson({ schema: added, bindings: bindings.bindings });
        ctx.out(
          `${showText(added.name)} (${added.schemaType}) now decodes the ${which}s of ${showText(topic)} that carry no schema id.
`,
        );
      },
    );
  command('detach', "detach the local schema file from a topic's key or value")
    .argument('<topic>')
    .option('--part <part>', 'key or value', 'value')
    .action(async (topic: string, flags: Flags & { part: string }) => {
      const which = part(flags.part);
      const { schemas: kept, bindings } = await local<{ schemas: LocalSchema[]; bindings: LocalSchemaBinding[] }>(
        flags,
        'localSchemas.list',
        {},
      );
      const bound = bindings.find(
        (b) => b.target.kind === 'topic' && b.target.topic === topic && b.target.part === which,
      );
      if (!bound) throw new CoreError('NOT_FOUND', `No local schema is attached to the ${which} of ${topic}.`);
      await local(flags, 'localSchemas.bind', { localSchemaId: null, target: bound.target });
      // the file goes with its last attachment
      if (!bindings.some((b) => b !== bound && b.localSchemaId === bound.localSchemaId))
        await local(flags, 'localSchemas.delete', { localSchemaId: bound.localSchemaId });
      const name = kept.find((k) => k.id === bound.localSchemaId)?.name ?? 'the file';
      if (flags.json) return printJson({ detached: true });
      ctx.out(`${showText(name)} no longer decodes the ${which}s of ${showText(topic)}.
`);
    });
  command('local', 'the local schema files of a saved connection and what they are attached to').action(
    async (flags: Flags) => {
      const r = await local<{ schemas: LocalSchema[]; bindings: LocalSchemaBinding[] }>(flags, 'localSchemas.list', {});
      if (flags.json) return printJson(r);
      printRows(
        r.bindings.map((b) => {
          const s = r.schemas.find((x) => x.id === b.localSchemaId);
          return {
            file: s?.name ?? b.localSchemaId,
            type: s?.schemaType ?? '',
            for: b.target.kind === 'topic' ? `${b.target.topic} (${b.target.part})` : `schema id ${b.target.schemaId}`,
            message: b.messageName ?? '',
          };
        }),
        [
          { key: 'file', title: 'FILE' },
          { key: 'type', title: 'TYPE' },
          { key: 'for', title: 'DECODES' },
          { key: 'message', title: 'MESSAGE' },
        ],
        false,
        ctx.out,
      );
    },
  );
}

/** A level by its name (any case); `default` removes a subject's own level. */
export function parseLevel(v: string, allowDefault: boolean): CompatibilityLevel | null {
  if (allowDefault && v.toLowerCase() === 'default') return null;
  const r = CompatibilityLevel.safeParse(v.toUpperCase());
  if (!r.success)
    throw new CoreError(
      'INVALID_INPUT',
      `${v} is not a compatibility level: one of ${CompatibilityLevel.options.join(', ')}${allowDefault ? ', or default' : ''}.`,
    );
  return r.data;
}

/** A JSON schema (Avro, JSON Schema) indented for reading; Protobuf as written. */
function pretty(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}
