/**
 * The servers a douban chart is pointed at through its backend variables: with `postgresql.embedded: false`,
 * `redis.embedded: false` or `minio.embedded: false`, the chart's README has the user give `DB_*`, `REDIS_*` and
 * `S3_*` in `global.extraBackendEnvs` (its templates set them only for the embedded servers: templates/_helpers.tpl,
 * `dify.commonBackendEnvs`, chart 0.9.1). Those servers hold the user's data: each is carried to its `external`
 * setting, never swapped for a new, empty cluster of the platform's. A credential is carried by its Secret
 * reference; a plaintext one becomes a Secret to create, named with its keys.
 */
import { isMapping, Values } from '../dify/chart/chart-values';
import { SSL_MODES } from '../kubeblocks/connections';
import { difyDatabasesOf } from '../dify/wiring/database-names';
import type { Importer, Take } from './import-values';
import { portValue, serverHostProblem, serverUrlProblem } from './server-values';

/** A variable of the values: its literal value, or the Secret key it is read from. */
interface Variable {
  readonly at: string;
  readonly value?: string;
  readonly secret?: { readonly name: string; readonly key: string };
  /** The entry's value is a list or a mapping, which no variable holds: never turned into text and carried. */
  readonly notScalar?: boolean;
}

/** The backend variables of the chart's env lists, by name (a later entry wins, as in the pod). */
export function backendVariables(take: Take, paths: readonly string[]): Map<string, Variable> {
  const found = new Map<string, Variable>();
  for (const path of paths) {
    const entries = take(path);
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (!isMapping(entry) || typeof entry.name !== 'string') return;
      const ref = isMapping(entry.valueFrom) && isMapping(entry.valueFrom.secretKeyRef) ? entry.valueFrom.secretKeyRef : undefined;
      const secret = ref && typeof ref.name === 'string' && typeof ref.key === 'string' ? { name: ref.name, key: ref.key } : undefined;
      const scalar = ['string', 'number', 'boolean'].includes(typeof entry.value);
      const value = scalar ? String(entry.value) : undefined;
      const notScalar = entry.value !== undefined && entry.value !== null && !scalar;
      found.set(entry.name, { at: `${path}[${index}] (${entry.name})`, ...(value !== undefined ? { value } : {}), ...(secret ? { secret } : {}),
        ...(notScalar ? { notScalar } : {}) });
    });
  }
  return found;
}

/** Carries the servers the values point at; the variables it carried (or said why not) go to importer.carried, which env() skips. */
export function envServices(importer: Importer, take: Take, variables: Map<string, Variable>): void {
  const use = (name: string): Variable | undefined => {
    const variable = variables.get(name);
    if (variable) importer.carried.add(name);
    return variable;
  };
  if (take('postgresql.embedded') === false) externalPostgresql(importer, use);
  if (take('redis.embedded') === false) externalRedis(importer, use);
  vectorStore(importer, use);
  const storageType = take('global.storageType');
  if (take('minio.embedded') === true) importer.set('dify.storage', { type: 'minio' });
  else if (storageType === 's3' || use('STORAGE_TYPE')?.value === 's3') externalS3(importer, use);
  else if (typeof storageType === 'string' && storageType !== '') {
    importer.note('global.storageType', `${storageType}: carry it by hand: dify.storage takes s3, azure-blob, google-storage, aliyun-oss and volume (docs/configuration.md, dify.storage)`);
  }
}

type Use = (name: string) => Variable | undefined;

/** A literal, non-secret value of a variable, or a note saying why it is not one. */
function literal(importer: Importer, variable: Variable | undefined, what: string): string | undefined {
  if (!variable) return undefined;
  if (variable.notScalar) {
    importer.note(variable.at, `${what} must be one value, not a list or a mapping`);
    return undefined;
  }
  if (variable.value !== undefined && variable.value !== '') return variable.value;
  importer.note(variable.at, `${what} must be written in the config (it is not a credential), not read from a Secret`);
  return undefined;
}

/**
 * The Secret and keys a setting's credentials come from: the one the values already read them from (which the user
 * keeps, in the platform's namespace), or one to create when the values give them in plain text.
 */
function credentials(importer: Importer, setting: string, fallback: string, entries: Readonly<Record<string, Variable | undefined>>): { secret: string; keys: Record<string, string> } {
  const referenced = Object.values(entries).find((variable) => variable?.secret)?.secret?.name;
  const secret = referenced ?? fallback;
  const keys: Record<string, string> = {};
  const missing: string[] = [];
  for (const [key, variable] of Object.entries(entries)) {
    if (variable?.secret && variable.secret.name === secret) keys[key] = variable.secret.key;
    else {
      if (variable?.secret) importer.note(variable.at, `it is read from the Secret ${variable.secret.name}; ${setting} reads every credential from one Secret, ${secret}: add the key ${key} to it`);
      else if (variable?.value !== undefined) {
        importer.note(variable.at, `${key === 'username' ? `${setting} reads the user name from its Secret` : 'a plaintext secret'}; put it in the Secret ${secret} under the key ${key}`);
      }
      missing.push(key);
    }
  }
  // A Secret the values read already is kept; the keys read from it are there, the others must be added.
  importer.secret(secret, [...Object.values(keys), ...missing], referenced !== undefined, referenced !== undefined ? missing : []);
  return { secret, keys };
}

/** The server an engine's variables name (`<PREFIX>_HOST`, `<PREFIX>_PORT`), or a note that they name none. */
function serverOf(importer: Importer, use: Use, engine: string, prefix: string): { host: string; port?: number } | undefined {
  const hostVariable = use(`${prefix}_HOST`);
  const host = literal(importer, hostVariable, 'the server\'s host');
  if (!host) {
    importer.note(`${engine}.embedded`, `false, but no ${prefix}_HOST in global.extraBackendEnvs: give ${engine}.external with your server by hand`);
    return undefined;
  }
  // A host with a scheme or a user:password@ in it is never written: the note names the variable, not its value.
  const problem = serverHostProblem(host, `${engine}.external`);
  if (problem) {
    importer.note(hostVariable!.at, problem);
    return undefined;
  }
  const portVariable = use(`${prefix}_PORT`);
  const portText = literal(importer, portVariable, 'the port');
  const port = portText === undefined ? undefined : portValue(portText);
  if (portText !== undefined && port === undefined) importer.note(portVariable!.at, `it is not a port (a whole number from 1 to 65535): give ${engine}.external.port by hand`);
  return { host, ...(port ? { port } : {}) };
}

/** An external server's Secret, with the keys it reads named only where they are not the setting's defaults. */
function secretSettings(secret: string, keys: Readonly<Record<string, string>>): Values {
  return {
    credentialsSecret: secret,
    ...(keys.username && keys.username !== 'username' ? { usernameKey: keys.username } : {}),
    ...(keys.password && keys.password !== 'password' ? { passwordKey: keys.password } : {}),
  };
}

function externalPostgresql(importer: Importer, use: Use): void {
  const server = serverOf(importer, use, 'postgresql', 'DB');
  if (!server) return;
  const { host } = server;
  const { secret, keys } = credentials(importer, 'postgresql.external', 'dify-postgresql-credentials', { username: use('DB_USERNAME'), password: use('DB_PASSWORD') });
  const sslMode = sslModeOf(importer, use);
  importer.set('postgresql.external', { ...server, ...secretSettings(secret, keys), ...(sslMode ? { sslMode } : {}) });
  // KubeBlocks names a cluster's Service `<cluster>-<component>` and, on 0.9, its Secret `<cluster>-conn-credential`.
  const cluster = host.match(/^([a-z0-9-]+)-postgresql$/)?.[1];
  if (cluster && secret === `${cluster}-conn-credential`) {
    importer.note(use('DB_HOST')!.at, `${host} and the Secret ${secret} look like the KubeBlocks cluster ${cluster}: if it runs in the platform's namespace, `
      + `postgresql.existingCluster: ${cluster} says so instead of postgresql.external`);
  }
  // Dify's database by its name (the plugin daemon's is its own DB_DATABASE, in pluginDaemon.envs: not a backend variable).
  const database = literal(importer, use('DB_DATABASE'), 'the database name');
  if (database && database !== difyDatabasesOf(undefined).dify) importer.set('postgresql.external.databases', { dify: database });
  for (const name of ['DB_TYPE', 'SQLALCHEMY_POOL_SIZE', 'SQLALCHEMY_MAX_OVERFLOW']) use(name);
}

/** `PGSSLMODE`, or `sslmode=` in `DB_EXTRAS` (Dify appends it to its database URL's query). */
function sslModeOf(importer: Importer, use: Use): string | undefined {
  const pg = use('PGSSLMODE');
  const extras = use('DB_EXTRAS');
  const fromExtras = extras?.value?.match(/(?:^|&)sslmode=([a-z-]+)/)?.[1];
  if (extras?.value && extras.value.replace(/(?:^|&)sslmode=[a-z-]+/, '') !== '') {
    importer.note(extras.at, 'only its sslmode is carried (postgresql.external.sslMode); the platform writes the rest of the database URL');
  }
  const mode = pg?.value ?? fromExtras;
  if (mode === undefined) return undefined;
  if ((SSL_MODES as readonly string[]).includes(mode)) return mode;
  // Never weaker than asked where it can be helped: a certificate-checking mode keeps TLS required, and says what is lost.
  if (mode === 'verify-ca' || mode === 'verify-full') {
    importer.note(pg?.at ?? extras!.at, `sslmode ${mode} is carried as require: TLS stays required, but no container here is given a CA bundle `
      + 'to check the server\'s certificate with (and the plugin daemon takes only disable or require)');
    return 'require';
  }
  importer.note(pg?.at ?? extras!.at, `sslmode ${mode}: postgresql.external.sslMode takes ${SSL_MODES.join(', ')}`);
  return undefined;
}

function externalRedis(importer: Importer, use: Use): void {
  const server = serverOf(importer, use, 'redis', 'REDIS');
  if (!server) return;
  const username = use('REDIS_USERNAME');
  const { secret, keys } = credentials(importer, 'redis.external', 'dify-redis-credentials', {
    ...(username ? { username } : {}), password: use('REDIS_PASSWORD'),
  });
  importer.set('redis.external', { ...server, ...secretSettings(secret, keys) });
  const broker = use('CELERY_BROKER_URL');
  if (broker) importer.note(broker.at, 'the platform builds the broker URL from redis.external and its Secret');
  const db = use('REDIS_DB');
  if (db) importer.note(db.at, 'the platform picks the Redis databases (0 for the cache, 1 for Celery)');
  redisTls(importer, use);
  for (const name of ['REDIS_USE_SENTINEL', 'REDIS_SENTINELS', 'REDIS_SENTINEL_SERVICE_NAME']) {
    const sentinel = use(name);
    if (sentinel && sentinel.value !== 'false') importer.note(sentinel.at, 'an external Redis is reached directly here, not through Sentinel');
  }
}

/** The vector store the values point at: a Qdrant carried as qdrant.external; another kind cannot be carried. */
function vectorStore(importer: Importer, use: Use): void {
  const store = use('VECTOR_STORE');
  const url = use('QDRANT_URL');
  if (store?.value !== undefined && store.value !== 'qdrant') {
    const kind = store.value === 'pgvector' ? 'pgvector runs in the platform\'s PostgreSQL here (vectorStore: pgvector), not on a server given by variables'
      : `${store.value}: the vector stores here are Qdrant (the platform's or qdrant.external), pgvector and Milvus (the platform's cluster); re-index into one of them (flask vdb-migrate)`;
    importer.note(store.at, kind);
    return;
  }
  const address = literal(importer, url, 'the Qdrant URL');
  if (!address) return;
  const urlProblem = serverUrlProblem(address, 'qdrant.external.url');
  if (urlProblem) return importer.note(url!.at, urlProblem);
  const key = use('QDRANT_API_KEY');
  if (key?.value !== undefined) importer.note(key.at, 'a plaintext secret; put it in the Secret dify-qdrant-credentials under the key api-key');
  const apiKeySecret = key?.secret ?? (key ? { name: 'dify-qdrant-credentials', key: 'api-key' } : undefined);
  if (apiKeySecret) importer.secret(apiKeySecret.name, [apiKeySecret.key], key?.secret !== undefined);
  importer.set('qdrant.external', { url: address, ...(apiKeySecret ? { apiKeySecret } : {}) });
  importer.set('vectorStore', 'qdrant');
  for (const name of ['QDRANT_GRPC_ENABLED', 'QDRANT_GRPC_PORT', 'QDRANT_CLIENT_TIMEOUT']) use(name);
}

/**
 * `REDIS_USE_SSL` (or a `rediss://` broker URL) as redis.external.tls, with the check the values ask for; a CA file
 * path of the chart's pods names a file this platform's pods do not have: the bundle goes in a Secret or ConfigMap.
 */
function redisTls(importer: Importer, use: Use): void {
  const ssl = use('REDIS_USE_SSL');
  const broker = use('CELERY_BROKER_URL');
  const enabled = ssl ? /^(true|1|yes)$/i.test(ssl.value ?? '') : broker?.value?.startsWith('rediss://') === true;
  if (!enabled) return;
  const reqs = use('REDIS_SSL_CERT_REQS');
  const verify = reqs?.value === 'CERT_NONE' || reqs?.value === 'none' ? 'none' : 'required';
  importer.set('redis.external.tls', { enabled: true, ...(verify === 'none' ? { verify } : {}) });
  const ca = use('REDIS_SSL_CA_CERTS');
  if (ca) importer.note(ca.at, 'a CA file of the chart\'s pods: put the bundle in a Secret or ConfigMap and name it in redis.external.tls.ca');
  for (const name of ['REDIS_SSL_CERTFILE', 'REDIS_SSL_KEYFILE']) {
    const client = use(name);
    if (client) importer.note(client.at, 'client certificates are not a setting here: redis.external.tls takes the server\'s CA only');
  }
}

function externalS3(importer: Importer, use: Use): void {
  const bucket = literal(importer, use('S3_BUCKET_NAME'), 'the bucket');
  const region = literal(importer, use('S3_REGION'), 'the region');
  const endpoint = literal(importer, use('S3_ENDPOINT'), 'the endpoint') ?? (region ? `https://s3.${region}.amazonaws.com` : undefined);
  if (!bucket || !endpoint) {
    importer.note('global.storageType', 's3, but S3_BUCKET_NAME and S3_ENDPOINT (or S3_REGION) are not both in global.extraBackendEnvs: give dify.storage.s3 by hand');
    return;
  }
  const style = use('S3_ADDRESS_STYLE')?.value;
  const iam = use('S3_USE_AWS_MANAGED_IAM')?.value === 'true';
  const [access, secretKey] = [use('S3_ACCESS_KEY'), use('S3_SECRET_KEY')];
  const s3: Values = { endpoint, bucket, ...(region ? { region } : {}), ...(style === 'path' || style === 'virtual' ? { addressStyle: style } : {}) };
  if (iam) {
    s3.useIamRole = true;
    for (const unused of [access, secretKey]) if (unused) importer.note(unused.at, 'not needed with S3_USE_AWS_MANAGED_IAM: the pod\'s identity is the credential');
  } else {
    const { secret, keys } = credentials(importer, 'dify.storage.s3', 'dify-s3-credentials', { 'access-key': access, 'secret-key': secretKey });
    Object.assign(s3, { credentialsSecret: secret },
      keys['access-key'] && keys['access-key'] !== 'access-key' ? { accessKeyKey: keys['access-key'] } : {},
      keys['secret-key'] && keys['secret-key'] !== 'secret-key' ? { secretKeyKey: keys['secret-key'] } : {});
  }
  importer.set('dify.storage', { type: 's3', s3 });
}
