/**
 * The environment variables the platform owns. Each one is wired from a contract (a database connection, the
 * generated Secret, the public host, a Service) and a user's `env` or `backendEnv` must not replace it: a
 * replaced broker URL or database host would silently point Dify elsewhere. Each one points at the settings to use
 * instead (a test checks that every setting a pointer names exists in the config schema).
 *
 * Variables the platform sets only as a default (LOG_LEVEL, GIN_MODE, ...) are in {@link TUNABLE_ENV}: a user's
 * value wins. A test checks that every variable any container gets is in one of the two lists.
 */
import { nothing, SettingPointer, use } from '../../setting-pointer';

const SECRETS = use(['dify.existingSecret', 'dify.externalSecret'], 'the keys come from the platform\'s Secret');
const HOST = use(['dify.host', 'dify.tls']);
const WIRING = nothing('the platform wires it to its own Service');
const PER_COMPONENT = nothing('the platform sets it per component (only the migration Job migrates)');
const DATABASE = use('postgresql', 'the platform connects Dify to its PostgreSQL cluster, or to the server postgresql.external names');
const REDIS = use(['redis', 'dify.redisMode']);
const QDRANT = use('qdrant', 'the platform connects Dify to its Qdrant cluster, or to the server qdrant.external names');
const STORAGE = use('dify.storage');
const REPLICATION_FACTOR = use('qdrant.replicationFactor');
const REDIS_TLS = use('redis.external.tls');
/**
 * Every proxy variable, in either case (Python's urllib prefers the lower-case one when both are set): the egress
 * proxy setting gives api, worker, plugin daemon and agent backend the corporate proxy with a NO_PROXY the platform
 * keeps whole, and the sandboxes only ever their SSRF proxy.
 */
const EGRESS = use('dify.egressProxy', 'the sandboxes always go through their SSRF proxy, which takes the egress proxy as its upstream');

const WIRED: ReadonlyArray<readonly [RegExp, SettingPointer]> = [
  [/^(MODE|MIGRATION_ENABLED)$/, PER_COMPONENT],
  [/^(SECRET_KEY|CODE_EXECUTION_API_KEY|PLUGIN_DAEMON_KEY|INNER_API_KEY_FOR_PLUGIN|API_KEY|SERVER_KEY|DIFY_INNER_API_KEY)$/, SECRETS],
  [/^PLUGIN_DIFY_INNER_API_KEY$/, SECRETS],
  [/^(MINIO_ROOT_USER|MINIO_ROOT_PASSWORD)$/, SECRETS],
  [/^(CONSOLE_WEB_URL|CONSOLE_API_URL|SERVICE_API_URL|APP_WEB_URL|APP_API_URL|FILES_URL|TRIGGER_URL|ENDPOINT_URL_TEMPLATE|CONSOLE_CORS_ALLOW_ORIGINS)$/, HOST],
  // PGSSLMODE: postgresql.external.sslMode, for every libpq connection of the api's processes.
  [/^(DB_|PGSSLMODE$)/, DATABASE],
  [/^REDIS_(USE_SSL|SSL_.*)$/, REDIS_TLS],
  // The event bus is the platform's Redis (over TLS the platform writes its URL; EVENT_BUS_ is its alias, read first).
  [/^(REDIS_(?!KEEPALIVE$)|CELERY_BROKER_URL$|CELERY_BACKEND$|CELERY_USE_SENTINEL$|CELERY_SENTINEL_|PUBSUB_REDIS_URL$|EVENT_BUS_REDIS_URL$)/, REDIS],
  [/^VECTOR_STORE$/, use('vectorStore')],
  [/^(QDRANT_URL|QDRANT_API_KEY|QDRANT_GRPC_PORT)$/, QDRANT],
  [/^MILVUS_(URI|USER|PASSWORD|TOKEN)$/, use(['vectorStore', 'milvus'], 'with vectorStore: milvus the platform connects Dify to its Milvus cluster')],
  [/^PGVECTOR_(HOST|PORT|USER|PASSWORD|DATABASE)$/, use(['vectorStore', 'postgresql'], 'with vectorStore: pgvector the platform connects Dify to a database of its PostgreSQL cluster')],
  [/^QDRANT_REPLICATION_FACTOR$/, REPLICATION_FACTOR],
  [/^(STORAGE_TYPE|STORAGE_LOCAL_PATH|S3_.*|OPENDAL_.*)$/, STORAGE],
  [/^(PLUGIN_MAX_PACKAGE_SIZE|MAX_PLUGIN_PACKAGE_SIZE)$/, use('dify.pluginDaemon.maxPackageSize')],
  [/^(PLUGIN_STORAGE_.*|PLUGIN_WORKING_PATH|PLUGIN_INSTALLED_PATH|PLUGIN_PACKAGE_CACHE_PATH|PLUGIN_MEDIA_CACHE_PATH)$/, use('dify.pluginStorage')],
  [/^(CODE_EXECUTION_ENDPOINT|SSRF_PROXY_HTTP_URL|SSRF_PROXY_HTTPS_URL|SSRF_PROXY_ALL_URL|PLUGIN_DAEMON_URL|INTERNAL_FILES_URL|DIFY_INNER_API_URL)$/, WIRING],
  [/^(HTTP_PROXY|HTTPS_PROXY|NO_PROXY|ALL_PROXY)$/i, EGRESS],
  [/^(SANDBOX_PORT|SERVER_PORT|PLUGIN_REMOTE_INSTALLING_HOST|PLUGIN_REMOTE_INSTALLING_PORT)$/, WIRING],
  [/^(SERVER_CONSOLE_API_URL|AGENT_BACKEND_BASE_URL)$/, WIRING],
  [/^HOSTNAME$/, nothing('the platform makes web listen on every address of its pod')],
  [/^CELERY_WORKER_AMOUNT$/, use('dify.worker.concurrency', 'a pool\'s is the concurrency of its entry in dify.worker.pools')],
  [/^(ENABLE_COLLABORATION_MODE|NEXT_PUBLIC_SOCKET_URL)$/, use(['dify.collaboration.enabled', 'dify.host', 'dify.tls'], 'the host and TLS make the socket URL')],
  [/^(NEXT_PUBLIC_ENABLE_AGENT_V2|ENABLE_AGENT_V2|DIFY_AGENT_.*)$/, use('dify.agent', 'the platform wires Agent v2 to its services and keys')],
  [/^(AGENT_BACKEND_API_TOKEN|SHELLCTL_AUTH_TOKEN)$/, SECRETS],
];

/** Every pointer a refused variable gets, for the test that checks the settings they name. */
export const WIRED_POINTERS: readonly SettingPointer[] = [...new Set(WIRED.map(([, pointer]) => pointer))];

/**
 * What the platform still wires when a community chart is the app tier: keys, public URLs, data tier, storage and
 * migration, and the egress proxy. The chart wires its own Services, ports, plugin storage and package sizes, which its
 * values may change.
 */
const CHART_TIER_WIRED: ReadonlySet<SettingPointer> = new Set([PER_COMPONENT, SECRETS, HOST, DATABASE, REDIS, QDRANT, REPLICATION_FACTOR, STORAGE, EGRESS, REDIS_TLS]);

/** Set by the platform as a default that a user's `env` may replace. */
export const TUNABLE_ENV: ReadonlySet<string> = new Set([
  'LOG_LEVEL', 'QDRANT_CLIENT_TIMEOUT', 'QDRANT_GRPC_ENABLED', 'MARKETPLACE_ENABLED', 'MARKETPLACE_API_URL', 'MARKETPLACE_URL',
  'GIN_MODE', 'WORKER_TIMEOUT', 'ENABLE_NETWORK', 'NEXT_TELEMETRY_DISABLED', 'FORCE_VERIFYING_SIGNATURE', 'PIP_MIRROR_AUTO_DETECT',
  // The websocket api's gunicorn settings (Dify's compose file gives them as defaults too).
  'SERVER_WORKER_CLASS', 'SERVER_WORKER_AMOUNT', 'SERVER_WORKER_CONNECTIONS', 'GUNICORN_TIMEOUT',
  'SHELLCTL_ENABLE_PATH_ISOLATION',
  // Compose's defaults; the remote-debugging address is what the console shows, to be changed with your own exposure.
  'REDIS_KEEPALIVE', 'PLUGIN_REMOTE_INSTALL_HOST', 'PLUGIN_REMOTE_INSTALL_PORT',
  // Every queue the version's code uses (features.ts); a value of the user's wins, as for a worker of their own.
  'CELERY_QUEUES',
]);

/** The settings that decide `name`, when the platform wires it; undefined for a variable a user may set. */
export function wiredPointer(name: string): SettingPointer | undefined {
  return WIRED.find(([pattern]) => pattern.test(name))?.[1];
}

/** The settings that decide `name` when the app tier is a community chart; undefined for one its values may set. */
export function chartWiredPointer(name: string): SettingPointer | undefined {
  const pointer = wiredPointer(name);
  return pointer !== undefined && CHART_TIER_WIRED.has(pointer) ? pointer : undefined;
}

/** What a refusal of `name` says to use instead, when the platform wires it; undefined for a variable a user may set. */
export function wiredSetting(name: string): string | undefined {
  return wiredPointer(name)?.text;
}

/** Parts of a variable name that say it holds a credential (`DB_PASSWORD`, `OPENAI_API_KEY`, `GITHUB_TOKEN`). */
const CREDENTIAL_PARTS = new Set(['PASSWORD', 'PASSWD', 'PWD', 'PASS', 'PASSPHRASE', 'SECRET', 'KEY', 'APIKEY', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS',
  'AUTHORIZATION']);

/** Whether a variable's name says its value is a credential, which must come from a Secret, never from git. */
export function isCredentialName(name: string): boolean {
  // camelCase keys too (`clientSecret`, `apiKey` in a chart's JSON), split where a lower case letter meets an upper.
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).some((part) => CREDENTIAL_PARTS.has(part));
}
