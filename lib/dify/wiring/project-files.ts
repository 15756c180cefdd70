import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * This package's root (where its package.json is, with the files it reads at run time), found the same way from
 * lib/ (tests), build/ (the command-line bundle) and build/package/ (the library, installed or not).
 */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/**
 * The user's project, where config/, dist/ and vendor/charts/ are, found as the command-line tool finds it
 * (cli/project-dir.ts): DIFY_PROJECT_DIR when set, else the nearest folder with a cdk8s.yaml at or above the
 * current one (as `cdk8s synth` runs a user's app), else this package's own folder when it is a checkout of this
 * repository (its example app), else the current folder. Not where this package's own files are: see
 * {@link projectRoot}.
 */
export function projectDir(): string {
  if (process.env.DIFY_PROJECT_DIR) return path.resolve(process.env.DIFY_PROJECT_DIR);
  const checkout = fs.existsSync(path.join(projectRoot(), 'cdk8s.yaml')) ? projectRoot() : undefined;
  return projectAbove(process.cwd()) ?? checkout ?? process.cwd();
}

function projectAbove(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdk8s.yaml'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A script or config file that a Job or pod runs, kept as a file in lib/dify/scripts and embedded at synth. */
export function readScript(name: string): string {
  return fs.readFileSync(path.join(projectRoot(), 'lib', 'dify', 'scripts', name), 'utf8');
}

/**
 * A script or config file with its `{{name}}` placeholders filled in. A placeholder without a value, or a value
 * without a placeholder, is a bug in the caller and throws.
 */
export function renderScript(name: string, values: Readonly<Record<string, string>>): string {
  const text = readScript(name);
  for (const key of Object.keys(values)) {
    if (!text.includes(`{{${key}}}`)) throw new Error(`${name} has no placeholder {{${key}}}`);
  }
  const rendered = text.replace(/\{\{(\w+)\}\}/g, (placeholder, key: string) => {
    if (!(key in values)) throw new Error(`${name}: no value for ${placeholder}`);
    return values[key];
  });
  return rendered;
}

/**
 * `<base>-<8 hex digits of the content's hash>`. Jobs are immutable: a Job whose spec changes must get a new name,
 * and an unchanged one must keep its name so that `kubectl apply` is a no-op.
 */
export function hashedName(base: string, content: unknown): string {
  return `${base}-${createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 8)}`;
}
