/**
 * Private helpers shared by the engine constructs: turn a construct's props into a {@link ClusterModel},
 * applying the documented defaults.
 */
import { DEFAULT_BACKUP_SCHEDULE, ENGINE_BACKUP } from './backup-methods';
import { ClusterModel, ComponentModel, LegacyComponentFields } from './cluster-model';
import {
  BackupSettings, ComponentSettings, DatabaseClusterProps, DEFAULT_RELEASE_LINE, DEFAULT_TERMINATION_POLICY, ResourceQuantities,
  resolveResources, resolveSpread, RestoreSettings,
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
  /** Whether it runs the cluster's version (see {@link ComponentModel.versioned}). @default true */
  readonly versioned?: boolean;
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
    ...(definition.versioned === false ? { versioned: false } : {}),
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
    backup: props.backup && backupModel(engine, props.backup),
    annotations: props.restoreFrom ? restoreAnnotation(props, components[0].name, props.restoreFrom) : {},
    components,
  };
}

function backupModel(engine: Engine, backup: BackupSettings): ClusterModel['backup'] {
  const facts = ENGINE_BACKUP[engine];
  const pitr = backup.pitr ?? false;
  return {
    enabled: backup.enabled ?? true,
    method: backup.method ?? facts.defaultMethod,
    cronExpression: backup.schedule ?? DEFAULT_BACKUP_SCHEDULE,
    retentionPeriod: backup.retention ?? '7d',
    pitrEnabled: pitr,
    continuousMethod: pitr ? facts.continuousMethod : undefined,
    repoName: backup.repo,
  };
}

/** KubeBlocks' restore on a new cluster: an annotation naming the backup per component (both release lines). */
function restoreAnnotation(props: DatabaseClusterProps, componentName: string, restore: RestoreSettings): Record<string, string> {
  const source = {
    name: restore.backup,
    namespace: restore.namespace ?? props.namespace,
    volumeRestorePolicy: 'Parallel',
    ...(restore.pointInTime ? { restoreTime: restore.pointInTime } : {}),
  };
  return { 'kubeblocks.io/restore-from-backup': JSON.stringify({ [componentName]: source }) };
}
