import { PostgresqlConnection, QdrantConnection, RedisConnection } from '../kubeblocks/connections';
import { DifyAppSecrets } from './wiring/app-secrets';
import { DifyConfig } from './dify-config';
import { DifyFileStorage } from './storage/file-storage';

/** What every Dify component is built from: its settings and the contracts of the layers below. */
export interface DifyContext {
  readonly namespace: string;
  readonly config: DifyConfig;
  readonly postgresql: PostgresqlConnection;
  readonly redis: RedisConnection;
  readonly qdrant: QdrantConnection;
  readonly secrets: DifyAppSecrets;
  readonly fileStorage: DifyFileStorage;
}
