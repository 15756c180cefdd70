export * from './component-settings';
export * from './connections';
export * from './naming';
export * from './postgresql-cluster';
export * from './qdrant-cluster';
export * from './redis-cluster';
export * from './release-lines';
export * from './cluster-model';
