import { QdrantCluster, QdrantClusterProps } from '../../lib';
import { onlyCluster, testChart } from '../helpers/synth';

describe('QdrantCluster on KubeBlocks 1.0', () => {
  test('minimal props give a three-peer cluster topology on a pinned version', () => {
    const chart = testChart();
    new QdrantCluster(chart, 'qdrant', { namespace: 'dify' });
    const cluster = onlyCluster(chart);
    const [component] = cluster.spec.componentSpecs;

    expect(cluster.apiVersion).toBe('apps.kubeblocks.io/v1');
    expect(cluster.spec).toMatchObject({ clusterDef: 'qdrant', topology: 'cluster', terminationPolicy: 'DoNotTerminate' });
    expect(component).toMatchObject({ name: 'qdrant', replicas: 3, serviceVersion: '1.15.4' });
    expect(component.resources.requests).toEqual({ cpu: '1', memory: '2Gi' });
    expect(component.serviceAccountName).toBeUndefined();
  });

  test('every prop reaches the cluster', () => {
    const props: Required<QdrantClusterProps> = {
      namespace: 'prod',
      releaseLine: '1.0',
      name: 'vectors',
      version: '1.13.4',
      replicas: 5,
      resources: { requests: { cpu: '4', memory: '16Gi' } },
      storage: { size: '200Gi', storageClass: 'fast' },
      terminationPolicy: 'Delete',
      spread: { antiAffinity: 'Preferred', topologyKeys: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'] },
      componentName: 'qdrant',
      scheduling: { nodeSelector: { 'node-role.example.com/db': 'true' } },
      monitoring: { labels: { release: 'prometheus' } },
      backup: { schedule: '0 3 * * *' },
      restoreFrom: { backup: 'nightly' },
      replicationFactor: 3,
    };
    const chart = testChart();
    const qdrant = new QdrantCluster(chart, 'qdrant', props);
    const [component] = onlyCluster(chart).spec.componentSpecs;

    expect(component.schedulingPolicy.nodeSelector).toEqual({ 'node-role.example.com/db': 'true' });

    expect(qdrant.connection.replicationFactor).toBe(3);
    expect(component).toMatchObject({ replicas: 5, serviceVersion: '1.13.4', resources: { limits: { memory: '16Gi' } } });
    expect(component.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '200Gi' } } });
    expect(component.schedulingPolicy.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(2);
  });

  test('the connection gives the HTTP URL and the gRPC port', () => {
    const qdrant = new QdrantCluster(testChart(), 'qdrant', { namespace: 'dify', name: 'vectors' });

    expect(qdrant.connection).toEqual({
      origin: 'platform',
      clusterName: 'vectors', namespace: 'dify', host: 'vectors-qdrant-qdrant',
      httpPort: 6333, grpcPort: 6334, httpUrl: 'http://vectors-qdrant-qdrant:6333', replicationFactor: 2,
    });
  });

  test('collections get a second copy whenever there are two peers or more, unless told otherwise', () => {
    const factor = (props: Partial<QdrantClusterProps>) => new QdrantCluster(testChart(), 'qdrant', { namespace: 'dify', ...props }).connection.replicationFactor;

    expect([factor({ replicas: 1 }), factor({ replicas: 2 }), factor({ replicas: 5 })]).toEqual([1, 2, 2]);
    expect(factor({ replicas: 5, replicationFactor: 3 })).toBe(3);
  });
});

describe('QdrantCluster on KubeBlocks 0.9', () => {
  test('it names the topology and a serviceVersion (no ClusterVersion exists), runs under the cluster ServiceAccount and answers on the ComponentDefinition\'s Service', () => {
    const chart = testChart();
    const qdrant = new QdrantCluster(chart, 'qdrant', { namespace: 'default', releaseLine: '0.9' });
    const cluster = onlyCluster(chart);

    // The qdrant addon KubeBlocks v0.9.5 installs (0.9.2) has no ClusterVersion: the topology and a serviceVersion
    // its ComponentVersion lists name the version instead.
    expect(cluster.spec).toMatchObject({ clusterDefinitionRef: 'qdrant', topology: 'cluster' });
    expect(cluster.spec.clusterVersionRef).toBeUndefined();
    expect(cluster.spec.componentSpecs[0]).toMatchObject({ name: 'qdrant', serviceVersion: '1.8.4', serviceAccountName: 'kb-qdrant' });
    expect(cluster.spec.componentSpecs[0].componentDefRef).toBeUndefined();
    // The ComponentDefinition's Service `qdrant` (addons/qdrant/templates/cmpd.yaml at v0.9.5), as on 1.0.
    expect(qdrant.connection.httpUrl).toBe('http://qdrant-qdrant-qdrant:6333');
  });
});
