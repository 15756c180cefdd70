export * from './ops-request';
