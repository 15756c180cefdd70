import { Construct } from 'constructs';
import { backendDeployment } from './backend-deployment';
import { DifyContext } from '../dify-context';
import { env } from './workload';
import * as k8s from '../../k8s';
import { DifyFeatures } from '../features';

/** Dify's docker-compose file runs its worker with CELERY_WORKER_AMOUNT 4; the entrypoint alone runs 1. */
export const DEFAULT_WORKER_CONCURRENCY = 4;

/**
 * The queues the worker consumes: every one the version's code sends tasks to (features.ts). The entrypoint's default
 * list misses some, and a task sent to a queue no worker reads is never run.
 */
export function workerQueueEnv(features: DifyFeatures): k8s.EnvVar {
  return env('CELERY_QUEUES', features.workerQueues.join(','));
}

/**
 * The Celery worker (dataset indexing, generation, mail). No probe: the only check, `celery inspect ping`, is heavy
 * enough to hurt (dify#7869), and a worker that loses the broker exits on its own.
 */
export class DifyWorker extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const concurrency = ctx.config.settings.worker?.concurrency ?? DEFAULT_WORKER_CONCURRENCY;
    backendDeployment(this, 'Deployment', ctx, 'worker', 'worker', { terminationGracePeriodSeconds: 120 }, [env('CELERY_WORKER_AMOUNT', concurrency), workerQueueEnv(ctx.config.features)]);
  }
}
