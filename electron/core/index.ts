export { createCore, type Core, type CoreOptions, type Handlers } from './handlers';
export { dispatch, dispatcherFor, type Dispatch } from './dispatch';
export { KeyFileSecretBox } from './secrets/keyFileSecretBox';
export type { SecretBox, SecretBoxKind } from './secrets/secretBox';
export { defaultDataDir, insideDataDir } from './paths';
export { CoreError } from './coreError';
