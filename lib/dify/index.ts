export * from './app-secrets';
export * from './database-job';
export * from './dify-app';
export * from './dify-config';
export * from './dify-settings';
export * from './features';
export * from './services';
export * from './wired-env';
