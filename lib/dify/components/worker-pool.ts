import { Construct } from 'constructs';
import { backendDeployment } from './backend-deployment';
import { DifyContext } from '../dify-context';
import { ResolvedWorkerPool } from '../dify-config';
import { env } from './workload';
import { DEFAULT_WORKER_CONCURRENCY, WORKER_TERMINATION_GRACE_SECONDS, workerQueueEnv } from './worker';

/**
 * A worker pool (`dify.worker.pools`): a Celery worker Deployment `dify-worker-<name>` that consumes only its own
 * queues, with its own replicas, resources, autoscaling and placement. Its pods are labelled `worker-<name>`, so its
 * selector, budget and autoscaler never take the default worker's pods, nor the default worker's its; the
 * NetworkPolicies let it reach what the default worker reaches (lib/network/network-policies.ts).
 */
export class DifyWorkerPool extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext, pool: ResolvedWorkerPool) {
    super(scope, id);
    backendDeployment(this, 'Deployment', ctx, { component: pool.component, settings: pool }, 'worker',
      { terminationGracePeriodSeconds: WORKER_TERMINATION_GRACE_SECONDS },
      [env('CELERY_WORKER_AMOUNT', pool.concurrency ?? DEFAULT_WORKER_CONCURRENCY), workerQueueEnv(pool.queues)]);
  }
}
