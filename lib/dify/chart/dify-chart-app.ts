import { ApiObject, App, Chart, Helm } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError, formatProblem } from '../../config/config-error';
import { applyComponentPolicies } from '../components/component-policies';
import { SYNC_WAVE } from '../components/workload';
import { DifyAppProps } from '../dify-app';
import { DifyContext } from '../dify-context';
import { DIFY_DATABASE, DifyDatabaseJob, PLUGIN_DATABASE, waitForDatabase } from '../jobs/database-job';
import { DifyMigrationJob } from '../jobs/migration-job';
import { DifyFileStorage } from '../storage/file-storage';
import { AppSecretKey, DifyAppSecrets } from '../wiring/app-secrets';
import { CHART_RELEASE_NAME, mergeValues, platformValues } from './chart-values';
import { ChartMetadata, ChartProblem, findHelm, localChartDir, prepareChart, REPLACED_DEPENDENCIES } from './chart-source';
import { hardenObjects, HardeningRules } from './harden';
import { cachedRender, cacheRender, renderKey } from './render-cache';
import { env, secretEnv } from '../components/workload';
import * as k8s from '../../k8s';

/** The Kubernetes version charts are rendered for: the one the output is validated against (cdk8s-plus-28). */
const KUBE_VERSION = '1.28.0';

/** The chart's backend components (douban: `worker-beat` for beat), which migrate on start unless told not to. */
const BACKEND_COMPONENTS = ['api', 'worker', 'worker-beat', 'beat'];

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
  ...BACKEND_FOREIGN_ENV, 'EDITION', 'CONSOLE_API_URL', 'CONSOLE_WEB_URL', 'SERVICE_API_URL', 'APP_WEB_URL', 'ENDPOINT_URL_TEMPLATE',
  'MIGRATION_ENABLED', 'SECRET_KEY', 'LOG_LEVEL', 'STORAGE_TYPE', 'S3_ENDPOINT', 'S3_USE_AWS_MANAGED_IAM', 'S3_ACCESS_KEY', 'S3_SECRET_KEY',
  'S3_REGION', 'S3_BUCKET_NAME', 'S3_ADDRESS_STYLE', 'VECTOR_STORE', 'QDRANT_URL', 'QDRANT_REPLICATION_FACTOR', 'QDRANT_GRPC_PORT',
  'QDRANT_GRPC_ENABLED', 'QDRANT_CLIENT_TIMEOUT', 'CODE_EXECUTION_ENDPOINT', 'CODE_EXECUTION_API_KEY', 'PLUGIN_DAEMON_URL', 'PLUGIN_DAEMON_KEY',
  'MARKETPLACE_API_URL', 'INNER_API_KEY_FOR_PLUGIN', 'CELERY_BACKEND', 'CELERY_BROKER_URL', 'CELERY_USE_SENTINEL',
  'CELERY_SENTINEL_MASTER_NAME', 'CELERY_SENTINEL_PASSWORD',
];

export interface DifyChartAppProps extends DifyAppProps {
  /** Where the config came from, for error lines. */
  readonly source: string;
  /** Where a relative `dify.chart.path` starts. @default - the working directory */
  readonly baseDir?: string;
}

/**
 * The app tier rendered from a community Dify chart (`dify.chart`): the platform's Secret, database Job, file storage
 * and migration Job as in the native tier, and the chart's objects rendered by cdk8s's Helm construct with the
 * platform's values (chart-values.ts), then hardened (harden.ts).
 */
export class DifyChartApp extends Construct {
  /** The chart that was rendered, as its Chart.yaml names it. */
  public readonly chart: ChartMetadata;

  constructor(scope: Construct, id: string, props: DifyChartAppProps) {
    super(scope, id);
    const { config, namespace } = props;
    const features = config.features;
    const secrets = new DifyAppSecrets(this, 'Secrets', {
      namespace, version: features.version, image: config.images.bootstrap, existingSecret: config.existingSecret,
      externalSecret: config.settings.externalSecret,
    });
    new DifyDatabaseJob(this, 'Databases', {
      namespace, version: features.version, image: config.images.postgres, postgresql: props.postgresql,
      databases: features.pluginDaemonTag ? [DIFY_DATABASE, PLUGIN_DATABASE] : [DIFY_DATABASE],
    });
    const fileStorage = new DifyFileStorage(this, 'FileStorage', { namespace, config, secrets });
    const ctx: DifyContext = { ...props, secrets, fileStorage };
    new DifyMigrationJob(this, 'Migration', ctx);

    const { chart, objects } = this.guarded(props, () => renderChart(ctx, props.baseDir ?? process.cwd()));
    this.chart = chart;
    const hardened = this.guarded(props, () => hardenObjects(objects, hardeningRules(ctx, sandboxUrl(objects))));
    for (const object of hardened) new ApiObject(this, `${object.kind}-${object.metadata.name}`, object as never);
    // The platform's own Jobs take dify.imagePullSecrets and imagePullPolicy like the native tier's.
    applyComponentPolicies(this, config.settings);
  }

  /** Runs a step of rendering, turning its problems into the config's error lines. */
  private guarded<T>(props: DifyChartAppProps, step: () => T): T {
    try {
      return step();
    } catch (error) {
      if (error instanceof ChartProblem) throw new ConfigError([formatProblem(props.source, error.setting, error.value, error.allowed)]);
      const chart = props.config.settings.chart;
      const given = chart?.path ?? `${chart?.repo} ${chart?.name} ${chart?.version}`;
      const lines = (error as Error).message.trim().split('\n').filter(Boolean);
      throw new ConfigError(lines.map((line) => formatProblem(props.source, 'dify.chart', given, line.replace(/^Error: /, 'helm: '))));
    }
  }
}

interface RenderedChart {
  readonly chart: ChartMetadata;
  readonly objects: Record<string, any>[];
}

/**
 * `helm template` of a prepared copy of the chart, through cdk8s's Helm construct, as plain objects; or the same
 * render from the cache. A chart folder is looked up by its own files (the copy is made from them alone), so a
 * cached render costs no copy; a repository chart is pulled first.
 */
function renderChart(ctx: DifyContext, baseDir: string): RenderedChart {
  const settings = ctx.config.settings.chart!;
  const helm = findHelm();
  const inputs = {
    releaseName: CHART_RELEASE_NAME,
    namespace: ctx.namespace,
    values: mergeValues(platformValues(ctx), settings.values ?? {}),
    helmFlags: ['--skip-tests', '--kube-version', KUBE_VERSION],
  };
  // What the copy leaves out is part of the key: a change to it must not find an older render.
  const keyOf = (dir: string) => renderKey(dir, helm, { ...inputs, dropped: REPLACED_DEPENDENCIES });
  const folderKey = settings.path !== undefined ? keyOf(localChartDir(settings.path, baseDir)) : undefined;
  const early = folderKey && cachedRender<RenderedChart>(folderKey);
  if (early) return early;
  const prepared = prepareChart(settings, helm, baseDir);
  try {
    const key = folderKey ?? keyOf(prepared.dir);
    const cached = folderKey ? undefined : cachedRender<RenderedChart>(key);
    if (cached) return cached;
    // A scratch app: the objects are hardened before any becomes part of the platform.
    const rendered = new Helm(new Chart(new App(), 'render'), 'Chart', { chart: prepared.dir, helmExecutable: helm, ...inputs });
    const render = {
      chart: { name: prepared.name, version: prepared.version, appVersion: prepared.appVersion },
      objects: rendered.apiObjects.map((object) => object.toJson()),
    };
    cacheRender(key, render);
    return render;
  } finally {
    prepared.dispose();
  }
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
function hardeningRules(ctx: DifyContext, sandbox: string | undefined): HardeningRules {
  const { images } = ctx.config;
  const waitFor = (database: string) => [k8s.toJson_Container(waitForDatabase(images.postgres, ctx.postgresql, database))!];
  const waitForDify = waitFor(DIFY_DATABASE);
  return {
    secretEnv: new Map(Object.entries(CHART_SECRET_ENV).map(([name, key]) => [name, ctx.secrets.ref(key)])),
    componentEnv: {
      ...Object.fromEntries(BACKEND_COMPONENTS.map((component) => [component, [
        env('MIGRATION_ENABLED', false),
        ...(sandbox ? [env('CODE_EXECUTION_ENDPOINT', sandbox), secretEnv('CODE_EXECUTION_API_KEY', ctx.secrets.ref('sandboxApiKey'))] : []),
      ]])),
      // The chart's default puts the daemon in its own database; the platform makes sure of it whatever the values.
      'plugin-daemon': [env('DB_DATABASE', PLUGIN_DATABASE)],
    },
    foreignEnv: {
      ...Object.fromEntries(BACKEND_COMPONENTS.map((component) => [component, BACKEND_FOREIGN_ENV])),
      sandbox: ['PLACEHOLDER'],
      // dify.backendEnv is for api, worker and beat, as on the native tier; the chart's backend env reaches the daemon too.
      'plugin-daemon': [...PLUGIN_DAEMON_FOREIGN_ENV, ...ctx.config.backendEnv.map((variable) => variable.name)],
    },
    initContainers: {
      ...Object.fromEntries(BACKEND_COMPONENTS.map((component) => [component, waitForDify])),
      'plugin-daemon': waitFor(PLUGIN_DATABASE),
    },
    syncWave: SYNC_WAVE.workloads,
    labels: { 'app.kubernetes.io/part-of': 'dify', 'app.kubernetes.io/version': ctx.config.features.version },
  };
}
