import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DifyConfig } from '../dify-config';
import { GatewaySettings } from '../dify-settings';
import { labelsOf, SYNC_WAVE, syncWave } from '../components/workload';
import { routeBackend } from './route-backends';

export interface DifyHttpRouteProps {
  readonly namespace: string;
  readonly config: DifyConfig;
  readonly gateway: GatewaySettings;
}

/**
 * A Gateway API HTTPRoute (gateway.networking.k8s.io/v1) with the same routes as the Ingress, attached to the
 * Gateways `dify.gateway.parentRefs` names. Path prefixes match whole path elements in Gateway API, so `/e` serves
 * `/e/...` and not `/explore`. Timeouts for streaming answers are the Gateway implementation's to set: an HTTPRoute
 * timeout is an extended feature that not every implementation accepts.
 */
export class DifyHttpRoute extends Construct {
  constructor(scope: Construct, id: string, props: DifyHttpRouteProps) {
    super(scope, id);
    const { config, gateway } = props;
    const hostnames = gateway.hostnames ?? [config.host, ...(config.ingress?.extraHosts ?? [])];
    new ApiObject(this, 'HTTPRoute', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: 'dify',
        namespace: props.namespace,
        labels: labelsOf('http-route', config.features.version),
        annotations: { ...syncWave(SYNC_WAVE.workloads), ...gateway.annotations },
      },
      spec: {
        parentRefs: gateway.parentRefs.map((ref) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', ...ref })),
        hostnames,
        rules: config.routes.map((route) => {
          const backend = routeBackend(route.target);
          return {
            matches: [{ path: { type: 'PathPrefix', value: route.path === '/' ? '/' : route.path.replace(/\/$/, '') } }],
            backendRefs: [{ name: backend.name, port: backend.port }],
          };
        }),
      },
    });
  }
}
