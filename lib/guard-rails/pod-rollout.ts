/**
 * Which changes replace or restart running pods: what a reviewer needs named before merging, since a rollout is a
 * moment of reduced capacity (and, for a database, a switchover). Decided from the changed fields alone.
 */
import { FieldChange } from './field-diff';

/** The workloads whose pods follow `spec.template`: any change under it rolls them, labels and annotations too. */
const WORKLOADS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/**
 * The fields of a KubeBlocks Cluster that reach its pods' spec and make KubeBlocks' InstanceSet update them: an image
 * (serviceVersion, a 0.9 ClusterVersion, another component definition) is updated in place, which restarts the
 * container; resources recreate the pod unless the InPlacePodVerticalScaling gate is on (then it is resized);
 * anything else of the pod spec (env, scheduling, volumes, config templates) recreates it. Labels, annotations and
 * tolerations are updated in place without a restart, and replicas add or remove pods without touching the others:
 * neither is listed. kubeblocks v1.0.2 and v0.9.5 pkg/controller/instanceset/in_place_update_util.go
 * (filterInPlaceFields, getPodUpdatePolicy).
 */
const CLUSTER_POD_FIELDS = /^spec\.(clusterVersionRef|affinity|schedulingPolicy|componentSpecs\[[^\]]+\]\.(serviceVersion|componentDef|componentDefRef|resources|env|schedulingPolicy|affinity|configs|volumes|serviceAccountName))(\.|\[|$)/;

/** Why the change restarts or replaces pods, in a few words, or undefined when it does not. */
export function podRollout(kind: string | undefined, fields: readonly FieldChange[]): string | undefined {
  // Tolerations are added to running pods in place (both release lines' filterInPlaceFields), Deployments aside.
  const under = (pattern: RegExp) => fields.some((field) => pattern.test(field.path) && (kind !== 'Cluster' || !/\.tolerations(\.|\[|$)/.test(field.path)));
  if (WORKLOADS.has(kind ?? '') && under(/^spec\.template(\.|\[|$)/)) return 'rolls pods';
  // A Job's template cannot change (the API server refuses it): the change is a new Job, run again.
  if (kind === 'Job' && under(/^spec\.template(\.|\[|$)/)) return 'a new Job: its pod template cannot change in place';
  if (kind === 'Cluster' && under(CLUSTER_POD_FIELDS)) return 'restarts pods, one at a time';
  return undefined;
}
