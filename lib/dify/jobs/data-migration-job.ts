import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { backendEnv } from '../wiring/backend-env';
import { redisCaMounts, redisCaVolumes } from '../wiring/redis-tls';
import { API_IMAGE_SECURITY, backendPodSecurity } from '../components/backend-deployment';
import { waitForDatabase } from './database-job';
import { DifyContext } from '../dify-context';
import { jobResources, scriptJob } from './job';
import { DIFY_PORTS, serviceName } from '../wiring/services';
import { RESTRICTED_CONTAINER, resourceRequirements, SYNC_WAVE, withExtraEnv } from '../components/workload';
import { DataMigration } from '../features';

/**
 * One of Dify's one-off data migrations (features.ts lists them per version), run by the api image's `MODE=job`.
 * One Job per version, named by version and content like the migration Job: the commands are idempotent, so a later
 * version's run finds nothing left to do.
 *
 * A migration that needs only the databases waits for the version's schema and runs in the migration's wave, before
 * the workloads; its pods are part of the migration (the component label the network policy lets reach the
 * databases). One that asks the plugin daemon runs after the workloads (the last wave) and waits for the daemon.
 */
export class DifyDataMigrationJob extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext, migration: DataMigration) {
    super(scope, id);
    const version = ctx.config.features.version;
    const afterSchema = migration.after === 'schema';
    const initContainers = afterSchema
      ? ctx.schemaGate.initContainers()
      : [waitForDatabase(ctx.config.images.postgres, ctx.postgresql, ctx.databases.dify), waitForPluginDaemon(ctx)];
    scriptJob(this, 'Job', {
      base: `dify-${migration.job}-${version.replace(/\./g, '-')}`,
      component: afterSchema ? 'migration' : 'plugin-backfill',
      version,
      namespace: ctx.namespace,
      wave: afterSchema ? SYNC_WAVE.migration : SYNC_WAVE.afterWorkloads,
      image: ctx.config.images.api,
      // The entrypoint's MODE=job runs `flask <args>` and exits with its status.
      args: migration.args,
      env: withExtraEnv(backendEnv(ctx, 'job'), ctx.config.backendEnv),
      // The command loads the whole api application, as an api pod does: the api's resources, not a small Job's.
      resources: resourceRequirements(ctx.config.components.api.resources),
      securityContext: API_IMAGE_SECURITY,
      podSecurityContext: backendPodSecurity(),
      initContainers,
      volumes: [...ctx.fileStorage.volumes, ...(afterSchema ? ctx.schemaGate.volumes() : []), ...redisCaVolumes(ctx.redis)],
      volumeMounts: [...ctx.fileStorage.volumeMounts, ...redisCaMounts(ctx.redis)],
      // Applied all at once (without Argo CD's waves) the daemon may not be up yet: retry.
      backoffLimit: afterSchema ? 6 : 10,
    });
  }
}

function waitForPluginDaemon(ctx: DifyContext): k8s.Container {
  const daemonHealth = `http://${serviceName('pluginDaemon')}:${DIFY_PORTS.pluginDaemon}/health/check`;
  return {
    name: 'wait-for-plugin-daemon',
    image: ctx.config.images.bootstrap,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', `until curl -sf -o /dev/null ${daemonHealth}; do echo "waiting for the plugin daemon"; sleep 5; done`],
    resources: jobResources(),
    securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 100 },
  };
}

/** The Jobs of the version's data migrations (features.ts), for the native tier and the chart's alike. */
export function dataMigrationJobs(scope: Construct, ctx: DifyContext): void {
  for (const migration of ctx.config.features.dataMigrations) {
    const id = migration.job.split('-').map((word) => word[0].toUpperCase() + word.slice(1)).join('');
    new DifyDataMigrationJob(scope, id, ctx, migration);
  }
}
