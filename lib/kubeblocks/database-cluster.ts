/**
 * Private helpers shared by the engine constructs: turn a construct's props into a {@link ClusterModel},
 * applying the documented defaults.
 */
import { ClusterModel, ComponentModel, LegacyComponentFields } from './cluster-model';
import {
  ComponentSettings, DatabaseClusterProps, DEFAULT_RELEASE_LINE, DEFAULT_TERMINATION_POLICY, ResourceQuantities,
  resolveResources, resolveSpread,
} from './component-settings';
import { Engine, ENGINE_DEFINITIONS, RELEASE_LINES } from './release-lines';

/** What an engine gives a component whose settings leave something out. */
export interface ComponentDefaults {
  readonly replicas: number;
  readonly resources: Required<ResourceQuantities>;
  readonly storageSize: string;
}

/** What an engine's definition says of one of its components. */
export interface ComponentDefinition {
  /** The definition's name for the component (see {@link ComponentModel.definitionName}). */
  readonly definitionName: string;
  readonly defaults: ComponentDefaults;
  readonly legacy: LegacyComponentFields;
  /** Where the component's settings sit in the cluster's props. @default [] */
  readonly settingsPath?: readonly string[];
}

/** Resolves one component's settings against its definition's defaults. */
export function componentModel(definition: ComponentDefinition, settings: ComponentSettings & { readonly componentName?: string }): ComponentModel {
  const defaults = definition.defaults;
  return {
    name: settings.componentName ?? definition.definitionName,
    definitionName: definition.definitionName,
    settingsPath: definition.settingsPath ?? [],
    replicas: settings.replicas ?? defaults.replicas,
    resources: resolveResources(settings.resources, { requests: defaults.resources, limits: defaults.resources }),
    storageSize: settings.storage?.size ?? defaults.storageSize,
    storageClass: settings.storage?.storageClass,
    scheduling: settings.scheduling,
    legacy: definition.legacy,
  };
}

/** The Cluster's name: the engine's name unless the props say otherwise. */
export function clusterNameOf(engine: Engine, props: DatabaseClusterProps): string {
  return props.name ?? engine;
}

/** Resolves the cluster-level props of an engine construct. */
export function clusterModel(engine: Engine, props: DatabaseClusterProps, components: readonly ComponentModel[]): ClusterModel {
  const releaseLine = props.releaseLine ?? DEFAULT_RELEASE_LINE;
  return {
    releaseLine,
    name: clusterNameOf(engine, props),
    namespace: props.namespace,
    definition: ENGINE_DEFINITIONS[engine],
    version: props.version ?? RELEASE_LINES[releaseLine].defaultVersions[engine],
    terminationPolicy: props.terminationPolicy ?? DEFAULT_TERMINATION_POLICY,
    spread: resolveSpread(props.spread),
    exporters: props.monitoring !== undefined,
    components,
  };
}
