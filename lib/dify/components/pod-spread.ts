/**
 * Private helper: where the replicas of a serving Dify component go by default, as the databases' do (a preferred
 * anti-affinity by node, render-cluster.ts), plus a spread over nodes and zones. Every rule is a preference: a
 * single node, or nodes without a zone label, still take every pod.
 *
 * Both are written because each covers a case the other does not. A pod's own spread constraints replace the
 * scheduler's system defaults, and while scoring them the scheduler ignores every node that lacks any of their
 * topology keys (kubernetes v1.34.4 `pkg/scheduler/framework/plugins/podtopologyspread/scoring.go`,
 * `initPreScoreState`): on nodes without `topology.kubernetes.io/zone` the constraints weigh nothing, and the
 * anti-affinity by hostname still keeps replicas apart. Where zones are labelled, the constraints also even them out.
 */
import * as k8s from '../../k8s';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/** As the databases' preferred anti-affinity: the strongest preference, still not a rule. */
const PREFERRED_WEIGHT = 100;

/** The spread and anti-affinity of the pods `selector` matches: one component's own, never another's. */
export function spreadPlacement(selector: Readonly<Record<string, string>>): Pick<k8s.PodSpec, 'topologySpreadConstraints' | 'affinity'> {
  const labelSelector = { matchLabels: { ...selector } };
  return {
    topologySpreadConstraints: [HOSTNAME, ZONE].map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector })),
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: PREFERRED_WEIGHT, podAffinityTerm: { labelSelector, topologyKey: HOSTNAME } }],
      },
    },
  };
}
