import type { z } from 'zod';
import { MAX_REQUEST_BYTES, channels, isChannelName, type AppError, type ChannelName, type Result } from '../contract';
import { CoreError, describeCause } from './coreError';
import type { Handlers } from './handlers';

/** Bytes of a request as it crossed the boundary (JSON); `undefined` counts as nothing. */
export function requestSize(input: unknown): number {
  try {
    const s = JSON.stringify(input);
    return s === undefined ? 0 : Buffer.byteLength(s, 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function zodToAppError(err: z.ZodError, channel: string): AppError {
  const fields = err.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(input)',
    message: i.code === 'unrecognized_keys' ? `unexpected field(s): ${i.keys.join(', ')}` : i.message,
  }));
  const first = fields[0];
  return {
    code: 'INVALID_INPUT',
    message: first ? `Invalid request for ${channel}: ${first.path} ${first.message}.` : `Invalid request for ${channel}.`,
    fields,
  };
}

/**
 * The single entry for every host: checks the channel name, the size and the shape of the input
 * against the contract, calls the handler, and turns any failure into an error value.
 */
export async function dispatch(handlers: Handlers, channel: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isChannelName(channel)) {
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel named ${String(channel).slice(0, 80)}.` } };
  }
  const size = requestSize(input);
  if (size > MAX_REQUEST_BYTES) {
    return {
      ok: false,
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request to ${channel} is ${Number.isFinite(size) ? `${(size / 1048576).toFixed(1)} MiB` : 'not serialisable'}; the limit is ${MAX_REQUEST_BYTES / 1048576} MiB.`,
      },
    };
  }
  const parsed = channels[channel].input.safeParse(input);
  if (!parsed.success) return { ok: false, error: zodToAppError(parsed.error, channel) };
  try {
    const handler = handlers[channel] as (i: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof CoreError) return { ok: false, error: e.toAppError() };
    return { ok: false, error: { code: 'INTERNAL', message: `Kafka Desk failed unexpectedly in ${channel}.`, detail: describeCause(e) } };
  }
}

export type Dispatch = (channel: ChannelName | string, input: unknown) => Promise<Result<unknown>>;
export const dispatcherFor = (handlers: Handlers): Dispatch => (channel, input) => dispatch(handlers, channel, input);
