import { CoreError, describeCause } from '../coreError';
import type { SealedSecret, SecretBox } from '../secrets/secretBox';

/**
 * A saved connection's secrets through the host's SecretBox: passwords sealed into connections.json
 * (recording which box sealed them, so another host can say why it cannot open them), the private key
 * and the PKCS#12 bundle sealed into their files. Opened only for the Kafka client.
 */
export class ConnectionSecrets {
  constructor(private readonly box: SecretBox) {}

  /** A password as stored: sealed, or none when the form cleared it. */
  async sealPassword(text: string): Promise<SealedSecret | null> {
    return text === '' ? null : { box: this.box.kind, data: await this.box.seal(text) };
  }

  /** A file's content sealed (the client key, the PKCS#12 bundle). */
  sealFile(text: string): Promise<string> {
    return this.box.seal(text);
  }

  /** A sealed file's content opened: the files are sealed by the box of the host that saved them, this one's. */
  openFile(sealed: string, name: string): Promise<string> {
    return this.open({ box: this.box.kind, data: sealed }, name);
  }

  /** A secret of the connection `name` opened, or SECRET_UNAVAILABLE saying what to do. */
  async open(s: { box: string; data: string }, name: string): Promise<string> {
    if (s.box !== this.box.kind) {
      throw new CoreError(
        'SECRET_UNAVAILABLE',
        s.box === 'safeStorage'
          ? `The secrets of '${name}' were sealed by the desktop app with the system keychain, which Kafka Desk cannot use here (the command line, browser mode, or a Linux desktop without a keyring). Enter the password again here, or use the desktop app where the keychain is.`
          : `The secrets of '${name}' were sealed with the data folder's key file, which the desktop app does not use. Enter the password again.`,
      );
    }
    try {
      return await this.box.open(s.data);
    } catch (e) {
      throw new CoreError(
        'SECRET_UNAVAILABLE',
        `The saved password of '${name}' could not be decrypted (was secret.key replaced?). Enter it again.`,
        describeCause(e),
      );
    }
  }
}
