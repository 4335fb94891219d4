import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import {
  ConnectUrl,
  MessageFormat,
  OnUndecodable,
  SchemaType,
  type LocalSchema,
  type ProduceMessage,
  type SchemaChoice,
  type SchemaReference,
  type UndecodableSummary,
} from '../contract';
import type { Core } from '../core';
import { CoreError } from '../core/coreError';
import { callCore } from './callCore';
import { showText } from './terminalText';

/**
 * The command line's Schema Registry and schema flags: the registry a command uses (`--schema-registry`
 * and its auth, as `--connect-url` does for Kafka Connect), how Consume and Listen read keys and values,
 * and which schema Produce encodes them with. Parsing only; the core does the work.
 */

const collect = (v: string, prev: string[]) => [...prev, v];

export interface RegistryFlags {
  schemaRegistry?: string[];
  registryUser?: string;
  registryPassword?: string;
  registryToken?: string;
  registryCa?: string;
  registryCert?: string;
  registryKey?: string;
  registryInsecure?: boolean;
  registryAllowPlainHttp?: boolean;
}

/** The secrets follow the Kafka and Connect passwords' rule: a flag, or an environment variable kept out of argv. */
export const REGISTRY_PASSWORD_ENV = 'KAFKA_DESK_REGISTRY_PASSWORD';
export const REGISTRY_TOKEN_ENV = 'KAFKA_DESK_REGISTRY_TOKEN';

export function addRegistryFlags(cmd: Command): Command {
  return cmd
    .option(
      '--schema-registry <url>',
      "a Schema Registry URL (repeatable or comma-separated: tried in order; default: the saved connection's)",
      collect,
      [] as string[],
    )
    .option('--registry-user <user>', 'Schema Registry basic-auth user (Confluent Cloud: the API key)')
    .option('--registry-password <password>', `Schema Registry basic-auth password (or set ${REGISTRY_PASSWORD_ENV})`)
    .option('--registry-token <token>', `Schema Registry bearer token (or set ${REGISTRY_TOKEN_ENV})`)
    .option('--registry-ca <file>', 'CA certificate (PEM) of an https Schema Registry')
    .option('--registry-cert <file>', 'client certificate (PEM) for the Schema Registry')
    .option('--registry-key <file>', 'client private key (PEM) for the Schema Registry')
    .option('--registry-insecure', 'do not verify the Schema Registry certificate (never on production)')
    .option(
      '--registry-allow-plain-http',
      'send the registry password or token to an http:// URL, unencrypted (only on a network you trust)',
    );
}

/** What `core.registerTransientSchemaRegistry` takes. */
export interface TransientRegistry {
  name: string;
  urls: string[];
  username: string;
  password: string;
  bearerToken?: string;
  ca?: string;
  cert?: string;
  key?: string;
  verify: boolean;
  timeoutMs: number;
  allowPlainHttp: boolean;
}

async function text(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new CoreError('FILE_ERROR', `Cannot read ${file}: ${(e as Error).message}`);
  }
}

/** The registry the flags describe, or null: none given (a saved connection's own registry then applies). */
export async function registryFromFlags(
  flags: RegistryFlags,
  env: NodeJS.ProcessEnv,
): Promise<TransientRegistry | null> {
  const urls = (flags.schemaRegistry ?? [])
    .flatMap((u) => u.split(','))
    .map((u) => u.trim())
    .filter(Boolean);
  if (!urls.length) {
    const given = (
      [
        ['registryUser', '--registry-user'],
        ['registryPassword', '--registry-password'],
        ['registryToken', '--registry-token'],
        ['registryCa', '--registry-ca'],
        ['registryCert', '--registry-cert'],
        ['registryKey', '--registry-key'],
        ['registryInsecure', '--registry-insecure'],
        ['registryAllowPlainHttp', '--registry-allow-plain-http'],
      ] as const
    ).find(([k]) => flags[k] !== undefined);
    if (given) throw new CoreError('INVALID_INPUT', `${given[1]} needs --schema-registry URL.`);
    return null;
  }
  for (const u of urls) {
    const r = ConnectUrl.safeParse(u);
    if (!r.success)
      throw new CoreError(
        'INVALID_INPUT',
        `--schema-registry ${u}: must be an http(s) URL without a user in it, e.g. https://registry.example.com:8081.`,
      );
  }
  if (flags.registryCert && !flags.registryKey)
    throw new CoreError(
      'INVALID_INPUT',
      '--registry-cert needs --registry-key FILE (the private key of that certificate).',
    );
  const bearerToken = flags.registryToken ?? env[REGISTRY_TOKEN_ENV];
  const [ca, cert, key] = await Promise.all([
    text(flags.registryCa),
    text(flags.registryCert),
    text(flags.registryKey),
  ]);
  return {
    name: 'command line',
    urls: urls.map((u) => u.replace(/\/+$/, '')),
    username: flags.registryUser ?? '',
    password: flags.registryPassword ?? env[REGISTRY_PASSWORD_ENV] ?? '',
    ...(bearerToken ? { bearerToken } : {}),
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    verify: !flags.registryInsecure,
    timeoutMs: 30_000,
    allowPlainHttp: Boolean(flags.registryAllowPlainHttp),
  };
}

// ---- Consume and Listen: how keys and values are read

export interface DecodeFlags {
  keyFormat: MessageFormat;
  valueFormat: MessageFormat;
  onUndecodable: OnUndecodable;
}

export function addDecodeFlags(cmd: Command): Command {
  const formats = MessageFormat.options;
  return cmd
    .addOption(
      new Option('--key-format <format>', 'read keys as (auto: by schema id or attached schema, else as text)')
        .choices(formats)
        .default('auto'),
    )
    .addOption(
      new Option(
        '--value-format <format>',
        'read values as (avro, protobuf, json-schema, json: a message not of it is undecodable)',
      )
        .choices(formats)
        .default('auto'),
    )
    .addOption(
      new Option('--on-undecodable <action>', 'a message not of the chosen format: show it raw, skip it, or stop there')
        .choices(OnUndecodable.options)
        .default('show'),
    );
}

export const decodeInput = (flags: DecodeFlags) => ({
  keyFormat: flags.keyFormat,
  valueFormat: flags.valueFormat,
  onUndecodable: flags.onUndecodable,
});

/** "3 message(s) were not avro: skipped; the first at orders[0] offset 5 (its value): no schema id …" */
export function undecodableLine(u: UndecodableSummary | undefined, flags: DecodeFlags): string | null {
  if (!u || !u.count) return null;
  const f = u.first;
  const format = f?.part === 'key' ? flags.keyFormat : f?.part === 'value' ? flags.valueFormat : undefined;
  const what = { show: 'shown raw', skip: 'skipped', stop: 'stopped there' }[u.action];
  const first = f
    ? `; the first at ${showText(f.topic)}[${f.partition}] offset ${f.offset} (its ${f.part}): ${showText(f.reason)}`
    : '';
  return `${u.count.toLocaleString('en')} message(s) were not ${format ?? 'of the chosen format'}: ${what}${first}.\n`;
}

// ---- Subjects and schema files

/** `--version 3 | latest`. */
export function parseVersion(v: string, flag = '--version'): number | 'latest' {
  if (v === 'latest') return 'latest';
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new CoreError('INVALID_INPUT', `${flag} ${v}: write a version number (1, 2, …) or latest.`);
  return Number(v);
}

/** `--reference name=subject:version` (a Protobuf import path, an Avro type name, a JSON Schema $ref). */
export function parseReference(v: string): SchemaReference {
  const m = /^([^=]+)=(.+):(\d+)$/.exec(v);
  if (!m || Number(m[3]) < 1)
    throw new CoreError(
      'INVALID_INPUT',
      `--reference ${v}: write it as name=subject:version (e.g. common/money.proto=money-value:1).`,
    );
  return { name: m[1]!, subject: m[2]!, version: Number(m[3]) };
}

export function parseSchemaId(v: string, flag: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 2 ** 31 - 1)
    throw new CoreError('INVALID_INPUT', `${flag} ${v}: write a schema id (0, 1, 2, …).`);
  return Number(v);
}

/** The type a schema file holds: --type, else its extension (.avsc, .proto); a .json file says which with --type. */
export function schemaTypeOf(file: string, type: string | undefined, flag: string): SchemaType {
  if (type !== undefined) {
    const t = SchemaType.safeParse(type.toUpperCase());
    if (!t.success) throw new CoreError('INVALID_INPUT', `${flag} ${type}: one of AVRO, PROTOBUF, JSON.`);
    return t.data;
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.avsc') return 'AVRO';
  if (ext === '.proto') return 'PROTOBUF';
  throw new CoreError(
    'INVALID_INPUT',
    `Which kind of schema is ${path.basename(file)}? Say ${flag} AVRO, PROTOBUF or JSON (only .avsc and .proto are known by their name).`,
  );
}

export async function readSchemaFile(file: string): Promise<string> {
  return (await text(file)) as string;
}

/** A Protobuf import folder: its .proto files, named by their path inside it (as `import "common/money.proto";`). */
export async function importFolder(dir: string | undefined): Promise<{ name: string; content: string }[]> {
  if (!dir) return [];
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true })).map(String);
  } catch (e) {
    throw new CoreError('FILE_ERROR', `Cannot read the folder ${dir}: ${(e as Error).message}`);
  }
  const protos = entries.filter((e) => e.endsWith('.proto')).sort();
  if (protos.length > 200)
    throw new CoreError('INVALID_INPUT', `${dir} holds ${protos.length} .proto files; at most 200 can be imported.`);
  return Promise.all(
    protos.map(async (p) => ({
      name: p.split(path.sep).join('/'),
      content: (await text(path.join(dir, p))) as string,
    })),
  );
}

// ---- Produce: which schema encodes the key and the value

export interface ProduceSchemaFlags {
  keySubject?: string;
  keyVersion?: string;
  keySchemaId?: string;
  keySchemaFile?: string;
  keySchemaType?: string;
  keyMessage?: string;
  valueSubject?: string;
  valueVersion?: string;
  valueSchemaId?: string;
  valueSchemaFile?: string;
  valueSchemaType?: string;
  valueMessage?: string;
  schemaImportDir?: string;
}

export function addProduceSchemaFlags(cmd: Command): Command {
  for (const part of ['value', 'key'] as const) {
    cmd
      .option(`--${part}-subject <subject>`, `encode the ${part} (JSON) with this subject's schema`)
      .option(`--${part}-version <version>`, `with --${part}-subject: this version (default latest)`)
      .option(
        `--${part}-schema-id <id>`,
        `encode the ${part} with this registry schema id (with --${part}-schema-file: the id its wire header carries)`,
      )
      .option(`--${part}-schema-file <file>`, `encode the ${part} with a schema file (.avsc, .proto, JSON Schema)`)
      .option(`--${part}-schema-type <type>`, `the type of --${part}-schema-file: AVRO, PROTOBUF or JSON`)
      .option(`--${part}-message <name>`, `Protobuf: the ${part}'s message type (default: the schema's first)`);
  }
  return cmd
    .option('--schema-import-dir <dir>', "Protobuf: the folder a schema file's imports are found in")
    .addOption(
      new Option(
        '--key-format <format>',
        'how the key is written: string (as given), json (checked), bytes (given as base64), avro / protobuf / json-schema (encoded with --key-subject …, or the <topic>-key subject), auto',
      )
        .choices([...PRODUCE_FORMATS])
        .default('auto'),
    )
    .addOption(
      new Option(
        '--value-format <format>',
        'how the value is written: string, json, bytes (base64), avro / protobuf / json-schema (with --value-subject …, or the <topic>-value subject), auto',
      )
        .choices([...PRODUCE_FORMATS])
        .default('auto'),
    );
}

const PRODUCE_FORMATS = ['auto', 'string', 'json', 'avro', 'protobuf', 'json-schema', 'bytes'] as const;
type ProduceFormat = (typeof PRODUCE_FORMATS)[number];
const SCHEMA_FORMATS: Record<string, SchemaType> = { avro: 'AVRO', protobuf: 'PROTOBUF', 'json-schema': 'JSON' };

/**
 * `--key-format` / `--value-format` on produce, applied to a batch: `bytes` turns the given text (base64)
 * into the bytes it stands for, `json` checks each is JSON; the schema formats are encoded by the core.
 */
export function applyProduceFormats(
  messages: ProduceMessage[],
  flags: { keyFormat?: string; valueFormat?: string },
  firstIndex: number,
): ProduceMessage[] {
  const convert = (w: ProduceMessage['key'], part: 'key' | 'value', i: number): ProduceMessage['key'] => {
    const format = (part === 'key' ? flags.keyFormat : flags.valueFormat) ?? 'auto';
    if (w === null || w === undefined || typeof w !== 'string') return w ?? null;
    if (format === 'bytes') {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(w) || w.length % 4 !== 0)
        throw new CoreError(
          'INVALID_INPUT',
          `Message ${firstIndex + i + 1}'s ${part} is not base64, which --${part}-format bytes takes.`,
        );
      return { base64: w };
    }
    if (format === 'json' || format in SCHEMA_FORMATS) {
      try {
        JSON.parse(w);
      } catch (e) {
        throw new CoreError(
          'INVALID_INPUT',
          `Message ${firstIndex + i + 1}'s ${part} is not JSON (--${part}-format ${format}): ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    return w;
  };
  return messages.map((m, i) => ({
    ...m,
    key: convert(m.key ?? null, 'key', i),
    value: convert(m.value ?? null, 'value', i),
  }));
}

/** A schema choice as the flags give it: a file is added as a local schema for the run (see withProduceSchemas). */
export type SchemaPlan =
  | { kind: 'choice'; choice: SchemaChoice }
  | { kind: 'file'; file: string; schemaType: SchemaType; messageName?: string; schemaId?: number };

export function produceSchemaPlan(flags: ProduceSchemaFlags, part: 'key' | 'value'): SchemaPlan | undefined {
  const get = (name: 'Subject' | 'Version' | 'SchemaId' | 'SchemaFile' | 'SchemaType' | 'Message') =>
    flags[`${part}${name}` as keyof ProduceSchemaFlags];
  const subject = get('Subject');
  const version = get('Version');
  const schemaId = get('SchemaId');
  const file = get('SchemaFile');
  const type = get('SchemaType');
  const messageName = get('Message');
  const named = messageName !== undefined ? { messageName } : {};
  if (subject !== undefined && (schemaId !== undefined || file !== undefined))
    throw new CoreError(
      'INVALID_INPUT',
      `Use one of --${part}-subject, --${part}-schema-id or --${part}-schema-file (a file may carry --${part}-schema-id).`,
    );
  if (version !== undefined && subject === undefined)
    throw new CoreError('INVALID_INPUT', `--${part}-version needs --${part}-subject.`);
  if (type !== undefined && file === undefined)
    throw new CoreError('INVALID_INPUT', `--${part}-schema-type needs --${part}-schema-file.`);
  if (subject !== undefined)
    return {
      kind: 'choice',
      choice: {
        kind: 'subject',
        subject,
        version: version === undefined ? 'latest' : parseVersion(version, `--${part}-version`),
        ...named,
      },
    };
  const id = schemaId === undefined ? undefined : parseSchemaId(schemaId, `--${part}-schema-id`);
  if (file !== undefined)
    return {
      kind: 'file',
      file,
      schemaType: schemaTypeOf(file, type, `--${part}-schema-type`),
      ...named,
      ...(id !== undefined ? { schemaId: id } : {}),
    };
  if (id !== undefined) return { kind: 'choice', choice: { kind: 'id', schemaId: id, ...named } };
  if (messageName !== undefined)
    throw new CoreError(
      'INVALID_INPUT',
      `--${part}-message needs --${part}-subject, --${part}-schema-id or --${part}-schema-file.`,
    );
  return undefined;
}

/**
 * Runs a Produce with the flags' schemas. A schema file is added to the core as a local schema (the
 * core compiles it and encodes with it) and deleted again when the Produce ends, failed or not: a
 * file named on the command line is for this run, not kept in the data folder.
 */
export async function withProduceSchemas<T>(
  target: { core: Core; id: string },
  flags: ProduceSchemaFlags & { topic: string; keyFormat?: string; valueFormat?: string },
  run: (schemas: { keySchema?: SchemaChoice; valueSchema?: SchemaChoice }) => Promise<T>,
): Promise<T> {
  const plan = async (part: 'key' | 'value'): Promise<SchemaPlan | undefined> => {
    const given = produceSchemaPlan(flags, part);
    const format = ((part === 'key' ? flags.keyFormat : flags.valueFormat) ?? 'auto') as ProduceFormat;
    const type = SCHEMA_FORMATS[format];
    if (!type) {
      if (given && format !== 'auto')
        throw new CoreError(
          'INVALID_INPUT',
          `--${part}-format ${format} writes no schema: leave out the --${part} schema flags, or use --${part}-format avro, protobuf or json-schema.`,
        );
      return given;
    }
    if (given?.kind === 'file') {
      if (given.schemaType !== type)
        throw new CoreError('INVALID_INPUT', `--${part}-format ${format}, but the schema file is ${given.schemaType}.`);
      return given;
    }
    // a schema format without a schema flag: the topic's own subject (TopicNameStrategy), latest version
    const chosen: SchemaPlan = given ?? {
      kind: 'choice',
      choice: { kind: 'subject', subject: `${flags.topic}-${part}`, version: 'latest' },
    };
    if (chosen.kind === 'choice' && chosen.choice.kind === 'subject') {
      const v = await callCore<{ schemaType: SchemaType }>(target.core, 'schemas.get', {
        id: target.id,
        subject: chosen.choice.subject,
        version: chosen.choice.version ?? 'latest',
      });
      if (v.schemaType !== type)
        throw new CoreError(
          'INVALID_INPUT',
          `--${part}-format ${format}, but subject ${chosen.choice.subject} holds a ${v.schemaType} schema.`,
        );
    }
    return chosen;
  };
  const plans = { key: await plan('key'), value: await plan('value') };
  const added: string[] = [];
  try {
    const imports =
      plans.key?.kind === 'file' || plans.value?.kind === 'file' ? await importFolder(flags.schemaImportDir) : [];
    const choice = async (plan: SchemaPlan | undefined): Promise<SchemaChoice | undefined> => {
      if (!plan) return undefined;
      if (plan.kind === 'choice') return plan.choice;
      const local = await callCore<LocalSchema>(target.core, 'localSchemas.add', {
        connectionId: target.id,
        schemaType: plan.schemaType,
        file: { name: path.basename(plan.file), content: await readSchemaFile(plan.file) },
        imports: plan.schemaType === 'PROTOBUF' ? imports : [],
      });
      added.push(local.id);
      return {
        kind: 'local',
        localSchemaId: local.id,
        ...(plan.messageName !== undefined ? { messageName: plan.messageName } : {}),
        ...(plan.schemaId !== undefined ? { schemaId: plan.schemaId } : {}),
      };
    };
    const keySchema = await choice(plans.key);
    const valueSchema = await choice(plans.value);
    return await run({ ...(keySchema ? { keySchema } : {}), ...(valueSchema ? { valueSchema } : {}) });
  } finally {
    for (const localSchemaId of added)
      await callCore(target.core, 'localSchemas.delete', { connectionId: target.id, localSchemaId }).catch(
        () => undefined,
      );
  }
}
