/**
 * The connection contracts of the data tier: everything a consumer (the Dify tier) needs to reach a database,
 * with names computed once by naming.ts. Consumers never rebuild a Service or Secret name themselves.
 */

/** A key in a Secret that KubeBlocks creates; consumers read it with `secretKeyRef`, never by value. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

export interface PostgresqlConnection {
  readonly clusterName: string;
  readonly namespace: string;
  /** Service that follows the primary. */
  readonly host: string;
  readonly port: number;
  /** The superuser (`postgres`) account. */
  readonly superuser: { readonly username: SecretKeyRef; readonly password: SecretKeyRef };
}

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

export interface RedisConnection {
  readonly clusterName: string;
  readonly namespace: string;
  /** Service that follows the primary. */
  readonly host: string;
  readonly port: number;
  /** The `default` account. */
  readonly username: SecretKeyRef;
  readonly password: SecretKeyRef;
  readonly sentinel: SentinelConnection;
}

export interface QdrantConnection {
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
}

/** Where Dify keeps its vectors: a Qdrant cluster, or a database of the PostgreSQL cluster with pgvector in it. */
export type VectorStoreConnection =
  | { readonly store: 'qdrant'; readonly qdrant: QdrantConnection }
  | { readonly store: 'pgvector'; readonly postgresql: PostgresqlConnection; readonly database: string };
