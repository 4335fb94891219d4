import type { ErrorCode } from '../../contract';
import { CoreError } from '../coreError';

export interface KerberosErrorContext {
  /** The client principal the connection logs in as. */
  principal: string;
  /** `kafka/broker-1.example.com`, when the failure came while asking for the broker's ticket. */
  service?: string;
  /** Where the credentials came from, in words: "the keytab 'app.keytab'", "the password", "the ticket cache …". */
  source: string;
  /** "its krb5.conf 'corp.conf'" or "the system's krb5.conf". */
  config: string;
}

/**
 * MIT krb5's messages (from kinit and from GSS calls) turned into one sentence that says what to do.
 * The raw text stays in `detail`.
 */
export function kerberosErrorToCore(raw: string, c: KerberosErrorContext): CoreError {
  const realm = c.principal.includes('@') ? c.principal.slice(c.principal.lastIndexOf('@') + 1) : '';
  const make = (code: ErrorCode, message: string) => new CoreError(code, message, raw.trim());
  if (/clock skew too great/i.test(raw)) {
    return make(
      'KERBEROS_CLOCK_SKEW',
      `This computer's clock and the Kerberos server's differ by more than Kerberos allows (usually 5 minutes), so the login as ${c.principal} was refused. Set the clock right (turn on network time) and try again.`,
    );
  }
  if (
    /cannot contact any kdc|cannot find kdc|unable to reach any kdc|no kdc|connection refused/i.test(raw) &&
    !/not found in kerberos database/i.test(raw)
  ) {
    const which = /realm '([^']+)'/i.exec(raw)?.[1] ?? realm;
    if (/cannot find kdc/i.test(raw)) {
      return make(
        'KERBEROS_KDC_UNREACHABLE',
        `${capital(c.config)} names no KDC for the realm ${which}: add it under [realms], or check the principal's realm.`,
      );
    }
    return make(
      'KERBEROS_KDC_UNREACHABLE',
      `No Kerberos server (KDC) for the realm ${which} answered: check the kdc entries in ${c.config}, the network or VPN, and that the KDC is running.`,
    );
  }
  const server = /server '?([^' ]+@[^' ]+)'? not found in kerberos database/i.exec(raw)?.[1];
  if (server || (/server not found in kerberos database/i.test(raw) && c.service)) {
    const asked = server ?? `${c.service}@${realm}`;
    return make(
      'KERBEROS_SERVICE_UNKNOWN',
      `The Kerberos server does not know the service principal ${asked}: the broker's host name (as the client reached it) and the Kerberos service name ('${asked.split('/')[0]}') must match the broker's own principal. Check the service name setting (usually 'kafka') and connect with the broker's full host name, not an alias or an IP address.`,
    );
  }
  const client = /client '?([^' ]+)'? not found in kerberos database/i.exec(raw)?.[1];
  if (client) {
    return make(
      'KERBEROS_PRINCIPAL_UNKNOWN',
      `The Kerberos server does not know the principal ${client}: check its spelling and its realm (names are case-sensitive).`,
    );
  }
  if (
    /password incorrect|preauthentication failed|decrypt integrity check failed|integrity check on decrypted field failed/i.test(
      raw,
    )
  ) {
    return make(
      'KERBEROS_BAD_CREDENTIALS',
      c.source === 'the password'
        ? `The Kerberos server refused the password of ${c.principal}.`
        : `The Kerberos server refused the key in ${c.source} for ${c.principal}: the keytab is out of date (the password or key version changed since it was made). Export a new keytab.`,
    );
  }
  if (
    /key table entry not found|no key table entry|specified version of key is not available|key version.*not available/i.test(
      raw,
    )
  ) {
    return make(
      'KERBEROS_BAD_CREDENTIALS',
      `${capital(c.source)} has no key for ${c.principal} that the Kerberos server accepts (another principal, or an older key version). Export a keytab for ${c.principal} again.`,
    );
  }
  if (/ticket expired|credentials have expired|ticket not yet valid/i.test(raw)) {
    return make(
      'KERBEROS_TICKET_EXPIRED',
      `The Kerberos tickets in ${c.source} have expired. Log in again (kinit ${c.principal}).`,
    );
  }
  if (
    /no kerberos credentials available|no credentials cache found|credentials cache file .* not found|no credentials were supplied|can't find client principal/i.test(
      raw,
    )
  ) {
    return make(
      'KERBEROS_TICKET_EXPIRED',
      `There is no Kerberos ticket for ${c.principal} in ${c.source}. Log in first (kinit ${c.principal}), or choose a keytab or a password instead.`,
    );
  }
  if (/does not specify default realm|realm.*unknown|cannot resolve network address for kdc/i.test(raw)) {
    return make(
      'KERBEROS_KDC_UNREACHABLE',
      `${capital(c.config)} does not say how to reach the realm of ${c.principal}: ${raw.trim()}.`,
    );
  }
  return make('KERBEROS_FAILED', `The Kerberos login as ${c.principal} failed: ${firstSentence(raw)}.`);
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function firstSentence(raw: string): string {
  const minor = /minor code may provide more information:?\s*(.*)$/i.exec(raw.trim())?.[1];
  return (minor || raw.trim().split('\n')[0] || 'no reason given').replace(/^kinit:\s*/, '').replace(/\.$/, '');
}
