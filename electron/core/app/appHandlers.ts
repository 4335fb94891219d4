import type { CoreOptions, Handlers } from '../handlers';

/** `app.info`: which app, which host, where its data and its secrets are. */
export function createAppHandlers(options: CoreOptions): Pick<Handlers, 'app.info'> {
  return {
    'app.info': async () => ({
      name: 'Kafka Desk',
      version: options.version,
      host: options.host,
      dataDir: options.dataDir,
      platform: process.platform,
      secretStorage:
        options.secretStorage ??
        (options.secrets.kind === 'safeStorage'
          ? { kind: 'keychain', detail: 'the system keychain' }
          : { kind: 'key-file', detail: 'a key file in the data folder (secret.key, 0600)' }),
    }),
  };
}
