import type { SafeStorage } from 'electron';
import type { SecretStorageInfo } from '../contract';
import type { SecretBox } from '../core';

/** Seals secrets with the OS keychain through Electron's safeStorage. */
export class SafeStorageSecretBox implements SecretBox {
  readonly kind = 'safeStorage' as const;
  constructor(private readonly safeStorage: Pick<SafeStorage, 'encryptString' | 'decryptString'>) {}
  async seal(plain: string): Promise<string> {
    return this.safeStorage.encryptString(plain).toString('base64');
  }
  async open(sealed: string): Promise<string> {
    return this.safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }
}

const KEY_FILE = 'a key file in the data folder (secret.key, 0600)';

/**
 * Where the desktop app seals secrets: the OS keychain through safeStorage, or the 0600 key file the
 * other hosts use. On Linux safeStorage reports itself available even without a secret service: its
 * `basic_text` backend encrypts with a password compiled into Chromium, which protects nothing, so
 * it counts as no keychain. So does `unknown` (asked before the app is ready, or a backend Electron
 * does not name). `backend` is `safeStorage.getSelectedStorageBackend()`, asked on Linux only.
 */
export function chooseSecretStorage(
  platform: NodeJS.Platform,
  encryptionAvailable: boolean,
  backend?: string,
): SecretStorageInfo {
  if (!encryptionAvailable)
    return { kind: 'key-file', detail: `${KEY_FILE}: this system has no keychain (safeStorage is not available)` };
  if (platform === 'darwin') return { kind: 'keychain', detail: 'the macOS Keychain' };
  if (platform === 'win32') return { kind: 'keychain', detail: 'Windows DPAPI (your Windows account)' };
  if (platform === 'linux') {
    if (backend === undefined || backend === 'basic_text' || backend === 'unknown') {
      return {
        kind: 'key-file',
        detail: `${KEY_FILE}: this system has no keychain (safeStorage backend ${backend ?? 'not reported'})`,
      };
    }
    return { kind: 'keychain', detail: `the system keychain (${backend})` };
  }
  return { kind: 'keychain', detail: 'the system keychain' };
}
