/**
 * Everything that differs between the KubeBlocks release lines this project supports, in one table (API versions
 * come with the classes generated into imports/ and are chosen in render-cluster.ts).
 * Facts from apecloud/kubeblocks v1.0.2 / v0.9.5 and apecloud/kubeblocks-addons at the same tags.
 */

/** A KubeBlocks release line. */
export type ReleaseLine = '1.0' | '0.9';

export const RELEASE_LINE_NAMES: readonly ReleaseLine[] = ['1.0', '0.9'];

/** What a Cluster's `terminationPolicy` may say. `Halt` exists only on 0.9. */
export type TerminationPolicy = 'DoNotTerminate' | 'Halt' | 'Delete' | 'WipeOut';

export const ALL_TERMINATION_POLICIES: readonly TerminationPolicy[] = ['DoNotTerminate', 'Halt', 'Delete', 'WipeOut'];

/** The database engines the data tier runs. */
export type Engine = 'postgresql' | 'redis' | 'qdrant' | 'milvus';

export const ENGINES: readonly Engine[] = ['postgresql', 'redis', 'qdrant', 'milvus'];

interface ReleaseLineFacts {
  readonly terminationPolicies: readonly TerminationPolicy[];
  /** 1.0 topologies name their components; component names must match them. */
  readonly topologyNamesComponents: boolean;
  /** 0.9 components may point at a ClusterDefinition with `componentDefRef`, which gives them the legacy names. */
  readonly legacyComponentDefRefs: boolean;
  /** The versions the addons offer per engine: serviceVersions, or on 0.9 for PostgreSQL the version part of its ClusterVersion names. */
  readonly versions: Readonly<Record<Engine, readonly string[]>>;
  /** What a platform gets when it does not pin a version: always pinned, never "newest available". */
  readonly defaultVersions: Readonly<Record<Engine, string>>;
  /**
   * The named pod ports each engine's main component serves metrics on (the addons' pod-monitor examples): the
   * exporter sidecars, Patroni, Qdrant's own /metrics. Redis on 0.9 has no exporter; sentinels have none on either.
   */
  readonly metricsPorts: Readonly<Record<Engine, readonly string[]>>;
  /** The API its Clusters are written in. */
  readonly clusterApiVersion: string;
  /** What the line's OpsRequest API offers (`npm run ops`). */
  readonly operations: OperationFacts;
  /** Work the operator runs as Jobs in the cluster's own namespace, whose pods connect to the database pods. */
  readonly operatorJobs: readonly OperatorJob[];
}

/** A database port by what it is for: the engine's own (5432, 6379), Redis Sentinel's, Patroni's REST API. */
export type DatabasePort = 'service' | 'sentinel' | 'patroni';

/**
 * A Job the operator creates beside a cluster's pods. Its pod template carries no label of KubeBlocks', only those
 * the API server gives every Job pod, so only a NetworkPolicy written for it lets it in (network-policies.ts).
 */
export interface OperatorJob {
  readonly engine: Engine;
  /** What KubeBlocks runs it for. */
  readonly action: 'postProvision' | 'switchover' | 'systemAccounts';
  /** The ports it connects to on the engine's pods. */
  readonly ports: readonly DatabasePort[];
}

/**
 * The 0.9 operator's Jobs, read in apecloud/kubeblocks v0.9.5 and apecloud/kubeblocks-addons v0.9.5:
 * - postProvision (pkg/controller/component/component_lifecycle_action_utils.go, renderJob, genActionJobName): Job
 *   `kb-post-provision-job-<cluster>-<component>`; the redis addon's (addons/redis/templates/componentdefinition-redis.yaml)
 *   runs scripts/redis-register-to-sentinel.sh, which waits up to 600 s for every sentinel pod on 26379 and the
 *   primary on 6379, then `SENTINEL monitor`s it. No other engine written here has one.
 * - switchover (controllers/apps/operations/switchover_util.go, renderSwitchoverCmdJob, genSwitchoverJobName): Job
 *   `kb-switchover-job-<cluster>-<component>-<the Cluster's metadata.generation>`. PostgreSQL's (legacy
 *   addons/postgresql/templates/clusterdefinition.yaml, switchoverSpec) curls the primary's Patroni on 8008; Redis's
 *   (scripts/redis-switchover.sh) asks the Redis pods on 6379 for their role and the sentinels on 26379 to fail over.
 * - systemAccounts (controllers/apps/systemaccount_controller.go createByStmt, systemaccount_util.go renderJob): for a
 *   legacy (`componentDefRef`) component only, which is PostgreSQL here; one Job per account (kbadmin,
 *   kbdataprotection, kbprobe, kbmonitoring, kbreplicator) named `sysacc-<cluster>-<component>-<account>-<5 random>`
 *   (`sysacc-<account>-<5 random>` past 63 characters), running psql against the primary's pod IP on the default 5432
 *   (clusterdefinition.yaml, systemAccounts.cmdExecutorConfig: `-h$(KB_ACCOUNT_ENDPOINT)`, no port).
 * All three run in the Cluster's namespace.
 */
const OPERATOR_JOBS_0_9: readonly OperatorJob[] = [
  { engine: 'redis', action: 'postProvision', ports: ['service', 'sentinel'] },
  { engine: 'redis', action: 'switchover', ports: ['service', 'sentinel'] },
  { engine: 'postgresql', action: 'switchover', ports: ['patroni'] },
  { engine: 'postgresql', action: 'systemAccounts', ports: ['service'] },
];

interface OperationFacts {
  readonly apiVersion: string;
  /** 1.0 names the primary now and the candidate in a switchover; 0.9 names only the new primary. */
  readonly switchoverNamesPrimary: boolean;
  /** Engines KubeBlocks documents a Restore OpsRequest for; the others restore on a new cluster (`restoreFrom`). */
  readonly restoreByOpsRequest: readonly Engine[];
}

const POSTGRESQL_0_9 = ['12.14.0', '12.14.1', '12.15.0', '12.22.0', '14.7.2', '14.8.0', '14.18.0', '15.7.0', '15.13.0',
  '16.4.0', '16.9.0', '17.5.0'];

export const RELEASE_LINES: Readonly<Record<ReleaseLine, ReleaseLineFacts>> = {
  '1.0': {
    terminationPolicies: ['DoNotTerminate', 'Delete', 'WipeOut'],
    topologyNamesComponents: true,
    legacyComponentDefRefs: false,
    versions: {
      postgresql: [...POSTGRESQL_0_9, '18.1.0'],
      redis: ['5.0.12', '6.2.14', '6.2.17', '6.2.18', '7.0.6', '7.2.4', '7.2.7', '7.2.10', '7.2.11', '7.2.12', '7.4.2',
        '7.4.5', '7.4.6', '7.4.7', '8.0.1', '8.0.3', '8.0.4', '8.0.5', '8.2.1', '8.2.2', '8.2.3', '8.4.0'],
      qdrant: ['1.5.0', '1.7.3', '1.8.1', '1.8.4', '1.10.0', '1.13.4', '1.15.4'],
      // The milvus addon's ComponentVersion (kubeblocks-addons v1.0.2, addons/milvus/templates/cmpv.yaml) offers
      // v2.3.2 and 2.5.13; Dify 1.x's pymilvus 2.6 and its hybrid search need a 2.5 server.
      milvus: ['2.5.13'],
    },
    // Newest patch of a mature line: PostgreSQL 16; Redis 7.2, the last BSD-licensed line (Dify's compose file runs
    // Redis 6 and needs nothing newer); Qdrant's newest, which Dify reaches over the stable REST API.
    defaultVersions: { postgresql: '16.9.0', redis: '7.2.12', qdrant: '1.15.4', milvus: '2.5.13' },
    metricsPorts: { postgresql: ['http-metrics', 'patroni'], redis: ['http-metrics'], qdrant: ['tcp-qdrant'], milvus: ['metrics'] },
    clusterApiVersion: 'apps.kubeblocks.io/v1',
    operations: { apiVersion: 'operations.kubeblocks.io/v1alpha1', switchoverNamesPrimary: true,
      restoreByOpsRequest: ['redis', 'qdrant'] },
    // kbagent inside the database pods runs postProvision, switchover and account creation, called by the operator
    // from its own namespace (kubeblocks v1.0.2 pkg/controller/lifecycle/kbagent.go; callers
    // controllers/apps/component/transformer_component_post_provision.go, transformer_component_account_provision.go,
    // pkg/operations/switchover.go): no Job of the operator's runs beside the pods.
    operatorJobs: [],
  },
  '0.9': {
    terminationPolicies: ['DoNotTerminate', 'Halt', 'Delete', 'WipeOut'],
    topologyNamesComponents: false,
    legacyComponentDefRefs: true,
    // 0.9 names PostgreSQL's version through a ClusterVersion `postgresql-<version>`, Redis's and Qdrant's by
    // serviceVersion (ENGINE_DEFINITIONS' v1alpha1Form). Only versions confirmed in the 0.9 addons are offered; add
    // more once seen on a 0.9 cluster (`kubectl get clusterversion`, `kubectl get componentversion`).
    // Milvus is offered on 1.0 only: the 0.9 addon's Cluster form is not written here.
    versions: { postgresql: POSTGRESQL_0_9, redis: ['7.0.6'], qdrant: ['1.8.1', '1.8.4'], milvus: [] },
    defaultVersions: { postgresql: '14.8.0', redis: '7.0.6', qdrant: '1.8.4', milvus: '' },
    metricsPorts: { postgresql: ['http-metrics', 'patroni'], redis: [], qdrant: ['tcp-qdrant'], milvus: [] },
    clusterApiVersion: 'apps.kubeblocks.io/v1alpha1',
    // 0.9 restores by the Cluster's restore annotation, not by OpsRequest.
    operations: { apiVersion: 'apps.kubeblocks.io/v1alpha1', switchoverNamesPrimary: false, restoreByOpsRequest: [] },
    operatorJobs: OPERATOR_JOBS_0_9,
  },
};

/** The release line whose Clusters are written in `apiVersion`, if any. */
export function releaseLineOfClusterApi(apiVersion: string): ReleaseLine | undefined {
  return RELEASE_LINE_NAMES.find((line) => RELEASE_LINES[line].clusterApiVersion === apiVersion);
}

/** How a Cluster names its engine on each line; `componentDefRef` components get the legacy names (see naming.ts). */
export interface EngineDefinition {
  /** 1.0: `clusterDef` + `topology`. */
  readonly clusterDef: string;
  readonly topology: string;
  /** 0.9: `clusterDefinitionRef`, then the version in the form of {@link v1alpha1Form}. */
  readonly clusterDefinitionRef: string;
  /**
   * How a 0.9 Cluster names its version:
   * - `clusterVersion`: `clusterVersionRef: <clusterVersionPrefix>-<version>`, the legacy form kbcli and the seed write,
   *   for components that set `componentDefRef`;
   * - `topology`: `topology` (as on 1.0) and a `serviceVersion` per component, no `componentDef`: the topology's own
   *   component-definition pattern and the addon's ComponentVersions pick the definition. A Cluster whose components
   *   set `componentDef` takes this path in KubeBlocks v0.9.5 whatever it says (`withClusterTopology` in
   *   controllers/apps/transformer_cluster_load_resources.go), an empty topology meaning the addon's default, and
   *   `clusterVersionRef` is then ignored.
   */
  readonly v1alpha1Form: 'clusterVersion' | 'topology';
  readonly clusterVersionPrefix: string;
}

export const ENGINE_DEFINITIONS: Readonly<Record<Engine, EngineDefinition>> = {
  postgresql: { clusterDef: 'postgresql', topology: 'replication', clusterDefinitionRef: 'postgresql', v1alpha1Form: 'clusterVersion', clusterVersionPrefix: 'postgresql' },
  // The redis addon (kubeblocks-addons v0.9.5, chart 0.9.7, addons/redis/templates/clusterdefinition.yaml) makes
  // `standalone` its default topology, which has no redis-sentinel: Redis with Sentinel must name `replication`.
  // Its components are matched by `^redis-\d+$` and `^redis-sentinel-\d+$` (redis-7, redis-sentinel-7), whose
  // ComponentVersions both list 7.0.6.
  redis: { clusterDef: 'redis', topology: 'replication', clusterDefinitionRef: 'redis', v1alpha1Form: 'topology', clusterVersionPrefix: 'redis' },
  // KubeBlocks v0.9.5 installs the qdrant addon 0.9.2 (deploy/helm/templates/addons/qdrant-addon.yaml), which ships
  // no ClusterVersion (a `qdrant-1.8.4` reference is NotFound forever): only the topology `cluster` and a
  // ComponentVersion whose releases include 1.8.1 and 1.8.4 (addons/qdrant/values.yaml at v0.9.5).
  qdrant: { clusterDef: 'qdrant', topology: 'cluster', clusterDefinitionRef: 'qdrant', v1alpha1Form: 'topology', clusterVersionPrefix: 'qdrant' },
  // The milvus addon's ClusterDefinition (v1.0.2): topology `standalone` (its default) runs etcd (the etcd addon's
  // definition), the addon's own MinIO and Milvus standalone with rocksmq; `cluster` needs etcd, object storage and
  // Pulsar as separate clusters by serviceRef, and is not written here.
  milvus: { clusterDef: 'milvus', topology: 'standalone', clusterDefinitionRef: 'milvus', v1alpha1Form: 'topology', clusterVersionPrefix: 'milvus' },
};

/** The 0.9 ClusterVersion of a `clusterVersion`-form engine at `version`, as the addon names it (postgresql-14.8.0). */
export function clusterVersionName(definition: EngineDefinition, version: string): string {
  return `${definition.clusterVersionPrefix}-${version}`;
}

/**
 * Why `engine` cannot move from `from` to `to` in place on a running cluster, or undefined when it can (a downgrade
 * is the guard rails' own rule). A PostgreSQL major is another ComponentDefinition (postgresql-14, -16...), whose
 * binaries refuse the older major's data directory: the postgresql addon groups its releases by definition and
 * says 12.14.0 cannot be upgraded to 14.8.0 (kubeblocks-addons v1.0.2 examples/postgresql/README.md, "Upgrade").
 */
export function majorUpgradeProblem(engine: Engine, from: string, to: string): string | undefined {
  const major = (version: string) => Number(version.split('.')[0]);
  if (engine !== 'postgresql' || major(to) <= major(from)) return undefined;
  return `the cluster runs PostgreSQL ${from} now, and a new major (${major(from)} to ${major(to)}) cannot start on the old data directory: `
    + `KubeBlocks upgrades within a major only. Create a new cluster on ${to} (another postgresql.name) restored from a dump of this one, `
    + 'then point the platform at it';
}

/** Whether `version` is one the line's addon offers for `engine`. */
export function isOfferedVersion(line: ReleaseLine, engine: Engine, version: string): boolean {
  return RELEASE_LINES[line].versions[engine].includes(version);
}
