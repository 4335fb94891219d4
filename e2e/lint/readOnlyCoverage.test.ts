import { describe, expect, it } from 'vitest';
import { channelNames } from '../../electron/contract';
import { channelOptions, readOnlyRules } from '../integration/readOnlyRules';

/**
 * The read-only table (e2e/integration/readOnlyRules.ts) against the contract: every channel is
 * classified (the table's type already demands it), and for each channel that can write, every option
 * a caller can send is either a read or has a case that the read-only suite sends to the real broker.
 * A new option of such a channel fails here until someone decides which it is.
 */
describe('the read-only table covers the contract', () => {
  it('classifies every channel, and nothing that is not one', () => {
    expect(Object.keys(readOnlyRules).sort()).toEqual([...channelNames].sort());
  });

  it('a channel that can write: each of its options is a read or a write with a case', () => {
    const problems: string[] = [];
    for (const name of channelNames) {
      const rule = readOnlyRules[name];
      if ('never' in rule) continue;
      const writes = Object.keys(rule.writes ?? {});
      if (!rule.always && !writes.length) problems.push(`${name}: classified as writing, but has no write case`);
      const covered = (p: string) =>
        rule.reads.includes(p) || writes.some((w) => p === w || p.startsWith(`${w}.`) || p.startsWith(`${w}[`));
      const options = channelOptions(name);
      for (const p of options)
        if (!covered(p))
          problems.push(
            `${name}: option '${p}' is not classified — can it change the cluster? List it as a read, or add a write case`,
          );
      for (const p of [...rule.reads, ...writes])
        if (!options.includes(p))
          problems.push(`${name}: '${p}' is not an option of this channel (renamed or removed?)`);
    }
    expect(problems).toEqual([]);
  });

  it('a channel said never to write has no options that are writes elsewhere (a group to join, a commit)', () => {
    for (const name of channelNames) {
      if (!('never' in readOnlyRules[name])) continue;
      // a preset keeps an operation's options; running it goes through that operation's channel
      const options = channelOptions(name).filter((p) => !p.startsWith('operation.input.'));
      expect(
        options.filter((p) => /(^|\.)(group|commit|dryRun)$/.test(p)),
        name,
      ).toEqual([]);
    }
  });
});
