import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterModel, componentRef } from './cluster-model';
import { ComponentSettings, DatabaseClusterProps, SchedulingSettings } from './component-settings';
import { ClusterOrigin, RedisConnection } from './connections';
import { ComponentDefinition, clusterModel, componentModel } from './database-cluster';
import { accountSecretName, componentServiceName, podHost } from './naming';
import { podMonitor } from './pod-monitor';
import { renderCluster } from './render-cluster';

export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
const DEFAULT_ACCOUNT = 'default';

/**
 * The Redis data component. Defaults: a primary and one replica, 0.5 CPU and 1Gi each, 10Gi volumes.
 * On 0.9 both components point at their definitions with `componentDef`, as the seed does.
 */
export const REDIS_COMPONENT: ComponentDefinition = {
  definitionName: 'redis',
  defaults: { replicas: 2, resources: { cpu: '500m', memory: '1Gi' }, storageSize: '10Gi' },
  legacy: { definitionField: 'componentDef', enabledLogs: ['running'], monitor: false, switchPolicy: 'Noop' },
};

/** The Sentinel component. Defaults: 3 sentinels (the smallest quorum that survives losing one), small and cheap. */
export const SENTINEL_COMPONENT: ComponentDefinition = {
  definitionName: 'redis-sentinel',
  defaults: { replicas: 3, resources: { cpu: '200m', memory: '256Mi' }, storageSize: '1Gi' },
  legacy: { definitionField: 'componentDef' },
  settingsPath: ['sentinel'],
};

/** The sentinel component: its own replicas, resources and storage. */
export interface SentinelSettings extends ComponentSettings {
  /**
   * Where the sentinels run. They watch Redis and are part of the same tier, so nodes kept for it (a nodeSelector,
   * the taints it tolerates) are theirs too unless they are told otherwise.
   * @default - the Redis component's `scheduling`
   */
  readonly scheduling?: SchedulingSettings;
  /**
   * Name of the sentinel component; on 1.0 the topology fixes it.
   * @default 'redis-sentinel'
   */
  readonly componentName?: string;
}

/** Props of {@link RedisCluster}: the data component's settings at the top, the sentinels' under `sentinel`. */
export interface RedisClusterProps extends DatabaseClusterProps {
  /** @default - the defaults of {@link SENTINEL_COMPONENT} */
  readonly sentinel?: SentinelSettings;
}

/** The cluster {@link RedisCluster} writes for `props`, with every default applied. */
export function redisClusterModel(props: RedisClusterProps): ClusterModel {
  return clusterModel('redis', props, [
    componentModel(REDIS_COMPONENT, props),
    componentModel(SENTINEL_COMPONENT, { ...props.sentinel, scheduling: props.sentinel?.scheduling ?? props.scheduling }),
  ]);
}

/** A KubeBlocks Redis cluster in the replication topology, with Sentinel deciding failover. */
export class RedisCluster extends Construct {
  /** How to reach the primary directly and through Sentinel. */
  public readonly connection: RedisConnection;
  /** The Cluster object. */
  public readonly cluster: ApiObject;

  constructor(scope: Construct, id: string, props: RedisClusterProps) {
    super(scope, id);
    const model = redisClusterModel(props);
    this.cluster = renderCluster(this, 'Cluster', model);
    if (props.monitoring) podMonitor(this, 'PodMonitor', 'redis', model, props.monitoring.labels);

    this.connection = redisConnectionOf(model, 'platform');
  }
}

/** How to reach a KubeBlocks Redis cluster (primary Service, sentinels, accounts), by the release line's naming. */
export function redisConnectionOf(model: ClusterModel, origin: ClusterOrigin): RedisConnection {
  const [data, sentinel] = model.components;
  const dataRef = componentRef(model, data);
  const sentinelRef = componentRef(model, sentinel);
  const dataSecret = accountSecretName(dataRef, DEFAULT_ACCOUNT);
  const ordinals = Array.from({ length: sentinel.replicas }, (_, ordinal) => ordinal);
  return {
    origin,
    clusterName: model.name,
    namespace: model.namespace,
    host: componentServiceName(dataRef, REDIS_COMPONENT.definitionName),
    port: REDIS_PORT,
    username: { name: dataSecret, key: 'username' },
    password: { name: dataSecret, key: 'password' },
    sentinel: {
      endpoints: ordinals.map((ordinal) => `${podHost(sentinelRef, ordinal, model.namespace)}:${SENTINEL_PORT}`),
      serviceHost: componentServiceName(sentinelRef, SENTINEL_COMPONENT.definitionName),
      port: SENTINEL_PORT,
      // KubeBlocks registers the primary with the sentinels as `<cluster>-<data component>`.
      masterName: `${model.name}-${data.name}`,
      password: { name: accountSecretName(sentinelRef, DEFAULT_ACCOUNT), key: 'password' },
    },
  };
}
