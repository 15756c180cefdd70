import { Construct } from 'constructs';
import * as k8s from '../../k8s';
import { DifyContext } from '../dify-context';
import { componentName, DIFY_PORTS, serviceUrl } from '../wiring/services';
import { ResolvedResources } from '../../kubeblocks/component-settings';
import { deployment, env, httpProbe, resourceRequirements, RESTRICTED_CONTAINER, secretEnv, service, withExtraEnv } from './workload';

const DEFAULT_SCRATCH_SIZE = '10Gi';

/**
 * Agent v2's local sandbox (Dify 1.16 and later, `dify.agent`): shellctl runs the agents' shell jobs, each confined
 * by Landlock to its paths. Only the agent backend calls it, with the shared token. Everything the jobs fetch goes
 * through the agent SSRF proxy, which lets them reach the agent backend's Agent Stub API and the api's files, and
 * the internet, nothing else in the cluster. Its working state is on a scratch volume at the path the version
 * keeps it (features.ts). One replica: shellctl's jobs live in the pod.
 */
export class DifyLocalSandbox extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const agent = ctx.config.features.agent;
    const image = ctx.config.images.localSandbox;
    if (!agent || !image) throw new Error(`Dify ${ctx.config.features.version} has no Agent v2`);
    const port = DIFY_PORTS.localSandbox;
    const settings = ctx.config.components.localSandbox;
    const component = componentName('localSandbox');
    const proxy = serviceUrl('agentSsrfProxy');
    deployment(this, 'Deployment', {
      component,
      version: ctx.config.features.version,
      namespace: ctx.namespace,
      image,
      replicas: 1,
      resources: settings.resources,
      env: withExtraEnv([
        secretEnv('SHELLCTL_AUTH_TOKEN', ctx.secrets.ref('localSandboxToken')),
        env('SHELLCTL_ENABLE_PATH_ISOLATION', true),
        env('HTTP_PROXY', proxy),
        env('HTTPS_PROXY', proxy),
        env('NO_PROXY', 'localhost,127.0.0.1'),
      ], settings.env),
      ports: [{ name: 'http', containerPort: port }],
      // /healthz answers without the token (shellctl's internal/server/api.go).
      readinessProbe: httpProbe('/healthz', port),
      livenessProbe: httpProbe('/healthz', port, { initialDelaySeconds: 10, periodSeconds: 30 }),
      securityContext: RESTRICTED_CONTAINER,
      volumes: [{ name: 'state', emptyDir: { sizeLimit: k8s.Quantity.fromString(ctx.config.settings.agent?.localSandbox?.scratchSize ?? DEFAULT_SCRATCH_SIZE) } }],
      volumeMounts: [{ name: 'state', mountPath: agent.localSandboxStatePath }],
      initContainers: [seedHome(image, agent.localSandboxHome, settings.resources)],
    });
    service(this, 'Service', component, ctx.config.features.version, ctx.namespace, [{ name: 'http', port }]);
  }
}

/** Where the seeding container sees the state volume. */
const SEED_MOUNT = '/seed';

/**
 * Copies the image's user's home onto the state volume, as that user. Without it the volume hides the home, runc
 * creates the missing working directory as root 0755, and shellctl, running as `dify`, cannot create its state
 * directory there and exits. The volume's root is world-writable (an emptyDir), so the agent backend can still make
 * each agent's home beside it.
 */
function seedHome(image: string, home: string, resources: ResolvedResources): k8s.Container {
  return {
    name: 'seed-home',
    image,
    imagePullPolicy: 'IfNotPresent',
    command: ['cp', '-a', home, `${SEED_MOUNT}/`],
    resources: resourceRequirements(resources),
    securityContext: RESTRICTED_CONTAINER,
    volumeMounts: [{ name: 'state', mountPath: SEED_MOUNT }],
  };
}
