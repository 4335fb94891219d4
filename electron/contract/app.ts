import { z } from 'zod';

/** What the window asks first: which app, which host, where its data and secrets are. */

export const HostKind = z.enum(['electron', 'web', 'cli']);
export type HostKind = z.infer<typeof HostKind>;

/** Where saved passwords and private keys are sealed, in words the window shows (the host decides). */
export const SecretStorageInfo = z.strictObject({
  kind: z.enum(['keychain', 'key-file']),
  /** e.g. "the system keychain (gnome_libsecret)", "a key file in the data folder (secret.key, 0600)" */
  detail: z.string(),
});
export type SecretStorageInfo = z.infer<typeof SecretStorageInfo>;

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  dataDir: z.string(),
  platform: z.string(),
  secretStorage: SecretStorageInfo,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appChannels = {
  'app.info': { input: z.strictObject({}).optional(), output: AppInfo },
} as const;
