// Runs Electron's own binary download (its postinstall, which npm is told not to run directly) and
// turns a failure into a warning: on machines without access to Electron's download host, npm install
// must still succeed, and the browser mode (`npm run web`) and the CLI work without the binary.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let installer;
try {
  installer = require.resolve('electron/install.js');
} catch {
  process.exit(0); // electron is a devDependency; absent in a production install
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('kafka-desk: ELECTRON_SKIP_BINARY_DOWNLOAD is set; the Electron binary was not downloaded.');
  process.exit(0);
}
const r = spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 300_000 });
if (r.status !== 0) {
  console.warn(
    'kafka-desk: the Electron binary could not be downloaded. `npm start` needs it; ' +
      '`npm run web`, the CLI and the tests run without it.',
  );
}
