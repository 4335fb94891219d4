export * from './errors';
export * from './connection';
export * from './channels';
export * from './events';
export * from './bridge';
export * from './doctor';
export * from './admin';
