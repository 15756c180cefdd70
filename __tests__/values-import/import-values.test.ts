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
import { describeWithCommunityCharts } from '../helpers/community-charts';
import { configProblems, exampleConfig } from '../helpers/configs';
import { synthPlatform } from '../helpers/synth';
import { buildApp, ROOT, tempDir } from '../helpers/pipeline';

const SEED_VALUES = path.join(ROOT, '__tests__', 'fixtures', 'seed', 'values.yaml');

describe('the seed\'s values file (the blog\'s, with its pasted Redis password)', () => {
  const { config, notes } = importValues(load(fs.readFileSync(SEED_VALUES, 'utf8')) as Record<string, unknown>);

  test('gives the seed platform\'s Dify settings, which synthesize', () => {
    expect(config).toEqual({ dify: exampleConfig('seed').props.dify });
    expect(configProblems(config)).toEqual([]);
    expect(synthPlatform(config).some((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-api')).toBe(true);
  });

  test('names every value it does not carry, the secrets as secrets, and writes neither', () => {
    expect(notes).toHaveLength(17);
    expect(notes).toContain('global.extraBackendEnvs[2] (REDIS_PASSWORD): not carried: a plaintext secret, and the platform sets it; to change it use redis and dify.redisMode');
    expect(notes).toContain('global.extraBackendEnvs[13] (SECRET_KEY): not carried: a plaintext secret, and the platform sets it; to change it use dify.existingSecret (the keys come from the platform\'s Secret)');
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
    'global.image.tag: not carried: Dify 0.5.0 is not a version this platform runs (0.6.11, 1.13.3, 1.14.0, 1.14.1, 1.14.2, 1.15.0, 1.16.1)',
    expect.stringMatching(/^worker\.envs\[0\] \(OPENAI_API_KEY\): not carried: a plaintext secret; create a Secret .* in dify\.worker\.env$/),
    'sandbox.apiKey: not carried: a plaintext secret; the platform generates SANDBOX_API_KEY in the cluster, or put yours in a Secret under the key SANDBOX_API_KEY and name it in dify.existingSecret',
    'tracing: not carried: it has no setting here; see the README, "Coming from the Helm charts"',
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
  expect(written.stderr.trim().split('\n')).toHaveLength(17);
  expect(load(fs.readFileSync(out, 'utf8'))).toEqual({ dify: exampleConfig('seed').props.dify });
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
    expect(notes).toContain('global.appSecretKey: not carried: a plaintext secret; the platform generates SECRET_KEY in the cluster, '
      + 'or put yours in a Secret under those keys and name it in dify.existingSecret');
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
      'externalS3.accessKey: not carried: a plaintext secret; create it in the Secret dify-s3-credentials (kubectl create secret generic dify-s3-credentials --from-literal=access-key=... --from-literal=secret-key=...)',
      'externalS3.secretKey: not carried: a plaintext secret; create it in the Secret dify-s3-credentials (kubectl create secret generic dify-s3-credentials --from-literal=access-key=... --from-literal=secret-key=...)',
      'weaviate.enabled: not carried: the platform runs its own KubeBlocks cluster instead (vectorStore)',
      'externalPostgres.password: not carried: a plaintext secret; create it in the Secret dify-postgresql-credentials (kubectl create secret generic dify-postgresql-credentials --from-literal=username=... --from-literal=password=...)',
    ]);
    expect(JSON.stringify(config)).not.toMatch(/sk-1|"pw"|"ak"|"sk"/);
  });

  test('an external PostgreSQL\'s database names are carried where they are not the defaults', () => {
    const { config, notes } = importChartValues({
      externalPostgres: { enabled: true, address: 'pg.example.org', database: { api: 'dify_prod', pluginDaemon: 'dify_plugin' } },
    }, 'boris');

    expect(config).toEqual({ postgresql: { external: { host: 'pg.example.org', port: 5432, credentialsSecret: 'dify-postgresql-credentials', databases: { dify: 'dify_prod' } } } });
    expect(configProblems(config)).toEqual([]);
    expect(notes).toEqual([]);
  });
});
