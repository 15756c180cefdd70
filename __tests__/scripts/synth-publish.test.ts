/**
 * Publishing dist/ survives anything: the real pipeline is killed with SIGKILL at each of its steps, or a file
 * cannot be moved, and dist/ must always exist with every file complete, and all files new or all old: a failed
 * move is undone before synth exits, a killed run is undone by the next. Files a user added to dist/ are never
 * touched; stale files this app wrote are removed; what a killed run leaves behind is cleared next time.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES_CONFIG_DIR } from '../helpers/configs';
import { buildApp, fingerprint, FIXTURE_CONFIG_DIR, ROOT, runSynth, tempDir } from '../helpers/pipeline';

/** Two platforms, so that publishing moves more than one file. */
const CONFIGS = tempDir('configs-');
fs.copyFileSync(path.join(FIXTURE_CONFIG_DIR, 'default.yaml'), path.join(CONFIGS, 'default.yaml'));
fs.copyFileSync(path.join(EXAMPLES_CONFIG_DIR, 'seed.yaml'), path.join(CONFIGS, 'seed.yaml'));

let GENERATED: Record<string, string>;
/** The old dist/ every case starts from, made once. */
let OLD_DIST: string;

beforeAll(() => {
  buildApp();
  OLD_DIST = path.join(tempDir('generated-'), 'dist');
  expect(runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: OLD_DIST }).status).toBe(0);
  GENERATED = fingerprint(OLD_DIST);
  // Made old: each platform file changed, a stale platform file, and files of the user.
  const header = fs.readFileSync(path.join(OLD_DIST, 'default.k8s.yaml'), 'utf8').split('\n')[0];
  for (const file of Object.keys(GENERATED)) fs.appendFileSync(path.join(OLD_DIST, file), '# an older synth\n');
  // A platform that held no data: removing it is no guard rail's business (one that holds data is, below).
  fs.writeFileSync(path.join(OLD_DIST, 'removed-platform.k8s.yaml'), `${header}\nkind: ConfigMap\nmetadata: { name: notes }\n`);
  fs.writeFileSync(path.join(OLD_DIST, 'kustomization.yaml'), 'resources: [default.k8s.yaml]\n');
  fs.writeFileSync(path.join(OLD_DIST, 'handmade.k8s.yaml'), 'kind: ConfigMap\n');
});

/** A dist/ from an older synth, in a folder of its own. */
function oldDist(): { dist: string; old: Record<string, string> } {
  const dist = path.join(tempDir('dist-'), 'dist');
  fs.cpSync(OLD_DIST, dist, { recursive: true });
  return { dist, old: fingerprint(dist) };
}

const USER_FILES = ['handmade.k8s.yaml', 'kustomization.yaml'];

describe('publishing into dist/', () => {
  test('a finished run publishes every platform, removes its own stale file and keeps the user\'s files', () => {
    const { dist, old } = oldDist();

    const run = runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist });

    expect(run.status).toBe(0);
    expect(fingerprint(dist)).toEqual({ ...GENERATED, ...Object.fromEntries(USER_FILES.map((file) => [file, old[file]])) });
    expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
  });

  test('a dist/ that does not exist yet is created', () => {
    const dist = path.join(tempDir('fresh-'), 'dist');

    expect(runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist }).status).toBe(0);
    expect(fingerprint(dist)).toEqual(GENERATED);
  });

  // Which platform files each step has published already (files are published in name order).
  test.each<[string, string[]]>([
    ['after-synth', []],
    ['after-first-file', ['default.k8s.yaml']],
    ['before-stale-removal', ['default.k8s.yaml', 'seed.k8s.yaml']],
  ])('killed %s, every file is complete, and the next run makes them all old or all new', (step, published) => {
    const { dist, old } = oldDist();

    const killed = runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist, DIFY_SYNTH_FAULT: step });

    expect(killed.signal).toBe('SIGKILL');
    const now = fingerprint(dist);
    for (const file of Object.keys(GENERATED)) expect(now[file]).toBe(published.includes(file) ? GENERATED[file] : old[file]);
    for (const file of USER_FILES) expect(now[file]).toBe(old[file]);
    expect(Object.keys(now).sort()).toEqual(Object.keys(old).sort());
    // The killed run's staging folder is left; the next run undoes what it published, even when it is refused itself.
    expect(fs.readdirSync(path.dirname(dist)).filter((entry) => entry.startsWith('.synth-'))).toHaveLength(1);
    expect(runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist }).status).toBe(0);
    expect(fingerprint(dist)).toEqual({ ...GENERATED, ...Object.fromEntries(USER_FILES.map((file) => [file, old[file]])) });
    expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
  });

  test('a run killed while publishing is undone by the next run, even one whose config is refused: every file old again', () => {
    const { dist, old } = oldDist();
    expect(runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist, DIFY_SYNTH_FAULT: 'after-first-file' }).signal).toBe('SIGKILL');
    const bad = tempDir('bad-config-');
    fs.writeFileSync(path.join(bad, 'default.yaml'), 'namespace: 42\n');

    const refused = runSynth({ DIFY_CONFIG_DIR: bad, DIST_DIR: dist });

    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^note: a synth killed while publishing into .* was undone: its old files are back$/m);
    expect(fingerprint(dist)).toEqual(old);
    expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
  });

  test('plan after a run killed while publishing refuses the half-published dist/, touching nothing, until synth has undone it', () => {
    const { dist, old } = oldDist();
    expect(runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist, DIFY_SYNTH_FAULT: 'after-first-file' }).signal).toBe('SIGKILL');
    const halfway = fingerprint(dist);
    expect(halfway).not.toEqual(old);
    const plan = () => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'plan.js')], { cwd: ROOT, encoding: 'utf8',
      env: { ...process.env, INIT_CWD: undefined, DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist } });

    const refused = plan();

    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toBe(`${dist}: a synth was killed while publishing into it, so it is half old and half new; run synth, which puts the old files back first, then plan`);
    expect(fingerprint(dist)).toEqual(halfway);
    expect(runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist }).status).toBe(0);
    expect(plan().status).toBe(0);
  });

  test('a file that cannot be moved in leaves every file as it was, with exit 1 and one line', () => {
    const { dist, old } = oldDist();

    const run = runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist, DIFY_SYNTH_FAIL_MOVE: 'seed.k8s.yaml' });

    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').pop()).toMatch(/^synth could not publish into .*dist: EACCES: permission denied, rename 'seed\.k8s\.yaml'; every file is as it was$/);
    expect(fingerprint(dist)).toEqual(old);
    expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
  });

  test('a killed run\'s staging folder is cleared even when its pid now belongs to a live process (a reused pid)', () => {
    const { dist } = oldDist();
    // pid 1 is alive, but did not start at tick 5: the folder is a killed run's.
    fs.mkdirSync(path.join(path.dirname(dist), '.synth-1-5-AbCdEf'));

    expect(runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist }).status).toBe(0);
    expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
  });
});

describe('a platform whose config is gone', () => {
  test('is not removed from dist/ while it holds clusters: one line, exit 1, dist/ untouched; --allow-destructive removes it', () => {
    const { dist, old } = oldDist();
    const onlyDefault = tempDir('configs-');
    fs.copyFileSync(path.join(CONFIGS, 'default.yaml'), path.join(onlyDefault, 'default.yaml'));

    const refused = runSynth({ DIFY_CONFIG_DIR: onlyDefault, DIST_DIR: dist });

    expect(refused.status).toBe(1);
    const lines = refused.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/dist\/seed\.k8s\.yaml: no config writes this platform any more .* a GitOps prune delete Cluster postgresql, Cluster redis, Cluster qdrant and \d+ more; bring its config back, or remove the platform on purpose with --allow-destructive$/);
    expect(lines).toHaveLength(2);
    expect(fingerprint(dist)).toEqual(old);

    const removed = runSynth({ DIFY_CONFIG_DIR: onlyDefault, DIST_DIR: dist }, { argv: ['--allow-destructive'] });
    expect(removed.status).toBe(0);
    expect(fs.existsSync(path.join(dist, 'seed.k8s.yaml'))).toBe(false);
    // Said, with what a prune deletes with it: the published files first, then each deleted one.
    expect(removed.stdout.trim().split('\n').pop()).toMatch(
      /^deleted .*dist\/seed\.k8s\.yaml \(no config writes it any more\): a prune deletes its \d+ objects, Cluster\/default\/postgresql, Cluster\/default\/redis, .* and \d+ more$/);
  });
});

describe('an output folder synth cannot publish into', () => {
  test.each<[string, (root: string) => Record<string, string>, RegExp]>([
    ['dist/ is a file', (root) => {
      fs.writeFileSync(path.join(root, 'dist'), 'not a folder\n');
      return { DIST_DIR: path.join(root, 'dist') };
    }, /^the output folder .*dist is a file: name a folder \(DIST_DIR\), or move the file away$/],
    ['DIST_DIR inside the config folder', (root) => {
      fs.cpSync(CONFIGS, path.join(root, 'config'), { recursive: true });
      return { DIFY_CONFIG_DIR: path.join(root, 'config'), DIST_DIR: path.join(root, 'config') };
    }, /^the output folder .*config is inside the config folder .*config: every later synth would read its files as configs; choose another DIST_DIR$/],
    ['DIST_DIR naming a folder of other things (a home or source folder)', (root) => {
      fs.mkdirSync(path.join(root, 'src', '.git'), { recursive: true });
      fs.writeFileSync(path.join(root, 'src', 'main.go'), 'package main\n');
      fs.writeFileSync(path.join(root, 'src', 'README.md'), '# notes may be there\n');
      return { DIST_DIR: path.join(root, 'src') };
    }, /^.*src: holds what synth never writes \(\.git, main\.go\), so it is no output folder of this tool's, which holds only platform files, kustomization\.yaml and your notes \(\.md, \.txt\): name dist\/ \(or an empty folder\) in DIST_DIR$/],
    ['DIST_DIR=/', () => ({ DIST_DIR: '/' }), /^\/: holds what synth never writes \(.* and \d+ more\), so it is no output folder/],
  ])('%s: one line, exit 1, nothing written', (_case, setUp, message) => {
    const root = tempDir('output-');
    const env = { DIFY_CONFIG_DIR: CONFIGS, ...setUp(root) };
    const before = fs.readdirSync(root, { recursive: true }).sort();

    const run = runSynth(env);

    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(message);
    expect(fs.readdirSync(root, { recursive: true }).sort()).toEqual(before);
  });

  test.each([
    ['conflict markers above its header (a bad merge)', (text: string) => `<<<<<<< HEAD\n${text}=======\n${text}>>>>>>> theirs\n`],
    ['its header edited away', (text: string) => text.slice(text.indexOf('\n') + 1)],
    ['garbage', () => 'garbage\n'],
  ])('a platform file with %s is refused, never taken for a new platform: a storage shrink stays out, by synth and by plan', (_case, damage) => {
    const { dist } = oldDist();
    const file = path.join(dist, 'default.k8s.yaml');
    fs.writeFileSync(file, damage(fs.readFileSync(file, 'utf8')));
    const before = fingerprint(dist);
    const shrink = tempDir('shrink-');
    fs.writeFileSync(path.join(shrink, 'default.yaml'), 'postgresql: { storage: { size: 1Gi } }\n');

    const run = runSynth({ DIFY_CONFIG_DIR: shrink, DIST_DIR: dist });
    const plan = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'plan.js')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, INIT_CWD: undefined, DIFY_CONFIG_DIR: shrink, DIST_DIR: dist } });

    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^synth failed: .*dist\/default\.k8s\.yaml does not start with the header synth writes, so it cannot be read as this tool's output .*: restore it \(git checkout -- default\.k8s\.yaml\)/)]);
    expect(fingerprint(dist)).toEqual(before);
    expect(plan.status).not.toBe(0);
    expect(plan.stdout).not.toContain('new platform');
    expect(plan.stderr).toContain('does not start with the header synth writes');
  });

  test('a platform file in dist/ that is no longer YAML is named, not quoted with a code frame', () => {
    const { dist } = oldDist();
    const header = fs.readFileSync(path.join(dist, 'default.k8s.yaml'), 'utf8').split('\n')[0];
    fs.writeFileSync(path.join(dist, 'default.k8s.yaml'), `${header}\nkind: [unclosed\n\u0000\u0001`);
    const before = fingerprint(dist);

    const run = runSynth({ DIFY_CONFIG_DIR: CONFIGS, DIST_DIR: dist });

    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^synth failed: .*dist\/default\.k8s\.yaml is not YAML synth can read \(.*\): restore it \(git checkout -- default\.k8s\.yaml\) or delete it$/)]);
    expect(fingerprint(dist)).toEqual(before);
  });
});
