/**
 * `vectorStore: pgvector`: Dify's vectors in a database of the platform's PostgreSQL, with one KubeBlocks cluster
 * fewer, wired by the same contract (secretKeyRefs to the Secret KubeBlocks creates), and refused where it cannot work.
 */
import { DifyPlatformProps, guardRailFindings, platformState } from '../../lib';
import { opsRequest } from '../../lib/operations/ops-request';
import { PGVECTOR_DEFAULT_VERSION, PGVECTOR_VERSIONS, VECTOR_DATABASE } from '../../lib/kubeblocks/pgvector';
import { isOfferedVersion, RELEASE_LINE_NAMES } from '../../lib/kubeblocks/release-lines';
import { configProblems } from '../helpers/configs';
import { byKindAndName, envOf, mainContainer } from '../helpers/dify';
import { synthPlatform } from '../helpers/synth';

const PGVECTOR: DifyPlatformProps = { vectorStore: 'pgvector' };

describe('the versions offered with pgvector', () => {
  test('are versions both release lines offer, the default among them', () => {
    for (const line of RELEASE_LINE_NAMES) {
      for (const version of PGVECTOR_VERSIONS) expect({ line, version, offered: isOfferedVersion(line, 'postgresql', version) }).toEqual({ line, version, offered: true });
    }
    expect(PGVECTOR_VERSIONS).toContain(PGVECTOR_DEFAULT_VERSION);
  });
});

describe('a pgvector platform', () => {
  const objects = synthPlatform(PGVECTOR);

  test('runs PostgreSQL (at the newest pgvector version by default) and Redis, and no Qdrant', () => {
    const clusters = objects.filter((object) => object.kind === 'Cluster');
    expect(clusters.map((cluster) => cluster.metadata.name).sort()).toEqual(['postgresql', 'redis']);
    expect(byKindAndName(objects, 'Cluster', 'postgresql').spec.componentSpecs[0].serviceVersion).toBe(PGVECTOR_DEFAULT_VERSION);
    expect(objects.filter((object) => object.metadata.name === 'dify-qdrant-access')).toEqual([]);
  });

  test('creates the vector database and enables pgvector in it, with the database Job', () => {
    const job = envOf(mainContainer(byKindAndName(objects, 'Job', /^dify-db-init-/)));
    expect(job.DATABASES).toBe(`dify dify_plugin ${VECTOR_DATABASE}`);
    expect(job.EXTENSIONS).toBe(`${VECTOR_DATABASE}:vector`);
  });

  test('wires every backend process to it by the PostgreSQL contract, the credentials by reference', () => {
    for (const name of ['dify-api', 'dify-worker', 'dify-beat']) {
      const env = envOf(mainContainer(byKindAndName(objects, 'Deployment', name)));
      expect({ name, env }).toMatchObject({ name, env: {
        VECTOR_STORE: 'pgvector', PGVECTOR_HOST: env.DB_HOST, PGVECTOR_PORT: env.DB_PORT, PGVECTOR_DATABASE: VECTOR_DATABASE,
        PGVECTOR_USER: env.DB_USERNAME, PGVECTOR_PASSWORD: env.DB_PASSWORD,
      } });
      expect(env.PGVECTOR_PASSWORD).toMatch(/^secret:/);
      expect(Object.keys(env).filter((variable) => variable.startsWith('QDRANT_'))).toEqual([]);
    }
  });
});

describe('what pgvector refuses', () => {
  test.each<[string, unknown, string]>([
    ['a PostgreSQL version whose image says nothing of pgvector', { vectorStore: 'pgvector', postgresql: { version: '16.9.0' } },
      'env.yaml: postgresql.version: "16.9.0" is not allowed: with vectorStore: pgvector the version must be one whose addon image carries pgvector: 12.14.0, 12.14.1, 12.15.0, 14.7.2, 14.8.0 (pgvector 0.6.1)'],
    ['a qdrant section beside it', { vectorStore: 'pgvector', qdrant: { replicas: 3 } },
      'env.yaml: qdrant: {"replicas":3} is not allowed: configures a Qdrant cluster, and with vectorStore: pgvector there is none: remove it'],
    ['a store not offered yet', { vectorStore: 'weaviate' }, 'env.yaml: vectorStore: "weaviate" is not allowed: must be one of qdrant, pgvector, milvus; weaviate is not offered yet'],
  ])('%s', (_case, input, line) => {
    expect(configProblems(input)).toEqual([line]);
  });

  test('npm run ops on qdrant says where the vectors are', () => {
    expect(() => opsRequest(PGVECTOR, 'restart', 'qdrant', {}))
      .toThrow('cluster: "qdrant" is not a cluster of this platform (postgresql, redis): with vectorStore: pgvector the vectors are in the postgresql cluster');
  });

  test('switching the store of a running platform is a guard rail, both ways', () => {
    const version = { postgresql: { version: PGVECTOR_DEFAULT_VERSION } };
    const qdrant = platformState(synthPlatform(version));
    const pgvector = platformState(synthPlatform({ ...PGVECTOR, ...version }));
    expect(guardRailFindings(qdrant, pgvector, new Set()).map((finding) => `${finding.setting}: ${finding.reason}`)).toEqual([
      expect.stringMatching(/^qdrant: the qdrant cluster "qdrant" holds data and would be deleted/),
      expect.stringMatching(/^vectorStore: Dify's vectors are in qdrant now, and pgvector starts empty: .* add allowDestructive: \[vectorStoreSwitch\] to mean it$/),
    ]);
    expect(guardRailFindings(pgvector, qdrant, new Set()).map((finding) => finding.setting)).toEqual(['vectorStore']);
    expect(guardRailFindings(qdrant, pgvector, new Set(['vectorStoreSwitch', 'clusterReplaced']))).toEqual([]);
  });

  test('a platform on the 1.0 line\'s default PostgreSQL 16.9.0 cannot take pgvector in place: the images that carry it are 12 and 14', () => {
    const findings = guardRailFindings(platformState(synthPlatform({})), platformState(synthPlatform(PGVECTOR)), new Set(['vectorStoreSwitch', 'clusterReplaced']));
    expect(findings.map((finding) => `${finding.setting}: ${finding.value}`)).toEqual(['postgresql.version: 14.8.0']);
  });
});
