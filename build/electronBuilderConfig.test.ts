import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';

/**
 * electron-builder cannot run here (it needs Electron's binary), so the configuration is checked as
 * data: targets, what goes in and what stays out, native modules unpacked and rebuilt, the fuses.
 */
const require = createRequire(import.meta.url);
const config = require('./electron-builder.config.cjs') as {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  icon: string;
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  extraResources: { from: string }[];
  electronFuses: Configuration['electronFuses'];
};
const pkg = require('../package.json') as { main: string; scripts: Record<string, string> };

/** The packaging rule for a path: the last matching pattern wins, as in electron-builder's `files`. */
function included(file: string): boolean {
  let inc = false;
  for (const raw of config.files) {
    const negate = raw.startsWith('!');
    const pattern = negate ? raw.slice(1) : raw;
    if (path.matchesGlob(file, pattern)) inc = !negate;
  }
  return inc;
}

describe('electron-builder configuration', () => {
  it('names the app and builds AppImage + deb, dmg and nsis', () => {
    expect(config.appId).toBe('dev.kafkadesk.app');
    expect(config.productName).toBe('Kafka Desk');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('takes its icon from resources/ and the icon exists', () => {
    expect(config.icon).toBe('resources/icon.png');
    expect(existsSync(path.resolve(config.icon))).toBe(true);
  });

  it('includes the bundled main, preload, renderer and package.json, whose main points into out/', () => {
    for (const f of [
      'out/main/index.cjs',
      'out/main/gss-helper.cjs',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc.js',
      'package.json',
    ]) {
      expect(included(f), f).toBe(true);
    }
    expect(included(pkg.main)).toBe(true);
  });

  it('leaves out tests, the dev broker folder, certificates, keys, keytabs and source maps', () => {
    for (const f of [
      'e2e/ui/connections.spec.ts',
      'electron/core/dispatch.test.ts',
      'electron/main/ipc.exploit.test.ts',
      '.dev-kafka/certs/ca.pem',
      '.dev-kafka/cluster.json',
      'out/main/index.cjs.map',
      'resources/client.pem',
      'some/where/kafka.keytab',
      'some/where/store.jks',
      'test-results/playwright.json',
    ]) {
      expect(included(f), f).toBe(false);
    }
  });

  it('unpacks native modules from the asar and rebuilds them for Electron', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  // the names are electron-builder's (FuseOptionsV1): a misspelt one would be a type error here, not a fuse left on
  const fuses: Required<Omit<NonNullable<Configuration['electronFuses']>, 'resetAdHocDarwinSignature'>> = {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  };
  it.each(Object.entries(fuses))('flips the %s fuse to %s', (fuse, value) => {
    expect(config.electronFuses, 'electronFuses').toBeTypeOf('object');
    expect((config.electronFuses as Record<string, unknown>)[fuse]).toBe(value);
  });

  it('sets no fuse it does not mean to', () => {
    expect(Object.keys(config.electronFuses ?? {}).sort()).toEqual(Object.keys(fuses).sort());
  });

  it('is what npm run dist uses', () => {
    expect(pkg.scripts.dist).toContain('build/electron-builder.config.cjs');
  });
});
