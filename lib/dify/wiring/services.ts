/** Ports and in-cluster URLs of the Dify Services (each named `dify-<component>` by workload.ts). */
import { resourceName } from '../components/workload';

export const DIFY_PORTS = {
  api: 5001,
  web: 3000,
  sandbox: 8194,
  pluginDaemon: 5002,
  /** The plugin daemon's remote-debugging port (plugin developers connect to it). */
  pluginDebug: 5003,
  ssrfProxy: 3128,
  /** The websocket api runs the api's server on the api's port. */
  apiWebsocket: 5001,
  agentBackend: 5050,
  localSandbox: 5004,
  agentSsrfProxy: 3128,
  minio: 9000,
  minioConsole: 9001,
} as const;

export type DifyService = 'api' | 'web' | 'sandbox' | 'pluginDaemon' | 'ssrfProxy' | 'minio'
  | 'apiWebsocket' | 'agentBackend' | 'localSandbox' | 'agentSsrfProxy';

/** Every Service the Dify tier can write, for checks that no other object takes one of their names. */
export const DIFY_SERVICES: readonly DifyService[] = [
  'api', 'web', 'sandbox', 'pluginDaemon', 'ssrfProxy', 'minio', 'apiWebsocket', 'agentBackend', 'localSandbox', 'agentSsrfProxy',
];

/** The component's name in labels and resource names, kebab-case: `pluginDaemon` -> `plugin-daemon`. */
export function componentName(component: string): string {
  return component.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** `dify-plugin-daemon` for `pluginDaemon`: the name its Deployment and Service get. */
export function serviceName(service: DifyService): string {
  return resourceName(componentName(service));
}

export function serviceUrl(service: DifyService): string {
  return `http://${serviceName(service)}:${DIFY_PORTS[service]}`;
}
