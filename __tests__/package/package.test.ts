/**
 * The package as a user gets it: `npm pack`, installed from the tarball into empty folders (its dependencies from
 * the registry, nothing from this checkout), then what the README tells a user to do. Slow (packing and installing
 * take a minute or two) and needs the npm registry: `npm run test:package`, which .ci/run runs after `npm test`.
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { projectCopy, ROOT, tempDir } from '../helpers/pipeline';

/** The environment of a user's shell: nothing of this checkout's test setup leaks into the runs. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
  // CI too: jest under CI=true refuses to write the new project's first snapshot, which a user writes on their own
  // machine and commits (their CI then compares with it).
  for (const name of ['INIT_CWD', 'DIFY_PROJECT_DIR', 'DIFY_CHARTS_DIR', 'DIFY_CONFIG_DIR', 'DIST_DIR', 'DIFY_THIRD_PARTY', 'npm_config_prefix', 'CI']) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith('npm_') || name.startsWith('JEST_')) delete env[name];
  return env;
}

interface Run { status: number | null; stdout: string; stderr: string }

function run(command: string, args: string[], cwd: string, options: SpawnSyncOptions = {}): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: userEnv(), timeout: 300000, ...options });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function mustRun(command: string, args: string[], cwd: string): Run {
  const result = run(command, args, cwd);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** `npm pack` of a project folder into a new folder; the tarball's path and the files it holds. */
function pack(project: string): { tarball: string; files: string[]; size: number } {
  const out = tempDir('pack-');
  const packed = JSON.parse(mustRun('npm', ['pack', '--json', '--pack-destination', out], project).stdout)[0];
  return { tarball: path.join(out, packed.filename), files: packed.files.map((file: { path: string }) => file.path), size: packed.size };
}

const npmInstall = (cwd: string, ...specs: string[]) => mustRun('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], cwd);

describe('the npm package', () => {
  let packed: ReturnType<typeof pack>;
  let app: string;

  beforeAll(() => {
    packed = pack(ROOT);
    // How a user starts: the package installed in an empty folder, then `init`.
    const start = tempDir('user-');
    npmInstall(start, packed.tarball);
    mustRun('npx', ['dify-kubeblocks', 'init', 'platforms', '--package', packed.tarball], start);
    app = path.join(start, 'platforms');
    npmInstall(app);
  });

  test('holds the library, its types, the command, and the project\'s own runtime data; no test, config or third-party file', () => {
    console.log(`npm pack: ${packed.files.length} files, ${(packed.size / 1024).toFixed(0)} KiB packed`);
    for (const file of ['bin/dify-kubeblocks.js', 'build/main.js', 'build/package/lib/public-api.js', 'build/package/lib/public-api.d.ts',
      'scripts/synth.js', 'scripts/init.js', 'lib/dify/scripts/create-databases.sh', 'schema/platform-config.schema.json',
      'facts/dify-settings/1.16.1/api.txt', 'docs/configuration.md', 'package.json', 'README.md']) {
      expect({ file, packed: packed.files.includes(file) }).toEqual({ file, packed: true });
    }
    const unwanted = packed.files.filter((file) => /^(__tests__|config|dist|examples|vendor|imports)\//.test(file)
      || (file.endsWith('.ts') && !file.endsWith('.d.ts')) || file === 'cdk8s.yaml' || file.startsWith('build/_loadurl'));
    expect(unwanted).toEqual([]);
  });

  test('init writes a project that synthesizes, passes its own snapshot test, and whose dist/ --check guards', () => {
    expect(fs.readdirSync(app).sort()).toEqual(['.gitignore', 'README.md', '__tests__', 'cdk8s.yaml', 'config', 'node_modules', 'package-lock.json', 'package.json']);
    const synth = mustRun('npx', ['dify-kubeblocks', 'synth'], app);
    expect(synth.stdout.trim().split('\n')).toEqual(['dist/dify.k8s.yaml', 'dist/kustomization.yaml']);
    expect(mustRun('npm', ['test', '--silent'], app).stderr).toMatch(/1 snapshot written/);
    expect(mustRun('npm', ['test', '--silent'], app).stderr).toMatch(/Snapshots:\s+1 passed/);
    expect(run('npx', ['dify-kubeblocks', 'synth', '--check'], app).status).toBe(0);

    const config = path.join(app, 'config', 'dify.yaml');
    const before = fs.readFileSync(config, 'utf8');
    fs.writeFileSync(config, `${before}postgresql: { replicas: 3 }\n`);
    const stale = run('npx', ['dify-kubeblocks', 'synth', '--check'], app);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('dist/dify.k8s.yaml: not what synth writes now');
    // The snapshot test sees the change too.
    expect(run('npm', ['test', '--silent'], app).status).not.toBe(0);
    fs.writeFileSync(config, before);
  });

  test('every command works from the user\'s project: ops, charts, import-values, schema, and init from a chart\'s values', () => {
    const ops = mustRun('npx', ['dify-kubeblocks', 'ops', 'dify', 'restart', 'postgresql'], app);
    expect(ops.stdout).toMatch(/^apiVersion: operations\.kubeblocks\.io\/v1alpha1\nkind: OpsRequest\n/);
    expect(mustRun('npx', ['dify-kubeblocks', 'charts'], app).stdout).toMatch(/^no chart is locked/);
    const values = path.join(ROOT, '__tests__', 'fixtures', 'seed', 'values.yaml');
    expect(mustRun('npx', ['dify-kubeblocks', 'import-values', values], app).stdout).toMatch(/\$schema=\.\.\/node_modules\/dify-kubeblocks\/schema\/platform-config\.schema\.json\n/);
    expect(fs.existsSync(mustRun('npx', ['dify-kubeblocks', 'schema'], app).stdout.trim())).toBe(true);

    const imported = path.join(path.dirname(app), 'imported');
    mustRun('npx', ['dify-kubeblocks', 'init', 'imported', '--name', 'seed', '--from-values', values, '--chart', 'douban', '--package', packed.tarball], path.dirname(app));
    fs.symlinkSync(path.join(app, 'node_modules'), path.join(imported, 'node_modules'));
    expect(mustRun('npx', ['dify-kubeblocks', 'synth'], imported).stdout.trim().split('\n')).toEqual(['dist/seed.k8s.yaml', 'dist/kustomization.yaml']);
    // The imported platform is `seed` in namespace seed, as init's own first platform would be, never in another's.
    expect(fs.readFileSync(path.join(imported, 'config', 'seed.yaml'), 'utf8')).toMatch(/^namespace: seed$/m);
    // Outside any project the commands that need one say so, and write nothing.
    const outside = run(path.join(app, 'node_modules', '.bin', 'dify-kubeblocks'), ['synth'], tempDir('nowhere-'));
    expect(outside.status).toBe(2);
    expect(outside.stderr).toMatch(/no cdk8s\.yaml in .* or any folder above it: run this in your project, or make one with npx dify-kubeblocks init/);
  });

  test('a TypeScript app of the user\'s own puts DifyPlatform into its chart, type-checks, and writes the bytes the tool writes', () => {
    const own = tempDir('own-app-');
    fs.writeFileSync(path.join(own, 'package.json'), JSON.stringify({ name: 'own-app', private: true }));
    const tested = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies;
    npmInstall(own, packed.tarball, `typescript@${tested.typescript}`, `@types/node@${tested['@types/node']}`,
      `cdk8s@${tested.cdk8s}`, `constructs@${tested.constructs}`, `cdk8s-plus-28@${tested['cdk8s-plus-28']}`);
    fs.writeFileSync(path.join(own, 'main.ts'), [
      "import { App } from 'cdk8s';",
      "import { DifyPlatform, DifyPlatformProps } from 'dify-kubeblocks';",
      "const props: DifyPlatformProps = { namespace: 'dify' };",
      "const app = new App({ outdir: 'dist' });",
      "new DifyPlatform(app, 'dify', props);",
      'app.synth();',
      '',
    ].join('\n'));
    mustRun('npx', ['tsc', '--strict', '--module', 'commonjs', '--target', 'es2022', '--esModuleInterop', '--skipLibCheck', 'main.ts'], own);
    mustRun('node', ['main.js'], own);
    const tool = fs.readFileSync(path.join(app, 'dist', 'dify.k8s.yaml'), 'utf8');
    expect(fs.readFileSync(path.join(own, 'dist', 'dify.k8s.yaml'), 'utf8')).toBe(tool.slice(tool.indexOf('\n') + 1));
  });

  test('upgrading is a version bump: plan shows what the new version changes before anything is written', () => {
    // The next version, with another default Dify version (here an older one, so a guard rail has its say too).
    const next = projectCopy();
    const features = path.join(next, 'lib', 'dify', 'features.ts');
    fs.writeFileSync(features, fs.readFileSync(features, 'utf8').replace(/export const DEFAULT_DIFY_VERSION = '[^']+';/, "export const DEFAULT_DIFY_VERSION = '1.15.0';"));
    const manifest = JSON.parse(fs.readFileSync(path.join(next, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(next, 'package.json'), JSON.stringify({ ...manifest, version: '0.1.1-test.1' }, null, 2));
    const dist = path.join(app, 'dist', 'dify.k8s.yaml');
    const published = fs.readFileSync(dist, 'utf8');
    npmInstall(app, pack(next).tarball);

    const plan = run('npx', ['dify-kubeblocks', 'plan'], app);
    expect(plan.stdout).toMatch(/dify\.k8s\.yaml \(config\/dify\.yaml\): \d+ to create, \d+ to change \(\d+ restart pods\), \d+ to delete/);
    expect(plan.stdout).toContain('langgenius/dify-api:1.15.0');
    expect(plan.stdout).toMatch(/! refused by a guard rail: .*dify\.version/);
    expect(plan.status).toBe(1);
    expect(fs.readFileSync(dist, 'utf8')).toBe(published);
  });
});
