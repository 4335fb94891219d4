import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretBox } from './secretBox';

const KEY_FILE = 'secret.key';

/**
 * AES-256-GCM with a random 32-byte key kept in `<data>/secret.key`, mode 0600, created on first
 * use. Never a built-in fallback key: without the file, nothing sealed can be opened.
 */
export class KeyFileSecretBox implements SecretBox {
  readonly kind = 'keyfile' as const;
  private key: Promise<Buffer> | undefined;

  constructor(private readonly dataDir: string) {}

  private loadKey(): Promise<Buffer> {
    this.key ??= (async () => {
      const file = path.join(this.dataDir, KEY_FILE);
      try {
        const k = await readFile(file);
        if (k.length !== 32) throw new Error(`${file} is not a Kafka Desk key file (wrong length)`);
        return k;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
        const k = randomBytes(32);
        await writeFile(file, k, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
        });
        await chmod(file, 0o600);
        return readFile(file);
      }
    })();
    return this.key;
  }

  async seal(plain: string): Promise<string> {
    const key = await this.loadKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  async open(sealed: string): Promise<string> {
    const key = await this.loadKey();
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
