import { ResolvedResources, ResolvedSpread, SchedulingSettings } from './component-settings';
import { ComponentRef, componentServiceName, derivedLabels, headlessServiceName, NamingScheme } from './naming';
import { EngineDefinition, RELEASE_LINES, ReleaseLine, TerminationPolicy } from './release-lines';

/**
 * A KubeBlocks cluster as the engine constructs describe it, before it is written in one release line's API.
 * The renderers (render-cluster.ts) are the only code that knows how each line spells these fields.
 */
export interface ClusterModel {
  readonly releaseLine: ReleaseLine;
  readonly name: string;
  readonly namespace: string;
  readonly definition: EngineDefinition;
  readonly version: string;
  readonly terminationPolicy: TerminationPolicy;
  readonly spread: ResolvedSpread;
  /** The exporters are switched on (monitoring). */
  readonly exporters: boolean;
  /** The Cluster's `spec.backup`, as both release lines spell it. */
  readonly backup?: {
    readonly enabled: boolean; readonly method: string; readonly cronExpression: string; readonly retentionPeriod: string;
    readonly pitrEnabled: boolean; readonly continuousMethod?: string; readonly repoName?: string;
  };
  /** The annotations a Cluster carries (restore from a backup). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly components: readonly ComponentModel[];
  /**
   * The names a cluster that exists already gives its components, as its user says (`existingCluster.form`).
   * @default - what the platform's own Cluster would get from how it points each component at its definition
   */
  readonly naming?: NamingScheme;
}

/** How a 0.9 component points at its definition, and the fields kbcli adds for it (as the seed shows). */
export interface LegacyComponentFields {
  /** `componentDefRef` (the legacy naming scheme) or `componentDef` (the componentDef scheme). */
  readonly definitionField: 'componentDefRef' | 'componentDef';
  readonly enabledLogs?: readonly string[];
  readonly monitor?: boolean;
  readonly switchPolicy?: 'Noop';
  readonly serviceAccountName?: string;
}

export interface ComponentModel {
  readonly name: string;
  /**
   * The name the engine's definition gives this component: the 1.0 topology's component name, the 0.9
   * componentDef/componentDefRef value, and the suffix of the Service KubeBlocks makes for it.
   */
  readonly definitionName: string;
  /** Where this component's settings sit in its cluster's props (`[]`, or `['sentinel']`), for error messages. */
  readonly settingsPath: readonly string[];
  readonly replicas: number;
  readonly resources: ResolvedResources;
  readonly storageSize: string;
  readonly storageClass?: string;
  readonly scheduling?: SchedulingSettings;
  /** Fields only a 0.9 Cluster carries. */
  readonly legacy: LegacyComponentFields;
  /**
   * Whether the component runs the cluster's version: a helper of another addon (Milvus's etcd and MinIO) takes its
   * own definition's default version instead. @default true
   */
  readonly versioned?: boolean;
}

/** Which names KubeBlocks gives a component: 0.9 `componentDefRef` components keep the legacy ones. */
export function namingSchemeOf(releaseLine: ReleaseLine, legacy: LegacyComponentFields): NamingScheme {
  return RELEASE_LINES[releaseLine].legacyComponentDefRefs && legacy.definitionField === 'componentDefRef' ? 'legacy' : 'componentDef';
}

/** The naming reference of one component of a model. */
export function componentRef(model: ClusterModel, component: ComponentModel): ComponentRef {
  return { scheme: model.naming ?? namingSchemeOf(model.releaseLine, component.legacy), clusterName: model.name, componentName: component.name };
}

/** Every DNS label KubeBlocks derives from a component of a model, to check against Kubernetes' 63-character limit. */
export function derivedLabelsOf(model: ClusterModel, component: ComponentModel): string[] {
  return derivedLabels(componentRef(model, component), component.definitionName, component.replicas);
}

/** The Services KubeBlocks creates for a component of a model, to check that no other object takes their names. */
export function derivedServiceNamesOf(model: ClusterModel, component: ComponentModel): string[] {
  const ref = componentRef(model, component);
  return [componentServiceName(ref, component.definitionName), headlessServiceName(ref)];
}
