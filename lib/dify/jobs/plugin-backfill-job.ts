import { Construct } from 'constructs';
import { backendEnv } from '../wiring/backend-env';
import { API_IMAGE_SECURITY, backendPodSecurity } from '../components/backend-deployment';
import { DIFY_DATABASE, waitForDatabase } from './database-job';
import { DifyContext } from '../dify-context';
import { jobResources, scriptJob } from './job';
import { DIFY_PORTS, serviceName } from '../wiring/services';
import { RESTRICTED_CONTAINER, SYNC_WAVE, withExtraEnv } from '../components/workload';

/**
 * The one-off `flask backfill-plugin-auto-upgrade` of Dify 1.15: it fills the category-scoped plugin auto-upgrade
 * strategies the 1.15 migration adds, splitting them by the installed plugins' categories, which it asks the plugin
 * daemon for. So it runs after the workloads (the last sync wave) and waits for the daemon. One Job per version
 * (named by version and content, like the migration); the command is idempotent, so a later version's run finds
 * nothing left to do.
 */
export class DifyPluginBackfillJob extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const version = ctx.config.features.version;
    const daemonHealth = `http://${serviceName('pluginDaemon')}:${DIFY_PORTS.pluginDaemon}/health/check`;
    scriptJob(this, 'Job', {
      base: `dify-plugin-backfill-${version.replace(/\./g, '-')}`,
      component: 'plugin-backfill',
      version,
      namespace: ctx.namespace,
      wave: SYNC_WAVE.afterWorkloads,
      image: ctx.config.images.api,
      // The entrypoint's MODE=job runs `flask <args>` and exits with its status.
      args: ['backfill-plugin-auto-upgrade'],
      env: withExtraEnv(backendEnv(ctx, 'job'), ctx.config.backendEnv),
      resources: jobResources(),
      securityContext: API_IMAGE_SECURITY,
      podSecurityContext: backendPodSecurity(),
      initContainers: [
        waitForDatabase(ctx.config.images.postgres, ctx.postgresql, DIFY_DATABASE),
        {
          name: 'wait-for-plugin-daemon',
          image: ctx.config.images.bootstrap,
          imagePullPolicy: 'IfNotPresent',
          command: ['/bin/sh', '-c', `until curl -sf -o /dev/null ${daemonHealth}; do echo "waiting for the plugin daemon"; sleep 5; done`],
          resources: jobResources(),
          securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 100 },
        },
      ],
      volumes: ctx.fileStorage.volumes,
      volumeMounts: ctx.fileStorage.volumeMounts,
      // Applied all at once (without Argo CD's waves) it may start before the migration has finished: retry.
      backoffLimit: 10,
    });
  }
}
