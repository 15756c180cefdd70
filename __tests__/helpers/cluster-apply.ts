/**
 * Applying platform files to the real control plane of helpers/cluster.ts: the CRDs a platform needs, the
 * namespaces it expects to exist, `kubectl apply` for real (server-side, or client-side as the README's
 * `kubectl apply -f`), and what a second apply changed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { ControlPlane, KubectlResult, startControlPlane } from './cluster';
import { thirdPartyFile } from './third-party';

export type ReleaseLine = '0.9' | '1.0';
export type ApplyMode = 'server-side' | 'client-side';

/** The CRDs every platform may need, beside KubeBlocks' own of its release line. */
export const COMMON_CRDS = [
  'crds/gateway-api/v1.6.1/gateway.networking.k8s.io_httproutes.yaml',
  'crds/external-secrets/v2.9.0/external-secrets.io_externalsecrets.yaml',
  'crds/prometheus-operator/v0.93.0/monitoring.coreos.com_podmonitors.yaml',
];
export const KUBEBLOCKS_CRDS: Record<ReleaseLine, string[]> = {
  '0.9': ['apps.kubeblocks.io_clusters.yaml', 'apps.kubeblocks.io_opsrequests.yaml', 'dataprotection.kubeblocks.io_backuprepos.yaml']
    .map((file) => `crds/kubeblocks/0.9/${file}`),
  '1.0': ['apps.kubeblocks.io_clusters.yaml', 'operations.kubeblocks.io_opsrequests.yaml', 'dataprotection.kubeblocks.io_backuprepos.yaml']
    .map((file) => `crds/kubeblocks/1.0/${file}`),
};
export const crdFiles = (line: ReleaseLine): string[] => [...KUBEBLOCKS_CRDS[line], ...COMMON_CRDS];

/** Installs a release line's CRDs (server-side: the KubeBlocks ones are too big for the last-applied annotation). */
export function installCrds(cluster: ControlPlane, line: ReleaseLine): void {
  for (const file of crdFiles(line)) cluster.kubectlOk(['apply', '--server-side', '-f', thirdPartyFile(file)]);
  cluster.kubectlOk(['wait', '--for', 'condition=Established', '--timeout=120s', 'crd', '--all']);
}

/**
 * A control plane with a release line's CRDs for the tests of the enclosing describe: started before them, stopped
 * after them. A getter, since the control plane exists only once beforeAll has run.
 */
export function controlPlaneWithCrds(line: ReleaseLine): () => ControlPlane {
  let cluster: ControlPlane | undefined;
  beforeAll(async () => {
    cluster = await startControlPlane();
    installCrds(cluster, line);
  });
  afterAll(async () => { await cluster?.stop(); });
  return () => {
    if (!cluster) throw new Error('the control plane did not start (see beforeAll)');
    return cluster;
  };
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; namespace?: string };
}

export function manifestsOf(yaml: string): Manifest[] {
  return (loadAll(yaml) as (Manifest | null)[]).filter((doc): doc is Manifest => doc !== null && typeof doc === 'object');
}

/** The KubeBlocks release line of a platform file: the API of its Clusters (1.0 when it has none). */
export function releaseLineOf(yaml: string): ReleaseLine {
  return manifestsOf(yaml).some((m) => m.kind === 'Cluster' && m.apiVersion === 'apps.kubeblocks.io/v1alpha1') ? '0.9' : '1.0';
}

/** Creates the namespaces the file's objects are in that it does not create itself (a user's createNamespace: false). */
export function createMissingNamespaces(cluster: ControlPlane, yaml: string): void {
  const manifests = manifestsOf(yaml);
  const created = new Set(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name));
  const wanted = new Set(manifests.map((m) => m.metadata.namespace).filter((ns): ns is string => !!ns && !created.has(ns)));
  for (const namespace of wanted) {
    if (cluster.kubectl(['get', 'namespace', namespace]).status !== 0) cluster.kubectlOk(['create', 'namespace', namespace]);
  }
}

let written = 0;
/** Writes YAML text into the control plane's scratch folder, for kubectl -f. */
export function yamlFile(cluster: ControlPlane, yaml: string, name = 'platform'): string {
  const file = path.join(cluster.dir, `${name.replace(/[^a-zA-Z0-9.-]+/g, '-').slice(0, 60)}-${++written}.k8s.yaml`);
  fs.writeFileSync(file, yaml);
  return file;
}

const modeArgs = (mode: ApplyMode): string[] => (mode === 'server-side' ? ['--server-side'] : []);

/** `kubectl apply -f FILE`, for real, in the order the file gives. */
export function apply(cluster: ControlPlane, file: string, mode: ApplyMode = 'server-side', extra: string[] = []): KubectlResult {
  return cluster.kubectl(['apply', ...modeArgs(mode), ...extra, '-f', file]);
}

/** Applies and throws with kubectl's output unless every object was applied. */
export function applyOk(cluster: ControlPlane, file: string, mode: ApplyMode = 'server-side', extra: string[] = []): string {
  const result = apply(cluster, file, mode, extra);
  if (result.status !== 0) throw new Error(`kubectl apply ${modeArgs(mode).join(' ')} -f ${path.basename(file)} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

/**
 * Kinds whose objects a controller of kube-controller-manager writes to (status, annotations) on its own: the
 * workload controllers, the disruption controller, the persistent-volume controller (claims), the namespace controller.
 */
const CONTROLLER_WRITTEN = new Set(['Deployment', 'StatefulSet', 'Job', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Namespace', 'ServiceAccount', 'PersistentVolumeClaim']);

export interface ObjectState {
  generation?: number;
  resourceVersion: string;
  kind: string;
  /** kubectl's own entries of managedFields (manager, operation, time, fields): a write by kubectl moves them. */
  kubectlFields: string;
}

interface ManagedFields { manager?: string; operation?: string; time?: string; fieldsV1?: unknown }

interface Metadata { name: string; namespace?: string; generation?: number; resourceVersion: string; managedFields?: ManagedFields[] }

/** Each object of the file as the server has it: `Kind namespace/name` to its generation and resourceVersion. */
export function liveState(cluster: ControlPlane, file: string): Map<string, ObjectState> {
  const list = JSON.parse(cluster.kubectlOk(['get', '-f', file, '-o', 'json'])) as {
    items?: { kind: string; metadata: Metadata }[];
    kind: string; metadata: Metadata;
  };
  const items = list.items ?? [list];
  return new Map(items.map((item) => [`${item.kind} ${item.metadata.namespace ?? ''}/${item.metadata.name}`, {
    generation: item.metadata.generation, resourceVersion: item.metadata.resourceVersion, kind: item.kind,
    kubectlFields: JSON.stringify((item.metadata.managedFields ?? []).filter((entry) => entry.manager?.startsWith('kubectl'))),
  }]));
}

/**
 * What applying the file again changed: every object whose generation moved or whose managedFields entries of
 * kubectl moved, and every object no controller writes to whose resourceVersion moved (a write of any kind).
 * Empty when a second apply is a no-op.
 */
export function changesOnReapply(cluster: ControlPlane, file: string, mode: ApplyMode = 'server-side'): string[] {
  const before = liveState(cluster, file);
  applyOk(cluster, file, mode);
  const after = liveState(cluster, file);
  const changes: string[] = [];
  for (const [key, was] of before) {
    const now = after.get(key);
    if (!now) changes.push(`${key}: gone`);
    else if (now.generation !== was.generation) changes.push(`${key}: generation ${was.generation} -> ${now.generation}`);
    else if (now.kubectlFields !== was.kubectlFields) changes.push(`${key}: kubectl's managed fields changed`);
    else if (!CONTROLLER_WRITTEN.has(was.kind) && now.resourceVersion !== was.resourceVersion) changes.push(`${key}: written again`);
  }
  return changes;
}

/** `kubectl diff`: the differences between the file and the live objects ('' when there are none). */
export function diff(cluster: ControlPlane, file: string, mode: ApplyMode = 'server-side'): string {
  const result = cluster.kubectl(['diff', ...modeArgs(mode), '-f', file]);
  if (result.status > 1) throw new Error(`kubectl diff failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}
