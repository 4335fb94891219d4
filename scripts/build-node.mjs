// Bundles the Node side (Electron main, its Kerberos helper and preload, browser-mode server, CLI) with esbuild.
// The renderer is built by Vite (vite.config.ts); see README "Development".
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Packages that read a .wasm file beside their own code stay in node_modules (not bundled), and so
// do native addons (a compiled .node file, built by npm ci; electron-builder rebuilds it for Electron).
const wasmPackages = ['@bokuweb/zstd-wasm'];
const nativePackages = ['better-sqlite3'];
const external = [...wasmPackages, ...nativePackages];

const entries = [
  { in: 'electron/main/index.ts', out: 'out/main/index.cjs', external: ['electron', ...external] },
  // the Kerberos helper the app forks as a utility process (electron/main/gssHelper.ts)
  { in: 'electron/main/gssHelper.ts', out: 'out/main/gss-helper.cjs', external: ['electron', ...external] },
  { in: 'electron/preload/index.ts', out: 'out/preload/index.cjs', external: ['electron'] },
  { in: 'electron/web/index.ts', out: 'out/web/index.cjs', external },
  { in: 'electron/cli/index.ts', out: 'out/cli/index.cjs', external },
];

for (const e of entries) {
  if (!existsSync(e.in)) continue;
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: e.external,
    logLevel: 'warning',
    define: { __KAFKA_DESK_VERSION__: JSON.stringify(pkg.version) },
  });
}
