/**
 * pgvector on the platform's PostgreSQL (`vectorStore: pgvector`): Dify's vectors in a database of their own on the
 * KubeBlocks cluster, with the `vector` extension the postgresql addon's images carry.
 *
 * Which versions carry it: the addon (kubeblocks-addons v0.9.5 and v1.0.2, addons/postgresql/values.yaml) runs
 * apecloud/spilo images tagged `<version>-pgvector-v0.6.1` for 12.14.0, 12.14.1, 12.15.0, 14.7.2 and 14.8.0; its
 * other versions run tags that say nothing of pgvector (`12.22`, `14.18`, `15.7.0`, `16.9`, `17.5`...), and the
 * spilo fork they are built from is not readable here, so they are not offered (kubeblocks#8562: "build your own
 * image" for another pgvector).
 */
import { Engine } from './release-lines';

/** The PostgreSQL versions whose addon image is built with pgvector 0.6.1, on both release lines. */
export const PGVECTOR_VERSIONS: readonly string[] = ['12.14.0', '12.14.1', '12.15.0', '14.7.2', '14.8.0'];

/** The version a pgvector platform runs when `postgresql.version` is not given: the newest with pgvector. */
export const PGVECTOR_DEFAULT_VERSION = '14.8.0';

/** The database Dify's vectors live in, beside Dify's own: its tables and indexes never mix with the app's schema. */
export const VECTOR_DATABASE = 'dify_vector';

/** The extension the database Job enables in {@link VECTOR_DATABASE} (Dify would try itself, as a superuser). */
export const VECTOR_EXTENSION = 'vector';

/** The vector stores a platform may use. */
export const VECTOR_STORES = ['qdrant', 'pgvector', 'milvus'] as const;
export type VectorStore = (typeof VECTOR_STORES)[number];

/** The vector stores the blog names that are not built here yet, for the refusal line. */
export const VECTOR_STORES_NOT_YET = ['weaviate'];

/** The KubeBlocks clusters a platform runs: the vector store's own, none when the vectors are in PostgreSQL. */
export function enginesOf(vectorStore: VectorStore | undefined): Engine[] {
  const store: Readonly<Record<VectorStore, Engine[]>> = { qdrant: ['qdrant'], pgvector: [], milvus: ['milvus'] };
  return ['postgresql', 'redis', ...store[vectorStore ?? 'qdrant']];
}
