import http from 'node:http';
import https from 'node:https';
import { assertWritable } from '../admin/readOnly';
import { CoreError, describeCause } from '../coreError';
import { assertPlainHttpAccepted } from '../connections/secretBinding';

/** Where a REST client sends: URLs tried in order, basic auth or a bearer token, TLS material, opened. */
export interface RestEndpoint {
  name: string;
  urls: string[];
  username: string;
  password: string;
  /** Sent as `Authorization: Bearer …` when set (and no user is). */
  bearerToken?: string;
  ca?: string;
  cert?: string;
  key?: string;
  verify: boolean;
  timeoutMs: number;
  /** Basic auth or a token may go to an http:// URL (the user accepted it). */
  allowPlainHttp: boolean;
}

/** The service behind the URLs, for the sentences and the read-only gate. */
export interface RestService {
  /** 'Kafka Connect', 'The Schema Registry' as a sentence's subject … */
  name: string;
  /** Said when the port refuses: "is the worker running, and is that its REST port (often 8083)?" */
  refusedHint: string;
  /** The secret's name in an error, e.g. 'Connect password'. */
  secretLabel: string;
  /** A request that only reads (allowed on a read-only connection). */
  isRead(method: string, path: string): boolean;
  /** What a change is called in the read-only refusal. */
  changeLabel: string;
  /** Said for a 409 without a message of the server's own. */
  conflictMessage?: string;
  /** The Accept and Content-Type headers (default application/json). */
  accept?: string;
  contentType?: string;
}

export interface RestResponse {
  status: number;
  body: unknown;
  url: string;
}

const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'TIMEOUT',
]);

/**
 * A JSON REST API (Kafka Connect, a Schema Registry) over node's http(s): basic auth or a bearer
 * token, a CA / client certificate, a timeout, a cap on what is read, and failover to the next URL
 * when one cannot be reached. Errors become sentences: the server's own `message` for 4xx/5xx, the
 * network cause otherwise.
 */
export class RestClient {
  /** `owner`: the Kafka connection the service belongs to; a read-only one sends nothing but reads. */
  constructor(
    protected readonly c: RestEndpoint,
    protected readonly service: RestService,
    private readonly owner: { name: string; readOnly: boolean } = { name: c.name, readOnly: false },
  ) {}

  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<RestResponse> {
    // the read-only gate: every request but a read changes the service
    if (!this.service.isRead(method, path))
      assertWritable(this.owner, `${this.service.changeLabel} (${method} ${path.split('?')[0]})`);
    // basic auth or a token crosses the network unencrypted over http://: only when the user accepted it (whoever saved it)
    if (this.c.username || this.c.bearerToken)
      for (const base of this.c.urls)
        assertPlainHttpAccepted(base, this.c.allowPlainHttp === true, this.service.secretLabel, 'allowPlainHttp');
    let last: unknown = null;
    for (const base of this.c.urls) {
      try {
        return await this.once(base, method, path, body);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (!NETWORK.has(code)) throw e;
        last = e;
      }
    }
    const e = last as NodeJS.ErrnoException;
    const where = this.c.urls.join(', ');
    if (e.code === 'ECONNREFUSED')
      throw new CoreError(
        'CONNECTION_REFUSED',
        `${this.service.name} at ${where} refused the connection: ${this.service.refusedHint}`,
        describeCause(e),
      );
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
      throw new CoreError(
        'HOST_NOT_FOUND',
        `The ${this.service.name} host in ${where} could not be found (DNS).`,
        describeCause(e),
      );
    if (e.code === 'TIMEOUT' || e.code === 'ETIMEDOUT')
      throw new CoreError(
        'TIMEOUT',
        `${this.service.name} at ${where} did not answer within ${(this.c.timeoutMs / 1000).toFixed(0)} s.`,
        describeCause(e),
      );
    throw new CoreError(
      'CONNECTION_CLOSED',
      `${this.service.name} at ${where} could not be reached.`,
      describeCause(e),
    );
  }

  /** A call that must succeed (2xx): its body. */
  async ok<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const r = await this.call(method, path, body);
    if (r.status >= 200 && r.status < 300) return r.body as T;
    throw this.httpError(r, `${method} ${path}`);
  }

  httpError(r: RestResponse, what: string): CoreError {
    const message = (r.body as { message?: unknown } | null)?.message;
    const svc = this.service.name;
    const said = typeof message === 'string' ? message : typeof r.body === 'string' ? r.body.trim().slice(0, 500) : '';
    const detail = `${what} → HTTP ${r.status} from ${r.url}${said ? `: ${said}` : ''}`;
    if (r.status === 401)
      return new CoreError(
        'AUTH_FAILED',
        `${svc} refused the credentials${this.c.username ? ` for '${this.c.username}'` : this.c.bearerToken ? ' (the bearer token)' : ' (it asks for basic auth: set a user and password)'}.`,
        detail,
      );
    if (r.status === 403)
      return new CoreError(
        'FORBIDDEN',
        `${svc} does not allow this${this.c.username ? ` for '${this.c.username}'` : ''}: ${said || 'forbidden'}.`,
        detail,
      );
    if (r.status === 404) return new CoreError('NOT_FOUND', said || `${svc} does not know that (404).`, detail);
    if (r.status === 409)
      return new CoreError(
        'CONFLICT',
        said ? `${svc}: ${said}` : (this.service.conflictMessage ?? `${svc} answered 409 (conflict).`),
        detail,
      );
    return new CoreError('KAFKA_ERROR', said ? `${svc}: ${said}` : `${svc} answered HTTP ${r.status}.`, detail);
  }

  private once(base: string, method: string, path: string, body: unknown): Promise<RestResponse> {
    const url = new URL(base.replace(/\/+$/, '') + path);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { accept: this.service.accept ?? 'application/json' };
    if (payload) {
      headers['content-type'] = this.service.contentType ?? 'application/json';
      headers['content-length'] = String(payload.length);
    }
    if (this.c.bearerToken && !this.c.username) headers.authorization = `Bearer ${this.c.bearerToken}`;
    if (this.c.username)
      headers.authorization = `Basic ${Buffer.from(`${this.c.username}:${this.c.password}`).toString('base64')}`;
    const options: https.RequestOptions = { method, headers, timeout: this.c.timeoutMs };
    if (url.protocol === 'https:') {
      if (this.c.ca) options.ca = this.c.ca;
      if (this.c.cert) options.cert = this.c.cert;
      if (this.c.key) options.key = this.c.key;
      options.rejectUnauthorized = this.c.verify;
    }
    // The most of one answer that is read. GET /connectors?expand=status&expand=info is the largest a
    // worker sends: every connector's config and status, with the tasks' failure traces, in one
    // document. A large cluster of a few thousand connectors at ~10–20 KiB each (a config of 50–100
    // settings, a few tasks, a Java stack trace of several KiB per failed task) is tens of MiB; 64 MiB
    // keeps such a worker readable and stops a broken or hostile one before the main process buffers
    // without end (the parsed JSON takes a few times its text's size on top).
    const maxBytes = 64 * 1024 * 1024;
    const what = `${method} ${path.split('?')[0]}`;
    const tooLarge = () =>
      new CoreError(
        'PAYLOAD_TOO_LARGE',
        `${this.service.name} at ${base} sent more than ${maxBytes / 1048576} MiB for ${what}; Kafka Desk stopped reading it.`,
        `${url.toString()}: over ${maxBytes.toLocaleString('en')} bytes`,
      );
    return new Promise<RestResponse>((resolveOnce, rejectOnce) => {
      // `timeout` in the options is the socket's idle time, which a slow drip (a byte now and then)
      // never reaches: the whole exchange gets the same time, then the request is destroyed
      const deadline = setTimeout(
        () =>
          req.destroy(
            Object.assign(new Error(`no complete answer within ${this.c.timeoutMs} ms`), { code: 'TIMEOUT' }),
          ),
        this.c.timeoutMs,
      );
      const resolve = (r: RestResponse) => {
        clearTimeout(deadline);
        resolveOnce(r);
      };
      const reject = (e: unknown) => {
        clearTimeout(deadline);
        rejectOnce(e);
      };
      const req = (url.protocol === 'https:' ? https : http).request(url, options, (res) => {
        const declared = Number(res.headers['content-length']);
        if (declared > maxBytes) {
          reject(tooLarge());
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (d: Buffer) => {
          received += d.length;
          if (received > maxBytes) {
            // rejected first, so the socket error the destroy causes is not what the caller sees; nothing past the cap is kept
            reject(tooLarge());
            chunks.length = 0;
            req.destroy();
            return;
          }
          chunks.push(d);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if (text && /json/.test(res.headers['content-type'] ?? '')) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          } else if (!text) parsed = null;
          resolve({ status: res.statusCode ?? 0, body: parsed, url: url.toString() });
        });
        res.on('error', reject);
      });
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error(`no answer within ${this.c.timeoutMs} ms`), { code: 'TIMEOUT' })),
      );
      req.on('error', (e) => {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code) || /certificate/i.test(e.message)) {
          reject(
            new CoreError(
              'TLS_UNTRUSTED',
              `The certificate of ${this.service.name} at ${base} is not trusted: give its CA, or turn off verification for a test cluster.`,
              describeCause(e),
            ),
          );
        } else reject(e);
      });
      if (payload) req.write(payload);
      req.end();
    });
  }
}
