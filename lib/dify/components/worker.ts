import { Construct } from 'constructs';
import { backendDeployment } from './backend-deployment';
import { DifyContext } from '../dify-context';

/**
 * The Celery worker (dataset indexing, generation, mail). No probe: the only check, `celery inspect ping`, is heavy
 * enough to hurt (dify#7869), and a worker that loses the broker exits on its own.
 */
export class DifyWorker extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    backendDeployment(this, 'Deployment', ctx, 'worker', 'worker', { terminationGracePeriodSeconds: 120 });
  }
}
