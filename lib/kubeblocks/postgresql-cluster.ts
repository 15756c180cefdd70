import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterModel, componentRef } from './cluster-model';
import { DatabaseClusterProps } from './component-settings';
import { ClusterOrigin, PostgresqlConnection } from './connections';
import { ComponentDefinition, clusterModel, componentModel } from './database-cluster';
import { accountSecretName, componentServiceName } from './naming';
import { podMonitor } from './pod-monitor';
import { renderCluster } from './render-cluster';

export const POSTGRESQL_PORT = 5432;
const SUPERUSER_ACCOUNT = 'postgres';

/** The PostgreSQL component. Defaults: 2 replicas (primary and a streaming replica), 1 CPU and 2Gi each, 20Gi volumes. */
export const POSTGRESQL_COMPONENT: ComponentDefinition = {
  definitionName: 'postgresql',
  defaults: { replicas: 2, resources: { cpu: '1', memory: '2Gi' }, storageSize: '20Gi' },
  legacy: { definitionField: 'componentDefRef', enabledLogs: ['running'], monitor: false, switchPolicy: 'Noop' },
};

/** Props of {@link PostgresqlCluster}: unset settings take the defaults of {@link POSTGRESQL_COMPONENT}. */
export interface PostgresqlClusterProps extends DatabaseClusterProps {}

/** The cluster {@link PostgresqlCluster} writes for `props`, with every default applied. */
export function postgresqlClusterModel(props: PostgresqlClusterProps): ClusterModel {
  return clusterModel('postgresql', props, [componentModel(POSTGRESQL_COMPONENT, props)]);
}

/** A KubeBlocks PostgreSQL cluster in the replication topology (one primary, streaming replicas, automatic failover). */
export class PostgresqlCluster extends Construct {
  /** How to reach the primary and where its superuser credentials are. */
  public readonly connection: PostgresqlConnection;
  /** The Cluster object. */
  public readonly cluster: ApiObject;

  constructor(scope: Construct, id: string, props: PostgresqlClusterProps) {
    super(scope, id);
    const model = postgresqlClusterModel(props);
    this.cluster = renderCluster(this, 'Cluster', model);
    if (props.monitoring) podMonitor(this, 'PodMonitor', 'postgresql', model, props.monitoring.labels);

    this.connection = postgresqlConnectionOf(model, 'platform');
  }
}

/** How to reach a KubeBlocks PostgreSQL cluster's primary, by the release line's naming of its Service and Secret. */
export function postgresqlConnectionOf(model: ClusterModel, origin: ClusterOrigin): PostgresqlConnection {
  const ref = componentRef(model, model.components[0]);
  const secret = accountSecretName(ref, SUPERUSER_ACCOUNT);
  return {
    origin,
    clusterName: model.name,
    namespace: model.namespace,
    host: componentServiceName(ref, POSTGRESQL_COMPONENT.definitionName),
    port: POSTGRESQL_PORT,
    superuser: { username: { name: secret, key: 'username' }, password: { name: secret, key: 'password' } },
  };
}
