import { Construct } from 'constructs';
import { backendDeployment } from './backend-deployment';
import { DifyContext } from '../dify-context';

/**
 * Celery beat (Dify 1.7 and later): schedule triggers and plugin auto-upgrade. Exactly one replica, replaced with
 * Recreate, because two beats would fire every schedule twice.
 */
export class DifyWorkerBeat extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    backendDeployment(this, 'Deployment', ctx, 'beat', 'beat', { replicas: 1, recreate: true });
  }
}
