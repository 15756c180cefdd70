import { Construct } from 'constructs';
import { backendDeployment } from './backend-deployment';
import { DifyContext } from '../dify-context';
import { env } from './workload';
import * as k8s from '../../k8s';

/** Dify's docker-compose file runs its worker with CELERY_WORKER_AMOUNT 4; the entrypoint alone runs 1. */
export const DEFAULT_WORKER_CONCURRENCY = 4;

/** Time for a task that is running to finish when a worker pod stops (Celery's warm shutdown). */
export const WORKER_TERMINATION_GRACE_SECONDS = 120;

/**
 * The queues a worker consumes: for the default worker, every one the version's code sends tasks to (features.ts)
 * that no pool takes. The entrypoint's default list misses some, and a task sent to a queue no worker reads is never run.
 */
export function workerQueueEnv(queues: readonly string[]): k8s.EnvVar {
  return env('CELERY_QUEUES', queues.join(','));
}

/**
 * The Celery worker (dataset indexing, generation, mail). No probe: the only check, `celery inspect ping`, is heavy
 * enough to hurt (dify#7869), and a worker that loses the broker exits on its own.
 */
export class DifyWorker extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const concurrency = ctx.config.settings.worker?.concurrency ?? DEFAULT_WORKER_CONCURRENCY;
    backendDeployment(this, 'Deployment', ctx, 'worker', 'worker', { terminationGracePeriodSeconds: WORKER_TERMINATION_GRACE_SECONDS }, [env('CELERY_WORKER_AMOUNT', concurrency), workerQueueEnv(ctx.config.workerQueues)]);
  }
}
