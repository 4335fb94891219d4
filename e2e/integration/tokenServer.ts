import { createServer, type Server } from 'node:http';

/**
 * A small OAuth 2 client-credentials token endpoint for tests: checks HTTP Basic client credentials
 * and issues unsigned JWTs (alg "none"), which the test broker's OAUTHBEARER listener validates with
 * Kafka's unsecured validator (structure, subject, expiry).
 */
/** `expiredFor`: client ids that get tokens which expired an hour ago. */
export async function startTokenServer(
  clients: Record<string, string>,
  expiredFor: string[] = [],
): Promise<{
  url: string;
  issued: () => number;
  requests: () => number;
  secretsSeen: () => string[];
  close: () => Promise<void>;
}> {
  let issued = 0;
  let requests = 0;
  /** The client secrets this endpoint was sent (what a token endpoint of someone else's would learn). */
  const secrets: string[] = [];
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
        .toString()
        .split(':')
        .map(decodeURIComponent);
      requests++;
      if (secret) secrets.push(secret);
      const form = new URLSearchParams(body);
      res.setHeader('content-type', 'application/json');
      if (req.method !== 'POST' || form.get('grant_type') !== 'client_credentials') {
        res.writeHead(400).end(JSON.stringify({ error: 'unsupported_grant_type' }));
        return;
      }
      if (!id || clients[id] !== secret) {
        res
          .writeHead(401)
          .end(JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed' }));
        return;
      }
      issued++;
      const now = Math.floor(Date.now() / 1000);
      const exp = expiredFor.includes(id) ? now - 3600 : now + 600;
      const token = `${b64({ alg: 'none' })}.${b64({ sub: id, iat: Math.min(now, exp - 60), exp, scope: form.get('scope') ?? '' })}.`;
      res.writeHead(200).end(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 600 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/oauth2/token`,
    issued: () => issued,
    requests: () => requests,
    secretsSeen: () => [...secrets],
    close: () => new Promise((r) => server.close(() => r())),
  };
}
