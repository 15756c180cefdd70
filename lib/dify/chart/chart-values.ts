/**
 * The values the platform gives a community Dify chart, in the douban chart's value names (0.4.1 and 0.9.1 share
 * them), and how a user's `dify.chart.values` are laid over them. Everything the data tier and the platform's
 * settings know comes from here, never from the user's values: the database, Redis and Qdrant by the same contract
 * as the native tier (secretKeyRefs and `$(VAR)` expansion, never a value), the host, TLS, ingress class, images.
 */
import * as k8s from '../../k8s';
import { parseImageReference } from '../../config/grammar';
import { DifyContext } from '../dify-context';
import { dataTierEnv } from '../wiring/backend-env';
import { env, secretEnv } from '../components/workload';
import { NGINX_STREAMING } from '../routing/dify-ingress';

/** The release name: the chart then names its objects `dify-api`, `dify-frontend`, ... (its `dify.fullname`). */
export const CHART_RELEASE_NAME = 'dify';

const RELEASE_NAMES = 'nothing: the release is named dify, and the platform\'s Jobs and NetworkPolicies find the pods by it';

/** The chart's components that have an image of their own, and the platform image each one runs. */
const COMPONENT_IMAGES = {
  api: 'api', worker: 'api', workerBeat: 'api', frontend: 'web', sandbox: 'sandbox', pluginDaemon: 'pluginDaemon',
} as const;

/** Values the platform decides, each with the setting to change instead; `dify.chart.values` may not set them. */
export const PLATFORM_OWNED_VALUES: ReadonlyArray<readonly [string, string]> = [
  ['nameOverride', RELEASE_NAMES],
  ['fullnameOverride', RELEASE_NAMES],
  ['global.host', 'dify.host'],
  ['global.port', 'dify.host and dify.tls'],
  ['global.baseUrlOverride', 'dify.host and dify.tls'],
  ['global.enableTLS', 'dify.tls.enabled'],
  ['global.storageType', 'dify.storage'],
  ['global.image', 'dify.version and dify.images'],
  ['ingress.enabled', 'dify.ingress.enabled'],
  ['ingress.className', 'dify.ingress.className'],
  ['ingress.annotations', 'dify.ingress.annotations'],
  ['ingress.tlsSecretName', 'dify.tls.secretName'],
  ['redis', 'redis: the platform\'s Redis cluster replaces the chart\'s embedded one'],
  ['postgresql', 'postgresql: the platform\'s PostgreSQL cluster replaces the chart\'s embedded one'],
  ['minio', 'dify.storage: the platform\'s file storage replaces the chart\'s embedded MinIO'],
  ...Object.keys(COMPONENT_IMAGES).map((component): [string, string] => [`${component}.image`, 'dify.version and dify.images']),
];

/** Lists both the platform and the user add to: the user's entries follow the platform's instead of replacing them. */
export const JOINED_LISTS: readonly string[] = ['global.extraBackendEnvs', 'volumes', 'volumeMounts'];

/** The chart's environment lists: a user's entries there are checked like `dify.backendEnv`. */
export const ENV_LISTS: readonly string[] = [
  'global.extraEnvs', 'global.extraBackendEnvs', 'api.envs', 'worker.envs', 'workerBeat.envs', 'frontend.envs', 'sandbox.envs', 'pluginDaemon.envs',
];

/** Values that hold a credential in the chart; the platform's Secret replaces what they would write. */
export const CREDENTIAL_VALUES: readonly string[] = ['sandbox.apiKey', 'pluginDaemon.serverKey', 'pluginDaemon.difyInnerApiKey'];

type Values = Record<string, unknown>;

/** The value at a dotted path, if set. */
export function valueAt(values: Readonly<Values>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (isMapping(node) ? node[key] : undefined), values);
}

function isMapping(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `repository` and `tag` of an image, as the chart writes `repository:tag`. */
function imageValues(image: string): { repository: string; tag: string } {
  const parsed = parseImageReference(image);
  if (!parsed?.tag) throw new Error(`the chart writes images as repository:tag, and ${image} has no tag`);
  const repository = parsed.registry ? `${parsed.registry}/${parsed.repository}` : parsed.repository;
  // repository:tag@digest is a valid reference: a digest stays pinned through the chart's template.
  return { repository, tag: parsed.digest ? `${parsed.tag}@${parsed.digest}` : parsed.tag };
}

/**
 * The backend env the platform hands the chart: migration off (the platform's Job migrates), the key from the
 * platform's Secret, the data tier's contract, then the user's `dify.backendEnv`.
 */
export function platformBackendEnv(ctx: DifyContext): k8s.EnvVar[] {
  return [
    env('MIGRATION_ENABLED', false), secretEnv('SECRET_KEY', ctx.secrets.ref('secretKey')), ...dataTierEnv(ctx),
    // dify.backendEnv, as the native tier gives it to api, worker and beat.
    ...ctx.config.backendEnv.map((variable) => ({ ...variable }) as k8s.EnvVar),
  ];
}

/** Every value the platform decides. */
export function platformValues(ctx: DifyContext): Values {
  const { config } = ctx;
  const storageType = ctx.fileStorage.env.find((variable) => variable.name === 'STORAGE_TYPE')?.value;
  const pullSecrets = (config.settings.imagePullSecrets ?? []).map((name) => ({ name }));
  const components = Object.fromEntries(Object.entries(COMPONENT_IMAGES).map(([component, image]) => {
    const reference = config.images[image];
    return [component, {
      ...(reference ? { image: { ...imageValues(reference), pullPolicy: config.settings.imagePullPolicy ?? 'IfNotPresent' } } : {}),
      ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets } : {}),
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
 * platform's, except the {@link JOINED_LISTS}, where the user's entries are added after the platform's.
 */
export function mergeValues(platform: Readonly<Values>, user: Readonly<Values>, at = ''): Values {
  const merged: Values = { ...platform };
  for (const [key, value] of Object.entries(user)) {
    const path = at ? `${at}.${key}` : key;
    const base = merged[key];
    if (isMapping(base) && isMapping(value)) merged[key] = mergeValues(base, value, path);
    else if (JOINED_LISTS.includes(path) && Array.isArray(base) && Array.isArray(value)) merged[key] = [...base, ...value];
    else merged[key] = value;
  }
  return merged;
}
