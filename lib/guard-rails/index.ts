export * from './guard-rails';
export * from './platform-state';
export * from './plan';
export * from './backup-repos';
