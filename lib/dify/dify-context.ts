import { PostgresqlConnection, VectorStoreConnection, RedisConnection } from '../kubeblocks/connections';
import { DifyAppSecrets } from './wiring/app-secrets';
import { DifyConfig } from './dify-config';
import { DifyFileStorage } from './storage/file-storage';
import { SchemaGate } from './jobs/schema-gate';
import { DifyDatabases } from './wiring/database-names';

/** What every Dify component is built from: its settings and the contracts of the layers below. */
export interface DifyContext {
  readonly namespace: string;
  readonly config: DifyConfig;
  readonly postgresql: PostgresqlConnection;
  /** Dify's databases on that PostgreSQL: their names, and whether the database Job may create them. */
  readonly databases: DifyDatabases;
  readonly redis: RedisConnection;
  readonly vectorStore: VectorStoreConnection;
  readonly secrets: DifyAppSecrets;
  readonly fileStorage: DifyFileStorage;
  /** The check that the schema is at the api image's head, which the migration Job ends with and the api image's workloads wait on. */
  readonly schemaGate: SchemaGate;
}
