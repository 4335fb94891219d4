// `npm test`: type checking, lint, formatting (prettier --check), build, unit + integration tests (Vitest, real broker) and UI tests
// (Playwright, Chromium). Starts the test broker once for both runners (or reuses a live one), stops
// it afterwards if it started it, and ends with one line: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const run = (label, cmd, args, env = {}) => {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
};
const check = (label, cmd, args) => {
  const ok = run(label, cmd, args);
  results[ok ? 'passed' : 'failed'] += 1;
  if (!ok) failures.push(label);
  return ok;
};
const npx = (bin, ...args) => ['node_modules/.bin/' + bin, args];

mkdirSync('test-results', { recursive: true });
// every answer is checked against its output schema in both runners; each channel so checked is logged here
const replyLog = 'test-results/replies-checked';
rmSync(replyLog, { recursive: true, force: true });
process.env.KAFKA_DESK_CHECK_REPLIES = '1';
process.env.KAFKA_DESK_REPLY_LOG = path.resolve(replyLog);
check('type check (node)', ...npx('tsc', '-p', 'tsconfig.node.json', '--noEmit'));
check('type check (renderer)', ...npx('vue-tsc', '-p', 'tsconfig.web.json', '--noEmit'));
check('lint', ...npx('eslint', '.'));
check('format', ...npx('prettier', '--check', '.'));
const built = check('build', 'npm', ['run', 'build', '--silent']);

const wasRunning = run('broker status', ...npx('tsx', 'e2e/infra/cli.ts', 'status'));
const up = wasRunning || run('start test broker', ...npx('tsx', 'e2e/infra/cli.ts', 'up'));
if (!up) {
  results.failed += 1;
  failures.push('start test broker');
}

try {
  const vitestJson = 'test-results/vitest.json';
  rmSync(vitestJson, { force: true });
  run(
    'unit + integration tests',
    ...npx('vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`),
  );
  if (existsSync(vitestJson)) {
    const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
    results.passed += v.numPassedTests;
    results.failed += v.numFailedTests;
    results.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
    if (v.numFailedTests || v.numFailedTestSuites) failures.push('vitest');
    if (v.numFailedTestSuites && !v.numFailedTests) {
      results.failed += v.numFailedTestSuites;
    }
  } else {
    results.failed += 1;
    failures.push('vitest (no report)');
  }

  const pwJson = 'test-results/playwright.json';
  rmSync(pwJson, { force: true });
  if (built) run('UI tests', ...npx('playwright', 'test'));
  if (existsSync(pwJson)) {
    const p = JSON.parse(readFileSync(pwJson, 'utf8'));
    results.passed += p.stats.expected + (p.stats.flaky ?? 0);
    results.failed += p.stats.unexpected;
    results.skipped += p.stats.skipped;
    if (p.stats.unexpected) failures.push('playwright');
    if (p.errors?.length && !p.stats.unexpected) {
      results.failed += p.errors.length;
      failures.push('playwright (global errors)');
    }
  } else {
    results.failed += 1;
    failures.push('playwright (no report)');
  }
} finally {
  if (up && !wasRunning) run('stop test broker', ...npx('tsx', 'e2e/infra/cli.ts', 'down'));
}

if (existsSync(path.join(replyLog, 'channels.txt'))) {
  const lines = (f) => readFileSync(path.join(replyLog, f), 'utf8').split('\n').filter(Boolean);
  const all = lines('channels.txt');
  const checked = new Set(
    readdirSync(replyLog)
      .filter((f) => f.startsWith('checked-'))
      .flatMap(lines),
  );
  const missing = all.filter((c) => !checked.has(c));
  console.log(
    `\nAnswers checked against their output schemas: ${all.length - missing.length} of ${all.length} channels${missing.length ? ` (not exercised: ${missing.join(', ')})` : ''}.`,
  );
}
if (failures.length) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`\n${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(results.failed === 0 ? 0 : 1);
