import { ReleaseLine, TerminationPolicy } from './release-lines';

/** CPU and memory as Kubernetes quantities (`"500m"`, `"1"`, `"2Gi"`). */
export interface ResourceQuantities {
  readonly cpu?: string;
  readonly memory?: string;
}

/**
 * Requests and limits of each pod of a component. A side that is left out takes the other's values, so
 * `{ requests: { cpu: '1', memory: '2Gi' } }` gives a Guaranteed pod, which is what a database wants.
 */
export interface ComponentResources {
  readonly requests?: ResourceQuantities;
  readonly limits?: ResourceQuantities;
}

/** The data volume of each pod. */
export interface StorageSettings {
  /**
   * Size of each pod's `data` volume. It can grow later (volume expansion), never shrink.
   * @default - the engine's default (see each cluster construct)
   */
  readonly size?: string;
  /**
   * StorageClass of the volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
}

/** How strongly the replicas of a component avoid sharing a node (or zone, by topology key). */
export type AntiAffinity = 'Preferred' | 'Required' | 'None';

export interface SpreadSettings {
  /**
   * `Required` refuses to schedule two replicas on one node (needs as many nodes as replicas); `Preferred` tries.
   * @default 'Preferred'
   */
  readonly antiAffinity?: AntiAffinity;
  /**
   * The node labels that define "the same place".
   * @default ['kubernetes.io/hostname']
   */
  readonly topologyKeys?: readonly string[];
}

/**
 * Where a component's pods may run, as Kubernetes writes it in a pod spec. Combined with `spread`: its anti-affinity
 * terms are joined with those `spread` makes.
 */
export interface SchedulingSettings {
  /** @default - none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly tolerations?: readonly Readonly<Record<string, unknown>>[];
  /** @default - only what `spread` asks for */
  readonly affinity?: Readonly<Record<string, any>>;
  /** A constraint without a `labelSelector` spreads the component's own pods. @default - none */
  readonly topologySpreadConstraints?: readonly Readonly<Record<string, unknown>>[];
}

export interface BackupSettings {
  /** @default true */
  readonly enabled?: boolean;
  /** A cron expression, in UTC. @default '0 18 * * *' */
  readonly schedule?: string;
  /** How long backups are kept, e.g. `7d`, `1mo`, `12h`. @default '7d' */
  readonly retention?: string;
  /** One of the engine's methods (backup-methods.ts). @default - pg-basebackup, or datafile */
  readonly method?: string;
  /** Point-in-time recovery from continuous WAL (PostgreSQL) or AOF (Redis) archiving. @default false */
  readonly pitr?: boolean;
  /** A BackupRepo by name. @default - the installation's default BackupRepo (in a DifyPlatform: its own `backupRepo` when it has one) */
  readonly repo?: string;
}

export interface RestoreSettings {
  /** The Backup object's name (`kubectl get backup -n <namespace>`). */
  readonly backup: string;
  /** @default - the cluster's namespace */
  readonly namespace?: string;
  /** Restore to this moment (RFC 3339, UTC), from the continuous backup named in `backup`. @default - the backup itself */
  readonly pointInTime?: string;
}

/** Settings every component of every engine has. */
export interface ComponentSettings {
  /** @default - anywhere, replicas spread as `spread` says */
  readonly scheduling?: SchedulingSettings;
  /**
   * How many pods the component runs.
   * @default - the engine's default (see each cluster construct)
   */
  readonly replicas?: number;
  /** @default - the engine's default (see each cluster construct) */
  readonly resources?: ComponentResources;
  /** @default - the engine's default size on the default StorageClass */
  readonly storage?: StorageSettings;
}

/** Settings every KubeBlocks cluster construct has. */
export interface DatabaseClusterProps extends ComponentSettings {
  /** Namespace the Cluster lives in. */
  readonly namespace: string;
  /**
   * The KubeBlocks release line installed in the target Kubernetes cluster.
   * @default '1.0'
   */
  readonly releaseLine?: ReleaseLine;
  /**
   * Name of the Cluster object; KubeBlocks derives its Service, Secret and pod names from it.
   * @default - the engine's name (`postgresql`, `redis`, `qdrant`)
   */
  readonly name?: string;
  /**
   * Engine version: the `serviceVersion` on 1.0, the ClusterVersion `<engine>-<version>` on 0.9.
   * @default - the release line's pinned default (release-lines.ts)
   */
  readonly version?: string;
  /**
   * What deleting the Cluster does to its data. `DoNotTerminate` blocks deletion; `Delete` removes pods and
   * volumes but keeps backups; `WipeOut` removes backups too; `Halt` (0.9 only) keeps the volumes.
   * @default 'DoNotTerminate'
   */
  readonly terminationPolicy?: TerminationPolicy;
  /** @default - replicas prefer different nodes */
  readonly spread?: SpreadSettings;
  /**
   * Scheduled backups, written as the Cluster's `spec.backup` (KubeBlocks makes the BackupSchedule). They go to the
   * BackupRepo marked default in the KubeBlocks installation unless `repo` names one: without a repo, backups fail,
   * the cluster does not.
   * @default - no scheduled backups
   */
  readonly backup?: BackupSettings;
  /**
   * Create this cluster from a backup (KubeBlocks' restore on a new cluster): only when the cluster does not exist yet.
   * @default - an empty cluster
   */
  readonly restoreFrom?: RestoreSettings;
  /**
   * Turn the engine's metrics exporters on and write a Prometheus Operator PodMonitor for them, with these labels
   * (what your Prometheus's `podMonitorSelector` selects, e.g. `release: prometheus`).
   * @default - exporters as the addon sets them, no PodMonitor
   */
  readonly monitoring?: { readonly labels: Readonly<Record<string, string>> };
  /**
   * Name of the (main) component. On 1.0 the topology fixes it; on 0.9 it is free within KubeBlocks' limits.
   * @default - the engine's name
   */
  readonly componentName?: string;
}

export interface ResolvedResources {
  readonly requests: Required<ResourceQuantities>;
  readonly limits: Required<ResourceQuantities>;
}

export interface ResolvedSpread {
  readonly antiAffinity: AntiAffinity;
  readonly topologyKeys: readonly string[];
}

export const DEFAULT_TERMINATION_POLICY: TerminationPolicy = 'DoNotTerminate';
export const DEFAULT_RELEASE_LINE: ReleaseLine = '1.0';

/** Defaults of both sides of a component's resources (a database's are equal: Guaranteed pods). */
export interface ResourceDefaults {
  readonly requests: Required<ResourceQuantities>;
  readonly limits: Required<ResourceQuantities>;
}

/**
 * What a side leaves out comes from the other side as given, then from the defaults: giving only requests gives
 * equal limits, and raising a request raises its limit with it unless the limit is given too.
 */
export function resolveResources(given: ComponentResources | undefined, defaults: ResourceDefaults): ResolvedResources {
  return {
    requests: { ...defaults.requests, ...given?.limits, ...given?.requests },
    limits: { ...defaults.limits, ...given?.requests, ...given?.limits },
  };
}

export function resolveSpread(given: SpreadSettings | undefined): ResolvedSpread {
  return {
    antiAffinity: given?.antiAffinity ?? 'Preferred',
    topologyKeys: given?.topologyKeys ?? ['kubernetes.io/hostname'],
  };
}
