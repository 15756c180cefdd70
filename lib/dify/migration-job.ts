import { Construct } from 'constructs';
import { backendEnv } from './backend-env';
import { API_IMAGE_SECURITY, backendPodSecurity } from './backend-deployment';
import { DIFY_DATABASE, waitForDatabase } from './database-job';
import { DifyContext } from './dify-context';
import { jobResources, scriptJob } from './job';
import { SYNC_WAVE, withExtraEnv } from './workload';

/**
 * Runs `flask upgrade-db` once per Dify version (the api image's `MODE=migration`), before the workloads roll.
 * Named by version and content, so an upgrade creates a new Job and an unchanged version is a no-op for
 * `kubectl apply`. One pod at a time: concurrent migrations race for a Redis lock with a 60 s TTL (dify#32297).
 */
export class DifyMigrationJob extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const version = ctx.config.features.version;
    scriptJob(this, 'Job', {
      base: `dify-migrate-${version.replace(/\./g, '-')}`,
      component: 'migration',
      version,
      namespace: ctx.namespace,
      wave: SYNC_WAVE.migration,
      image: ctx.config.images.api,
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
