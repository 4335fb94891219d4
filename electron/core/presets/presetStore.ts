import { randomUUID } from 'node:crypto';
import { SerialQueue } from '../store/serialQueue';
import { z } from 'zod';
import { connectorSecretsAsVariables, Preset, PresetInput } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { compileRegex } from '../filters/safeRegex';
import { jsonPathOrRefuse } from '../filters/messageFilter';
import { TEMPLATE_HELPERS } from '../operations/messageTemplate';
import { insideDataDir } from '../paths';
import { AtomicJsonFile } from '../store/atomicJsonFile';

const PRESETS_SCHEMA_VERSION = 1;
const Doc = z.object({ schemaVersion: z.literal(PRESETS_SCHEMA_VERSION), presets: z.array(Preset) });
type Doc = z.infer<typeof Doc>;

/** `{{name}}` placeholders anywhere in the operation's strings, in order of first appearance; batch-template helpers ({{seq}}, …) are not variables. */
export function variablesOf(operation: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g)) {
        if (!(TEMPLATE_HELPERS as readonly string[]).includes(m[1]!)) found.add(m[1]!);
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(operation);
  return [...found];
}

/** Replaces `{{name}}` with the given values; a variable without a value is an error naming it. */
export function fillVariables<T>(operation: T, values: Record<string, string>): T {
  const missing = variablesOf(operation).filter((v) => !(v in values));
  if (missing.length)
    throw new CoreError('INVALID_INPUT', `This preset needs a value for ${missing.map((m) => `{{${m}}}`).join(', ')}.`);
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g, (whole, n: string) => (n in values ? values[n]! : whole));
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(operation) as T;
}

/**
 * The filters a preset carries (a consume search, a topic pattern, the table's filter) are checked as
 * they would run: a shared preset whose JSON path or regular expression Kafka Desk does not take is
 * refused with the sentence that says what it supports, not saved to fail later. (Nothing in them is
 * ever evaluated as code: see filters/.)
 */
function checkPresetFilters(p: Pick<z.output<typeof PresetInput>, 'operation' | 'view'>): void {
  if (p.operation.kind === 'consume') {
    const { filter, topicPattern } = p.operation.input;
    if (filter?.jsonPath) jsonPathOrRefuse(filter.jsonPath.path, 'operation.input.filter.jsonPath.path');
    if (filter?.regex) compileRegex(filter.regex, { field: 'operation.input.filter.regex' });
    if (topicPattern)
      compileRegex(`^(?:${topicPattern})$`, {
        field: 'operation.input.topicPattern',
        what: 'The topic pattern',
        shown: topicPattern,
      });
  }
  const row = p.view?.rowFilter;
  if (row?.jsonPath?.trim()) {
    const at = row.jsonPath.indexOf('=');
    jsonPathOrRefuse((at < 0 ? row.jsonPath : row.jsonPath.slice(0, at)).trim(), 'view.rowFilter.jsonPath');
  }
  if (row?.regex && row.text?.trim()) compileRegex(row.text.trim(), { ignoreCase: true, field: 'view.rowFilter.text' });
}

/**
 * A connector preset keeps no secrets: a password, token or key in its config becomes a `{{variable}}`
 * (asked for when the preset runs), as the connector view masks it on screen.
 */
function withoutSecrets<T extends Preset['operation']>(operation: T): T {
  if (operation.kind !== 'connector') return operation;
  return { ...operation, input: { ...operation.input, config: connectorSecretsAsVariables(operation.input.config) } };
}

/** Presets in `<data>/presets.json`: atomic, versioned, no secrets (a preset names its connection). */
export class PresetStore {
  private readonly doc: AtomicJsonFile<Doc>;
  private readonly queue = new SerialQueue();

  constructor(dataDir: string) {
    this.doc = new AtomicJsonFile<Doc>(
      insideDataDir(dataDir, 'presets.json'),
      PRESETS_SCHEMA_VERSION,
      {},
      () => ({ schemaVersion: PRESETS_SCHEMA_VERSION, presets: [] }),
      (d) => Doc.parse(d),
    );
  }

  private async load(): Promise<Doc> {
    try {
      return await this.doc.read();
    } catch (e) {
      throw new CoreError(
        'STORE_CORRUPT',
        'The saved presets file could not be read; it was left untouched.',
        describeCause(e),
      );
    }
  }

  async list(): Promise<Preset[]> {
    return (await this.load()).presets.sort((a, b) => a.folder.localeCompare(b.folder) || a.name.localeCompare(b.name));
  }

  async findByName(name: string): Promise<Preset> {
    const all = await this.list();
    const p = all.find((x) => x.name === name) ?? all.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!p)
      throw new CoreError(
        'NOT_FOUND',
        `There is no preset named '${name}'.${all.length ? ` Saved: ${all.map((x) => `'${x.name}'`).join(', ')}.` : ''}`,
      );
    return p;
  }

  save(input: z.output<typeof PresetInput>): Promise<Preset> {
    return this.queue.run(async () => {
      checkPresetFilters(input);
      const d = await this.load();
      const existing = input.id ? d.presets.find((p) => p.id === input.id) : undefined;
      if (input.id && !existing) throw new CoreError('NOT_FOUND', `There is no preset with id ${input.id}.`);
      const clash = d.presets.find((p) => p.name.toLowerCase() === input.name.toLowerCase() && p.id !== input.id);
      if (clash)
        throw new CoreError(
          'CONFLICT',
          `A preset named '${clash.name}' already exists; choose another name.`,
          undefined,
          [{ path: 'name', message: 'already used' }],
        );
      const now = new Date().toISOString();
      const operation = withoutSecrets(input.operation);
      const preset: Preset = {
        id: existing?.id ?? randomUUID(),
        name: input.name,
        folder: input.folder,
        tags: input.tags,
        description: input.description,
        connectionName: input.connectionName,
        operation,
        ...(input.view ? { view: input.view } : {}),
        variables: variablesOf(operation),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.doc.write({
        schemaVersion: PRESETS_SCHEMA_VERSION,
        presets: existing ? d.presets.map((p) => (p.id === preset.id ? preset : p)) : [...d.presets, preset],
      });
      return preset;
    });
  }

  delete(id: string): Promise<boolean> {
    return this.queue.run(async () => {
      const d = await this.load();
      if (!d.presets.some((p) => p.id === id)) return false;
      await this.doc.write({ schemaVersion: PRESETS_SCHEMA_VERSION, presets: d.presets.filter((p) => p.id !== id) });
      return true;
    });
  }

  async exportJson(ids?: string[]): Promise<{ json: string; count: number }> {
    const all = await this.list();
    const chosen = ids ? all.filter((p) => ids.includes(p.id)) : all;
    // a preset saved by an older version may still hold a connector's secrets: never exported
    const presets = chosen.map(({ name, folder, tags, description, connectionName, operation, view }) => ({
      name,
      folder,
      tags,
      description,
      connectionName,
      operation: withoutSecrets(operation),
      ...(view ? { view } : {}),
    }));
    return { json: JSON.stringify({ kafkaDeskPresets: 1, presets }, null, 2) + '\n', count: presets.length };
  }

  /** Imports presets exported by Kafka Desk; one with a name already used is skipped, with the reason. */
  async importJson(
    json: string,
    connectionName?: string,
  ): Promise<{ imported: string[]; skipped: { name: string; reason: string }[] }> {
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw new CoreError('INVALID_INPUT', `The file is not JSON: ${(e as Error).message}`);
    }
    const list = (doc as { presets?: unknown }).presets;
    if (!Array.isArray(list))
      throw new CoreError('INVALID_INPUT', 'The file is not a Kafka Desk presets export (no "presets" list).');
    const imported: string[] = [];
    const skipped: { name: string; reason: string }[] = [];
    const existing = new Set((await this.list()).map((p) => p.name.toLowerCase()));
    for (const raw of list) {
      const parsed = PresetInput.safeParse(
        connectionName && raw && typeof raw === 'object' ? { ...raw, connectionName } : raw,
      );
      const name = typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : '(no name)';
      if (!parsed.success) {
        skipped.push({ name, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        continue;
      }
      if (existing.has(parsed.data.name.toLowerCase())) {
        skipped.push({ name, reason: 'a preset with this name already exists' });
        continue;
      }
      const { id: _id, ...rest } = parsed.data;
      try {
        await this.save(rest);
      } catch (e) {
        if (!(e instanceof CoreError) || e.code !== 'INVALID_INPUT') throw e;
        skipped.push({ name, reason: e.message });
        continue;
      }
      existing.add(parsed.data.name.toLowerCase());
      imported.push(parsed.data.name);
    }
    return { imported, skipped };
  }
}
