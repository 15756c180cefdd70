/**
 * `npm run import-values`: a community chart's values file becomes a platform config, every value either carried
 * to its setting or named with the reason, and no plaintext secret ever written.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { importValues } from '../../lib/values-import/import-values';
import { importChartValues } from '../../lib/values-import/import-chart-values';
import { borisChart } from '../helpers/platforms';
import { describeWithCommunityCharts, doubanChart } from '../helpers/community-charts';
import { configProblems, exampleConfig } from '../helpers/configs';
import { synthPlatform } from '../helpers/synth';
import { buildApp, ROOT, tempDir } from '../helpers/pipeline';

const SEED_VALUES = path.join(ROOT, '__tests__', 'fixtures', 'seed', 'values.yaml');
/** The lines the seed's values give: what is not carried, then the three Secrets to keep or create. */
const SEED_NOTES = 10;

describe('the seed\'s values file (the blog\'s, with its pasted Redis password)', () => {
  const { config, notes } = importValues(load(fs.readFileSync(SEED_VALUES, 'utf8')) as Record<string, unknown>);

  // The seed's servers were made by hand beside the chart: the import keeps them (the seed example of examples/config
  // is the platform that makes its own clusters instead).
  const SEED_SERVERS = {
    postgresql: { external: { host: 'postgresql-postgresql', port: 5432, credentialsSecret: 'postgresql-conn-credential' } },
    redis: { external: { host: 'redis-redis-redis', port: 6379, credentialsSecret: 'dify-redis-credentials' } },
    qdrant: { external: { url: 'http://qdrant-qdrant:6333' } }, vectorStore: 'qdrant',
  };

  test('gives the seed platform\'s Dify settings and keeps its servers, which synthesize', () => {
    expect(config).toEqual({ dify: exampleConfig('seed').props.dify, ...SEED_SERVERS });
    expect(configProblems(config)).toEqual([]);
    expect(synthPlatform(config).some((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-api')).toBe(true);
  });

  test('names every value it does not carry, the secrets as secrets, and writes neither', () => {
    expect(notes).toHaveLength(SEED_NOTES);
    expect(notes).toContain('global.extraBackendEnvs[2] (REDIS_PASSWORD): not carried: a plaintext secret; put it in the Secret dify-redis-credentials under the key password');
    expect(notes).toContainEqual(expect.stringMatching(/^global\.extraBackendEnvs\[13\] \(SECRET_KEY\): not carried: keep this SECRET_KEY: /));
    expect(notes).toContain('Secret postgresql-conn-credential: keep it, in the platform\'s namespace, with the keys username, password');
    expect(notes).toContain('Secret dify-redis-credentials: create it in the platform\'s namespace with the keys username, password '
      + '(kubectl create secret generic dify-redis-credentials --from-literal=username=... --from-literal=password=...)');
    expect(notes).toContain('api.envs[0] (MIGRATION_ENABLED): not carried: the platform sets it; to change it use nothing: the platform sets it per component (only the migration Job migrates)');
    expect(JSON.stringify(config)).not.toMatch(/PleaseReplace|REDIS_PASSWORD/);
  });
});

test('component values carry to the native components; a credential, a key value and an unknown value are named', () => {
  const { config, notes } = importValues({
    api: { replicaCount: 3, resources: { requests: { cpu: '500m' } }, service: { type: 'NodePort' }, envs: [{ name: 'LOG_LEVEL', value: 'DEBUG' }] },
    frontend: { nodeSelector: { pool: 'web' } },
    worker: { envs: [{ name: 'OPENAI_API_KEY', value: 'sk-1' }, { name: 'HTTP_PROXY_TOKEN', valueFrom: { secretKeyRef: { name: 'p', key: 't' } } }] },
    sandbox: { apiKey: 'dify-sandbox' },
    global: { image: { tag: '0.5.0' } },
    tracing: { enabled: true },
  });

  expect(config).toEqual({ dify: {
    api: { replicas: 3, resources: { requests: { cpu: '500m' } }, service: { type: 'NodePort' }, env: [{ name: 'LOG_LEVEL', value: 'DEBUG' }] },
    web: { nodeSelector: { pool: 'web' } },
    worker: { env: [{ name: 'HTTP_PROXY_TOKEN', valueFrom: { secretKeyRef: { name: 'p', key: 't' } } }] },
  } });
  expect(configProblems(config)).toEqual([]);
  expect(notes).toEqual([
    'global.image.tag: not carried: Dify 0.5.0 is not a version this platform runs (0.6.11, 1.13.3, 1.14.0, 1.14.1, 1.14.2, 1.15.0, 1.16.1); '
      + 'without dify.version the config runs Dify 1.16.1, a schema migration of the database the chart ran: back it up first, or set dify.version to the supported version you mean',
    expect.stringMatching(/^worker\.envs\[0\] \(OPENAI_API_KEY\): not carried: a plaintext secret; create a Secret .* in dify\.worker\.env$/),
    'sandbox.apiKey: not carried: a plaintext secret; the platform generates SANDBOX_API_KEY in the cluster, or put yours in a Secret under the key SANDBOX_API_KEY and name it in dify.existingSecret',
    expect.stringMatching(/^global\.extraBackendEnvs \(SECRET_KEY\): not carried: not in these values, so the chart ran with its default SECRET_KEY .*: keep that one: /),
    'tracing: not carried: it has no setting here; see docs/settings-guide.md#coming-from-the-helm-charts',
    expect.stringMatching(/^Secret dify-app-secrets: create it in the platform's namespace with the keys SECRET_KEY /),
  ]);
  expect(JSON.stringify(config)).not.toContain('sk-1');
});

test('npm run import-values writes a new file, never over an existing one, and refuses what it does not read', () => {
  buildApp();
  const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'import-values.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  const out = path.join(tempDir('import-'), 'seed.yaml');

  const written = run(SEED_VALUES, '--out', out);
  const again = run(SEED_VALUES, '--out', out);
  const other = run(SEED_VALUES, '--chart', 'bitnami');

  expect(written.status).toBe(0);
  expect(written.stderr.trim().split('\n')).toHaveLength(SEED_NOTES);
  // Written as seed.yaml, the platform is seed: in namespace seed, never in the default namespace another platform has.
  expect(load(fs.readFileSync(out, 'utf8'))).toMatchObject({ namespace: 'seed', dify: exampleConfig('seed').props.dify, postgresql: { external: { host: 'postgresql-postgresql' } } });
  expect(fs.readFileSync(out, 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
  expect(again.status).toBe(2);
  expect(again.stderr).toBe(`import-values: --out: "${out}" is not allowed: it exists; name a new file\n`);
  expect(other.status).toBe(2);
  expect(other.stderr).toBe('import-values: --chart: "bitnami" is not allowed: douban or boris\n');

  // A values file is read as a config file is: a folder, an alias bomb or an unknown tag is one line.
  const folder = tempDir('values-');
  const bomb = path.join(tempDir('values-'), 'bomb.yaml');
  fs.writeFileSync(bomb, ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`), 'api: { replicaCount: *i }', ''].join('\n'));
  const tagged = path.join(tempDir('values-'), 'tagged.yaml');
  fs.writeFileSync(tagged, 'api:\n  replicaCount: !custom 2\n');
  expect(run(folder).stderr).toBe(`import-values: ${folder}: is a folder, not a values file\n`);
  expect(run(bomb).stderr).toMatch(/^import-values: .*bomb\.yaml: not usable YAML: .*at most 100 alias expansions\)\n$/);
  expect(run(tagged).stderr).toMatch(/^import-values: .*tagged\.yaml:2:17: not valid YAML: Unresolved tag: !custom\n$/);
});

describeWithCommunityCharts('BorisPolonsky\'s own values.yaml')('BorisPolonsky\'s values (--chart boris), from the chart itself', () => {
  test('the chart\'s own values.yaml, as a user copies it, gives a config that synthesizes, with none of its default keys in it', () => {
    const defaults = load(fs.readFileSync(path.join(borisChart(), 'values.yaml'), 'utf8')) as Record<string, unknown>;
    const { config, notes } = importChartValues(defaults, 'boris');
    expect(configProblems(config)).toEqual([]);
    expect(synthPlatform(config).some((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-api')).toBe(true);
    expect(config).toMatchObject({ dify: { version: '1.16.1', agent: { enabled: true }, storage: { type: 'volume', volume: { size: '5Gi' } } } });
    for (const key of ['sk-9f73s3ljTXVcMT3Blb3ljTqtsKiGHXVcMT3BlbkFJLK7U', 'difyai123456', 'dify-sandbox', 'lYkiYYT6owG']) {
      expect(JSON.stringify(config)).not.toContain(key);
    }
    expect(notes).toContainEqual(expect.stringMatching(/^global\.appSecretKey: not carried: keep this SECRET_KEY: .* put it in the Secret dify-app-secrets before the first apply/));
    expect(notes).toContain('postgresql.enabled: not carried: the platform runs its own KubeBlocks cluster instead (postgresql)');
    expect(notes).toContain('api.migration: not carried: the platform\'s migration Job migrates, once per version, before the pods roll');
  });
});

describe('BorisPolonsky\'s values (--chart boris)', () => {
  test('an override file: URLs, a mirror registry, components, S3 and external databases carried, each credential named', () => {
    const { config, notes } = importChartValues({
      global: { consoleWebDomain: 'https://ai.example.org', appApiDomain: 'https://ai.example.org', serviceApiDomain: 'https://api.example.org' },
      image: { api: { repository: 'registry.example.org/dify-api', tag: '1.16.1' } },
      api: { replicas: 2, logLevel: 'DEBUG', containerSecurityContext: { enabled: true, runAsUser: 1001 }, extraEnv: [{ name: 'OPENAI_API_KEY', value: 'sk-1' }] },
      web: { podSecurityContext: {}, resources: { limits: { memory: '1Gi' } } },
      externalS3: { enabled: true, endpoint: 'https://s3.example.org', bucketName: { api: 'files' }, pathStyle: true, accessKey: 'ak', secretKey: 'sk' },
      externalPostgres: { enabled: true, address: 'pg.example.org', port: 5432, username: 'dify', password: 'pw', database: { api: 'dify' } },
      weaviate: { enabled: false },
      ingress: { enabled: true, className: 'nginx', tls: [{ secretName: 'ai-tls', hosts: ['ai.example.org'] }] },
    }, 'boris');
    expect(config).toEqual({
      dify: {
        host: 'ai.example.org', tls: { enabled: true, secretName: 'ai-tls' }, ingress: { className: 'nginx' },
        images: { api: 'registry.example.org/dify-api:1.16.1' },
        api: { replicas: 2, containerSecurityContext: { runAsUser: 1001 }, env: [{ name: 'LOG_LEVEL', value: 'DEBUG' }] },
        web: { resources: { limits: { memory: '1Gi' } } },
        storage: { type: 's3', s3: { endpoint: 'https://s3.example.org', bucket: 'files', region: 'us-east-1', addressStyle: 'path', credentialsSecret: 'dify-s3-credentials' } },
        version: '1.16.1',
      },
      postgresql: { external: { host: 'pg.example.org', port: 5432, credentialsSecret: 'dify-postgresql-credentials' } },
    });
    expect(configProblems(config)).toEqual([]);
    expect(notes).toEqual([
      'global.serviceApiDomain: not carried: https://api.example.org is another origin than https://ai.example.org: the platform serves every URL at dify.host (dify.ingress.extraHosts adds hosts)',
      expect.stringMatching(/^api\.extraEnv\[0\] \(OPENAI_API_KEY\): not carried: a plaintext secret; create a Secret .* in dify\.api\.env$/),
      'externalS3.accessKey: not carried: a plaintext secret; put it in the Secret dify-s3-credentials under the key access-key',
      'externalS3.secretKey: not carried: a plaintext secret; put it in the Secret dify-s3-credentials under the key secret-key',
      'externalPostgres.password: not carried: a plaintext secret; put it in the Secret dify-postgresql-credentials under the key password',
      'externalPostgres.username: not carried: postgresql.external reads the user name from its Secret: put it in dify-postgresql-credentials under the key username',
      expect.stringMatching(/^global\.appSecretKey: not carried: not in these values, so the chart ran with its default SECRET_KEY/),
      'Secret dify-s3-credentials: create it in the platform\'s namespace with the keys access-key, secret-key (kubectl create secret generic dify-s3-credentials --from-literal=access-key=... --from-literal=secret-key=...)',
      'Secret dify-postgresql-credentials: create it in the platform\'s namespace with the keys username, password (kubectl create secret generic dify-postgresql-credentials --from-literal=username=... --from-literal=password=...)',
      expect.stringMatching(/^Secret dify-app-secrets: create it /),
    ]);
    expect(JSON.stringify(config)).not.toMatch(/sk-1|"pw"|"ak"|"sk"/);
  });

  test('an external PostgreSQL\'s database names are carried where they are not the defaults', () => {
    const { config, notes } = importChartValues({
      externalPostgres: { enabled: true, address: 'pg.example.org', database: { api: 'dify_prod', pluginDaemon: 'dify_plugin' } },
    }, 'boris');

    expect(config).toEqual({ postgresql: { external: { host: 'pg.example.org', port: 5432, credentialsSecret: 'dify-postgresql-credentials', databases: { dify: 'dify_prod' } } } });
    expect(configProblems(config)).toEqual([]);
    expect(notes.filter((note) => note.startsWith('Secret dify-postgresql'))).toEqual([expect.stringMatching(/^Secret dify-postgresql-credentials: create it in the platform's namespace with the keys username, password /)]);
  });
});

describeWithCommunityCharts('the douban charts\' own values.yaml')('the douban chart\'s own values.yaml', () => {
  test.each(['0.4.1', '0.9.1'] as const)('%s, as a user copies it, gives a config that synthesizes', (version) => {
    const { config } = importValues(load(fs.readFileSync(path.join(doubanChart(version), 'values.yaml'), 'utf8')) as Record<string, unknown>);
    expect(configProblems(config)).toEqual([]);
    expect(synthPlatform(config).some((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-api')).toBe(true);
  });
});

describe('a douban values file pointed at servers of the team\'s own (RDS with TLS, S3 with IRSA)', () => {
  const secret = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });
  const values = {
    global: {
      host: 'dify.example.org', enableTLS: true, image: { tag: '1.16.1' }, storageType: 's3',
      extraBackendEnvs: [
        { name: 'SECRET_KEY', ...secret('dify-old', 'secret-key') },
        { name: 'DB_HOST', value: 'dify.abc.eu-west-1.rds.amazonaws.com' }, { name: 'DB_PORT', value: '5432' },
        { name: 'DB_USERNAME', ...secret('rds-dify', 'user') }, { name: 'DB_PASSWORD', ...secret('rds-dify', 'pass') },
        { name: 'DB_DATABASE', value: 'dify' }, { name: 'DB_EXTRAS', value: 'sslmode=require' },
        { name: 'REDIS_HOST', value: 'master.dify.abc.euw1.cache.amazonaws.com' }, { name: 'REDIS_PORT', value: '6379' },
        { name: 'REDIS_PASSWORD', ...secret('elasticache', 'auth-token') }, { name: 'REDIS_DB', value: '0' }, { name: 'REDIS_USE_SSL', value: 'true' },
        { name: 'CELERY_BROKER_URL', value: 'rediss://master.dify.abc.euw1.cache.amazonaws.com:6379/1' },
        { name: 'S3_ENDPOINT', value: 'https://s3.eu-west-1.amazonaws.com' }, { name: 'S3_BUCKET_NAME', value: 'dify-files' },
        { name: 'S3_REGION', value: 'eu-west-1' }, { name: 'S3_USE_AWS_MANAGED_IAM', value: 'true' },
        { name: 'VECTOR_STORE', value: 'qdrant' }, { name: 'QDRANT_URL', value: 'https://qdrant.example.org:6333' },
        { name: 'QDRANT_API_KEY', ...secret('qdrant', 'api-key') },
      ],
    },
    redis: { embedded: false }, postgresql: { embedded: false }, minio: { embedded: false },
    serviceAccount: { create: true, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/dify' } },
  };
  const { config, notes } = importValues(values);

  test('keeps every server, with its Secret references, and synthesizes', () => {
    expect(config).toMatchObject({
      postgresql: { external: { host: 'dify.abc.eu-west-1.rds.amazonaws.com', port: 5432, credentialsSecret: 'rds-dify', usernameKey: 'user', passwordKey: 'pass', sslMode: 'require' } },
      redis: { external: { host: 'master.dify.abc.euw1.cache.amazonaws.com', port: 6379, credentialsSecret: 'elasticache', passwordKey: 'auth-token', tls: { enabled: true } } },
      qdrant: { external: { url: 'https://qdrant.example.org:6333', apiKeySecret: { name: 'qdrant', key: 'api-key' } } },
      dify: {
        storage: { type: 's3', s3: { endpoint: 'https://s3.eu-west-1.amazonaws.com', bucket: 'dify-files', region: 'eu-west-1', useIamRole: true } },
        pods: { serviceAccount: { create: true, name: 'dify', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/dify' } } },
      },
    });
    expect(configProblems(config)).toEqual([]);
    const objects = synthPlatform(config);
    expect(objects.filter((object) => object.kind === 'Cluster')).toEqual([]);
    expect(objects.some((object) => object.kind === 'StatefulSet' && object.metadata.name === 'dify-minio')).toBe(false);
    expect(objects.find((object) => object.kind === 'ServiceAccount' && object.metadata.name === 'dify')?.metadata.annotations)
      .toMatchObject({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/dify' });
  });

  test('says which Secrets to keep, and to keep the old SECRET_KEY', () => {
    expect(notes).toContain('Secret rds-dify: keep it, in the platform\'s namespace, with the keys user, pass');
    expect(notes).toContain('Secret elasticache: keep it, in the platform\'s namespace, with the keys auth-token');
    expect(notes).toContainEqual(expect.stringMatching(/^global\.extraBackendEnvs\[0\] \(SECRET_KEY\): not carried: keep this SECRET_KEY: /));
    expect(notes.filter((note) => /DB_|S3_|QDRANT_/.test(note) && /the platform sets it/.test(note))).toEqual([]);
  });
});

describe('a BorisPolonsky values file pointed at servers of the team\'s own', () => {
  const { config, notes } = importChartValues({
    image: { api: { tag: '1.16.1' } },
    api: { serviceAccount: { create: true, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/dify' } } },
    worker: { serviceAccount: { create: true, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/dify' } } },
    externalPostgres: { enabled: true, address: 'dify.abc.eu-west-1.rds.amazonaws.com', port: '5432', username: 'dify', password: 'pw', database: { api: 'dify_prod', pluginDaemon: 'dify_plugin' } },
    externalRedis: { enabled: true, host: 'master.dify.abc.euw1.cache.amazonaws.com', port: 6379, password: 'rpw', useSSL: true, db: { app: 0 } },
    externalS3: { enabled: true, endpoint: 'https://s3.eu-west-1.amazonaws.com', bucketName: { api: 'dify-files' }, useIAM: true, region: 'eu-west-1', accessKey: 'ak', secretKey: 'sk' },
    externalQdrant: { enabled: true, endpoint: 'https://qdrant.example.org:6333', apiKey: 'qk' },
    postgresql: { enabled: false }, redis: { enabled: false }, weaviate: { enabled: false },
  }, 'boris');

  test('keeps every server and the api\'s identity, and synthesizes with no cluster and no MinIO', () => {
    expect(config).toMatchObject({
      postgresql: { external: { host: 'dify.abc.eu-west-1.rds.amazonaws.com', port: 5432, databases: { dify: 'dify_prod' } } },
      redis: { external: { host: 'master.dify.abc.euw1.cache.amazonaws.com', port: 6379, tls: { enabled: true } } },
      qdrant: { external: { url: 'https://qdrant.example.org:6333', apiKeySecret: { name: 'dify-qdrant-credentials', key: 'api-key' } } },
      dify: { storage: { type: 's3', s3: { useIamRole: true } }, pods: { serviceAccount: { create: true, annotations: { 'eks.amazonaws.com/role-arn': expect.any(String) } } } },
    });
    expect((config.dify as Record<string, any>).worker?.serviceAccount).toBeUndefined();
    expect(configProblems(config)).toEqual([]);
    const objects = synthPlatform(config);
    expect(objects.filter((object) => object.kind === 'Cluster')).toEqual([]);
    expect(JSON.stringify(config)).not.toMatch(/"pw"|"rpw"|"ak"|"sk"|"qk"/);
  });

  test('lists each Secret to create, by name and keys, never a value', () => {
    expect(notes.filter((note) => note.startsWith('Secret '))).toEqual([
      expect.stringMatching(/^Secret dify-postgresql-credentials: create it .* with the keys username, password /),
      expect.stringMatching(/^Secret dify-redis-credentials: create it .* with the keys password /),
      expect.stringMatching(/^Secret dify-qdrant-credentials: create it .* with the keys api-key /),
      expect.stringMatching(/^Secret dify-app-secrets: create it .* with the keys SECRET_KEY /),
    ]);
  });
});

describe('what the import cannot carry as it was, it carries no weaker than it can, and says so', () => {
  const secret = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });
  const withBackend = (env: unknown[], more: Record<string, unknown> = {}) => importValues({ global: { image: { tag: '1.16.1' }, extraBackendEnvs: env }, postgresql: { embedded: false }, ...more });

  test('sslmode=verify-full stays TLS-required (require), with what is lost named', () => {
    const { config, notes } = withBackend([{ name: 'DB_HOST', value: 'db.example.org' }, { name: 'DB_PASSWORD', ...secret('db', 'password') },
      { name: 'DB_EXTRAS', value: 'sslmode=verify-full' }]);
    expect(config).toMatchObject({ postgresql: { external: { sslMode: 'require' } } });
    expect(notes).toContainEqual(expect.stringMatching(/^global\.extraBackendEnvs\[2\] \(DB_EXTRAS\): not carried: sslmode verify-full is carried as require: TLS stays required, but no container here is given a CA bundle/));
  });

  test('a Secret the values read is kept, and a key the config reads that it lacks is named to add', () => {
    const { notes } = withBackend([{ name: 'DB_HOST', value: 'db.example.org' }, { name: 'DB_USERNAME', value: 'dify' }, { name: 'DB_PASSWORD', ...secret('rds', 'password') }]);
    expect(notes).toContain('Secret rds: keep it, in the platform\'s namespace, with the keys password, username; add the keys username to it (kubectl edit secret rds)');
  });

  test('a chart\'s Dify newer than this package\'s default is a downgrade the config must not apply, and says so', () => {
    const { notes } = importValues({ global: { image: { tag: '9.0.0' } } });
    expect(notes[0]).toMatch(/^global\.image\.tag: not carried: Dify 9\.0\.0 is not a version this platform runs .* a downgrade, which Dify's migrations cannot do: do not apply it over that database$/);
  });

  test('BorisPolonsky\'s embedded servers switched off say nothing of a cluster the config does not make', () => {
    const { notes } = importChartValues({ image: { api: { tag: '1.16.1' } }, postgresql: { enabled: false }, redis: { enabled: false },
      externalPostgres: { enabled: true, address: 'db.example.org' }, externalRedis: { enabled: true, host: 'redis.example.org' } }, 'boris');
    expect(notes.filter((note) => /runs its own KubeBlocks cluster/.test(note))).toEqual([]);
  });
});
