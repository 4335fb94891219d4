import { describe, expect, it } from 'vitest';
import { ALLOWED_EXTERNAL_HOSTS, allowedExternalUrl, isAllowedExternalUrl } from './externalLinks';

describe('external links (electron/main/externalLinks.ts)', () => {
  it.each([
    'https://kafka.apache.org/documentation/#consumerconfigs',
    'https://cwiki.apache.org/confluence/display/KAFKA/KIP-848',
    'https://docs.confluent.io/platform/current/installation/configuration/producer-configs.html',
    'https://docs.redpanda.com/current/get-started/',
    'https://learn.microsoft.com/en-us/azure/event-hubs/event-hubs-for-kafka-ecosystem-overview',
    'https://docs.aws.amazon.com/msk/latest/developerguide/iam-access-control.html',
    'https://github.com/edenhill/kcat',
    'https://KAFKA.apache.org/', // host names are not case-sensitive
    'https://kafka.apache.org:443/', // the default port, written out
  ])('opens %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    // what the window opened before: any https URL
    ['a host not in the list', 'https://attacker.example/'],
    ['plain http', 'http://kafka.apache.org/'],
    ['a file', 'file:///etc/passwd'],
    ['a Windows share', 'smb://attacker.example/share'],
    ['a UNC-like file URL', 'file://attacker.example/share/payload.exe'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a custom protocol handler', 'ms-msdt:/id PCWDiagnostic'],
    ['another custom protocol', 'vscode://file/etc/passwd'],
    ['mailto:', 'mailto:someone@kafka.apache.org'],
    ['our own page', 'app://kafka-desk/index.html'],
    ['a user name in the URL', 'https://user@kafka.apache.org/'],
    ['credentials in the URL', 'https://user:secret@kafka.apache.org/'],
    ['the allowed name as user name', 'https://kafka.apache.org@attacker.example/'],
    ['a host that only ends with an allowed name', 'https://evilkafka.apache.org/'],
    ['a host that only ends with an allowed name, on another domain', 'https://evilkafka.apache.org.attacker.com/'],
    ['an allowed name followed by another domain', 'https://kafka.apache.org.evil.com/'],
    ['a sub-domain of an allowed name', 'https://gist.github.com/'],
    ['an IPv4 address', 'https://93.184.216.34/'],
    ['an IPv4 address written as a number', 'https://1572395042/'],
    ['an IPv6 address', 'https://[2606:2800:220:1:248:1893:25c8:1946]/'],
    ['loopback', 'https://127.0.0.1:5620/?token=x'],
    ['a non-default port', 'https://kafka.apache.org:8443/'],
    ['a trailing dot', 'https://kafka.apache.org./'],
    ['a look-alike in another script', 'https://kаfka.apache.org/'], // Cyrillic а
    ['nothing', ''],
    ['no scheme', 'kafka.apache.org/documentation'],
    ['something that does not parse', 'https://'],
    ['a bare word', 'not a url'],
  ])('refuses %s (%s)', (_what, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
    expect(allowedExternalUrl(url)).toBeNull();
  });

  it('hands back the parsed form, so the OS opens the host that was checked', () => {
    expect(allowedExternalUrl('https://KAFKA.apache.org:443/documentation')).toBe(
      'https://kafka.apache.org/documentation',
    );
    // a backslash is a slash to the URL parser: the host is kafka.apache.org, and the OS is given that
    expect(allowedExternalUrl('https://kafka.apache.org\\@attacker.example/')).toBe(
      'https://kafka.apache.org/@attacker.example/',
    );
    expect(allowedExternalUrl('  https://github.com/\tedenhill/kcat\n')).toBe('https://github.com/edenhill/kcat');
  });

  it('keeps the list short: documentation hosts only, each an exact name', () => {
    expect(ALLOWED_EXTERNAL_HOSTS.length).toBeLessThanOrEqual(10);
    for (const host of ALLOWED_EXTERNAL_HOSTS) {
      expect(host).toMatch(/^[a-z0-9.-]+$/);
      expect(new URL(`https://${host}/`).hostname).toBe(host);
    }
  });
});
