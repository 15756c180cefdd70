/**
 * dist/ goes to git: no credential may be written into it. Credentials reach containers only by secretKeyRef, from
 * Secrets KubeBlocks creates or the bootstrap Job generates in the cluster.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { DifyPlatformProps } from '../lib';
import { allPodSpecs } from './helpers/dify';
import { Manifest, synthPlatform } from './helpers/synth';

const SECRET_LIKE = /(PASSWORD|SECRET|_KEY|TOKEN|CREDENTIAL)/;
// The examples' output: several platforms, both tiers (the repository's dist/ is whatever its config/ holds).
const DIST = path.join(__dirname, '..', 'examples', 'dist');

function distObjects(): [string, Manifest][] {
  return fs.readdirSync(DIST).filter((file) => file.endsWith('.yaml')).flatMap((file) =>
    parseAllDocuments(fs.readFileSync(path.join(DIST, file), 'utf8')).map((doc): [string, Manifest] => [file, doc.toJS()]));
}

function literalSecretEnv(objects: Manifest[]): string[] {
  return allPodSpecs(objects).flatMap(([where, spec]) => [...(spec.initContainers ?? []), ...spec.containers]
    .flatMap((container: any) => (container.env ?? [])
      .filter((variable: any) => SECRET_LIKE.test(variable.name) && variable.value !== undefined)
      .map((variable: any) => `${where} ${container.name} ${variable.name}=${variable.value}`)));
}

/** A URL with a password in it must build it from $(VAR) references, never hold it. */
function urlsWithCredentials(objects: Manifest[]): string[] {
  return allPodSpecs(objects).flatMap(([where, spec]) => spec.containers.flatMap((container: any) => (container.env ?? [])
    .filter((variable: any) => /:\/\/[^/\s]*:[^@/\s]+@/.test(variable.value ?? '') && !/:\/\/[^@]*\$\([A-Z_]+\)@/.test(variable.value))
    .map((variable: any) => `${where} ${variable.name}`)));
}

describe('no plaintext secret', () => {
  test('dist/ holds no Secret object and no secret-named variable with a literal value', () => {
    const objects = distObjects();

    expect(objects.length).toBeGreaterThan(0);
    expect(objects.filter(([, object]) => object.kind === 'Secret').map(([file]) => file)).toEqual([]);
    expect(literalSecretEnv(objects.map(([, object]) => object))).toEqual([]);
    expect(urlsWithCredentials(objects.map(([, object]) => object))).toEqual([]);
  });

  test.each<[string, DifyPlatformProps]>([
    ['Sentinel mode', { dify: { redisMode: 'sentinel' } }],
    ['external S3', { dify: { storage: { type: 's3', s3: { endpoint: 'https://s3.example.org', bucket: 'dify-files', credentialsSecret: 's3-credentials' } } } }],
    ['an existing app Secret', { dify: { existingSecret: 'mine' } }],
    ['KubeBlocks 0.9 and Dify 0.6.11', { kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' } }],
  ])('nor with %s', (_name, props) => {
    const objects = synthPlatform(props);

    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
    expect(literalSecretEnv(objects)).toEqual([]);
    expect(urlsWithCredentials(objects)).toEqual([]);
  });

  test('the check itself catches a literal password', () => {
    const objects = synthPlatform();
    const api = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-api')!;
    api.spec.template.spec.containers[0].env.push({ name: 'DB_PASSWORD', value: 'hunter2' });

    expect(literalSecretEnv(objects)).toEqual([expect.stringContaining('DB_PASSWORD=hunter2')]);
  });
});

describe('passwords in URLs stay URL-safe', () => {
  // KubeBlocks generates [A-Za-z0-9]{10} passwords unless a Cluster asks for symbols (passwordConfig.numSymbols) or
  // brings its own (secretRef) (kubeblocks-facts.md). The Celery URL embeds $(REDIS_PASSWORD) unescaped, so no
  // Cluster may change how passwords are made, and no setting may replace the password variable.
  test.each<[string, DifyPlatformProps]>([
    ['KubeBlocks 1.0', {}],
    ['KubeBlocks 0.9', { kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' } }],
  ])('no Cluster on %s sets how its passwords are generated', (_line, props) => {
    const clusters = synthPlatform(props).filter((object) => object.kind === 'Cluster');

    expect(clusters).toHaveLength(3);
    expect(clusters.filter((cluster) => /systemAccounts|passwordConfig|secretRef/.test(JSON.stringify(cluster.spec)))).toEqual([]);
  });

  test('no setting can put another password into the broker URL', () => {
    for (const where of [{ backendEnv: [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'other', key: 'pw' } } }] },
      { worker: { env: [{ name: 'CELERY_BROKER_URL', value: 'redis://:p@ss#word@redis:6379/1' }] } }]) {
      expect(() => synthPlatform({ dify: where })).toThrow(/the platform sets (REDIS_PASSWORD|CELERY_BROKER_URL); to change it use redis/);
    }
  });
});
