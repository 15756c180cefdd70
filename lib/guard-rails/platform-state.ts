/**
 * What the guard rails compare: the facts about a platform that a change can make dangerous, read from its
 * synthesized objects (so the platform file in dist/ and the one about to replace it are read the same way).
 */
import { quantityValue } from '../config/quantity';
import { Engine, ENGINE_DEFINITIONS, ENGINES } from '../kubeblocks/release-lines';

/** A synthesized object, as much of it as the rules read. */
export interface ObjectLike {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: any;
}

/** One KubeBlocks component: what its pods keep. */
export interface ComponentState {
  readonly name: string;
  readonly replicas: number;
  /** The data volume's size, as written (`20Gi`). */
  readonly storage?: string;
}

/** One KubeBlocks cluster, found by its engine so that a renamed cluster is still the same database. */
export interface ClusterState {
  readonly engine: Engine;
  readonly name: string;
  readonly namespace?: string;
  /** `apps.kubeblocks.io/v1` (KubeBlocks 1.0) or `apps.kubeblocks.io/v1alpha1` (0.9). */
  readonly apiVersion: string;
  readonly version?: string;
  readonly terminationPolicy?: string;
  readonly components: readonly ComponentState[];
}

export interface PlatformState {
  /** The Dify version the platform's Dify objects carry, if it has any. */
  readonly difyVersion?: string;
  /** The KubeBlocks clusters, by engine. */
  readonly clusters?: Readonly<Record<string, ClusterState>>;
}

/** The engine of a Cluster, by the definition names the renderers write on either line (release-lines.ts). */
function engineOf(spec: any): Engine | undefined {
  return ENGINES.find((engine) => spec.clusterDef === ENGINE_DEFINITIONS[engine].clusterDef
    || spec.clusterDefinitionRef === ENGINE_DEFINITIONS[engine].clusterDefinitionRef);
}

/** 1.0 pins each component's serviceVersion; 0.9 a ClusterVersion named `<clusterVersionPrefix>-<version>`. */
function versionOf(engine: Engine, spec: any): string | undefined {
  const prefix = `${ENGINE_DEFINITIONS[engine].clusterVersionPrefix}-`;
  const clusterVersion: string | undefined = spec.clusterVersionRef;
  return spec.componentSpecs?.[0]?.serviceVersion ?? (clusterVersion?.startsWith(prefix) ? clusterVersion.slice(prefix.length) : clusterVersion);
}

function clusterState(object: ObjectLike): ClusterState | undefined {
  const spec = object.spec ?? {};
  const engine = engineOf(spec);
  if (!engine) return undefined;
  const components: ComponentState[] = (spec.componentSpecs ?? []).map((component: any) => ({
    name: component.name,
    replicas: component.replicas,
    storage: component.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage,
  }));
  const version = versionOf(engine, spec);
  return {
    engine, name: object.metadata?.name ?? '', namespace: object.metadata?.namespace, apiVersion: object.apiVersion ?? '',
    version, terminationPolicy: spec.terminationPolicy, components,
  };
}

/** The facts of one platform's objects. */
export function platformState(objects: readonly ObjectLike[]): PlatformState {
  const dify = objects.find((object) => object.metadata?.labels?.['app.kubernetes.io/part-of'] === 'dify'
    && object.metadata.labels['app.kubernetes.io/version'] !== undefined);
  const clusters = objects.filter((object) => object.kind === 'Cluster').map(clusterState).filter((state): state is ClusterState => state !== undefined);
  return {
    difyVersion: dify?.metadata?.labels?.['app.kubernetes.io/version'],
    clusters: Object.fromEntries(clusters.map((cluster) => [cluster.engine, cluster])),
  };
}

/** Compares two storage sizes as quantities. */
export function smallerStorage(next: string | undefined, previous: string | undefined): boolean {
  return next !== undefined && previous !== undefined && quantityValue(next) < quantityValue(previous);
}
