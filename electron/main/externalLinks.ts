/**
 * The web sites a link in the window may open in the system browser: the documentation a Kafka
 * workbench points at. Exact host names (no sub-domains), https only, on the default port. A link
 * anywhere else is dropped: `shell.openExternal` hands a URL to the OS, which would also open
 * file:, smb: and custom protocol handlers, or a page made to look like ours.
 */
export const ALLOWED_EXTERNAL_HOSTS: readonly string[] = [
  'kafka.apache.org', // Apache Kafka documentation
  'cwiki.apache.org', // KIPs
  'docs.confluent.io', // Confluent Platform / Cloud, Schema Registry, Connect plugins
  'docs.redpanda.com', // Redpanda (a template)
  'learn.microsoft.com', // Azure Event Hubs' Kafka endpoint (a template)
  'docs.aws.amazon.com', // Amazon MSK (a template, IAM auth)
  'github.com', // kcat, kafkajs, this project
];

const allowed = new Set(ALLOWED_EXTERNAL_HOSTS);

/**
 * The URL to open externally, normalized by the WHATWG parser, or null when it is not allowed. The
 * caller opens the normalized form, never the raw string, so that the OS cannot read another host out
 * of it than the one checked here (backslashes, tabs, percent-escapes in the host).
 */
export function allowedExternalUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:') return null;
  // https://kafka.apache.org@evil.example/ reads as kafka.apache.org to a person, not to the parser
  if (u.username !== '' || u.password !== '') return null;
  // the parser drops :443, so any port left is a non-default one
  if (u.port !== '') return null;
  // an exact match: IP addresses, kafka.apache.org.evil.example and evilkafka.apache.org are not in the set
  if (!allowed.has(u.hostname)) return null;
  return u.href;
}

export function isAllowedExternalUrl(url: string): boolean {
  return allowedExternalUrl(url) !== null;
}
