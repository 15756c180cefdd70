/** Where each route target is served: the Service and port the Ingress and the HTTPRoute send it to. */
import { RouteTarget } from '../features';
import { DIFY_PORTS, DifyService, serviceName } from '../wiring/services';

const BACKENDS: Readonly<Record<RouteTarget, { service: DifyService; port: number }>> = {
  api: { service: 'api', port: DIFY_PORTS.api },
  apiWebsocket: { service: 'apiWebsocket', port: DIFY_PORTS.apiWebsocket },
  web: { service: 'web', port: DIFY_PORTS.web },
  pluginDaemon: { service: 'pluginDaemon', port: DIFY_PORTS.pluginDaemon },
};

export function routeBackend(target: RouteTarget): { name: string; port: number } {
  return { name: serviceName(BACKENDS[target].service), port: BACKENDS[target].port };
}
