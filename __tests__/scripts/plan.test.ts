/** `npm run plan`: what synth would change, flagged, with nothing written. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildApp, copyOfDist, fingerprint, FIXTURE_CONFIG_DIR as CONFIG_DIR, referenceDist, ROOT, runSynth, tempDir } from '../helpers/pipeline';

beforeAll(buildApp);

function plan(configDir: string, dist: string, argv: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, DIFY_CONFIG_DIR: configDir, DIST_DIR: dist };
  delete env.INIT_CWD;
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'plan.js'), ...argv], { cwd: ROOT, encoding: 'utf8', env });
}

describe('npm run plan', () => {
  test('with the configs against the dist/ synth published from them, nothing would change', () => {
    const run = plan(CONFIG_DIR, referenceDist());

    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`default.k8s.yaml (${CONFIG_DIR}/default.yaml): 0 to create, 0 to change, 0 to delete\n`);
  });

  test('an argument it does not know is refused, and --help says what plan does', () => {
    const refused = plan(CONFIG_DIR, referenceDist(), ['--output', 'xml']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('plan: --output: "xml" is not allowed: text or json\n');
    expect(plan(CONFIG_DIR, referenceDist(), ['--help']).stdout).toMatch(/^usage: npx dify-kubeblocks plan /);
  });

  test('a chart that cannot be rendered is said in one line, as synth says it', () => {
    const configDir = tempDir('plan-');
    const missing = path.join(tempDir('no-chart-'), 'dify');
    fs.writeFileSync(path.join(configDir, 'chart.yaml'), `dify: { version: 0.6.11, chart: { path: ${JSON.stringify(missing)} } }\n`);

    const run = plan(configDir, copyOfDist());

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(`${configDir}/chart.yaml: dify.chart.path: ${JSON.stringify(missing)} is not allowed: must be a chart folder (one with a Chart.yaml); ${missing} is not one`);
  });

  test('lists what would be created, changed and deleted, marks what holds data and what a guard rail refuses, and writes nothing', () => {
    const dist = copyOfDist();
    const before = fingerprint(dist);
    const configDir = tempDir('plan-');
    fs.writeFileSync(path.join(configDir, 'default.yaml'), 'dify:\n  version: 1.15.0\npostgresql:\n  storage: { size: 10Gi }\n');

    const run = plan(configDir, dist);
    const lines = run.stdout.split('\n');

    expect(run.status).toBe(1);
    expect(lines[0]).toMatch(/^default\.k8s\.yaml \(.*default\.yaml\): \d+ to create, \d+ to change \(\d+ restart pods\), \d+ to delete$/);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ {2}\+ Job\/dify\/dify-migrate-1-15-0-[0-9a-f]{8}$/),
      expect.stringMatching(/^ {2}- Job\/dify\/dify-migrate-1-16-1-[0-9a-f]{8}$/),
      '  ~ Cluster/dify/postgresql   <- holds data',
      expect.stringMatching(/^ {2}! refused by a guard rail: .*dify\.version: "1\.15\.0" is not allowed/),
      expect.stringMatching(/^ {2}! refused by a guard rail: .*postgresql\.storage\.size: "10Gi" is not allowed: the volumes are 20Gi now/),
    ]));
    expect(fingerprint(dist)).toEqual(before);
  });

  test.each<[string, (dist: string) => void, RegExp]>([
    ['a platform file that is no longer YAML', (dist) => {
      const header = fs.readFileSync(path.join(dist, 'default.k8s.yaml'), 'utf8').split('\n')[0];
      fs.writeFileSync(path.join(dist, 'default.k8s.yaml'), `${header}\n\u0000\u0001: [\n`);
    }, /^plan failed: .*dist\/default\.k8s\.yaml is not YAML synth can read \(.*\): restore it \(git checkout -- default\.k8s\.yaml\) or delete it$/],
    ['a folder where the platform file goes', (dist) => {
      fs.rmSync(path.join(dist, 'default.k8s.yaml'));
      fs.mkdirSync(path.join(dist, 'default.k8s.yaml'));
    }, /^plan failed: .*dist\/default\.k8s\.yaml is not a file: synth writes its platform there; move it away$/],
  ])('%s is named in one line', (_case, damage, message) => {
    const dist = copyOfDist();
    damage(dist);

    const run = plan(CONFIG_DIR, dist);

    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  test('a platform whose config is gone is shown as a guard rail\'s refusal', () => {
    const dist = copyOfDist();
    fs.copyFileSync(path.join(dist, 'default.k8s.yaml'), path.join(dist, 'old.k8s.yaml'));

    const run = plan(CONFIG_DIR, dist);

    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^  ! refused by a guard rail: .*old\.k8s\.yaml: no config writes this platform any more/m);
  });

  test('one replica count changed prints that one path, with its old and new value', () => {
    const configDir = tempDir('plan-');
    fs.writeFileSync(path.join(configDir, 'default.yaml'), 'postgresql:\n  replicas: 3\n');

    const run = plan(configDir, copyOfDist());

    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').slice(1)).toEqual([
      '  ~ Cluster/dify/postgresql   <- holds data',
      '      spec.componentSpecs[name=postgresql].replicas: 2 -> 3',
    ]);
  });

  test('objects that change only a label are one line; --output json gives CI the same, field by field', () => {
    const configDir = tempDir('plan-');
    fs.writeFileSync(path.join(configDir, 'default.yaml'), 'dify:\n  version: 1.15.0\nallowDestructive: [difyDowngrade]\n');
    const dist = copyOfDist();

    const text = plan(configDir, dist);
    const json = plan(configDir, dist, ['--output', 'json']);

    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^ {2}~ \d+ more objects change only labels: metadata\.labels\["app\.kubernetes\.io\/version"\]: "1\.16\.1" -> "1\.15\.0"$/m);
    expect(text.stdout).not.toMatch(/^ {2}~ Service\//m);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    const api = report.platforms[0].changes.find((change: { object: string }) => change.object === 'Deployment/dify/dify-api');
    expect(api.fields).toContainEqual({ path: 'spec.template.spec.containers[name=api].image', old: 'langgenius/dify-api:1.16.1', new: 'langgenius/dify-api:1.15.0' });
    expect(report.removedPlatforms).toEqual([]);
  });

  test('a change that restarts pods is named as such, a pod label alone included: a workload\'s template, a Cluster\'s resources', () => {
    const configDir = tempDir('plan-');
    fs.writeFileSync(path.join(configDir, 'default.yaml'), 'dify:\n  api:\n    labels: { team: a }\npostgresql:\n  resources: { requests: { cpu: "2" }, limits: { cpu: "2" } }\n');

    const run = plan(configDir, copyOfDist());

    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^default\.k8s\.yaml \(.*\): 0 to create, 2 to change \(2 restart pods\), 0 to delete$/),
      '  ~ Cluster/dify/postgresql   <- holds data; restarts pods, one at a time',
      '      spec.componentSpecs[name=postgresql].resources.limits.cpu: "1" -> "2"',
      '      spec.componentSpecs[name=postgresql].resources.requests.cpu: "1" -> "2"',
      '  ~ Deployment/dify/dify-api   <- rolls pods',
      '      spec.template.metadata.labels.team: + "a"',
    ]);
  });

  test('a rail the config\'s allowDestructive lets through is shown: which rail, who allowed it, what it allows', () => {
    const configDir = tempDir('plan-');
    fs.writeFileSync(path.join(configDir, 'default.yaml'), 'postgresql:\n  storage: { size: 10Gi }\nallowDestructive: [storageShrink]\n');

    const run = plan(configDir, copyOfDist());

    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`  ! guard rail storageShrink, allowed by allowDestructive in ${configDir}/default.yaml: postgresql.storage.size: "10Gi": the volumes are 20Gi now`);
  });

  test('a platform whose config is gone: plan shows the file synth deletes and what a prune deletes with it; --allow-destructive previews that publish', () => {
    const configDir = tempDir('plan-');
    fs.copyFileSync(path.join(CONFIG_DIR, 'default.yaml'), path.join(configDir, 'default.yaml'));
    fs.writeFileSync(path.join(configDir, 'gone.yaml'), 'namespace: gone\n');
    const dist = path.join(tempDir('plan-dist-'), 'dist');
    expect(runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist }).status).toBe(0);
    fs.rmSync(path.join(configDir, 'gone.yaml'));
    const before = fingerprint(dist);

    const refused = plan(configDir, dist);
    const allowed = plan(configDir, dist, ['--allow-destructive']);

    expect(refused.status).toBe(1);
    const header = /^gone\.k8s\.yaml \(no config writes it any more\): synth deletes the file; 0 to create, 0 to change, (\d+) to delete \(with prune\)$/m;
    expect(refused.stdout).toMatch(header);
    expect(refused.stdout).toMatch(/^ {2}- Cluster\/gone\/postgresql   <- holds data$/m);
    expect(refused.stdout).toMatch(/^ {2}- Namespace\/gone$/m);
    expect(refused.stdout).toMatch(/^ {2}! refused by a guard rail: .*gone\.k8s\.yaml: no config writes this platform any more/m);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(header);
    expect(allowed.stdout).not.toContain('refused');
    expect(allowed.stdout).toMatch(/^ {2}! guard rail allowed by --allow-destructive: .*gone\.k8s\.yaml: no config writes this platform any more/m);
    expect(fingerprint(dist)).toEqual(before);
  });

  test('--allow-destructive shows each refusal of the config as the rail it lets through, and exits 0 as synth with it would', () => {
    const configDir = tempDir('plan-');
    fs.writeFileSync(path.join(configDir, 'default.yaml'), 'postgresql:\n  storage: { size: 10Gi }\n');

    const run = plan(configDir, copyOfDist(), ['--allow-destructive']);

    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('refused');
    expect(run.stdout).toContain('  ! guard rail storageShrink, allowed by --allow-destructive: postgresql.storage.size: "10Gi": the volumes are 20Gi now');
  });

  describe('--live, where there is no cluster to read', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { toolPath } = require('../../scripts/tools') as { toolPath(tool: string): string };
    const live = (kubeconfig: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DIFY_CONFIG_DIR: CONFIG_DIR, DIST_DIR: referenceDist(), KUBECONFIG: kubeconfig, DIFY_KUBECTL: toolPath('kubectl') };
      delete env.INIT_CWD;
      return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'plan.js'), '--live'], { cwd: ROOT, encoding: 'utf8', env });
    };

    test('no current context: one line saying so, exit 1', () => {
      const kubeconfig = path.join(tempDir('kubeconfig-'), 'config');
      fs.writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');

      const run = live(kubeconfig);

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^plan --live: no current kube context \(set KUBECONFIG, or kubectl config use-context NAME\): error: current-context is not set$/)]);
    });

    test('a cluster that does not answer: one line naming the context, exit 1', () => {
      const kubeconfig = path.join(tempDir('kubeconfig-'), 'config');
      fs.writeFileSync(kubeconfig, ['apiVersion: v1', 'kind: Config', 'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
        'users: [{ name: u, user: { token: t } }]', 'contexts: [{ name: nowhere, context: { cluster: c, user: u } }]', 'current-context: nowhere', ''].join('\n'));

      const run = live(kubeconfig);

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^plan --live: the cluster of context "nowhere" cannot be read: listing the cluster's resources: .*127\.0\.0\.1:1.*refused/)]);
    });
  });
});
