import { PostgresqlCluster, PostgresqlClusterProps } from '../../lib';
import { onlyCluster, testChart } from '../helpers/synth';

describe('PostgresqlCluster on KubeBlocks 1.0', () => {
  test('minimal props give a pinned two-replica replication cluster that refuses deletion', () => {
    const chart = testChart();
    new PostgresqlCluster(chart, 'pg', { namespace: 'dify' });
    const cluster = onlyCluster(chart);

    expect(cluster.apiVersion).toBe('apps.kubeblocks.io/v1');
    expect(cluster.metadata).toEqual({ name: 'postgresql', namespace: 'dify' });
    expect(cluster.spec.clusterDef).toBe('postgresql');
    expect(cluster.spec.topology).toBe('replication');
    expect(cluster.spec.terminationPolicy).toBe('DoNotTerminate');
    const [component] = cluster.spec.componentSpecs;
    expect(component.name).toBe('postgresql');
    expect(component.serviceVersion).toBe('16.9.0');
    expect(component.replicas).toBe(2);
    expect(component.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } });
    expect(component.volumeClaimTemplates).toEqual([
      { name: 'data', spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } },
    ]);
  });

  test('replicas prefer different nodes through a pod anti-affinity on their own component', () => {
    const chart = testChart();
    new PostgresqlCluster(chart, 'pg', { namespace: 'dify', name: 'meta' });
    const [component] = onlyCluster(chart).spec.componentSpecs;

    expect(component.schedulingPolicy.affinity.podAntiAffinity).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: [{
        weight: 100,
        podAffinityTerm: {
          labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'meta', 'apps.kubeblocks.io/component-name': 'postgresql' } },
          topologyKey: 'kubernetes.io/hostname',
        },
      }],
    });
  });

  test('every prop reaches the cluster', () => {
    const props: Required<PostgresqlClusterProps> = {
      namespace: 'prod',
      releaseLine: '1.0',
      name: 'meta',
      version: '17.5.0',
      replicas: 3,
      resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' } },
      storage: { size: '100Gi', storageClass: 'fast-ssd' },
      terminationPolicy: 'WipeOut',
      spread: { antiAffinity: 'Required', topologyKeys: ['topology.kubernetes.io/zone'] },
      componentName: 'postgresql',
      scheduling: { nodeSelector: { 'node-role.example.com/db': 'true' } },
      monitoring: { labels: { release: 'prometheus' } },
      backup: { schedule: '0 3 * * *' },
      restoreFrom: { backup: 'nightly' },
    };
    const chart = testChart();
    new PostgresqlCluster(chart, 'pg', props);
    const cluster = onlyCluster(chart);
    const [component] = cluster.spec.componentSpecs;

    expect(component.schedulingPolicy.nodeSelector).toEqual({ 'node-role.example.com/db': 'true' });

    expect(cluster.metadata).toEqual({ name: 'meta', namespace: 'prod', annotations: {
      'kubeblocks.io/restore-from-backup': '{"postgresql":{"name":"nightly","namespace":"prod","volumeRestorePolicy":"Parallel"}}' } });
    expect(cluster.spec.backup).toMatchObject({ method: 'pg-basebackup', cronExpression: '0 3 * * *' });
    expect(cluster.spec.terminationPolicy).toBe('WipeOut');
    expect(component.serviceVersion).toBe('17.5.0');
    expect(component.replicas).toBe(3);
    expect(component.resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' } });
    expect(component.volumeClaimTemplates[0].spec.storageClassName).toBe('fast-ssd');
    expect(component.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
    expect(component.schedulingPolicy.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution)
      .toEqual([expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone' })]);
  });

  test('a side of the resources that is left out takes the other side', () => {
    const chart = testChart();
    new PostgresqlCluster(chart, 'pg', { namespace: 'dify', resources: { limits: { cpu: '3' } } });
    const [component] = onlyCluster(chart).spec.componentSpecs;

    expect(component.resources).toEqual({ requests: { cpu: '3', memory: '2Gi' }, limits: { cpu: '3', memory: '2Gi' } });
  });

  test('no spread leaves scheduling to Kubernetes', () => {
    const chart = testChart();
    new PostgresqlCluster(chart, 'pg', { namespace: 'dify', spread: { antiAffinity: 'None' } });

    expect(onlyCluster(chart).spec.componentSpecs[0].schedulingPolicy).toBeUndefined();
  });

  test('the connection names the primary Service and the postgres account Secret', () => {
    const pg = new PostgresqlCluster(testChart(), 'pg', { namespace: 'dify', name: 'meta' });

    expect(pg.connection).toEqual({
      origin: 'platform',
      clusterName: 'meta',
      namespace: 'dify',
      host: 'meta-postgresql-postgresql',
      port: 5432,
      superuser: {
        username: { name: 'meta-postgresql-account-postgres', key: 'username' },
        password: { name: 'meta-postgresql-account-postgres', key: 'password' },
      },
    });
  });
});

describe('PostgresqlCluster on KubeBlocks 0.9', () => {
  test('it names a ClusterVersion and the legacy component definition, as kbcli does', () => {
    const chart = testChart();
    new PostgresqlCluster(chart, 'pg', { namespace: 'dify', releaseLine: '0.9', version: '14.8.0' });
    const cluster = onlyCluster(chart);
    const [component] = cluster.spec.componentSpecs;

    expect(cluster.apiVersion).toBe('apps.kubeblocks.io/v1alpha1');
    expect(cluster.spec.clusterDefinitionRef).toBe('postgresql');
    expect(cluster.spec.clusterVersionRef).toBe('postgresql-14.8.0');
    expect(cluster.spec.affinity).toEqual({ podAntiAffinity: 'Preferred', tenancy: 'SharedNode', topologyKeys: ['kubernetes.io/hostname'] });
    expect(component.componentDefRef).toBe('postgresql');
    expect(component.serviceVersion).toBeUndefined();
    expect(component.switchPolicy).toEqual({ type: 'Noop' });
  });

  test('the connection uses the legacy Service and conn-credential Secret', () => {
    const pg = new PostgresqlCluster(testChart(), 'pg', { namespace: 'default', releaseLine: '0.9' });

    expect(pg.connection.host).toBe('postgresql-postgresql');
    expect(pg.connection.superuser.password).toEqual({ name: 'postgresql-conn-credential', key: 'password' });
  });
});
