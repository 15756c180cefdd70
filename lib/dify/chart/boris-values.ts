/**
 * The values the platform gives BorisPolonsky's `dify-helm` chart (0.38.x, Dify 1.16.1), in that chart's names. As
 * for the douban charts (chart-values.ts), everything the data tier and the platform's settings decide comes from
 * here: the chart is pointed at the platform's PostgreSQL, Redis, vector store and file storage through its
 * `external*` sections (so its ConfigMaps describe the same servers), the credentials reach the containers only as
 * secretKeyRefs in each component's `extraEnv`, and the chart's own Secrets are replaced (boris-objects.ts).
 */
import * as k8s from '../../k8s';
import { DifyContext } from '../dify-context';
import { DifyComponent } from '../dify-config';
import { secretEnv } from '../components/workload';
import { pluginEnv } from '../wiring/backend-env';
import { PLUGIN_STORAGE_ROOT, pluginDaemonEnv } from '../components/plugin-daemon';
import { sentinelOf } from '../../kubeblocks/connections';
import { imageValues, platformBackendEnv, POD_SECURITY, SECURITY, Values } from './chart-values';
import { nothing, SettingPointer, use } from '../../setting-pointer';

/** The chart's components the platform runs, and the native component each one stands for (same names here). */
const COMPONENTS: readonly DifyComponent[] = ['api', 'worker', 'beat', 'web', 'sandbox', 'pluginDaemon'];

/** The components whose security contexts the chart writes only with `enabled: true` (and without that key). */
const SWITCHED_SECURITY: readonly string[] = ['api', 'worker', 'beat'];

/** The chart's `image.<key>` for each of its components (beat and worker run the api's image). */
const IMAGE_KEYS = ['api', 'web', 'sandbox', 'pluginDaemon'] as const;

const RELEASE_NAMES = nothing('the release is named dify, and the platform\'s Jobs, Ingress and NetworkPolicies find the Services by it');
const NATIVE_AGENT = nothing('Agent v2 runs on the native app tier for now (dify.agent), whose tokens and egress proxy the chart tier does not wire');
const PLATFORM_INGRESS = use('dify.ingress', 'the platform\'s Ingress routes to the chart\'s Services');

/** Values the platform decides for this chart, each with the setting to change instead. */
export const BORIS_OWNED_VALUES: ReadonlyArray<readonly [string, SettingPointer]> = [
  ['nameOverride', RELEASE_NAMES],
  ['fullnameOverride', RELEASE_NAMES],
  ...['consoleApiDomain', 'consoleWebDomain', 'serviceApiDomain', 'appApiDomain', 'appWebDomain', 'filesDomain', 'triggerDomain']
    .map((key): [string, SettingPointer] => [`global.${key}`, use(['dify.host', 'dify.tls'])]),
  ['image', use(['dify.version', 'dify.images'])],
  ['api.migration', nothing('the platform\'s migration Job migrates, once, before the pods roll')],
  ['api.persistence', use('dify.storage')],
  ['pluginDaemon.persistence.mountPath', nothing(`the daemon's storage and working path (PLUGIN_WORKING_PATH) are on its volume at ${PLUGIN_STORAGE_ROOT}`)],
  ['ingress', PLATFORM_INGRESS],
  ['httproute', PLATFORM_INGRESS],
  ['proxy.enabled', use('dify.ingress', 'the platform\'s Ingress routes each path to its Service, so the chart\'s nginx (image nginx:latest) is not run')],
  ['agentBackend.enabled', NATIVE_AGENT],
  ['localSandbox.enabled', NATIVE_AGENT],
  ['apiWebsocket.enabled', nothing('collaboration runs on the native app tier for now (dify.collaboration)')],
  ['externalSecret', nothing('the platform\'s Secrets hold every key, so no ExternalSecret is needed')],
  ['redis', use('redis', 'the platform\'s Redis cluster replaces the chart\'s embedded one')],
  ['postgresql', use('postgresql', 'the platform\'s PostgreSQL cluster replaces the chart\'s embedded one')],
  ['weaviate', use('vectorStore', 'the platform\'s vector store replaces the chart\'s embedded Weaviate')],
  ['externalPostgres', use('postgresql')], ['externalMysql', use('postgresql')], ['externalRedis', use('redis')],
  ...['externalS3', 'externalAzureBlobStorage', 'externalOSS', 'externalGCS', 'externalCOS', 'externalOBS', 'externalTOS']
    .map((key): [string, SettingPointer] => [key, use('dify.storage')]),
  ...['externalWeaviate', 'externalQdrant', 'externalMilvus', 'externalPgvector', 'externalTencentVectorDB', 'externalMyScaleDB',
    'externalTableStore', 'externalElasticsearch'].map((key): [string, SettingPointer] => [key, use('vectorStore')]),
];


/** Lists both the platform and the user add to: each component's env and the backend's extra volumes. */
export const BORIS_JOINED_LISTS: readonly string[] = [
  ...['api', 'worker', 'beat', 'web', 'sandbox', 'pluginDaemon', 'ssrfProxy'].map((component) => `${component}.extraEnv`),
  'api.extraVolumes', 'api.extraVolumeMounts', 'worker.extraVolumes', 'worker.extraVolumeMounts', 'beat.extraVolumes', 'beat.extraVolumeMounts',
];

/** The chart's environment lists: a user's entries there are checked like `dify.backendEnv`. */
export const BORIS_ENV_LISTS: readonly string[] = ['api', 'worker', 'beat', 'web', 'sandbox', 'pluginDaemon', 'ssrfProxy']
  .map((component) => `${component}.extraEnv`);

/** Values that hold a credential in this chart: its Secrets would carry them, and git with them. */
export const BORIS_CREDENTIAL_VALUES: readonly string[] = [
  'global.appSecretKey', 'global.internalApiKey', 'api.auth.internalApiKey', 'sandbox.auth.apiKey', 'pluginDaemon.auth.serverKey',
  'api.mail.resend.apiKey', 'api.mail.smtp.username', 'api.mail.smtp.password', 'api.otel.apiKey',
];

/** A literal value the platform's file storage sets, read back for the chart's matching value. */
function storageValue(ctx: DifyContext, name: string): string | undefined {
  return ctx.fileStorage.env.find((variable) => variable.name === name)?.value;
}

/**
 * The chart's file-storage values for the platform's store: an `external*` section for an object store (so the chart
 * writes no PersistentVolumeClaim of its own), or the platform's claim for a shared volume. Credentials stay empty:
 * the platform's env gives them by secretKeyRef.
 */
function storageValues(ctx: DifyContext): Values {
  const type = storageValue(ctx, 'STORAGE_TYPE');
  if (type === 's3') {
    return { externalS3: {
      enabled: true, endpoint: storageValue(ctx, 'S3_ENDPOINT'), bucketName: { api: storageValue(ctx, 'S3_BUCKET_NAME') },
      region: storageValue(ctx, 'S3_REGION'), pathStyle: storageValue(ctx, 'S3_ADDRESS_STYLE') === 'path',
      useIAM: storageValue(ctx, 'S3_USE_AWS_MANAGED_IAM') === 'true', accessKey: '', secretKey: '',
    } };
  }
  if (type === 'azure-blob') {
    return { externalAzureBlobStorage: { enabled: true, url: storageValue(ctx, 'AZURE_BLOB_ACCOUNT_URL'),
      account: storageValue(ctx, 'AZURE_BLOB_ACCOUNT_NAME'), container: storageValue(ctx, 'AZURE_BLOB_CONTAINER_NAME'), key: '' } };
  }
  if (type === 'google-storage') {
    return { externalGCS: { enabled: true, bucketName: { api: storageValue(ctx, 'GOOGLE_STORAGE_BUCKET_NAME') }, serviceAccountJsonBase64: '' } };
  }
  if (type === 'aliyun-oss') {
    return { externalOSS: { enabled: true, endpoint: storageValue(ctx, 'ALIYUN_OSS_ENDPOINT'), bucketName: { api: storageValue(ctx, 'ALIYUN_OSS_BUCKET_NAME') },
      region: storageValue(ctx, 'ALIYUN_OSS_REGION'), authVersion: storageValue(ctx, 'ALIYUN_OSS_AUTH_VERSION'),
      path: storageValue(ctx, 'ALIYUN_OSS_PATH') ?? '', accessKey: '', secretKey: '' } };
  }
  // A shared volume: the platform's claim, mounted where the platform's env says the files are. The chart mounts
  // `api.persistence` in the api and the worker only; the beat gets it as on the native tier, by its extra volumes.
  const claim = ctx.fileStorage.volumes[0]?.persistentVolumeClaim?.claimName;
  const mountPath = ctx.fileStorage.volumeMounts[0]?.mountPath;
  return {
    api: { persistence: { mountPath, persistentVolumeClaim: { existingClaim: claim } } },
    beat: {
      extraVolumes: ctx.fileStorage.volumes.map((volume) => k8s.toJson_Volume(volume)),
      extraVolumeMounts: ctx.fileStorage.volumeMounts.map((mount) => k8s.toJson_VolumeMount(mount)),
    },
  };
}

/** The chart's vector-store values for the platform's store: what its ConfigMaps write, with no credential. */
function vectorStoreValues(ctx: DifyContext): Values {
  const store = ctx.vectorStore;
  if (store.store === 'qdrant') return { externalQdrant: { enabled: true, endpoint: store.qdrant.httpUrl, apiKey: '' } };
  if (store.store === 'milvus') return { externalMilvus: { enabled: true, uri: store.milvus.uri, token: '', user: '', password: '' } };
  const pg = ctx.postgresql;
  return { externalPgvector: { enabled: true, address: pg.host, port: pg.port, dbName: store.database, username: '', password: '' } };
}

/** The chart's Redis values: the platform's mode (direct or Sentinel), with no password. */
function redisValues(ctx: DifyContext): Values {
  const redis = ctx.redis;
  const sentinel = ctx.config.redisMode === 'sentinel' ? sentinelOf(redis) : undefined;
  return {
    enabled: true, host: redis.host, port: redis.port, username: '', password: '', useSSL: false,
    sentinel: sentinel ? { enabled: true, masterSet: sentinel.masterName, sentinels: [...sentinel.endpoints], password: '' } : { enabled: false },
  };
}

/** Each component's image, resources, security contexts and pull secrets: the native tier's, as defaults. */
function componentValues(ctx: DifyContext): { image: Values; components: Record<string, Values> } {
  const { config } = ctx;
  const pullSecrets = config.settings.imagePullSecrets ?? [];
  const images = Object.fromEntries(IMAGE_KEYS.flatMap((key) => {
    const reference = config.images[key];
    return reference ? [[key, { ...imageValues(reference), pullPolicy: config.settings.imagePullPolicy ?? 'IfNotPresent',
      ...(pullSecrets.length > 0 ? { pullSecrets } : {}) }]] : [];
  }));
  const components = Object.fromEntries(COMPONENTS.map((component) => {
    const native = component;
    const podSecurity = POD_SECURITY[native] && k8s.toJson_PodSecurityContext(POD_SECURITY[native]);
    const containerSecurity = k8s.toJson_SecurityContext(SECURITY[native]);
    // The api's image components have an `enabled` switch and default to runAsUser 1001 (null deletes a chart
    // default): the image's own user runs, as natively. The others take the context as it is.
    const switched = SWITCHED_SECURITY.includes(component);
    return [component, {
      resources: config.components[native].resources,
      containerSecurityContext: switched ? { enabled: true, runAsUser: null, ...containerSecurity } : containerSecurity,
      podSecurityContext: switched ? { enabled: podSecurity !== undefined, fsGroup: null, ...podSecurity } : podSecurity ?? {},
    }];
  }));
  return { image: images, components };
}

/** Every value the platform decides for this chart, and the defaults it gives that values may change. */
export function borisPlatformValues(ctx: DifyContext): Values {
  const { config } = ctx;
  // The chart's Secret is not written, so the plugin daemon's keys come from here, with the rest of the native plugin wiring.
  const backendEnv = [...platformBackendEnv(ctx), ...pluginEnv(ctx)];
  // Every public URL is the platform's one origin (publicUrlEnv); TRIGGER_URL only where the version has triggers.
  const url = config.publicUrl;
  const { image, components: values } = componentValues(ctx);
  const storage = storageValues(ctx);
  return {
    global: {
      // Empty: the platform's Secret gives SECRET_KEY; the chart's default key would be one every install shares.
      appSecretKey: '', internalApiKey: '',
      consoleApiDomain: url, consoleWebDomain: url, serviceApiDomain: url, appApiDomain: url, appWebDomain: url, filesDomain: url,
      triggerDomain: config.features.triggers ? url : '',
    },
    image,
    api: {
      ...values.api, migration: false, extraEnv: backendEnv, auth: { internalApiKey: '' },
      // No mail until the values configure it: the chart's default is Resend with the key "xxxx".
      mail: { type: '' },
      ...(storage.api as Values | undefined ?? {}),
    },
    worker: { ...values.worker, extraEnv: backendEnv },
    beat: { ...values.beat, extraEnv: backendEnv, ...(storage.beat as Values | undefined ?? {}) },
    web: values.web,
    sandbox: { ...values.sandbox, auth: { apiKey: '' }, extraEnv: [secretEnv('API_KEY', ctx.secrets.ref('sandboxApiKey'))] },
    pluginDaemon: {
      // The native daemon's wiring: keys, database, Redis, the api's package limit (the chart's 50 MB beside the api's
      // 15 MB default refuses plugins between) and its working path on the volume (the chart's /app/cwd is in the
      // container, so every restart would install every plugin from PyPI again).
      ...values.pluginDaemon, extraEnv: pluginDaemonEnv(ctx), auth: { serverKey: '' },
      // One replica writes its plugins, as natively: the chart's default ReadWriteMany claim stays Pending on most
      // clusters. A ReadWriteOnce volume needs the old pod gone before the new one starts, as the native tier rolls it.
      persistence: { mountPath: PLUGIN_STORAGE_ROOT, persistentVolumeClaim: { accessModes: 'ReadWriteOnce' } },
      updateStrategy: { type: 'Recreate' },
    },
    proxy: { enabled: false },
    agentBackend: { enabled: false },
    localSandbox: { enabled: false },
    apiWebsocket: { enabled: false },
    ingress: { enabled: false },
    httproute: { enabled: false },
    externalSecret: { enabled: false },
    redis: { enabled: false },
    postgresql: { enabled: false },
    weaviate: { enabled: false },
    externalPostgres: { enabled: true, address: ctx.postgresql.host, port: ctx.postgresql.port, username: '', password: '',
      database: { api: ctx.databases.dify, pluginDaemon: ctx.databases.pluginDaemon } },
    externalRedis: redisValues(ctx),
    ...vectorStoreValues(ctx),
    ...Object.fromEntries(Object.entries(storage).filter(([key]) => key !== 'api' && key !== 'beat')),
  };
}
