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
  // Electron's fuses, flipped in the packaged binary: what an attacker with write access to the user's
  // environment (not to the app) could otherwise turn the signed app into. See electron/fuses.
  electronFuses: {
    // ELECTRON_RUN_AS_NODE would make the app a Node interpreter; the Kerberos helper is a utility process instead
    runAsNode: false,
    enableCookieEncryption: true,
    // NODE_OPTIONS (--require a script) and --inspect / SIGUSR1 would run or debug code inside the app
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    // only the app.asar electron-builder wrote, checked against its embedded hash (macOS, Windows)
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    // the window is served from app://, never file://
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    maintainer: 'Kafka Desk developers <dev@kafka-desk.invalid>',
  },
  deb: { depends: ['libkrb5-3', 'libgssapi-krb5-2'] },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools', hardenedRuntime: true },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
};
