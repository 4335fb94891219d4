/**
 * Reads a FILE credential cache (the `krb5cc_*` files kinit and GSSAPI write; formats 3 and 4) to
 * say who is logged in and until when. Only what the doctor and ticket renewal need: the default
 * principal and each ticket's server and end time. Written by hand: no npm library reads ccaches,
 * and asking `klist` would make MIT's command-line tools a requirement.
 */

export interface CachedTicket {
  client: string;
  server: string;
  /** Milliseconds since the epoch. */
  endTime: number;
  renewTill: number;
}

export interface CredentialCache {
  principal: string;
  /** The KDC's clock minus this computer's, in seconds, when krb5 learned it (kdc_timesync); 0 otherwise. */
  kdcTimeOffset: number;
  tickets: CachedTicket[];
}

export class CredentialCacheFormatError extends Error {}

export function parseCredentialCache(bytes: Buffer): CredentialCache {
  if (bytes.length < 4 || bytes[0] !== 0x05 || (bytes[1] !== 0x03 && bytes[1] !== 0x04)) {
    throw new CredentialCacheFormatError('not a version 3 or 4 credential cache');
  }
  const v4 = bytes[1] === 0x04;
  let p = 2;
  const need = (n: number) => {
    if (p + n > bytes.length) throw new CredentialCacheFormatError(`truncated at byte ${p}`);
  };
  const u16 = () => (need(2), (p += 2), bytes.readUInt16BE(p - 2));
  const u32 = () => (need(4), (p += 4), bytes.readUInt32BE(p - 4));
  const data = () => {
    const len = u32();
    need(len);
    p += len;
    return bytes.subarray(p - len, p);
  };
  let kdcTimeOffset = 0;
  if (v4) {
    const headerLength = u16();
    need(headerLength);
    const end = p + headerLength;
    while (p + 4 <= end) {
      const tag = u16();
      const len = u16();
      need(len);
      if (tag === 1 && len >= 8) kdcTimeOffset = bytes.readInt32BE(p); // DeltaTime: seconds, microseconds
      p += len;
    }
    p = end;
  }
  const principal = () => {
    u32(); // name type
    const count = u32();
    const realm = data().toString('utf8');
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(data().toString('utf8'));
    return `${parts.join('/')}@${realm}`;
  };
  const owner = principal();
  const tickets: CachedTicket[] = [];
  while (p < bytes.length) {
    const client = principal();
    const server = principal();
    u16(); // key enctype
    if (!v4) u16();
    data(); // key
    u32(); // auth time
    u32(); // start time
    const endTime = u32() * 1000;
    const renewTill = u32() * 1000;
    need(1);
    p += 1; // is_skey
    u32(); // flags
    for (let n = u32(), i = 0; i < n; i++) {
      u16();
      data();
    }
    for (let n = u32(), i = 0; i < n; i++) {
      u16();
      data();
    }
    data(); // ticket
    data(); // second ticket
    // configuration entries (X-CACHECONF:) are not tickets
    if (!server.includes('X-CACHECONF:')) tickets.push({ client, server, endTime, renewTill });
  }
  return { principal: owner, kdcTimeOffset, tickets };
}

/** The ticket-granting ticket of the cache's principal, if there is one. */
export function ticketGrantingTicket(cache: CredentialCache): CachedTicket | undefined {
  const realm = cache.principal.slice(cache.principal.lastIndexOf('@') + 1);
  return cache.tickets.find((t) => t.server === `krbtgt/${realm}@${realm}`);
}
