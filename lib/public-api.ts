/**
 * The package's public surface (package.json `exports`): what a cdk8s app of the user's own may import. Everything
 * else in lib/ is internal and may change in any version.
 *
 * - {@link DifyPlatform}: the whole platform as one cdk8s Chart, from the same props a config file holds.
 * - The cluster constructs, for an app that composes its own data tier, and the typed connections they expose.
 * - The config loader, and synth and plan as functions: what the command-line tool runs, for an app that wants the
 *   same files and guard rails.
 */

/** The platform chart and its props (the settings of a config file). */
export { DifyPlatform } from './dify-platform';
export type {
  DifyPlatformProps, KubeBlocksSettings, DataTierSettings,
} from './dify-platform-props';

/** The KubeBlocks clusters, each usable on its own in any cdk8s Chart. */
export { PostgresqlCluster, type PostgresqlClusterProps } from './kubeblocks/postgresql-cluster';
export { RedisCluster, type RedisClusterProps, type SentinelSettings } from './kubeblocks/redis-cluster';
export { QdrantCluster, type QdrantClusterProps } from './kubeblocks/qdrant-cluster';
export { MilvusCluster, type MilvusClusterProps } from './kubeblocks/milvus-cluster';
export { BackupRepo, type BackupRepoProps } from './kubeblocks/backup-repo';
export type { ReleaseLine } from './kubeblocks/release-lines';

/** What a cluster gives the programs that use it: hosts, ports, and Secret references, never a credential. */
export type {
  SecretKeyRef, SslMode, ClusterOrigin, PostgresqlConnection, SentinelConnection, RedisConnection, QdrantConnection,
  MilvusConnection, VectorStoreConnection,
} from './kubeblocks/connections';

/** Config files: read, validated and defaulted, every problem as one line naming the file and the setting. */
export { loadPlatformConfigs, parseConfigText, type PlatformConfig, type LoadOptions } from './config/load-configs';
export { ConfigError } from './config/config-error';

/** Synth and plan, as the command-line tool runs them. */
export {
  synthesize, type SynthesizeOptions, loadConfigs, writePlatforms, platformYaml, checkGuardRails, removedPlatformRefusals,
  planReport, planPlatforms, type PlatformPlan, GENERATED_HEADER,
} from './pipeline';
