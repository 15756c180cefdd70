/**
 * Everything that differs between Dify versions, in one place: which components run, which routes exist, which
 * images go together, how the schema migrates, and which settings each program reads. Facts from Dify's source at
 * each version-bump commit, its compose files and entrypoints, dify-sandbox and dify-plugin-daemon
 * (the settings lists and their PROVENANCE are the project's own data in facts/dify-settings/<version>/). Constructs ask
 * {@link difyFeatures}; none of them compares versions itself.
 */

/** What a Dify release ships with: its images, pinned to what its compose file runs, and the queues its code uses. */
interface DifyRelease {
  /** langgenius/dify-sandbox tag. */
  readonly sandbox: string;
  /** langgenius/dify-plugin-daemon tag, for releases that have the plugin daemon. */
  readonly pluginDaemon?: string;
  /** langgenius/dify-agent-backend and dify-agent-local-sandbox tags, for releases with Agent v2. */
  readonly agent?: { readonly backend: string; readonly localSandbox: string };
  /** The Celery queues the release's tasks are sent to (see {@link DifyFeatures.workerQueues}). */
  readonly workerQueues: readonly string[];
}

/*
 * The Celery queues each release's code sends tasks to, read at its version-bump commit (facts/dify-settings/<v>/
 * PROVENANCE.md) in upstream history: every `queue=` of `@shared_task`/`@app.celery.task` and of `apply_async` in
 * `api/` (tests excluded), with the module constants they name (`WORKFLOW_BASED_APP_EXECUTION_QUEUE` in
 * api/tasks/app_generate/workflow_execute_task.py, `TRIGGER_QUEUE` in api/tasks/trigger_processing_tasks.py,
 * `APP_RBAC_QUEUE`, `WORKFLOW_RUN_ARCHIVE_DOWNLOAD_QUEUE`) and the community edition's answer of `AsyncWorkflowQueue`
 * (api/tasks/workflow_cfs_scheduler/entities.py: `workflow`; the cloud edition's workflow_professional, _team and
 * _sandbox are never used here). Beat's schedule entries (api/extensions/ext_celery.py) set no queue of their own: their
 * tasks' declarations name it, so they are in these lists (`monitor`: api/schedule/queue_monitor_task.py).
 * `resume_workflow_execution` (api/tasks/async_workflow_tasks.py) has no queue but nothing sends it.
 * The entrypoint's default list (api/docker/entrypoint.sh) lacks queues the code uses: `monitor` and
 * `workflow_draft_var` (api/tasks/workflow_draft_var_tasks.py) at 1.13.3 to 1.16.1, `trigger_refresh_publisher`
 * (api/schedule/trigger_provider_refresh_task.py) at 1.13.3, `enterprise_telemetry` from 1.14.0 and `workflow_archive`
 * at 1.16.1; 0.6.11's default lists a `generation` no task uses.
 */
const QUEUES_0_6 = ['dataset', 'mail'];
const QUEUES_1_13 = [
  'api_token', 'app_deletion', 'conversation', 'dataset', 'dataset_summary', 'mail', 'monitor', 'ops_trace', 'pipeline', 'plugin',
  'priority_dataset', 'priority_pipeline', 'retention', 'schedule_executor', 'schedule_poller', 'trigger_refresh_executor',
  'trigger_refresh_publisher', 'triggered_workflow_dispatcher', 'workflow', 'workflow_based_app_execution', 'workflow_draft_var',
  'workflow_storage',
];
/** 1.14.0: the enterprise telemetry task (api/tasks/enterprise_telemetry_task.py, sent from api/core/telemetry/gateway.py). */
const QUEUES_1_14 = [...QUEUES_1_13, 'enterprise_telemetry'];
/** 1.16: apps' RBAC initialisation and workflow-run archive downloads (api/tasks/initialize_created_app_rbac_access_task.py, workflow_run_archive_download_tasks.py). */
const QUEUES_1_16 = [...QUEUES_1_14, 'app_rbac', 'workflow_archive'];

/**
 * The releases this project supports: every one whose images and settings lists could be read from source.
 * 0.6.11 is the seed's. Known and not yet supported (no settings lists from source): 1.16.0, 1.17.x, 1.18.0.
 */
export const DIFY_RELEASES: Readonly<Record<string, DifyRelease>> = {
  '0.6.11': { sandbox: '0.2.1', workerQueues: QUEUES_0_6 },
  '1.13.3': { sandbox: '0.2.14', pluginDaemon: '0.5.3-local', workerQueues: QUEUES_1_13 },
  '1.14.0': { sandbox: '0.2.15', pluginDaemon: '0.6.0-local', workerQueues: QUEUES_1_14 },
  '1.14.1': { sandbox: '0.2.15', pluginDaemon: '0.6.0-local', workerQueues: QUEUES_1_14 },
  '1.14.2': { sandbox: '0.2.15', pluginDaemon: '0.6.1-local', workerQueues: QUEUES_1_14 },
  '1.15.0': { sandbox: '0.2.15', pluginDaemon: '0.6.3-local', workerQueues: QUEUES_1_14 },
  '1.16.1': { sandbox: '0.2.15', pluginDaemon: '0.6.3-local', agent: { backend: '1.16.1', localSandbox: '1.16.1' }, workerQueues: QUEUES_1_16 },
};

export const DEFAULT_DIFY_VERSION = '1.16.1';

/** Where a path prefix of the public host goes. */
export type RouteTarget = 'api' | 'apiWebsocket' | 'web' | 'pluginDaemon';

export interface Route {
  readonly path: string;
  readonly target: RouteTarget;
  /** The route carries websockets (upgrade headers, long-lived connections). */
  readonly websocket?: boolean;
}

/**
 * How a one-shot Job migrates the schema. `mode`: the entrypoint's `MODE=migration` runs the Redis-locked
 * `flask upgrade-db` and exits (1.7 and later). `command`: older entrypoints migrate only on the way to starting the
 * server, so the Job runs the image's migration command itself (0.6.11: `flask db upgrade`, workdir `/app/api`,
 * `FLASK_APP=app.py` from the image, read in its entrypoint.sh and Dockerfile).
 */
export type MigrationMethod = { readonly kind: 'mode' } | { readonly kind: 'command'; readonly command: readonly string[] };

/**
 * A one-off `flask` command of Dify's that an upgrade needs (Dify's upgrade notes), found in `api/commands/` at the
 * version. Idempotent, so it runs once per version (a Job named by version and content): a later version's run finds
 * nothing left to do, and a fresh install nothing at all.
 */
export interface DataMigration {
  /** The Job's name: `dify-<job>-<version>-<hash>`. */
  readonly job: string;
  /** The command and its arguments: the api image's `MODE=job` runs `flask <args>`. */
  readonly args: readonly string[];
  /**
   * What it waits for: `schema`, the version's schema (it runs beside the migration, before the workloads, and
   * reaches the databases only); `pluginDaemon`, the running plugin daemon it asks (it runs after the workloads).
   */
  readonly after: 'schema' | 'pluginDaemon';
}

/** How the sandbox shows it is alive: `/health` from 0.2.5 on; older tags answer 401 to anything without the key. */
export type SandboxHealth = { readonly kind: 'http'; readonly path: string } | { readonly kind: 'tcp' };

export interface DifyFeatures {
  readonly version: string;
  readonly sandboxTag: string;
  readonly sandboxHealth: SandboxHealth;
  /** The plugin daemon, its `dify_plugin` database and the `/e/` route (1.0.0). */
  readonly pluginDaemonTag?: string;
  /**
   * The plugin daemon probes PyPI against two mirrors at start and installs plugins' Python packages from a faster
   * mirror unless `PIP_MIRROR_AUTO_DETECT` is false (dify-plugin-daemon 0.6.3 `cmd/server/main.go`
   * `applyPipMirrorAutoDetect`, `internal/types/app/config.go` default true; not in 0.5.3 to 0.6.1).
   */
  readonly daemonPipMirrorAutoDetect: boolean;
  /** Celery beat as its own Deployment (1.7.0). */
  readonly beat: boolean;
  /**
   * How the migration Job migrates. Every version migrates in exactly one Job per version and never on pod start:
   * 0.6.11 runs an unlocked `flask db upgrade` on every api pod that migrates on start, so two replicas would race.
   */
  readonly migration: MigrationMethod;
  /** `REDIS_USE_SENTINEL` and `CELERY_USE_SENTINEL` (1.x; 0.6.11 has no Sentinel support and its Celery dies on it). */
  readonly sentinel: boolean;
  /** `PLUGIN_MAX_PACKAGE_SIZE` in the api (1.x with the plugin daemon); its default 15 MB is below the daemon's 50 MB. */
  readonly pluginPackageSizeVariable: boolean;
  /** `QDRANT_REPLICATION_FACTOR` in the api (1.x); its default 1 keeps each collection on one Qdrant node. */
  readonly qdrantReplicationFactorVariable: boolean;
  /** `DB_TYPE` selects the database engine (1.x); 0.6 knows only PostgreSQL and no such variable. */
  readonly dbTypeVariable: boolean;
  /** Its pymilvus reaches the Milvus 2.5 the milvus addon runs (1.x: pymilvus 2.6; 0.6.11's 2.3.1 predates 2.5). */
  readonly milvus25Client: boolean;
  /** File storage on a shared volume: `opendal` with the `fs` scheme (1.x), or `local` (0.6). */
  readonly volumeStorageType: 'opendal' | 'local';
  /** `TRIGGER_URL` and the `/triggers` route (1.10). */
  readonly triggers: boolean;
  /**
   * Workflow collaboration over socket.io (1.14.0): the api reads `ENABLE_COLLABORATION_MODE`, which defaults to
   * true, so a platform without the websocket service must set it to false; web reads `NEXT_PUBLIC_SOCKET_URL`.
   */
  readonly collaborationSwitch: boolean;
  /** The optional `api_websocket` service that serves `/socket.io/` (1.14.1). */
  readonly websocketService: boolean;
  /** web's entrypoint re-exports `ENABLE_COLLABORATION_MODE` to the browser (1.15.0 only; 1.16 asks the api). */
  readonly webCollaborationSwitch: boolean;
  /** web's server-side calls to the api go to `SERVER_CONSOLE_API_URL`, the in-cluster address (1.15.0). */
  readonly serverConsoleApiUrl: boolean;
  /**
   * The api reads `REDIS_KEEPALIVE` (api/configs/middleware/cache/redis_config.py, from 1.16; default false, compose's
   * .env true): TCP keepalive stops idle connections from being dropped silently by NAT and load balancers.
   */
  readonly redisKeepalive: boolean;
  /**
   * TLS to Redis that every client checks the way it is told (lib/dify/wiring/redis-tls.ts): `REDIS_SSL_CERT_REQS`,
   * `REDIS_SSL_CA_CERTS`, the event bus's `PUBSUB_REDIS_URL`, and a Celery given the same check for a `rediss` broker
   * (read at 1.13.3, 1.14.0 to 1.14.2, 1.15.0 and 1.16.1). 0.6.11's Celery checks no certificate and its cache takes
   * no CA (api/extensions/ext_celery.py `ssl_cert_reqs: None`, ext_redis.py).
   */
  readonly redisTls: boolean;
  /**
   * The api reads `SSRF_PROXY_ALL_URL` and then builds its SSRF client with one proxy for every URL (api/configs/
   * feature/__init__.py, from Dify 0.11, langgenius/dify#10428; of the supported versions, 1.x).
   */
  readonly ssrfProxyAllUrl: boolean;
  /** web reads `CONSOLE_WEB_URL` (web/env.ts, from 1.16; not before, per the settings lists). */
  readonly webConsoleWebUrl: boolean;
  /** web's entrypoint reads `EDITION` (until 1.16, which dropped it: upstream #39454, per the settings lists). */
  readonly webEdition: boolean;
  /** web's entrypoint re-exports `MARKETPLACE_ENABLED` (1.15.0 only, beside ENABLE_COLLABORATION_MODE). */
  readonly webMarketplaceSwitch: boolean;
  /**
   * The Celery queues the workers consume, set as `CELERY_QUEUES` (read by api/docker/entrypoint.sh at every supported
   * version; from 1.13 `CELERY_WORKER_QUEUES` would override it): every queue the version's code sends tasks to, so
   * none fills up unread, split between the worker pools and the default worker (worker-pools.ts). The entrypoint's
   * own default misses some.
   */
  readonly workerQueues: readonly string[];
  /** The one-off data migrations an upgrade to this version needs, each run once per version by a Job. */
  readonly dataMigrations: readonly DataMigration[];
  /**
   * Agent v2 (1.16.1): the agent backend, its local sandbox and the sandbox's egress proxy, optional. web reads
   * `NEXT_PUBLIC_ENABLE_AGENT_V2`, the api `AGENT_BACKEND_BASE_URL` and `AGENT_BACKEND_API_TOKEN`.
   */
  readonly agent?: {
    readonly backendTag: string;
    readonly localSandboxTag: string;
    /**
     * Where the local sandbox keeps its working state: the agents' homes (`DIFY_AGENT_SHELL_HOME_ROOT`, `/home`)
     * and shellctl's jobs under its user's home. 1.16 keeps it in the container only (1.17 makes it persistent).
     */
    readonly localSandboxStatePath: string;
    /**
     * The image's user's home, inside the state path: the image creates it for `dify` and makes it the working
     * directory (dify-agent-runtime/docker/Dockerfile: `useradd --create-home`, `WORKDIR /home/dify`), and shellctl
     * keeps its jobs in `$HOME/.local/share/shellctl` (internal/server/config.go). A volume on the state path hides it,
     * so it is copied onto the volume before shellctl starts.
     */
    readonly localSandboxHome: string;
  };
  /** Public paths and what serves them, most specific first, with the optional services off. */
  readonly routes: readonly Route[];
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

const atLeast = (version: string, since: string) => compareVersions(version, since) >= 0;

/** The first dify-sandbox tag with an unauthenticated `/health` route. */
const SANDBOX_HEALTH_SINCE = '0.2.5';

function routesOf(version: string): Route[] {
  const api = (path: string): Route => ({ path, target: 'api' });
  return [
    api('/console/api'), api('/api'), api('/v1'), api('/files'),
    ...(atLeast(version, '1.7.0') ? [api('/mcp')] : []),
    ...(atLeast(version, '1.10.0') ? [api('/triggers')] : []),
    ...(atLeast(version, '1.15.0') ? [api('/openapi')] : []),
    ...(atLeast(version, '1.0.0') ? [{ path: '/e/', target: 'pluginDaemon' as const }] : []),
    { path: '/', target: 'web' },
  ];
}

/**
 * The one-off commands, oldest first, with the version that brought each; every later version runs them too.
 * Not here: the 0.x-to-1.x plugin migration (`extract-plugins`, `install-plugins`, `migrate-data-for-plugin`) and
 * 1.9's `transform-datasource-credentials`, which ask for input and install plugins from the marketplace (README,
 * "Upgrade Dify"); 1.15's `rbac-migrate-member-roles` and 1.16's `data-migrate rbac-migrate-dataset-permissions` (they write to
 * the enterprise edition's RBAC service, api/services/enterprise/rbac_service.py); 1.16's
 * `backfill-workflow-run-archive-bundles`, which indexes archives that the optional `archive-workflow-runs` made.
 */
const DATA_MIGRATIONS: readonly { readonly since: string; readonly migration: DataMigration }[] = [
  {
    // api/commands/plugin.py (1.15.0): fills the category-scoped plugin auto-upgrade strategies that 1.15's migration
    // adds, from the installed plugins the daemon lists.
    since: '1.15.0',
    migration: { job: 'plugin-backfill', args: ['backfill-plugin-auto-upgrade'], after: 'pluginDaemon' },
  },
  {
    // api/commands/data_migrate.py (1.15.0, langgenius/dify#36520): rewrites the legacy model types (text-generation,
    // embeddings, reranking) to llm, text-embedding, rerank in the provider tables; 1.17 no longer reads the legacy
    // ones (langgenius/dify#41294). A dry run unless `--apply`. It picks only rows with a legacy value
    // (api/services/legacy_model_type_migration.py), so a second run changes nothing; it needs the database and Redis
    // (it drops cached credentials). `--concurrency` defaults to the node's CPU count: two tenant threads instead.
    since: '1.15.0',
    migration: { job: 'data-migrate', args: ['data-migrate', 'legacy-model-types', '--apply', '--concurrency', '2'], after: 'schema' },
  },
];

/** The socket.io route of workflow collaboration, served by the `api_websocket` service. */
export const COLLABORATION_ROUTE: Route = { path: '/socket.io/', target: 'apiWebsocket', websocket: true };

/** What a supported Dify version runs. Throws for a version not in {@link DIFY_RELEASES}. */
export function difyFeatures(version: string): DifyFeatures {
  const release = DIFY_RELEASES[version];
  if (!release) throw new Error(`Dify ${version} is not supported (supported: ${Object.keys(DIFY_RELEASES).join(', ')})`);
  return {
    version,
    sandboxTag: release.sandbox,
    sandboxHealth: atLeast(release.sandbox, SANDBOX_HEALTH_SINCE) ? { kind: 'http', path: '/health' } : { kind: 'tcp' },
    pluginDaemonTag: release.pluginDaemon,
    daemonPipMirrorAutoDetect: release.pluginDaemon !== undefined && atLeast(release.pluginDaemon.replace(/-local$/, ''), '0.6.3'),
    beat: atLeast(version, '1.7.0'),
    migration: atLeast(version, '1.7.0') ? { kind: 'mode' } : { kind: 'command', command: ['flask', 'db', 'upgrade'] },
    sentinel: atLeast(version, '1.0.0'),
    pluginPackageSizeVariable: release.pluginDaemon !== undefined,
    qdrantReplicationFactorVariable: atLeast(version, '1.0.0'),
    dbTypeVariable: atLeast(version, '1.0.0'),
    milvus25Client: atLeast(version, '1.0.0'),
    volumeStorageType: atLeast(version, '1.0.0') ? 'opendal' : 'local',
    triggers: atLeast(version, '1.10.0'),
    collaborationSwitch: atLeast(version, '1.14.0'),
    websocketService: atLeast(version, '1.14.1'),
    webCollaborationSwitch: atLeast(version, '1.15.0') && !atLeast(version, '1.16.0'),
    serverConsoleApiUrl: atLeast(version, '1.15.0'),
    webConsoleWebUrl: atLeast(version, '1.16.0'),
    webEdition: !atLeast(version, '1.16.0'),
    webMarketplaceSwitch: atLeast(version, '1.15.0') && !atLeast(version, '1.16.0'),
    redisKeepalive: atLeast(version, '1.16.0'),
    redisTls: atLeast(version, '1.13.0'),
    ssrfProxyAllUrl: atLeast(version, '0.11.0'),
    workerQueues: [...release.workerQueues].sort(),
    dataMigrations: DATA_MIGRATIONS.filter((entry) => atLeast(version, entry.since)).map((entry) => entry.migration),
    agent: release.agent && { backendTag: release.agent.backend, localSandboxTag: release.agent.localSandbox, localSandboxStatePath: '/home', localSandboxHome: '/home/dify' },
    routes: routesOf(version),
  };
}
