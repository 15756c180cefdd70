/**
 * The platform's rules for a chart's rendered objects (applied by harden.ts), in douban's or BorisPolonsky's names:
 * which variables carry the platform's keys, what each component is given or relieved of, which pods wait for which
 * database or schema.
 */
import * as k8s from '../../k8s';
import { env, secretEnv, SYNC_WAVE } from '../components/workload';
import { DifyContext } from '../dify-context';
import { waitForDatabase } from '../jobs/database-job';
import { AppSecretKey } from '../wiring/app-secrets';
import { daemonSslMode } from '../wiring/postgres-tls';
import { daemonRedisTlsEnv } from '../wiring/redis-tls';
import { HardeningRules } from './harden';
import { DEFAULT_WORKER_CONCURRENCY, workerQueueEnv } from '../components/worker';

/** What differs between the chart families' rendered objects: two component names and what they hand the daemon. */
export interface ChartConventions {
  /** The beat: douban `worker-beat`, BorisPolonsky `beat`. */
  readonly beat: string;
  /** The web: douban `frontend`, BorisPolonsky `web`. */
  readonly web: string;
  /** Whether the chart hands the plugin daemon the backend's env (douban 0.9.1 does), which dify.backendEnv then reaches. */
  readonly daemonGetsBackendEnv: boolean;
  /**
   * Variables the chart sets for the backend and the plugin daemon that the platform leaves to Dify's own defaults,
   * or that the program never read, removed so the containers read what the native tier's read.
   */
  readonly chartOnlyEnv: { readonly backend: readonly string[]; readonly pluginDaemon: readonly string[] };
}

export const DOUBAN_CONVENTIONS: ChartConventions = {
  beat: 'worker-beat', web: 'frontend', daemonGetsBackendEnv: true, chartOnlyEnv: { backend: [], pluginDaemon: [] },
};

/**
 * BorisPolonsky's chart sets, with Sentinel, the socket timeouts to Dify's own default (0.1 s) and an empty sentinel
 * username (the platform's sentinels take the password alone), and gives the daemon MARKETPLACE_ENABLED, which it
 * never read.
 */
const BORIS_SENTINEL_DEFAULTS = ['REDIS_SENTINEL_USERNAME', 'REDIS_SENTINEL_SOCKET_TIMEOUT', 'CELERY_SENTINEL_SOCKET_TIMEOUT'];
export const BORIS_CONVENTIONS: ChartConventions = {
  beat: 'beat', web: 'web', daemonGetsBackendEnv: false,
  chartOnlyEnv: { backend: BORIS_SENTINEL_DEFAULTS, pluginDaemon: [...BORIS_SENTINEL_DEFAULTS, 'MARKETPLACE_ENABLED'] },
};

/** Every variable through which the douban chart hands a key to a container, and the platform key it gets instead. */
const CHART_SECRET_ENV: Readonly<Record<string, AppSecretKey>> = {
  SECRET_KEY: 'secretKey',
  CODE_EXECUTION_API_KEY: 'sandboxApiKey',
  API_KEY: 'sandboxApiKey',
  PLUGIN_DAEMON_KEY: 'pluginDaemonKey',
  SERVER_KEY: 'pluginDaemonKey',
  INNER_API_KEY_FOR_PLUGIN: 'innerApiKey',
  PLUGIN_DIFY_INNER_API_KEY: 'innerApiKey',
  DIFY_INNER_API_KEY: 'innerApiKey',
};

/**
 * What the douban chart gives a program that is not for it, removed so each container holds only what takes effect
 * (and no key it has no use for). Facts from the variables each Dify version reads, which
 * __tests__/dify/settings-reference.test.ts checks every rendered chart against: the api, worker and beat read
 * INNER_API_KEY_FOR_PLUGIN, not the chart's PLUGIN_DIFY_INNER_API_*, nor the web's APP_API_URL.
 */
const BACKEND_FOREIGN_ENV = ['APP_API_URL', 'PLUGIN_DIFY_INNER_API_KEY', 'PLUGIN_DIFY_INNER_API_URL'];

/**
 * The douban chart 0.9.1 hands the plugin daemon every variable of the api: the app's SECRET_KEY, the file storage's
 * keys, the broker and the public URLs. The daemon reads none of them, or (S3_*) only for a plugin storage in S3,
 * which the chart does not configure: its plugins live on its volume.
 */
const PLUGIN_DAEMON_FOREIGN_ENV = [
  ...BACKEND_FOREIGN_ENV, 'EDITION', 'CONSOLE_API_URL', 'CONSOLE_WEB_URL', 'SERVICE_API_URL', 'APP_WEB_URL', 'FILES_URL', 'TRIGGER_URL', 'ENDPOINT_URL_TEMPLATE',
  'CONSOLE_CORS_ALLOW_ORIGINS',
  'MIGRATION_ENABLED', 'SECRET_KEY', 'LOG_LEVEL', 'STORAGE_TYPE', 'S3_ENDPOINT', 'S3_USE_AWS_MANAGED_IAM', 'S3_ACCESS_KEY', 'S3_SECRET_KEY',
  'S3_REGION', 'S3_BUCKET_NAME', 'S3_ADDRESS_STYLE', 'VECTOR_STORE', 'QDRANT_URL', 'QDRANT_REPLICATION_FACTOR', 'QDRANT_GRPC_PORT',
  'PGVECTOR_HOST', 'PGVECTOR_PORT', 'PGVECTOR_USER', 'PGVECTOR_PASSWORD', 'PGVECTOR_DATABASE', 'QDRANT_API_KEY',
  'MILVUS_URI', 'MILVUS_USER', 'MILVUS_PASSWORD',
  // The daemon is given its sslmode by DB_SSL_MODE, in the words it takes; PGSSLMODE is for the api's libpq.
  'PGSSLMODE',
  'QDRANT_GRPC_ENABLED', 'QDRANT_CLIENT_TIMEOUT', 'CODE_EXECUTION_ENDPOINT', 'CODE_EXECUTION_API_KEY', 'PLUGIN_DAEMON_URL', 'PLUGIN_DAEMON_KEY',
  'MARKETPLACE_API_URL', 'INNER_API_KEY_FOR_PLUGIN', 'CELERY_BACKEND', 'CELERY_BROKER_URL', 'CELERY_USE_SENTINEL',
  'CELERY_SENTINEL_MASTER_NAME', 'CELERY_SENTINEL_PASSWORD',
  // The api's event bus over TLS.
  'PUBSUB_REDIS_URL',
];

/**
 * What the charts hand their web that the version's web does not read: the api's public URLs; CONSOLE_WEB_URL before
 * 1.16; EDITION from 1.16 and MARKETPLACE_ENABLED but in 1.15 (BorisPolonsky's). Checked against each version's web
 * list by the settings test, which looks at every Dify container.
 */
function webForeignEnv(ctx: DifyContext): string[] {
  const { features } = ctx.config;
  return ['SERVICE_API_URL', 'APP_WEB_URL', 'ENDPOINT_URL_TEMPLATE', ...(features.webConsoleWebUrl ? [] : ['CONSOLE_WEB_URL']),
    ...(features.webEdition ? [] : ['EDITION']), ...(features.webMarketplaceSwitch ? [] : ['MARKETPLACE_ENABLED'])];
}

/** The in-cluster URL of the chart's sandbox Service (the Service that selects the `sandbox` component). */
function sandboxUrl(objects: readonly Record<string, any>[]): string | undefined {
  const service = objects.find((object) => object.kind === 'Service' && object.spec?.selector?.['app.kubernetes.io/component'] === 'sandbox');
  const port = service?.spec?.ports?.[0]?.port;
  return service && port ? `http://${service.metadata.name}${port === 80 ? '' : `:${port}`}` : undefined;
}

/**
 * The platform's rules for this chart's objects. Every backend process gets the sandbox, as on the native tier: the
 * douban chart 0.4.1 gives it to the api only, and workflows the worker runs would call a sandbox it cannot reach.
 */
export function hardeningRules(ctx: DifyContext, objects: readonly Record<string, any>[], names: ChartConventions = DOUBAN_CONVENTIONS): HardeningRules {
  const sandbox = sandboxUrl(objects);
  const backendComponents = ['api', 'worker', names.beat];
  const { images } = ctx.config;
  const backendEnv = [
    env('MIGRATION_ENABLED', false),
    ...(sandbox ? [env('CODE_EXECUTION_ENDPOINT', sandbox), secretEnv('CODE_EXECUTION_API_KEY', ctx.secrets.ref('sandboxApiKey'))] : []),
  ];
  const waitFor = (database: string) => [k8s.toJson_Container(waitForDatabase(images.postgres, ctx.postgresql, database))!];
  // The backend waits for the schema its version expects, as on the native tier (which also waits for the database).
  const waitForSchema = ctx.schemaGate.initContainers().map((container) => k8s.toJson_Container(container)!);
  const schemaVolumes = ctx.schemaGate.volumes().map((volume) => k8s.toJson_Volume(volume)!);
  return {
    secretEnv: new Map(Object.entries(CHART_SECRET_ENV).map(([name, key]) => [name, ctx.secrets.ref(key)])),
    componentEnv: {
      ...Object.fromEntries(backendComponents.map((component) => [component, backendEnv])),
      // The chart's default puts the daemon in its own database; the platform makes sure of it whatever the values.
      // DB_SSL_MODE as the native daemon gets it: the daemon refuses to start on anything but disable or require.
      // Its Redis TLS in its own words too (it would refuse the api's CERT_REQUIRED without a CA file: redis-tls.ts).
      'plugin-daemon': [env('DB_DATABASE', ctx.databases.pluginDaemon), ...(ctx.postgresql.sslMode ? [env('DB_SSL_MODE', daemonSslMode(ctx.postgresql.sslMode))] : []),
        ...(ctx.redis.tls ? daemonRedisTlsEnv(ctx.redis.tls) : [])],
      // As on the native tier: Next's standalone server binds HOSTNAME, which Kubernetes sets to the pod's name, so
      // `kubectl port-forward` to the web would be refused; the entrypoint alone runs one Celery process.
      [names.web]: [env('HOSTNAME', '0.0.0.0')],
      worker: [...backendEnv, env('CELERY_WORKER_AMOUNT', ctx.config.settings.worker?.concurrency ?? DEFAULT_WORKER_CONCURRENCY), workerQueueEnv(ctx.config.features.workerQueues)],
    },
    foreignEnv: {
      ...Object.fromEntries(backendComponents.map((component) => [component, [...BACKEND_FOREIGN_ENV, ...names.chartOnlyEnv.backend]])),
      sandbox: ['PLACEHOLDER'],
      [names.web]: webForeignEnv(ctx),
      // dify.backendEnv is for api, worker and beat, as on the native tier; the chart's backend env reaches the daemon too.
      'plugin-daemon': [...PLUGIN_DAEMON_FOREIGN_ENV, ...names.chartOnlyEnv.pluginDaemon, ...(names.daemonGetsBackendEnv ? ctx.config.backendEnv.map((variable) => variable.name) : [])],
    },
    initContainers: {
      ...Object.fromEntries(backendComponents.map((component) => [component, waitForSchema])),
      'plugin-daemon': waitFor(ctx.databases.pluginDaemon),
    },
    volumes: Object.fromEntries(backendComponents.map((component) => [component, schemaVolumes])),
    syncWave: SYNC_WAVE.workloads,
    labels: { 'app.kubernetes.io/part-of': 'dify', 'app.kubernetes.io/version': ctx.config.features.version },
  };
}

/**
 * Components a chart runs that the Dify version has not: their pods would never become ready (a plugin daemon whose
 * database the database Job does not create for that version, a beat the image's entrypoint does not know).
 */
export function componentsTheVersionLacks(ctx: DifyContext, objects: readonly Record<string, any>[], names: ChartConventions = DOUBAN_CONVENTIONS): string[] {
  const { features } = ctx.config;
  const lacking: Record<string, boolean> = { 'plugin-daemon': !features.pluginDaemonTag, [names.beat]: !features.beat };
  const rendered = renderedComponents(objects);
  return Object.keys(lacking).filter((component) => lacking[component] && rendered.has(component));
}

/**
 * The components the version runs that the chart renders no Deployment for (by the douban charts'
 * `app.kubernetes.io/component` labels): a chart without them would ship a platform without its app, with exit 0.
 */
export function componentsTheChartLacks(ctx: DifyContext, objects: readonly Record<string, any>[], names: ChartConventions = DOUBAN_CONVENTIONS): string[] {
  const { features } = ctx.config;
  const needed = ['api', 'worker', names.web, 'sandbox', ...(features.pluginDaemonTag ? ['plugin-daemon'] : [])];
  const rendered = renderedComponents(objects.filter((object) => object.kind === 'Deployment'));
  return needed.filter((component) => !rendered.has(component));
}

/** The components (the douban charts' `app.kubernetes.io/component` pod labels) the objects run pods of. */
function renderedComponents(objects: readonly Record<string, any>[]): Set<string | undefined> {
  return new Set(objects.map((object) => object.spec?.template?.metadata?.labels?.['app.kubernetes.io/component']));
}
