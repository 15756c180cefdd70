/**
 * Databases the platform does not run: a KubeBlocks cluster that exists already (`<engine>.existingCluster`, found
 * by name with the release line's naming of its Service and Secret, never written), or a server outside KubeBlocks
 * (`<engine>.external`: RDS, Cloud SQL, a managed Redis, a Qdrant Cloud cluster). Each gives the same connection
 * contract the platform's own clusters give, every credential by reference to the user's Secret.
 */
import { PostgresqlConnection, QdrantConnection, RedisConnection, SecretKeyRef, SslMode } from './connections';
import { postgresqlClusterModel, postgresqlConnectionOf } from './postgresql-cluster';
import { redisClusterModel, redisConnectionOf } from './redis-cluster';
import { qdrantClusterModel, qdrantConnectionOf } from './qdrant-cluster';
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
}

export interface ExternalQdrant {
  /** `http(s)://host:6333` of the Qdrant REST API. */
  readonly url: string;
  /** The Secret key with the API key, when the server asks for one. @default - none */
  readonly apiKeySecret?: SecretKeyRef;
}

/** What every engine's settings may say instead of the cluster settings. */
export interface ExternalDatabaseSettings<E> {
  /** A KubeBlocks cluster of this engine that exists in the platform's namespace: used, never written. */
  readonly existingCluster?: string;
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
  };
}

export function externalQdrantConnection(namespace: string, external: ExternalQdrant, replicationFactor: number): QdrantConnection {
  const url = new URL(external.url);
  return {
    origin: 'external', clusterName: url.hostname, namespace, host: url.hostname, httpPort: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    grpcPort: 6334, httpUrl: external.url.replace(/\/+$/, ''), replicationFactor, apiKey: external.apiKeySecret,
  };
}

// An existing cluster's model: its name, the platform's namespace, the release line's default component names.

export function existingPostgresqlConnection(name: string, namespace: string, releaseLine: ReleaseLine): PostgresqlConnection {
  return postgresqlConnectionOf(postgresqlClusterModel({ name, namespace, releaseLine }), 'existingCluster');
}

export function existingRedisConnection(name: string, namespace: string, releaseLine: ReleaseLine): RedisConnection {
  return redisConnectionOf(redisClusterModel({ name, namespace, releaseLine }), 'existingCluster');
}

export function existingQdrantConnection(name: string, namespace: string, releaseLine: ReleaseLine, replicationFactor: number): QdrantConnection {
  return qdrantConnectionOf(qdrantClusterModel({ name, namespace, releaseLine }), 'existingCluster', replicationFactor);
}
