/**
 * What the KubeBlocks operator has made in a platform's namespace, read from the API server, and which of the names
 * our objects give are within reach: a component that its ClusterDefinition's topology provisions after another
 * is created only once that one is Running (kubeblocks v1.0.2 controllers/apps/cluster/transformer_cluster_component.go,
 * `phasePrecondition.expected`), which needs its pods to run; with no kubelet that never comes, and the names such a
 * component would make are out of reach, as are the later pods of an InstanceSet that makes them one by one.
 */
import { ControlPlane } from './cluster';
import { manifestsOf } from './cluster-apply';
import { list } from './kubeblocks-operator';
import { OperatorReferences } from './operator-references';

type Obj = Record<string, any>;

export interface OperatorState {
  clusters: Obj[];
  components: Obj[];
  instanceSets: Obj[];
  clusterDefinitions: Obj[];
  /** Secret name to its keys. */
  secrets: Map<string, string[]>;
  services: Set<string>;
  pods: { name: string; labels: Record<string, string> }[];
  backupPolicies: Obj[];
  backupRepos: Obj[];
  /** Warning events of the namespace, by the name of the object they are about. */
  warnings: Map<string, string[]>;
  /** The components of the file's Clusters, as `<cluster>-<component>`, longest first. */
  componentNames: string[];
  /** Whether the component a name is derived from has been created (and, for a pod, whether its turn has come). */
  reached(name: string): boolean;
  podReachable(name: string): boolean;
  settled(references: OperatorReferences): boolean;
  describe(references: OperatorReferences): string;
}

/** Why a component of a Cluster has no Component object: `waits for ...` when its topology's order explains it. */
export function unreachedComponent(state: OperatorState, clusterName: string, componentName: string): string {
  const cluster = state.clusters.find((c) => c.metadata.name === clusterName);
  const reason = cluster?.status?.components?.[componentName]?.message?.reason;
  const definition = state.clusterDefinitions.find((d) => d.metadata.name === cluster?.spec.clusterDef);
  const topology = definition?.spec.topologies?.find((t: Obj) => t.name === cluster?.spec.topology);
  const order: string[] = (topology?.orders?.provision ?? []).flatMap((step: string) => step.split(','));
  const before = order.slice(0, Math.max(order.indexOf(componentName), 0));
  const waiting = before.map((name) => state.components.find((c) => c.metadata.name === `${clusterName}-${name}`))
    .find((c) => c && c.status?.phase !== 'Running');
  if (reason === 'the component to be created' && waiting) {
    return `waits for ${waiting.metadata.name} (${waiting.status?.phase}), which topology ${topology.name} of ClusterDefinition ${definition!.metadata.name} provisions first`;
  }
  return `not created: ${JSON.stringify(cluster?.status?.components?.[componentName] ?? null)}`;
}

/**
 * Why a Component the operator created has made nothing yet, when that is its restore source: a Cluster restored from
 * a Backup (annotation `kubeblocks.io/restore-from-backup`) waits for that Backup, which only a running backup makes
 * (the operator warns `failed to restore password for system account ...: Backup... "<name>" not found`,
 * kubeblocks v1.0.2 controllers/apps/component/transformer_component_account.go reads the accounts from the backup).
 */
export function restoreWait(state: OperatorState, clusterName: string, componentName: string): string | undefined {
  const cluster = state.clusters.find((c) => c.metadata.name === clusterName);
  const source = JSON.parse(cluster?.metadata.annotations?.['kubeblocks.io/restore-from-backup'] ?? '{}')[componentName];
  if (!source) return undefined;
  const said = (state.warnings.get(`${clusterName}-${componentName}`) ?? [])
    .find((message) => message.includes(`Backup.dataprotection.kubeblocks.io "${source.name}" not found`));
  return said && `waits for its restore source, Backup ${source.namespace}/${source.name}: ${said}`;
}

export function readState(cluster: ControlPlane, namespace: string, yaml: string): OperatorState {
  const get = (kinds: string) => list<Obj>(cluster, kinds, namespace);
  const secrets = new Map(get('secrets').map((s) => [s.metadata.name as string, Object.keys(s.data ?? {})]));
  const clusterObjects = manifestsOf(yaml).filter((m) => m.kind === 'Cluster') as unknown as Obj[];
  const componentNames = clusterObjects.flatMap((c) => (c.spec.componentSpecs ?? []).map((s: Obj) => `${c.metadata.name}-${s.name}`))
    .sort((a, b) => b.length - a.length);
  const state: OperatorState = {
    clusters: get('clusters.apps.kubeblocks.io'),
    components: get('components.apps.kubeblocks.io'),
    instanceSets: get('instancesets.workloads.kubeblocks.io'),
    clusterDefinitions: list<Obj>(cluster, 'clusterdefinitions.apps.kubeblocks.io'),
    secrets,
    services: new Set(get('services').map((s) => s.metadata.name as string)),
    pods: get('pods').map((p) => ({ name: p.metadata.name, labels: p.metadata.labels ?? {} })),
    backupPolicies: get('backuppolicies.dataprotection.kubeblocks.io'),
    backupRepos: list<Obj>(cluster, 'backuprepos.dataprotection.kubeblocks.io'),
    warnings: get('events').filter((e) => e.type === 'Warning').reduce((map: Map<string, string[]>, e) =>
      map.set(e.involvedObject.name, [...(map.get(e.involvedObject.name) ?? []), e.message]), new Map()),
    componentNames,
    reached(name) {
      const owner = clusterObjects.flatMap((c) => (c.spec.componentSpecs ?? []).map((s: Obj) => [c.metadata.name, s.name] as [string, string]))
        .filter(([c, s]) => name === `${c}-${s}` || name.startsWith(`${c}-${s}-`))
        .sort((a, b) => b.join('-').length - a.join('-').length)[0];
      return !owner || (state.components.some((c) => c.metadata.name === owner.join('-')) && !restoreWait(state, owner[0], owner[1]));
    },
    podReachable(name) {
      if (state.pods.some((pod) => pod.name === name)) return true;
      // An InstanceSet that makes its pods in order makes the next once the one before is ready.
      const set = state.instanceSets.find((s) => name.startsWith(`${s.metadata.name}-`));
      return !(set && set.spec.podManagementPolicy !== 'Parallel');
    },
    settled(references) {
      const applied = state.clusters.length === clusterObjects.length && state.clusters.every((c) =>
        (c.status?.conditions ?? []).some((cond: Obj) => cond.type === 'ApplyResources') || c.status?.phase === 'Failed');
      const components = clusterObjects.every((c) => (c.spec.componentSpecs ?? []).every((s: Obj) =>
        (state.components.some((comp) => comp.metadata.name === `${c.metadata.name}-${s.name}` && comp.status?.phase)
          || restoreWait(state, c.metadata.name, s.name))
        || unreachedComponent(state, c.metadata.name, s.name).startsWith('waits for ')));
      const secretsThere = references.secrets.every((ref) => !state.reached(ref.secret)
        || (secrets.has(ref.secret) && (ref.key === undefined || secrets.get(ref.secret)!.includes(ref.key))));
      const servicesThere = references.services.every((ref) => !state.reached(ref.name) || state.services.has(ref.name));
      const podsThere = references.pods.every((ref) => !state.reached(ref.name) || state.podReachable(ref.name));
      const policies = clusterObjects.filter((c) => c.spec.backup?.enabled).every((c) =>
        state.backupPolicies.some((p) => p.metadata.labels?.['app.kubernetes.io/instance'] === c.metadata.name && p.status?.phase));
      return applied && components && secretsThere && servicesThere && podsThere && policies;
    },
    describe(references) {
      return [
        ...state.clusters.map((c) => `Cluster ${c.metadata.name}: ${c.status?.phase} ${JSON.stringify(c.status?.conditions ?? [])}`),
        ...state.components.map((c) => `Component ${c.metadata.name}: ${c.status?.phase} ${JSON.stringify(c.status?.conditions ?? [])}`),
        `secrets: ${[...secrets.keys()].join(' ')}`, `services: ${[...state.services].join(' ')}`,
        `pods: ${state.pods.map((p) => p.name).join(' ')}`,
        `wanted: ${JSON.stringify(references)}`,
      ].join('\n');
    },
  };
  return state;
}

/** The names our objects give that are out of reach here, each with why (for the test's report and the docs). */
export function unreachedNames(state: OperatorState, references: OperatorReferences): string[] {
  return [...references.secrets.map((r) => r.secret), ...references.services.map((r) => r.name), ...references.pods.map((r) => r.name)]
    .filter((name, i, all) => all.indexOf(name) === i)
    .filter((name) => !state.reached(name) || (references.pods.some((p) => p.name === name) && !state.pods.some((p) => p.name === name)));
}
