import type { ChannelInputParsed, ChannelName, ChannelOutput, HostKind } from '../contract';
import type { SecretBox } from './secrets/secretBox';

export interface CoreOptions {
  host: HostKind;
  dataDir: string;
  version: string;
  secrets: SecretBox;
  /** The app's resources folder (the sample capture); default: `resources/` of the working directory. */
  resourcesDir?: string;
  /** Where `secrets` seals, as app.info tells the window; default: what `secrets.kind` says, in general words. */
  secretStorage?: ChannelOutput<'app.info'>['secretStorage'];
  /**
   * Where a Listen's messages go: into a session the window pages through (default), or — false, the
   * command line, which prints every message as it arrives — only out in `listen.batch` events.
   */
  listenSessions?: boolean;
}

/** One function per contract channel. Inputs arrive already validated by `dispatch`; a handler never calls `dispatch`. */
export type Handler<C extends ChannelName> = (input: ChannelInputParsed<C>) => Promise<ChannelOutput<C>>;
export type Handlers = { [C in ChannelName]: Handler<C> };
