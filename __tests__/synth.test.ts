/**
 * End to end: the same pipeline as `npm run synth` (compiled app, `cdk8s synth`, then the move into dist/), run with
 * DIFY_CONFIG_DIR and DIST_DIR pointing at temporary folders.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONFIG_DIR } from './helpers/configs';

const ROOT = path.join(__dirname, '..');

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function synth(configDir: string, distDir: string) {
  return spawnSync('node', [path.join(ROOT, 'scripts', 'synth.js')], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, DIFY_CONFIG_DIR: configDir, DIST_DIR: distDir },
  });
}

/** Every file of a folder with a hash of its bytes. */
function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((file) =>
    [file, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex')]));
}

beforeAll(() => {
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', path.join(ROOT, 'tsconfig.json')], { cwd: ROOT });
});

describe('npm run synth', () => {
  test('writes one file per shipped config, byte for byte the committed dist/, the same on every run', () => {
    const first = path.join(tempDir('dist-a-'), 'dist');
    const second = path.join(tempDir('dist-b-'), 'dist');

    const run = synth(CONFIG_DIR, first);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(synth(CONFIG_DIR, second).status).toBe(0);

    expect(Object.keys(fingerprint(first))).toEqual(['default.k8s.yaml', 'seed.k8s.yaml']);
    expect(fingerprint(second)).toEqual(fingerprint(first));
    // dist/ is committed so reviewers see what a change does to a cluster: it must be what the code makes now.
    expect(fingerprint(path.join(ROOT, 'dist'))).toEqual(fingerprint(first));
  });

  test('with no config file it writes the default platform', () => {
    const dist = path.join(tempDir('dist-'), 'dist');

    expect(synth(tempDir('no-config-'), dist).status).toBe(0);
    expect(fs.readFileSync(path.join(dist, 'default.k8s.yaml'), 'utf8'))
      .toBe(fs.readFileSync(path.join(ROOT, 'dist', 'default.k8s.yaml'), 'utf8'));
  });

  describe('refuses bad input, one line per problem, and leaves dist/ exactly as it was', () => {
    const BAD: Record<string, [string, string]> = {
      'replicas-below-one': ['postgresql:\n  replicas: 0\n',
        'postgresql.replicas: 0 is not allowed: must be a whole number of at least 1'],
      'even-sentinels': ['redis:\n  sentinel:\n    replicas: 4\n',
        'redis.sentinel.replicas: 4 is not allowed: must be an odd whole number of at least 3'],
      'too-few-sentinels': ['redis:\n  sentinel:\n    replicas: 1\n',
        'redis.sentinel.replicas: 1 is not allowed: must be an odd whole number of at least 3'],
      'quantity-in-gb': ['qdrant:\n  resources:\n    requests:\n      memory: 2GB\n',
        'qdrant.resources.requests.memory: "2GB" is not allowed: must be a Kubernetes quantity'],
      'version-not-offered': ['kubeblocks:\n  releaseLine: "0.9"\nredis:\n  version: 7.2.4\n',
        'redis.version: "7.2.4" is not allowed: KubeBlocks 0.9 offers redis 7.0.6'],
      'cluster-name-not-dns': ['postgresql:\n  name: Meta_DB\n',
        'postgresql.name: "Meta_DB" is not allowed: must be a cluster name'],
      'cluster-name-too-long': [`qdrant:\n  name: ${'v'.repeat(48)}\n`,
        `qdrant.name: "${'v'.repeat(48)}" is not allowed: KubeBlocks would derive the name`],
      'component-name-too-long': ['kubeblocks:\n  releaseLine: "0.9"\npostgresql:\n  componentName: postgresql-primary-node\n',
        'postgresql.componentName: "postgresql-primary-node" is not allowed: must be at most 22 characters'],
      'halt-on-1-0': ['postgresql:\n  terminationPolicy: Halt\n',
        'postgresql.terminationPolicy: "Halt" is not allowed: KubeBlocks 1.0 allows DoNotTerminate, Delete, WipeOut'],
      'unknown-key': ['qdrant:\n  replica: 3\n',
        'qdrant.replica: unknown setting: known settings here: replicas,'],
      'invalid-yaml': ['postgresql:\n  replicas: [2\n', 'not valid YAML:'],
      'dify-version-unsupported': ['dify:\n  version: 0.15.3\n', 'dify.version: "0.15.3" is not allowed: must be a supported Dify version'],
      'dify-host-not-dns': ['dify:\n  host: Dify_Host\n', 'dify.host: "Dify_Host" is not allowed: must be a DNS name'],
      'dify-two-beats': ['dify:\n  beat:\n    replicas: 2\n', 'dify.beat.replicas: 2 is not allowed: must be 1'],
      'dify-tls-without-secret': ['dify:\n  tls:\n    enabled: true\n', 'dify.tls.secretName: nothing is not allowed: TLS needs the name of the Secret'],
    };
    let run: ReturnType<typeof synth>;
    let distDir: string;
    let before: Record<string, string>;

    beforeAll(() => {
      const configDir = tempDir('bad-config-');
      for (const [name, [text]] of Object.entries(BAD)) fs.writeFileSync(path.join(configDir, `${name}.yaml`), text);
      distDir = path.join(tempDir('dist-'), 'dist');
      fs.cpSync(path.join(ROOT, 'dist'), distDir, { recursive: true });
      before = fingerprint(distDir);
      run = synth(configDir, distDir);
    });

    test('the run fails', () => {
      expect(run.status).not.toBe(0);
    });

    test.each(Object.entries(BAD))('%s is named in its own error line', (name, [, expected]) => {
      const lines = run.stderr.split('\n').filter((line) => line.includes(`${name}.yaml`));

      expect(lines).toEqual([expect.stringContaining(expected)]);
    });

    test('dist/ is byte-identical and nothing is left behind', () => {
      expect(fingerprint(distDir)).toEqual(before);
      expect(fs.readdirSync(path.dirname(distDir))).toEqual(['dist']);
    });
  });
});
