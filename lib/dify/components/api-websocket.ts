import { Construct } from 'constructs';
import { backendDeployment } from './backend-deployment';
import { backendEnv } from '../wiring/backend-env';
import { DifyContext } from '../dify-context';
import { componentName, DIFY_PORTS } from '../wiring/services';
import { env, service, tcpProbe, withExtraEnv } from './workload';

/**
 * Workflow collaboration's socket.io server (Dify 1.14.1 and later, `dify.collaboration`): the api image in api mode
 * with gunicorn's gevent websocket worker, as Dify's compose file runs its `api_websocket` service (one worker, a
 * thousand connections, a six-minute timeout). The Ingress sends `/socket.io/` here.
 * Probed by TCP: Dify gives this service no health check, and the websocket worker's answer to plain HTTP was not
 * verified.
 */
export class DifyApiWebsocket extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const port = DIFY_PORTS.apiWebsocket;
    const settings = ctx.config.components.apiWebsocket;
    backendDeployment(this, 'Deployment', ctx, 'apiWebsocket', 'api', {
      env: withExtraEnv([
        ...backendEnv(ctx, 'api'),
        env('SERVER_WORKER_CLASS', 'geventwebsocket.gunicorn.workers.GeventWebSocketWorker'),
        env('SERVER_WORKER_AMOUNT', 1),
        env('SERVER_WORKER_CONNECTIONS', 1000),
        env('GUNICORN_TIMEOUT', 360),
      ], ctx.config.backendEnv, settings.env),
      ports: [{ name: 'http', containerPort: port }],
      readinessProbe: tcpProbe(port),
      livenessProbe: tcpProbe(port, { initialDelaySeconds: 30, periodSeconds: 20 }),
    });
    service(this, 'Service', componentName('apiWebsocket'), ctx.config.features.version, ctx.namespace, [{ name: 'http', port }]);
  }
}
