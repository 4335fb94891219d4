import { CoreError, describeCause } from '../coreError';

export interface ClientCredentials {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

/**
 * SASL/OAUTHBEARER token provider for the OAuth 2 client-credentials grant (RFC 6749 §4.4): posts
 * to the token endpoint with HTTP Basic client authentication, keeps the token until a minute before
 * it expires, and turns every failure into a sentence that names the endpoint.
 */
export function clientCredentialsProvider(c: ClientCredentials, timeoutMs: number): () => Promise<{ value: string }> {
  let cached: { value: string; expiresAt: number } | null = null;
  return async () => {
    if (cached && cached.expiresAt - 60_000 > Date.now()) return { value: cached.value };
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (c.scope) body.set('scope', c.scope);
    const basic = Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString(
      'base64',
    );
    let res: Response;
    try {
      res = await fetch(c.tokenEndpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const cause = describeCause(e);
      const codes = errnoCodes(e).join(' ') + ' ' + cause;
      const code = /ENOTFOUND|EAI_AGAIN/.test(codes)
        ? 'HOST_NOT_FOUND'
        : /ECONNREFUSED/.test(codes)
          ? 'CONNECTION_REFUSED'
          : /timeout|aborted/i.test(codes)
            ? 'TIMEOUT'
            : 'CONNECTION_CLOSED';
      throw new CoreError(
        code,
        `The OAuth token endpoint ${c.tokenEndpoint} could not be reached, so no token was obtained.`,
        cause,
      );
    }
    let text: string;
    try {
      text = await readCapped(res, MAX_TOKEN_RESPONSE_BYTES, c.tokenEndpoint);
    } catch (e) {
      if (e instanceof CoreError) throw e;
      // the fetch's timeout signal also ends a body that is still arriving (a slow drip)
      const cause = describeCause(e);
      const timedOut = /timeout|aborted/i.test(`${errnoCodes(e).join(' ')} ${cause}`);
      throw new CoreError(
        timedOut ? 'TIMEOUT' : 'CONNECTION_CLOSED',
        timedOut
          ? `The OAuth token endpoint ${c.tokenEndpoint} did not finish its answer within ${(timeoutMs / 1000).toFixed(0)} s, so no token was obtained.`
          : `The OAuth token endpoint ${c.tokenEndpoint} broke off its answer, so no token was obtained.`,
        cause,
      );
    }
    let json: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      // an HTML error page, say: reported below with the status
    }
    if (!res.ok) {
      const why = [json.error, json.error_description].filter((x) => typeof x === 'string').join(': ');
      throw new CoreError(
        'AUTH_FAILED',
        res.status === 400 || res.status === 401
          ? `The OAuth token endpoint refused the client credentials of '${c.clientId}'${why ? ` (${why})` : ''}. Check the client id and secret.`
          : `The OAuth token endpoint answered HTTP ${res.status}${why ? ` (${why})` : ''}.`,
        `${res.status} ${res.statusText}: ${text.slice(0, 500)}`,
      );
    }
    if (typeof json.access_token !== 'string' || !json.access_token) {
      throw new CoreError(
        'AUTH_FAILED',
        `The OAuth token endpoint ${c.tokenEndpoint} answered without an access_token.`,
        text.slice(0, 500),
      );
    }
    const lifetime = typeof json.expires_in === 'number' ? json.expires_in * 1000 : 300_000;
    cached = { value: json.access_token, expiresAt: Date.now() + lifetime };
    return { value: json.access_token };
  };
}

/**
 * The most of a token endpoint's answer that is read: a token response is a small JSON object (an
 * access token, a JWT of a few KiB at most, its lifetime and scope); 1 MiB is far above any real one.
 */
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

/**
 * The body as text, counted as it arrives and cancelled past `maxBytes` (Response.text() would read
 * any amount before anything could look at it). By hand: fetch offers no size limit of its own.
 */
async function readCapped(res: Response, maxBytes: number, endpoint: string): Promise<string> {
  const tooLarge = () =>
    new CoreError(
      'PAYLOAD_TOO_LARGE',
      `The OAuth token endpoint ${endpoint} sent more than ${maxBytes / 1048576} MiB; Kafka Desk stopped reading it.`,
      `HTTP ${res.status}: over ${maxBytes.toLocaleString('en')} bytes`,
    );
  if (Number(res.headers.get('content-length')) > maxBytes) {
    void res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      // not awaited: cancelling ends the connection; nothing past the cap is kept
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch() hides the socket error in `cause`, sometimes in an AggregateError's `errors`. */
function errnoCodes(e: unknown, depth = 0): string[] {
  if (!e || typeof e !== 'object' || depth > 4) return [];
  const x = e as { code?: unknown; cause?: unknown; errors?: unknown[] };
  return [
    ...(typeof x.code === 'string' ? [x.code] : []),
    ...errnoCodes(x.cause, depth + 1),
    ...(Array.isArray(x.errors) ? x.errors.flatMap((i) => errnoCodes(i, depth + 1)) : []),
  ];
}
