import { Construct } from 'constructs';
import { backendEnv } from '../wiring/backend-env';
import { API_IMAGE_SECURITY, backendPodSecurity } from '../components/backend-deployment';
import { DIFY_DATABASE, waitForDatabase } from './database-job';
import { DifyContext } from '../dify-context';
import { jobResources, scriptJob } from './job';
import { SYNC_WAVE, withExtraEnv } from '../components/workload';

/**
 * Migrates the schema once per Dify version, before the workloads roll: the api image's `MODE=migration` where the
 * entrypoint has it, else the image's migration command (features.ts). No long-running pod migrates.
 * Named by version and content, so an upgrade creates a new Job and an unchanged version is a no-op for
 * `kubectl apply`. One pod at a time: concurrent migrations race for a Redis lock with a 60 s TTL (dify#32297).
 */
export class DifyMigrationJob extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const version = ctx.config.features.version;
    const migration = ctx.config.features.migration;
    scriptJob(this, 'Job', {
      base: `dify-migrate-${version.replace(/\./g, '-')}`,
      component: 'migration',
      version,
      namespace: ctx.namespace,
      wave: SYNC_WAVE.migration,
      image: ctx.config.images.api,
      command: migration.kind === 'command' ? migration.command : undefined,
      env: withExtraEnv(backendEnv(ctx, 'migration'), ctx.config.backendEnv),
      resources: jobResources(),
      securityContext: API_IMAGE_SECURITY,
      podSecurityContext: backendPodSecurity(),
      initContainers: [waitForDatabase(ctx.config.images.postgres, ctx.postgresql, DIFY_DATABASE)],
      volumes: ctx.fileStorage.volumes,
      volumeMounts: ctx.fileStorage.volumeMounts,
      backoffLimit: 3,
    });
  }
}
