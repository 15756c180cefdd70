import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterModel, componentRef } from './cluster-model';
import { DatabaseClusterProps } from './component-settings';
import { ClusterOrigin, MilvusConnection } from './connections';
import { ComponentDefinition, clusterModel, componentModel } from './database-cluster';
import { headlessServiceName } from './naming';
import { podMonitor } from './pod-monitor';
import { renderCluster } from './render-cluster';

/** Milvus serves its gRPC and REST API on one port (the addon's `milvus` container port). */
export const MILVUS_PORT = 19530;

/**
 * Milvus standalone, the component Dify talks to. It comes first: the cluster's version, restore and monitoring are
 * its. Defaults: one replica (standalone runs one), 1 CPU and 2Gi, 20Gi of local data (its MinIO keeps the segments).
 */
export const MILVUS_COMPONENT: ComponentDefinition = {
  definitionName: 'milvus',
  defaults: { replicas: 1, resources: { cpu: '1', memory: '2Gi' }, storageSize: '20Gi' },
  legacy: { definitionField: 'componentDef' },
};

/**
 * The helpers the standalone topology runs beside it (kubeblocks-addons v1.0.2 addons/milvus/templates/
 * clusterdefinition.yaml): etcd for metadata (the etcd addon's definition, which KubeBlocks 1.0.2 installs) and the
 * addon's own MinIO for segments, each at its own definition's default version, sized as the addon's example
 * (examples/milvus/cluster-standalone.yaml: 0.5 CPU, 0.5Gi, 10Gi).
 */
const HELPERS: readonly ComponentDefinition[] = ['etcd', 'minio'].map((name) => ({
  definitionName: name,
  defaults: { replicas: 1, resources: { cpu: '500m', memory: '512Mi' }, storageSize: '10Gi' },
  legacy: { definitionField: 'componentDef' },
  settingsPath: [name],
  versioned: false,
}));

/**
 * Props of {@link MilvusCluster}: Milvus standalone on KubeBlocks 1.0. Its replicas, resources and storage are
 * Milvus's own; etcd and MinIO take the addon example's sizes.
 */
export interface MilvusClusterProps extends DatabaseClusterProps {}

/** The cluster {@link MilvusCluster} writes for `props`, with every default applied. */
export function milvusClusterModel(props: MilvusClusterProps): ClusterModel {
  return clusterModel('milvus', props, [componentModel(MILVUS_COMPONENT, props), ...HELPERS.map((helper) => componentModel(helper, {}))]);
}

/** A KubeBlocks Milvus cluster in the standalone topology (Milvus, etcd and MinIO, one pod each). */
export class MilvusCluster extends Construct {
  /** How to reach Milvus. */
  public readonly connection: MilvusConnection;
  /** The Cluster object. */
  public readonly cluster: ApiObject;

  constructor(scope: Construct, id: string, props: MilvusClusterProps) {
    super(scope, id);
    const model = milvusClusterModel(props);
    this.cluster = renderCluster(this, 'Cluster', model);
    if (props.monitoring) podMonitor(this, 'PodMonitor', 'milvus', model, props.monitoring.labels);
    this.connection = milvusConnectionOf(model, 'platform');
  }
}

/**
 * How to reach a KubeBlocks Milvus standalone: the addon's component definition declares no Service, so the
 * headless Service KubeBlocks makes for every component (`<cluster>-milvus-headless`) names its one pod.
 */
export function milvusConnectionOf(model: ClusterModel, origin: ClusterOrigin): MilvusConnection {
  const host = `${headlessServiceName(componentRef(model, model.components[0]))}.${model.namespace}.svc`;
  return { origin, clusterName: model.name, namespace: model.namespace, host, port: MILVUS_PORT, uri: `http://${host}:${MILVUS_PORT}` };
}
