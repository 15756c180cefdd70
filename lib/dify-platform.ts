import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { DifyApp } from './dify/dify-app';
import { DifyChartApp } from './dify/chart/dify-chart-app';
import { NetworkPolicies } from './network/network-policies';
import { BackupRepo, DEFAULT_OPERATOR_NAMESPACE } from './kubeblocks/backup-repo';
import { resolveDifyConfig } from './dify/dify-config';
import { SYNC_WAVE } from './dify/components/workload';
import * as k8s from './k8s';
import { Construct } from 'constructs';
import { parsePlatformProps } from './config/platform-schema';
import { DifyPlatformProps, platformDatabases, platformNamespace, platformReleaseLine } from './dify-platform-props';
import { MilvusConnection, PostgresqlConnection, QdrantConnection, RedisConnection, VectorStoreConnection } from './kubeblocks/connections';
import {
  existingPostgresqlConnection, existingQdrantConnection, existingRedisConnection, externalPostgresqlConnection, externalQdrantConnection,
  externalRedisConnection,
} from './kubeblocks/external-databases';
import { PostgresqlCluster } from './kubeblocks/postgresql-cluster';
import { QdrantCluster } from './kubeblocks/qdrant-cluster';
import { MilvusCluster } from './kubeblocks/milvus-cluster';
import { RedisCluster } from './kubeblocks/redis-cluster';
import { BackupSettings } from './kubeblocks/component-settings';

export * from './dify-platform-props';

/** How a platform built in code is named in error lines (a config file's path names it instead in synth's lines). */
export function platformSource(id: string): string {
  return `platform "${id}"`;
}

/**
 * A platform's own BackupRepo named on its Clusters' scheduled backups (`spec.backup.repoName`, copied to each
 * BackupPolicy's `backupRepoName`: kubeblocks v1.0.2 controllers/dataprotection/backuppolicydriver_controller.go,
 * v0.9.5 controllers/apps/transformer_cluster_backup_policy.go), unless `backup.repo` names another: a repo named
 * is used whether or not it is the default (controllers/dataprotection/utils.go `getBackupRepo`, both tags).
 */
function backupsTo<T extends { readonly backup?: BackupSettings }>(settings: T | undefined, repo: string | undefined): T | undefined {
  if (repo === undefined || settings?.backup === undefined || settings.backup.repo !== undefined) return settings;
  return { ...settings, backup: { ...settings.backup, repo } };
}

/** Where ingress-nginx runs by default: the namespace public traffic comes from. */
const DEFAULT_INGRESS_NAMESPACE = 'ingress-nginx';
/** Where kube-prometheus-stack is commonly installed: the only namespace that reaches the metrics ports by default. */
const DEFAULT_MONITORING_NAMESPACE = 'monitoring';

/**
 * One Dify platform: its namespace, its data tier (PostgreSQL, Redis with Sentinel, Qdrant on KubeBlocks) and the
 * Dify application tier wired to it (secrets, init Jobs, workloads, Ingress).
 * Props are validated on construction; a bad value throws a ConfigError naming the setting, the value and what is
 * allowed.
 */
export class DifyPlatform extends Chart {
  public readonly postgresql: PostgresqlConnection;
  public readonly redis: RedisConnection;
  /** The Qdrant cluster's connection; none with `vectorStore: pgvector`. */
  public readonly qdrant?: QdrantConnection;
  /** The Milvus cluster's connection, with `vectorStore: milvus`. */
  public readonly milvus?: MilvusConnection;
  /** Where Dify keeps its vectors. */
  public readonly vectorStore: VectorStoreConnection;

  constructor(scope: Construct, id: string, props: DifyPlatformProps = {}) {
    const source = platformSource(id);
    const valid = parsePlatformProps(props, source);
    const namespace = platformNamespace(valid);
    // Stable names: KubeBlocks derives Service and Secret names from Cluster names, and users grep for them.
    super(scope, id, { namespace, disableResourceNameHashes: true });

    if (valid.createNamespace ?? true) {
      const namespaceObject = new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: namespace } });
      // The chart stamps its namespace on every object; a Namespace is cluster-scoped and must not carry one.
      namespaceObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    const releaseLine = platformReleaseLine(valid);
    const operatorNamespace = valid.kubeblocks?.namespace ?? DEFAULT_OPERATOR_NAMESPACE;
    const repo = valid.backupRepo && new BackupRepo(this, 'BackupRepo', { ...valid.backupRepo, operatorNamespace }).name;
    // The addons' examples select PodMonitors by `release: prometheus`, the kube-prometheus-stack chart's default.
    const monitoring = valid.monitoring?.podMonitors ? { labels: valid.monitoring.labels ?? { release: 'prometheus' } } : undefined;
    // Each database is the platform's own cluster, an existing KubeBlocks cluster (never written), or an external server.
    const [postgresql, redis, qdrant] = [backupsTo(valid.postgresql, repo), backupsTo(valid.redis, repo), backupsTo(valid.qdrant, repo)];
    this.postgresql = postgresql?.external ? externalPostgresqlConnection(namespace, postgresql.external)
      : postgresql?.existingCluster ? existingPostgresqlConnection(postgresql.existingCluster, namespace, releaseLine)
        : new PostgresqlCluster(this, 'PostgreSQL', { ...postgresql, namespace, releaseLine, monitoring }).connection;
    this.redis = redis?.external ? externalRedisConnection(namespace, redis.external)
      : redis?.existingCluster ? existingRedisConnection(redis.existingCluster, namespace, releaseLine)
        : new RedisCluster(this, 'Redis', { ...redis, namespace, releaseLine, monitoring }).connection;
    // Dify's databases on the PostgreSQL: the defaults on the platform's own cluster, those a server given says on it.
    const databases = platformDatabases(valid);
    if (valid.vectorStore === 'pgvector') {
      this.vectorStore = { store: 'pgvector', postgresql: this.postgresql, database: databases.vector };
    } else if (valid.vectorStore === 'milvus') {
      this.milvus = new MilvusCluster(this, 'Milvus', { ...backupsTo(valid.milvus, repo), namespace, releaseLine, monitoring }).connection;
      this.vectorStore = { store: 'milvus', milvus: this.milvus };
    } else {
      // Dify's own default for a Qdrant the platform does not size: one copy of each collection.
      const factor = qdrant?.replicationFactor ?? 1;
      this.qdrant = qdrant?.external ? externalQdrantConnection(namespace, qdrant.external, factor)
        : qdrant?.existingCluster ? existingQdrantConnection(qdrant.existingCluster, namespace, releaseLine, factor)
          : new QdrantCluster(this, 'Qdrant', { ...qdrant, namespace, releaseLine, monitoring }).connection;
      this.vectorStore = { store: 'qdrant', qdrant: this.qdrant };
    }
    // Argo CD applies the clusters first; the Jobs that wait for them and the workloads follow in later waves.
    for (const child of this.node.findAll()) {
      if (child instanceof ApiObject && child.kind === 'Cluster') child.metadata.addAnnotation('argocd.argoproj.io/sync-wave', SYNC_WAVE.clusters);
    }

    const app = {
      source, namespace, config: resolveDifyConfig(valid.dify), postgresql: this.postgresql, databases, redis: this.redis, vectorStore: this.vectorStore,
    };
    if (valid.dify?.chart) new DifyChartApp(this, 'Dify', app);
    else new DifyApp(this, 'Dify', app);
    if (valid.networkPolicies !== false) this.isolate(valid, namespace, operatorNamespace);
    this.addCommonMetadata(valid.commonLabels ?? {}, valid.commonAnnotations ?? {});
  }

  /** NetworkPolicies for the components this platform runs (read from its pods' component labels). */
  private isolate(valid: DifyPlatformProps, namespace: string, operatorNamespace: string): void {
    const components = new Set(this.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && ['Deployment', 'StatefulSet', 'Job'].includes(c.kind))
      .map((object) => object.metadata.getLabel('app.kubernetes.io/component'))
      .filter((label): label is string => label !== undefined));
    // Read from the Services as written (their type set by dify.<component>.service or the chart's values).
    const exposed = new Set(this.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Service')
      .map((service) => service.toJson().spec)
      .filter((spec) => spec?.type === 'NodePort' || spec?.type === 'LoadBalancer')
      .map((spec) => spec.selector?.['app.kubernetes.io/component'])
      .filter((label): label is string => label !== undefined));
    new NetworkPolicies(this, 'NetworkPolicies', {
      namespace, version: resolveDifyConfig(valid.dify).features.version, releaseLine: platformReleaseLine(valid),
      postgresql: this.postgresql, redis: this.redis, qdrant: this.qdrant, milvus: this.milvus,
      ingressNamespaces: (valid.networkPolicies || undefined)?.ingressNamespaces ?? [DEFAULT_INGRESS_NAMESPACE],
      operatorNamespace,
      monitoringNamespaces: valid.monitoring?.podMonitors ? valid.monitoring.namespaces ?? [DEFAULT_MONITORING_NAMESPACE] : undefined,
      components,
      exposed,
      workerPools: valid.dify?.chart ? [] : resolveDifyConfig(valid.dify).workerPools.map((pool) => pool.component),
    });
  }

  /** The platform's common labels and annotations on every object it writes; an object's own keys win. */
  private addCommonMetadata(labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): void {
    if (Object.keys(labels).length === 0 && Object.keys(annotations).length === 0) return;
    for (const object of this.node.findAll()) {
      if (!(object instanceof ApiObject)) continue;
      for (const [key, value] of Object.entries(labels)) if (object.metadata.getLabel(key) === undefined) object.metadata.addLabel(key, value);
      const own = object.metadata.toJson().annotations ?? {};
      for (const [key, value] of Object.entries(annotations)) if (!(key in own)) object.metadata.addAnnotation(key, value);
    }
  }
}
