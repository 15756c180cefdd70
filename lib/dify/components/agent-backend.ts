import { Construct } from 'constructs';
import { DifyContext } from '../dify-context';
import { componentName, DIFY_PORTS, serviceUrl } from '../wiring/services';
import { redisCaMounts, redisCaVolumes, redisUrl } from '../wiring/redis-tls';
import { egressProxyEnv } from '../wiring/egress-proxy';
import { deployment, env, RESTRICTED_CONTAINER, secretEnv, service, tcpProbe, withExtraEnv } from './workload';

/** Redis database 2: the agent backend's own, apart from Dify's (0) and Celery's (1), as Dify's compose file has it. */
const AGENT_REDIS_DB = 2;

/**
 * Agent v2's backend (Dify 1.16 and later, `dify.agent`): runs agents, keeps their runs in Redis, asks the plugin
 * daemon and the api's inner API, and runs shell jobs in the local sandbox. Every token comes from the app Secret.
 * It serves no health route, so it is probed by TCP (as the community chart does). Its Redis URL names the primary
 * Service in Sentinel mode too: the agent backend takes a plain URL (`rediss` with the check and CA over TLS).
 */
export class DifyAgentBackend extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const image = ctx.config.images.agentBackend;
    if (!image) throw new Error(`Dify ${ctx.config.features.version} has no Agent v2`);
    const port = DIFY_PORTS.agentBackend;
    const settings = ctx.config.components.agentBackend;
    const redis = ctx.redis;
    const component = componentName('agentBackend');
    deployment(this, 'Deployment', {
      component,
      version: ctx.config.features.version,
      namespace: ctx.namespace,
      image,
      replicas: settings.replicas,
      resources: settings.resources,
      env: withExtraEnv([
        // Defined only to be expanded into the URL below: no password is ever written out.
        redis.username ? secretEnv('REDIS_USERNAME', redis.username) : env('REDIS_USERNAME', ''),
        secretEnv('REDIS_PASSWORD', redis.password),
        env('DIFY_AGENT_REDIS_URL', redisUrl(redis, AGENT_REDIS_DB)),
        env('DIFY_AGENT_PLUGIN_DAEMON_URL', serviceUrl('pluginDaemon')),
        secretEnv('DIFY_AGENT_PLUGIN_DAEMON_API_KEY', ctx.secrets.ref('pluginDaemonKey')),
        env('DIFY_AGENT_INNER_API_URL', serviceUrl('api')),
        secretEnv('DIFY_AGENT_INNER_API_KEY', ctx.secrets.ref('innerApiKey')),
        env('DIFY_AGENT_SHELLCTL_ENTRYPOINT', serviceUrl('localSandbox')),
        secretEnv('DIFY_AGENT_SHELLCTL_AUTH_TOKEN', ctx.secrets.ref('localSandboxToken')),
        // Where jobs in the local sandbox reach the Agent Stub API, through their proxy.
        env('DIFY_AGENT_STUB_API_BASE_URL', `${serviceUrl('agentBackend')}/agent-stub`),
        secretEnv('DIFY_AGENT_SERVER_SECRET_KEY', ctx.secrets.ref('agentServerSecretKey')),
        secretEnv('DIFY_AGENT_API_TOKEN', ctx.secrets.ref('agentApiToken')),
        ...egressProxyEnv(ctx),
      ], settings.env),
      ports: [{ name: 'http', containerPort: port }],
      readinessProbe: tcpProbe(port),
      livenessProbe: tcpProbe(port, { initialDelaySeconds: 20, periodSeconds: 20 }),
      securityContext: RESTRICTED_CONTAINER,
      volumes: redisCaVolumes(redis),
      volumeMounts: redisCaMounts(redis),
      spread: true,
    });
    service(this, 'Service', component, ctx.config.features.version, ctx.namespace, [{ name: 'http', port }]);
  }
}
