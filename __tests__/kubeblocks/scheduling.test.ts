/** Data-tier scheduling: where KubeBlocks reads it on each release line, joined with the spread setting. */
import { Manifest, synthPlatform } from '../helpers/synth';
import { EVERY_REMAINING_SETTING } from '../helpers/platforms';

const DB_NODES = { nodeSelector: { 'node-role.example.com/db': 'true' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] };

const cluster = (objects: Manifest[], name: string) => objects.find((o) => o.kind === 'Cluster' && o.metadata.name === name)!;

describe('data-tier scheduling on KubeBlocks 1.0', () => {
  const objects = synthPlatform(EVERY_REMAINING_SETTING);

  test('is each component\'s schedulingPolicy, with the spread\'s anti-affinity kept', () => {
    const policy = cluster(objects, 'postgresql').spec.componentSpecs[0].schedulingPolicy;

    expect(policy.nodeSelector).toEqual({ 'node-role.example.com/db': 'true' });
    expect(policy.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }]);
    expect(policy.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toHaveLength(1);
    expect(policy.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels)
      .toEqual({ 'app.kubernetes.io/instance': 'postgresql', 'apps.kubeblocks.io/component-name': 'postgresql' });
    expect(policy.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'postgresql', 'apps.kubeblocks.io/component-name': 'postgresql' });
  });

  test('anti-affinity terms given are joined with the spread\'s, not replacing them', () => {
    const terms = cluster(objects, 'qdrant').spec.componentSpecs[0].schedulingPolicy.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;

    expect(terms.map((term: any) => [term.weight, term.podAffinityTerm.topologyKey])).toEqual([[100, 'kubernetes.io/hostname'], [50, 'topology.kubernetes.io/zone']]);
  });

  test('the sentinels follow Redis\'s scheduling when they have none of their own', () => {
    const [data, sentinel] = cluster(synthPlatform({ redis: { scheduling: DB_NODES } }), 'redis').spec.componentSpecs;

    expect(sentinel.schedulingPolicy.nodeSelector).toEqual(DB_NODES.nodeSelector);
    expect(sentinel.schedulingPolicy.tolerations).toEqual(DB_NODES.tolerations);
    expect(data.schedulingPolicy.nodeSelector).toEqual(DB_NODES.nodeSelector);
  });

  test('the sentinels have their own', () => {
    const [data, sentinel] = cluster(objects, 'redis').spec.componentSpecs;

    expect(data.schedulingPolicy.nodeSelector).toEqual({ 'node-role.example.com/db': 'true' });
    expect(sentinel.schedulingPolicy.nodeSelector).toEqual({ 'node-role.example.com/sentinel': 'true' });
    expect(sentinel.schedulingPolicy.tolerations).toBeUndefined();
  });
});

describe('data-tier scheduling on KubeBlocks 0.9', () => {
  test('gives every component a schedulingPolicy, spread included, and drops the shorthand KubeBlocks then ignores', () => {
    const pg = cluster(synthPlatform({ kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' }, postgresql: { scheduling: { nodeSelector: { db: 'true' } } } }), 'postgresql');

    expect(pg.spec.affinity).toBeUndefined();
    expect(pg.spec.componentSpecs[0].schedulingPolicy).toMatchObject({ nodeSelector: { db: 'true' }, affinity: { podAntiAffinity: expect.any(Object) } });
  });

  test('the sentinels follow Redis\'s scheduling, their spread over their own pods', () => {
    const [, sentinel] = cluster(synthPlatform({ kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' }, redis: { scheduling: DB_NODES } }), 'redis').spec.componentSpecs;

    expect(sentinel.schedulingPolicy).toMatchObject({ nodeSelector: DB_NODES.nodeSelector, tolerations: DB_NODES.tolerations });
    expect(sentinel.schedulingPolicy.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels)
      .toEqual({ 'app.kubernetes.io/instance': 'redis', 'apps.kubeblocks.io/component-name': 'redis-sentinel' });
  });

  test('without it, the cluster is written as before (the seed\'s shorthand)', () => {
    const pg = cluster(synthPlatform({ kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' } }), 'postgresql');

    expect(pg.spec.affinity).toMatchObject({ podAntiAffinity: 'Preferred' });
    expect(pg.spec.componentSpecs[0].schedulingPolicy).toBeUndefined();
  });
});
