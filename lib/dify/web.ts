import { Construct } from 'constructs';
import { DifyContext } from './dify-context';
import { DIFY_PORTS } from './services';
import { deployment, env, httpProbe, RESTRICTED_CONTAINER, service, withExtraEnv } from './workload';

/** The console and web apps (Next.js). It calls the api through the public URL, as the browser does. */
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
      env: withExtraEnv([env('CONSOLE_API_URL', base), env('APP_API_URL', base), ...marketplace, env('NEXT_TELEMETRY_DISABLED', 1)], settings.env),
      ports: [{ name: 'http', containerPort: port }],
      readinessProbe: httpProbe('/apps', port, {}, probeHeaders),
      livenessProbe: httpProbe('/apps', port, { initialDelaySeconds: 30, periodSeconds: 20 }, probeHeaders),
      // Next.js writes its cache next to the app, so the root filesystem stays writable.
      securityContext: RESTRICTED_CONTAINER,
    });
    service(this, 'Service', 'web', ctx.config.features.version, ctx.namespace, [{ name: 'http', port }]);
  }
}
