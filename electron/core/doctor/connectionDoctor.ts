import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import {
  checkServerIdentity,
  connect as tlsConnect,
  type DetailedPeerCertificate,
  type PeerCertificate,
} from 'node:tls';
import type { CertificateInfo, DoctorReport, DoctorStep, DoctorStepKind } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError, describeCause } from '../coreError';
import { kafkaErrorToCore } from '../kafka/errorMapping';
import { withKafka } from '../kafka/gateway';
import { kerberosIdentity } from '../kerberos/kerberosIdentity';

type Outcome = { status?: 'ok' | 'warning' | 'failed'; summary: string; tls?: DoctorStep['tls']; error?: CoreError };

function splitHostPort(server: string): { host: string; port: number } {
  const i = server.lastIndexOf(':');
  return { host: server.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(server.slice(i + 1)) };
}

const MS_PER_DAY = 86_400_000;

/** What a failed step means for the steps after it, in the words of that step. */
const FAILED_AS: Record<DoctorStepKind, string> = {
  dns: 'the host name did not resolve',
  tcp: 'the TCP connection failed',
  tls: 'the TLS handshake failed',
  kerberos: 'no Kerberos ticket',
  sasl: 'authentication failed',
  metadata: 'the cluster metadata could not be read',
  'broker-connect': 'the broker could not be reached',
  'broker-roundtrip': 'the broker did not answer',
  connect: 'Kafka Connect could not be reached',
  'schema-registry': 'the Schema Registry could not be reached',
};

/**
 * "Skipped: authentication failed (step 3)." — the reason a step did not run, naming the step that
 * failed (its number in the report, counted from 1) rather than a guess at the cause.
 */
export function skippedBecause(failed: { kind: DoctorStepKind; index: number }[]): string {
  if (!failed.length) return 'Skipped: an earlier step failed.';
  const byReason = new Map<string, number[]>();
  for (const f of failed) byReason.set(FAILED_AS[f.kind], [...(byReason.get(FAILED_AS[f.kind]) ?? []), f.index + 1]);
  const parts = [...byReason].map(([why, n]) => `${why} (step${n.length === 1 ? '' : 's'} ${n.join(', ')})`);
  return `Skipped: ${parts.join('; ')}.`;
}

/**
 * The connection doctor: each step of reaching a cluster, in order, with its time, and on failure a
 * sentence and the raw cause. Per bootstrap server: DNS, TCP, TLS (the chain, trust, host name,
 * expiry), SASL; then metadata; then every broker as it advertises itself (connect, round trip),
 * which is where an advertised.listeners mistake shows.
 */
export async function runDoctor(conn: ResolvedConnection): Promise<DoctorReport> {
  const started = performance.now();
  const steps: DoctorStep[] = [];
  const timeout = conn.timeouts.connectionMs;

  /** The last failed step, to name in the reason of the steps it stops. */
  const lastFailed = () => {
    const index = steps.length - 1;
    return { kind: steps[index]!.kind, index };
  };
  const run = async (
    kind: DoctorStepKind,
    title: string,
    target: string,
    fn: () => Promise<Outcome>,
  ): Promise<boolean> => {
    const t0 = performance.now();
    let outcome: Outcome;
    try {
      outcome = await fn();
    } catch (e) {
      const err = e instanceof CoreError ? e : kafkaErrorToCore(e, conn);
      outcome = { status: 'failed', summary: err.message, error: err };
    }
    const status = outcome.status ?? 'ok';
    const step: DoctorStep = {
      kind,
      title,
      target,
      status,
      elapsedMs: Math.round(performance.now() - t0),
      summary: outcome.summary,
    };
    if (outcome.error) step.error = outcome.error.toAppError();
    if (outcome.tls) step.tls = outcome.tls;
    steps.push(step);
    return status !== 'failed';
  };
  const skip = (kind: DoctorStepKind, title: string, target: string, why: string) =>
    steps.push({ kind, title, target, status: 'skipped', elapsedMs: 0, summary: why });

  const resolve = async (host: string): Promise<Outcome> => {
    if (isIP(host)) return { summary: `${host} is an IP address: nothing to resolve.` };
    try {
      const addrs = await lookup(host, { all: true });
      return { summary: `${host} resolves to ${addrs.map((a) => a.address).join(', ')}.` };
    } catch (e) {
      throw new CoreError(
        'HOST_NOT_FOUND',
        `The host name '${host}' could not be resolved. Check its spelling, or your DNS / VPN.`,
        describeCause(e),
      );
    }
  };

  const tcp = (host: string, port: number): Promise<Outcome> =>
    new Promise((resolveP, reject) => {
      const s = new Socket();
      const fail = (e: Error) => {
        s.destroy();
        const code = (e as NodeJS.ErrnoException).code;
        reject(
          code === 'ECONNREFUSED'
            ? new CoreError(
                'CONNECTION_REFUSED',
                `Nothing accepted a connection at ${host}:${port} (connection refused).`,
                describeCause(e),
              )
            : code === 'ETIMEDOUT' || e.message === 'timeout'
              ? new CoreError(
                  'TIMEOUT',
                  `${host}:${port} did not answer within ${timeout} ms (a firewall, a VPN, or a wrong address).`,
                  describeCause(e),
                )
              : new CoreError(
                  'CONNECTION_CLOSED',
                  `The connection to ${host}:${port} failed: ${e.message}.`,
                  describeCause(e),
                ),
        );
      };
      s.setTimeout(timeout, () => fail(new Error('timeout')));
      s.once('error', fail);
      s.connect(port, host, () => {
        s.end();
        resolveP({ summary: `${host}:${port} accepts connections.` });
      });
    });

  const tlsHandshake = (host: string, port: number): Promise<Outcome> =>
    new Promise((resolveP, reject) => {
      const socket = tlsConnect({
        host,
        port,
        ...(isIP(host) ? {} : { servername: host }),
        ...(conn.tls.ca ? { ca: [conn.tls.ca] } : {}),
        ...(conn.tls.cert ? { cert: conn.tls.cert } : {}),
        ...(conn.tls.key ? { key: conn.tls.key } : {}),
        ...(conn.tls.pfx ? { pfx: conn.tls.pfx } : {}),
        ...(conn.tls.passphrase ? { passphrase: conn.tls.passphrase } : {}),
        rejectUnauthorized: false,
        // the host name is checked below, on its own, so that "trusted" means the chain alone
        checkServerIdentity: () => undefined,
        timeout,
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(new CoreError('TIMEOUT', `The TLS handshake with ${host}:${port} did not finish within ${timeout} ms.`));
      });
      socket.once('error', (e) => reject(kafkaErrorToCore(e, conn)));
      socket.once('secureConnect', () => {
        const peer = socket.getPeerCertificate(true);
        const chain = certificateChain(peer);
        const hostnameMatches = checkServerIdentity(host, peer) === undefined;
        const authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
        const info = {
          protocol: socket.getProtocol(),
          trusted: socket.authorized,
          hostnameMatches,
          authorizationError,
          chain,
        };
        socket.end();
        const leaf = chain[0];
        const daysLeft = leaf ? Math.floor((Date.parse(leaf.validTo) - Date.now()) / MS_PER_DAY) : 0;
        const subject = leaf ? `${leaf.subject}, issued by ${leaf.issuer}` : 'no certificate';
        if (authorizationError === 'CERT_HAS_EXPIRED' || daysLeft < 0) {
          resolveP({
            status: conn.tls.verify ? 'failed' : 'warning',
            tls: info,
            summary: `The broker's certificate (${subject}) expired on ${leaf?.validTo}.`,
            error: new CoreError(
              'TLS_UNTRUSTED',
              `The broker's certificate expired on ${leaf?.validTo}.`,
              authorizationError ?? undefined,
            ),
          });
        } else if (!socket.authorized) {
          resolveP({
            status: conn.tls.verify ? 'failed' : 'warning',
            tls: info,
            summary: conn.tls.verify
              ? `The broker's certificate (${subject}) is not signed by a CA this connection trusts (${authorizationError}). Choose the cluster's CA certificate.`
              : `The certificate is not trusted (${authorizationError}), but verification is off for this connection.`,
            ...(conn.tls.verify
              ? {
                  error: new CoreError(
                    'TLS_UNTRUSTED',
                    'The broker certificate is not trusted.',
                    authorizationError ?? undefined,
                  ),
                }
              : {}),
          });
        } else if (!hostnameMatches) {
          const names = leaf?.subjectAltNames.join(', ') || leaf?.subject || '';
          const strict = conn.tls.verify && conn.tls.verifyHostname;
          resolveP({
            status: strict ? 'failed' : 'warning',
            tls: info,
            summary: `The broker's certificate does not name the host ${host} (it names ${names}).${strict ? ' Connect with a name it lists, or ask for a certificate that includes this one.' : ' Host-name verification is off for this connection.'}`,
            ...(strict
              ? { error: new CoreError('TLS_HOSTNAME_MISMATCH', `The certificate does not name ${host}.`) }
              : {}),
          });
        } else if (daysLeft < 30) {
          resolveP({
            status: 'warning',
            tls: info,
            summary: `TLS ${info.protocol}: trusted, names ${host}, but expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${leaf?.validTo}).`,
          });
        } else {
          resolveP({
            tls: info,
            summary: `TLS ${info.protocol}: the certificate (${subject}) is trusted, names ${host}, valid until ${leaf?.validTo}.`,
          });
        }
      });
    });

  const mech = conn.sasl.mechanism.toUpperCase();
  const kerberos =
    conn.sasl.mechanism === 'gssapi' && conn.sasl.kerberos
      ? kerberosIdentity(conn.sasl.kerberos, conn.sasl.password)
      : null;
  let reachable: string | null = null;
  /** each bootstrap server's failed step, when it failed */
  const serverFailures: { kind: DoctorStepKind; index: number }[] = [];
  for (const server of conn.bootstrapServers) {
    const { host, port } = splitHostPort(server);
    const later: [DoctorStepKind, string][] = [
      ['tcp', `Connect to ${server}`],
      ...(conn.tls.enabled ? ([['tls', `TLS handshake with ${server}`]] as [DoctorStepKind, string][]) : []),
      ...(kerberos
        ? ([['kerberos', `Kerberos ticket for ${conn.sasl.kerberos!.serviceName}/${host}`]] as [
            DoctorStepKind,
            string,
          ][])
        : []),
      ...(conn.sasl.mechanism !== 'none'
        ? ([['sasl', `SASL/${mech} login at ${server}`]] as [DoctorStepKind, string][])
        : []),
    ];
    const skipRest = (from: number) => {
      const failed = lastFailed();
      serverFailures.push(failed);
      const why = skippedBecause([failed]);
      later.slice(from).forEach(([k, t]) => skip(k, t, server, why));
    };
    if (!(await run('dns', `Resolve ${host}`, host, () => resolve(host)))) {
      skipRest(0);
      continue;
    }
    if (!(await run('tcp', `Connect to ${server}`, server, () => tcp(host, port)))) {
      skipRest(1);
      continue;
    }
    let i = 1;
    if (conn.tls.enabled) {
      i++;
      if (!(await run('tls', `TLS handshake with ${server}`, server, () => tlsHandshake(host, port)))) {
        skipRest(i);
        continue;
      }
    }
    if (kerberos) {
      i++;
      const id = kerberos;
      const ok = await run(
        'kerberos',
        `Kerberos ticket for ${conn.sasl.kerberos!.serviceName}/${host}`,
        host,
        async () => {
          const t = await id.serviceTicket(host, conn.sasl.kerberos!.serviceName);
          const from = id.errorContext().source;
          return {
            summary: `Logged in as ${t.principal} (realm ${t.realm}) with ${from}${t.expires ? `; the ticket is valid until ${t.expires}` : ''}; got the service ticket ${t.service}.`,
          };
        },
      );
      if (!ok) {
        skipRest(i);
        continue;
      }
    }
    if (conn.sasl.mechanism !== 'none') {
      const who = kerberos
        ? kerberos.spec.principal
        : conn.sasl.mechanism === 'oauthbearer'
          ? `client ${conn.sasl.oauth?.clientId}`
          : conn.sasl.mechanism === 'aws-msk-iam'
            ? 'your AWS identity'
            : `user '${conn.sasl.username}'`;
      const ok = await run('sasl', `SASL/${mech} login at ${server}`, server, async () => {
        await withKafka({ ...conn, bootstrapServers: [server] }, (s) => s.connect(), { retries: 0 });
        return { summary: `Logged in as ${who} with SASL/${mech}.` };
      });
      if (!ok) {
        skipRest(later.length);
        continue;
      }
    }
    reachable ??= server;
  }

  let brokers: { nodeId: number; host: string; port: number }[] = [];
  if (reachable) {
    const via = reachable;
    await run('metadata', `Read the cluster metadata via ${via}`, via, async () => {
      const d = await withKafka({ ...conn, bootstrapServers: [via] }, (s) => s.describeViaBootstrap(), { retries: 0 });
      brokers = d.brokers;
      return {
        summary: `Cluster ${d.clusterId ?? '(no id)'}: ${d.brokers.length} broker${d.brokers.length === 1 ? '' : 's'} (${d.brokers.map((b) => `${b.nodeId} at ${b.host}:${b.port}`).join(', ')}), controller ${d.controllerId ?? 'unknown'}.`,
      };
    });
  } else {
    skip('metadata', 'Read the cluster metadata', conn.bootstrapServers.join(', '), skippedBecause(serverFailures));
  }

  for (const b of brokers) {
    const adv = `${b.host}:${b.port}`;
    const bootstrapAnswered = reachable ?? '';
    const connected = await run(
      'broker-connect',
      `Connect to broker ${b.nodeId} at ${adv} (as advertised)`,
      adv,
      async () => {
        try {
          await resolve(b.host);
          await tcp(b.host, b.port);
          if (conn.tls.enabled) {
            const t = await tlsHandshake(b.host, b.port);
            if (t.status === 'failed') return t;
          }
        } catch (e) {
          const cause = e instanceof CoreError ? e : kafkaErrorToCore(e, conn);
          throw new CoreError(
            cause.code,
            `Broker ${b.nodeId} advertises ${adv}, which this computer cannot reach: ${cause.message.replace(/\.$/, '')}. The bootstrap server ${bootstrapAnswered} answered, so the broker's advertised.listeners points at an address clients cannot use: ask its operator to advertise a host name reachable from here.`,
            cause.detail,
          );
        }
        return { summary: `Broker ${b.nodeId} is reachable at ${adv}, the address it advertises.` };
      },
    );
    if (!connected) {
      skip('broker-roundtrip', `Round trip to broker ${b.nodeId}`, adv, skippedBecause([lastFailed()]));
      continue;
    }
    await run('broker-roundtrip', `Round trip to broker ${b.nodeId}`, adv, async () => {
      const t0 = performance.now();
      await withKafka({ ...conn, bootstrapServers: [adv] }, (s) => s.describeCluster(), { retries: 0 });
      return { summary: `Broker ${b.nodeId} answered a metadata request in ${Math.round(performance.now() - t0)} ms.` };
    });
  }

  const failed = steps.find((s) => s.status === 'failed');
  const ran = steps.filter((s) => s.status !== 'skipped').length;
  return {
    ok: !failed,
    steps,
    verdict: failed
      ? failed.summary
      : `All ${ran} steps passed: ${conn.bootstrapServers.join(', ')} is reachable, and so is every broker it advertises.`,
    elapsedMs: Math.round(performance.now() - started),
  };
}

function certificateChain(peer: DetailedPeerCertificate): CertificateInfo[] {
  const chain: CertificateInfo[] = [];
  let c: DetailedPeerCertificate | undefined = peer;
  const seen = new Set<string>();
  while (c && c.fingerprint256 && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    chain.push(describeCert(c));
    c = c.issuerCertificate;
  }
  return chain;
}

function describeCert(c: PeerCertificate): CertificateInfo {
  const dn = (o: object | undefined) =>
    Object.entries(o ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
      .join(', ');
  return {
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    subjectAltNames: (c.subjectaltname ?? '').split(', ').filter(Boolean),
    validFrom: c.valid_from,
    validTo: c.valid_to,
    fingerprint256: c.fingerprint256,
  };
}
