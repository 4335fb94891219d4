/**
 * Seals secrets (passwords, private keys) before they reach the disk. The host chooses the box:
 * Electron's safeStorage (OS keychain) in the app, a 0600 key file elsewhere. A sealed value records
 * which box sealed it, so a host that cannot open it says so instead of failing obscurely.
 */
export type SecretBoxKind = 'safeStorage' | 'keyfile';

export interface SecretBox {
  readonly kind: SecretBoxKind;
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export interface SealedSecret {
  box: SecretBoxKind;
  data: string;
}
