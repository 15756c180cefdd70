import { Construct } from 'constructs';
import { PostgresqlConnection, VectorStoreConnection, RedisConnection } from '../kubeblocks/connections';
import { DifyApi } from './components/api';
import { DifyAppSecrets } from './wiring/app-secrets';
import { DifyDatabaseJob } from './jobs/database-job';
import { DifyDatabases } from './wiring/database-names';
import { DifyContext } from './dify-context';
import { DifyConfig } from './dify-config';
import { DifyIngress } from './routing/dify-ingress';
import { DifyHttpRoute } from './routing/dify-http-route';
import { DifyFileStorage } from './storage/file-storage';
import { DifyMigrationJob } from './jobs/migration-job';
import { SchemaGate } from './jobs/schema-gate';
import { DifyPluginDaemon } from './components/plugin-daemon';
import { DifySandbox } from './components/sandbox';
import { DifySsrfProxy } from './components/ssrf-proxy';
import { DifyWeb } from './components/web';
import { DifyWorker } from './components/worker';
import { DifyWorkerPool } from './components/worker-pool';
import { DifyWorkerBeat } from './components/worker-beat';
import { DifyAgentBackend } from './components/agent-backend';
import { applyComponentPolicies } from './components/component-policies';
import { DifyApiWebsocket } from './components/api-websocket';
import { DifyLocalSandbox } from './components/local-sandbox';
import { dataMigrationJobs } from './jobs/data-migration-job';
import { VECTOR_EXTENSION } from '../kubeblocks/pgvector';
import { agentSsrfProxyConf, ssrfProxyConf } from './components/ssrf-proxy';
import { serviceName } from './wiring/services';

export interface DifyAppProps {
  /** Where the config came from, for error lines. */
  readonly source: string;
  readonly namespace: string;
  readonly config: DifyConfig;
  readonly postgresql: PostgresqlConnection;
  /** Dify's databases on that PostgreSQL (platformDatabases). */
  readonly databases: DifyDatabases;
  readonly redis: RedisConnection;
  readonly vectorStore: VectorStoreConnection;
}

/**
 * What every app tier stands on, native or chart: the app Secret, the database Job, the file storage and the
 * migration Job, all under `scope`; returns the context the workloads are built from.
 */
export function appFoundation(scope: Construct, props: DifyAppProps): DifyContext {
  const { config, namespace } = props;
  const features = config.features;
  const secrets = new DifyAppSecrets(scope, 'Secrets', {
    namespace, version: features.version, image: config.images.bootstrap, existingSecret: config.existingSecret,
    externalSecret: config.settings.externalSecret,
  });
  const { databases } = props;
  const vectors = props.vectorStore.store === 'pgvector' ? props.vectorStore.database : undefined;
  new DifyDatabaseJob(scope, 'Databases', {
    namespace, version: features.version, image: config.images.postgres, postgresql: props.postgresql,
    databases: [databases.dify, ...(features.pluginDaemonTag ? [databases.pluginDaemon] : []), ...(vectors ? [vectors] : [])],
    extensions: vectors ? [`${vectors}:${VECTOR_EXTENSION}`] : [],
    create: databases.create,
    setting: databases.setting,
  });
  const fileStorage = new DifyFileStorage(scope, 'FileStorage', { namespace, config, secrets });
  const schemaGate = new SchemaGate(scope, 'SchemaGate', {
    namespace, version: features.version, apiImage: config.images.api, postgresImage: config.images.postgres, postgresql: props.postgresql,
    database: databases.dify,
  });
  const ctx: DifyContext = { ...props, secrets, fileStorage, schemaGate };
  new DifyMigrationJob(scope, 'Migration', ctx);
  return ctx;
}

/** The Dify application tier on top of the data tier's connections: secrets, init Jobs, workloads and routing. */
export class DifyApp extends Construct {
  constructor(scope: Construct, id: string, props: DifyAppProps) {
    super(scope, id);
    const { config, namespace } = props;
    const features = config.features;
    const ctx = appFoundation(this, props);
    new DifyApi(this, 'Api', ctx);
    new DifyWorker(this, 'Worker', ctx);
    config.workerPools.forEach((pool) => new DifyWorkerPool(this, `WorkerPool-${pool.name}`, ctx, pool));
    if (features.beat) new DifyWorkerBeat(this, 'Beat', ctx);
    new DifyWeb(this, 'Web', ctx);
    new DifySandbox(this, 'Sandbox', ctx);
    if (features.pluginDaemonTag) new DifyPluginDaemon(this, 'PluginDaemon', ctx);
    new DifySsrfProxy(this, 'SsrfProxy', ctx, { proxy: 'ssrfProxy', squidConf: ssrfProxyConf(config.settings.ssrfProxy?.allowPrivate, config.settings.egressProxy) });
    dataMigrationJobs(this, ctx);
    if (config.collaboration) new DifyApiWebsocket(this, 'ApiWebsocket', ctx);
    if (config.agent) this.agent(ctx);
    if (config.ingress) new DifyIngress(this, 'Ingress', { namespace, config });
    if (config.settings.gateway) new DifyHttpRoute(this, 'HttpRoute', { namespace, config, gateway: config.settings.gateway });
    // Last: the pod and component settings apply to every object built above.
    applyComponentPolicies(this, config.settings, props.source);
  }

  /** Agent v2: the backend, its local sandbox, and the proxy that is the sandbox's only way out. */
  private agent(ctx: DifyContext): void {
    new DifyAgentBackend(this, 'AgentBackend', ctx);
    new DifyLocalSandbox(this, 'LocalSandbox', ctx);
    const squidConf = agentSsrfProxyConf({ agentBackendHost: serviceName('agentBackend'), apiHost: serviceName('api') }, ctx.config.settings.egressProxy);
    new DifySsrfProxy(this, 'AgentSsrfProxy', ctx, { proxy: 'agentSsrfProxy', squidConf });
  }
}
