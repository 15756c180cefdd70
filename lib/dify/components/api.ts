import { Construct } from 'constructs';
import { backendDeployment } from './backend-deployment';
import { DifyContext } from '../dify-context';
import { DIFY_PORTS } from '../wiring/services';
import { httpProbe, service } from './workload';

/** Dify's API server (console API, service API, files), behind `/console/api`, `/api`, `/v1`, `/files` and more. */
export class DifyApi extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const port = DIFY_PORTS.api;
    backendDeployment(this, 'Deployment', ctx, 'api', 'api', {
      ports: [{ name: 'http', containerPort: port }],
      readinessProbe: httpProbe('/health', port),
      // Generous start: the api loads the whole application (and its plugins' models) before /health answers.
      livenessProbe: httpProbe('/health', port, { initialDelaySeconds: 60, periodSeconds: 20, failureThreshold: 6 }),
    });
    service(this, 'Service', 'api', ctx.config.features.version, ctx.namespace, [{ name: 'http', port }]);
  }
}
