import { describe, expect, it } from 'vitest';
import { channelNames, channels } from '../contract';
import { dispatch } from './dispatch';
import type { Handlers } from './handlers';

const info = {
  name: 'Kafka Desk',
  version: '1',
  host: 'web',
  dataDir: '/tmp/x',
  platform: 'linux',
  secretStorage: { kind: 'key-file', detail: 'a key file' },
};
const answering = (value: unknown) => ({ 'app.info': async () => value }) as unknown as Handlers;

describe("dispatch checks every answer against its channel's output schema when asked (as the test suites run)", () => {
  it('every channel has an output schema to check against', () => {
    for (const c of channelNames) expect(typeof channels[c].output.safeParse, c).toBe('function');
  });

  it('passes an answer of the right shape unchanged', async () => {
    expect(await dispatch(answering(info), 'app.info', undefined, { checkReply: true })).toEqual({
      ok: true,
      value: info,
    });
  });

  it('turns an answer of the wrong shape into INTERNAL, naming the field', async () => {
    const r = await dispatch(answering({ ...info, host: 'mainframe' }), 'app.info', undefined, { checkReply: true });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'Kafka Desk failed unexpectedly in app.info: its answer does not match the contract.',
      },
    });
    expect(!r.ok && r.error.detail).toContain('host');
    const extra = await dispatch(answering({ ...info, leaked: 'secret' }), 'app.info', undefined, { checkReply: true });
    expect(!extra.ok && extra.error.detail).toContain('leaked');
  });

  it('is on in the test suites (KAFKA_DESK_CHECK_REPLIES=1) and can be turned off per call', async () => {
    expect(process.env.KAFKA_DESK_CHECK_REPLIES).toBe('1');
    expect((await dispatch(answering({ wrong: true }), 'app.info', undefined)).ok).toBe(false);
    expect((await dispatch(answering({ wrong: true }), 'app.info', undefined, { checkReply: false })).ok).toBe(true);
  });
});
