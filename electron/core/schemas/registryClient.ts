import type { CompatibilityLevel, SchemaReference, SchemaType, SchemaVersion, SubjectSummary } from '../../contract';
import { CompatibilityLevel as Levels, SchemaType as Types } from '../../contract';
import { CoreError } from '../coreError';
import { RestClient, type RestEndpoint, type RestResponse, type RestService } from '../http/restClient';

const SCHEMA_REGISTRY: RestService = {
  name: 'The Schema Registry',
  refusedHint: 'is it running, and is that its port (often 8081)?',
  secretLabel: 'Schema Registry password or token',
  changeLabel: 'change the Schema Registry',
  // a compatibility check (POST /compatibility/…) and a lookup (POST /subjects/{s} without /versions) only read
  isRead: (method, path) =>
    method === 'GET' ||
    (method === 'POST' && (/^\/compatibility\//.test(path) || /^\/subjects\/[^/]+(\?|$)/.test(path))),
  accept: 'application/vnd.schemaregistry.v1+json, application/json',
  contentType: 'application/vnd.schemaregistry.v1+json',
};

const enc = encodeURIComponent;

interface RawSchema {
  subject?: string;
  version?: number;
  id?: number;
  schemaType?: string;
  schema: string;
  references?: SchemaReference[] | null;
}

const typeOf = (t: string | undefined): SchemaType => {
  const parsed = Types.safeParse((t ?? 'AVRO').toUpperCase());
  // the registry's default type is Avro (it leaves schemaType out for Avro)
  return parsed.success ? parsed.data : 'AVRO';
};
const levelOf = (l: unknown): CompatibilityLevel | null => {
  const parsed = Levels.safeParse(typeof l === 'string' ? l.toUpperCase() : l);
  return parsed.success ? parsed.data : null;
};

/**
 * The Confluent Schema Registry REST API, as Confluent's registry, Karapace, Redpanda, Apicurio's
 * compatibility API and AxonOps serve it. Written on our REST client (failover, auth, TLS, caps):
 * the API is a handful of JSON calls, and the libraries that wrap it bring their own HTTP stack,
 * which would bypass the read-only gate and the secret binding. Real registries differ in small ways,
 * handled here: `GET /subjects` may answer `null` for none; error bodies may be plain text (401/403)
 * instead of `{error_code, message}`; responses may carry fields the API does not name.
 */
export class RegistryClient {
  private readonly rest: RestClient;

  constructor(
    readonly endpoint: RestEndpoint,
    owner: { name: string; readOnly: boolean },
  ) {
    this.rest = new RestClient(endpoint, SCHEMA_REGISTRY, owner);
  }

  private async ok<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const r = await this.rest.call(method, path, body);
    if (r.status >= 200 && r.status < 300) return r.body as T;
    throw this.error(r, `${method} ${path.split('?')[0]}`);
  }

  /** 404 as null (a subject or a config that is not there), anything else not 2xx as an error. */
  private async maybe<T>(path: string): Promise<T | null> {
    const r = await this.rest.call('GET', path);
    if (r.status >= 200 && r.status < 300) return r.body as T;
    if (r.status === 404) return null;
    throw this.error(r, `GET ${path.split('?')[0]}`);
  }

  private error(r: RestResponse, what: string): CoreError {
    const e = this.rest.httpError(r, what);
    const code = (r.body as { error_code?: unknown } | null)?.error_code;
    // Confluent's codes: 40401 subject, 40402 version, 40403 schema not found; 42201 invalid schema; 409 incompatible
    if (r.status === 404)
      return new CoreError(
        'SCHEMA_UNAVAILABLE',
        e.message.replace(/^The Schema Registry: /, 'The Schema Registry says: '),
        e.detail,
      );
    if (r.status === 422 || code === 42201 || code === 42202)
      return new CoreError(
        'SCHEMA_INVALID',
        e.message.replace(/^The Schema Registry: /, 'The Schema Registry refused the schema: '),
        e.detail,
      );
    return e;
  }

  async subjectNames(deleted = false): Promise<string[]> {
    const list = await this.ok<string[] | null>('GET', `/subjects${deleted ? '?deleted=true' : ''}`);
    return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
  }

  async versions(subject: string): Promise<number[]> {
    const list = await this.ok<number[] | null>('GET', `/subjects/${enc(subject)}/versions`);
    return Array.isArray(list) ? list.filter((v) => Number.isInteger(v)) : [];
  }

  /** `deleted`: a soft-deleted subject's or version's too (the registry hides them otherwise). */
  async version(subject: string, version: number | 'latest', deleted = false): Promise<SchemaVersion> {
    const raw = await this.ok<RawSchema>(
      'GET',
      `/subjects/${enc(subject)}/versions/${version}${deleted ? '?deleted=true' : ''}`,
    );
    return toVersion(raw, subject);
  }

  async byId(id: number): Promise<{ schemaType: SchemaType; schema: string; references: SchemaReference[] }> {
    const raw = await this.ok<RawSchema>('GET', `/schemas/ids/${id}`);
    return { schemaType: typeOf(raw.schemaType), schema: raw.schema, references: raw.references ?? [] };
  }

  async usedBy(id: number): Promise<{ subject: string; version: number }[]> {
    const r = await this.rest.call('GET', `/schemas/ids/${id}/versions`);
    if (r.status < 200 || r.status >= 300 || !Array.isArray(r.body)) return [];
    return (r.body as { subject?: unknown; version?: unknown }[])
      .filter((x) => typeof x.subject === 'string' && Number.isInteger(x.version))
      .map((x) => ({ subject: x.subject as string, version: x.version as number }));
  }

  /** The subject's own compatibility level; null when it uses the registry's default. */
  async subjectCompatibility(subject: string): Promise<CompatibilityLevel | null> {
    const c = await this.maybe<{ compatibilityLevel?: string; compatibility?: string }>(
      `/config/${enc(subject)}?defaultToGlobal=false`,
    );
    return c ? levelOf(c.compatibilityLevel ?? c.compatibility) : null;
  }

  async defaultCompatibility(): Promise<CompatibilityLevel | null> {
    const c = await this.maybe<{ compatibilityLevel?: string; compatibility?: string }>('/config');
    return c ? levelOf(c.compatibilityLevel ?? c.compatibility) : null;
  }

  async mode(): Promise<string | null> {
    try {
      const m = await this.maybe<{ mode?: string }>('/mode');
      return typeof m?.mode === 'string' ? m.mode : null;
    } catch {
      return null; // not every registry has /mode (or lets every user read it)
    }
  }

  async summary(subject: string, deleted: boolean): Promise<SubjectSummary> {
    const [latest, compatibility] = await Promise.all([
      this.version(subject, 'latest', deleted),
      this.subjectCompatibility(subject).catch(() => null),
    ]);
    return {
      subject,
      latestVersion: latest.version,
      schemaId: latest.schemaId,
      schemaType: latest.schemaType,
      compatibility,
      deleted,
    };
  }

  async register(
    subject: string,
    draft: { schemaType: SchemaType; schema: string; references: SchemaReference[] },
  ): Promise<{ schemaId: number; version: number | null }> {
    const r = await this.ok<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, body(draft));
    // the version it got (registries answer only the id): the lookup says
    const found = await this.lookup(subject, draft).catch(() => null);
    return { schemaId: r.id, version: found?.version ?? null };
  }

  /** The version of the subject that holds exactly this schema; null when none does. */
  async lookup(
    subject: string,
    draft: { schemaType: SchemaType; schema: string; references: SchemaReference[] },
  ): Promise<{ version: number; schemaId: number } | null> {
    const r = await this.rest.call('POST', `/subjects/${enc(subject)}`, body(draft));
    if (r.status === 404) return null;
    if (r.status < 200 || r.status >= 300) throw this.error(r, `POST /subjects/${subject}`);
    const raw = r.body as RawSchema;
    return Number.isInteger(raw.version) && Number.isInteger(raw.id)
      ? { version: raw.version as number, schemaId: raw.id as number }
      : null;
  }

  async check(
    subject: string,
    version: number | 'latest',
    draft: { schemaType: SchemaType; schema: string; references: SchemaReference[] },
  ): Promise<{ compatible: boolean; messages: string[]; subjectExists: boolean }> {
    const r = await this.rest.call(
      'POST',
      `/compatibility/subjects/${enc(subject)}/versions/${version}?verbose=true`,
      body(draft),
    );
    // a 404 is "no such subject" (nothing to be incompatible with) only when the subject really has no
    // versions: registries answer 404 too for a version it does not hold, or a referenced subject that
    // does not exist (with the same 40401 on some), and those are errors, never "compatible"
    if (
      r.status === 404 &&
      !(await this.versions(subject).then(
        (v) => v.length > 0,
        () => false,
      ))
    )
      return {
        compatible: true,
        messages: ['The subject has no versions yet: any schema is compatible.'],
        subjectExists: false,
      };
    if (r.status < 200 || r.status >= 300) throw this.error(r, `POST /compatibility/subjects/${subject}`);
    const b = r.body as { is_compatible?: unknown; messages?: unknown };
    return {
      compatible: b.is_compatible === true,
      messages: Array.isArray(b.messages) ? b.messages.map(String) : [],
      subjectExists: true,
    };
  }

  async setCompatibility(
    subject: string | undefined,
    level: CompatibilityLevel | null,
  ): Promise<CompatibilityLevel | null> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}`;
    if (level === null) {
      await this.ok('DELETE', path);
      return null;
    }
    const r = await this.ok<{ compatibility?: string; compatibilityLevel?: string }>('PUT', path, {
      compatibility: level,
    });
    return levelOf(r.compatibility ?? r.compatibilityLevel) ?? level;
  }

  async deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    const r = await this.ok<number[] | null>(
      'DELETE',
      `/subjects/${enc(subject)}${permanent ? '?permanent=true' : ''}`,
    );
    return Array.isArray(r) ? r : [];
  }

  async deleteVersion(subject: string, version: number, permanent: boolean): Promise<number[]> {
    const r = await this.ok<number | null>(
      'DELETE',
      `/subjects/${enc(subject)}/versions/${version}${permanent ? '?permanent=true' : ''}`,
    );
    return typeof r === 'number' ? [r] : [version];
  }

  /** The schema types the registry takes (older registries: Avro only). */
  async types(): Promise<string[]> {
    const r = await this.rest.call('GET', '/schemas/types');
    return r.status === 200 && Array.isArray(r.body) ? r.body.map(String) : ['AVRO'];
  }
}

const body = (d: { schemaType: SchemaType; schema: string; references: SchemaReference[] }) => ({
  // Avro is the default type; some registries refuse an explicit AVRO on older API versions
  ...(d.schemaType === 'AVRO' ? {} : { schemaType: d.schemaType }),
  schema: d.schema,
  ...(d.references.length ? { references: d.references } : {}),
});

function toVersion(raw: RawSchema, subject: string): SchemaVersion {
  if (typeof raw?.schema !== 'string' || !Number.isInteger(raw.id) || !Number.isInteger(raw.version))
    throw new CoreError(
      'SCHEMA_UNAVAILABLE',
      `The Schema Registry's answer for subject '${subject}' is not a schema version.`,
    );
  return {
    subject: raw.subject ?? subject,
    version: raw.version as number,
    schemaId: raw.id as number,
    schemaType: typeOf(raw.schemaType),
    schema: raw.schema,
    references: (raw.references ?? []).filter(
      (x) => typeof x?.name === 'string' && typeof x.subject === 'string' && Number.isInteger(x.version),
    ),
  };
}
