/**
 * The values the platform gives a community Dify chart, in the douban chart's value names (0.4.1 and 0.9.1 share
 * them), and how a user's `dify.chart.values` are laid over them. Everything the data tier and the platform's
 * settings know comes from here, never from the user's values: the database, Redis and Qdrant by the same contract
 * as the native tier (secretKeyRefs and `$(VAR)` expansion, never a value), the host, TLS, ingress class, images.
 */
import * as k8s from '../../k8s';
import { parseImageReference } from '../../config/grammar';
import { DifyContext } from '../dify-context';
import { dataTierEnv, publicUrlEnv } from '../wiring/backend-env';
import { egressProxyEnv } from '../wiring/egress-proxy';
import { env, RESTRICTED_CONTAINER, secretEnv } from '../components/workload';
import { API_IMAGE_SECURITY, backendPodSecurity } from '../components/backend-deployment';
import { DifyComponent } from '../dify-config';
import { NGINX_STREAMING } from '../routing/dify-ingress';
import { nothing, SettingPointer, use } from '../../setting-pointer';

/** The release name: the chart then names its objects `dify-api`, `dify-frontend`, ... (its `dify.fullname`). */
export const CHART_RELEASE_NAME = 'dify';

const RELEASE_NAMES = nothing('the release is named dify, and the platform\'s Jobs and NetworkPolicies find the pods by it');

/** The chart's components that have an image of their own, and the platform image each one runs. */
const COMPONENT_IMAGES = {
  api: 'api', worker: 'api', workerBeat: 'api', frontend: 'web', sandbox: 'sandbox', pluginDaemon: 'pluginDaemon',
} as const;

/** The native component whose defaults (resources, security context) each chart component gets. */
const NATIVE_COMPONENT: Readonly<Record<keyof typeof COMPONENT_IMAGES, DifyComponent>> = {
  api: 'api', worker: 'worker', workerBeat: 'beat', frontend: 'web', sandbox: 'sandbox', pluginDaemon: 'pluginDaemon',
};

/**
 * The native tier's security context per component: nothing to escalate, no capabilities, the runtime's seccomp
 * profile; the sandbox keeps the capabilities its own isolation needs. The chart leaves both empty.
 */
export const SECURITY: Readonly<Partial<Record<DifyComponent, k8s.SecurityContext>>> = {
  api: API_IMAGE_SECURITY, worker: API_IMAGE_SECURITY, beat: API_IMAGE_SECURITY, web: RESTRICTED_CONTAINER, pluginDaemon: RESTRICTED_CONTAINER,
  sandbox: { allowPrivilegeEscalation: false },
};

/** The backend images' group owns the files volumes give them, as on the native tier. */
export const POD_SECURITY: Readonly<Partial<Record<DifyComponent, k8s.PodSecurityContext>>> = {
  api: backendPodSecurity(), worker: backendPodSecurity(), beat: backendPodSecurity(),
};

/** Values the platform decides, each with the setting to change instead; `dify.chart.values` may not set them. */
export const PLATFORM_OWNED_VALUES: ReadonlyArray<readonly [string, SettingPointer]> = [
  ['nameOverride', RELEASE_NAMES],
  ['fullnameOverride', RELEASE_NAMES],
  ['global.host', use('dify.host')],
  ['global.port', use(['dify.host', 'dify.tls'])],
  ['global.baseUrlOverride', use(['dify.host', 'dify.tls'])],
  ['global.enableTLS', use('dify.tls.enabled')],
  ['global.storageType', use('dify.storage')],
  ['global.image', use(['dify.version', 'dify.images'])],
  ['ingress.enabled', use('dify.ingress.enabled')],
  ['ingress.className', use('dify.ingress.className')],
  ['ingress.annotations', use('dify.ingress.annotations')],
  ['ingress.tlsSecretName', use('dify.tls.secretName')],
  ['redis', use('redis', 'the platform\'s Redis cluster replaces the chart\'s embedded one')],
  ['postgresql', use('postgresql', 'the platform\'s PostgreSQL cluster replaces the chart\'s embedded one')],
  ['minio', use('dify.storage', 'the platform\'s file storage replaces the chart\'s embedded MinIO')],
  ...Object.keys(COMPONENT_IMAGES).map((component): [string, SettingPointer] => [`${component}.image`, use(['dify.version', 'dify.images'])]),
];

/** Lists both the platform and the user add to: the user's entries follow the platform's instead of replacing them. */
export const JOINED_LISTS: readonly string[] = ['global.extraBackendEnvs', 'volumes', 'volumeMounts'];

/** The chart's environment lists: a user's entries there are checked like `dify.backendEnv`. */
export const ENV_LISTS: readonly string[] = [
  'global.extraEnvs', 'global.extraBackendEnvs', 'api.envs', 'worker.envs', 'workerBeat.envs', 'frontend.envs', 'sandbox.envs', 'pluginDaemon.envs',
];

/** Values that hold a credential in the chart; the platform's Secret replaces what they would write. */
export const CREDENTIAL_VALUES: readonly string[] = ['sandbox.apiKey', 'pluginDaemon.serverKey', 'pluginDaemon.difyInnerApiKey'];

export type Values = Record<string, unknown>;

/** The value at a dotted path, if set. */
export function valueAt(values: Readonly<Values>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (isMapping(node) ? node[key] : undefined), values);
}

export function isMapping(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `repository` and `tag` of an image, as the chart writes `repository:tag` (chart-rules.ts refuses one without a tag). */
export function imageValues(image: string): { repository: string; tag: string } {
  const parsed = parseImageReference(image);
  if (!parsed?.tag) throw new Error(`${image} has no tag`);
  const repository = parsed.registry ? `${parsed.registry}/${parsed.repository}` : parsed.repository;
  // repository:tag@digest is a valid reference: a digest stays pinned through the chart's template.
  return { repository, tag: parsed.digest ? `${parsed.tag}@${parsed.digest}` : parsed.tag };
}

/**
 * The backend env the platform hands the chart: migration off (the platform's Job migrates), the key from the
 * platform's Secret, the public URLs, the data tier's contract, the egress proxy, then the user's `dify.backendEnv`.
 * The douban charts give it to their plugin daemon too; neither chart's sandbox gets it.
 */
export function platformBackendEnv(ctx: DifyContext): k8s.EnvVar[] {
  return [
    env('MIGRATION_ENABLED', false), secretEnv('SECRET_KEY', ctx.secrets.ref('secretKey')),
    // The chart sets most of these from global.host too; FILES_URL and TRIGGER_URL it leaves out.
    ...publicUrlEnv(ctx), ...dataTierEnv(ctx), ...egressProxyEnv(ctx),
    // dify.backendEnv, as the native tier gives it to api, worker and beat.
    ...ctx.config.backendEnv.map((variable) => ({ ...variable }) as k8s.EnvVar),
  ];
}

/** Every value the platform decides, and the defaults it gives (resources, security contexts) that values may change. */
export function platformValues(ctx: DifyContext): Values {
  const { config } = ctx;
  const storageType = ctx.fileStorage.env.find((variable) => variable.name === 'STORAGE_TYPE')?.value;
  const pullSecrets = (config.settings.imagePullSecrets ?? []).map((name) => ({ name }));
  const components = Object.fromEntries(Object.entries(COMPONENT_IMAGES).map(([component, image]) => {
    const reference = config.images[image];
    const native = NATIVE_COMPONENT[component as keyof typeof COMPONENT_IMAGES];
    return [component, {
      ...(reference ? { image: { ...imageValues(reference), pullPolicy: config.settings.imagePullPolicy ?? 'IfNotPresent' } } : {}),
      ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets } : {}),
      // Defaults only: the chart's values may change them. Without requests the chart's pods would be evicted first.
      resources: config.components[native].resources,
      securityContext: k8s.toJson_SecurityContext(SECURITY[native]),
      ...(POD_SECURITY[native] ? { podSecurityContext: k8s.toJson_PodSecurityContext(POD_SECURITY[native]) } : {}),
    }];
  }));
  return {
    ...components,
    global: {
      host: config.host,
      enableTLS: config.publicUrl.startsWith('https:'),
      image: { tag: config.features.version },
      ...(storageType ? { storageType } : {}),
      extraBackendEnvs: platformBackendEnv(ctx),
    },
    ingress: {
      enabled: config.ingress !== undefined,
      className: config.ingress?.className ?? '',
      // As on the native tier's Ingress: without them ingress-nginx buffers streamed answers and refuses uploads over 1 MB.
      annotations: { ...(config.ingress?.className === 'nginx' ? NGINX_STREAMING : {}), ...config.ingress?.annotations },
      ...(config.tls ? { tlsSecretName: config.tls.secretName } : {}),
    },
    redis: { embedded: false },
    postgresql: { embedded: false },
    minio: { embedded: false },
    ...(ctx.fileStorage.volumes.length > 0 ? {
      volumes: ctx.fileStorage.volumes.map((volume) => k8s.toJson_Volume(volume)),
      volumeMounts: ctx.fileStorage.volumeMounts.map((mount) => k8s.toJson_VolumeMount(mount)),
    } : {}),
  };
}

/**
 * The user's values over the platform's: mappings merge key by key, anything else the user gives replaces the
 * platform's, except the `joinedLists` (the chart family's; douban's {@link JOINED_LISTS} unless given), where the
 * user's entries are added after the platform's.
 */
export function mergeValues(platform: Readonly<Values>, user: Readonly<Values>, joinedLists: readonly string[] = JOINED_LISTS, at = ''): Values {
  const merged: Values = { ...platform };
  for (const [key, value] of Object.entries(user)) {
    const path = at ? `${at}.${key}` : key;
    const base = merged[key];
    if (isMapping(base) && isMapping(value)) merged[key] = mergeValues(base, value, joinedLists, path);
    else if (joinedLists.includes(path) && Array.isArray(base) && Array.isArray(value)) merged[key] = [...base, ...value];
    else merged[key] = value;
  }
  return merged;
}
