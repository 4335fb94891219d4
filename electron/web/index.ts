import path from 'node:path';
import { Command } from 'commander';
import { version } from '../../package.json';
import { createCore, defaultDataDir, KeyFileSecretBox } from '../core';
import { describeCause } from '../core/coreError';
import { startWebServer } from './server';

// A promise that fails with no one waiting for it (a bug somewhere below) must not end browser mode,
// and every open window with it: Node's default makes it fatal; here it is logged and the server goes on.
process.on('unhandledRejection', (reason) => {
  console.error(
    `Kafka Desk (browser mode): something failed with no one waiting for it; the server goes on. ${describeCause(reason)}`,
  );
});

/** `npm run web`: Kafka Desk in a browser, served on loopback with a random token. */
const program = new Command('kafka-desk-web')
  .description('Serve Kafka Desk to a browser on this machine')
  .option(
    '--port <port>',
    'port to listen on (0 for any free port)',
    (v) => Number.parseInt(v, 10),
    Number(process.env.KAFKA_DESK_PORT ?? 5620),
  )
  .option('--host <host>', 'interface to bind; keep the loopback default unless you know why', '127.0.0.1')
  .option('--data-dir <dir>', 'data folder (saved connections, secrets key)')
  .version(version);

program.parse();
const opts = program.opts<{ port: number; host: string; dataDir?: string }>();
const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir();
const core = createCore({
  host: 'web',
  dataDir,
  version,
  secrets: new KeyFileSecretBox(dataDir),
  secretStorage: { kind: 'key-file', detail: 'a key file in the data folder (secret.key, 0600)' },
  resourcesDir: path.join(__dirname, '..', '..', 'resources'),
});

startWebServer({ core, rendererDir: path.join(__dirname, '..', 'renderer'), host: opts.host, port: opts.port })
  .then((s) => {
    if (!['127.0.0.1', '::1', 'localhost'].includes(opts.host)) {
      console.warn(
        `Warning: listening on ${opts.host}, not loopback. Anyone who can reach it and has the token can use your connections.`,
      );
    }
    console.log(`Kafka Desk ${version} (browser mode), data folder ${dataDir}`);
    console.log(`Open ${s.url}`);
    const stop = () => {
      core.operations.cancelAll();
      void core.listens
        .stopAll()
        .then(() => s.close())
        .then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })
  .catch((e: NodeJS.ErrnoException) => {
    console.error(
      e.code === 'EADDRINUSE'
        ? `Port ${opts.port} on ${opts.host} is in use. Choose another with --port, or --port 0 for any free port.`
        : `Could not start browser mode: ${e.message}`,
    );
    process.exit(1);
  });
