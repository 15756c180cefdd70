export * from './wiring/app-secrets';
export * from './jobs/database-job';
export * from './dify-app';
export * from './dify-config';
export * from './dify-settings';
export * from './features';
export * from './wiring/services';
export * from './wiring/wired-env';
