/** Private helper: a Deployment of the api image (api, worker, beat share image, environment and security). */
import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { BackendMode, backendEnv } from '../wiring/backend-env';
import { DifyContext } from '../dify-context';
import { ResolvedComponent } from '../dify-config';
import { componentName } from '../wiring/services';
import { redisCaMounts, redisCaVolumes } from '../wiring/redis-tls';
import { deployment, DeploymentSpec, RESTRICTED_CONTAINER, withExtraEnv } from './workload';

/** The api image's own user from 1.x on; the volume Dify writes to must be writable by it. */
const API_IMAGE_GID = 1001;

/** The api image writes to its storage folder and /tmp, so its root filesystem stays writable. */
export const API_IMAGE_SECURITY: k8s.SecurityContext = RESTRICTED_CONTAINER;

export function backendPodSecurity(): k8s.PodSecurityContext {
  return { fsGroup: API_IMAGE_GID, seccompProfile: { type: 'RuntimeDefault' } };
}

/** The components that run the api image as a Deployment. */
export type BackendComponent = 'api' | 'worker' | 'beat' | 'apiWebsocket';

/** A Deployment of the api image that is no fixed component: its pods' component label and its settings (a worker pool). */
export interface BackendTarget {
  readonly component: string;
  readonly settings: ResolvedComponent;
}

export function backendDeployment(scope: Construct, id: string, ctx: DifyContext, component: BackendComponent | BackendTarget,
  mode: BackendMode, extra: Partial<DeploymentSpec> = {}, componentEnv: readonly k8s.EnvVar[] = []) {
  const target = typeof component === 'string' ? { component: componentName(component), settings: ctx.config.components[component] } : component;
  const settings = target.settings;
  return deployment(scope, id, {
    component: target.component,
    version: ctx.config.features.version,
    namespace: ctx.namespace,
    image: ctx.config.images.api,
    replicas: settings.replicas,
    resources: settings.resources,
    env: withExtraEnv([...backendEnv(ctx, mode), ...componentEnv], ctx.config.backendEnv, settings.env),
    securityContext: API_IMAGE_SECURITY,
    podSecurityContext: backendPodSecurity(),
    // Waits for the database and for the schema this version's code expects (the migration Job's work).
    initContainers: ctx.schemaGate.initContainers(),
    volumes: [...ctx.fileStorage.volumes, ...ctx.schemaGate.volumes(), ...redisCaVolumes(ctx.redis)],
    volumeMounts: [...ctx.fileStorage.volumeMounts, ...redisCaMounts(ctx.redis)],
    // Beat runs one pod at a time: nothing to spread.
    spread: component !== 'beat',
    ...extra,
  });
}
