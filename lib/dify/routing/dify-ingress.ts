import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { DifyConfig } from '../dify-config';
import { routeBackend } from './route-backends';
import { labelsOf, SYNC_WAVE, syncWave } from '../components/workload';

/** ingress-nginx settings for streaming answers (an hour, as Dify's own nginx) and uploads (15 MB and more). */
export const NGINX_STREAMING: Readonly<Record<string, string>> = {
  'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
  'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
  'nginx.ingress.kubernetes.io/proxy-body-size': '100m',
  'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
};

export interface DifyIngressProps {
  readonly namespace: string;
  readonly config: DifyConfig;
}

/**
 * Every path the Dify version serves (features.ts) on the public host and any extra hosts (the same paths; public
 * URLs use the main host), optional TLS.
 */
export class DifyIngress extends Construct {
  constructor(scope: Construct, id: string, props: DifyIngressProps) {
    super(scope, id);
    const config = props.config;
    const ingress = config.ingress!;
    // Websockets (/socket.io/) need nothing more from ingress-nginx: it passes the Upgrade headers through, and the
    // hour-long timeouts above keep a collaboration session open.
    const paths = config.routes.map((route) => {
      const backend = routeBackend(route.target);
      return { path: route.path, pathType: 'Prefix', backend: { service: { name: backend.name, port: { number: backend.port } } } };
    });
    const hosts = [config.host, ...ingress.extraHosts];
    new k8s.KubeIngress(this, 'Ingress', {
      metadata: {
        name: 'dify-ingress',
        namespace: props.namespace,
        labels: labelsOf('ingress', config.features.version),
        annotations: {
          ...syncWave(SYNC_WAVE.workloads),
          ...(ingress.className === 'nginx' ? NGINX_STREAMING : {}),
          ...ingress.annotations,
        },
      },
      spec: {
        ingressClassName: ingress.className,
        tls: config.tls ? [{ hosts, secretName: config.tls.secretName }] : undefined,
        rules: hosts.map((host) => ({ host, http: { paths } })),
      },
    });
  }
}
