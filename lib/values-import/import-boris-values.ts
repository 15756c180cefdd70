/**
 * `npm run import-values -- --chart boris`: a platform config from a values file of BorisPolonsky's `dify-helm`
 * (0.3x), read as import-values.ts reads douban's: each value with a setting here is carried to it, each other value
 * is one line with the reason, and a plaintext credential is never carried (its line names the Secret to create).
 * The config is for the native app tier, which is what the platform runs unless `dify.chart` is given.
 */
import { urlCredentialProblem } from '../config/grammar';
import { autoscalingValue, Importer, ImportedConfig, ingressSettings, isGiven, serviceAccountValue, Take, versionValue } from './import-values';
import { isMapping, Values } from '../dify/chart/chart-values';
import { difyDatabasesOf } from '../dify/wiring/database-names';
import { portValue, serverHostProblem, serverUrlProblem } from './server-values';

/** The chart's component sections and the native component each one is. */
const COMPONENTS: Readonly<Record<string, string>> = {
  api: 'api', worker: 'worker', beat: 'beat', web: 'web', sandbox: 'sandbox', pluginDaemon: 'pluginDaemon',
};

/** Per component, the chart's keys carried as they are to the native component's setting of the same meaning. */
const COMPONENT_KEYS: Readonly<Record<string, string>> = {
  replicas: 'replicas', resources: 'resources', nodeSelector: 'nodeSelector', tolerations: 'tolerations', affinity: 'affinity',
  priorityClassName: 'priorityClassName', extraVolumes: 'extraVolumes', extraVolumeMounts: 'extraVolumeMounts',
};

/** The chart's security contexts (each with an `enabled` switch on the api image's components) and the native settings. */
const SECURITY_KEYS: Readonly<Record<string, string>> = { podSecurityContext: 'securityContext', containerSecurityContext: 'containerSecurityContext' };

/** The chart's credentials as values, and the key of the app Secret (`dify.existingSecret`) that holds each one here. */
const CREDENTIAL_VALUES: Readonly<Record<string, string>> = {
  'global.appSecretKey': 'SECRET_KEY', 'global.internalApiKey': 'SANDBOX_API_KEY, PLUGIN_DAEMON_KEY and INNER_API_KEY_FOR_PLUGIN',
  'sandbox.auth.apiKey': 'SANDBOX_API_KEY', 'pluginDaemon.auth.serverKey': 'PLUGIN_DAEMON_KEY', 'api.auth.internalApiKey': 'INNER_API_KEY_FOR_PLUGIN',
};

/** The chart's official image repositories: an image from another one (a mirror) is carried to dify.images. */
const IMAGE_KEYS: Readonly<Record<string, { image: string; repository: string }>> = {
  api: { image: 'api', repository: 'langgenius/dify-api' }, web: { image: 'web', repository: 'langgenius/dify-web' },
  sandbox: { image: 'sandbox', repository: 'langgenius/dify-sandbox' }, pluginDaemon: { image: 'pluginDaemon', repository: 'langgenius/dify-plugin-daemon' },
};

export function importBorisValues(values: Values): ImportedConfig {
  const importer = new Importer(values);
  const { take } = importer;
  publicUrlValues(importer, take);
  versionValue(importer, 'image.api.tag');
  imageValues(importer, take);
  ingressValues(importer, take);
  for (const [section, component] of Object.entries(COMPONENTS)) componentValues(importer, take, section, component);
  optionalComponents(importer, take);
  storageValues(importer, take);
  databaseValues(importer, take);
  for (const [path, key] of Object.entries(CREDENTIAL_VALUES)) {
    const value = take(path);
    if (typeof value !== 'string' || value === '') continue;
    if (key === 'SECRET_KEY') importer.keepSecretKey(path);
    else importer.note(path, `a plaintext secret; the platform generates ${key} in the cluster, or put yours in a Secret under those keys and name it in dify.existingSecret`);
  }
  importer.keepDefaultSecretKey('global.appSecretKey');
  // A section switched off carries nothing (a copy of the chart's whole values.yaml has many).
  for (const [section, value] of Object.entries(values)) if (isMapping(value) && value.enabled === false) take(section);
  return importer.result();
}

/** The public URLs (`global.*Domain`) as dify.host and dify.tls; one host serves them all here. */
function publicUrlValues(importer: Importer, take: Take): void {
  const domains = ['consoleWebDomain', 'consoleApiDomain', 'serviceApiDomain', 'appApiDomain', 'appWebDomain', 'filesDomain', 'triggerDomain'];
  const urls = domains.map((key) => [`global.${key}`, take(`global.${key}`)] as const).filter(([, url]) => typeof url === 'string' && url !== '');
  const parsed = urls.map(([path, url]) => [path, URL.canParse(url as string) ? new URL(url as string) : undefined] as const);
  const first = parsed.find(([, url]) => url)?.[1];
  if (!first) return;
  importer.set('dify.host', first.hostname);
  importer.set('dify.tls', { enabled: first.protocol === 'https:' });
  for (const [path, url] of parsed) {
    if (!url) importer.note(path, 'it is not a URL');
    else if (url.host !== first.host || url.protocol !== first.protocol) {
      importer.note(path, `${url.origin} is another origin than ${first.origin}: the platform serves every URL at dify.host (dify.ingress.extraHosts adds hosts)`);
    }
  }
}

/** Images from a registry of the user's own (a mirror): carried to dify.images; the official ones follow dify.version. */
function imageValues(importer: Importer, take: Take): void {
  const policies = new Set(Object.keys(IMAGE_KEYS).map((key) => take(`image.${key}.pullPolicy`)).filter((policy) => typeof policy === 'string'));
  if (policies.size === 1 && !policies.has('IfNotPresent')) importer.set('dify.imagePullPolicy', [...policies][0]);
  else if (policies.size > 1) importer.note('image.*.pullPolicy', 'one pull policy serves every image here: dify.imagePullPolicy');
  for (const [key, { image, repository }] of Object.entries(IMAGE_KEYS)) {
    const given = take(`image.${key}.repository`);
    const tag = take(`image.${key}.tag`);
    if (typeof given === 'string' && given !== repository) {
      if (typeof tag === 'string' && tag !== '') importer.set(`dify.images.${image}`, `${given}:${tag}`);
      else importer.note(`image.${key}.repository`, 'an image without a tag is not pinned; give dify.images a tag or digest');
    }
  }
}

function ingressValues(importer: Importer, take: Take): void {
  ingressSettings(importer, take);
  const enabled = take('ingress.enabled');
  // The Ingress's host names Dify's when the public URLs do not (the chart leaves them empty by default).
  const hosts = take('ingress.hosts');
  const host = Array.isArray(hosts) && isMapping(hosts[0]) ? hosts[0].host : undefined;
  const hostSet = isMapping(importer.config.dify) && importer.config.dify.host !== undefined;
  if (enabled === true && typeof host === 'string' && !hostSet) importer.set('dify.host', host);
  const tls = take('ingress.tls');
  const secretName = Array.isArray(tls) && isMapping(tls[0]) ? tls[0].secretName : undefined;
  if (typeof secretName === 'string' && secretName !== '') importer.set('dify.tls', { enabled: true, secretName });
}

/** The chart's probe values: the platform probes each program where it answers (docs/architecture.md, "What lands in dist/"). */
const PROBE_KEYS = ['livenessProbe', 'readinessProbe', 'startupProbe', 'customLivenessProbe', 'customReadinessProbe', 'customStartupProbe'];

function componentValues(importer: Importer, take: Take, section: string, component: string): void {
  if (take(`${section}.enabled`) === false) importer.note(`${section}.enabled`, `the platform runs ${component}: Dify does not work without it`);
  for (const key of PROBE_KEYS) {
    if (isGiven(take(`${section}.${key}`))) importer.note(`${section}.${key}`, 'the platform\'s probes are the ones each program answers, not settings');
  }
  for (const [key, setting] of Object.entries(COMPONENT_KEYS)) {
    const value = take(`${section}.${key}`);
    if (isGiven(value)) importer.set(`dify.${component}.${setting}`, value);
  }
  for (const [key, setting] of Object.entries(SECURITY_KEYS)) {
    const value = take(`${section}.${key}`);
    if (!isMapping(value) || value.enabled === false) continue;
    const { enabled: _enabled, ...context } = value;
    if (Object.keys(context).length > 0) importer.set(`dify.${component}.${setting}`, context);
  }
  autoscalingValue(importer, take(`${section}.autoscaling`), component);
  // The api's identity is the one every pod of Dify's api code gets (dify.pods); another component's stays its own.
  // A worker or beat on the api's own account shares dify.pods' (one account made once).
  const sameAsApi = section !== 'api' && JSON.stringify(take(`${section}.serviceAccount`)) === JSON.stringify(take('api.serviceAccount'));
  if (sameAsApi) for (const key of Object.keys((take(`${section}.serviceAccount`) ?? {}) as object)) take(`${section}.serviceAccount.${key}`);
  else serviceAccountValue(importer, take, `${section}.serviceAccount`, component === 'api' ? 'dify.pods.serviceAccount' : `dify.${component}.serviceAccount`, `dify-${section}`);
  const env = take(`${section}.extraEnv`);
  const logLevel = take(`${section}.logLevel`);
  const entries = [...(Array.isArray(env) ? env : []), ...(typeof logLevel === 'string' && logLevel !== 'INFO' ? [{ name: 'LOG_LEVEL', value: logLevel }] : [])];
  if (entries.length > 0) importer.env(`${section}.extraEnv`, entries, `dify.${component}.env`);
  else if (env !== undefined && env !== null && !Array.isArray(env)) importer.note(`${section}.extraEnv`, 'it is not a list of variables');
}

/** The chart's optional components: Agent v2 and collaboration are the native tier's settings; its proxies are not needed. */
function optionalComponents(importer: Importer, take: Take): void {
  if (take('agentBackend.enabled') === true || take('localSandbox.enabled') === true) importer.set('dify.agent.enabled', true);
  if (take('apiWebsocket.enabled') === true) importer.set('dify.collaboration.enabled', true);
  if (take('proxy.enabled') !== undefined) importer.note('proxy.enabled', 'the platform\'s Ingress routes each path to its Service: no nginx in between');
  if (take('ssrfProxy.enabled') !== undefined) importer.note('ssrfProxy.enabled', 'the platform always runs the SSRF proxy the sandbox goes out through (dify.ssrfProxy)');
  if (take('api.migration') !== undefined) importer.note('api.migration', 'the platform\'s migration Job migrates, once per version, before the pods roll');
  if (isMapping(take('externalSecret')) && take('externalSecret.enabled') === true) {
    importer.note('externalSecret', 'the platform\'s Secrets are generated in the cluster; bring your own keys with dify.existingSecret');
  }
}

/**
 * A location taken from the values (an endpoint, an address), or undefined with a note when it carries a credential
 * (`user:password@`, a key in its query): synth would refuse it, and the config would hold it in plain text.
 */
function location(importer: Importer, take: Take, path: string): unknown {
  const value = take(path);
  if (typeof value !== 'string') return value;
  const problem = urlCredentialProblem(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `tcp://${value}`);
  if (!problem) return value;
  importer.note(path, `a plaintext secret: it ${problem}; give the location without it, and the credential through the setting's Secret`);
  return undefined;
}

/**
 * An external server's host and port, each only when it is one (serverHostProblem, portValue); otherwise a note naming
 * the value's path, never its text, and the setting left for the user to give.
 */
function server(importer: Importer, take: Take, hostPath: string, portPath: string, setting: string, chartPort: number): { host?: string; port?: number } {
  const host = take(hostPath);
  const problem = serverHostProblem(host, setting);
  if (problem) importer.note(hostPath, problem);
  const given = take(portPath);
  const port = given === undefined || given === null ? chartPort : portValue(given);
  if (given !== undefined && given !== null && port === undefined) importer.note(portPath, `it is not a port (a whole number from 1 to 65535): give ${setting}.port by hand`);
  return { ...(problem ? {} : { host: host as string }), ...(port ? { port } : {}) };
}

/** File storage: S3, or the chart's shared volume when no object store is enabled. */
function storageValues(importer: Importer, take: Take): void {
  const stores = ['externalS3', 'externalAzureBlobStorage', 'externalOSS', 'externalGCS', 'externalCOS', 'externalOBS', 'externalTOS'];
  const enabled = stores.filter((store) => take(`${store}.enabled`) === true);
  if (enabled.includes('externalS3')) {
    const style = take('externalS3.pathStyle') === true ? 'path' : 'virtual';
    const iam = take('externalS3.useIAM') === true;
    importer.set('dify.storage', { type: 's3', s3: {
      endpoint: location(importer, take, 'externalS3.endpoint'), bucket: take('externalS3.bucketName.api'), region: take('externalS3.region') ?? 'us-east-1', addressStyle: style,
      ...(iam ? { useIamRole: true } : { credentialsSecret: 'dify-s3-credentials' }),
    } });
    for (const [key, secretKey] of [['accessKey', 'access-key'], ['secretKey', 'secret-key']]) {
      if (typeof take(`externalS3.${key}`) !== 'string') continue;
      importer.note(`externalS3.${key}`, iam ? 'not needed with useIAM: the pod\'s identity is the credential' : `a plaintext secret; put it in the Secret dify-s3-credentials under the key ${secretKey}`);
    }
    if (!iam) importer.secret('dify-s3-credentials', ['access-key', 'secret-key'], false);
    if (isGiven(take('externalS3.bucketName.pluginDaemon'))) {
      importer.note('externalS3.bucketName.pluginDaemon', 'the plugin daemon keeps its packages on its own volume here (dify.pluginStorage), '
        + 'which starts empty: the plugins installed so far stay in that bucket; reinstall them from the console after the move');
    }
  }
  for (const store of enabled.filter((name) => name !== 'externalS3')) {
    importer.note(store, 'carry it by hand: dify.storage takes azure-blob, google-storage and aliyun-oss with a credentials Secret (docs/configuration.md, dify.storage)');
  }
  if (enabled.length === 0) {
    const size = take('api.persistence.persistentVolumeClaim.size');
    const storageClass = take('api.persistence.persistentVolumeClaim.storageClass');
    if (size !== undefined || isGiven(storageClass)) {
      importer.set('dify.storage', { type: 'volume', volume: { ...(typeof size === 'string' ? { size } : {}), ...(typeof storageClass === 'string' && storageClass !== '' ? { storageClass } : {}) } });
    }
  }
}

/** The embedded databases and the external ones: the platform runs its own, or uses a server you run through `<engine>.external`. */
function databaseValues(importer: Importer, take: Take): void {
  // An embedded server switched on is replaced by the platform's own cluster; switched off, its external block says where.
  for (const [engine, setting] of [['postgresql', 'postgresql'], ['redis', 'redis'], ['weaviate', 'vectorStore']]) {
    if (take(`${engine}.enabled`) === true) importer.note(`${engine}.enabled`, `the platform runs its own KubeBlocks cluster instead (${setting})`);
  }
  if (take('externalPostgres.enabled') === true) {
    importer.set('postgresql.external', { ...server(importer, take, 'externalPostgres.address', 'externalPostgres.port', 'postgresql.external', 5432), credentialsSecret: 'dify-postgresql-credentials' });
    if (take('externalPostgres.password') !== undefined) importer.note('externalPostgres.password', 'a plaintext secret; put it in the Secret dify-postgresql-credentials under the key password');
    if (take('externalPostgres.username') !== undefined) importer.note('externalPostgres.username', 'postgresql.external reads the user name from its Secret: put it in dify-postgresql-credentials under the key username');
    importer.secret('dify-postgresql-credentials', ['username', 'password'], false);
    // The chart's database names (`database.api`, `database.pluginDaemon`), carried where they are not the defaults.
    const names = Object.entries({ dify: take('externalPostgres.database.api'), pluginDaemon: take('externalPostgres.database.pluginDaemon') })
      .filter(([key, name]) => typeof name === 'string' && name !== difyDatabasesOf(undefined)[key as 'dify' | 'pluginDaemon']);
    take('externalPostgres.database');
    if (names.length > 0) importer.set('postgresql.external.databases', Object.fromEntries(names));
  }
  if (take('externalRedis.enabled') === true) {
    importer.set('redis.external', { ...server(importer, take, 'externalRedis.host', 'externalRedis.port', 'redis.external', 6379), credentialsSecret: 'dify-redis-credentials' });
    const username = take('externalRedis.username');
    const keys = typeof username === 'string' && username !== '' ? ['username', 'password'] : ['password'];
    if (take('externalRedis.password') !== undefined) importer.note('externalRedis.password', 'a plaintext secret; put it in the Secret dify-redis-credentials under the key password');
    if (keys.includes('username')) importer.note('externalRedis.username', 'redis.external reads the user name from its Secret: put it in dify-redis-credentials under the key username');
    importer.secret('dify-redis-credentials', keys, false);
    if (take('externalRedis.sentinel.enabled') === true) importer.note('externalRedis.sentinel', 'an external Redis is reached directly here, not through Sentinel');
    if (isGiven(take('externalRedis.db'))) importer.note('externalRedis.db', 'the platform picks the Redis databases (0 for the cache, 1 for Celery)');
    // The chart's useSSL checks the server's certificate against the image's roots (CERT_REQUIRED, its default here).
    if (take('externalRedis.useSSL') === true) importer.set('redis.external.tls', { enabled: true });
  }
  if (take('externalQdrant.enabled') === true) {
    const apiKey = take('externalQdrant.apiKey');
    const keyed = typeof apiKey === 'string' && apiKey !== '';
    const endpoint = take('externalQdrant.endpoint');
    const urlProblem = serverUrlProblem(endpoint, 'qdrant.external.url');
    if (urlProblem) importer.note('externalQdrant.endpoint', urlProblem);
    importer.set('qdrant.external', { ...(urlProblem ? {} : { url: endpoint }), ...(keyed ? { apiKeySecret: { name: 'dify-qdrant-credentials', key: 'api-key' } } : {}) });
    if (keyed) {
      importer.note('externalQdrant.apiKey', 'a plaintext secret; put it in the Secret dify-qdrant-credentials under the key api-key');
      importer.secret('dify-qdrant-credentials', ['api-key'], false);
    }
  }
  if (take('externalMysql.enabled') === true && take('externalPostgres.enabled') !== true) {
    importer.note('externalMysql', 'Dify\'s database is PostgreSQL here (its own cluster, or postgresql.external): moving from MySQL is a data migration');
  }
  for (const store of ['externalWeaviate', 'externalMilvus', 'externalTencentVectorDB', 'externalMyScaleDB', 'externalTableStore', 'externalElasticsearch']) {
    if (take(`${store}.enabled`) === true) {
      importer.note(store, 'the vector stores here are Qdrant (the platform\'s or qdrant.external), pgvector and Milvus (the platform\'s cluster): '
        + 'this one cannot be carried; re-index into one of them (flask vdb-migrate, docs/settings-guide.md#choosing-a-vector-store)');
    }
  }
  if (take('externalPgvector.enabled') === true) {
    importer.set('vectorStore', 'pgvector');
    importer.note('externalPgvector', 'pgvector runs in the platform\'s PostgreSQL here (vectorStore: pgvector), not on a server of its own');
  }
}
