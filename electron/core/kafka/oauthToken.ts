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
    const basic = Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64');
    let res: Response;
    try {
      res = await fetch(c.tokenEndpoint, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const cause = describeCause(e);
      const codes = errnoCodes(e).join(' ') + ' ' + cause;
      const code = /ENOTFOUND|EAI_AGAIN/.test(codes) ? 'HOST_NOT_FOUND' : /ECONNREFUSED/.test(codes) ? 'CONNECTION_REFUSED' : /timeout|aborted/i.test(codes) ? 'TIMEOUT' : 'CONNECTION_CLOSED';
      throw new CoreError(code, `The OAuth token endpoint ${c.tokenEndpoint} could not be reached, so no token was obtained.`, cause);
    }
    const text = await res.text();
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
      throw new CoreError('AUTH_FAILED', `The OAuth token endpoint ${c.tokenEndpoint} answered without an access_token.`, text.slice(0, 500));
    }
    const lifetime = typeof json.expires_in === 'number' ? json.expires_in * 1000 : 300_000;
    cached = { value: json.access_token, expiresAt: Date.now() + lifetime };
    return { value: json.access_token };
  };
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
