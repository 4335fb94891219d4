import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppInfo } from '../contract';
import { createCore, KeyFileSecretBox, type CoreOptions, type SecretBox } from '../core';
import { chooseSecretStorage, SafeStorageSecretBox } from './safeStorageBox';

describe('chooseSecretStorage (electron/main/safeStorageBox.ts)', () => {
  it("Linux's basic_text backend is no keychain: a 0600 key file, and the window is told why", () => {
    // safeStorage says it is available here; the app used to seal with it
    const s = chooseSecretStorage('linux', true, 'basic_text');
    expect(s.kind).toBe('key-file');
    expect(s.detail).toBe(
      'a key file in the data folder (secret.key, 0600): this system has no keychain (safeStorage backend basic_text)',
    );
  });

  it('an unknown backend (asked before ready, or one Electron does not name) is no keychain either', () => {
    expect(chooseSecretStorage('linux', true, 'unknown')).toMatchObject({
      kind: 'key-file',
      detail: expect.stringContaining('safeStorage backend unknown'),
    });
    expect(chooseSecretStorage('linux', true, undefined)).toMatchObject({ kind: 'key-file' });
  });

  it.each(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])(
    'Linux with %s uses the keychain and names it',
    (backend) => {
      expect(chooseSecretStorage('linux', true, backend)).toEqual({
        kind: 'keychain',
        detail: `the system keychain (${backend})`,
      });
    },
  );

  it('without safeStorage, every platform uses the key file', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(chooseSecretStorage(platform, false, 'gnome_libsecret')).toEqual({
        kind: 'key-file',
        detail:
          'a key file in the data folder (secret.key, 0600): this system has no keychain (safeStorage is not available)',
      });
    }
  });

  it('macOS and Windows use their keychain when safeStorage is available (no backend to ask)', () => {
    expect(chooseSecretStorage('darwin', true)).toEqual({ kind: 'keychain', detail: 'the macOS Keychain' });
    expect(chooseSecretStorage('win32', true)).toEqual({
      kind: 'keychain',
      detail: 'Windows DPAPI (your Windows account)',
    });
  });

  it('what it chooses is what app.info may carry', () => {
    for (const s of [
      chooseSecretStorage('linux', true, 'basic_text'),
      chooseSecretStorage('linux', true, 'kwallet6'),
    ]) {
      const info = {
        name: 'Kafka Desk',
        version: '0',
        host: 'electron',
        dataDir: '/d',
        platform: 'linux',
        secretStorage: s,
      };
      expect(AppInfo.parse(info)).toEqual(info);
    }
  });
});

describe('app.info tells the window where secrets are sealed', () => {
  async function info(options: Partial<CoreOptions> & { secrets?: SecretBox }) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-info-'));
    const core = createCore({
      host: 'electron',
      dataDir,
      version: 'test',
      secrets: new KeyFileSecretBox(dataDir),
      ...options,
    });
    try {
      return AppInfo.parse(await core.handlers['app.info'](undefined));
    } finally {
      core.sessions.close();
    }
  }

  it('as the host chose it', async () => {
    const chosen = chooseSecretStorage('linux', true, 'basic_text');
    expect((await info({ secretStorage: chosen })).secretStorage).toEqual(chosen);
  });

  it('and, when the host does not say, as its secret box seals', async () => {
    expect((await info({})).secretStorage).toEqual({
      kind: 'key-file',
      detail: 'a key file in the data folder (secret.key, 0600)',
    });
    const keychain = new SafeStorageSecretBox({
      encryptString: (s) => Buffer.from(s),
      decryptString: (b) => b.toString(),
    });
    expect((await info({ secrets: keychain })).secretStorage).toEqual({
      kind: 'keychain',
      detail: 'the system keychain',
    });
  });
});
