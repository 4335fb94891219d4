import { runCli } from './program';

runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  outIsTerminal: process.stdout.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
