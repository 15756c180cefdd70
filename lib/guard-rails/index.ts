export * from './guard-rails';
export * from './platform-state';
