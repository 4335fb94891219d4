// electron-builder configuration (`npm run dist`). Packages the bundled app in out/ plus runtime
// dependencies; never tests, the dev broker's folder, certificates, keys or keytabs.
/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.kafkadesk.app',
  productName: 'Kafka Desk',
  copyright: 'Copyright © Kafka Desk developers',
  directories: { output: 'release/${version}', buildResources: 'build' },
  files: [
    'out/**/*',
    'package.json',
    '!out/**/*.map',
    '!**/*.{test,spec}.{ts,js,cjs,mjs}',
    '!**/*.exploit.test.ts',
    '!e2e/**',
    '!.dev-kafka/**',
    '!test-results/**',
    '!**/*.{pem,key,crt,p12,pfx,jks,keytab}',
    '!**/krb5*.conf',
  ],
  extraResources: [{ from: 'resources', to: 'resources', filter: ['**/*', '!**/*.{pem,key,p12,keytab}'] }],
  icon: 'resources/icon.png',
  // Native modules (the Kerberos binding, the SQLite binding) must load from a real file, not the asar.
  asar: true,
  asarUnpack: ['**/*.node', 'node_modules/kerberos/**', 'node_modules/better-sqlite3/**'],
  // Rebuild native modules for Electron's ABI while packaging.
  npmRebuild: true,
  buildDependenciesFromSource: true,
  nodeGypRebuild: false,
  linux: { target: ['AppImage', 'deb'], category: 'Development', maintainer: 'Kafka Desk developers <dev@kafka-desk.invalid>' },
  deb: { depends: ['libkrb5-3', 'libgssapi-krb5-2'] },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools', hardenedRuntime: true },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
};
