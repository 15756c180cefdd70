/**
 * One-off operations on a platform's databases as reviewed objects: a KubeBlocks OpsRequest for one cluster, in its
 * release line's API, every name taken from the cluster model the platform's own construct builds (never typed by
 * hand). Shapes from the OpsRequest CRDs (kubeblocks-day2-facts.md, section 2).
 */
import { existingClusterOf, isBroughtIn } from '../kubeblocks/external-databases';
import { platformEngines, platformNamespace, platformReleaseLine, DifyPlatformProps } from '../dify-platform-props';
import { quantityValue, QUANTITY } from '../quantity';
import { ENGINE_BACKUP } from '../kubeblocks/backup-methods';
import { ClusterModel, componentRef } from '../kubeblocks/cluster-model';
import { backupPolicyName as policyName, podName } from '../kubeblocks/naming';
import { MAX_REPLICAS } from '../config/schema-parts';
import { postgresqlClusterModel } from '../kubeblocks/postgresql-cluster';
import { qdrantClusterModel } from '../kubeblocks/qdrant-cluster';
import { milvusClusterModel } from '../kubeblocks/milvus-cluster';
import { redisClusterModel } from '../kubeblocks/redis-cluster';
import { compareVersions } from '../dify/features';
import { clusterVersionName, Engine, isOfferedVersion, majorUpgradeProblem, RELEASE_LINES } from '../kubeblocks/release-lines';

export const OPERATIONS = ['restart', 'stop', 'start', 'vscale', 'hscale', 'volume-expand', 'switchover', 'upgrade', 'backup', 'restore'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface OpsOptions {
  readonly cpu?: string;
  readonly memory?: string;
  readonly replicas?: number;
  readonly storage?: string;
  /** switchover: the pod to promote. */
  readonly candidate?: string;
  /** switchover on 1.0: the pod that is primary now. */
  readonly from?: string;
  readonly version?: string;
  readonly method?: string;
  readonly backup?: string;
}

/** The settings of the platform's config that say what an operation did, so that config and cluster agree. */
export interface ConfigChange {
  /** Each setting and its new value, as the config writes it (`postgresql.replicas`, `3`). */
  readonly settings: readonly { readonly setting: string; readonly value: string }[];
  /** What happens otherwise, or what the change is for: `or the next synth sets it back to 2`. */
  readonly why: string;
  /**
   * The operation changes the Cluster's spec (KubeBlocks' OpsRequest handlers write it into the Cluster and update
   * it: kubeblocks v1.0.2 pkg/operations/horizontal_scaling.go, vertical_scaling.go, volume_expansion.go,
   * upgrade.go; v0.9.5 controllers/apps/operations/), so the next apply of dist/ (a GitOps sync) puts the config's
   * value back: the config must change too, and first under a tool that syncs on its own.
   */
  readonly revertedBySync: boolean;
}

/** What `npm run ops` prints: the object, or the documented alternative; and the config change that keeps it. */
export interface OpsResult {
  readonly object?: Record<string, unknown>;
  /** Instructions instead of an object (a restore KubeBlocks does not do as an OpsRequest). */
  readonly instead?: string;
  /** The settings to change so that the next synth does not undo the operation. */
  readonly configChange?: ConfigChange;
}

/** `set postgresql.replicas: 3 in config/default.yaml, or the next synth sets it back to 2`. */
export function configChangeLine(change: ConfigChange, source: string): string {
  return `set ${change.settings.map(({ setting, value }) => `${setting}: ${value}`).join(' and ')} in ${source}, ${change.why}`;
}

const reverted = (settings: ConfigChange['settings'], why: string): ConfigChange => ({ settings, why, revertedBySync: true });

/** A refused argument, with the line to print. */
export class OpsError extends Error {}

const MODELS: Readonly<Record<Engine, (props: DifyPlatformProps) => ClusterModel>> = {
  postgresql: (props) => postgresqlClusterModel({ ...props.postgresql, namespace: platformNamespace(props), releaseLine: platformReleaseLine(props) }),
  redis: (props) => redisClusterModel({ ...props.redis, namespace: platformNamespace(props), releaseLine: platformReleaseLine(props) }),
  qdrant: (props) => qdrantClusterModel({ ...props.qdrant, namespace: platformNamespace(props), releaseLine: platformReleaseLine(props) }),
  milvus: (props) => milvusClusterModel({ ...props.milvus, namespace: platformNamespace(props), releaseLine: platformReleaseLine(props) }),
};

/** The engine a `<cluster>` argument names: the engine's name or the cluster's own name. */
function engineOf(props: DifyPlatformProps, cluster: string): Engine {
  const engines = platformEngines(props);
  const engine = engines.find((candidate) => candidate === cluster || MODELS[candidate](props).name === cluster);
  if (!engine) {
    const brought = (['postgresql', 'redis', 'qdrant'] as const).find((name) => name === cluster && isBroughtIn(props[name]));
    const why = brought ? `: ${brought} is ${props[brought]?.external ? 'an external server' : `the existing cluster ${existingClusterOf(props[brought]!.existingCluster!).name}`}, which this platform does not run; operate it where it is managed`
      : cluster === 'qdrant' && props.vectorStore === 'pgvector' ? ': with vectorStore: pgvector the vectors are in the postgresql cluster' : '';
    // A platform whose every database is an external server or another platform's cluster runs none: "()" said nothing.
    const names = engines.length > 0 ? engines.map((e) => MODELS[e](props).name).join(', ') : 'it has none: its data tier is servers it does not run';
    throw new OpsError(`cluster: "${cluster}" is not a cluster of this platform (${names})${why}`);
  }
  return engine;
}

function need<T>(value: T | undefined, option: string, what: string): T {
  if (value === undefined) throw new OpsError(`--${option}: missing: ${what}`);
  return value;
}

function quantity(value: string | undefined, option: string): string | undefined {
  if (value !== undefined && !(QUANTITY.test(value) && quantityValue(value) > 0)) throw new OpsError(`--${option}: "${value}" is not allowed: must be a Kubernetes quantity such as 2Gi or 500m`);
  return value;
}

/** The pods the cluster's main component can have at the config's replica count (KubeBlocks' naming). */
function podsOf(model: ClusterModel): string[] {
  const component = model.components[0];
  return Array.from({ length: component.replicas }, (_, ordinal) => podName(componentRef(model, component), ordinal));
}

/** `value` when it names one of the cluster's pods, else an OpsError naming them. */
function clusterPod(value: string, option: string, pods: readonly string[]): string {
  if (!pods.includes(value)) throw new OpsError(`--${option}: "${value}" is not allowed: the cluster's pods are ${pods.join(', ')}`);
  return value;
}

/** A Kubernetes object name (a DNS subdomain, as Backup names are). */
function isObjectName(value: string): boolean {
  return value.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value);
}

/**
 * An Upgrade's body, in the words the Cluster pins its version with: a component's serviceVersion, or (0.9 legacy
 * components, the platform's PostgreSQL there) the ClusterVersion, which the 0.9.5 OpsRequest still takes
 * (kubeblocks v0.9.5 apis/apps/v1alpha1/opsrequest_types.go `Upgrade.clusterVersionRef`; the upgrade handler,
 * controllers/apps/operations/upgrade.go, sets the Cluster's clusterVersionRef from it, and the webhook requires
 * that ClusterVersion to exist). Either way the name is the one the platform's Cluster would carry at that version.
 */
function upgradeTo(model: ClusterModel, version: string): Record<string, unknown> {
  const main = model.components[0];
  return componentRef(model, main).scheme === 'legacy'
    ? { clusterVersionRef: clusterVersionName(model.definition, version) }
    : { components: [{ componentName: main.name, serviceVersion: version }] };
}

/** The OpsRequest (or the documented alternative) for `operation` on `cluster` of the platform `props` describes. */
export function opsRequest(props: DifyPlatformProps, operation: string, cluster: string, options: OpsOptions): OpsResult {
  if (!(OPERATIONS as readonly string[]).includes(operation)) throw new OpsError(`operation: "${operation}" is not allowed: one of ${OPERATIONS.join(', ')}`);
  const engine = engineOf(props, cluster);
  const model = MODELS[engine](props);
  const line = RELEASE_LINES[model.releaseLine].operations;
  const main = model.components[0].name;
  const all = model.components.map((component) => ({ componentName: component.name }));
  const object = (type: string, spec: Record<string, unknown>, clusterName = model.name) => ({
    apiVersion: line.apiVersion,
    kind: 'OpsRequest',
    metadata: { generateName: `${clusterName}-${operation}-`, namespace: model.namespace },
    spec: { clusterName, type, ...spec },
  });
  switch (operation as Operation) {
    case 'restart': return { object: object('Restart', { restart: all }) };
    case 'stop': return { object: object('Stop', { stop: all }) };
    case 'start': return { object: object('Start', { start: all }) };
    case 'vscale': {
      const cpu = quantity(options.cpu, 'cpu');
      const memory = quantity(options.memory, 'memory');
      if (!cpu && !memory) throw new OpsError('--cpu, --memory: missing: the new CPU and/or memory of each pod (requests and limits alike)');
      const side = { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) };
      const settings = (['requests', 'limits'] as const).flatMap((kind) => Object.entries(side).map(([name, value]) => ({ setting: `${engine}.resources.${kind}.${name}`, value: JSON.stringify(value) })));
      return { object: object('VerticalScaling', { verticalScaling: [{ componentName: main, requests: side, limits: side }] }),
        configChange: reverted(settings, 'or the next synth sets them back') };
    }
    case 'hscale': {
      const replicas = need(options.replicas, 'replicas', 'the new number of replicas');
      const current = model.components[0].replicas;
      // The config's own limit: an OpsRequest the next synth could not write back into the config is refused too.
      const most = MAX_REPLICAS[engine];
      if (!Number.isInteger(replicas) || replicas < 1 || replicas > most) throw new OpsError(`--replicas: ${replicas} is not allowed: a whole number from 1 to ${most} (the config's limit for ${engine})`);
      if (replicas === current) throw new OpsError(`--replicas: ${replicas} is not allowed: the config already runs ${current}`);
      if (engine === 'qdrant' && replicas < current) throw new OpsError(`--replicas: ${replicas} is not allowed: Qdrant does not move shards off a removed peer (kubeblocks#6837); move them first`);
      const change = replicas > current ? { scaleOut: { replicaChanges: replicas - current } } : { scaleIn: { replicaChanges: current - replicas } };
      return { object: object('HorizontalScaling', { horizontalScaling: [{ componentName: main, ...change }] }),
        configChange: reverted([{ setting: `${engine}.replicas`, value: String(replicas) }], `or the next synth sets it back to ${current}`) };
    }
    case 'volume-expand': {
      const storage = need(quantity(options.storage, 'storage'), 'storage', 'the new volume size');
      const current = model.components[0].storageSize;
      if (quantityValue(storage) <= quantityValue(current)) throw new OpsError(`--storage: "${storage}" is not allowed: must be more than ${current} (volumes only grow)`);
      return { object: object('VolumeExpansion', { volumeExpansion: [{ componentName: main, volumeClaimTemplates: [{ name: 'data', storage }] }] }),
        configChange: reverted([{ setting: `${engine}.storage.size`, value: storage }], `or the next synth asks for ${current} again`) };
    }
    case 'switchover': {
      if (engine === 'qdrant' || engine === 'milvus') throw new OpsError(`operation: "switchover" is not allowed for ${engine}: it has no primary to switch`);
      const pods = podsOf(model);
      const candidate = clusterPod(need(options.candidate, 'candidate', `the pod to promote, such as ${pods[1] ?? pods[0]}`), 'candidate', pods);
      const item = line.switchoverNamesPrimary
        ? { componentName: main, instanceName: clusterPod(need(options.from, 'from', `the primary now: kubectl get pods -n ${model.namespace} -l kubeblocks.io/role=primary`), 'from', pods), candidateName: candidate }
        : { componentName: main, instanceName: candidate };
      if (item.instanceName === item.candidateName) throw new OpsError(`--candidate: "${candidate}" is not allowed: it is the pod --from names; promote another one`);
      return { object: object('Switchover', { switchover: [item] }) };
    }
    case 'upgrade': {
      const version = need(options.version, 'version', 'the engine version to move to');
      if (!isOfferedVersion(model.releaseLine, engine, version)) {
        throw new OpsError(`--version: "${version}" is not allowed: KubeBlocks ${model.releaseLine} offers ${engine} ${RELEASE_LINES[model.releaseLine].versions[engine].join(', ')}`);
      }
      if (compareVersions(version, model.version) < 0) {
        throw new OpsError(`--version: "${version}" is not allowed: the cluster runs ${engine} ${model.version}, and an older engine cannot read newer data files (synth refuses it too)`);
      }
      const major = majorUpgradeProblem(engine, model.version, version);
      if (major) throw new OpsError(`--version: "${version}" is not allowed: ${major}`);
      return { object: object('Upgrade', { upgrade: upgradeTo(model, version) }),
        configChange: reverted([{ setting: `${engine}.version`, value: JSON.stringify(version) }], `or the next synth sets it back to ${model.version}`) };
    }
    case 'backup': {
      const method = options.method ?? ENGINE_BACKUP[engine].defaultMethod;
      if (!ENGINE_BACKUP[engine].methods.includes(method)) throw new OpsError(`--method: "${method}" is not allowed: the ${engine} addon backs up with ${ENGINE_BACKUP[engine].methods.join(', ')}`);
      // The policy of the cluster's main component, by name: Milvus's etcd has a default policy of its own.
      const backupPolicyName = policyName(componentRef(model, model.components[0]));
      return { object: object('Backup', { backup: { backupPolicyName, backupMethod: method, deletionPolicy: 'Retain' } }) };
    }
    case 'restore': {
      const problem = ENGINE_BACKUP[engine].restoreProblem;
      if (problem) throw new OpsError(`operation: "restore" is not allowed for ${engine}: ${problem}`);
      const backup = need(options.backup, 'backup', `the Backup to restore: kubectl get backup -n ${model.namespace}`);
      if (!isObjectName(backup)) throw new OpsError(`--backup: "${backup}" is not allowed: must be the name of a Backup (lowercase letters, digits, '-' and '.'; kubectl get backup -n ${model.namespace})`);
      if (!line.restoreByOpsRequest.includes(engine)) {
        return { instead: `Restore ${engine} on a new cluster: in the config set ${engine}: { name: ${model.name}-restored, restoreFrom: { backup: ${backup} } }, `
          + 'add allowDestructive: [clusterReplaced], then synth and apply.' };
      }
      return { object: object('Restore', { restore: { backupName: backup, backupNamespace: model.namespace } }, `${model.name}-restored`),
        configChange: { settings: [{ setting: `${engine}.name`, value: `${model.name}-restored` }], why: `to run Dify on the restored cluster ${model.name}-restored`, revertedBySync: false } };
    }
  }
}
