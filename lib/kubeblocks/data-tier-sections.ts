/**
 * The data tier's sections of a platform config, as this folder's rules read them: the same types DifyPlatformProps
 * gives them, declared here so that the rules need nothing above lib/kubeblocks/. lib/config/cross-checks.ts passes
 * a DifyPlatformProps where this type is expected, so the compiler refuses the two drifting apart.
 */
import { BackupRepoProps } from './backup-repo';
import { ExternalDatabaseSettings, ExternalPostgresql, ExternalQdrant, ExternalRedis } from './external-databases';
import { MilvusClusterProps } from './milvus-cluster';
import { PostgresqlClusterProps } from './postgresql-cluster';
import { QdrantClusterProps } from './qdrant-cluster';
import { RedisClusterProps } from './redis-cluster';

/** A cluster's props without what the platform decides for all of them. */
type Section<P> = Omit<P, 'namespace' | 'releaseLine' | 'monitoring'>;

export interface DataTierSections {
  readonly postgresql?: Section<PostgresqlClusterProps> & ExternalDatabaseSettings<ExternalPostgresql>;
  readonly redis?: Section<RedisClusterProps> & ExternalDatabaseSettings<ExternalRedis>;
  readonly qdrant?: Section<QdrantClusterProps> & ExternalDatabaseSettings<ExternalQdrant>;
  readonly milvus?: Section<MilvusClusterProps>;
  readonly backupRepo?: BackupRepoProps;
}
