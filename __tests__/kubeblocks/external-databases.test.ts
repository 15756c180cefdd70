/**
 * Databases the platform does not run: an existing KubeBlocks cluster (found by the release line's naming, never
 * written) or an external server, wired by the same contracts, every credential from the user's Secret.
 */
import { DifyPlatform, DifyPlatformProps, parsePlatformProps } from '../../lib';
import { opsRequest } from '../../lib/operations/ops-request';
import { configProblems } from '../helpers/configs';
import { byKindAndName, envOf, mainContainer } from '../helpers/dify';
import { synthPlatform, testChart } from '../helpers/synth';

const EXTERNAL: DifyPlatformProps = {
  postgresql: { external: { host: 'dify.abc123.eu-west-1.rds.amazonaws.com', credentialsSecret: 'dify-rds', usernameKey: 'user', sslMode: 'require' } },
  redis: { external: { host: '10.0.0.12', port: 6380, credentialsSecret: 'dify-redis' } },
  qdrant: { external: { url: 'https://xyz.eu-central.aws.cloud.qdrant.io:6333', apiKeySecret: { name: 'qdrant-cloud', key: 'api-key' } } },
};

describe('external servers', () => {
  const objects = synthPlatform(EXTERNAL);
  const api = envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api')));

  test('no Cluster is written and no NetworkPolicy admits anyone to a database that is not a pod here', () => {
    expect(objects.filter((object) => object.kind === 'Cluster')).toEqual([]);
    expect(objects.filter((object) => /^dify-(postgresql|redis|qdrant)-access$/.test(object.metadata.name))).toEqual([]);
  });

  test('Dify is wired to them with every credential from the user\'s Secrets', () => {
    expect(api).toMatchObject({
      DB_HOST: 'dify.abc123.eu-west-1.rds.amazonaws.com', DB_PORT: '5432', DB_USERNAME: 'secret:dify-rds/user', DB_PASSWORD: 'secret:dify-rds/password',
      PGSSLMODE: 'require',
      REDIS_HOST: '10.0.0.12', REDIS_PORT: '6380', REDIS_USERNAME: '', REDIS_PASSWORD: 'secret:dify-redis/password',
      QDRANT_URL: 'https://xyz.eu-central.aws.cloud.qdrant.io:6333', QDRANT_API_KEY: 'secret:qdrant-cloud/api-key', QDRANT_REPLICATION_FACTOR: '1',
    });
  });

  test('the database Job, the waits and the plugin daemon use the server\'s sslmode', () => {
    expect(envOf(mainContainer(byKindAndName(objects, 'Job', /^dify-db-init-/))).PGSSLMODE).toBe('require');
    const apiWaits = byKindAndName(objects, 'Deployment', 'dify-api').spec.template.spec.initContainers.filter((c: any) => c.env?.some((v: any) => v.name === 'PGHOST'));
    expect(apiWaits.length).toBeGreaterThan(0);
    for (const wait of apiWaits) expect({ wait: wait.name, mode: envOf(wait).PGSSLMODE }).toEqual({ wait: wait.name, mode: 'require' });
    expect(envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-plugin-daemon'))).DB_SSL_MODE).toBe('require');
  });

  test('npm run ops refuses to operate them', () => {
    expect(() => opsRequest(EXTERNAL, 'restart', 'postgresql', {})).toThrow(/postgresql is an external server, which this platform does not run/);
  });
});

test('pgvector on an external PostgreSQL: the vectors go to its database dify_vector, and no version is imposed on it', () => {
  const props: DifyPlatformProps = { vectorStore: 'pgvector', postgresql: EXTERNAL.postgresql };
  // A config file's settings are parsed once when loaded and again by the construct: both must pass.
  expect(configProblems(parsePlatformProps(props, 'env.yaml'))).toEqual([]);
  const objects = synthPlatform(props);
  const api = envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api')));

  expect(objects.filter((object) => object.kind === 'Cluster').map((object) => object.metadata.name)).toEqual(['redis']);
  expect(api).toMatchObject({ PGVECTOR_HOST: 'dify.abc123.eu-west-1.rds.amazonaws.com', PGVECTOR_USER: 'secret:dify-rds/user', PGVECTOR_DATABASE: 'dify_vector' });
});

describe('an existing KubeBlocks cluster', () => {
  test('on 1.0 it is reached by the names KubeBlocks gives it, exactly as if the platform had made it', () => {
    const existing = new DifyPlatform(testChart(), 'a', { postgresql: { existingCluster: 'shared-pg' }, redis: { existingCluster: 'shared-redis' } });
    const made = new DifyPlatform(testChart(), 'b', { postgresql: { name: 'shared-pg' }, redis: { name: 'shared-redis' } });

    expect(existing.postgresql).toEqual({ ...made.postgresql, origin: 'existingCluster' });
    expect(existing.redis).toEqual({ ...made.redis, origin: 'existingCluster' });
  });

  // The names each form gives the clusters pg, cache and vec (kubeblocks v0.9.5 pkg/constant/pattern.go,
  // controllers/apps/transformer_cluster_credential.go; kubeblocks-addons v0.9.5 and v1.0.2 the engines' cmpd
  // `services`, and for the legacy form their clusterdefinition.yaml `connectionCredential`).
  const FORMS = {
    topology: {
      postgresql: { host: 'pg-postgresql-postgresql', secret: 'pg-postgresql-account-postgres' },
      redis: { host: 'cache-redis-redis', secret: 'cache-redis-account-default', sentinel: 'cache-redis-sentinel-redis-sentinel', sentinelSecret: 'cache-redis-sentinel-account-default' },
      qdrant: { host: 'vec-qdrant-qdrant' },
    },
    legacy: {
      postgresql: { host: 'pg-postgresql', secret: 'pg-conn-credential' },
      redis: { host: 'cache-redis', secret: 'cache-conn-credential', sentinel: 'cache-redis-sentinel', sentinelSecret: 'cache-conn-credential' },
      qdrant: { host: 'vec-qdrant' },
    },
  } as const;

  test.each([
    ['1.0', 'topology'], ['0.9', 'topology'], ['0.9', 'legacy'], ['1.0', 'legacy'],
  ] as const)('on %s a %s-form cluster is reached by the Service and Secret names of that form, for every engine', (releaseLine, form) => {
    const dify = releaseLine === '0.9' ? { version: '0.6.11' } : {};
    const platform = new DifyPlatform(testChart(), 'p', { kubeblocks: { releaseLine }, dify, postgresql: { existingCluster: { name: 'pg', form } },
      redis: { existingCluster: { name: 'cache', form } }, qdrant: { existingCluster: { name: 'vec', form } } });
    const names = FORMS[form];

    expect(platform.postgresql).toMatchObject({ host: names.postgresql.host, port: 5432,
      superuser: { username: { name: names.postgresql.secret, key: 'username' }, password: { name: names.postgresql.secret, key: 'password' } } });
    expect(platform.redis).toMatchObject({ host: names.redis.host, port: 6379,
      username: { name: names.redis.secret, key: 'username' }, password: { name: names.redis.secret, key: 'password' },
      sentinel: { serviceHost: names.redis.sentinel, masterName: 'cache-redis', password: { name: names.redis.sentinelSecret, key: 'password' } } });
    expect(platform.qdrant).toMatchObject({ host: names.qdrant.host, httpUrl: `http://${names.qdrant.host}:6333` });
  });

  test('named alone, it is read in the topology form on 0.9 too: what the addons\' cluster charts create at 0.9.5', () => {
    const props: DifyPlatformProps = { kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' }, postgresql: { existingCluster: 'shared' } };
    const api = envOf(mainContainer(byKindAndName(synthPlatform(props), 'Deployment', 'dify-api')));

    expect(api).toMatchObject({ DB_HOST: 'shared-postgresql-postgresql', DB_USERNAME: 'secret:shared-postgresql-account-postgres/username' });
  });

  test('a legacy-form 0.9 PostgreSQL is reached exactly as the platform\'s own 0.9 PostgreSQL, which is of that form', () => {
    const line = { kubeblocks: { releaseLine: '0.9' as const }, dify: { version: '0.6.11' } };
    const existing = new DifyPlatform(testChart(), 'a', { ...line, postgresql: { existingCluster: { name: 'shared-pg', form: 'legacy' } } });
    const made = new DifyPlatform(testChart(), 'b', { ...line, postgresql: { name: 'shared-pg' } });

    expect(existing.postgresql).toEqual({ ...made.postgresql, origin: 'existingCluster' });
  });

  test('writes no Cluster for it, and npm run ops says whose it is', () => {
    const props: DifyPlatformProps = { postgresql: { existingCluster: 'shared-pg' } };
    expect(synthPlatform(props).filter((object) => object.kind === 'Cluster').map((object) => object.metadata.name)).toEqual(['redis', 'qdrant']);
    expect(() => opsRequest(props, 'restart', 'postgresql', {})).toThrow(/postgresql is the existing cluster shared-pg, which this platform does not run/);
    expect(() => opsRequest({ redis: { existingCluster: { name: 'old-redis', form: 'legacy' } } }, 'restart', 'redis', {}))
      .toThrow(/redis is the existing cluster old-redis, which this platform does not run/);
  });

  test('a name that is one of the platform\'s own clusters, or one legacy cluster for two engines, is refused in one line each', () => {
    expect(configProblems({ postgresql: { existingCluster: 'redis' } })).toEqual([
      'env.yaml: postgresql.existingCluster: "redis" is not allowed: is this platform\'s own redis cluster, which cannot be a postgresql cluster: '
        + 'name a postgresql cluster of namespace dify other than redis, qdrant',
    ]);
    expect(configProblems({ redis: { existingCluster: { name: 'vectors' } }, qdrant: { name: 'vectors' } })).toEqual([
      expect.stringContaining('env.yaml: redis.existingCluster: {"name":"vectors"} is not allowed: is this platform\'s own qdrant cluster, which cannot be a redis cluster'),
    ]);
    expect(configProblems({ vectorStore: 'milvus', qdrant: undefined, postgresql: { existingCluster: 'milvus' } })).toEqual([
      expect.stringContaining('postgresql.existingCluster: "milvus" is not allowed: is this platform\'s own milvus cluster'),
    ]);
    expect(configProblems({ postgresql: { existingCluster: { name: 'old', form: 'legacy' } }, redis: { existingCluster: 'old' } })).toEqual([
      'env.yaml: redis.existingCluster: "old" is not allowed: is postgresql.existingCluster too, and a legacy-form cluster runs one engine: name this redis\'s own cluster',
    ]);
  });

  test('what is unusual but possible is accepted: the engine\'s own default name, two engines in one topology-form cluster', () => {
    expect(configProblems({ postgresql: { existingCluster: 'postgresql' } })).toEqual([]);
    expect(configProblems({ postgresql: { existingCluster: 'data' }, redis: { existingCluster: 'data' } })).toEqual([]);
  });

  test('its form is topology or legacy, said in one line', () => {
    expect(configProblems({ postgresql: { existingCluster: { name: 'pg', form: 'modern' } } })).toEqual([
      expect.stringMatching(/^env\.yaml: postgresql\.existingCluster(\.form)?: .*"modern".* is not allowed: must be .*topology, legacy/),
    ]);
    expect(configProblems({ postgresql: { existingCluster: 'Shared_PG' } })).toEqual([
      expect.stringMatching(/^env\.yaml: postgresql\.existingCluster: "Shared_PG" is not allowed: must be a cluster name/),
    ]);
  });
});

describe('what a database brought in refuses', () => {
  test.each<[string, unknown, string]>([
    ['a cluster setting beside external', { postgresql: { external: { host: 'db.example.com', credentialsSecret: 's' }, replicas: 3 } },
      'env.yaml: postgresql.replicas: 3 is not allowed: does nothing: with postgresql.external the platform writes no postgresql cluster'],
    ['both an existing cluster and an external server', { redis: { existingCluster: 'r', external: { host: 'r.example.com', credentialsSecret: 's' } } },
      'env.yaml: redis.existingCluster: "r" is not allowed: is one database and redis.external another: give one of them'],
    ['Sentinel mode with an external Redis', { redis: { external: { host: 'r.example.com', credentialsSecret: 's' } }, dify: { redisMode: 'sentinel' } },
      'env.yaml: dify.redisMode: "sentinel" is not allowed: must be direct with redis.external'],
    ['a host with a scheme', { postgresql: { external: { host: 'postgres://db.example.com', credentialsSecret: 's' } } },
      'env.yaml: postgresql.external.host: "postgres://db.example.com" is not allowed: must be a DNS name or an IP address, without scheme or port'],
    ['a Qdrant URL with its API key in it', { qdrant: { external: { url: 'https://xyz.cloud.qdrant.io:6333/?api_key=k' } } },
      'env.yaml: qdrant.external.url: "(hidden)" is not allowed: holds a credential in its query (api_key)'],
  ])('%s', (_case, input, line) => {
    const lines = configProblems(input);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });
});
