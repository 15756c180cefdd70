import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { DifyContext } from '../dify-context';
import { DIFY_PORTS, serviceUrl } from '../wiring/services';
import { SandboxHealth } from '../features';
import { hashedName } from '../wiring/project-files';
import { deployment, DeploymentSpec, env, httpProbe, labelsOf, secretEnv, service, SYNC_WAVE, syncWave, tcpProbe, withExtraEnv } from './workload';

/** Probes what the sandbox's tag really serves: an HTTP probe of an older tag would get 401 and restart it forever. */
function sandboxProbe(health: SandboxHealth, port: number, extra: Partial<k8s.Probe> = {}): k8s.Probe {
  return health.kind === 'http' ? httpProbe(health.path, port, extra) : tcpProbe(port, extra);
}

/**
 * Runs the code of Code nodes, in a chroot with a seccomp filter, reaching the internet only through the SSRF proxy.
 * It starts as root with the default capabilities to set up its chroot and drop to its own user per run, so only
 * privilege escalation is switched off.
 */
export class DifySandbox extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext) {
    super(scope, id);
    const port = DIFY_PORTS.sandbox;
    const settings = ctx.config.components.sandbox;
    deployment(this, 'Deployment', {
      component: 'sandbox',
      version: ctx.config.features.version,
      namespace: ctx.namespace,
      image: ctx.config.images.sandbox,
      replicas: settings.replicas,
      resources: settings.resources,
      env: withExtraEnv([
        secretEnv('API_KEY', ctx.secrets.ref('sandboxApiKey')),
        env('GIN_MODE', 'release'),
        env('WORKER_TIMEOUT', 15),
        env('ENABLE_NETWORK', true),
        env('HTTP_PROXY', serviceUrl('ssrfProxy')),
        env('HTTPS_PROXY', serviceUrl('ssrfProxy')),
        env('SANDBOX_PORT', port),
      ], settings.env),
      ports: [{ name: 'http', containerPort: port }],
      readinessProbe: sandboxProbe(ctx.config.features.sandboxHealth, port),
      livenessProbe: sandboxProbe(ctx.config.features.sandboxHealth, port, { initialDelaySeconds: 10, periodSeconds: 20 }),
      securityContext: { allowPrivilegeEscalation: false },
      ...this.pythonRequirements(ctx),
    });
    service(this, 'Service', 'sandbox', ctx.config.features.version, ctx.namespace, [{ name: 'http', port }]);
  }

  /**
   * The Python packages code runs may import, installed by the sandbox at start: it reads
   * `dependencies/python-requirements.txt` from its working directory, which the image fills at
   * `/dependencies/python-requirements.txt` (dify-sandbox internal/static/config.go). The ConfigMap is named by content,
   * so a changed list rolls the pods.
   */
  private pythonRequirements(ctx: DifyContext): Partial<DeploymentSpec> {
    const requirements = ctx.config.settings.sandbox?.pythonRequirements;
    if (!requirements?.length) return {};
    const content = `${requirements.join('\n')}\n`;
    const name = hashedName('dify-sandbox-python-requirements', content);
    new k8s.KubeConfigMap(this, 'PythonRequirements', {
      metadata: { name, namespace: ctx.namespace, labels: labelsOf('sandbox', ctx.config.features.version), annotations: syncWave(SYNC_WAVE.workloads) },
      data: { 'python-requirements.txt': content },
    });
    return {
      volumes: [{ name: 'python-requirements', configMap: { name } }],
      volumeMounts: [{ name: 'python-requirements', mountPath: '/dependencies/python-requirements.txt', subPath: 'python-requirements.txt', readOnly: true }],
    };
  }
}
