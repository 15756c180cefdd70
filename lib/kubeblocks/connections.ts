/**
 * The connection contracts of the data tier: everything a consumer (the Dify tier) needs to reach a database,
 * with names computed once by naming.ts. Consumers never rebuild a Service or Secret name themselves.
 */

/** A key in a Secret that KubeBlocks creates; consumers read it with `secretKeyRef`, never by value. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/**
 * libpq's sslmode values the platform can honour on every PostgreSQL client it runs. libpq's `verify-ca` and
 * `verify-full` are not among them: they need a CA certificate, which no container here is given, and the plugin
 * daemon takes only `disable` or `require` (see lib/dify/wiring/postgres-tls.ts).
 */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require'] as const;
/** libpq's `sslmode` for an external PostgreSQL: one of {@link SSL_MODES}. */
export type SslMode = typeof SSL_MODES[number];

/**
 * Where a database comes from: a cluster this platform writes, a KubeBlocks cluster that exists already (found by
 * name, never written), or a server outside KubeBlocks. Only the platform's own get NetworkPolicies and operations.
 */
export type ClusterOrigin = 'platform' | 'existingCluster' | 'external';

/** How programs reach a PostgreSQL cluster (the platform's, an existing one, or an external server): never a credential, only Secret references. */
export interface PostgresqlConnection {
  readonly origin: ClusterOrigin;
  readonly clusterName: string;
  readonly namespace: string;
  /** Service that follows the primary. */
  readonly host: string;
  readonly port: number;
  /** The superuser (`postgres`) account, or the account of an external server. */
  readonly superuser: { readonly username: SecretKeyRef; readonly password: SecretKeyRef };
  /** libpq's sslmode for an external server. @default - none set (the platform's clusters: in-cluster traffic) */
  readonly sslMode?: SslMode;
}

/**
 * How a client checks a Redis server's certificate: `required` checks its chain (against the CA bundle when one is
 * given, else the image's system roots) and that it names the host; `none` encrypts without checking anything.
 * Python's ssl and the plugin daemon treat a client's CERT_OPTIONAL as CERT_REQUIRED, so there is no third level.
 */
export const REDIS_TLS_VERIFY = ['required', 'none'] as const;
export type RedisTlsVerify = typeof REDIS_TLS_VERIFY[number];

/** A PEM file of CA certificates in a Secret or a ConfigMap of the platform's namespace (one of the two names). */
export interface CaBundleRef {
  readonly secretName?: string;
  readonly configMapName?: string;
  readonly key: string;
}

/** TLS to a Redis server: how its certificate is checked, and the CA bundle of a private CA. */
export interface RedisTls {
  readonly verify: RedisTlsVerify;
  /** @default - none: the image's system roots */
  readonly ca?: CaBundleRef;
}

/** How programs reach the Sentinels of a KubeBlocks Redis. */
export interface SentinelConnection {
  /** `host:port` of every sentinel pod, through the headless Service (sentinels advertise those addresses). */
  readonly endpoints: readonly string[];
  /** The Service in front of all sentinels. */
  readonly serviceHost: string;
  readonly port: number;
  /** The name sentinels know the primary by. */
  readonly masterName: string;
  /** Sentinels require AUTH with their own account. */
  readonly password: SecretKeyRef;
}

/** How programs reach Redis (the platform's, an existing one, or an external server), directly or through Sentinel. */
export interface RedisConnection {
  readonly origin: ClusterOrigin;
  readonly clusterName: string;
  readonly namespace: string;
  /** Service that follows the primary. */
  readonly host: string;
  readonly port: number;
  /** The `default` account; none for an external Redis without ACL users (its `default` user). */
  readonly username?: SecretKeyRef;
  readonly password: SecretKeyRef;
  /** The sentinels of a KubeBlocks Redis; none for an external one (direct mode only). */
  readonly sentinel?: SentinelConnection;
  /** TLS to an external server. @default - none: plain TCP (the platform's clusters: in-cluster traffic) */
  readonly tls?: RedisTls;
}

/** How Dify reaches a Qdrant cluster (the platform's, an existing one, or an external URL). */
export interface QdrantConnection {
  readonly origin: ClusterOrigin;
  readonly clusterName: string;
  readonly namespace: string;
  /** Service over all Qdrant peers. Qdrant has no authentication in the KubeBlocks addons (0.9.x, 1.0.2). */
  readonly host: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** `http://<host>:<httpPort>`, what Dify's `QDRANT_URL` takes. */
  readonly httpUrl: string;
  /** The replication factor to create collections with, so that they survive the loss of a peer. */
  readonly replicationFactor: number;
  /** The API key of an external Qdrant that asks for one. @default - none */
  readonly apiKey?: SecretKeyRef;
}

/** How Dify reaches a Milvus standalone cluster. */
export interface MilvusConnection {
  readonly origin: ClusterOrigin;
  readonly clusterName: string;
  readonly namespace: string;
  /** The headless Service of the Milvus standalone pod. Authorization is off in the addon's standalone config. */
  readonly host: string;
  readonly port: number;
  /** `http://<host>:<port>`, what Dify's `MILVUS_URI` takes. */
  readonly uri: string;
}

/** Where Dify keeps its vectors: a Qdrant or Milvus cluster, or a database of the PostgreSQL cluster with pgvector in it. */
export type VectorStoreConnection =
  | { readonly store: 'qdrant'; readonly qdrant: QdrantConnection }
  | { readonly store: 'milvus'; readonly milvus: MilvusConnection }
  | { readonly store: 'pgvector'; readonly postgresql: PostgresqlConnection; readonly database: string };

/** The sentinels of a Redis in Sentinel mode: the config refuses Sentinel mode for a Redis without them. */
export function sentinelOf(redis: RedisConnection): SentinelConnection {
  if (!redis.sentinel) throw new Error(`the Redis at ${redis.host} has no sentinels: use redisMode direct`);
  return redis.sentinel;
}
