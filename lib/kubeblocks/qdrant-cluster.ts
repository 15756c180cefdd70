import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterModel, componentRef } from './cluster-model';
import { DatabaseClusterProps } from './component-settings';
import { QdrantConnection } from './connections';
import { ComponentDefinition, clusterModel, clusterNameOf, componentModel } from './database-cluster';
import { componentServiceName } from './naming';
import { renderCluster } from './render-cluster';

export const QDRANT_HTTP_PORT = 6333;
export const QDRANT_GRPC_PORT = 6334;

/** The Qdrant component. Defaults: 3 replicas (Raft needs a majority), 1 CPU and 2Gi each, 20Gi volumes. */
export const QDRANT_COMPONENT: ComponentDefinition = {
  definitionName: 'qdrant',
  defaults: { replicas: 3, resources: { cpu: '1', memory: '2Gi' }, storageSize: '20Gi' },
  legacy: { definitionField: 'componentDefRef' },
};

/**
 * Props of {@link QdrantCluster}: unset settings take the defaults of {@link QDRANT_COMPONENT}.
 * Scaling in does not move shards or remove Raft peers (kubeblocks#6837): scale out freely, scale in by hand.
 */
export interface QdrantClusterProps extends DatabaseClusterProps {}

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

    const host = componentServiceName(componentRef(model, model.components[0]), QDRANT_COMPONENT.definitionName);
    this.connection = {
      clusterName: model.name,
      namespace: model.namespace,
      host,
      httpPort: QDRANT_HTTP_PORT,
      grpcPort: QDRANT_GRPC_PORT,
      httpUrl: `http://${host}:${QDRANT_HTTP_PORT}`,
    };
  }
}
