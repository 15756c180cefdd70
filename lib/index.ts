export * from './config/config-error';
export * from './config/load-configs';
export * from './config/platform-schema';
export * from './dify-platform';
export * from './kubeblocks';
export * from './dify';
export * from './guard-rails';
export * from './operations';
