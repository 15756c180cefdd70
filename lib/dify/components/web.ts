import { Construct } from 'constructs';
import { DifyContext } from '../dify-context';
import * as k8s from '../../k8s';
import { DifyConfig } from '../dify-config';
import { DIFY_PORTS, serviceUrl } from '../wiring/services';
import { deployment, env, httpProbe, RESTRICTED_CONTAINER, service, withExtraEnv } from './workload';

/**
 * What web is told about the version's optional features: its server-side api address (1.15+), the socket.io URL
 * when collaboration runs (and the 1.15 web's own copy of the switch), whether Agent v2 runs (1.16+).
 */
function featureEnv(config: DifyConfig): k8s.EnvVar[] {
  const { features, collaboration, agent } = config;
  const socketUrl = config.publicUrl.replace(/^http/, 'ws');
  return [
    ...(features.serverConsoleApiUrl ? [env('SERVER_CONSOLE_API_URL', serviceUrl('api'))] : []),
    ...(features.collaborationSwitch && collaboration ? [env('NEXT_PUBLIC_SOCKET_URL', socketUrl)] : []),
    ...(features.webCollaborationSwitch ? [env('ENABLE_COLLABORATION_MODE', collaboration)] : []),
    ...(features.agent ? [env('NEXT_PUBLIC_ENABLE_AGENT_V2', agent)] : []),
  ];
}

/**
 * The console and web apps (Next.js). The browser calls the api through the public URL; from 1.15 web's own
 * server-side calls go to the api's Service.
 */
export class DifyWeb extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const port = DIFY_PORTS.web;
    const settings = ctx.config.components.web;
    const base = ctx.config.publicUrl;
    const marketplace = ctx.config.features.pluginDaemonTag
      ? [env('MARKETPLACE_API_URL', 'https://marketplace.dify.ai'), env('MARKETPLACE_URL', 'https://marketplace.dify.ai')]
      : [];
    // The charts probe /apps with a language header: without it the page redirects instead of answering.
    const probeHeaders = [{ name: 'accept-language', value: 'en' }];
    deployment(this, 'Deployment', {
      component: 'web',
      version: ctx.config.features.version,
      namespace: ctx.namespace,
      image: ctx.config.images.web,
      replicas: settings.replicas,
      resources: settings.resources,
      env: withExtraEnv([
        env('CONSOLE_API_URL', base), env('APP_API_URL', base), ...marketplace, env('NEXT_TELEMETRY_DISABLED', 1),
        // Next's standalone server.js binds HOSTNAME (facts/dify-settings/<version>/web.txt), which the container
        // runtime sets to the pod's name: it would listen on the pod IP only, and `kubectl port-forward`, which
        // connects on loopback, would be refused.
        env('HOSTNAME', '0.0.0.0'),
        ...featureEnv(ctx.config),
      ], settings.env),
      ports: [{ name: 'http', containerPort: port }],
      readinessProbe: httpProbe('/apps', port, {}, probeHeaders),
      livenessProbe: httpProbe('/apps', port, { initialDelaySeconds: 30, periodSeconds: 20 }, probeHeaders),
      // Next.js writes its cache next to the app, so the root filesystem stays writable.
      securityContext: RESTRICTED_CONTAINER,
      spread: true,
    });
    service(this, 'Service', 'web', ctx.config.features.version, ctx.namespace, [{ name: 'http', port }]);
  }
}
