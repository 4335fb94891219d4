import type { SafeStorage } from 'electron';
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
