import { RedisCluster, RedisClusterProps } from '../../lib';
import { onlyCluster, testChart } from '../helpers/synth';

describe('RedisCluster on KubeBlocks 1.0', () => {
  test('minimal props give a data component and three sentinels on the same pinned version', () => {
    const chart = testChart();
    new RedisCluster(chart, 'redis', { namespace: 'dify' });
    const cluster = onlyCluster(chart);
    const [data, sentinel] = cluster.spec.componentSpecs;

    expect(cluster.apiVersion).toBe('apps.kubeblocks.io/v1');
    expect(cluster.spec).toMatchObject({ clusterDef: 'redis', topology: 'replication', terminationPolicy: 'DoNotTerminate' });
    expect(data).toMatchObject({ name: 'redis', replicas: 2, serviceVersion: '7.2.12' });
    expect(data.resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(sentinel).toMatchObject({ name: 'redis-sentinel', replicas: 3, serviceVersion: '7.2.12' });
    expect(sentinel.resources.limits).toEqual({ cpu: '200m', memory: '256Mi' });
    expect(sentinel.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
  });

  test('each component spreads over its own pods only', () => {
    const chart = testChart();
    new RedisCluster(chart, 'redis', { namespace: 'dify' });
    const selectors = onlyCluster(chart).spec.componentSpecs.map((component: any) =>
      component.schedulingPolicy.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]
        .podAffinityTerm.labelSelector.matchLabels['apps.kubeblocks.io/component-name']);

    expect(selectors).toEqual(['redis', 'redis-sentinel']);
  });

  test('every prop reaches the cluster, sentinel settings apart from the data settings', () => {
    const props: Required<RedisClusterProps> = {
      namespace: 'prod',
      releaseLine: '1.0',
      name: 'cache',
      version: '7.4.7',
      replicas: 3,
      resources: { requests: { cpu: '1', memory: '4Gi' } },
      storage: { size: '50Gi', storageClass: 'fast' },
      terminationPolicy: 'Delete',
      spread: { antiAffinity: 'Required' },
      componentName: 'redis',
      scheduling: { nodeSelector: { 'node-role.example.com/db': 'true' } },
      monitoring: { labels: { release: 'prometheus' } },
      backup: { schedule: '0 3 * * *' },
      restoreFrom: { backup: 'nightly' },
      sentinel: { replicas: 5, resources: { requests: { cpu: '100m', memory: '128Mi' } }, storage: { size: '2Gi' }, componentName: 'redis-sentinel',
        scheduling: { nodeSelector: { 'node-role.example.com/sentinel': 'true' } } },
    };
    const chart = testChart();
    new RedisCluster(chart, 'redis', props);
    const [data, sentinel] = onlyCluster(chart).spec.componentSpecs;

    expect(data).toMatchObject({ replicas: 3, serviceVersion: '7.4.7', resources: { limits: { cpu: '1', memory: '4Gi' } } });
    expect(data.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '50Gi' } } });
    expect(sentinel).toMatchObject({ replicas: 5, resources: { requests: { cpu: '100m', memory: '128Mi' } } });
    expect(sentinel.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('2Gi');
    expect(data.schedulingPolicy.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(data.schedulingPolicy.nodeSelector).toEqual({ 'node-role.example.com/db': 'true' });
    expect(sentinel.schedulingPolicy.nodeSelector).toEqual({ 'node-role.example.com/sentinel': 'true' });
  });

  test('the connection names the primary Service, the account Secrets and every sentinel', () => {
    const redis = new RedisCluster(testChart(), 'redis', { namespace: 'dify', name: 'cache', sentinel: { replicas: 3 } });

    expect(redis.connection).toEqual({
      origin: 'platform',
      clusterName: 'cache',
      namespace: 'dify',
      host: 'cache-redis-redis',
      port: 6379,
      username: { name: 'cache-redis-account-default', key: 'username' },
      password: { name: 'cache-redis-account-default', key: 'password' },
      sentinel: {
        endpoints: [0, 1, 2].map((i) => `cache-redis-sentinel-${i}.cache-redis-sentinel-headless.dify.svc:26379`),
        serviceHost: 'cache-redis-sentinel-redis-sentinel',
        port: 26379,
        masterName: 'cache-redis',
        password: { name: 'cache-redis-sentinel-account-default', key: 'password' },
      },
    });
  });
});

describe('RedisCluster on KubeBlocks 0.9', () => {
  /**
   * What KubeBlocks v0.9.5 does with such a Cluster (transformer_cluster_load_resources.go): components that do not
   * set componentDefRef take the topology path, where an empty topology is the ClusterDefinition's default, and a
   * component missing from that topology stops reconciliation for good. The redis addon's topologies (v0.9.5
   * addons/redis/templates/clusterdefinition.yaml), component names only.
   */
  const REDIS_ADDON_TOPOLOGIES: Record<string, string[]> = { standalone: ['redis'], replication: ['redis', 'redis-sentinel'] };
  const DEFAULT_TOPOLOGY = 'standalone';

  function operatorRefusal(spec: { topology?: string; componentSpecs: { name: string; componentDefRef?: string }[] }): string | undefined {
    const topologyPath = spec.componentSpecs.every((component) => component.componentDefRef === undefined);
    if (!topologyPath) return undefined;
    const topology = spec.topology || DEFAULT_TOPOLOGY;
    const names = REDIS_ADDON_TOPOLOGIES[topology];
    if (!names) return `specified cluster topology not found: ${topology}`;
    const missing = spec.componentSpecs.find((component) => !names.includes(component.name));
    return missing && `component ${missing.name} not defined in topology ${topology}`;
  }

  test('it names the replication topology and pins each component by serviceVersion, so the operator can reconcile it', () => {
    const chart = testChart();
    new RedisCluster(chart, 'redis', { namespace: 'default', releaseLine: '0.9' });
    const cluster = onlyCluster(chart);
    const [data, sentinel] = cluster.spec.componentSpecs;

    expect(cluster.apiVersion).toBe('apps.kubeblocks.io/v1alpha1');
    expect(operatorRefusal(cluster.spec)).toBeUndefined();
    expect(cluster.spec).toMatchObject({ clusterDefinitionRef: 'redis', topology: 'replication' });
    // clusterVersionRef is ignored on this path, and `componentDef: redis` would be a prefix of every definition.
    expect(cluster.spec.clusterVersionRef).toBeUndefined();
    expect(data).toMatchObject({ name: 'redis', serviceVersion: '7.0.6', enabledLogs: ['running'], monitor: false });
    expect(sentinel).toMatchObject({ name: 'redis-sentinel', serviceVersion: '7.0.6' });
    expect(data.componentDef).toBeUndefined();
    expect(sentinel.componentDef).toBeUndefined();
    expect(sentinel.enabledLogs).toBeUndefined();
  });

  test('the seed\'s own Redis object is one the operator cannot reconcile (why the platform does not copy it)', () => {
    const seed = { clusterDefinitionRef: 'redis', clusterVersionRef: 'redis-7.0.6',
      componentSpecs: [{ name: 'redis', componentDef: 'redis' }, { name: 'redis-sentinel', componentDef: 'redis-sentinel' }] };
    expect(operatorRefusal(seed)).toBe('component redis-sentinel not defined in topology standalone');
  });

  test('its components keep the componentDef names (the same ComponentDefinitions), as the seed reads redis-redis-account-default', () => {
    const redis = new RedisCluster(testChart(), 'redis', { namespace: 'default', releaseLine: '0.9' });

    expect(redis.connection.host).toBe('redis-redis-redis');
    expect(redis.connection.password.name).toBe('redis-redis-account-default');
  });
});
