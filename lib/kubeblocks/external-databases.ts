/**
 * Databases the platform does not run: a KubeBlocks cluster that exists already (`<engine>.existingCluster`, found
 * by name with the release line's naming of its Service and Secret, never written), or a server outside KubeBlocks
 * (`<engine>.external`: RDS, Cloud SQL, a managed Redis, a Qdrant Cloud cluster). Each gives the same connection
 * contract the platform's own clusters give, every credential by reference to the user's Secret.
 */
import { CaBundleRef, PostgresqlConnection, QdrantConnection, RedisConnection, RedisTlsVerify, SecretKeyRef, SslMode } from './connections';
import { postgresqlClusterModel, postgresqlConnectionOf } from './postgresql-cluster';
import { redisClusterModel, redisConnectionOf } from './redis-cluster';
import { qdrantClusterModel, qdrantConnectionOf } from './qdrant-cluster';
import { ClusterModel } from './cluster-model';
import { NamingScheme } from './naming';
import { ReleaseLine } from './release-lines';

export interface ExternalPostgresql {
  /** The server's DNS name or address (an RDS or Cloud SQL endpoint). */
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  /** The Secret (in the platform's namespace) with the account Dify and the database Job use. */
  readonly credentialsSecret: string;
  /** @default 'username' */
  readonly usernameKey?: string;
  /** @default 'password' */
  readonly passwordKey?: string;
  /**
   * How the connection is encrypted (libpq's sslmode). The plugin daemon takes only disable or require: it gets disable
   * for `allow` and require for `prefer`, so a server without TLS needs `disable`. verify-ca and verify-full are
   * refused: no container is given a CA certificate.
   * @default 'prefer' (libpq's default: TLS when the server offers it)
   */
  readonly sslMode?: SslMode;
}

export interface ExternalRedis {
  readonly host: string;
  /** @default 6379 */
  readonly port?: number;
  /** The Secret with the password (and the username, for a Redis 6 ACL user). */
  readonly credentialsSecret: string;
  /** @default - no username: the `default` user */
  readonly usernameKey?: string;
  /** @default 'password' */
  readonly passwordKey?: string;
  /**
   * TLS to the server (ElastiCache with in-transit encryption, Azure Cache on port 6380, Memorystore with TLS): every
   * program of Dify's that talks to Redis connects with it. Needs Dify 1.13.3 or later.
   * @default - off: plain TCP
   */
  readonly tls?: ExternalRedisTls;
}

/** TLS to an external Redis. */
export interface ExternalRedisTls {
  /** @default false */
  readonly enabled?: boolean;
  /**
   * `required`: the certificate must chain to a trusted CA (`ca`, else the images' system roots) and name `host`.
   * `none`: encrypted, nothing checked (anyone on the path can pose as the server).
   * @default 'required'
   */
  readonly verify?: RedisTlsVerify;
  /**
   * A private CA's PEM bundle, from a Secret or a ConfigMap (`secretName` or `configMapName`) and its key; mounted
   * read-only into every pod that talks to Redis.
   * @default - none: the system roots of each image (enough for a certificate from a public CA, such as
   * ElastiCache's and Azure Cache's; Memorystore's CA is its instance's own: give it here)
   */
  readonly ca?: CaBundleRef;
}

export interface ExternalQdrant {
  /** `http(s)://host:6333` of the Qdrant REST API. */
  readonly url: string;
  /** The Secret key with the API key, when the server asks for one. @default - none */
  readonly apiKeySecret?: SecretKeyRef;
}

/**
 * The two ways a KubeBlocks cluster names what it creates (naming.ts), for the same engine and component names:
 * - `topology`: its components take their definitions from ComponentDefinitions (a topology, or `componentDef`).
 *   Service `<c>-<comp>-<service>` (`<c>-postgresql-postgresql`, `<c>-redis-redis`,
 *   `<c>-redis-sentinel-redis-sentinel`, `<c>-qdrant-qdrant`), Secret `<c>-<comp>-account-<user>` per account, keys
 *   `username` and `password`. Every 1.0 cluster, and every 0.9.5 cluster the addons' own cluster charts create
 *   (kubeblocks-addons v0.9.5 addons-cluster/postgresql-cluster/templates/cluster.yaml: `topology`, no
 *   `componentDefRef`; addons-cluster/redis-cluster/templates/cluster.yaml: topology unless `useLegacyCompDef`,
 *   false in its values.yaml; addons-cluster/qdrant-cluster/templates/cluster.yaml: `componentDef: qdrant`).
 * - `legacy`: a 0.9 cluster whose components all set `componentDefRef` and name a ClusterVersion (the seed's and
 *   the platform's own 0.9 PostgreSQL, the redis chart with `useLegacyCompDef`, a Qdrant made while the qdrant addon
 *   0.9.1 still shipped its ClusterVersion, up to kubeblocks-addons v0.9.4). Service `<c>-<comp>` (kubeblocks v0.9.5
 *   pkg/controller/component/component_definition_convertor.go gives the definition's service no name;
 *   pkg/constant/pattern.go), and one Secret `<c>-conn-credential` with keys `username`, `password`, `host`, `port`,
 *   `endpoint`, made only for such clusters (controllers/apps/transformer_cluster_credential.go, isLegacyCluster). Its
 *   account is the ClusterDefinition's `connectionCredential` user (`postgres`, Redis `default`), and the legacy
 *   Sentinel takes its password from that Secret too (kubeblocks-addons
 *   v0.9.5 addons/postgresql/templates/clusterdefinition.yaml, addons/redis/templates/clusterdefinition.yaml).
 *   Such clusters can still exist beside KubeBlocks 1.0: the 1.0.2 operator leaves a Cluster of the v1alpha1 API to
 *   the 0.9 operator (kubeblocks v1.0.2 controllers/apps/cluster/transformer_cluster_normalization.go,
 *   checkNPatchCRDAPIVersionKey), so both forms are accepted on both lines.
 */
export const CLUSTER_FORMS = ['topology', 'legacy'] as const;
export type ClusterForm = typeof CLUSTER_FORMS[number];

/**
 * The form an `existingCluster` given by name alone is read in: the form of every cluster the addons' cluster charts
 * create on 0.9.5 and of every 1.0 cluster. A 0.9 cluster of the legacy form must say so.
 */
export const DEFAULT_CLUSTER_FORM: ClusterForm = 'topology';

const FORM_NAMING: Readonly<Record<ClusterForm, NamingScheme>> = { topology: 'componentDef', legacy: 'legacy' };

/** A KubeBlocks cluster that exists in the platform's namespace, and how it names its Services and Secrets. */
export interface ExistingCluster {
  readonly name: string;
  /**
   * `legacy` for a 0.9 cluster whose components set `componentDefRef` (it has a Secret `<name>-conn-credential`).
   * @default 'topology'
   */
  readonly form?: ClusterForm;
}

/** An `existingCluster` setting, by name alone or with its form, with the default form applied. */
export function existingClusterOf(setting: string | ExistingCluster): Required<ExistingCluster> {
  return typeof setting === 'string' ? { name: setting, form: DEFAULT_CLUSTER_FORM } : { name: setting.name, form: setting.form ?? DEFAULT_CLUSTER_FORM };
}

/**
 * What every engine's settings may say instead of the cluster settings: `E` the external server's settings, `C` an
 * existing cluster's (a platform may ask more of one engine's, as of PostgreSQL's databases).
 */
export interface ExternalDatabaseSettings<E, C extends ExistingCluster = ExistingCluster> {
  /**
   * A KubeBlocks cluster of this engine that exists in the platform's namespace: used, never written. Its name, read
   * in the topology form (every 1.0 cluster, and what the addons' cluster charts create on 0.9.5), or
   * `{ name, form: legacy }` for a 0.9 cluster whose components set componentDefRef (it has a Secret `<name>-conn-credential`).
   */
  readonly existingCluster?: string | C;
  /** A server outside KubeBlocks. */
  readonly external?: E;
}

/** Whether an engine's settings name a database the platform does not run. */
export function isBroughtIn(settings: object | undefined): boolean {
  const brought = settings as ExternalDatabaseSettings<unknown> | undefined;
  return brought?.existingCluster !== undefined || brought?.external !== undefined;
}

export function externalPostgresqlConnection(namespace: string, external: ExternalPostgresql): PostgresqlConnection {
  return {
    origin: 'external', clusterName: external.host, namespace, host: external.host, port: external.port ?? 5432,
    superuser: {
      username: { name: external.credentialsSecret, key: external.usernameKey ?? 'username' },
      password: { name: external.credentialsSecret, key: external.passwordKey ?? 'password' },
    },
    sslMode: external.sslMode ?? 'prefer',
  };
}

export function externalRedisConnection(namespace: string, external: ExternalRedis): RedisConnection {
  return {
    origin: 'external', clusterName: external.host, namespace, host: external.host, port: external.port ?? 6379,
    username: external.usernameKey ? { name: external.credentialsSecret, key: external.usernameKey } : undefined,
    password: { name: external.credentialsSecret, key: external.passwordKey ?? 'password' },
    ...(external.tls?.enabled ? { tls: { verify: external.tls.verify ?? 'required', ...(external.tls.ca ? { ca: external.tls.ca } : {}) } } : {}),
  };
}

export function externalQdrantConnection(namespace: string, external: ExternalQdrant, replicationFactor: number): QdrantConnection {
  const url = new URL(external.url);
  return {
    origin: 'external', clusterName: url.hostname, namespace, host: url.hostname, httpPort: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    grpcPort: 6334, httpUrl: external.url.replace(/\/+$/, ''), replicationFactor, apiKey: external.apiKeySecret,
  };
}

// An existing cluster's model: its name, the platform's namespace, the release line's default component names, and
// the names its form gives them.

function inForm(model: ClusterModel, form: ClusterForm): ClusterModel {
  return { ...model, naming: FORM_NAMING[form] };
}

export function existingPostgresqlConnection(setting: string | ExistingCluster, namespace: string, releaseLine: ReleaseLine): PostgresqlConnection {
  const { name, form } = existingClusterOf(setting);
  return postgresqlConnectionOf(inForm(postgresqlClusterModel({ name, namespace, releaseLine }), form), 'existingCluster');
}

export function existingRedisConnection(setting: string | ExistingCluster, namespace: string, releaseLine: ReleaseLine): RedisConnection {
  const { name, form } = existingClusterOf(setting);
  return redisConnectionOf(inForm(redisClusterModel({ name, namespace, releaseLine }), form), 'existingCluster');
}

export function existingQdrantConnection(setting: string | ExistingCluster, namespace: string, releaseLine: ReleaseLine, replicationFactor: number): QdrantConnection {
  const { name, form } = existingClusterOf(setting);
  return qdrantConnectionOf(inForm(qdrantClusterModel({ name, namespace, releaseLine }), form), 'existingCluster', replicationFactor);
}
