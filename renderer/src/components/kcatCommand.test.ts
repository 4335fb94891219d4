import { describe, expect, it } from 'vitest';
import { kcatCommand } from './kcatCommand';

/** The command an ordinary message gives (the exploit test runs hostile ones in real shells). */
describe('copy as kcat command', () => {
  it('a text message: the value through a temporary file, key, headers in order, partition', () => {
    expect(
      kcatCommand(
        {
          topic: 'orders',
          partition: 2,
          key: "it's",
          value: '{"total":12.5}',
          headers: [
            ['h', 'a'],
            ['h', 'b'],
            ['none', null],
          ],
        },
        '127.0.0.1:19092',
      ),
    ).toBe(
      `f=$(mktemp) && printf '%s' '{"total":12.5}' > "$f" && kcat -b '127.0.0.1:19092' -P -t 'orders' -p 2 -k 'it'\\''s' -H 'h=a' -H 'h=b' -H 'none' "$f"; rm -f "$f"`,
    );
  });

  it('binary bytes go through base64 -d; without bootstrap servers the command says BROKER, and a comment says so', () => {
    expect(
      kcatCommand({ topic: 'orders', partition: 0, key: null, value: { base64: '/wAKgA==' }, headers: [] }).split('\n'),
    ).toEqual([
      '# no bootstrap servers known for this message: write them in place of BROKER',
      `f=$(mktemp) && printf '%s' '/wAKgA==' | base64 -d > "$f" && kcat -b 'BROKER' -P -t 'orders' -p 0 "$f"; rm -f "$f"`,
    ]);
  });

  it("the connection's bootstrap servers, comma-separated and quoted; control characters in them give BROKER and a note", () => {
    const m = { topic: 'orders', partition: 0, key: null, value: 'v', headers: [] };
    expect(kcatCommand(m, ['b-1.example.com:9092', 'b-2.example.com:9092'])).toBe(
      `f=$(mktemp) && printf '%s' 'v' > "$f" && kcat -b 'b-1.example.com:9092,b-2.example.com:9092' -P -t 'orders' -p 0 "$f"; rm -f "$f"`,
    );
    expect(kcatCommand(m, ["it's:9092"])).toContain(`kcat -b 'it'\\''s:9092' -P`);
    expect(kcatCommand(m, ['a:1\nrm -rf ~', 'b:2']).split('\n')).toEqual([
      "# the bootstrap servers 'a:1\\nrm -rf ~,b:2' hold control characters: write them in place of BROKER",
      `f=$(mktemp) && printf '%s' 'v' > "$f" && kcat -b 'BROKER' -P -t 'orders' -p 0 "$f"; rm -f "$f"`,
    ]);
  });

  it('a null value is a tombstone: the key before a tab, with -Z', () => {
    expect(kcatCommand({ topic: 'orders', partition: 1, key: 'order-1', value: null, headers: [] }, 'BROKER')).toBe(
      `printf '%s\\t\\n' 'order-1' | kcat -b 'BROKER' -P -t 'orders' -p 1 -K '\\t' -Z`,
    );
  });

  it('a multi-line value and a binary key: base64, never the raw bytes in the text', () => {
    const text = kcatCommand(
      { topic: 'orders', partition: 0, key: { base64: '/wo=' }, value: 'one\ntwo\n', headers: [] },
      'BROKER',
    );
    expect(text.split('\n')).toEqual([
      `k=$(printf '%s' '/wo=' | base64 -d; printf x); k=\${k%x}`,
      `f=$(mktemp) && printf '%s' '${btoa('one\ntwo\n')}' | base64 -d > "$f" && kcat -b 'BROKER' -P -t 'orders' -p 0 -k "$k" "$f"; rm -f "$f"`,
    ]);
  });

  it('what cannot be sent is named in a comment, escaped', () => {
    const text = kcatCommand(
      {
        topic: 'orders',
        partition: 0,
        key: 'a\u0000b',
        value: 'v',
        headers: [
          ['a=b', 'c'],
          ['', 'x'],
        ],
      },
      'BROKER',
    );
    expect(text.split('\n').slice(0, 3)).toEqual([
      "# the key 'a\\u0000b' holds a NUL byte, which kcat cannot send: left out",
      "# the header 'a=b' has = in its name, which kcat cannot send: left out",
      '# a header with an empty name: kcat cannot send it, left out',
    ]);
    expect(kcatCommand({ topic: 'bad topic', partition: 0, key: null, value: 'v', headers: [] })).toBe(
      "# the topic 'bad topic' is not a Kafka topic name, so there is no kcat command for this message",
    );
    expect(
      kcatCommand({ topic: 'orders', partition: 0, key: null, value: { base64: '***' }, headers: [] }, 'BROKER'),
    ).toBe("# the value base64 '***' is not base64, so there is no kcat command for this message");
  });
});
