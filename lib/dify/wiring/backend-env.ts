/**
 * The environment of Dify's backend processes (api, worker, beat, migration Job), built only from the data tier's
 * connection contracts and the app Secret. Credentials are `secretKeyRef`s; URLs that contain a password use
 * Kubernetes' `$(VAR)` expansion of variables defined earlier in the same container, so no value is ever written.
 */
import * as k8s from '../../k8s';
import { DifyContext } from '../dify-context';
import { DIFY_PORTS, serviceUrl } from './services';
import { env, secretEnv } from '../components/workload';
import { sentinelOf } from '../../kubeblocks/connections';
import { daemonRedisTlsEnv, difyRedisTlsEnv, redisUrl } from './redis-tls';
import { egressProxyEnv } from './egress-proxy';

/** The api image's `MODE`; `migration` runs `flask upgrade-db` and exits, `job` runs the flask command in its args. */
export type BackendMode = 'api' | 'worker' | 'beat' | 'migration' | 'job';

/** The public URLs the console and the APIs are reached at. */
export function publicUrlEnv(ctx: DifyContext): k8s.EnvVar[] {
  const base = ctx.config.publicUrl;
  return [
    // APP_API_URL is the web container's alone: the api never reads it.
    ...['CONSOLE_WEB_URL', 'CONSOLE_API_URL', 'SERVICE_API_URL', 'APP_WEB_URL', 'FILES_URL'].map((name) => env(name, base)),
    ...(ctx.config.features.triggers ? [env('TRIGGER_URL', base)] : []),
    // The console's CORS origins (and socket.io's) fall back to CONSOLE_WEB_URL alone (api/configs: an alias of
    // CONSOLE_CORS_ALLOW_ORIGINS): a console opened at an extra host would have every API call refused.
    env('CONSOLE_CORS_ALLOW_ORIGINS', ctx.config.publicOrigins.join(',')),
  ];
}

/** The database variables of Dify's processes (api and plugin daemon read the same names). */
export function databaseEnv(ctx: DifyContext, database: string): k8s.EnvVar[] {
  const pg = ctx.postgresql;
  return [
    ...(ctx.config.features.dbTypeVariable ? [env('DB_TYPE', 'postgresql')] : []),
    secretEnv('DB_USERNAME', pg.superuser.username),
    secretEnv('DB_PASSWORD', pg.superuser.password),
    env('DB_HOST', pg.host),
    env('DB_PORT', pg.port),
    env('DB_DATABASE', database),
  ];
}

/** The address the api image's URLs name, from the variables defined before them. */
const REDIS_ADDRESS = '$(REDIS_HOST):$(REDIS_PORT)';

/**
 * The Redis variables of Dify's processes (api and plugin daemon read the same names, Sentinel included; each says
 * TLS its own way: redis-tls.ts). REDIS_HOST always names the primary-following Service: Dify's pub/sub event bus
 * connects there even in Sentinel mode (dify#32880).
 */
export function redisEnv(ctx: DifyContext, program: 'api' | 'pluginDaemon' = 'api'): k8s.EnvVar[] {
  const redis = ctx.redis;
  const direct = [
    env('REDIS_HOST', redis.host),
    env('REDIS_PORT', redis.port),
    redis.username ? secretEnv('REDIS_USERNAME', redis.username) : env('REDIS_USERNAME', ''),
    secretEnv('REDIS_PASSWORD', redis.password),
    env('REDIS_DB', 0),
    ...(program === 'api' ? difyRedisTlsEnv(redis.tls) : daemonRedisTlsEnv(redis.tls)),
  ];
  if (ctx.config.redisMode === 'direct') return direct;
  const sentinel = sentinelOf(redis);
  return [
    ...direct,
    env('REDIS_USE_SENTINEL', true),
    env('REDIS_SENTINELS', sentinel.endpoints.join(',')),
    env('REDIS_SENTINEL_SERVICE_NAME', sentinel.masterName),
    secretEnv('REDIS_SENTINEL_PASSWORD', sentinel.password),
  ];
}

/**
 * The event bus's URL over TLS: the api builds its own from REDIS_* with no CA and redis-py's default check, so a
 * private CA or `verify: none` would fail there alone. Without TLS the api's own URL is right and none is written.
 */
function eventBusEnv(ctx: DifyContext): k8s.EnvVar[] {
  if (!ctx.redis.tls || !ctx.config.features.redisTls) return [];
  return [env('PUBSUB_REDIS_URL', redisUrl(ctx.redis, 0, { address: REDIS_ADDRESS }))];
}

/** The Celery broker, built from the Redis variables defined before it in the same container. */
function celeryEnv(ctx: DifyContext): k8s.EnvVar[] {
  if (ctx.config.redisMode === 'direct') {
    // Over TLS the `rediss` scheme is what makes Dify hand Celery its cert_reqs and CA file (redis-tls.ts).
    return [env('CELERY_BACKEND', 'redis'), env('CELERY_BROKER_URL', redisUrl(ctx.redis, 1, { address: REDIS_ADDRESS, query: false }))];
  }
  const sentinel = sentinelOf(ctx.redis);
  return [
    env('CELERY_BACKEND', 'redis'),
    env('CELERY_USE_SENTINEL', true),
    env('CELERY_SENTINEL_MASTER_NAME', sentinel.masterName),
    secretEnv('CELERY_SENTINEL_PASSWORD', sentinel.password),
    // The URL's password is the data nodes'; CELERY_SENTINEL_PASSWORD authenticates to the sentinels.
    env('CELERY_BROKER_URL', sentinel.endpoints.map((endpoint) => `sentinel://:$(REDIS_PASSWORD)@${endpoint}/1`).join(';')),
  ];
}

function vectorStoreEnv(ctx: DifyContext): k8s.EnvVar[] {
  const store = ctx.vectorStore;
  if (store.store === 'pgvector') {
    // Dify's pgvector client (api/configs/middleware/vdb/pgvector_config.py, every supported version) connects with
    // these; the superuser of the platform's cluster, as for Dify's own database, from the Secret KubeBlocks made.
    return [
      env('VECTOR_STORE', 'pgvector'),
      // Dify's pgvector pool passes no sslmode: libpq takes it from PGSSLMODE (dataTierEnv).
      env('PGVECTOR_HOST', store.postgresql.host),
      env('PGVECTOR_PORT', store.postgresql.port),
      secretEnv('PGVECTOR_USER', store.postgresql.superuser.username),
      secretEnv('PGVECTOR_PASSWORD', store.postgresql.superuser.password),
      env('PGVECTOR_DATABASE', store.database),
    ];
  }
  if (store.store === 'milvus') {
    // Dify's Milvus client (api/configs/middleware/vdb/milvus_config.py) refuses to start without a user and a
    // password unless given a token; the addon's standalone runs with authorization off, so the server accepts any:
    // the password is a generated key of the app Secret all the same, never a value in git.
    return [
      env('VECTOR_STORE', 'milvus'),
      env('MILVUS_URI', store.milvus.uri),
      env('MILVUS_USER', 'dify'),
      secretEnv('MILVUS_PASSWORD', ctx.secrets.ref('milvusPassword')),
    ];
  }
  const qdrant = store.qdrant;
  return [
    env('VECTOR_STORE', 'qdrant'),
    env('QDRANT_URL', qdrant.httpUrl),
    env('QDRANT_CLIENT_TIMEOUT', 20),
    env('QDRANT_GRPC_ENABLED', false),
    env('QDRANT_GRPC_PORT', qdrant.grpcPort),
    ...(qdrant.apiKey ? [secretEnv('QDRANT_API_KEY', qdrant.apiKey)] : []),
    // Dify creates collections with this factor; its default 1 would leave each on a single Qdrant peer.
    ...(ctx.config.features.qdrantReplicationFactorVariable ? [env('QDRANT_REPLICATION_FACTOR', qdrant.replicationFactor)] : []),
  ];
}

/**
 * The sandbox, the SSRF proxy, and the egress proxy. With an egress proxy, NO_PROXY holds the cluster's Services, and
 * Dify's SSRF client given the SSRF proxy as per-scheme mounts (`SSRF_PROXY_HTTP_URL`/`_HTTPS_URL`, core/helper/
 * ssrf_proxy.py and core/mcp/utils.py, 1.13.3 to 1.16.1) is built with httpx's default trust_env: httpx 0.28.1 turns
 * each NO_PROXY entry into a mount more specific than `http://`, so a user's URL to a Service of the cluster would go
 * straight there instead of to the SSRF proxy that refuses it. `SSRF_PROXY_ALL_URL` makes the same modules build
 * `httpx.Client(proxy=...)`, which reads no proxy from the environment. (0.6.11 passes `proxies=` to httpx 0.24,
 * which then ignores the environment too.)
 */
function sandboxAndProxyEnv(ctx: DifyContext): k8s.EnvVar[] {
  const egress = ctx.config.settings.egressProxy !== undefined;
  return [
    env('CODE_EXECUTION_ENDPOINT', serviceUrl('sandbox')),
    secretEnv('CODE_EXECUTION_API_KEY', ctx.secrets.ref('sandboxApiKey')),
    env('SSRF_PROXY_HTTP_URL', serviceUrl('ssrfProxy')),
    env('SSRF_PROXY_HTTPS_URL', serviceUrl('ssrfProxy')),
    ...(egress && ctx.config.features.ssrfProxyAllUrl ? [env('SSRF_PROXY_ALL_URL', serviceUrl('ssrfProxy'))] : []),
    ...egressProxyEnv(ctx),
  ];
}

export function pluginEnv(ctx: DifyContext): k8s.EnvVar[] {
  if (!ctx.config.features.pluginDaemonTag) return [];
  return [
    env('PLUGIN_DAEMON_URL', serviceUrl('pluginDaemon')),
    secretEnv('PLUGIN_DAEMON_KEY', ctx.secrets.ref('pluginDaemonKey')),
    secretEnv('INNER_API_KEY_FOR_PLUGIN', ctx.secrets.ref('innerApiKey')),
    env('MARKETPLACE_ENABLED', true),
    env('MARKETPLACE_API_URL', 'https://marketplace.dify.ai'),
    env('ENDPOINT_URL_TEMPLATE', `${ctx.config.publicUrl}/e/{hook_id}`),
    env('INTERNAL_FILES_URL', serviceUrl('api')),
    // What the console shows plugin developers for remote debugging: the daemon's debug port, reached with
    // `kubectl port-forward svc/dify-plugin-daemon 5003` (no Service exposes it outside the cluster).
    env('PLUGIN_REMOTE_INSTALL_HOST', 'localhost'),
    env('PLUGIN_REMOTE_INSTALL_PORT', DIFY_PORTS.pluginDebug),
    // Equal to the daemon's MAX_PLUGIN_PACKAGE_SIZE: the api's own default (15 MB) refuses plugins the daemon takes.
    ...(ctx.config.features.pluginPackageSizeVariable ? [env('PLUGIN_MAX_PACKAGE_SIZE', ctx.config.pluginMaxPackageBytes)] : []),
  ];
}

/**
 * The optional services the api talks to. ENABLE_COLLABORATION_MODE defaults to true in the api (1.14+), so it is
 * always said, false unless the websocket service runs.
 */
function optionalServicesEnv(ctx: DifyContext): k8s.EnvVar[] {
  const { features, collaboration, agent } = ctx.config;
  return [
    ...(features.collaborationSwitch ? [env('ENABLE_COLLABORATION_MODE', collaboration)] : []),
    ...(agent ? [env('AGENT_BACKEND_BASE_URL', serviceUrl('agentBackend')), secretEnv('AGENT_BACKEND_API_TOKEN', ctx.secrets.ref('agentApiToken'))] : []),
  ];
}

/**
 * What connects a backend process to the data tier and file storage: the contract both app tiers share (the chart
 * tier hands it to the chart as its backend env). The broker URL's `$(VAR)`s are defined before it.
 */
export function dataTierEnv(ctx: DifyContext): k8s.EnvVar[] {
  const sslMode = ctx.postgresql.sslMode;
  return [
    ...databaseEnv(ctx, ctx.databases.dify),
    // An external server's sslmode for every libpq connection of the process. DB_EXTRAS (1.x) reaches only the
    // SQLAlchemy URL: the pgvector store opens its psycopg2 pool from host, port, user, password and database alone
    // (Dify 0.6.11 to 1.16.1, pgvector.py `_create_connection_pool`), so its traffic fell back to prefer; and 0.6.11
    // reads no DB_EXTRAS at all. Both use psycopg2, whose libpq reads PGSSLMODE when the connection names no mode.
    ...(sslMode ? [env('PGSSLMODE', sslMode)] : []),
    ...redisEnv(ctx),
    ...(ctx.config.features.redisKeepalive ? [env('REDIS_KEEPALIVE', true)] : []),
    ...celeryEnv(ctx),
    ...eventBusEnv(ctx),
    ...vectorStoreEnv(ctx),
    ...ctx.fileStorage.env,
  ];
}

export function backendEnv(ctx: DifyContext, mode: BackendMode): k8s.EnvVar[] {
  return [
    env('MODE', mode),
    // Only the migration Job migrates: long-running pods migrating on start would race each other.
    env('MIGRATION_ENABLED', mode === 'migration'),
    secretEnv('SECRET_KEY', ctx.secrets.ref('secretKey')),
    env('LOG_LEVEL', 'INFO'),
    ...publicUrlEnv(ctx),
    ...dataTierEnv(ctx),
    ...sandboxAndProxyEnv(ctx),
    ...pluginEnv(ctx),
    ...optionalServicesEnv(ctx),
  ];
}
