import type { ChannelName } from '../contract';
import type { Core } from '../core';
import { dispatch } from '../core/dispatch';
import { CliError } from './cliError';

/** The command line holds answers in its own memory (nothing is serialized): no answer size limit. */
export const CLI_REPLY = { maxReplyBytes: Number.POSITIVE_INFINITY };

/** Runs a contract channel on the core, with the same validation and handlers as the app; an error becomes a CliError. */
export async function callCore<T>(core: Core, channel: ChannelName, input: Record<string, unknown>): Promise<T> {
  const r = await dispatch(core.handlers, channel, input, CLI_REPLY);
  if (!r.ok) throw new CliError(r.error);
  return r.value as T;
}

/** The core and the connection id (saved, or registered for this run) a command's flags name. */
export interface CliTarget {
  core: Core;
  id: string;
}
