import { describe, expect, it } from 'vitest';
import { ProduceInput, type ProduceResult } from '../../../electron/contract';
import {
  applyDraft,
  applyProduceInput,
  composedMessage,
  guessFileFormat,
  newProduceForm,
  noSchema,
  produceMessages,
  produceOptions,
  produceOutcome,
  produceValue,
  schemaChoice,
  schemaFieldErrors,
  schemaPickOf,
  templateSample,
  type ProduceForm,
} from './produceForm';

const form = (over: Partial<ProduceForm> = {}): ProduceForm => ({ ...newProduceForm(), topic: 't', ...over });
const refusal = (r: { ok: boolean; message?: string }) => (r.ok ? null : r.message);

describe('the messages a send takes', () => {
  it('key, value, headers (text or bytes), partition and timestamp', () => {
    const r = composedMessage(
      form({
        key: 'k',
        value: '{"a":1}',
        mode: 'json',
        headers: [
          { key: 'h', value: 'ff 00', mode: 'hex' },
          { key: '', value: 'dropped', mode: 'text' },
        ],
        partition: 2,
        timestamp: '2026-11-23T10:00:00Z',
      }),
    );
    expect(r).toEqual({
      ok: true,
      value: {
        key: 'k',
        value: '{"a":1}',
        headers: [['h', { base64: '/wA=' }]],
        partition: 2,
        timestamp: Date.UTC(2026, 10, 23, 10),
      },
    });
    expect(composedMessage(form({ value: 'v' }))).toEqual({ ok: true, value: { key: null, value: 'v', headers: [] } });
  });
  it('the composed message `count` times, or the file’s', () => {
    const many = produceMessages(form({ value: 'v', count: 3 }), null);
    expect(many.ok && many.value.length).toBe(3);
    const file = { name: 'm.txt', size: 2, messages: [{ value: 'a' }] };
    expect(produceMessages(form({ source: 'file' }), file)).toEqual({ ok: true, value: file.messages });
    expect(produceMessages(form({ source: 'file' }), null)).toEqual({ ok: false, message: 'Choose a file to send.' });
    const input = { id: 'connection-1', topic: 't', ...produceOptions(form()), messages: many.ok ? many.value : [] };
    expect(ProduceInput.safeParse(input).success).toBe(true);
  });
  it('refuses a bad field with its name', () => {
    expect(refusal(composedMessage(form({ headers: [{ key: 'h', value: 'zz', mode: 'hex' }] })))).toMatch(
      /^Header 1 \(h\) is not hex/,
    );
    expect(refusal(composedMessage(form({ timestamp: 'soon' })))).toMatch(
      /^The timestamp: write a date and time .* or epoch milliseconds\.$/,
    );
    expect(refusal(composedMessage(form({ key: '!!', keyMode: 'base64' })))).toBe('The key is not base64.');
    expect(refusal(composedMessage(form({ value: '{', mode: 'json' })))).toMatch(/^The value is not valid JSON/);
  });
});

describe('a JSON value with template tags', () => {
  it('without the template switch: not JSON, with a hint to switch it on', () => {
    expect(refusal(produceValue(form({ mode: 'json', value: '{"n": {{seq}}}' })))).toMatch(
      /It holds template tags: switch on “template”/,
    );
  });
  it('with it: what message 1 (and the last) renders must be JSON; the source is sent', () => {
    expect(produceValue(form({ mode: 'json', template: true, value: '{"n": {{seq}}}', count: 5 }))).toEqual({
      ok: true,
      value: '{"n": {{seq}}}',
    });
    expect(refusal(produceValue(form({ mode: 'json', template: true, value: '{"n": {{uuid}}}' })))).toMatch(
      /^The value of message 1 \(seq 1\) renders as .*, which is not valid JSON/,
    );
    expect(templateSample(form({ mode: 'json', template: true, value: '{\n "n": {{seq}}\n}' }))).toEqual({
      ok: true,
      text: '{ "n": 1 }',
    });
    expect(templateSample(form({ mode: 'json', template: false, value: '{"n": {{seq}}}' }))).toBeNull();
  });
});

describe('into the form', () => {
  it('a message to re-send: its bytes as they were, to the same topic on the same connection', () => {
    const f = form({ topic: 'mine', count: 4, partition: 3, timestamp: '1' });
    applyDraft(f, { topic: 'theirs', key: { base64: '/w==' }, value: '{"a":1}', headers: [['h', 'v']] }, false);
    expect(f).toMatchObject({
      topic: 'mine',
      key: 'ff',
      keyMode: 'hex',
      value: '{"a":1}',
      mode: 'json',
      headers: [{ key: 'h', value: 'v', mode: 'text' }],
      partition: null,
      timestamp: '',
      count: 1,
    });
    applyDraft(f, { topic: 'theirs', key: null, value: null, headers: [] }, true);
    expect(f.topic).toBe('theirs');
  });
  it('a preset: its options and first message, as many times as it has messages', () => {
    const f = newProduceForm();
    applyProduceInput(f, {
      topic: 't',
      acks: '1',
      compression: 'zstd',
      template: true,
      ratePerSecond: 10,
      messages: [{ key: 'k', value: 'v', partition: 1, timestamp: 0 }, { value: 'w' }],
    });
    expect(f).toMatchObject({
      topic: 't',
      acks: '1',
      compression: 'zstd',
      idempotent: true,
      template: true,
      rate: 10,
      count: 2,
      key: 'k',
      value: 'v',
      partition: 1,
      timestamp: '1970-01-01T00:00:00.000Z',
    });
  });
  it("a file's format from its name", () => {
    expect(['a.CSV', 'a.ndjson', 'a.jsonl', 'a.json', 'a.txt'].map(guessFileFormat)).toEqual([
      'csv',
      'ndjson',
      'ndjson',
      'json',
      'lines',
    ]);
  });
});

describe('produceOutcome', () => {
  const delivered = (index: number, partition: number, offset: string) => ({
    index,
    status: 'delivered' as const,
    partition,
    offset,
    timestamp: '0',
  });
  const result = (over: Partial<ProduceResult>): ProduceResult => ({
    delivered: 0,
    failed: 0,
    cancelled: false,
    results: [],
    ...over,
  });
  it('sent: where to', () => {
    expect(
      produceOutcome(
        1,
        't',
        2,
        result({ delivered: 2, results: [delivered(0, 0, '5'), delivered(1, 0, '6')] }),
        null,
        7,
      ),
    ).toEqual({ n: 1, at: 7, kind: 'success', title: 'Sent 2 messages to t / partition 0 @ offsets 5–6', error: null });
    expect(produceOutcome(1, 't', 1, result({ delivered: 1, results: [delivered(0, 3, '-1')] }), null).title).toBe(
      'Sent 1 message to t / partition 3 (acks=0: no offset reported)',
    );
  });
  it('not sent, failed or cancelled: why', () => {
    const err = { code: 'TIMEOUT' as const, message: 'late' };
    expect(produceOutcome(2, 't', 1, null, err)).toMatchObject({
      n: 2,
      kind: 'error',
      title: 'Not sent to t',
      error: err,
    });
    const failed = produceOutcome(
      3,
      't',
      3,
      result({
        delivered: 1,
        failed: 1,
        results: [
          delivered(0, 0, '1'),
          { index: 1, status: 'failed' as const, code: 'KAFKA_ERROR', message: 'too big' },
        ],
      }),
      null,
    );
    expect(failed).toMatchObject({
      kind: 'error',
      title: '1 of 2 messages not sent to t',
      error: { code: 'KAFKA_ERROR', message: 'Message 2: too big (1 delivered / partition 0 @ offset 1)' },
    });
    expect(produceOutcome(4, 't', 5, result({ cancelled: true, delivered: 0 }), null)).toMatchObject({
      kind: 'warning',
      title: 'Cancelled: 0 of 5 messages sent to t',
    });
  });
});

describe('a key or value encoded with a schema', () => {
  const subject = { ...noSchema(), kind: 'subject' as const, subject: 't-value' };
  it('the choice goes into the send, and the value is sent as JSON text whatever the mode says', () => {
    const f = form({ value: '{"id": 1}', mode: 'text', valueSchema: subject });
    expect(produceOptions(f)).toMatchObject({
      valueSchema: { kind: 'subject', subject: 't-value', version: 'latest' },
    });
    expect('keySchema' in produceOptions(f)).toBe(false);
    const m = produceMessages(f, null);
    expect(m.ok && m.value[0]!.value).toBe('{"id": 1}');
    const input = { id: 'connection-1', topic: 't', ...produceOptions(f), messages: m.ok ? m.value : [] };
    expect(ProduceInput.safeParse(input).success).toBe(true);
  });
  it('with a schema, a value or key that is not JSON is refused before sending', () => {
    expect(refusal(produceMessages(form({ value: 'hello', valueSchema: subject }), null))).toMatch(
      /^The value is not valid JSON/,
    );
    const keyed = form({
      key: 'plain',
      value: '{}',
      mode: 'json',
      keySchema: { ...noSchema(), kind: 'id', schemaId: 4 },
    });
    expect(refusal(produceMessages(keyed, null))).toMatch(/^The key is not valid JSON/);
  });
  it('an unfinished choice says what is still to choose', () => {
    expect(schemaChoice({ ...noSchema(), kind: 'subject' }, 'value')).toEqual({
      ok: false,
      message: "Choose the subject of the value's schema.",
    });
    expect(refusal(produceMessages(form({ value: '{}', keySchema: { ...noSchema(), kind: 'id' } }), null))).toBe(
      "Write the schema id of the key's schema.",
    );
    expect(schemaChoice({ ...noSchema(), kind: 'local' }, 'key').ok).toBe(false);
    expect(schemaChoice(noSchema(), 'key')).toEqual({ ok: true, value: null });
  });
  it('each kind, with a Protobuf message type, and back into the picker', () => {
    const choices = [
      { kind: 'subject', subject: 's', version: 3, messageName: 'shop.Order' },
      { kind: 'id', schemaId: 12 },
      { kind: 'local', localSchemaId: 'abcdef12' },
    ] as const;
    for (const c of choices) expect(schemaChoice(schemaPickOf(c), 'value')).toEqual({ ok: true, value: c });
  });
  it('a preset keeps its schemas', () => {
    const f = newProduceForm();
    applyProduceInput(f, {
      topic: 't',
      messages: [{ value: '{"id":1}' }],
      valueSchema: { kind: 'id', schemaId: 9 },
    });
    expect(f.valueSchema).toMatchObject({ kind: 'id', schemaId: 9 });
    expect(f.keySchema.kind).toBe('none');
  });
  it('re-sending a decoded message puts its JSON back, with the same schema id (on the same connection)', () => {
    const m = {
      topic: 't',
      key: null,
      value: { base64: 'AAAAAAkC' },
      headers: [] as [string, null][],
      decoded: { value: { format: 'avro' as const, schemaId: 9, json: '{"id":1}' } },
    };
    const f = newProduceForm();
    applyDraft(f, m, true);
    expect(f).toMatchObject({ value: '{"id":1}', mode: 'json', valueSchema: { kind: 'id', schemaId: 9 } });
    const other = newProduceForm();
    applyDraft(other, m, false);
    expect(other).toMatchObject({ mode: 'hex', valueSchema: { kind: 'none' } });
  });
});

describe('a refused encoding, beside the field it names', () => {
  it('the first message’s value and key, a later message named', () => {
    const e = {
      code: 'SCHEMA_INVALID' as const,
      message: "Message 1's value does not fit subject t-value v1: total: expected a double",
      fields: [
        { path: 'messages.0.value', message: 'orders.total: expected a double, got the string "12,5"' },
        { path: 'messages.0.value', message: 'a second reason is not shown' },
        { path: 'messages.3.key', message: 'not JSON' },
      ],
    };
    expect(schemaFieldErrors(e)).toEqual({
      value: 'orders.total: expected a double, got the string "12,5"',
      key: 'Message 4: not JSON',
    });
  });
  it('another error, or a path it does not know, says nothing beside the fields', () => {
    expect(
      schemaFieldErrors({ code: 'KAFKA_ERROR', message: 'x', fields: [{ path: 'messages.0.value', message: 'm' }] }),
    ).toEqual({
      key: null,
      value: null,
    });
    const odd = {
      code: 'SCHEMA_INVALID' as const,
      message: 'x',
      fields: [
        { path: 'messages.0.value.__proto__', message: 'm' },
        { path: 'topic', message: 'm' },
      ],
    };
    expect(schemaFieldErrors(odd)).toEqual({ key: null, value: null });
    expect(schemaFieldErrors(null)).toEqual({ key: null, value: null });
  });
});
