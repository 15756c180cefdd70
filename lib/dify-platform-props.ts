import { DifySettings } from './dify/dify-settings';
import { GuardRuleId } from './guard-rails/guard-rails';
import { DEFAULT_RELEASE_LINE } from './kubeblocks/component-settings';
import { BackupRepoProps } from './kubeblocks/backup-repo';
import { PostgresqlClusterProps } from './kubeblocks/postgresql-cluster';
import { QdrantClusterProps } from './kubeblocks/qdrant-cluster';
import { MilvusClusterProps } from './kubeblocks/milvus-cluster';
import { enginesOf, VectorStore } from './kubeblocks/pgvector';
import {
  ExistingCluster, ExternalDatabaseSettings, ExternalPostgresql, ExternalQdrant, ExternalRedis, isBroughtIn,
} from './kubeblocks/external-databases';
import { DifyDatabaseSettings, difyDatabasesOf, DifyDatabases } from './dify/wiring/database-names';
import { RedisClusterProps } from './kubeblocks/redis-cluster';
import { Engine, ReleaseLine } from './kubeblocks/release-lines';

/** Settings of one data-tier cluster as the platform takes them: the platform decides namespace and release line. */
export type DataTierSettings<P> = Omit<P, 'namespace' | 'releaseLine' | 'monitoring'>;

/** Which KubeBlocks installation runs the platform's clusters: its release line and the operator's namespace. */
export interface KubeBlocksSettings {
  /**
   * The KubeBlocks release line installed in the target Kubernetes cluster; it decides the API versions written.
   * @default '1.0'
   */
  readonly releaseLine?: ReleaseLine;
  /**
   * The namespace KubeBlocks runs in (its Helm release's): the NetworkPolicies let its operator reach the databases
   * from there, and a BackupRepo's credentials Secret is looked up there unless it names its own.
   * @default 'kb-system'
   */
  readonly namespace?: string;
}

/**
 * Everything a Dify platform can be told, from props in code or from a YAML config file (the same keys).
 * Every setting is optional; what is left out takes the default documented here or on the construct it goes to.
 */
export interface DifyPlatformProps {
  /**
   * Namespace of every namespaced object of the platform.
   * @default 'dify'
   */
  readonly namespace?: string;
  /**
   * Whether the platform creates its Namespace. Turn it off to deploy into a namespace that exists already.
   * @default true
   */
  readonly createNamespace?: boolean;
  /** @default - KubeBlocks 1.0 */
  readonly kubeblocks?: KubeBlocksSettings;
  /**
   * Dify's metadata database. On a server the platform is given (`external`, `existingCluster`), Dify's databases may
   * have other names and the platform may be barred from creating them (`databases`, `createDatabases`).
   * @default - see {@link PostgresqlClusterProps}
   */
  readonly postgresql?: DataTierSettings<PostgresqlClusterProps>
    & ExternalDatabaseSettings<ExternalPostgresql & DifyDatabaseSettings, ExistingCluster & DifyDatabaseSettings>;
  /** Cache, Celery broker and conversation state. @default - see {@link RedisClusterProps} */
  readonly redis?: DataTierSettings<RedisClusterProps> & ExternalDatabaseSettings<ExternalRedis> & RefusedRedisSettings;
  /**
   * Where Dify keeps its vectors: a Qdrant cluster, or pgvector in a database of its own on the PostgreSQL cluster
   * (one engine fewer; the PostgreSQL version must be one whose addon image carries pgvector, see lib/kubeblocks/pgvector.ts).
   * @default 'qdrant'
   */
  readonly vectorStore?: VectorStore;
  /** The Milvus standalone cluster, with `vectorStore: milvus` (KubeBlocks 1.0). @default - see {@link MilvusClusterProps} */
  readonly milvus?: DataTierSettings<MilvusClusterProps>;
  /** The Qdrant cluster, with `vectorStore: qdrant`. @default - see {@link QdrantClusterProps} */
  readonly qdrant?: DataTierSettings<QdrantClusterProps> & ExternalDatabaseSettings<ExternalQdrant>;
  /** The Dify application tier. @default - Dify 1.16.1 at dify.example.com, see {@link DifySettings} */
  readonly dify?: DifySettings;
  /**
   * A KubeBlocks BackupRepo (cluster-scoped) for the databases' backups, named on this platform's Clusters (`backup.repo`
   * names another). Platforms of one synth that define the same name must define it alike; it is written once, into
   * the first of their files, and at most one repo may be `default`.
   * @default - none: backups go to the installation's default repo
   */
  readonly backupRepo?: BackupRepoProps;
  /**
   * NetworkPolicies: each database accepts only the Dify components that use it (and its own pods, the KubeBlocks
   * operator, backup pods); Dify's web, api and plugin daemon accept public traffic only from `ingressNamespaces`
   * (where the ingress controller or Gateway runs); the sandboxes reach nothing but their egress proxy. `false` turns
   * them off.
   * @default - on, public traffic from the namespace `ingress-nginx`
   */
  readonly networkPolicies?: false | { readonly ingressNamespaces?: readonly string[] };
  /**
   * Metrics: the databases' exporters switched on and a Prometheus Operator PodMonitor per database, with `labels`
   * for your Prometheus's `podMonitorSelector`.
   * @default - off
   */
  readonly monitoring?: {
    readonly podMonitors?: boolean;
    readonly labels?: Readonly<Record<string, string>>;
    /**
     * The namespaces Prometheus scrapes from: only they reach the databases' metrics ports, two of which are APIs too
     * (Patroni's 8008 can switch over and restart; Qdrant's 6333 is its unauthenticated data API).
     * @default ['monitoring'] (where kube-prometheus-stack is commonly installed)
     */
    readonly namespaces?: readonly string[];
  };
  /** Labels added to every object the platform writes (not to pods: see `dify.pods.labels`). @default {} */
  readonly commonLabels?: Readonly<Record<string, string>>;
  /** Annotations added to every object the platform writes. @default {} */
  readonly commonAnnotations?: Readonly<Record<string, string>>;
  /**
   * Changes `npm run synth` lets through although a guard rail refuses them (lib/guard-rails): list a rule for one
   * reviewed change, then remove it again. `npm run synth -- --allow-destructive` lets every rule through once.
   * @default [] - every guard rail holds
   */
  readonly allowDestructive?: readonly GuardRuleId[];
}

export const DEFAULT_NAMESPACE = 'dify';

export function platformNamespace(props: DifyPlatformProps): string {
  return props.namespace ?? DEFAULT_NAMESPACE;
}

export function platformReleaseLine(props: DifyPlatformProps): ReleaseLine {
  return props.kubeblocks?.releaseLine ?? DEFAULT_RELEASE_LINE;
}

/** The KubeBlocks clusters the platform runs, by engine: no Qdrant with pgvector, none for a database brought in. */
export function platformEngines(props: DifyPlatformProps): Engine[] {
  return enginesOf(props.vectorStore).filter((engine) => !isBroughtIn(props[engine]));
}

/** Redis settings that are refused with their reason. */
export interface RefusedRedisSettings {
  /**
   * Refused: the KubeBlocks redis addon (0.9.5, 1.0.2) serves no TLS (its ComponentDefinitions declare none and its
   * redis.conf has no tls-port). For TLS to Redis, use `redis.external.tls`.
   * @default - no TLS inside the cluster
   */
  readonly tls?: never;
}

/**
 * The databases Dify uses on the platform's PostgreSQL: those its settings name on a server it is given (external, or
 * an existing cluster given as an object), else the defaults, which the database Job creates.
 */
export function platformDatabases(props: DifyPlatformProps): DifyDatabases {
  const postgresql = props.postgresql;
  if (postgresql?.external) return difyDatabasesOf(postgresql.external, 'postgresql.external');
  const existing = postgresql?.existingCluster;
  if (existing !== undefined) return difyDatabasesOf(typeof existing === 'string' ? undefined : existing, 'postgresql.existingCluster');
  return difyDatabasesOf(undefined);
}
