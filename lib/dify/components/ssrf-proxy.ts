import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { DifyContext } from '../dify-context';
import { AllowPrivateSettings } from '../dify-component-settings';
import { EgressProxySettings } from '../egress-proxy-settings';
import { squidUpstream } from '../wiring/egress-proxy';
import { hashedName, renderScript } from '../wiring/project-files';
import { componentName, DIFY_PORTS } from '../wiring/services';
import { deployment, labelsOf, service, SYNC_WAVE, syncWave, withExtraEnv } from './workload';

export interface DifySsrfProxyProps {
  /** `ssrfProxy` (sandbox and api) or `agentSsrfProxy` (Agent v2's local sandbox). */
  readonly proxy: 'ssrfProxy' | 'agentSsrfProxy';
  /** The squid.conf it runs. */
  readonly squidConf: string;
}

/**
 * Squid as an egress proxy: of the sandbox and of the api's requests to user-given URLs (`ssrfProxy`), or of Agent
 * v2's local sandbox (`agentSsrfProxy`). Its configuration refuses private, loopback and link-local destinations, so
 * code users run cannot reach the cluster's own services (SSRF).
 * Squid starts as root and switches to its `proxy` user, so it keeps the default capabilities.
 */
export class DifySsrfProxy extends Construct {
  constructor(scope: Construct, id: string, ctx: DifyContext, props: DifySsrfProxyProps) {
    super(scope, id);
    const component = componentName(props.proxy);
    const port = DIFY_PORTS[props.proxy];
    const settings = ctx.config.components[props.proxy];
    const version = ctx.config.features.version;
    const squidConf = props.squidConf;
    // Named by content so that a changed configuration rolls the pods.
    const configName = hashedName(`dify-${component}`, squidConf);
    new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: configName, namespace: ctx.namespace, labels: labelsOf(component, version), annotations: syncWave(SYNC_WAVE.workloads) },
      data: { 'squid.conf': squidConf },
    });
    deployment(this, 'Deployment', {
      component,
      version,
      namespace: ctx.namespace,
      image: ctx.config.images.ssrfProxy,
      replicas: settings.replicas,
      resources: settings.resources,
      env: withExtraEnv([], settings.env),
      ports: [{ name: 'proxy', containerPort: port }],
      readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(port) }, periodSeconds: 10 },
      livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(port) }, periodSeconds: 20, initialDelaySeconds: 10 },
      securityContext: { allowPrivilegeEscalation: false },
      volumes: [{ name: 'config', configMap: { name: configName } }],
      volumeMounts: [{ name: 'config', mountPath: '/etc/squid/squid.conf', subPath: 'squid.conf', readOnly: true }],
    });
    service(this, 'Service', component, version, ctx.namespace, [{ name: 'proxy', port }]);
  }
}

/**
 * The SSRF proxy's squid.conf: private destinations refused, except those `allowPrivate` names, which are allowed
 * by rules placed just before the refusal (Dify 1.15's `SSRF_PROXY_ALLOW_PRIVATE_IPS` and `_DOMAINS`, as settings of
 * this platform). With none, the file is exactly lib/dify/scripts/squid.conf without its placeholders. With an egress
 * proxy, it is the parent of everything let out, except the private destinations allowed here, which stay direct.
 */
export function ssrfProxyConf(allowPrivate: AllowPrivateSettings | undefined, egressProxy?: EgressProxySettings): string {
  const lines: string[] = [];
  if (allowPrivate?.ips?.length) lines.push(`acl allowed_private_networks dst ${allowPrivate.ips.join(' ')}`, 'http_access allow allowed_private_networks');
  if (allowPrivate?.domains?.length) lines.push(`acl allowed_private_domains dstdomain ${allowPrivate.domains.join(' ')}`, 'http_access allow allowed_private_domains');
  const direct = [...(allowPrivate?.ips?.length ? ['allowed_private_networks'] : []), ...(allowPrivate?.domains?.length ? ['allowed_private_domains'] : [])];
  return renderScript('squid.conf', { allowPrivate: lines.map((line) => `${line}\n`).join(''), upstream: squidUpstream(egressProxy, direct) });
}

/**
 * Agent v2's proxy: the agent backend's Agent Stub API and the api's files by their Service names; with an egress
 * proxy, those two stay direct and the rest goes to it.
 */
export function agentSsrfProxyConf(hosts: { readonly agentBackendHost: string; readonly apiHost: string }, egressProxy?: EgressProxySettings): string {
  return renderScript('agent-squid.conf', { ...hosts, upstream: squidUpstream(egressProxy, ['to_agent_backend', 'to_api']) });
}
