export { createCore, type Core } from './core';
export type { CoreOptions, Handlers } from './handlers';
export { dispatch, dispatcherFor, type Dispatch } from './dispatch';
export { KeyFileSecretBox } from './secrets/keyFileSecretBox';
export type { SecretBox, SecretBoxKind } from './secrets/secretBox';
export { defaultDataDir, insideDataDir } from './paths';
export { CoreError } from './coreError';
