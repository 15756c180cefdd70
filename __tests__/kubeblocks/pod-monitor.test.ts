/** Monitoring: the exporters switched on, and a PodMonitor per database as the addons' examples write it. */
import { Manifest, synthPlatform } from '../helpers/synth';

const monitors = (objects: Manifest[]) => objects.filter((o) => o.kind === 'PodMonitor');

describe('monitoring', () => {
  test('is off by default: no PodMonitor, exporters as the addons set them', () => {
    const objects = synthPlatform();

    expect(monitors(objects)).toEqual([]);
    for (const cluster of objects.filter((o) => o.kind === 'Cluster')) {
      expect(cluster.spec.componentSpecs.map((c: any) => c.disableExporter)).toEqual(cluster.spec.componentSpecs.map(() => undefined));
    }
  });

  test('on KubeBlocks 1.0, every database gets a PodMonitor of its main component\'s metrics ports, with the Prometheus labels', () => {
    const objects = synthPlatform({ monitoring: { podMonitors: true } });

    expect(monitors(objects).map((m) => [m.metadata.name, m.metadata.labels, m.spec.podMetricsEndpoints.map((e: any) => e.port), m.spec.selector.matchLabels]))
      .toEqual([
        ['postgresql-postgresql', { release: 'prometheus' }, ['http-metrics', 'patroni'], { 'app.kubernetes.io/instance': 'postgresql', 'apps.kubeblocks.io/component-name': 'postgresql' }],
        ['redis-redis', { release: 'prometheus' }, ['http-metrics'], { 'app.kubernetes.io/instance': 'redis', 'apps.kubeblocks.io/component-name': 'redis' }],
        ['qdrant-qdrant', { release: 'prometheus' }, ['tcp-qdrant'], { 'app.kubernetes.io/instance': 'qdrant', 'apps.kubeblocks.io/component-name': 'qdrant' }],
      ]);
    for (const cluster of objects.filter((o) => o.kind === 'Cluster')) {
      expect(cluster.spec.componentSpecs.map((c: any) => c.disableExporter)).toEqual(cluster.spec.componentSpecs.map(() => false));
    }
  });

  test('takes the labels your Prometheus selects', () => {
    expect(monitors(synthPlatform({ monitoring: { podMonitors: true, labels: { 'monitoring.example.com/scrape': 'dify' } } }))[0].metadata.labels)
      .toEqual({ 'monitoring.example.com/scrape': 'dify' });
  });

  test('on 0.9, Redis has no exporter to watch, and the exporters are switched on with the current field', () => {
    const objects = synthPlatform({ kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' }, monitoring: { podMonitors: true } });

    expect(monitors(objects).map((m) => m.metadata.name)).toEqual(['postgresql-postgresql', 'qdrant-qdrant']);
    const pg = objects.find((o) => o.kind === 'Cluster' && o.metadata.name === 'postgresql')!;
    expect(pg.spec.componentSpecs[0]).toMatchObject({ disableExporter: false });
    expect(pg.spec.componentSpecs[0].monitor).toBeUndefined();
  });
});
