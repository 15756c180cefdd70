import { fieldChanges } from '../../lib/guard-rails/field-diff';
import { podRollout } from '../../lib/guard-rails/pod-rollout';

const template = (labels: Record<string, string>, image = 'a:1') => ({ spec: { replicas: 1, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } } } });

describe('which changes restart pods', () => {
  test.each(['Deployment', 'StatefulSet', 'DaemonSet'])('a %s rolls its pods on any change of its template, a label alone too, not on its own labels or replicas', (kind) => {
    expect(podRollout(kind, fieldChanges(template({ a: '1' }), template({ a: '2' })))).toBe('rolls pods');
    expect(podRollout(kind, fieldChanges(template({}), template({}, 'a:2')))).toBe('rolls pods');
    expect(podRollout(kind, fieldChanges({ metadata: { labels: { a: '1' } }, spec: { replicas: 1 } }, { metadata: { labels: { a: '2' } }, spec: { replicas: 3 } }))).toBeUndefined();
  });

  test('a Job\'s template change is a new Job', () => {
    expect(podRollout('Job', fieldChanges(template({}), template({}, 'a:2')))).toBe('a new Job: its pod template cannot change in place');
  });

  test('a Cluster restarts its pods for an image, resources, env or scheduling; not for replicas, storage, tolerations or its termination policy', () => {
    const cluster = (component: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({ spec: { terminationPolicy: 'Delete', ...spec, componentSpecs: [{ name: 'postgresql', replicas: 2, ...component }] } });
    const restarts = (before: object, after: object) => podRollout('Cluster', fieldChanges(before, after));
    expect(restarts(cluster({ serviceVersion: '16.4.0' }), cluster({ serviceVersion: '16.9.0' }))).toBe('restarts pods, one at a time');
    expect(restarts(cluster({ resources: { limits: { cpu: '1' } } }), cluster({ resources: { limits: { cpu: '2' } } }))).toBe('restarts pods, one at a time');
    expect(restarts(cluster({}), cluster({ env: [{ name: 'A', value: '1' }] }))).toBe('restarts pods, one at a time');
    expect(restarts(cluster({}, { clusterVersionRef: 'postgresql-14.7.2' }), cluster({}, { clusterVersionRef: 'postgresql-14.8.0' }))).toBe('restarts pods, one at a time');
    expect(restarts(cluster({ replicas: 2 }), cluster({ replicas: 3 }))).toBeUndefined();
    expect(restarts(cluster({ volumeClaimTemplates: [{ name: 'data', spec: { resources: { requests: { storage: '20Gi' } } } }] }),
      cluster({ volumeClaimTemplates: [{ name: 'data', spec: { resources: { requests: { storage: '30Gi' } } } }] }))).toBeUndefined();
    expect(restarts(cluster({ schedulingPolicy: { tolerations: [] } }), cluster({ schedulingPolicy: { tolerations: [{ key: 'a', operator: 'Exists' }] } }))).toBeUndefined();
    expect(restarts(cluster({}), cluster({}, { terminationPolicy: 'WipeOut' }))).toBeUndefined();
  });
});
