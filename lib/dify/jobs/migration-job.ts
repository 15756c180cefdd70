import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { backendEnv } from '../wiring/backend-env';
import { redisCaMounts, redisCaVolumes } from '../wiring/redis-tls';
import { API_IMAGE_SECURITY, backendPodSecurity } from '../components/backend-deployment';
import { waitForDatabase } from './database-job';
import { DifyContext } from '../dify-context';
import { jobResources, scriptJob } from './job';
import { resourceRequirements, SYNC_WAVE, withExtraEnv } from '../components/workload';
import { brokerCredentialsCheck } from './broker-credentials-check';

/**
 * How long the Job's check waits for the schema after the migration step: longer than the upgrade lock's 60 s TTL
 * (`DB_UPGRADE_LOCK_TTL_SECONDS`, api/commands/system.py), so a lock left by a killed pod has expired by the retry.
 */
const CHECK_WAIT_SECONDS = 90;

/**
 * Migrates the schema once per Dify version, before the workloads roll: the api image's `MODE=migration` where the
 * entrypoint has it, else the image's migration command (features.ts). No long-running pod migrates.
 * Named by version and content, so an upgrade creates a new Job and an unchanged version is a no-op for
 * `kubectl apply`. One pod at a time: concurrent migrations race for a Redis lock with a 60 s TTL (dify#32297).
 *
 * The migration runs as an init container and the pod's one container is the schema check: `flask upgrade-db` exits
 * 0 with "Database migration skipped" when another holder has the lock, so the Job succeeds only once the
 * database is at the head the image's revision files name, and otherwise fails and is retried.
 */
export class DifyMigrationJob extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const version = ctx.config.features.version;
    const migration = ctx.config.features.migration;
    const gate = ctx.schemaGate;
    const migrate: k8s.Container = {
      name: 'migrate',
      image: ctx.config.images.api,
      imagePullPolicy: 'IfNotPresent',
      command: migration.kind === 'command' ? [...migration.command] : undefined,
      env: withExtraEnv(backendEnv(ctx, 'migration'), ctx.config.backendEnv),
      // It loads the whole api application, as an api pod does.
      resources: resourceRequirements(ctx.config.components.api.resources),
      securityContext: API_IMAGE_SECURITY,
      volumeMounts: ctx.fileStorage.volumeMounts.length || ctx.redis.tls?.ca ? [...ctx.fileStorage.volumeMounts, ...redisCaMounts(ctx.redis)] : undefined,
    };
    const check = gate.waitContainer('schema-check', CHECK_WAIT_SECONDS);
    scriptJob(this, 'Job', {
      base: `dify-migrate-${version.replace(/\./g, '-')}`,
      component: 'migration',
      version,
      namespace: ctx.namespace,
      wave: SYNC_WAVE.migration,
      image: check.image!,
      command: check.command,
      env: check.env!,
      resources: jobResources(),
      securityContext: check.securityContext,
      podSecurityContext: backendPodSecurity(),
      // The broker check first: Redis credentials the broker URL cannot carry stop the version before anything migrates.
      initContainers: [brokerCredentialsCheck(ctx), waitForDatabase(ctx.config.images.postgres, ctx.postgresql, ctx.databases.dify), migrate, gate.headsContainer()],
      volumes: [...ctx.fileStorage.volumes, ...gate.volumes(), ...redisCaVolumes(ctx.redis)],
      volumeMounts: check.volumeMounts,
      backoffLimit: 3,
    });
  }
}
