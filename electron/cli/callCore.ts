import { dispatch } from '../core/dispatch';
import type { Handlers } from '../core/handlers';
import { CliError } from './cliError';

/** The command line holds answers in its own memory (nothing is serialized): no answer size limit. */
export const CLI_REPLY = { maxReplyBytes: Number.POSITIVE_INFINITY };

/** The id under which the command line's one connection is handed to the core's handlers. */
export const CLI_CONNECTION_ID = 'command-line-connection';

/** Runs a contract channel with the same validation as the app; an error becomes a CliError. */
export async function callCore<T>(handlers: Partial<Handlers>, channel: string, input: Record<string, unknown>): Promise<T> {
  const r = await dispatch(handlers as Handlers, channel, { id: CLI_CONNECTION_ID, ...input }, CLI_REPLY);
  if (!r.ok) throw new CliError(r.error);
  return r.value as T;
}
