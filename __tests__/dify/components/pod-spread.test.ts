/**
 * The serving components' replicas kept apart by default (node and zone, preferences only), each over its own pods,
 * and the pod settings that replace or refine it.
 */
import { allPodSpecs, byKindAndName, podSpec } from '../../helpers/dify';
import { Manifest, synthPlatform } from '../../helpers/synth';

const SPREAD = ['api', 'web', 'worker', 'plugin-daemon', 'api-websocket', 'agent-backend'];
const own = (component: string) => ({ matchLabels: { 'app.kubernetes.io/name': 'dify', 'app.kubernetes.io/component': component } });

/** Whether a label selector's matchLabels select a pod with these labels. */
const selects = (selector: any, labels: Record<string, string>) => Object.entries(selector.matchLabels).every(([key, value]) => labels[key] === value);

describe('Dify pods spread by default', () => {
  const objects = synthPlatform({ dify: { collaboration: { enabled: true }, agent: { enabled: true } } });
  const deployment = (component: string) => byKindAndName(objects, 'Deployment', `dify-${component}`);

  test.each(SPREAD)('%s: over nodes and zones, preferring a node without another of its pods, never refusing to schedule', (component) => {
    const spec = podSpec(deployment(component));

    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: own(component) },
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: own(component) },
    ]);
    expect(spec.affinity).toEqual({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 100, podAffinityTerm: { labelSelector: own(component), topologyKey: 'kubernetes.io/hostname' } }] } });
  });

  test('each selector matches its component\'s pods and no other pod of the platform', () => {
    const pods: [string, Record<string, string>][] = objects.filter((o: Manifest) => ['Deployment', 'Job'].includes(o.kind))
      .map((o) => [`${o.kind}/${o.metadata.name}`, o.spec.template.metadata.labels]);
    for (const component of SPREAD) {
      const spec = podSpec(deployment(component));
      const selectors = [...spec.topologySpreadConstraints.map((c: any) => c.labelSelector),
        spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector];
      for (const selector of selectors) {
        expect(pods.filter(([, labels]) => selects(selector, labels)).map(([where]) => where)).toEqual([`Deployment/dify-${component}`]);
      }
    }
  });

  test('only those: beat, the sandboxes, the proxies and the Jobs are left to the scheduler\'s defaults', () => {
    const placed = allPodSpecs(objects).filter(([, spec]) => spec.topologySpreadConstraints || spec.affinity).map(([where]) => where);

    expect(placed.sort()).toEqual(SPREAD.map((component) => `Deployment/dify-${component}`).sort());
  });
});

describe('the pod settings over the default spread', () => {
  test('topologySpreadConstraints replace it, and an empty list leaves the scheduler\'s defaults', () => {
    const objects = synthPlatform({ dify: { pods: { topologySpreadConstraints: [] }, web: { topologySpreadConstraints: [{ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }] } } });

    expect(podSpec(byKindAndName(objects, 'Deployment', 'dify-api'))).not.toHaveProperty('topologySpreadConstraints');
    expect(podSpec(byKindAndName(objects, 'Deployment', 'dify-web')).topologySpreadConstraints).toEqual([
      { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: own('web') }]);
  });

  test('affinity is merged key by key: a node affinity keeps the anti-affinity, podAntiAffinity: {} drops it', () => {
    const nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['dify'] }] }] } };
    const objects = synthPlatform({ dify: { pods: { affinity: { nodeAffinity } }, worker: { affinity: { podAntiAffinity: {} } } } });
    const api = podSpec(byKindAndName(objects, 'Deployment', 'dify-api'));

    expect(api.affinity.nodeAffinity).toEqual(nodeAffinity);
    expect(api.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector).toEqual(own('api'));
    expect(podSpec(byKindAndName(objects, 'Deployment', 'dify-worker'))).not.toHaveProperty('affinity');
    expect(podSpec(byKindAndName(objects, 'Deployment', 'dify-sandbox')).affinity).toEqual({ nodeAffinity });
  });
});
