/**
 * End to end: the same pipeline as `npm run synth`, on the shipped configs and on every kind of bad input a user
 * (or a hostile one) can give it. A refusal is one readable line per problem, never a stack trace, with a non-zero
 * exit and dist/ byte for byte as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { synthesize } from '../lib/pipeline';
import { EXAMPLES_CONFIG_DIR } from './helpers/configs';
import { describeWithCommunityCharts } from './helpers/community-charts';
import { buildApp, copyOfDist, fingerprint, FIXTURE_CONFIG_DIR as CONFIG_DIR, referenceDist, ROOT, runSynth, SynthRun, tempDir } from './helpers/pipeline';

beforeAll(buildApp);

/** What every refused run must show. */
function expectRefused(run: SynthRun, dist: string, before: Record<string, string>): void {
  expect(run.status).toBe(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).toMatch(/left as it was$/m);
  expect(fingerprint(dist)).toEqual(before);
  expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
}

describe('npm run synth', () => {
  test('writes one file per config, the same bytes on every run and whichever way synth runs', () => {
    const first = path.join(tempDir('dist-a-'), 'dist');
    const second = tempDir('dist-b-');

    const run = runSynth({ DIFY_CONFIG_DIR: CONFIG_DIR, DIST_DIR: first });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // Again, by the app in this process: the same bytes whichever way synth runs.
    synthesize({ outdir: second, configDir: CONFIG_DIR });

    expect(Object.keys(fingerprint(first))).toEqual(['default.k8s.yaml', 'kustomization.yaml']);
    expect(fingerprint(second)).toEqual(fingerprint(first));
    // The repository's own dist/ is not read here: CI checks it with npm run synth -- --check.
  });

  test('a project config folder with no config file gives the default platform', () => {
    const out = tempDir('out-');

    expect(synthesize({ outdir: out, configDir: tempDir('no-config-'), explicit: false })).toEqual(['default.k8s.yaml', 'kustomization.yaml']);
    expect(fs.readFileSync(path.join(out, 'default.k8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(referenceDist(), 'default.k8s.yaml'), 'utf8'));
  });

  test('a relative DIFY_CONFIG_DIR is read from the folder synth was started in', () => {
    const caller = tempDir('caller-');
    fs.mkdirSync(path.join(caller, 'envs'));
    fs.copyFileSync(path.join(EXAMPLES_CONFIG_DIR, 'seed.yaml'), path.join(caller, 'envs', 'seed.yaml'));
    const dist = path.join(caller, 'out');

    const run = runSynth({ DIFY_CONFIG_DIR: 'envs', DIST_DIR: 'out', INIT_CWD: caller });

    expect(run.stderr).toBe('');
    expect(Object.keys(fingerprint(dist))).toEqual(['kustomization.yaml', 'seed.k8s.yaml']);
    expect(fingerprint(dist)['seed.k8s.yaml']).toBe(fingerprint(path.join(ROOT, 'examples', 'dist'))['seed.k8s.yaml']);
  });

  test('an argument it does not know is refused, and nothing is written', () => {
    const dist = copyOfDist();
    const before = fingerprint(dist);

    const run = runSynth({ DIFY_CONFIG_DIR: CONFIG_DIR, DIST_DIR: dist }, { argv: ['--allow-destrutcive'] });

    expect(run.status).toBe(2);
    expect(run.stderr).toBe('synth: unknown argument --allow-destrutcive; the options are --allow-destructive, --examples, --check and --help\n');
    expect(fingerprint(dist)).toEqual(before);
  });

  test('a config of 10,000 extra variables synthesizes (merging them is linear)', () => {
    const configDir = tempDir('big-');
    const entries = Array.from({ length: 10000 }, (_, i) => `    - { name: EXTRA_${i % 5000}, value: "${i}" }`).join('\n');
    fs.writeFileSync(path.join(configDir, 'big.yaml'), `dify:\n  backendEnv:\n${entries}\n`);
    const out = tempDir('out-');

    synthesize({ outdir: out, configDir, explicit: true });

    const text = fs.readFileSync(path.join(out, 'big.k8s.yaml'), 'utf8');
    // Names given twice keep the later value, once, in each backend container: api, worker, beat, the migration Job
    // and the two data migration Jobs (legacy model types, plugin backfill).
    expect(text.match(/name: EXTRA_4999\n\s+value: "9999"/g)).toHaveLength(6);
    expect(text).not.toContain('value: "4999"');
  });
});

describe('bad config files: one line each, nothing published', () => {
  // A "billion laughs": ten levels of ten aliases each would expand to 10^10 strings.
  const aliasBomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((name, i) =>
    `${name}: &${name} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
  const env = (entry: string) => `dify:\n  backendEnv:\n    - ${entry}\n`;
  const BAD: Record<string, [string, string]> = {
    'replicas-below-one': ['postgresql:\n  replicas: 0\n', 'postgresql.replicas: 0 is not allowed: must be a whole number from 1 to 16'],
    'replicas-above-int32': ['qdrant:\n  replicas: 4294967297\n', 'qdrant.replicas: 4294967297 is not allowed: must be a whole number from 1 to 64'],
    'absurd-dify-replicas': ['dify:\n  api:\n    replicas: 999999999\n', 'dify.api.replicas: 999999999 is not allowed: must be a whole number from 1 to 100'],
    'huge-sentinels': ['redis:\n  sentinel:\n    replicas: 4294967297\n', 'redis.sentinel.replicas: 4294967297 is not allowed: must be a whole number from 3 to 9'],
    'many-sentinels': ['redis:\n  sentinel:\n    replicas: 999999999\n', 'redis.sentinel.replicas: 999999999 is not allowed: must be a whole number from 3 to 9'],
    'even-sentinels': ['redis:\n  sentinel:\n    replicas: 4\n', 'redis.sentinel.replicas: 4 is not allowed: must be an odd whole number from 3 to 9'],
    'quantity-in-gb': ['qdrant:\n  resources:\n    requests:\n      memory: 2GB\n', 'qdrant.resources.requests.memory: "2GB" is not allowed: must be a Kubernetes quantity'],
    'negative-quantity': ['postgresql:\n  resources:\n    limits:\n      cpu: "-1"\n', 'postgresql.resources.limits.cpu: "-1" is not allowed: must be more than 0'],
    'zero-storage': ['redis:\n  storage:\n    size: 0Gi\n', 'redis.storage.size: "0Gi" is not allowed: must be more than 0'],
    'version-not-offered': ['kubeblocks:\n  releaseLine: "0.9"\nredis:\n  version: 7.2.4\n', 'redis.version: "7.2.4" is not allowed: KubeBlocks 0.9 offers redis 7.0.6'],
    'cluster-name-not-dns': ['postgresql:\n  name: Meta_DB\n', 'postgresql.name: "Meta_DB" is not allowed: must be a cluster name'],
    'cluster-name-too-long': [`qdrant:\n  name: ${'v'.repeat(48)}\n`, `qdrant.name: "${'v'.repeat(48)}" is not allowed: KubeBlocks would derive the name`],
    'component-name-too-long': ['kubeblocks:\n  releaseLine: "0.9"\npostgresql:\n  componentName: postgresql-primary-node\n',
      'postgresql.componentName: "postgresql-primary-node" is not allowed: must be at most 22 characters'],
    'halt-on-1-0': ['postgresql:\n  terminationPolicy: Halt\n', 'postgresql.terminationPolicy: "Halt" is not allowed: KubeBlocks 1.0 allows DoNotTerminate, Delete, WipeOut'],
    'unknown-key': ['qdrant:\n  replica: 3\n', 'qdrant.replica: unknown setting: known settings here: replicas,'],
    'invalid-yaml': ['postgresql:\n  replicas: [2\n', 'not valid YAML:'],
    'alias-bomb': [aliasBomb, 'not usable YAML: Excessive alias count'],
    'dify-version-unsupported': ['dify:\n  version: 0.15.3\n', 'dify.version: "0.15.3" is not allowed: must be a supported Dify version'],
    'dify-host-not-dns': ['dify:\n  host: Dify_Host\n', 'dify.host: "Dify_Host" is not allowed: must be a DNS name'],
    'dify-host-ip': ['dify:\n  host: 10.0.0.1\n', 'dify.host: "10.0.0.1" is not allowed: must be a DNS name'],
    'dify-host-long-label': [`dify:\n  host: ${'a'.repeat(64)}.example.com\n`, 'dify.host: "aaaa'],
    'dify-two-beats': ['dify:\n  beat:\n    replicas: 2\n', 'dify.beat.replicas: 2 is not allowed: must be 1'],
    'dify-tls-without-secret': ['dify:\n  tls:\n    enabled: true\n', 'dify.tls.secretName: nothing is not allowed: TLS needs the name of the Secret'],
    'env-value-and-from': [env('{ name: A, value: x, valueFrom: { secretKeyRef: { name: s, key: k } } }'),
      'dify.backendEnv[0]: {"name":"A","value":"x",'],
    // (the rest of that line: "... is not allowed: must have either value or valueFrom, not both", checked below)
    'env-two-sources': [env('{ name: A, valueFrom: { secretKeyRef: { name: s, key: k }, configMapKeyRef: { name: c, key: k } } }'),
      'is not allowed: must name exactly one source: secretKeyRef or configMapKeyRef'],
    'env-bad-secret-name': [env('{ name: A, valueFrom: { secretKeyRef: { name: My_Secret, key: k } } }'),
      'dify.backendEnv[0].valueFrom.secretKeyRef.name: "My_Secret" is not allowed: must be a Secret or ConfigMap name'],
    'env-bad-key': [env('{ name: A, valueFrom: { configMapKeyRef: { name: c, key: "a key" } } }'),
      'dify.backendEnv[0].valueFrom.configMapKeyRef.key: "a key" is not allowed: must be a key name'],
    'env-rewires-broker': ['dify:\n  worker:\n    env:\n      - { name: CELERY_BROKER_URL, value: "redis://elsewhere:6379/1" }\n',
      'dify.worker.env[0].name: "CELERY_BROKER_URL" is not allowed: the platform sets CELERY_BROKER_URL; to change it use redis and dify.redisMode'],
    'env-rewires-mode': [env('{ name: MODE, value: api }'), 'dify.backendEnv[0].name: "MODE" is not allowed: the platform sets MODE'],
    'env-literal-credential': [env('{ name: OPENAI_API_KEY, value: sk-123 }'),
      'dify.backendEnv[0].value: "(hidden)" is not allowed: OPENAI_API_KEY looks like a credential: give it with valueFrom.secretKeyRef'],
    'bad-annotation-key': ['dify:\n  ingress:\n    annotations:\n      "nginx.ingress.kubernetes.io/-bad": "x"\n',
      'dify.ingress.annotations.nginx.ingress.kubernetes.io/-bad: "nginx.ingress.kubernetes.io/-bad" is not allowed: must be an annotation name'],
    'uppercase-image': ['dify:\n  images:\n    api: langgenius/Dify-API:1.13.3\n', 'dify.images.api: "langgenius/Dify-API:1.13.3" is not allowed: must be an image reference'],
    'same-cluster-names': ['redis:\n  name: data\nqdrant:\n  name: data\n', 'qdrant.name: "data" is not allowed: the redis cluster has this name already'],
    'cluster-takes-dify-service': ['namespace: clash\nkubeblocks:\n  releaseLine: "0.9"\npostgresql:\n  name: dify\n  componentName: api\n',
      'postgresql.name: "dify" is not allowed: KubeBlocks would create the Service "dify-api", which the Dify tier creates too'],
    'sentinel-on-0-6': ['namespace: old\ndify:\n  version: 0.6.11\n  redisMode: sentinel\n', 'dify.redisMode: "sentinel" is not allowed: Dify 0.6.11 has no Redis Sentinel support'],
  };
  let run: SynthRun;
  let dist: string;
  let before: Record<string, string>;

  beforeAll(() => {
    const configDir = tempDir('bad-config-');
    for (const [name, [text]] of Object.entries(BAD)) fs.writeFileSync(path.join(configDir, `${name}.yaml`), `namespace: ${name}\n${text}`.replace(/^namespace: [^\n]*\n(namespace: )/, '$1'));
    // Beside them, the file system's own kinds of bad: a folder, a dangling symlink, a file that is no config.
    fs.mkdirSync(path.join(configDir, 'a-folder.yaml'));
    fs.symlinkSync(path.join(configDir, 'gone.txt'), path.join(configDir, 'dangling.yaml'));
    fs.writeFileSync(path.join(configDir, 'Upper.YAML'), '');
    // Two problems in one file, one of them across settings: both are reported.
    fs.writeFileSync(path.join(configDir, 'two-problems.yaml'), 'namespace: two\nkubeblocks:\n  releaseLine: "0.9"\nredis:\n  version: 7.2.4\n  replicas: 0\n');
    // Two platforms in one namespace would overwrite each other's objects.
    fs.writeFileSync(path.join(configDir, 'team-a.yaml'), 'namespace: shared\n');
    fs.writeFileSync(path.join(configDir, 'team-b.yaml'), 'namespace: shared\n');
    dist = copyOfDist();
    before = fingerprint(dist);
    run = runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist });
  });

  test('the run fails cleanly', () => {
    expectRefused(run, dist, before);
  });

  test.each(Object.entries(BAD))('%s is named in its own error line', (name, [, expected]) => {
    const lines = run.stderr.split('\n').filter((line) => line.includes(`/${name}.yaml:`));

    expect(lines).toEqual([expect.stringContaining(expected)]);
  });

  test.each([
    ['a-folder.yaml', 'a-folder.yaml: is a folder, not a config file'],
    ['dangling.yaml', 'dangling.yaml: is a dangling symlink (its target does not exist)'],
    ['Upper.YAML', 'Upper.YAML: file name: "Upper.YAML" is not allowed: lowercase letters'],
    ['team-b.yaml', 'team-b.yaml: namespace: "shared" is not allowed:'],
  ])('%s is refused in one line', (file, expected) => {
    expect(run.stderr.split('\n').filter((line) => line.includes(`/${file}:`))).toEqual([expect.stringContaining(expected)]);
  });

  test('an entry with both a value and a source says which rule it breaks', () => {
    expect(run.stderr).toMatch(/env-value-and-from\.yaml: dify\.backendEnv\[0\]: .* is not allowed: must have either value or valueFrom, not both$/m);
  });

  test('a file with a shape problem and a problem across settings gets both lines', () => {
    expect(run.stderr.split('\n').filter((line) => line.includes('/two-problems.yaml:'))).toEqual([
      expect.stringContaining('redis.replicas: 0 is not allowed'),
      expect.stringContaining('redis.version: "7.2.4" is not allowed: KubeBlocks 0.9 offers redis 7.0.6'),
    ]);
  });
});

describe('a bad config folder: one line, nothing published', () => {
  let dist: string;
  let before: Record<string, string>;

  beforeEach(() => {
    dist = copyOfDist();
    before = fingerprint(dist);
  });

  test.each<[string, () => string, string]>([
    ['missing', () => path.join(tempDir('gone-'), 'nowhere'), 'the config folder does not exist'],
    ['empty', () => tempDir('empty-'), 'the config folder holds no .yaml or .yml file'],
    ['a file', () => { const file = path.join(tempDir('file-'), 'config'); fs.writeFileSync(file, ''); return file; }, 'the config folder is a file, not a folder'],
  ])('DIFY_CONFIG_DIR naming a folder that is %s', (_case, configDir, expected) => {
    const run = runSynth({ DIFY_CONFIG_DIR: configDir(), DIST_DIR: dist });

    expectRefused(run, dist, before);
    expect(run.stderr.split('\n')[0]).toContain(expected);
  });

  test('an unreadable config file', () => {
    const configDir = tempDir('unreadable-');
    fs.writeFileSync(path.join(configDir, 'secret.yaml'), 'namespace: x\n');
    fs.chmodSync(path.join(configDir, 'secret.yaml'), 0o000);
    fs.chmodSync(configDir, 0o755);
    fs.chmodSync(path.dirname(dist), 0o777);
    // root reads any file: run as an unprivileged user there, as a developer would.
    const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--'] : [];

    const run = runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist, HOME: '/tmp' }, { wrapper: asUser });

    expectRefused(run, dist, before);
    expect(run.stderr.split('\n')[0]).toMatch(/secret\.yaml: cannot be read \(permission denied\)$/);
  });
});

describe('changing the Dify version', () => {
  /** A dist/ whose default platform runs `version`, as synth wrote it, and the config folder that wrote it. */
  function distRunning(version: string): { dist: string; configDir: string } {
    const configDir = tempDir('versions-');
    fs.writeFileSync(path.join(configDir, 'default.yaml'), `dify:\n  version: ${version}\n`);
    const dist = path.join(tempDir('dist-'), 'dist');
    expect(runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist }).status).toBe(0);
    return { dist, configDir };
  }
  const objectsIn = (dist: string) => parseAllDocuments(fs.readFileSync(path.join(dist, 'default.k8s.yaml'), 'utf8')).map((doc) => doc.toJS());
  const jobNames = (objects: any[]) => objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name);

  test('an upgrade replaces the migration Job with the new version\'s, which runs before the new workloads', () => {
    const { dist, configDir } = distRunning('1.15.0');
    const before = jobNames(objectsIn(dist));
    fs.writeFileSync(path.join(configDir, 'default.yaml'), 'dify:\n  version: 1.16.1\n');

    expect(runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist }).status).toBe(0);

    const objects = objectsIn(dist);
    const wave = (o: any) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    const migration = objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('dify-migrate-'));
    expect(before.some((name) => name.startsWith('dify-migrate-1-15-0-'))).toBe(true);
    expect(jobNames(objects).filter((name) => name.startsWith('dify-migrate-'))).toEqual([migration.metadata.name]);
    expect(migration.metadata.name).toMatch(/^dify-migrate-1-16-1-/);
    for (const workload of objects.filter((o) => o.kind === 'Deployment')) {
      expect(wave(workload)).toBeGreaterThan(wave(migration));
    }
    // Without Argo CD's waves, the api waits for its database and for the new version's schema rather than serving on the old one.
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'dify-api');
    expect(api.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['schema-head', 'wait-for-schema']);
  });

  test('a downgrade is refused in one line and dist/ stays, unless the config or the command allows it', () => {
    const { dist, configDir } = distRunning('1.16.1');
    const before = fingerprint(dist);
    fs.writeFileSync(path.join(configDir, 'default.yaml'), 'dify:\n  version: 1.15.0\n');

    const refused = runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist });

    expect(refused.status).toBe(1);
    expect(refused.stderr.split('\n')[0]).toBe(`${configDir}/default.yaml: dify.version: "1.15.0" is not allowed: the platform runs Dify 1.16.1 now, `
      + "and Dify's schema migrations cannot be rolled back; to go back on purpose (after restoring a database backup taken on 1.15.0), "
      + 'add allowDestructive: [difyDowngrade]');
    expect(fingerprint(dist)).toEqual(before);

    expect(runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist }, { wrapper: [], argv: ['--allow-destructive'] }).status).toBe(0);
    expect(objectsIn(dist).find((o) => o.kind === 'Deployment').metadata.labels['app.kubernetes.io/version']).toBe('1.15.0');

    const again = distRunning('1.16.1');
    fs.writeFileSync(path.join(again.configDir, 'default.yaml'), 'dify:\n  version: 1.15.0\nallowDestructive: [difyDowngrade]\n');
    expect(runSynth({ DIFY_CONFIG_DIR: again.configDir, DIST_DIR: again.dist }).status).toBe(0);
  });
});

// The examples include the chart examples, whose packages are in the third-party folder (helpers/third-party.ts).
describeWithCommunityCharts('the examples/dist test')('npm run synth -- --examples', () => {
  test('the examples are synthesized into examples/dist, which is what the code makes now, and never into dist/', () => {
    const out = tempDir('examples-');

    // The app in this process (the pipeline around it is the one tested above); the test setup provides helm.
    synthesize({ outdir: out, configDir: EXAMPLES_CONFIG_DIR });

    expect(Object.keys(fingerprint(out))).toEqual(['boris-chart.k8s.yaml', 'kustomization.yaml', 'pgvector.k8s.yaml', 'seed-helm.k8s.yaml', 'seed.k8s.yaml']);
    // Stale examples/dist after a change: run npm run synth -- --examples.
    expect(fingerprint(path.join(ROOT, 'examples', 'dist'))).toEqual(fingerprint(out));
  });
});
