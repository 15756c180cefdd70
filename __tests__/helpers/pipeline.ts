/**
 * The real `npm run synth` pipeline (scripts/synth.js on the built app), run with DIFY_CONFIG_DIR and DIST_DIR
 * pointing at temporary folders.
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface SynthRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the pipeline; `env` adds to (or, with undefined, removes from) the environment. */
export function runSynth(env: Record<string, string | undefined>, options: SpawnSyncOptions & { wrapper?: string[]; argv?: string[] } = {}): SynthRun {
  const merged = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  // npm's INIT_CWD (the caller's folder) would leak in from the test runner's own npm.
  if (!('INIT_CWD' in env)) delete merged.INIT_CWD;
  const command = [...(options.wrapper ?? []), process.execPath, path.join(ROOT, 'scripts', 'synth.js'), ...(options.argv ?? [])];
  const run = spawnSync(command[0], command.slice(1), { cwd: ROOT, encoding: 'utf8', ...options, env: merged });
  return { status: run.status, signal: run.signal, stdout: String(run.stdout ?? ''), stderr: String(run.stderr ?? '') };
}

/** Every file of a folder with a hash of its bytes. */
export function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((file) =>
    [file, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex')]));
}

/** The tests' own config folder: one platform with the built-in defaults. Never the repository's config/. */
export const FIXTURE_CONFIG_DIR = path.join(ROOT, '__tests__', 'fixtures', 'project', 'config');

let reference: string | undefined;

/**
 * What synth writes for {@link FIXTURE_CONFIG_DIR}, synthesized once per test file into a temporary folder: the
 * published dist/ the tests start from. The repository's own dist/ is never read (CI checks that one with
 * `npm run synth -- --check`).
 */
export function referenceDist(): string {
  if (!reference) {
    const dist = path.join(tempDir('reference-'), 'dist');
    const run = runSynth({ DIFY_CONFIG_DIR: FIXTURE_CONFIG_DIR, DIST_DIR: dist });
    if (run.status !== 0) throw new Error(`synthesizing the tests' own platform failed:\n${run.stderr}`);
    reference = dist;
  }
  return reference;
}

/** A copy of {@link referenceDist} in a fresh temporary folder, for a run to publish into. */
export function copyOfDist(): string {
  const dist = path.join(tempDir('dist-'), 'dist');
  fs.cpSync(referenceDist(), dist, { recursive: true });
  return dist;
}

/** Builds the app the pipeline runs (build/main.js) as `npm run synth` does first: cached, so test files share it. */
export function buildApp(): void {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`building the app failed:\n${run.stdout}${run.stderr}`);
}

/**
 * A copy of the project's own files (what git would check out) in a temporary folder, sharing node_modules, so a
 * test can change sources or run a fresh checkout's commands without touching the working tree. Its config/ and
 * dist/ are the tests' own platform ({@link FIXTURE_CONFIG_DIR}, {@link referenceDist}), not the checkout's.
 */
export function projectCopy(): string {
  // Nothing beside the copy: the project must work from its own files, as a user's clone does.
  const copy = path.join(tempDir('project-'), 'project');
  fs.mkdirSync(copy);
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  fs.cpSync(FIXTURE_CONFIG_DIR, path.join(copy, 'config'), { recursive: true });
  fs.cpSync(referenceDist(), path.join(copy, 'dist'), { recursive: true });
  const own = (name: string) => !/^(config|dist)\//.test(name);
  for (const file of listed.stdout.split('\0').filter((name) => name && own(name) && fs.existsSync(path.join(ROOT, name)))) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}
