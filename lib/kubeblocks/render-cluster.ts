/**
 * Private helpers: write a {@link ClusterModel} as the generated Cluster class of its release line.
 * The only code that knows how 1.0 (`apps.kubeblocks.io/v1`) and 0.9 (`apps.kubeblocks.io/v1alpha1`) spell a cluster.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as kb09 from '../../imports/kb09-cluster-apps.kubeblocks.io';
import * as kb10 from '../../imports/kb10-cluster-apps.kubeblocks.io';
import { ClusterModel, ComponentModel } from './cluster-model';
import { ResolvedSpread } from './component-settings';
import { clusterVersionName, ReleaseLine } from './release-lines';

/** Labels KubeBlocks puts on every pod, used to select a component's own pods for anti-affinity on 1.0. */
const INSTANCE_LABEL = 'app.kubernetes.io/instance';
const COMPONENT_LABEL = 'apps.kubeblocks.io/component-name';

/** Weight of a preferred anti-affinity term: the strongest preference, still not a rule. */
const PREFERRED_WEIGHT = 100;

type Renderer = (scope: Construct, id: string, model: ClusterModel) => ApiObject;

const RENDERERS: Readonly<Record<ReleaseLine, Renderer>> = {
  '1.0': renderV1,
  '0.9': renderV1alpha1,
};

/** Adds the Cluster object for `model` to `scope`, in its release line's API. */
export function renderCluster(scope: Construct, id: string, model: ClusterModel): ApiObject {
  return RENDERERS[model.releaseLine](scope, id, model);
}

function metadataOf(model: ClusterModel) {
  return { name: model.name, namespace: model.namespace, ...(Object.keys(model.annotations).length > 0 ? { annotations: { ...model.annotations } } : {}) };
}

function dataVolume(component: ComponentModel) {
  return {
    name: 'data',
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(component.storageClass !== undefined ? { storageClassName: component.storageClass } : {}),
      resources: { requests: { storage: component.storageSize } },
    },
  };
}

// ---------------------------------------------------------------------------------------------- 1.0: apps/v1

function renderV1(scope: Construct, id: string, model: ClusterModel): ApiObject {
  return new kb10.Cluster(scope, id, {
    metadata: metadataOf(model),
    spec: {
      backup: model.backup,
      terminationPolicy: model.terminationPolicy as kb10.ClusterSpecTerminationPolicy,
      clusterDef: model.definition.clusterDef,
      topology: model.definition.topology,
      componentSpecs: model.components.map((component) => v1Component(model, component)),
    },
  });
}

function v1Component(model: ClusterModel, component: ComponentModel): kb10.ClusterSpecComponentSpecs {
  const volume = dataVolume(component);
  return {
    name: component.name,
    ...(component.versioned === false ? {} : { serviceVersion: model.version }),
    replicas: component.replicas,
    resources: {
      requests: wrapQuantities(component.resources.requests, kb10.ClusterSpecComponentSpecsResourcesRequests.fromString),
      limits: wrapQuantities(component.resources.limits, kb10.ClusterSpecComponentSpecsResourcesLimits.fromString),
    },
    schedulingPolicy: schedulingPolicy(model, component) as kb10.ClusterSpecComponentSpecsSchedulingPolicy | undefined,
    ...(model.exporters ? { disableExporter: false } : {}),
    volumeClaimTemplates: [{
      name: volume.name,
      spec: {
        ...volume.spec,
        resources: {
          requests: { storage: kb10.ClusterSpecComponentSpecsVolumeClaimTemplatesSpecResourcesRequests.fromString(component.storageSize) },
        },
      },
    }],
  };
}

function wrapQuantities<T>(quantities: { cpu: string; memory: string }, wrap: (value: string) => T): Record<string, T> {
  return { cpu: wrap(quantities.cpu), memory: wrap(quantities.memory) };
}

/** The spread as a plain Kubernetes pod anti-affinity over the component's own pods (1.0 has no shorthand). */
function spreadAntiAffinity(spread: ResolvedSpread, labelSelector: object): Record<string, object[]> {
  if (spread.antiAffinity === 'None' || spread.topologyKeys.length === 0) return {};
  const terms = spread.topologyKeys.map((topologyKey) => ({ labelSelector, topologyKey }));
  return spread.antiAffinity === 'Required'
    ? { requiredDuringSchedulingIgnoredDuringExecution: terms }
    : { preferredDuringSchedulingIgnoredDuringExecution: terms.map((podAffinityTerm) => ({ weight: PREFERRED_WEIGHT, podAffinityTerm })) };
}

/**
 * A component's scheduling policy: its `scheduling` settings with the spread's anti-affinity terms joined to any the
 * settings give. Written as KubeBlocks' `schedulingPolicy`, which replaces the pods' own fields.
 */
function schedulingPolicy(model: ClusterModel, component: ComponentModel): Record<string, unknown> | undefined {
  const labels = { [INSTANCE_LABEL]: model.name, [COMPONENT_LABEL]: component.name };
  const scheduling = component.scheduling ?? {};
  const spread = spreadAntiAffinity(model.spread, { matchLabels: labels });
  const given = scheduling.affinity?.podAntiAffinity ?? {};
  const podAntiAffinity = Object.fromEntries(['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution']
    .map((key) => [key, [...(spread[key] ?? []), ...(given[key] ?? [])]]).filter(([, terms]) => (terms as object[]).length > 0));
  const affinity = { ...scheduling.affinity, ...(Object.keys(podAntiAffinity).length > 0 ? { podAntiAffinity } : {}) };
  const policy: Record<string, unknown> = {
    ...(scheduling.nodeSelector ? { nodeSelector: scheduling.nodeSelector } : {}),
    ...(scheduling.tolerations ? { tolerations: scheduling.tolerations } : {}),
    ...(Object.keys(affinity).length > 0 ? { affinity } : {}),
    ...(scheduling.topologySpreadConstraints ? {
      topologySpreadConstraints: scheduling.topologySpreadConstraints.map((constraint) => ({ labelSelector: { matchLabels: labels }, ...constraint })),
    } : {}),
  };
  return Object.keys(policy).length > 0 ? policy : undefined;
}

// ----------------------------------------------------------------------------------------- 0.9: apps/v1alpha1

/**
 * With `scheduling` on any component, every component gets a `schedulingPolicy` (spread included) and the legacy
 * `affinity` shorthand is left out: KubeBlocks 0.9 ignores it as soon as a scheduling policy is set.
 */
function renderV1alpha1(scope: Construct, id: string, model: ClusterModel): ApiObject {
  const withPolicies = model.components.some((component) => component.scheduling !== undefined);
  const topologyForm = model.definition.v1alpha1Form === 'topology';
  return new kb09.Cluster(scope, id, {
    metadata: metadataOf(model),
    spec: {
      backup: model.backup,
      affinity: withPolicies ? undefined : v1alpha1Affinity(model.spread),
      clusterDefinitionRef: model.definition.clusterDefinitionRef,
      ...(topologyForm
        ? { topology: model.definition.topology }
        : { clusterVersionRef: clusterVersionName(model.definition, model.version) }),
      componentSpecs: model.components.map((component) => ({
        ...v1alpha1Component(component, topologyForm ? model.version : undefined),
        // The deprecated `monitor` means !disableExporter; with monitoring on, only the current field is written.
        ...(model.exporters ? { monitor: undefined, disableExporter: false } : {}),
        ...(withPolicies ? { schedulingPolicy: schedulingPolicy(model, component) as kb09.ClusterSpecComponentSpecsSchedulingPolicy | undefined } : {}),
      })),
      terminationPolicy: model.terminationPolicy as kb09.ClusterSpecTerminationPolicy,
    },
  });
}

/** 0.9's own shorthand, which KubeBlocks expands per component. */
function v1alpha1Affinity(spread: ResolvedSpread): kb09.ClusterSpecAffinity | undefined {
  if (spread.antiAffinity === 'None') return undefined;
  return {
    podAntiAffinity: spread.antiAffinity as kb09.ClusterSpecAffinityPodAntiAffinity,
    tenancy: kb09.ClusterSpecAffinityTenancy.SHARED_NODE,
    topologyKeys: spread.topologyKeys.length > 0 ? [...spread.topologyKeys] : undefined,
  };
}

/** A 0.9 component: pointing at its definition by name, or (topology form) pinned to `serviceVersion` alone. */
function v1alpha1Component(component: ComponentModel, serviceVersion: string | undefined): kb09.ClusterSpecComponentSpecs {
  const legacy = component.legacy;
  const volume = dataVolume(component);
  return {
    name: component.name,
    ...(serviceVersion === undefined ? { [legacy.definitionField]: component.definitionName } : { serviceVersion }),
    enabledLogs: legacy.enabledLogs ? [...legacy.enabledLogs] : undefined,
    monitor: legacy.monitor,
    switchPolicy: legacy.switchPolicy ? { type: legacy.switchPolicy as kb09.ClusterSpecComponentSpecsSwitchPolicyType } : undefined,
    serviceAccountName: legacy.serviceAccountName,
    replicas: component.replicas,
    resources: {
      requests: wrapQuantities(component.resources.requests, kb09.ClusterSpecComponentSpecsResourcesRequests.fromString),
      limits: wrapQuantities(component.resources.limits, kb09.ClusterSpecComponentSpecsResourcesLimits.fromString),
    },
    volumeClaimTemplates: [{
      name: volume.name,
      spec: {
        ...volume.spec,
        resources: {
          requests: { storage: kb09.ClusterSpecComponentSpecsVolumeClaimTemplatesSpecResourcesRequests.fromString(component.storageSize) },
        },
      },
    }],
  };
}
