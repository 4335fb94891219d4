import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

/**
 * `npm run bench` in its quick mode (small sizes): proves the script runs end to end against the
 * real broker and Chromium, and writes its table. No figure is asserted; the full run's figures go in notes.
 */
describe('the benchmark script (quick mode)', () => {
  it('runs each case (beside kcat, in the window, Avro with the registry) and writes the results table', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'kafka-desk-bench-')), 'RESULTS.md');
    await exec(
      process.execPath,
      [
        path.resolve('node_modules/tsx/dist/cli.mjs'),
        'e2e/bench/bench.ts',
        '--quick',
        '--messages',
        '3000',
        '--out',
        out,
      ],
      { timeout: 360_000 },
    );
    const table = await readFile(out, 'utf8');
    expect(table).toContain('| case | Kafka Desk | kcat | ratio | notes |');
    for (const name of ['Consume 3,000 × 1 KiB', 'Consume 3,000 into a capture', 'Produce 3,000 × 1 KiB']) {
      expect(table).toMatch(
        new RegExp(`\\| ${name}[^|]* \\| \\d+\\.\\d\\d s \\| \\d+\\.\\d\\d s \\| \\d+\\.\\d\\d× \\|`),
      );
    }
    expect(table).toMatch(/^Machine: \d+ × /m);
    // the window's cases: the table of the capture, and the live tail with nothing lost
    expect(table).toMatch(/\| Table, 3,000 messages: open the capture → first rows drawn \| [\d,]+ ms \|/);
    expect(table).toMatch(
      /\| Table: substring filter `"seq":42` → first matching rows drawn \/ all counted \(\d+ of 3,000 rows;/,
    );
    expect(table).toMatch(/\| Live tail, [\d,]+ msg\/s × \d+ s: received \/ produced \| ([\d,]+) \/ \1 \|/);
    // Avro with the registry: produced, then read decoded (checked against what was produced), without
    // decoding, by kcat, and by Confluent's Python deserializer (which reads all 3,000 or fails the run)
    expect(table).toContain('| case | Kafka Desk | peer | peer time | Kafka Desk vs peer | target | notes |');
    const s = '\\d+\\.\\d\\d s';
    expect(table).toMatch(new RegExp(`\\| Produce 3,000 Avro messages from NDJSON[^|]* \\| ${s} \\|`));
    expect(table).toMatch(
      new RegExp(
        `\\| Consume 3,000 Avro messages to the end, decoded[^|]* \\| ${s} \\| Kafka Desk, --value-format bytes \\| ${s} \\| [+-]\\d+ % \\|`,
      ),
    );
    expect(table).toMatch(
      new RegExp(
        `\\| Consume 3,000 Avro messages to the end: Kafka Desk decoded vs kcat raw \\| ${s} \\| [^|]+ \\| ${s} \\| \\d+\\.\\d\\d× kcat \\|`,
      ),
    );
    const python =
      /\| Consume 3,000 Avro messages to the end: Kafka Desk decoded vs Confluent's Python AvroDeserializer \|([^\n]*)/.exec(
        table,
      );
    expect(python).not.toBeNull();
    if (python![1]!.includes('not run:')) console.warn(`the Python peer did not run:${python![1]}`);
    else expect(python![1]).toMatch(new RegExp(` ${s} \\| [^|]+ \\| ${s} \\| \\d+\\.\\d\\d× (faster|slower) \\|`));
  }, 420_000);
});
