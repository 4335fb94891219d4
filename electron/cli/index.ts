import { runCli } from './program';

runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
