import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonText, messageLine, showLines, showText, showWire, terminalSafe, terminalWriter } from './terminalText';
import { runCli } from './program';

/** Every C0 control, DEL, every C1 control, and the bidi controls. */
const controls = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  '\u007f',
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i)),
  '\u061c',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
].join('');
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex -- the same, but newline and tab
const RAW_BUT_NEWLINE_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe('showText: a value inside a line', () => {
  it('shows each control and bidi character as a visible escape', () => {
    expect(showText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(showText('\u001b[2J\u0007\u0000\u007f')).toBe('\\x1b[2J\\x07\\x00\\x7f');
    expect(showText('\u009b2J\u0085')).toBe('\\u009b2J\\u0085');
    expect(showText('abc\u202egpj.exe\u2066\u2069\u200f')).toBe('abc\\u202egpj.exe\\u2066\\u2069\\u200f');
    expect(showText(controls)).not.toMatch(RAW);
  });

  it('leaves ordinary text alone: accents, emoji (with joiners), other scripts, quotes, backslashes', () => {
    for (const s of ['héllo wörld', '👩‍💻 ok', 'שלום עולם', '日本語', '{"a":"x\\"y"}', 'C:\\path', ''])
      expect(showText(s)).toBe(s);
  });

  it("showLines keeps a trace's newlines and tabs, and escapes the rest", () => {
    expect(showLines('Error: x\u001b[2J\n\tat a(b.java:1)\r')).toBe('Error: x\\x1b[2J\n\tat a(b.java:1)\\r');
  });

  it('showWire: null, text, and bytes that are not UTF-8', () => {
    expect(showWire(null)).toBe('(null)');
    expect(showWire('k\u001b')).toBe('k\\x1b');
    expect(showWire({ base64: '/w==' })).toBe('base64:/w==');
  });

  it('messageLine keeps the line an ordinary message always had', () => {
    const m = {
      topic: 'orders',
      partition: 1,
      offset: '42',
      timestamp: '1700000000000',
      key: 'order-1',
      value: '{"total":12.5}',
      headers: [
        ['trace', 'abc'],
        ['bin', { base64: 'gA==' }],
      ] as [string, string | { base64: string }][],
    };
    expect(messageLine(m, { time: true, headers: true })).toBe(
      'orders[1] @ 42  2023-11-14T22:13:20.000Z  key=order-1  {"total":12.5}  headers=trace=abc,bin=base64:gA==\n',
    );
    expect(messageLine(m)).toBe('orders[1] @ 42  key=order-1  {"total":12.5}\n');
    // a timestamp no Date can hold is shown as it is, not thrown on
    expect(messageLine({ ...m, timestamp: '99999999999999999999' }, { time: true })).toContain(
      '@ 42  99999999999999999999  key=',
    );
  });
});

describe('terminalSafe: what the writers let through', () => {
  it('keeps newline and tab, and writes every other control or bidi character as \\uXXXX', () => {
    expect(terminalSafe('a\nb\tc\rd\u001b[2J\u009b\u202e')).toBe('a\nb\tc\\u000dd\\u001b[2J\\u009b\\u202e');
    expect(terminalSafe(controls)).not.toMatch(RAW_BUT_NEWLINE_TAB);
  });

  it('turns valid JSON into valid JSON with the same values (a raw control can only be inside a string)', () => {
    const value = { s: controls, nested: [controls, 'plain'], n: 1 };
    // JSON.stringify escapes C0 but leaves DEL, C1 and bidi controls raw
    const raw = JSON.stringify(value);
    expect(raw).toContain('\u009b');
    expect(terminalSafe(raw)).not.toMatch(RAW_BUT_NEWLINE_TAB);
    expect(JSON.parse(terminalSafe(raw))).toEqual(value);
    expect(JSON.parse(terminalSafe(JSON.stringify(value, null, 2)))).toEqual(value);
  });

  it('terminalWriter applies it to each write', () => {
    let out = '';
    const write = terminalWriter((s) => (out += s));
    write('one\u001b]52;c;eA==\u0007\n');
    write('two\n');
    expect(out).toBe('one\\u001b]52;c;eA==\\u0007\ntwo\n');
  });
});

describe('jsonText', () => {
  it('escapes C0 (as JSON.stringify does), and DEL, C1, bidi and U+2028/U+2029 too; JSON.parse gives back the exact string', () => {
    const s = `${controls}\u2028\u2029 plain é 👩‍💻`;
    const text = jsonText({ s, list: [s] });
    expect(text).not.toMatch(RAW);
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(text).toContain('\\u009b');
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\u007f');
    expect(JSON.parse(text)).toEqual({ s, list: [s] });
    expect((JSON.parse(text) as { s: string }).s).toBe(s);
  });

  it('is JSON.stringify for ordinary values', () => {
    const v = { a: 'x"y\\z', b: [1, null, true], c: { base64: 'gA==' } };
    expect(jsonText(v)).toBe(JSON.stringify(v));
  });
});

describe('captures export to standard output', () => {
  it('writes the file as it is to a pipe, and made safe on a terminal', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-terminal-export-'));
    const file = path.join(dataDir, 'in.ndjson');
    await writeFile(
      file,
      JSON.stringify({ topic: 't', partition: 0, offset: '1', timestamp: '1', key: 'k', value: 'v\u001b[2J\u009b' }) +
        '\n',
    );
    const run = async (args: string[], outIsTerminal: boolean) => {
      let out = '';
      const code = await runCli(args, {
        out: (s) => (out += s),
        err: () => undefined,
        env: { KAFKA_DESK_DATA_DIR: dataDir },
        outIsTerminal,
      });
      return { code, out };
    };
    expect((await run(['captures', 'import', file, '--name', 'c'], false)).code).toBe(0);
    const piped = await run(['captures', 'export', 'c', '--format', 'csv'], false);
    expect(piped.out.split('\n')[1]).toBe('t,0,1,1,CreateTime,utf8,k,utf8,v\u001b[2J\u009b,[]');
    const shown = await run(['captures', 'export', 'c', '--format', 'csv'], true);
    expect(shown.out).not.toMatch(RAW_BUT_NEWLINE_TAB);
    expect(shown.out.split('\n')[1]).toBe('t,0,1,1,CreateTime,utf8,k,utf8,v\\u001b[2J\\u009b,[]');
    // NDJSON on a terminal: the same values after parsing
    const ndjson = await run(['captures', 'export', 'c'], true);
    expect(ndjson.out).not.toMatch(RAW_BUT_NEWLINE_TAB);
    expect((JSON.parse(ndjson.out) as { value: string }).value).toBe('v\u001b[2J\u009b');
  });
});
