/**
 * Run as a child process by keyFileSecretBox.exploit.test.ts, several at once on one fresh data
 * folder. Prints "ready"; on the line "go" (sent to all of them together) seals a value with
 * KeyFileSecretBox and prints "sealed <value>"; on "open <value>" (another child's) prints
 * "opened <plain>", or "error <message>", and exits.
 */
import { createInterface } from 'node:readline';
import { KeyFileSecretBox } from './keyFileSecretBox';

const [dataDir] = process.argv.slice(2) as [string];
const box = new KeyFileSecretBox(dataDir);
const fail = (e: unknown) => {
  console.log(`error ${(e as Error).message}`);
  process.exit(0);
};

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'go') {
    box.seal(`sealed by ${process.pid}`).then((s) => console.log(`sealed ${s}`), fail);
  } else if (line.startsWith('open ')) {
    box.open(line.slice(5)).then((p) => {
      console.log(`opened ${p}`);
      process.exit(0);
    }, fail);
  }
});
console.log('ready');
