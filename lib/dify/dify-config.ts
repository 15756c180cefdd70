/**
 * The Dify tier's settings with every default applied: what the constructs in lib/dify build from.
 */
import { ComponentResources, ResolvedResources, ResourceDefaults, resolveResources } from '../kubeblocks/component-settings';
import { parseImageReference } from '../config/grammar';
import { quantityValue } from '../quantity';
import { COLLABORATION_ROUTE, DEFAULT_DIFY_VERSION, difyFeatures, DifyFeatures, Route } from './features';
import { DifySettings } from './dify-settings';
import { ExtraEnvVar } from './pod-settings';
import { defaultWorkerQueues, poolComponent } from './worker-pools';

/** The Dify components that run as Deployments (the last four only when their feature is on). */
export type DifyComponent = 'api' | 'worker' | 'beat' | 'web' | 'sandbox' | 'pluginDaemon' | 'ssrfProxy'
  | 'apiWebsocket' | 'agentBackend' | 'localSandbox' | 'agentSsrfProxy';

/** Where each component's settings are in `dify:`, for reading them and for error lines. */
export const COMPONENT_SETTINGS_PATH: Readonly<Record<DifyComponent, readonly string[]>> = {
  api: ['api'], worker: ['worker'], beat: ['beat'], web: ['web'], sandbox: ['sandbox'], pluginDaemon: ['pluginDaemon'],
  ssrfProxy: ['ssrfProxy'], apiWebsocket: ['collaboration'], agentBackend: ['agent', 'backend'],
  localSandbox: ['agent', 'localSandbox'], agentSsrfProxy: ['agent', 'ssrfProxy'],
};

interface ComponentDefaults {
  readonly replicas: number;
  readonly resources: ResourceDefaults;
}

/**
 * Sized for a small production cluster: requests are what the compose deployment uses at rest, limits leave room
 * for bursts (document parsing in the worker, code runs in the sandbox). api and web run two replicas so a node
 * drain does not take the console down.
 */
export const COMPONENT_DEFAULTS: Readonly<Record<DifyComponent, ComponentDefaults>> = {
  api: { replicas: 2, resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } },
  worker: { replicas: 1, resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } },
  beat: { replicas: 1, resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
  web: { replicas: 2, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
  sandbox: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
  pluginDaemon: { replicas: 1, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } } },
  ssrfProxy: { replicas: 1, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
  // One gevent worker holds a thousand websocket connections (Dify's compose file).
  apiWebsocket: { replicas: 1, resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
  agentBackend: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
  // Agents run builds and scripts here: the most headroom of the agent components.
  localSandbox: { replicas: 1, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '4Gi' } } },
  agentSsrfProxy: { replicas: 1, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
};

/** Images that do not follow the Dify version, pinned. */
export const SUPPORT_IMAGES = {
  // The compose file runs ubuntu/squid:latest; this is a pinned tag of the same image.
  ssrfProxy: 'ubuntu/squid:6.6-24.04_beta',
  // MinIO no longer serves its images from Docker Hub; quay.io has the same releases.
  minio: 'quay.io/minio/minio:RELEASE.2024-12-18T13-15-44Z',
  postgres: 'postgres:16.9-alpine',
  bootstrap: 'curlimages/curl:8.11.1',
} as const;

export interface ResolvedComponent {
  readonly replicas: number;
  readonly resources: ResolvedResources;
  readonly env: readonly ExtraEnvVar[];
}

/** A worker pool with every default applied (`dify.worker.pools`). */
export interface ResolvedWorkerPool extends ResolvedComponent {
  readonly name: string;
  /** Its pods' `app.kubernetes.io/component`: `worker-<name>`. */
  readonly component: string;
  readonly queues: readonly string[];
  readonly concurrency?: number;
}

export interface DifyConfig {
  readonly features: DifyFeatures;
  readonly host: string;
  /** `http://<host>` or `https://<host>`: the base of every public URL. */
  readonly publicUrl: string;
  /**
   * Every origin the platform serves Dify at: `publicUrl`, then the Ingress's extra hosts and the HTTPRoute's
   * host names (plain DNS names: the config refuses wildcards).
   */
  readonly publicOrigins: readonly string[];
  readonly tls?: { readonly secretName: string };
  readonly ingress?: { readonly className: string; readonly annotations: Readonly<Record<string, string>>; readonly extraHosts: readonly string[] };
  readonly redisMode: 'direct' | 'sentinel';
  readonly existingSecret?: string;
  /** Every image a platform runs; `pluginDaemon` only for versions that have one. */
  readonly images: Readonly<Record<'api' | 'web' | 'sandbox' | 'ssrfProxy' | 'minio' | 'postgres' | 'bootstrap', string>>
    & { readonly pluginDaemon?: string; readonly agentBackend?: string; readonly localSandbox?: string };
  /** Workflow collaboration's websocket service is on. */
  readonly collaboration: boolean;
  /** Public paths and what serves them: the version's routes and those of the optional services that are on. */
  readonly routes: readonly Route[];
  /** Agent v2 is on. */
  readonly agent: boolean;
  readonly backendEnv: readonly ExtraEnvVar[];
  /** The largest plugin package api, worker and plugin daemon accept, in bytes. */
  readonly pluginMaxPackageBytes: number;
  readonly components: Readonly<Record<DifyComponent, ResolvedComponent>>;
  /** The queues the default worker consumes: every queue of the version that no pool names. */
  readonly workerQueues: readonly string[];
  /** The worker pools, in the order given. @default [] */
  readonly workerPools: readonly ResolvedWorkerPool[];
  readonly settings: DifySettings;
}

export const DEFAULT_HOST = 'dify.example.com';

/**
 * `image` pulled from `registry` instead of its own: the repository path is kept and the registry host replaced
 * (Docker Hub's official images get their implicit `library/`), as pull-through caches and mirrors lay them out.
 */
export function mirroredImage(image: string, registry: string | undefined): string {
  if (!registry) return image;
  const parsed = parseImageReference(image);
  if (!parsed) throw new Error(`not an image reference: ${image}`);
  const repository = parsed.registry === undefined && !parsed.repository.includes('/') ? `library/${parsed.repository}` : parsed.repository;
  return `${registry}/${repository}${parsed.tag ? `:${parsed.tag}` : ''}${parsed.digest ? `@${parsed.digest}` : ''}`;
}

/** The plugin daemon's own default package limit, which Dify's compose file sets on the api too. */
export const DEFAULT_PLUGIN_MAX_PACKAGE_SIZE = '50Mi';

type ComponentSettingsShape = { replicas?: number; resources?: ComponentResources; env?: readonly ExtraEnvVar[]; autoscaling?: { minReplicas?: number } };

/** The settings object at a path under `dify:` (`['agent', 'backend']`), if given. */
export function settingsAt(settings: DifySettings, path: readonly string[]): ComponentSettingsShape | undefined {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], settings) as ComponentSettingsShape | undefined;
}

function component(name: DifyComponent, settings: ComponentSettingsShape | undefined): ResolvedComponent {
  const defaults = COMPONENT_DEFAULTS[name];
  return {
    // Autoscaled, the replica count that matters (for the disruption budget) is the least the autoscaler keeps.
    replicas: settings?.autoscaling ? settings.autoscaling.minReplicas ?? 1 : settings?.replicas ?? defaults.replicas,
    resources: resolveResources(settings?.resources, defaults.resources),
    env: settings?.env ?? [],
  };
}

export function resolveDifyConfig(settings: DifySettings = {}): DifyConfig {
  const features = difyFeatures(settings.version ?? DEFAULT_DIFY_VERSION);
  const host = settings.host ?? DEFAULT_HOST;
  const tlsEnabled = settings.tls?.enabled ?? false;
  const ingressEnabled = settings.ingress?.enabled ?? true;
  const names = Object.keys(COMPONENT_SETTINGS_PATH) as DifyComponent[];
  return {
    features,
    host,
    publicUrl: `${tlsEnabled ? 'https' : 'http'}://${host}`,
    publicOrigins: [...new Set([host, ...(ingressEnabled ? settings.ingress?.extraHosts ?? [] : []), ...(settings.gateway?.hostnames ?? [])])]
      .map((name) => `${tlsEnabled ? 'https' : 'http'}://${name}`),
    tls: tlsEnabled && settings.tls?.secretName ? { secretName: settings.tls.secretName } : undefined,
    ingress: ingressEnabled
      ? { className: settings.ingress?.className ?? 'nginx', annotations: settings.ingress?.annotations ?? {}, extraHosts: settings.ingress?.extraHosts ?? [] }
      : undefined,
    redisMode: settings.redisMode ?? 'direct',
    existingSecret: settings.existingSecret,
    images: resolveImages(settings, features),
    backendEnv: settings.backendEnv ?? [],
    pluginMaxPackageBytes: Math.round(quantityValue(settings.pluginDaemon?.maxPackageSize ?? DEFAULT_PLUGIN_MAX_PACKAGE_SIZE)),
    collaboration: settings.collaboration?.enabled ?? false,
    routes: settings.collaboration?.enabled ? [COLLABORATION_ROUTE, ...features.routes] : features.routes,
    agent: settings.agent?.enabled ?? false,
    components: Object.fromEntries(names.map((name) => [name, component(name, settingsAt(settings, COMPONENT_SETTINGS_PATH[name]))])) as Record<DifyComponent, ResolvedComponent>,
    workerQueues: defaultWorkerQueues(features.workerQueues, settings.worker?.pools),
    // A pool is sized like the default worker unless it says otherwise.
    workerPools: (settings.worker?.pools ?? []).map((pool) => ({
      ...component('worker', pool), name: pool.name, component: poolComponent(pool.name), queues: pool.queues, concurrency: pool.concurrency,
    })),
    settings,
  };
}

/** Every image: an override under `images` as given, else the pinned default, from `imageRegistry` when set. */
function resolveImages(settings: DifySettings, features: DifyFeatures): DifyConfig['images'] {
  const given = settings.images ?? {};
  const pick = (name: keyof NonNullable<DifySettings['images']>, image: string | undefined) =>
    given[name] ?? (image && mirroredImage(image, settings.imageRegistry));
  return {
    api: pick('api', `langgenius/dify-api:${features.version}`)!,
    web: pick('web', `langgenius/dify-web:${features.version}`)!,
    sandbox: pick('sandbox', `langgenius/dify-sandbox:${features.sandboxTag}`)!,
    pluginDaemon: pick('pluginDaemon', features.pluginDaemonTag && `langgenius/dify-plugin-daemon:${features.pluginDaemonTag}`),
    agentBackend: pick('agentBackend', features.agent && `langgenius/dify-agent-backend:${features.agent.backendTag}`),
    localSandbox: pick('localSandbox', features.agent && `langgenius/dify-agent-local-sandbox:${features.agent.localSandboxTag}`),
    ssrfProxy: pick('ssrfProxy', SUPPORT_IMAGES.ssrfProxy)!,
    minio: pick('minio', SUPPORT_IMAGES.minio)!,
    postgres: pick('postgres', SUPPORT_IMAGES.postgres)!,
    bootstrap: pick('bootstrap', SUPPORT_IMAGES.bootstrap)!,
  };
}
