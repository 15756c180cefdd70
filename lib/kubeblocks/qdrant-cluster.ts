import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterModel, componentRef } from './cluster-model';
import { DatabaseClusterProps } from './component-settings';
import { ClusterOrigin, QdrantConnection } from './connections';
import { ComponentDefinition, clusterModel, clusterNameOf, componentModel } from './database-cluster';
import { componentServiceName } from './naming';
import { podMonitor } from './pod-monitor';
import { renderCluster } from './render-cluster';

export const QDRANT_HTTP_PORT = 6333;
export const QDRANT_GRPC_PORT = 6334;

/** The Qdrant component. Defaults: 3 replicas (Raft needs a majority), 1 CPU and 2Gi each, 20Gi volumes. */
export const QDRANT_COMPONENT: ComponentDefinition = {
  definitionName: 'qdrant',
  defaults: { replicas: 3, resources: { cpu: '1', memory: '2Gi' }, storageSize: '20Gi' },
  // On 0.9 too the Cluster is written in topology form (release-lines.ts): the ComponentDefinition `qdrant` then
  // names its Service `<cluster>-<component>-qdrant` (kubeblocks-addons v0.9.5 addons/qdrant/templates/cmpd.yaml).
  legacy: { definitionField: 'componentDef' },
};

/**
 * Props of {@link QdrantCluster}: unset settings take the defaults of {@link QDRANT_COMPONENT}.
 * Scaling in does not move shards or remove Raft peers (kubeblocks#6837): scale out freely, scale in by hand.
 */
export interface QdrantClusterProps extends DatabaseClusterProps {
  /**
   * How many Qdrant peers keep a copy of each collection's shards; clients pass it when they create a collection
   * (Qdrant's own default is 1: one node's loss loses the collection). At most `replicas`.
   * @default - 2 when there are 2 or more replicas, else 1
   */
  readonly replicationFactor?: number;
}

/** The replication factor collections get on a cluster of `replicas` peers: a second copy whenever there is room. */
export function qdrantReplicationFactor(props: Pick<QdrantClusterProps, 'replicationFactor'>, replicas: number): number {
  return props.replicationFactor ?? Math.min(replicas, 2);
}

/** The cluster {@link QdrantCluster} writes for `props`, with every default applied. */
export function qdrantClusterModel(props: QdrantClusterProps): ClusterModel {
  // 0.9 runs Qdrant under the ServiceAccount KubeBlocks makes for the cluster, named as the seed names it.
  const legacy = { ...QDRANT_COMPONENT.legacy, serviceAccountName: `kb-${clusterNameOf('qdrant', props)}` };
  return clusterModel('qdrant', props, [componentModel({ ...QDRANT_COMPONENT, legacy }, props)]);
}

/** A KubeBlocks Qdrant cluster in the cluster topology (Raft consensus between peers). */
export class QdrantCluster extends Construct {
  /** How to reach Qdrant's HTTP and gRPC APIs. */
  public readonly connection: QdrantConnection;
  /** The Cluster object. */
  public readonly cluster: ApiObject;

  constructor(scope: Construct, id: string, props: QdrantClusterProps) {
    super(scope, id);
    const model = qdrantClusterModel(props);
    this.cluster = renderCluster(this, 'Cluster', model);
    if (props.monitoring) podMonitor(this, 'PodMonitor', 'qdrant', model, props.monitoring.labels);

    this.connection = qdrantConnectionOf(model, 'platform', qdrantReplicationFactor(props, model.components[0].replicas));
  }
}

/** How to reach a KubeBlocks Qdrant cluster, by the release line's naming of its Service. */
export function qdrantConnectionOf(model: ClusterModel, origin: ClusterOrigin, replicationFactor: number): QdrantConnection {
  const host = componentServiceName(componentRef(model, model.components[0]), QDRANT_COMPONENT.definitionName);
  return {
    origin,
    clusterName: model.name,
    namespace: model.namespace,
    host,
    httpPort: QDRANT_HTTP_PORT,
    grpcPort: QDRANT_GRPC_PORT,
    httpUrl: `http://${host}:${QDRANT_HTTP_PORT}`,
    replicationFactor,
  };
}
