/**
 * The user's project folder: where config/, dist/ and vendor/charts/ are. It is found, as npm finds package.json,
 * from the current folder (npx keeps it; npm run moves to the package's folder): the nearest folder at or above it
 * holding a cdk8s.yaml (`init` writes one). Not from INIT_CWD, which an outer npm leaks into every child process.
 * Run from elsewhere with this repository's own scripts, the checkout is the project (its own example app).
 * Installed as a package, a command run outside any project is refused rather than writing into node_modules.
 * The library (lib/dify/wiring/project-files.ts) finds the same folder the same way; DIFY_PROJECT_DIR names one
 * outright.
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * The package's own folder (bin/, scripts/, schema/, package.json). This file is one folder below it both as a
 * source (cli/) and bundled (build/cli.js).
 */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');
const MARKER = 'cdk8s.yaml';

/** The nearest folder at or above `start` that holds a cdk8s.yaml, or undefined. */
export function projectAbove(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, MARKER))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The project folder; throws with one line when there is none. */
export function projectDir(): string {
  if (process.env.DIFY_PROJECT_DIR) return path.resolve(process.env.DIFY_PROJECT_DIR);
  const caller = process.cwd();
  const found = projectAbove(caller) ?? (fs.existsSync(path.join(PACKAGE_ROOT, MARKER)) ? PACKAGE_ROOT : undefined);
  if (!found) {
    throw new Error(`no ${MARKER} in ${caller} or any folder above it: run this in your project, or make one with npx dify-kubeblocks init`);
  }
  return found;
}

/** The package's package.json, read when asked (not bundled: it is the installed package's). */
export function packageJson(): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;
}

export interface PackageJson {
  readonly version: string;
  readonly peerDependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}
