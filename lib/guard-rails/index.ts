export * from './guard-rails';
export * from './platform-state';
export * from './plan';
