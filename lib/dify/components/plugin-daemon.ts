import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { databaseEnv, redisEnv } from '../wiring/backend-env';
import { waitForDatabase } from '../jobs/database-job';
import { DifyContext } from '../dify-context';
import { daemonSslMode } from '../wiring/postgres-tls';
import { redisCaMounts, redisCaVolumes } from '../wiring/redis-tls';
import { egressProxyEnv } from '../wiring/egress-proxy';
import { componentName, DIFY_PORTS, serviceUrl } from '../wiring/services';
import { deployment, env, httpProbe, labelsOf, RESTRICTED_CONTAINER, secretEnv, service, SYNC_WAVE, syncWave, withExtraEnv } from './workload';

/** Where the daemon's volume is mounted; the chart tier mounts BorisPolonsky's plugin volume here too. */
export const PLUGIN_STORAGE_ROOT = '/app/storage';
/**
 * The daemon's working directory (unpacked plugins and their Python environments) is on the plugin volume, where
 * Dify's compose file puts it (`PLUGIN_WORKING_PATH: /app/storage/cwd`): on an emptyDir, every restart unpacked
 * every plugin again and rebuilt its environment from PyPI, and a cluster without PyPI lost its plugins.
 */
const WORKING_PATH = `${PLUGIN_STORAGE_ROOT}/cwd`;

/**
 * Runs Dify's plugins (Dify 1.0 and later), with its own database (`dify_plugin` unless the server given names another) and a volume for installed plugins
 * (its working directory is on that volume too).
 * The volume is ReadWriteOnce, so the daemon runs one pod replaced with Recreate (a rolling update would wait
 * forever for the volume the old pod holds).
 */
export class DifyPluginDaemon extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const image = ctx.config.images.pluginDaemon;
    if (!image) throw new Error(`Dify ${ctx.config.features.version} has no plugin daemon`);
    const component = componentName('pluginDaemon');
    const port = DIFY_PORTS.pluginDaemon;
    const settings = ctx.config.components.pluginDaemon;
    const version = ctx.config.features.version;
    const storage = ctx.config.settings.pluginStorage ?? {};
    const claimName = 'dify-plugin-storage';
    new k8s.KubePersistentVolumeClaim(this, 'Storage', {
      metadata: { name: claimName, namespace: ctx.namespace, labels: labelsOf(component, version), annotations: syncWave(SYNC_WAVE.bootstrap) },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: storage.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(storage.size ?? '10Gi') } },
      },
    });
    const pg = ctx.postgresql;
    deployment(this, 'Deployment', {
      component,
      version,
      namespace: ctx.namespace,
      image,
      replicas: 1,
      recreate: true,
      // One pod, placed by the same preferences as the other serving components.
      spread: true,
      resources: settings.resources,
      env: withExtraEnv(pluginDaemonEnv(ctx), settings.env),
      ports: [{ name: 'http', containerPort: port }, { name: 'debug', containerPort: DIFY_PORTS.pluginDebug }],
      readinessProbe: httpProbe('/health/check', port),
      livenessProbe: httpProbe('/health/check', port, { initialDelaySeconds: 30, periodSeconds: 20 }),
      // It installs each plugin's Python dependencies at run time, so its root filesystem stays writable.
      securityContext: RESTRICTED_CONTAINER,
      initContainers: [waitForDatabase(ctx.config.images.postgres, pg, ctx.databases.pluginDaemon)],
      volumes: [{ name: 'storage', persistentVolumeClaim: { claimName } }, ...redisCaVolumes(ctx.redis)],
      volumeMounts: [{ name: 'storage', mountPath: PLUGIN_STORAGE_ROOT }, ...redisCaMounts(ctx.redis)],
    });
    service(this, 'Service', component, version, ctx.namespace, [{ name: 'http', port }, { name: 'debug', port: DIFY_PORTS.pluginDebug }]);
  }
}

/**
 * The daemon's wiring: its port, keys, database (with the sslmode), Redis, local plugin storage on its volume and the
 * package limit the api is told too, and the egress proxy. The chart tier gives it to BorisPolonsky's daemon as well.
 */
export function pluginDaemonEnv(ctx: DifyContext): k8s.EnvVar[] {
  const port = DIFY_PORTS.pluginDaemon;
  return [
    env('SERVER_PORT', port),
    secretEnv('SERVER_KEY', ctx.secrets.ref('pluginDaemonKey')),
    env('DIFY_INNER_API_URL', serviceUrl('api')),
    secretEnv('DIFY_INNER_API_KEY', ctx.secrets.ref('innerApiKey')),
    ...databaseEnv(ctx, ctx.databases.pluginDaemon),
    // The daemon refuses to start on anything but disable or require: libpq's mode as the daemon can say it.
    env('DB_SSL_MODE', daemonSslMode(ctx.postgresql.sslMode)),
    ...redisEnv(ctx, 'pluginDaemon'),
    env('PLUGIN_STORAGE_TYPE', 'local'),
    env('PLUGIN_STORAGE_LOCAL_ROOT', PLUGIN_STORAGE_ROOT),
    env('PLUGIN_WORKING_PATH', WORKING_PATH),
    env('PLUGIN_INSTALLED_PATH', 'plugin'),
    env('PLUGIN_PACKAGE_CACHE_PATH', 'plugin_packages'),
    env('PLUGIN_MEDIA_CACHE_PATH', 'assets'),
    env('PLUGIN_REMOTE_INSTALLING_HOST', '0.0.0.0'),
    env('PLUGIN_REMOTE_INSTALLING_PORT', DIFY_PORTS.pluginDebug),
    env('FORCE_VERIFYING_SIGNATURE', true),
    // Plugins' packages come from PyPI (or the PIP_MIRROR_URL a user sets), never from a mirror picked by speed.
    ...(ctx.config.features.daemonPipMirrorAutoDetect ? [env('PIP_MIRROR_AUTO_DETECT', false)] : []),
    env('MAX_PLUGIN_PACKAGE_SIZE', ctx.config.pluginMaxPackageBytes),
    // The daemon passes exactly these three to uv, which installs each plugin's packages, and to the plugins.
    ...egressProxyEnv(ctx),
  ];
}
