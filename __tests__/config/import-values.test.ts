/**
 * `npm run import-values`: a community chart's values file becomes a platform config, every value either carried
 * to its setting or named with the reason, and no plaintext secret ever written.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { importValues } from '../../lib/config/import-values';
import { configProblems, shippedConfig } from '../helpers/configs';
import { synthPlatform } from '../helpers/synth';
import { buildApp, ROOT, tempDir } from '../helpers/pipeline';

const SEED_VALUES = path.join(ROOT, '__tests__', 'fixtures', 'seed', 'values.yaml');

describe('the seed\'s values file (the blog\'s, with its pasted Redis password)', () => {
  const { config, notes } = importValues(load(fs.readFileSync(SEED_VALUES, 'utf8')) as Record<string, unknown>);

  test('gives the seed platform\'s Dify settings, which synthesize', () => {
    expect(config).toEqual({ dify: shippedConfig('seed').props.dify });
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
  const boris = run(SEED_VALUES, '--chart', 'boris');

  expect(written.status).toBe(0);
  expect(written.stderr.trim().split('\n')).toHaveLength(17);
  expect(load(fs.readFileSync(out, 'utf8'))).toEqual({ dify: shippedConfig('seed').props.dify });
  expect(fs.readFileSync(out, 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
  expect(again.status).toBe(2);
  expect(again.stderr).toBe(`import-values: --out: "${out}" is not allowed: it exists; name a new file\n`);
  expect(boris.status).toBe(2);
  expect(boris.stderr).toContain('--chart: "boris" is not allowed');
});
