import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CoreError } from '../coreError';
import { createPrivateFileIfAbsent, privateDir, tightenFile } from '../store/privateFiles';
import type { SecretBox } from './secretBox';

const KEY_FILE = 'secret.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
/** The full GCM tag, and only it: Node would otherwise take a tag of 4 bytes, which a few billion guesses forge. */
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random 32-byte key kept in `<data>/secret.key`, mode 0600, created on first
 * use. Never a built-in fallback key: without the file, nothing sealed can be opened.
 */
export class KeyFileSecretBox implements SecretBox {
  readonly kind = 'keyfile' as const;
  private key: Promise<Buffer> | undefined;

  constructor(private readonly dataDir: string) {}

  private loadKey(): Promise<Buffer> {
    if (!this.key) {
      const loading = this.readOrCreateKey();
      this.key = loading;
      // a failure is not kept: the next call reads again (the file may be whole by then, or replaced)
      loading.catch(() => {
        if (this.key === loading) this.key = undefined;
      });
    }
    return this.key;
  }

  private async readOrCreateKey(): Promise<Buffer> {
    const file = path.join(this.dataDir, KEY_FILE);
    const existing = await readKeyFile(file);
    if (existing) return existing;
    await privateDir(this.dataDir);
    // Written whole under a temp name and linked into place: another process creating it at the
    // same moment either wins (and its complete key is read below) or loses; nobody reads a part.
    await createPrivateFileIfAbsent(file, randomBytes(KEY_BYTES));
    const key = await readKeyFile(file);
    if (!key) throw new CoreError('SECRET_UNAVAILABLE', `${file} was removed while it was being created; try again.`);
    return key;
  }

  async seal(plain: string): Promise<string> {
    const key = await this.loadKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  async open(sealed: string): Promise<string> {
    const key = await this.loadKey();
    const raw = Buffer.from(sealed, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) {
      throw new Error(
        `The sealed value is ${raw.length} bytes, shorter than the ${IV_BYTES + TAG_BYTES} of its IV and authentication tag: it was cut short or is not a sealed value.`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** The key, or null when there is no key file yet; a file of the wrong length is refused, never used. */
async function readKeyFile(file: string): Promise<Buffer | null> {
  let key: Buffer;
  try {
    key = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (key.length !== KEY_BYTES) {
    throw new CoreError(
      'SECRET_UNAVAILABLE',
      `${file} is ${key.length} bytes long, not the ${KEY_BYTES} bytes of a Kafka Desk key: it was cut short or is not a key file. ` +
        `If another Kafka Desk is starting right now, try again; otherwise move it out of the data folder (a new key is made, and saved passwords and private keys must be entered again) or put the right secret.key back.`,
    );
  }
  // a key file an older version (or a restore from backup) left readable by others
  await tightenFile(file);
  return key;
}
